"""Candidate refusal rules on a qa_refuse_lab.py record, each rule's knobs chosen leaving one dev deck out.

    .venv/bin/python benchmarks/qa_refuse_eval.py --record REC.json [--list]

OBJECTIVE, fixed before any run (qa_lodo.py's): J = cites gold + key phrase - 2 x falsely refused + off-topic
refused (the first three over the answerable items, the last over the off-topic items and the own-language
probes). For every dev deck the rule's setting with the best J on the other nine decks scores the held-out
deck; the ten held-out decks are pooled. Ties go to the setting listed first (the one closest to main's rule).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

Row = dict[str, Any]
curve: list[tuple[dict[str, float], dict[str, float]]] = []
held_out: list[
    tuple[Row, Row, bool]
] = []  # the last lodo()'s held-out decisions  # the last lodo()'s in-sample figures per setting
Rule = Callable[[Row, dict[str, float]], bool]


def rates(rows: list[tuple[Row, Row, bool]]) -> dict[str, float]:
    ans = [(r, yes) for i, r, yes in rows if i["answerable"]]
    off = [yes for i, _, yes in rows if not i["answerable"]]
    f = {
        "cites": sum(yes and r["cites"] for r, yes in ans) / max(len(ans), 1),
        "key": sum(yes and r["key"] for r, yes in ans) / max(len(ans), 1),
        "false_ref": sum(not yes for _, yes in ans) / max(len(ans), 1),
        "off_ref": sum(not yes for yes in off) / max(len(off), 1),
        "n_false": sum(not yes for _, yes in ans),
        "n_off_ans": sum(off),
    }
    f["J"] = f["cites"] + f["key"] - 2 * f["false_ref"] + f["off_ref"]
    return f


def lodo(
    items: dict[str, Row], rows: dict[str, Row], rule: Rule, grid: list[dict[str, float]]
) -> tuple[dict[str, float], dict[str, Any], dict[str, float], dict[str, float]]:
    """Pooled held-out figures, the setting chosen per deck, the in-sample best's figures, the first
    setting's figures."""
    decided = [{k: rule(rows[k], p) for k in rows} for p in grid]
    decks = sorted({i["deck"] for i in items.values()})
    pooled: list[tuple[Row, Row, bool]] = []
    choice = {}
    for deck in decks:
        best, pick = -1e9, 0
        for n, d in enumerate(decided):
            j = rates([(items[k], rows[k], d[k]) for k in rows if items[k]["deck"] != deck])["J"]
            if j > best + 1e-9:
                best, pick = j, n
        choice[deck.split("_")[0] if not deck.startswith("ocr") else deck.split("_")[1]] = grid[pick]
        pooled += [(items[k], rows[k], decided[pick][k]) for k in rows if items[k]["deck"] == deck]
    curve.clear()
    curve.extend((grid[n], rates([(items[k], rows[k], d[k]) for k in rows])) for n, d in enumerate(decided))
    alls = [rates([(items[k], rows[k], d[k]) for k in rows]) for d in decided]
    best_n = max(range(len(grid)), key=lambda n: alls[n]["J"])
    held_out.clear()
    held_out.extend(pooled)
    return rates(pooled), choice, {**alls[best_n], "setting": grid[best_n]}, alls[0]  # type: ignore[dict-item]


def fmt(f: dict[str, float]) -> str:
    return (
        f"cites {f['cites']:.3f} key {f['key']:.3f} false_ref {f['false_ref']:.3f} ({f['n_false']}) "
        f"off_ref {f['off_ref']:.3f} (answered {f['n_off_ans']}) J {f['J']:.3f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--record", required=True, type=Path)
    parser.add_argument(
        "--also",
        nargs="*",
        type=Path,
        default=[],
        help="records of the same decks with garbled notes: a fold holds its deck out of every record",
    )
    parser.add_argument("--only", default="", help="rules whose name contains this")
    parser.add_argument("--curve", action="store_true", help="every setting's in-sample figures")
    args = parser.parse_args()
    saved = json.loads(args.record.read_text("utf-8"))
    from qa_refuse_rules import RULES, enrich

    enrich(saved)
    items, rows = dict(saved["items"]), dict(saved["rows"])
    for k in list(items):
        items[k] = {**items[k], "record": args.record.name}
    for path in args.also:
        more = json.loads(path.read_text("utf-8"))
        enrich(more)
        items.update({f"{path.name}:{k}": {**v, "record": path.name} for k, v in more["items"].items()})
        rows.update({f"{path.name}:{k}": v for k, v in more["rows"].items()})
    for name, (rule, settings) in RULES.items():
        if args.only not in name:
            continue
        pooled, choice, best, first = lodo(items, rows, rule, settings)
        print(f"\n== {name} ({len(settings)} settings)")
        print(f"  first setting {settings[0]}: {fmt(first)}")
        print(f"  held out, pooled:   {fmt(pooled)}")
        print(f"  in-sample best {best['setting']}: {fmt(best)}")
        if args.also:
            for rec in dict.fromkeys(i["record"] for i in items.values()):
                print(f"    held out, {rec}: {fmt(rates([x for x in held_out if x[0]['record'] == rec]))}")
        if args.curve:
            for setting, f in curve:
                print(f"    {setting}: {fmt(f)}")
        print("  chosen: " + ", ".join(f"{d}:{list(v.values())}" for d, v in choice.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
