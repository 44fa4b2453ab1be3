"""Flashcards from the notes: term/definition, question/answer (per slide group) and cloze cards, each
keeping its source slide (and figure). Stored as new FSRS cards, due now; a card whose source is already
in the deck is not added again."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.files import FileStore
from shared.models import Flashcard, utcnow
from shared.schemas import SourceRef
from shared.text import fold, has_cjk
from workers.generation.candidates import (
    LectureCandidates,
    blank_out,
    find_definition,
    statement_like,
)
from workers.generation.card_forms import (
    asked_items,
    asks,
    fact_of,
    form_problem,
    lecture_text,
    list_cloze,
    list_problem,
    ordered_list,
    same_fact,
    same_sentence,
)
from workers.generation.card_points import topic_clozes
from workers.generation.cardrules import (
    agenda_like,
    cloze_ok,
    good_definition,
    list_ok,
    named_precisely,
)
from workers.generation.cloze_text import cloze
from workers.generation.cloze_text import digest as _digest
from workers.generation.cue_checks import class_remark
from workers.generation.figure_cards import Pictures, figure_card
from workers.generation.keyterms import ListUnit, key_terms, list_units, term_in
from workers.generation.kinds import kind_lists
from workers.generation.phrasing import Phraser
from workers.generation.quiz_forms import subject_blank
from workers.generation.quiz_statements import concept_names, resolved
from workers.generation.salience import build_salience, floor_for, ranked, round_robin, salient
from workers.generation.sheet_labels import term_reason
from workers.generation.source_checks import LectureChecks
from workers.generation.structure import structured, worked_case
from workers.generation.textutil import contains_phrase
from workers.generation.validity import card_problem, near_duplicates


@dataclass
class CardDraft:
    kind: str  # basic | qa | cloze
    front: str
    back: str
    ref: SourceRef
    source_key: str
    figure_id: int | None = None
    phrased_by: str = "extractive"
    question: Callable[[], str | None] | None = None  # the LLM phrasing, asked only when the card is kept


MAX_ASKED = 2  # cards that hide or ask one term: its definition and one more statement about it


def _specific(term: str) -> bool:
    """Worth hiding inside an ordinary sentence: several words, an acronym, or CJK."""
    return len(term.split()) >= 2 or (term.isupper() and len(term) >= 2) or has_cjk(term)


def _list_cards(lc: LectureCandidates, extra: list[ListUnit] | None = None) -> list[CardDraft]:
    """Lists as clozes with their lead-in, one card per item: an ordered list shows the items before it, a set
    all the others (card_forms.list_cloze). The lecture's outline and lists of formula pieces are no lists."""
    out: list[CardDraft] = []
    lid = lc.lecture.id
    titles = [g.title for g in lc.groups]
    units = list_units(lc)
    units += [u for u in extra or [] if fold(u.title) not in {fold(x.title) for x in units}]
    for unit in units:
        others = [x for x in titles if fold(x) != fold(unit.title)]
        if agenda_like(unit.items, others, lc.text_lang) or not list_ok(unit.title, unit.items, lc.text_lang):
            continue
        if list_problem(unit.title, unit.items, lc.text_lang):
            continue  # sub-headings, not items to learn (card_forms)
        n = len(unit.items)
        ordered = ordered_list(unit.title, unit.items)
        for k in asked_items(unit.title, unit.items):
            item = unit.items[k]
            front = list_cloze(unit.title, unit.items, k)  # a set shows its other items (card_forms)
            out.append(
                CardDraft(
                    "cloze",
                    front,
                    f"{item} ({k + 1}/{n})" if ordered else item,
                    unit.ref,
                    f"list:{lid}:{unit.ref.page}:{_digest(unit.title)}:{k}",
                )
            )
    return out


