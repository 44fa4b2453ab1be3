"""Chunks follow the slides: a chunk never spans two pages and carries the slide's title."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from workers.ocr.line_cues import DROPPED, boilerplate_key, edge_key
from workers.ocr.roles import content_text, without_boilerplate

MIN_PREFIX = 12  # a running footer at least this long is cut off the start of a content line
_LEAD_NUMBERS = re.compile(r"^[\d\s./:-]+")


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


def deck_footers(pages: Iterable[tuple[str, Sequence[str] | None]]) -> frozenset[str]:
    """The keys of the lines the role pass marked footer on any page of the deck (page text, roles)."""
    keys = set()
    for text, roles in pages:
        for line, role in zip(text.split("\n"), roles or (), strict=False):
            key = boilerplate_key(line)
            if role == "footer" and len(key) >= 3:
                keys.add(key)
    return frozenset(keys)


def _without_footer_prefix(line: str, footers: frozenset[str]) -> str:
    """The line without a running footer glued to its start ("TSKS14 Multiple Antenna Communications
    2020-04-15 Channel from" -> "Channel from"): text extraction joins a header with the first words."""
    key = boilerplate_key(line)
    for footer in footers:
        if len(footer) >= MIN_PREFIX and key.startswith(footer + " "):
            for end in range(len(footer), len(line) + 1):
                if boilerplate_key(line[:end]) == footer:
                    rest = _LEAD_NUMBERS.sub("", line[end:]).strip()
                    return rest if rest else line
    return line


def _clean_figure_text(text: str, dropped: set[str], kept: set[str], footers: frozenset[str]) -> str:
    """A figure's caption and words without the page's own footer/meta lines (``dropped``: their keys, and
    their exact text for page numbers and dates) or the deck's footers unless the page's text keeps that line
    as content (``kept``): a figure region read by OCR often takes the slide's footer or, on a title slide
    drawn as a picture, the names with it."""
    out = []
    for line in without_boilerplate(text).split("\n"):
        line = _without_footer_prefix(line, footers)
        key = boilerplate_key(line)
        if edge_key(line) in dropped or (key and (key in dropped or (key in footers and key not in kept))):
            continue
        out.append(line)
    return "\n".join(out)


def page_chunks(
    *,
    text: str,
    source: str,
    notes: str = "",
    figure_texts: list[str] | None = None,
    max_words: int = 160,
    roles: Sequence[str] | None = None,
    footers: frozenset[str] = frozenset(),
) -> list[ChunkDraft]:
    """The page's text, then its speaker notes, then what its figures say (captions, words inside).
    With ``roles`` (one per line of ``text``), footer, course meta, credit and URL lines are left out, of
    the text and of the figures' words too; ``footers`` (``deck_footers``) are the deck's footer lines,
    left out of the figures' words and cut off the start of a content line they are glued to."""
    body = content_text(text, roles)
    if footers:
        body = "\n".join(_without_footer_prefix(line, footers) for line in body.split("\n"))
    pairs = list(zip(text.split("\n"), roles or (), strict=False))
    dropped = {f(line) for line, role in pairs if role in DROPPED for f in (boilerplate_key, edge_key)}
    kept = {boilerplate_key(line) for line, role in pairs if role and role not in DROPPED}
    # a bare page number or "(3)" would take every such number in a figure with it; dates stay in
    dropped = {k for k in dropped if k.count("#") >= 2 or any(ch.isalpha() for ch in k)}
    drafts = [ChunkDraft(piece, source) for piece in split_lines(body, max_words=max_words)]
    if notes.strip():
        drafts += [
            ChunkDraft(f"Speaker notes: {piece}", "notes")
            for piece in split_lines(notes, max_words=max_words)
        ]
    cleaned = (_clean_figure_text(x, dropped, kept, footers) for x in figure_texts or [])
    figure_body = "\n".join(t for t in cleaned if t.strip())
    if figure_body:
        drafts += [ChunkDraft(piece, "figure") for piece in split_lines(figure_body, max_words=max_words)]
    return drafts
