"""Flashcards from the notes: term/definition, question/answer (per slide group) and cloze cards, each
keeping its source slide (and figure). Stored as new FSRS cards, due now; a card whose source is already
in the deck is not added again."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.models import Flashcard, utcnow
from shared.schemas import SourceRef
from shared.text import fold, sentences
from workers.generation.candidates import (
    LectureCandidates,
    blank_out,
    good_title,
    key_phrase,
    statement_like,
)
from workers.generation.i18n import t
from workers.generation.phrasing import Phraser
from workers.generation.prompts import question_for_points
from workers.generation.textutil import contains_phrase, shorten


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


def _digest(text: str) -> str:
    return hashlib.sha1(fold(text).encode(), usedforsecurity=False).hexdigest()[:16]


def cloze(sentence: str, phrase: str) -> str | None:
    marked = blank_out(sentence, phrase, "{{c1::" + phrase.replace("}", ")") + "}}")
    return marked if marked != sentence else None


def _drafts(lc: LectureCandidates, phraser: Phraser) -> dict[str, list[CardDraft]]:
    lid = lc.lecture.id
    kinds: dict[str, list[CardDraft]] = {"term": [], "qa": [], "cloze": [], "figure": [], "point": []}
    for d in lc.definitions:
        kinds["term"].append(CardDraft("basic", d.term, d.definition, d.ref, f"term:{lid}:{_digest(d.term)}"))
        sentence = d.sentence if contains_phrase(d.sentence, d.term) else f"{d.term}: {d.definition}."
        marked = cloze(sentence, d.term)
        if marked:
            kinds["cloze"].append(
                CardDraft("cloze", marked, sentence, d.ref, f"cloze:{lid}:{_digest(d.term)}")
            )
    terms = lc.specific_terms
    for g in lc.groups:
        points = [p for p in g.points if not p.is_definition]
        if good_title(g.title) and points:
            shown = points[:4]
            back = "\n".join(f"• {shorten(p.text, 160)}" for p in shown)
            card = CardDraft(
                "qa",
                t(lc.lang, "key_points", title=g.title),
                back,
                shown[0].ref,
                f"group:{lid}:{g.refs[0].page}:{_digest(g.title)}",
            )
            card.question = lambda g=g, shown=shown: question_for_points(
                phraser, g.title, [p.text for p in shown]
            )
            kinds["qa"].append(card)
        for p in points:
            for sentence in sentences(p.text, lc.text_lang):
                if len(sentence) > 240 or not statement_like(sentence):
                    continue
                phrase = key_phrase(sentence, terms, lc.topic_words, lc.text_lang)
                marked = cloze(sentence, phrase) if phrase else None
                if marked:
                    kinds["point"].append(
                        CardDraft(
                            "cloze", marked, sentence, p.ref, f"pcloze:{lid}:{p.ref.page}:{_digest(sentence)}"
                        )
                    )
                    break
    for f in sorted(lc.figures, key=lambda f: -f.score):
        caption = f.figure.caption.strip() or f.figure.text.strip()
        if not caption:
            continue
        slide = next((s for s in lc.lecture.slides if s.ref.page == f.ref.page), None)
        where = t(lc.lang, "figure_where", title=slide.title) if slide and good_title(slide.title) else ""
        kinds["figure"].append(
            CardDraft(
                "basic",
                t(lc.lang, "figure_q", where=where),
                shorten(caption, 400),
                f.ref,
                f"figure:{f.figure.id}",
                figure_id=f.figure.id,
            )
        )
    return kinds


def card_drafts(lectures: list[LectureCandidates], phraser: Phraser) -> Iterator[CardDraft]:
    """Every card the notes offer, interleaved across lectures and kinds so any prefix covers them all."""
    pattern = ["term", "qa", "point", "cloze", "figure"]
    queues = [_drafts(lc, phraser) for lc in lectures]
    while any(any(q.values()) for q in queues):
        for q in queues:
            for name in pattern:
                if q[name]:
                    yield q[name].pop(0)


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
) -> dict[str, int]:
    """Add up to ``count`` new cards to the subject's deck (skipping sources already in it).

    The cards are chosen and phrased first (progress is reported meanwhile, by other short transactions)
    and written at the end in one transaction: SQLite allows one writer at a time."""
    existing = set(
        db.scalars(
            select(Flashcard.source_key).where(
                Flashcard.subject_id == subject_id, Flashcard.source_key.is_not(None)
            )
        )
    )
    db.rollback()  # end the read transaction before the slow part
    chosen: list[CardDraft] = []
    skipped = phrased = 0
    for draft in card_drafts(lectures, phraser):
        if len(chosen) >= count:
            break
        if draft.source_key in existing:
            skipped += 1
            continue
        if draft.question is not None:
            asked = draft.question()
            if asked:
                draft.front, draft.phrased_by = asked, "llm"
                phrased += 1
        existing.add(draft.source_key)
        chosen.append(draft)
        if progress:
            progress(len(chosen), count)
    now = utcnow()
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
    return {"cards": len(chosen), "skipped_existing": skipped, "llm_phrased": phrased}