def _drafts(lc: LectureCandidates, phraser: Phraser) -> dict[str, list[CardDraft]]:
    lid = lc.lecture.id
    lang = lc.text_lang
    kinds: dict[str, list[CardDraft]] = {"term": [], "list": [], "cloze": [], "figure": [], "point": []}
    layout = structured(lc)
    names = concept_names(lc, [d.term for d in layout.definitions])  # with the names its lines repeat
    terms = sorted({*key_terms(lc), *names}, key=len, reverse=True)
    section = {r.page: g.title for g in lc.groups for r in g.refs}
    text = lecture_text([(s.title, s.text) for s in lc.lecture.slides])

    def kept(draft: CardDraft) -> bool:  # the forms blind judges found valid, each part checked (card_forms)
        fig = draft.figure_id is not None
        return form_problem(draft.kind, draft.front, draft.back, lang, figure=fig, lecture_text=text) is None

    for d in [*lc.definitions, *layout.definitions]:
        if not good_definition(d.term, d.definition, lang) or worked_case(section.get(d.ref.page, "")):
            continue
        if term_reason(d.term, lang):
            continue  # "major strength of the relational model": no concept's name
        term_card = CardDraft("basic", d.term, d.definition, d.ref, f"term:{lid}:{_digest(d.term)}")
        sentence = d.sentence if contains_phrase(d.sentence, d.term) else f"{d.term}: {d.definition}."
        marked = cloze(sentence, d.term) if cloze_ok(sentence, d.term, lang, definition=True) else None
        key = f"cloze:{lid}:{_digest(d.term)}"
        cloze_card = CardDraft("cloze", marked, sentence, d.ref, key) if marked else None
        if named_precisely(d.term) and valid(term_card, lang) and kept(term_card):
            kinds["term"].append(term_card)  # a specific name is a fair cue for its definition
        elif cloze_card and kept(cloze_card):
            # a broad word ("Security") says too little alone, a remark ("a serious problem because ...") is
            # no definition to recall from the name: ask the term inside its sentence
            kinds["cloze"].append(cloze_card)
    kinds["list"] = [c for c in _list_cards(lc, layout.lists + kind_lists(lc)) if kept(c)]  # kinds.py
    asked = Counter(fold(d.term) for d in lc.definitions)  # a term is asked at most twice
    narrow = [x for x in terms if not _specific(x) and not lecture_topic(x, lc)]

    for g in lc.groups:
        for p in (p for p in g.points if not p.is_definition):
            for sentence in resolved(p.text, names, lang):  # "This should ..." given its subject's name
                if len(sentence) > 240 or not statement_like(sentence) or find_definition(sentence, p.ref):
                    continue  # a definition is asked through its term
                specific = [x for x in terms if _specific(x)]  # clozes only on key terms
                phrase = term_in(sentence, specific) or subject_word(sentence, narrow)
                if not phrase or asked[fold(phrase)] >= MAX_ASKED or fold(phrase) == fold(sentence):
                    continue
                if len(g.title.split()) >= 4 and fold(g.title) in fold(sentence):
                    continue  # the slide's title merged into the line
                if leans_on_title(sentence, phrase, g.title):
                    continue
                if not cloze_ok(sentence, phrase, lang):
                    continue
                marked = cloze(sentence, phrase)
                if not marked:
                    continue
                draft = CardDraft(
                    "cloze", marked, sentence, p.ref, f"pcloze:{lid}:{p.ref.page}:{_digest(sentence)}"
                )
                if kept(draft):  # a blank on the sentence's subject only (card_forms: inner ones 25/56 valid)
                    asked[fold(phrase)] += 1
                    kinds["point"].append(draft)
                    break
    # a line naming its slide's concept by a shorter name (card_points)
    kinds["point"] += [CardDraft("cloze", *made) for made in topic_clozes(lc, asked)]
    for f in sorted(lc.figures, key=lambda f: -f.score):
        slide = next((s for s in lc.lecture.slides if s.ref.page == f.ref.page), None)
        card = figure_card(f, lc, slide)  # its caption, else its slide's title, strictly (figure_cards)
        if card:
            fid = f.figure.id
            kinds["figure"].append(CardDraft("basic", *card, f.ref, f"figure:{fid}", figure_id=fid))
    return kinds


TOPIC_SHARE = 0.5  # a word named on more than half of the slides is what the lecture is about


