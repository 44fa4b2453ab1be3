"""How many dev candidates have the forms workers/generation/item_cuts.py refuses (dev only).

    SMARTNOTES_BENCH_PAGE_CACHE=<copy> PYTHONPATH=. .venv/bin/python benchmarks/item_cuts_audit.py --split dev
        [DIR] [--scanned] [--decks SUBSTR ...]

Each deck is read, stored and extracted as benchmarks/study_quality.py does (same page cache, same
cleaning); then, on the candidate material (before any gate of the sheet, the quiz or the cards):
- ``cut_term``: key terms, defined terms, section titles and list items ending on a function word;
- ``cut_mid_word``: definitions and slide points whose last word the slide writes longer there;
- ``wrapped_cut``: definitions and points cut where a line wrapped while the next line ends the sentence;
- ``exam_option``: slides with the options of a multiple-choice question, and candidates taken from them;
- ``outline``: item lists whose items are mostly other sections' or slides' titles (cardrules.agenda_like
  with item_cuts' loose match, against cardrules.other_titles).
Every hit is printed with its deck and slide, then the counts. The items the generator makes are compared
with benchmarks/study_quality.py's exports of main and the branch (and the blind verdicts of
benchmarks/results/session16/match_judged.py), not here.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from figure_crops import FigureFiles, rekey  # noqa: E402
from retrieval import CACHE, clean_pages, deck_languages, read_pages, store_decks  # noqa: E402
from scan_decks import scanned_name  # noqa: E402

from workers.generation.cardrules import agenda_like, other_titles  # noqa: E402
from workers.generation.item_cuts import (  # noqa: E402
    cut_mid_word,
    cut_term,
    from_options,
    option_lines,
    wrapped_cut,
)


def audit(lc: object, deck: str, counts: Counter[str]) -> None:
    from workers.generation.keyterms import key_terms, list_units

    lang = lc.text_lang  # type: ignore[attr-defined]
    lines = {s.ref.page: [x for x, _ in s.lines] for s in lc.lecture.slides}  # type: ignore[attr-defined]

    def hit(rule: str, page: object, text: str) -> None:
        counts[rule] += 1
        print(f"{deck[:28]:28} {rule:22} {page!s:>6} | {text[:110]}")

    for term in key_terms(lc):  # type: ignore[arg-type]
        if cut_term(term, lang):
            hit("cut_term:key_term", "-", term)
    for d in lc.definitions:  # type: ignore[attr-defined]
        on = lines.get(d.ref.page, [])
        if cut_term(d.term, lang):
            hit("cut_term:defined", d.ref.page, d.term)
        if cut_mid_word(d.definition, on, lang):
            hit("cut_mid_word:definition", d.ref.page, d.definition)
        if wrapped_cut(f"{d.term} — {d.definition}", on):
            hit("wrapped_cut:definition", d.ref.page, d.definition)
        if from_options(f"{d.term} {d.definition}", on):
            hit("exam_option:definition", d.ref.page, d.definition)
    for g in lc.groups:  # type: ignore[attr-defined]
        if cut_term(g.title, lang):
            hit("cut_term:section", g.refs[0].page, g.title)
        for p in g.points:
            on = lines.get(p.ref.page, [])
            if cut_mid_word(p.text, on, lang):
                hit("cut_mid_word:point", p.ref.page, p.text)
            if wrapped_cut(p.text, on):
                hit("wrapped_cut:point", p.ref.page, p.text)
            if from_options(p.text, on):
                hit("exam_option:point", p.ref.page, p.text)
    for page, on in lines.items():
        if option_lines(on):
            hit("exam_option:slide", page, " / ".join(on[n] for n in sorted(option_lines(on))))
    for u in list_units(lc):  # type: ignore[arg-type]
        if agenda_like(u.items, other_titles(lc, u.title), lang):
            hit("outline:list", u.ref.page, f"{u.title}: {' • '.join(u.items)}")
        for item in u.items:
            if cut_term(item, lang):
                hit("cut_term:list_item", u.ref.page, item)


def main() -> int:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw)
    parser.add_argument("dir", nargs="?", default=str(ROOT.parents[1] / "shared" / "corpus"))
    parser.add_argument("--split", choices=["dev"], required=True, help="dev only")
    parser.add_argument("--scanned", action="store_true", help="DIR holds scan_decks.py's image-only copies")
    parser.add_argument("--decks", nargs="*", default=[])
    args = parser.parse_args()

    from workers.generation.candidates import extract
    from workers.generation.material import load_material

    data = json.loads((ROOT / "benchmarks" / "data" / "study_concepts.json").read_text(encoding="utf-8"))
    names = sorted(d["deck"] for d in data["decks"] if d["split"] == args.split)
    corpus = Path(args.dir)
    paths = [corpus / (scanned_name(Path(n)) if args.scanned else n) for n in names]
    paths = [p for p in paths if p.exists() and (not args.decks or any(s in p.name for s in args.decks))]
    cache = json.loads(CACHE.read_text(encoding="utf-8")) if CACHE.exists() else {}
    counts: Counter[str] = Counter()
    with tempfile.TemporaryDirectory(prefix="bench-cuts-") as tmp:
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
            for m in material:
                audit(extract(m), deck.name, counts)
    print("\ncounts:", dict(sorted(counts.items())) or "none")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
