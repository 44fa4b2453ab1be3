"""benchmarks/sheet_bound.py: a concept counts toward the bound only when the reader's text names it (or an
alias) as whole words, as study_quality.py scores a sheet."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from sheet_bound import bound

CONCEPTS = [
    {"concept": "Gradient descent", "aliases": ["steepest descent"]},
    {"concept": "Overfitting", "aliases": []},
    {"concept": "Learning rate", "aliases": ["step size"]},
]


def test_named_concepts_and_aliases_count() -> None:
    text = "Gradient descent moves against the gradient. \n The step size must be small."
    assert bound(text, CONCEPTS) == 2


def test_parts_of_words_do_not_count() -> None:
    assert bound("descent rates; overfittings of learning", CONCEPTS) == 0
    assert bound("", CONCEPTS) == 0