def lecture_topic(term: str, lc: LectureCandidates) -> bool:
    """A word the lecture names on most of its slides ("Security" in a lecture on security engineering): any
    of its lines is about it, so hiding it asks nothing ("{{Security}} is considered when design decisions
    are made")."""
    slides = lc.lecture.slides
    named = sum(term_in(f"{s.title}\n{s.text}", [term]) is not None for s in slides)
    return named > TOPIC_SHARE * len(slides)


_EVALUATION = re.compile(
    r"^\s*(?:is|are)\s+(?:(?:very|particularly|especially|really|most|more|so|also|always|often)\s+)*"
    r"(?:essential|important|crucial|critical|necessary|vital|needed|required|useful|key|central|difficult|hard|"
    r"easy|common|rare|possible|impossible)\b",
    re.I,
)


def subject_word(sentence: str, terms: list[str]) -> str | None:
    """A one-word key term that is the line's subject ("{{Views}} can be used to present ...", "A {{view}} is
    just a relation, ..."): the rest of the line says what it does, as in a definition's cloze, so the word
    need not be specific (one hidden inside a line is not: "... in the current {{instance}} ..."). Not when
    the line only rates it ("{{Security}} is essential as most systems are networked ...": many words fit)."""
    for term in terms:
        if _specific(term):
            continue
        found = term_in(sentence, [term])
        if not found or not subject_blank(blank_out(sentence, found)):
            continue
        rest = sentence[sentence.lower().index(found.lower()) + len(found) :]
        if not _EVALUATION.match(rest):
            return found
    return None


def leans_on_title(sentence: str, phrase: str, title: str) -> bool:
    """ "The {{risk assessment}} should focus on high-level risks" on the slide "Preliminary risk assessment":
    "the" points at the longer name its title gives, which the card does not show."""
    the = re.match(rf"^the\s+{re.escape(phrase)}\b", sentence, re.I) is not None
    return the and contains_phrase(title, phrase) and fold(title) != fold(phrase)


def valid(draft: CardDraft, lang: str | None = None) -> bool:
    return (
        card_problem(draft.front, draft.back, draft.kind, figure=draft.figure_id is not None, lang=lang)
        is None
    )


def card_drafts(lectures: list[LectureCandidates], phraser: Phraser) -> Iterator[CardDraft]:
    """Every valid card the notes offer, interleaved across lectures and kinds so any prefix covers them."""
    pattern = ["term", "list", "point", "cloze", "figure"]
    queues = [_drafts(lc, phraser) for lc in lectures]
    langs = [lc.text_lang for lc in lectures]
    checks = [
        LectureChecks(lc.lecture, lc.text_lang) for lc in lectures
    ]  # by source and words (source_checks)
    given: dict[str, list[tuple[str, str, str]]] = {}  # the cards yielded, by the term they ask
    taught: list[str] = []  # what they teach: no sentence twice (a term card and the cloze of its line)
    while any(any(q.values()) for q in queues):
        for q, lang, check in zip(queues, langs, checks, strict=True):
            for name in pattern:
                while q[name]:
                    draft = q[name].pop(0)
                    figure = draft.figure_id is not None
                    if check.card(draft.kind, draft.front, draft.back, draft.ref.page, figure=figure):
                        continue
                    if class_remark(draft.kind, draft.front, draft.back):  # a cue of many terms (cue_checks)
                        continue
                    card = (draft.kind, draft.front, draft.back)
                    same = given.setdefault(asks(draft.kind, draft.front), [])
                    fact = fact_of(*card)
                    if any(same_sentence(fact, x) for x in taught):
                        continue
                    if valid(draft, lang) and not any(same_fact(card, g) for g in same):
                        same.append(card)
                        taught.append(fact)
                        yield draft
                        break


POOL = 4  # drafts drawn per card asked: the most salient are chosen among them


