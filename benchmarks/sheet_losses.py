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

import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from sheet_coverage import deck_sheets, first_loss, parse_args, report  # noqa: E402
from study_quality import concepts_named  # noqa: E402

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
# sheet_coverage.py's stages, as this report names them
STAGE_NAMES = {
    "absent": "absent from the reader's text",
    "cleaning": "cleaning (line roles)",
    "gate": "readability gate",
    "not a candidate": "in the text, never a candidate",
    "not planned": "candidate refused by a sheet rule",
    "cut by budget": "cut by the page budget (or said by a chosen entry)",
    "rendered": "chosen, not rendered",
}


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
    args = parse_args(__doc__, "/tmp/sheet_losses_dev.json")
    log: list[dict[str, Any]] = []
    _install(log)
    stages: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    rows = []
    for ds in deck_sheets(args, "bench-sheetloss-", before_run=log.clear):
        concepts = ds.concepts
        covered = set(concepts_named(ds.texts["sheet"], concepts))
        missed = []
        for c in concepts:
            if c["concept"] in covered:
                continue
            one, rule, line, every = [c], "", "", []
            stage = STAGE_NAMES[first_loss(ds, c)]
            if stage == STAGE_NAMES["not planned"]:
                rule, line = _rule_for(c, log)
                seen = [e for e in log if concepts_named(f"{e['text']} {e['context']}", one)]
                every = sorted({f"{e['rule']} [{e['caller']}]: {e['text'][:200]}" for e in seen})
                rules[rule.split(" (")[0] if "(" in rule and rule.endswith(")") else rule] += 1
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
            {"deck": ds.deck.name, "covered": len(covered), "concepts": len(concepts), "missed": missed}
        )
        print(f"{ds.deck.name[:50]:50} covered {len(covered)}/{len(concepts)}")
        for m in missed:
            print(f"    {m['stage'][:34]:34} {m['rule'][:40]:40} {m['concept'][:50]}  {m['slides']}")
            if m["line"]:
                print(f"        line: {m['line'][:160]!r}")
    summary = {
        "missed": sum(stages.values()),
        "by_stage": dict(stages.most_common()),
        "by_rule": dict(rules.most_common()),
    }
    return report(args.out, summary, rows)


if __name__ == "__main__":
    raise SystemExit(main())
