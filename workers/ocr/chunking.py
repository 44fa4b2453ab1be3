"""Chunks follow the slides: a chunk never spans two pages and carries the slide's title."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workers.ocr.roles import content_text, without_boilerplate


@dataclass(frozen=True)
class ChunkDraft:
    text: str
    source: str


def split_lines(body: str, *, max_words: int) -> list[str]:
    """Group a page's lines into pieces of about ``max_words``, never breaking a line (bullets stay whole)."""
    lines = [line for line in body.split("\n") if line.strip()]
    chunks: list[str] = []
    current: list[str] = []
    words = 0
    for line in lines:
        n = len(line.split())
        if current and words + n > max_words:
            chunks.append("\n".join(current))
            current, words = [], 0
        current.append(line)
        words += n
    if current:
        chunks.append("\n".join(current))
    return chunks


def page_chunks(
    *,
    text: str,
    source: str,
    notes: str = "",
    figure_texts: list[str] | None = None,
    max_words: int = 160,
    roles: Sequence[str] | None = None,
) -> list[ChunkDraft]:
    """The page's text, then its speaker notes, then what its figures say (captions, words inside).
    With ``roles`` (one per line of ``text``), footer, course meta, credit and URL lines are left out."""
    body = content_text(text, roles)
    drafts = [ChunkDraft(piece, source) for piece in split_lines(body, max_words=max_words)]
    if notes.strip():
        drafts += [
            ChunkDraft(f"Speaker notes: {piece}", "notes")
            for piece in split_lines(notes, max_words=max_words)
        ]
    figure_body = "\n".join(t for t in (without_boilerplate(x) for x in figure_texts or []) if t.strip())
    if figure_body:
        drafts += [ChunkDraft(piece, "figure") for piece in split_lines(figure_body, max_words=max_words)]
    return drafts
