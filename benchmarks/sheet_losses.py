"""Where a cheat sheet loses each key concept it misses, down to the sheet rule refusing its line (dev only).

    SMARTNOTES_BENCH_PAGE_CACHE=... PYTHONPATH=. .venv/bin/python benchmarks/sheet_losses.py --split dev
        [DIR] [--decks SUBSTR ...] [--out FILE.json]

The stages are benchmarks/sheet_coverage.py's (a concept is "there" when its name or an alias occurs as whole
words; absent / cleaning / gate / not a candidate / not planned / cut by budget). A concept "not planned" (a
candidate line names it, no item the sheet could show does) is traced further: while the sheet is planned,
every rule `cheatsheet.plan_items` applies to a key term, a section title or a section's line is wrapped and
each refusal recorded with the text it judged (and, for a rule on a section's title or layout, the section's
lines). The concept's loss is the first refusal of a text that names it, preferring a refusal of the line
itself (`_point_lines`, `plan_items`) over one of the section as a list (`_shown_points`, which then falls
back to its lines). "no rule recorded": the line went by a step that is no wrapped rule (a table row of short
cells, a definition shown as a key term elsewhere, a slide title with no section, a closing slide's line no
other slide's title shares a word with). Measures only: the cheat sheet is generated as in study_quality.py.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from figure_crops import FigureFiles, FigureSource, rekey  # noqa: E402
from retrieval import CACHE, KINDS, clean_pages, deck_languages, read_pages  # noqa: E402
from sheet_coverage import _candidate_text, _item_text  # noqa: E402
from study_quality import CONCEPTS, build, cheatsheet_entries, concepts_named  # noqa: E402

OK_STYLE = ["entry_ok", "good_definition", "point_complete", "readable", "label_fit", "whole_sentence"]
REFUSE_STYLE = [
    "term_reason",
    "definition_reason",
    "point_reason",
    "spliced",
    "mixed_script",
    "worked_case",
    "agenda_like",
]
LINE_CALLERS = {"_point_lines", "plan_items"}


def _install(log: list[dict[str, Any]]) -> None:
    """Wrap the rules in cheatsheet's namespace so every refusal is logged with the text it judged."""
    from workers.generation import cheatsheet, sheet_cover, sheet_form

    def wrap(name: str, ok_style: bool) -> None:
        fn = getattr(cheatsheet, name)

        def spy(*a: Any, **k: Any) -> Any:
            out = fn(*a, **k)
            if (not out) if ok_style else bool(out):
                caller = sys._getframe(1)
                g = caller.f_locals.get("g")
                context = (
                    " \n ".join(p.text for p in g.points)
                    if g is not None and name != "whole_sentence"
                    else ""
                )
                rule = f"{name}: {out}" if isinstance(out, str) else name
                log.append(
                    {
                        "rule": rule,
                        "caller": caller.f_code.co_name,
                        "text": " \n ".join(str(x) for x in a if isinstance(x, str)),
                        "context": context,
                    }
                )
            return out

        setattr(cheatsheet, name, spy)

    for n in OK_STYLE:
        wrap(n, True)
    for n in REFUSE_STYLE:
        wrap(n, False)
    names_case0 = sheet_cover.names_case

    def names_case(title: str, cases: Any) -> bool:
        out = names_case0(title, cases)
        if out:
            log.append({"rule": "names_case", "caller": "plan_items", "text": title, "context": ""})
        return out

    sheet_cover.names_case = names_case
    refuses0 = sheet_form.FormGate.refuses

    def refuses(self: Any, label: str, body: str) -> bool:
        out = refuses0(self, label, body)
        if out:
            why = sheet_form.form_reason(label, body, self.lang, self.vocab)
            caller = sys._getframe(1).f_code.co_name
            log.append(
                {"rule": f"form: {why}", "caller": caller, "text": f"{label} \n {body}", "context": ""}
            )
        return out

    sheet_form.FormGate.refuses = refuses  # type: ignore[method-assign]


