"""Fakes for answer tests: a subject, and a database session that returns it and its notes' rows."""

from __future__ import annotations

from typing import Any

from workers.ai.retrieval import Evidence


class FakeSubject:
    id, user_id, version = 7, 3, 1


class FakeRows:
    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self.rows = rows

    def all(self) -> list[tuple[Any, ...]]:
        return self.rows


class FakeDb:
    """The subject, and its notes' (title, text, source) rows for the refusal's vocabulary (none: not
    checked); ``chunks`` are the (chunk id, lecture, page, source, text) rows a query for the slides'
    chunks gets (workers.ai.slide_choice.page_chunks; none: each slide is its retrieved chunk alone)."""

    def __init__(
        self,
        notes: list[tuple[str, str, str]] | None = None,
        chunks: list[tuple[int, int, int, str, str]] | None = None,
    ) -> None:
        self.notes = notes or []
        self.chunks = chunks or []

    def get(self, _model: Any, _id: int) -> FakeSubject:
        return FakeSubject()

    def execute(self, query: Any) -> FakeRows:
        names = {getattr(c, "name", "") for c in getattr(query, "selected_columns", [])}
        return FakeRows(list(self.chunks) if "page_number" in names else list(self.notes))


def notes_of(evidence: list[Evidence]) -> list[tuple[str, str, str]]:
    """The (title, text, source) rows a subject holding these slides has."""
    return [(e.title, e.text, e.source) for e in evidence]
