"""Fakes for answer tests: a subject, and a database session that returns it and its notes' rows."""

from __future__ import annotations

from typing import Any

from workers.ai.retrieval import Evidence


class FakeSubject:
    id, user_id, version = 7, 3, 1


class FakeRows:
    def __init__(self, rows: list[tuple[str, str]]) -> None:
        self.rows = rows

    def all(self) -> list[tuple[str, str]]:
        return self.rows


class FakeDb:
    """The subject, and its notes' (title, text) rows for the refusal's vocabulary (none: not checked)."""

    def __init__(self, notes: list[tuple[str, str]] | None = None) -> None:
        self.notes = notes or []

    def get(self, _model: Any, _id: int) -> FakeSubject:
        return FakeSubject()

    def execute(self, _query: Any) -> FakeRows:
        return FakeRows(self.notes)


def notes_of(evidence: list[Evidence]) -> list[tuple[str, str]]:
    """The (title, text) rows a subject holding these slides has."""
    return [(e.title, e.text) for e in evidence]
