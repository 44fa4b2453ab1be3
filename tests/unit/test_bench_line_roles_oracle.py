"""benchmarks/line_roles.py --oracle: each product line takes the role most of its matched labels have, a
majority-vote bound on the matched lines (two labels glued into one line cost; unmatched labels are left out,
as in every score of the benchmark)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from line_roles import match, oracle_roles


def test_glued_lines_cost_the_minority_label() -> None:
    labelled = [
        {"line": 0, "text": "Query plans", "role": "title"},
        {"line": 1, "text": "SELECT name FROM users", "role": "code"},
        {"line": 2, "text": "lists the users by name", "role": "body"},
        {"line": 3, "text": "Plans are trees of operators", "role": "body"},
    ]
    # the reader glued the code and the body line after it into one line
    lines = ["Query plans", "SELECT name FROM users lists the users by name", "Plans are trees of operators"]
    matched = match(labelled, lines)
    assert matched == [0, 1, 1, 2]
    best = oracle_roles(labelled, matched)
    assert best == {0: "title", 1: "code", 2: "body"}  # a tie goes to the first label
    roles = [best[i] for i in matched if i is not None]
    assert sum(r == row["role"] for r, row in zip(roles, labelled, strict=True)) == 3


def test_unmatched_labels_get_no_role() -> None:
    labelled = [{"line": 0, "text": "A line the reader never saw", "role": "body"}]
    assert oracle_roles(labelled, [None]) == {}
