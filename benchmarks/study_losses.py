"""Where candidate cards and quiz questions are lost, per stage and deck (dev only).

    PYTHONPATH=. .venv/bin/python benchmarks/study_losses.py --split dev [DIR] [--decks SUBSTR ...]
        [--out FILE.json] [--show STAGE ...]

Each deck is read and stored as benchmarks/study_quality.py does (same page cache, same cleaning), its
candidates extracted (workers.generation.candidates.extract), and then:

- cards: every draft the flashcard builder considers (definitions, lists, slide points, figures) is run
  through the builder's stages in the builder's order (flashcards._drafts, then card_drafts' source and
  form checks) and the first stage that refuses it is counted; the survivors are what the salience ranking,
  the near-duplicate removal and the requested count then choose from (also counted);
- quiz: every seed of QuizBuilder.seeds() is built (all of them, not only until the count is reached), and
  each is counted as refused by its builder (the builder's name), a repeated prompt or key, or
  QuizBuilder._keep's reason; the survivors are what the salience gate, the true/false balance and the
  count then choose from.

A replica of flashcards._drafts' per-candidate checks (kept in step by hand; study_quality.py is the
measure, this script only says where). --out writes every refused candidate with its stage for reading, and
as ``render`` the item it would have been where one can be made (study_quality.py's export form; the
blind-judge sample of benchmarks/study_refused.py); ``~kept`` lists what passed every stage.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from figure_crops import FigureFiles, rekey  # noqa: E402
from retrieval import CACHE, clean_pages, deck_languages, read_pages, store_decks  # noqa: E402

from shared.text import fold  # noqa: E402
from workers.generation import flashcards as fc  # noqa: E402

Lost = dict[str, list[dict[str, Any]]]


def _lose(lost: Lost, stage: str, **item: Any) -> None:
    lost[stage].append(item)


def _card(kind: str, front: str | None, back: str, page: int) -> dict[str, Any] | None:
    """A refused card as it would read had its stage passed (study_quality.py's export form), or None."""
    if not front or not back:
        return None
    return {"type": "card", "card_kind": kind, "slide": page, "figure_id": None, "front": front, "back": back}


def card_losses(lc: Any, count: int) -> tuple[Lost, int, int]:
    """The first refusing stage of every card draft of one lecture; the drafts left, and the cards made."""
    from workers.generation.card_forms import form_problem, lecture_text, list_cloze, list_problem
    from workers.generation.cardrules import agenda_like, cloze_ok, good_definition, list_ok, named_precisely
    from workers.generation.keyterms import key_terms, list_units, term_in
    from workers.generation.quiz_statements import concept_names, resolved
    from workers.generation.sheet_labels import term_reason
    from workers.generation.structure import structured, worked_case

    lost: Lost = defaultdict(list)
    lang = lc.text_lang
    layout = structured(lc)
    names = concept_names(lc, [d.term for d in layout.definitions])
    terms = sorted({*key_terms(lc), *names}, key=len, reverse=True)
    section = {r.page: g.title for g in lc.groups for r in g.refs}
    text = lecture_text([(s.title, s.text) for s in lc.lecture.slides])
    drafts: list[fc.CardDraft] = []

    def form(d: fc.CardDraft) -> str | None:
        return form_problem(d.kind, d.front, d.back, lang, figure=d.figure_id is not None, lecture_text=text)

    for d in [*lc.definitions, *layout.definitions]:
        item: dict[str, Any] = {"term": d.term, "definition": d.definition, "page": d.ref.page}
        tried = f"{d.term}: {d.definition}."
        tried = d.sentence if fc.contains_phrase(d.sentence, d.term) else tried
        marked_try = fc.cloze(tried, d.term)
        item["render"] = (
            _card("basic", d.term, d.definition, d.ref.page)
            if named_precisely(d.term) or not marked_try
            else _card("cloze", marked_try, tried, d.ref.page)
        )
        if not good_definition(d.term, d.definition, lang):
            _lose(lost, "def:good_definition", **item)
            continue
        if worked_case(section.get(d.ref.page, "")):
            _lose(lost, "def:worked_case", **item)
            continue
        if reason := term_reason(d.term, lang):
            _lose(lost, f"def:term_reason:{reason}", **item)
            continue
        term_card = fc.CardDraft("basic", d.term, d.definition, d.ref, "")
        sentence = d.sentence if fc.contains_phrase(d.sentence, d.term) else f"{d.term}: {d.definition}."
        ok = cloze_ok(sentence, d.term, lang, definition=True)
        marked = fc.cloze(sentence, d.term) if ok else None
        cloze_card = fc.CardDraft("cloze", marked, sentence, d.ref, "") if marked else None
        if named_precisely(d.term) and fc.valid(term_card, lang) and not form(term_card):
            drafts.append(term_card)
        elif cloze_card and not form(cloze_card):
            drafts.append(cloze_card)
        elif not named_precisely(d.term) and not cloze_card:
            _lose(lost, "def:one_word_term_no_cloze", **item)
        elif not named_precisely(d.term) and cloze_card:
            item["render"] = _card("cloze", cloze_card.front, cloze_card.back, d.ref.page)
            _lose(lost, f"def:cloze_form:{form(cloze_card)}", **item, front=cloze_card.front)
        elif not fc.valid(term_card, lang):
            _lose(lost, "def:card_problem", **item)
        else:
            _lose(lost, f"def:term_form:{form(term_card)}", **item)
    titles = [g.title for g in lc.groups]
    units = list_units(lc)
    units += [u for u in layout.lists if fold(u.title) not in {fold(x.title) for x in units}]
    for unit in units:
        item = {"title": unit.title, "items": unit.items, "page": unit.ref.page}
        if unit.items:  # the first item's card, as _list_cards would make it
            first = list_cloze(unit.title, unit.items, 0)
            item["render"] = _card("cloze", first, unit.items[0], unit.ref.page)
        others = [x for x in titles if fold(x) != fold(unit.title)]
        if agenda_like(unit.items, others, lang):
            _lose(lost, "list:agenda_like", **item)
            continue
        if not list_ok(unit.title, unit.items, lang):
            _lose(lost, "list:list_ok", **item)
            continue
        if reason := list_problem(unit.title, unit.items, lang):
            _lose(lost, f"list:list_problem:{reason}", **item)
            continue
    for listed in fc._list_cards(lc, layout.lists):
        if reason := form(listed):
            shown = _card(listed.kind, listed.front, listed.back, listed.ref.page)
            _lose(
                lost,
                f"list:form:{reason}",
                front=listed.front,
                back=listed.back,
                page=listed.ref.page,
                render=shown,
            )
        else:
            drafts.append(listed)
    asked = Counter(fold(d.term) for d in lc.definitions)
    narrow = [x for x in terms if not fc._specific(x) and not fc.lecture_topic(x, lc)]
    for g in lc.groups:
        for p in (p for p in g.points if not p.is_definition):
            for sentence in resolved(p.text, names, lang):
                item = {"sentence": sentence, "title": g.title, "page": p.ref.page}
                item["render"] = _point_card(sentence, terms, narrow, p.ref.page)
                if len(sentence) > 240:
                    _lose(lost, "point:too_long", **item)
                    continue
                if not fc.statement_like(sentence):
                    _lose(lost, "point:not_statement_like", **item)
                    continue
                if fc.find_definition(sentence, p.ref):
                    _lose(lost, "point:is_definition", **item)
                    continue
                specific = [x for x in terms if fc._specific(x)]
                phrase = term_in(sentence, specific) or fc.subject_word(sentence, narrow)
                if not phrase:
                    plain = term_in(sentence, terms)
                    stage = "point:only_one_word_term" if plain else "point:no_key_term"
                    _lose(lost, stage, **item, term=plain)
                    continue
                item["term"] = phrase
                item["render"] = _card("cloze", fc.cloze(sentence, phrase), sentence, p.ref.page)
                if asked[fold(phrase)] >= fc.MAX_ASKED:
                    _lose(lost, "point:term_asked_twice", **item)
                    continue
                if fold(phrase) == fold(sentence):
                    _lose(lost, "point:term_is_sentence", **item)
                    continue
                if len(g.title.split()) >= 4 and fold(g.title) in fold(sentence):
                    _lose(lost, "point:title_merged", **item)
                    continue
                if fc.leans_on_title(sentence, phrase, g.title):
                    _lose(lost, "point:leans_on_title", **item)
                    continue
                if not cloze_ok(sentence, phrase, lang):
                    _lose(lost, "point:cloze_ok", **item)
                    continue
                marked = fc.cloze(sentence, phrase)
                if not marked:
                    _lose(lost, "point:no_cloze", **item)
                    continue
                draft = fc.CardDraft("cloze", marked, sentence, p.ref, "")
                if reason := form(draft):
                    _lose(lost, f"point:form:{reason}", **item, front=marked)
                    continue
                asked[fold(phrase)] += 1
                drafts.append(draft)
                break
    # the figure cards and everything after drafting: as the builder runs them
    figures = [d for d in fc._drafts(lc, fc.Phraser(None, budget_seconds=0))["figure"]]
    drafts += figures
    from workers.generation.card_forms import asks, fact_of, same_fact, same_sentence
    from workers.generation.cue_checks import class_remark
    from workers.generation.source_checks import LectureChecks

    check = LectureChecks(lc.lecture, lang)
    given: dict[str, list[tuple[str, str, str]]] = {}
    taught: list[str] = []
    kept: list[dict[str, Any]] = []
    left = 0
    for d in drafts:
        item = {"kind": d.kind, "front": d.front, "back": d.back, "page": d.ref.page}
        item["render"] = _card(d.kind, d.front, d.back, d.ref.page)
        if d.figure_id is not None:  # a figure card's picture: not cropped here, so not shown to a judge
            item["render"] = None
        if problems := check.card(d.kind, d.front, d.back, d.ref.page, figure=d.figure_id is not None):
            _lose(lost, f"check:{problems[0]}", **item)
            continue
        if class_remark(d.kind, d.front, d.back):
            _lose(lost, "check:class_remark", **item)
            continue
        card = (d.kind, d.front, d.back)
        same = given.setdefault(asks(d.kind, d.front), [])
        fact = fact_of(*card)
        if any(same_sentence(fact, x) for x in taught):
            _lose(lost, "dedupe:same_sentence", **item)
            continue
        if not fc.valid(d, lang):
            _lose(lost, "check:card_problem", **item)
            continue
        if any(same_fact(card, g) for g in same):
            _lose(lost, "dedupe:same_fact", **item)
            continue
        same.append(card)
        taught.append(fact)
        kept.append(item)
        left += 1
    lost["~kept"] = kept  # not a loss: the drafts left for salience, dedupe and the count
    return lost, left, len(drafts)


def _point_card(sentence: str, terms: list[str], narrow: list[str], page: int) -> dict[str, Any] | None:
    """A slide line's cloze had every stage passed: its specific key term, else its subject word, else any
    key term it names; None when it names none (nothing to hide)."""
    from workers.generation.keyterms import term_in

    specific = [x for x in terms if fc._specific(x)]
    phrase = term_in(sentence, specific) or fc.subject_word(sentence, narrow) or term_in(sentence, terms)
    if not phrase or fold(phrase) == fold(sentence):
        return None
    return _card("cloze", fc.cloze(sentence, phrase), sentence, page)


def quiz_shown(question: Any) -> dict[str, Any]:
    """A quiz question in study_quality.py's export form."""
    return {
        "type": "quiz",
        "question_kind": question.kind,
        "slide": question.source.page,
        "stem": question.prompt,
        "options": list(question.options),
        "key": question.answer_text,
        "explanation": question.explanation,
    }


Rebuild = Any  # (builder, seed's build) -> (question or None, the gates that refused it, first first)


def quiz_losses(lc: Any, rebuild: Rebuild = None) -> tuple[Lost, int, int]:
    """Every quiz seed built and kept or refused; (refusals by stage, kept, seeds). ``rebuild`` builds a seed
    its builder refused with the builder's gates passed (study_refused.py), to show what was refused."""
    from workers.generation.phrasing import Phraser
    from workers.generation.quiz import QuizBuilder
    from workers.generation.quiz_balance import even_case

    reasons: list[str] = []

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            args = record.args if isinstance(record.args, tuple) else ()
            reasons.append(str(args[0]) if args else "?")

    qlog = logging.getLogger("workers.generation.quiz")
    handler = Catch(logging.DEBUG)
    qlog.addHandler(handler)
    qlog.setLevel(logging.DEBUG)
    lost: Lost = defaultdict(list)
    builder = QuizBuilder([lc], Phraser(None, budget_seconds=0), difficulty="medium", seed=0)
    kept = n = 0
    used: set[str] = set()
    prompts: set[str] = set()
    try:
        for seed in builder.seeds():
            n += 1
            func = seed.build
            name = getattr(getattr(func, "func", func), "__name__", "?").lstrip("_")
            what = {"kind": seed.kind, "key": seed.key, "page": seed.order[1]}
            question = func()
            if question is None:
                if rebuild is not None:
                    shown, gates = rebuild(builder, func)
                    what.update(render=quiz_shown(shown) if shown else None, gates=gates)
                _lose(lost, f"build:{name}", **what)
                continue
            what.update(stem=question.prompt, options=question.options, answer=question.answer_text)
            if seed.key in used or fold(question.prompt) in prompts:
                _lose(lost, "dedupe:key_or_prompt", **what, render=quiz_shown(question))
                continue
            reasons.clear()
            kept_q = builder._keep(even_case(question))
            what["render"] = quiz_shown(question)
            if not kept_q:
                _lose(lost, f"keep:{reasons[0] if reasons else 'no_key_term'}", **what)
                continue
            lost["~kept"].append(what)  # not a loss: left for salience, the true/false balance and the count
            used.add(seed.key)
            prompts.add(fold(question.prompt))
            kept += 1
    finally:
        qlog.removeHandler(handler)
    return lost, kept, n


def deck_paths(corpus: str, split: str, decks: list[str]) -> list[Path]:
    """The split's decks (benchmarks/data/study_concepts.json), those naming one of ``decks`` if any."""
    data = json.loads((ROOT / "benchmarks" / "data" / "study_concepts.json").read_text(encoding="utf-8"))
    names = sorted(d["deck"] for d in data["decks"] if d["split"] == split)
    return [Path(corpus) / n for n in names if not decks or any(s in n for s in decks)]


def run_losses(paths: list[Path], rebuild: Rebuild = None) -> dict[str, Any]:
    """Every deck read, stored and extracted as study_quality.py does; its card and quiz losses, printed."""
    from workers.generation.candidates import extract
    from workers.generation.material import load_material

    cache: dict[str, Any] = json.loads(CACHE.read_text(encoding="utf-8")) if CACHE.exists() else {}
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-losses-") as tmp:
        files = FigureFiles(Path(tmp) / "files", {})
        decks = {}
        for deck in paths:
            pages, _ = read_pages(deck, deck_languages(deck), cache, True)
            decks[deck] = clean_pages(pages, files)
            rekey(deck, pages)
        _settings, factory, user_id, subjects, _ = store_decks(decks, Path(tmp))
        for deck in paths:
            with factory() as db:
                material = load_material(db, user_id=user_id, subject_id=subjects[deck.name])
            lectures = [extract(m) for m in material]
            lc = lectures[0]
            card_lost, cards_left, drafts = card_losses(lc, 50)
            quiz_lost, quiz_left, seeds = quiz_losses(lc, rebuild)
            out[deck.name] = {
                "slides": len(lc.lecture.slides),
                "candidates": {
                    "definitions": len(lc.definitions),
                    "points": sum(len(g.points) for g in lc.groups),
                    "groups": len(lc.groups),
                    "figures": len(lc.figures),
                },
                "card_drafts": drafts,
                "cards_left": cards_left,
                "quiz_seeds": seeds,
                "quiz_left": quiz_left,
                "card_lost": {k: v for k, v in sorted(card_lost.items())},
                "quiz_lost": {k: v for k, v in sorted(quiz_lost.items())},
            }
            r = out[deck.name]
            print(
                f"\n{deck.name[:40]:40} slides {r['slides']} cand {r['candidates']} "
                f"card drafts {drafts} left {cards_left}; quiz seeds {seeds} left {quiz_left}"
            )
            for k, v in sorted(card_lost.items(), key=lambda kv: -len(kv[1])):
                if k == "~kept":
                    continue
                print(f"   card {k:45} {len(v)}")
            for k, v in sorted(quiz_lost.items(), key=lambda kv: -len(kv[1])):
                if k != "~kept":
                    print(f"   quiz {k:45} {len(v)}")
    return out


def dev_parser(doc: str | None) -> argparse.ArgumentParser:
    """The corpus folder, --split dev and --decks (also study_refused.py's)."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dir", nargs="?", default=str(ROOT.parents[1] / "shared" / "corpus"))
    parser.add_argument("--split", choices=["dev"], required=True, help="dev only: refusals are read")
    parser.add_argument("--decks", nargs="*", default=[])
    return parser


def main() -> int:
    parser = dev_parser(__doc__)
    parser.add_argument("--out", help="every refusal, by deck and stage (JSON)")
    args = parser.parse_args()

    out = run_losses(deck_paths(args.dir, args.split, args.decks))
    total_c: Counter[str] = Counter()
    total_q: Counter[str] = Counter()
    for r in out.values():
        total_c.update({k: len(v) for k, v in r["card_lost"].items() if k != "~kept"})
        total_q.update({k: len(v) for k, v in r["quiz_lost"].items() if k != "~kept"})
    print("\ncards, all decks:", total_c.most_common(25))
    print("quiz, all decks:", total_q.most_common(25))
    if args.out:
        Path(args.out).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
