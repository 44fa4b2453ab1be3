"""How far two people agree on line roles: the frozen labels against a second, independent annotation.

    .venv/bin/python benchmarks/line_roles_agreement.py

benchmarks/data/line_roles_second.jsonl relabels every line of 61 of the 126 labelled pages (about half of
each deck's pages, drawn at random with seed 7) without the first annotator's labels (see
benchmarks/data/README.md). Printed per split: accuracy, Cohen's kappa, the macro-F1 of the second annotator
scored as if it were a system (over the roles of the frozen labels, the way line_roles.py scores the product),
and per-role precision/recall/F1. It says what a line-role target means: a system that matches the frozen
labels better than a second person does is learning one annotator's habits. No product code runs here.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST = ROOT / "benchmarks" / "data" / "line_roles.jsonl"
SECOND = ROOT / "benchmarks" / "data" / "line_roles_second.jsonl"


def load(path: Path) -> dict[tuple[str, int, int], dict[str, object]]:
    rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return {(str(r["deck"]), int(r["page"]), int(r["line"])): r for r in rows}


def kappa(pairs: list[tuple[str, str]]) -> float:
    """Cohen's kappa of two label sequences."""
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[r] * second[r] for r in first) / (n * n)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def scores(pairs: list[tuple[str, str]]) -> tuple[float, list[tuple[str, int, float, float, float]]]:
    """Macro-F1 over the first annotator's roles, and (role, n, precision, recall, F1) per role."""
    rows = []
    for role in sorted({a for a, _ in pairs}):
        tp = sum(a == role and b == role for a, b in pairs)
        gold = sum(a == role for a, _ in pairs)
        pred = sum(b == role for _, b in pairs)
        p, r = tp / pred if pred else 0.0, tp / gold
        rows.append((role, gold, p, r, 2 * p * r / (p + r) if p + r else 0.0))
    return sum(f for *_, f in rows) / len(rows), rows


def main() -> int:
    first, second = load(FIRST), load(SECOND)
    missing = [k for k in second if k not in first or first[k]["text"] != second[k]["text"]]
    if missing:
        print(f"{len(missing)} second-annotation lines do not match the frozen set, e.g. {missing[:3]}")
        return 1
    for split in ("dev", "test", "all"):
        pairs = [
            (str(first[k]["role"]), str(second[k]["role"]))
            for k in second
            if split == "all" or first[k]["split"] == split
        ]
        macro, rows = scores(pairs)
        accuracy = sum(a == b for a, b in pairs) / len(pairs)
        head = f"{split}: {len(pairs)} lines  accuracy {accuracy:.3f}  kappa {kappa(pairs):.3f}"
        print(f"\n{head}  macro-F1 {macro:.3f}")
        for role, n, p, r, f in rows:
            print(f"  {role:<12} n={n:>3}  P {p:.2f}  R {r:.2f}  F1 {f:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
