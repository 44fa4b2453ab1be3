"""Why a cheat sheet misses a key concept: for every key concept of a split's decks that the sheet does not
name, the first stage of the pipeline where it is lost.

    .venv/bin/python benchmarks/sheet_coverage.py --split dev [DIR] [--decks SUBSTR ...] [--out FILE.json]
    .venv/bin/python benchmarks/sheet_coverage.py --split dev /tmp/s15/scan --scanned  (scanned copies)

Stages (a concept is "there" when its name or an alias occurs as whole words, as in study_quality.py):
- absent: not in the text the reader got from the deck (a picture, a formula's symbols, or other words);
  "absent, its slides on the sheet" when the sheet has an entry from one of the concept's slides (the sheet
  speaks of it in other words), else "absent, its slides not on the sheet";
- cleaning: read, but not in the stored lecture text (line roles: credit, footer, meta);
- gate: stored, but refused by the readability gate (workers/generation/gate.py);
- not a candidate: readable, but in no definition, point, formula, figure caption or section title;
- not planned: a candidate, but no item the sheet could show says it (the sheet's rules refused it);
- cut by budget: planned, but not chosen within the page budget;
- rendered: chosen, yet not in the sheet's text (should not happen).

Only the cheat sheet is generated (the request's defaults). Tune on dev only.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from figure_crops import FigureFiles, FigureSource, rekey  # noqa: E402
from retrieval import CACHE, KINDS, clean_pages, deck_languages, read_pages  # noqa: E402
from study_quality import CONCEPTS, build, cheatsheet_entries, concepts_named  # noqa: E402


def _item_text(item: Any) -> str:
    parts = [item.text, *(s.title for s in item.sections)]
    if item.term is not None:
        parts.append(f"{item.term.term} — {item.term.definition}")
    if item.formula is not None:
        parts.append(item.formula.text)
    if item.point is not None:
        parts.append(item.point.text)
    if item.group is not None:
        parts.append(item.group.title)
    return " \n ".join(p for p in parts if p)


def _candidate_text(lc: Any) -> str:
    parts = [f"{d.term} — {d.definition}" for d in lc.definitions]
    parts += [f.text for f in lc.formulas]
    parts += [f.caption for f in lc.figures]
    for g in lc.groups:
        parts.append(g.title)
        parts += [p.text for p in g.points]
    parts += [s.title for s in lc.lecture.slides]
    return " \n ".join(parts)


@dataclass
class DeckSheet:
    """One deck's cheat sheet and the text each stage before it kept (sheet_losses.py reads them too)."""

    deck: Path
    concepts: list[dict[str, Any]]
    entries: list[dict[str, Any]]  # the sheet's entries, as cheatsheet_entries reads them
    pages: Any  # pages rendered, or the run's error code
    seconds: float
    path: Path | None  # the sheet's file (inside the run's temporary folder)
    lcs: list[Any]  # the candidates extracted from each stored lecture
    plans: list[list[Any]] = field(default_factory=list)  # plan_items' plans (none when it did not run)
    chosen: list[Any] = field(default_factory=list)  # select_items' choice
    texts: dict[str, str] = field(default_factory=dict)  # each stage's text, by STAGES' key
    material: list[Any] = field(default_factory=list)  # the stored lectures, before the gate


# the stages in order, each with the text a concept must be named in to get past it
STAGES = (
    ("absent", "raw"),
    ("cleaning", "stored"),
    ("gate", "gated"),
    ("not a candidate", "candidates"),
    ("not planned", "planned"),
    ("cut by budget", "chosen"),
)


def first_loss(ds: DeckSheet, concept: dict[str, Any]) -> str:
    """The first stage whose text does not name the concept ("rendered" when every one does)."""
    for stage, key in STAGES:
        if not concepts_named(ds.texts[key], [concept]):
            return stage
    return "rendered"