def salient_first(lectures: list[LectureCandidates], pool: list[CardDraft], count: int) -> list[CardDraft]:
    """The drafts about the lectures' salient concepts, most salient first (salience.py): at most twice the
    count (near-duplicates are removed next), none below the threshold unless the floor needs it."""
    by_id = {lc.lecture.id: build_salience(lc) for lc in lectures}

    def score(d: CardDraft) -> float:
        sal = by_id.get(d.ref.lecture_id)
        return sal.of(f"{d.front} {d.back}") if sal else 0.0

    floor = floor_for(max(1, count // max(1, len(lectures))))  # per lecture, of its share of the count
    kept = salient(pool, score, 2 * count, floor=floor, group=lambda d: d.ref.lecture_id)
    return round_robin(ranked(kept, score), lambda d: d.ref.lecture_id)  # each lecture's best in turn


def new_fsrs_card(card_id: int, now: datetime) -> dict[str, object]:
    from fsrs import Card

    return dict(Card(card_id=card_id, due=now).to_dict())


def store_cards(
    db: Session,
    *,
    user_id: int,
    subject_id: int,
    lectures: list[LectureCandidates],
    phraser: Phraser,
    count: int,
    progress: Callable[[int, int], None] | None = None,
    embed: Callable[[list[str]], list[list[float]]] | None = None,
    files: FileStore | None = None,
) -> dict[str, int]:
    """Add up to ``count`` new cards to the subject's deck (skipping sources already in it); near-duplicate
    cards (embedding similarity, given ``embed``; else word overlap) are left out, and so is a card whose
    picture a student cannot see in ``files`` or that another card shows already (figure_cards.Pictures).

    The cards are chosen and phrased first (progress is reported meanwhile, by other short transactions)
    and written at the end in one transaction: SQLite allows one writer at a time."""
    rows = db.execute(
        select(Flashcard.source_key, Flashcard.front, Flashcard.back).where(
            Flashcard.subject_id == subject_id
        )
    ).all()
    existing = {key for key, _, _ in rows if key is not None}
    known = [_text(front, back) for _, front, back in rows]  # a new card must not repeat one in the deck
    db.rollback()  # end the read transaction before the slow part
    pool: list[CardDraft] = []
    skipped = phrased = 0
    paths = {f.id: f.image_path for lc in lectures for s in lc.lecture.slides for f in s.figures}
    pictures = Pictures(files, paths)
    for draft in card_drafts(lectures, phraser):
        if len(pool) >= POOL * count:
            break
        if not pictures.admit(draft.figure_id):
            continue
        if draft.source_key in existing:
            skipped += 1
            continue
        existing.add(draft.source_key)
        pool.append(draft)
    drawn = list(pool)
    pool = salient_first(lectures, pool, count)
    repeats = near_duplicates(known + [_text(d.front, d.back) for d in pool], embed=embed)
    dropped = {i - len(known) for i in repeats if i >= len(known)}
    chosen: list[CardDraft] = []
    for i, draft in enumerate(pool):
        if i in dropped:
            continue
        if len(chosen) >= count:
            break
        if draft.question is not None:
            asked = draft.question()
            if asked:
                draft.front, draft.phrased_by = asked, "llm"
                phrased += 1
        chosen.append(draft)
        if progress:
            progress(len(chosen), count)
    now = utcnow()
    place = {id(d): i for i, d in enumerate(drawn)}
    chosen.sort(key=lambda d: place[id(d)])  # stored in the generator's interleaved order
    for draft in chosen:
        card = Flashcard(
            user_id=user_id,
            subject_id=subject_id,
            lecture_id=draft.ref.lecture_id,
            page_number=draft.ref.page,
            figure_id=draft.figure_id,
            kind=draft.kind,
            front=draft.front,
            back=draft.back,
            suspended=False,
            due=now,
            source_key=draft.source_key,
        )
        db.add(card)
        db.flush()
        card.fsrs_card = new_fsrs_card(card.id, now)
    db.flush()
    return {
        "cards": len(chosen),
        "skipped_existing": skipped,
        "near_duplicates": len(dropped),
        "llm_phrased": phrased,
    }


_CLOZE = re.compile(r"\{\{c\d+::([^{}]*)\}\}")  # no brace inside: linear on hostile text
_LIST_TITLE = re.compile(r"^(?P<title>[^{]*?) \(\d+\): ")


def _text(front: str, back: str) -> str:
    """A card's words for near-duplicate search (cloze marks removed); a list's card is its title and the item
    it asks (a set's cards all show the same items)."""
    m = _LIST_TITLE.match(front)
    if m is not None:
        return m["title"] + " " + back
    return _CLOZE.sub(r"\1", front) + " " + back
