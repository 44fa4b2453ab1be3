"""Why a cheat sheet misses a key concept: for every key concept of a split's decks that the sheet does not
name, the first stage of the pipeline where it is lost.

    .venv/bin/python benchmarks/sheet_coverage.py --split dev [DIR] [--decks SUBSTR ...] [--out FILE.json]

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


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dir", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--split", choices=["dev"], default="dev")
    parser.add_argument("--decks", nargs="*", default=[])
    parser.add_argument("--out", default="/tmp/sheet_coverage_dev.json")
    parser.add_argument("--keep", metavar="DIR", help="copy the generated sheets here")
    args = parser.parse_args()
    corpus = Path(args.dir)
    if not corpus.is_dir():
        corpus = ROOT.parents[1] / "shared" / "corpus"

    from workers.generation import cheatsheet
    from workers.generation.candidates import extract
    from workers.generation.material import load_material
    from workers.generation.service import GenerationEnv, run

    data = json.loads(CONCEPTS.read_text(encoding="utf-8"))
    entries = {d["deck"]: d for d in data["decks"] if d["split"] == args.split}
    paths = [corpus / n for n in sorted(entries) if not args.decks or any(s in n for s in args.decks)]
    cache: dict[str, Any] = json.loads(CACHE.read_text(encoding="utf-8")) if CACHE.exists() else {}
    captured: dict[str, Any] = {}
    plan0, select0 = cheatsheet.plan_items, cheatsheet.select_items

    def plan_spy(*a: Any, **k: Any) -> Any:
        captured["plans"] = plan0(*a, **k)
        return captured["plans"]

    def select_spy(*a: Any, **k: Any) -> Any:
        captured["chosen"] = select0(*a, **k)
        return captured["chosen"]

    cheatsheet.plan_items, cheatsheet.select_items = plan_spy, select_spy  # type: ignore[assignment]
    rows, tally = [], Counter()
    with tempfile.TemporaryDirectory(prefix="bench-sheetcov-") as tmp:
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
            concepts = entries[deck.name]["key_concepts"]
            start = time.perf_counter()
            captured.clear()
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
            from shared.models import GeneratedDocument

            with env.session_factory() as db:
                doc = db.get(GeneratedDocument, out["document_id"]) if "document_id" in out else None
                sheet_entries = cheatsheet_entries(env.files.path(doc.storage_path)) if doc else []
                pdf_pages = doc.params.get("pages_rendered") if doc else out.get("error")
                material = load_material(db, user_id=user_id, subject_id=subjects[deck.name])
            if args.keep and doc is not None:
                Path(args.keep).mkdir(parents=True, exist_ok=True)
                (Path(args.keep) / f"{deck.stem}.docx").write_bytes(
                    env.files.path(doc.storage_path).read_bytes()
                )
            sheet = " \n ".join(e["text"] for e in sheet_entries)
            sheet_slides = {e["slide"] for e in sheet_entries if e["slide"]}
            stored = " \n ".join(f"{s.title} \n {s.text}" for lec in material for s in lec.slides)
            lcs = [extract(lec) for lec in material]
            gated = " \n ".join(f"{s.title} \n {s.text}" for lc in lcs for s in lc.lecture.slides)
            cands = " \n ".join(_candidate_text(lc) for lc in lcs)
            planned = (
                " \n ".join(_item_text(i) for plan in captured["plans"] for i in plan)
                if "plans" in captured
                else ""
            )
            chosen = " \n ".join(_item_text(i) for i in captured.get("chosen", []))
            covered = set(concepts_named(sheet, concepts))
            missed = []
            for c in concepts:
                if c["concept"] in covered:
                    continue
                one = [c]
                if not concepts_named(raw[deck], one):
                    on_sheet = bool(set(c.get("slides", [])) & sheet_slides)
                    reason = (
                        "absent, its slides on the sheet"
                        if on_sheet
                        else "absent, its slides not on the sheet"
                    )
                elif not concepts_named(stored, one):
                    reason = "cleaning"
                elif not concepts_named(gated, one):
                    reason = "gate"
                elif not concepts_named(cands, one):
                    reason = "not a candidate"
                elif not concepts_named(planned, one):
                    reason = "not planned"
                elif not concepts_named(chosen, one):
                    reason = "cut by budget"
                else:
                    reason = "rendered"
                tally[reason] += 1
                missed.append({"concept": c["concept"], "slides": c.get("slides"), "reason": reason})
            row = {
                "slides": [
                    {
                        "page": sl.ref.page,
                        "title": sl.title,
                        "text": sl.text[:300],
                        "figures": len(sl.figures),
                    }
                    for lc in lcs
                    for sl in lc.lecture.slides
                ],
                "groups": [
                    {
                        "title": g.title,
                        "pages": [r.page for r in g.refs],
                        "points": [p.text[:160] for p in g.points],
                    }
                    for lc in lcs
                    for g in lc.groups
                ],
                "planned": [
                    f"{i.kind} {i.page} {i.cost:.1f}: {_item_text(i)[:160]}"
                    for pl in captured.get("plans", [])
                    for i in pl
                ],
                "chosen": [f"{i.kind} {i.page}: {_item_text(i)[:100]}" for i in captured.get("chosen", [])],
                "sheet": [e["text"] for e in sheet_entries],
                "deck": deck.name,
                "coverage": round(len(covered) / max(1, len(concepts)), 3),
                "entries": len(sheet_entries),
                "pages": pdf_pages,
                "seconds": round(secs, 1),
                "missed": missed,
            }
            rows.append(row)
            print(
                f"{deck.name[:50]:50} cov {row['coverage']:.2f} entries {row['entries']:3} "
                f"pages {pdf_pages} s {secs:.1f}"
            )
            for m in missed:
                print(f"    {m['reason']:36} {m['concept'][:60]}  {m['slides']}")
    cov = [r["coverage"] for r in rows]
    summary = {
        "coverage": round(sum(cov) / max(1, len(cov)), 3),
        "missed_by_reason": dict(tally.most_common()),
    }
    print(json.dumps(summary, indent=1, ensure_ascii=False))
    Path(args.out).write_text(json.dumps({"summary": summary, "decks": rows}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