def parse_args(doc: str | None, out: str, keep: bool = False) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dir", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--split", choices=["dev"], default="dev")
    parser.add_argument("--decks", nargs="*", default=[])
    parser.add_argument("--out", default=out)
    parser.add_argument(
        "--scanned",
        action="store_true",
        help="DIR holds scan_decks.py's image-only copies (scored as their sources, as in study_quality.py)",
    )
    if keep:
        parser.add_argument("--keep", metavar="DIR", help="copy the generated sheets here")
    return parser.parse_args()


def deck_sheets(
    args: argparse.Namespace, prefix: str, before_run: Callable[[], None] | None = None
) -> Iterator[DeckSheet]:
    """Generate the cheat sheet of each chosen deck of the split (as study_quality.py does), one at a time.

    plan_items and select_items are spied on to keep what they planned and chose; `before_run` is called
    just before each deck's sheet is generated."""
    corpus = Path(args.dir)
    if not corpus.is_dir():
        corpus = ROOT.parents[1] / "shared" / "corpus"

    from shared.models import GeneratedDocument
    from workers.generation import cheatsheet
    from workers.generation.candidates import extract
    from workers.generation.material import load_material
    from workers.generation.service import GenerationEnv, run

    data = json.loads(CONCEPTS.read_text(encoding="utf-8"))
    entries = {d["deck"]: d for d in data["decks"] if d["split"] == args.split}
    paths = [corpus / n for n in sorted(entries) if not args.decks or any(s in n for s in args.decks)]
    from scan_decks import deck_sources

    source_of = deck_sources(corpus, paths, getattr(args, "scanned", False))  # a copy's deck: its source's
    paths = list(source_of)
    cache: dict[str, Any] = json.loads(CACHE.read_text(encoding="utf-8")) if CACHE.exists() else {}
    captured: dict[str, Any] = {}
    plan0, select0 = cheatsheet.plan_items, cheatsheet.select_items

    def plan_spy(*a: Any, **k: Any) -> Any:
        captured["plans"] = plan0(*a, **k)
        return captured["plans"]

    def select_spy(*a: Any, **k: Any) -> Any:
        captured["chosen"] = select0(*a, **k)
        return captured["chosen"]

    cheatsheet.plan_items, cheatsheet.select_items = plan_spy, select_spy
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        sources: dict[str, FigureSource] = {}
        files = FigureFiles(Path(tmp) / "files", sources)  # figures cropped as in study_quality.py
        decks: dict[Path, list[Any]] = {}
        raw: dict[Path, str] = {}
        for deck in paths:
            if deck.suffix.lower() not in KINDS:
                continue
            pages, _ = read_pages(deck, deck_languages(deck), cache, True)
            raw[deck] = " \n ".join(p.text for p in pages)
            decks[deck] = clean_pages(pages, files)
            sources.update(rekey(deck, pages))
        stack, user_id, subjects = build(decks, Path(tmp))
        env = GenerationEnv(session_factory=stack.factory, files=files, llm=None, settings=stack.settings)
        for deck in decks:
            captured.clear()
            if before_run is not None:
                before_run()
            start = time.perf_counter()
            try:
                out = run(
                    env,
                    job_id=None,
                    user_id=user_id,
                    subject_id=subjects[deck.name],
                    params={"kind": "cheatsheet"},
                )
            except Exception as exc:  # no readable text: every concept is lost before the sheet
                out = {"error": getattr(exc, "code", type(exc).__name__)}
            secs = time.perf_counter() - start
            with env.session_factory() as db:
                doc = db.get(GeneratedDocument, out["document_id"]) if "document_id" in out else None
                path = env.files.path(doc.storage_path) if doc else None
                sheet_entries = cheatsheet_entries(path) if path else []
                pdf_pages = doc.params.get("pages_rendered") if doc else out.get("error")
                material = load_material(db, user_id=user_id, subject_id=subjects[deck.name])
            lcs = [extract(lec) for lec in material]
            ds = DeckSheet(
                deck=deck,
                concepts=entries[source_of[deck]]["key_concepts"],
                entries=sheet_entries,
                pages=pdf_pages,
                seconds=secs,
                path=path,
                lcs=lcs,
                plans=captured.get("plans", []),
                chosen=captured.get("chosen", []),
                material=list(material),
            )
            ds.texts = {
                "raw": raw[deck],
                "stored": " \n ".join(f"{s.title} \n {s.text}" for lec in material for s in lec.slides),
                "gated": " \n ".join(f"{s.title} \n {s.text}" for lc in lcs for s in lc.lecture.slides),
                "candidates": " \n ".join(_candidate_text(lc) for lc in lcs),
                "planned": " \n ".join(_item_text(i) for plan in ds.plans for i in plan),
                "chosen": " \n ".join(_item_text(i) for i in ds.chosen),
                "sheet": " \n ".join(e["text"] for e in sheet_entries),
            }
            yield ds


