"""benchmarks/roles_changed.py --compare: every line whose role differs between two dumps, "body" for none."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from roles_changed import compare


def test_only_lines_whose_role_moved_are_listed() -> None:
    before = {"text|deck.pdf": [[["Title", "title"], ["(34)", "footer"], ["x is y", "definition"]]]}
    after = {"text|deck.pdf": [[["Title", "title"], ["(34)", ""], ["x is y", "definition"]]]}
    assert compare(before, after) == ["text|deck.pdf p1: footer -> body '(34)'"]
    assert compare(before, before) == []


def test_decks_in_one_dump_only_are_skipped() -> None:
    assert compare({"text|a.pdf": [[["l", "title"]]]}, {"text|b.pdf": [[["l", "body"]]]}) == []