def _rule_for(concept: dict[str, Any], log: list[dict[str, Any]]) -> tuple[str, str]:
    """The first logged refusal of a line naming the concept (its line preferred), and that line."""
    one = [concept]
    hits = [e for e in log if concepts_named(e["text"], one)]
    lines = [e for e in hits if e["caller"] in LINE_CALLERS]
    if lines:
        return lines[0]["rule"], lines[0]["text"]
    if hits:
        return f"{hits[0]['rule']} (as a list)", hits[0]["text"]
    ctx = [e for e in log if concepts_named(e["context"], one)]
    if ctx:
        return f"{ctx[0]['rule']} (its section's title)", ctx[0]["text"]
    return "no rule recorded", ""


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dir", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--split", choices=["dev"], default="dev")
    parser.add_argument("--decks", nargs="*", default=[])
    parser.add_argument("--out", default="/tmp/sheet_losses_dev.json")
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
    log: list[dict[str, Any]] = []
    _install(log)
    plan0, select0 = cheatsheet.plan_items, cheatsheet.select_items

    def plan_spy(*a: Any, **k: Any) -> Any:
        captured["plans"] = plan0(*a, **k)
        return captured["plans"]

    def select_spy(*a: Any, **k: Any) -> Any:
        captured["chosen"] = select0(*a, **k)
        return captured["chosen"]

    cheatsheet.plan_items, cheatsheet.select_items = plan_spy, select_spy
    stages: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-sheetloss-") as tmp:
        sources: dict[str, FigureSource] = {}
        files = FigureFiles(Path(tmp) / "files", sources)
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
        from shared.models import GeneratedDocument

        for deck in decks:
            concepts = entries[deck.name]["key_concepts"]
            captured.clear()
            log.clear()
            try:
                out = run(
                    env,
                    job_id=None,
                    user_id=user_id,
                    subject_id=subjects[deck.name],
                    params={"kind": "cheatsheet"},
                )
            except Exception as exc:  # no readable text
                out = {"error": getattr(exc, "code", type(exc).__name__)}
            with env.session_factory() as db:
                doc = db.get(GeneratedDocument, out["document_id"]) if "document_id" in out else None
                sheet_entries = cheatsheet_entries(env.files.path(doc.storage_path)) if doc else []
                material = load_material(db, user_id=user_id, subject_id=subjects[deck.name])
            sheet = " \n ".join(e["text"] for e in sheet_entries)
            stored = " \n ".join(f"{s.title} \n {s.text}" for lec in material for s in lec.slides)
            lcs = [extract(lec) for lec in material]
            gated = " \n ".join(f"{s.title} \n {s.text}" for lc in lcs for s in lc.lecture.slides)
            cands = " \n ".join(_candidate_text(lc) for lc in lcs)
            planned = " \n ".join(_item_text(i) for plan in captured.get("plans", []) for i in plan)
            chosen = " \n ".join(_item_text(i) for i in captured.get("chosen", []))
            covered = set(concepts_named(sheet, concepts))
            missed = []
            for c in concepts:
                if c["concept"] in covered:
                    continue
                one, rule, line, every = [c], "", "", []
                if not concepts_named(raw[deck], one):
                    stage = "absent from the reader's text"
                elif not concepts_named(stored, one):
                    stage = "cleaning (line roles)"
                elif not concepts_named(gated, one):
                    stage = "readability gate"
                elif not concepts_named(cands, one):
                    stage = "in the text, never a candidate"
                elif not concepts_named(planned, one):
                    stage = "candidate refused by a sheet rule"
                    rule, line = _rule_for(c, log)
                    seen = [e for e in log if concepts_named(f"{e['text']} {e['context']}", one)]
                    every = sorted({f"{e['rule']} [{e['caller']}]: {e['text'][:200]}" for e in seen})
                    rules[rule.split(" (")[0] if "(" in rule and rule.endswith(")") else rule] += 1
                elif not concepts_named(chosen, one):
                    stage = "cut by the page budget (or said by a chosen entry)"
                else:
                    stage = "chosen, not rendered"
                stages[stage] += 1
                missed.append(
                    {
                        "concept": c["concept"],
                        "slides": c.get("slides"),
                        "stage": stage,
                        "rule": rule,
                        "line": line[:300],
                        "refusals": every[:12],  # every refusal of a text naming it, for reading
                    }
                )
            rows.append(
                {"deck": deck.name, "covered": len(covered), "concepts": len(concepts), "missed": missed}
            )
            print(f"{deck.name[:50]:50} covered {len(covered)}/{len(concepts)}")
            for m in missed:
                print(f"    {m['stage'][:34]:34} {m['rule'][:40]:40} {m['concept'][:50]}  {m['slides']}")
                if m["line"]:
                    print(f"        line: {m['line'][:160]!r}")
    summary = {
        "missed": sum(stages.values()),
        "by_stage": dict(stages.most_common()),
        "by_rule": dict(rules.most_common()),
    }
    print(json.dumps(summary, indent=1, ensure_ascii=False))
    Path(args.out).write_text(json.dumps({"summary": summary, "decks": rows}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