def report(out: str, summary: dict[str, Any], rows: list[dict[str, Any]]) -> int:
    """Print the summary and write it with every deck's row to `out`."""
    print(json.dumps(summary, indent=1, ensure_ascii=False))
    Path(out).write_text(json.dumps({"summary": summary, "decks": rows}, ensure_ascii=False, indent=1))
    return 0


def main() -> int:
    args = parse_args(__doc__, "/tmp/sheet_coverage_dev.json", keep=True)
    rows: list[dict[str, Any]] = []
    tally: Counter[str] = Counter()
    for ds in deck_sheets(args, "bench-sheetcov-"):
        deck, concepts, sheet_entries = ds.deck, ds.concepts, ds.entries
        if args.keep and ds.path is not None:
            Path(args.keep).mkdir(parents=True, exist_ok=True)
            (Path(args.keep) / f"{deck.stem}.docx").write_bytes(ds.path.read_bytes())
        sheet_slides = {e["slide"] for e in sheet_entries if e["slide"]}
        covered = set(concepts_named(ds.texts["sheet"], concepts))
        missed = []
        for c in concepts:
            if c["concept"] in covered:
                continue
            reason = first_loss(ds, c)
            if reason == "absent":
                on_sheet = bool(set(c.get("slides", [])) & sheet_slides)
                reason = (
                    "absent, its slides on the sheet" if on_sheet else "absent, its slides not on the sheet"
                )
            tally[reason] += 1
            missed.append({"concept": c["concept"], "slides": c.get("slides"), "reason": reason})
        coverage = round(len(covered) / max(1, len(concepts)), 3)
        row = {
            "slides": [
                {
                    "page": sl.ref.page,
                    "title": sl.title,
                    "text": sl.text[:300],
                    "figures": len(sl.figures),
                }
                for lc in ds.lcs
                for sl in lc.lecture.slides
            ],
            "groups": [
                {
                    "title": g.title,
                    "pages": [r.page for r in g.refs],
                    "points": [p.text[:160] for p in g.points],
                }
                for lc in ds.lcs
                for g in lc.groups
            ],
            "planned": [
                f"{i.kind} {i.page} {i.cost:.1f}: {_item_text(i)[:160]}" for pl in ds.plans for i in pl
            ],
            "chosen": [f"{i.kind} {i.page}: {_item_text(i)[:100]}" for i in ds.chosen],
            "sheet": [e["text"] for e in sheet_entries],
            "deck": deck.name,
            "coverage": coverage,
            "entries": len(sheet_entries),
            "pages": ds.pages,
            "seconds": round(ds.seconds, 1),
            "missed": missed,
        }
        rows.append(row)
        print(
            f"{deck.name[:50]:50} cov {coverage:.2f} entries {row['entries']:3} "
            f"pages {ds.pages} s {ds.seconds:.1f}"
        )
        for m in missed:
            print(f"    {m['reason']:36} {m['concept'][:60]}  {m['slides']}")
    cov = [r["coverage"] for r in rows]
    summary = {
        "coverage": round(sum(cov) / max(1, len(cov)), 3),
        "missed_by_reason": dict(tally.most_common()),
    }
    return report(args.out, summary, rows)


if __name__ == "__main__":
    raise SystemExit(main())
