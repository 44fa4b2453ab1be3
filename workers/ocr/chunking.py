"""Chunks follow the slides: a chunk never spans two pages and carries the slide's title."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workers.ocr.line_cues import DROPPED, boilerplate_key, edge_key, is_credit, is_url
from workers.ocr.role_meta import meta_shape
from workers.ocr.roles import content_text

if TYPE_CHECKING:
    from workers.ocr.content import PageContent

MIN_PREFIX = 12  # a running footer at least this long is cut off the start of a content line
_LEAD_NUMBERS = re.compile(r"^[\d\s./:-]+")
_PAGE_NUMBER_END = re.compile(r"(?:^|\s+)\d{1,4}$")


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


def _after_footer(line: str, footers: frozenset[str]) -> str | None:
    """What follows the shortest running footer the line starts with, its leading numbers cut ("" when
    nothing does); None when the line starts with no footer. The shortest: a footer with words glued to
    it is a footer key of its own page too."""
    key = boilerplate_key(line)
    for footer in sorted(footers, key=len):
        if len(footer) >= MIN_PREFIX and key.startswith(footer + " "):
            # OCR split the running line and glued its second part to the words: "TSKS14 Multiple Antenna"
            # and "TSKS14 Multiple Antenna Communications" are both footers; cut the longer one so built
            words = key[len(footer) :].split()
            for n in range(1, min(len(words), 8)):  # a split header's second part is a few words
                if " ".join([footer, *words[:n]]) in footers:
                    footer = " ".join([footer, *words[:n]])
            for end in range(len(footer), len(line) + 1):
                if boilerplate_key(line[:end]) == footer:
                    return _LEAD_NUMBERS.sub("", line[end:]).strip()
    return None


def _without_footer_suffix(line: str, footers: frozenset[str]) -> str:
    """The line without a running footer and its page number glued to its end ("... such attacks Chapter 13
    Security Engineering 19" -> "... such attacks"): OCR reads a slide's last line and the footer beside it
    as one."""
    key = boilerplate_key(line)
    if not _PAGE_NUMBER_END.search(line.rstrip()):
        return line  # the running footer comes with its page number ("Read Chapter 13 Security Engineering")
    for footer in sorted(footers, key=len, reverse=True):
        if len(footer) >= MIN_PREFIX and key.endswith(" " + footer):
            for start in range(len(line) - 1, max(0, len(line) - 4 * len(footer) - 40), -1):
                if boilerplate_key(line[start:]) == footer:
                    rest = line[:start].rstrip()
                    return rest if sum(ch.isalpha() for ch in rest) >= 2 else line
    return line


def _without_footer_prefix(line: str, footers: frozenset[str]) -> str:
    """The line without a running footer glued to its start ("TSKS14 Multiple Antenna Communications
    2020-04-15 Channel from" -> "Channel from"): text extraction joins a header with the first words."""
    rest = _after_footer(line, footers)
    return rest if rest else line


def footer_remainder(line: str, footers: frozenset[str]) -> str:
    """The words a footer line carries after the deck's running footer ("Database Management Systems, R.
    Ramakrishnan and J. Gehrke policyid cost 32" -> "policyid cost"): text extraction glued a figure's
    labels to it, and they are the slide's content. "" when there are none, or when they are only a page
    number or have a course-meta shape themselves (a term or date after a shorter footer)."""
    rest = _after_footer(line, footers)
    if not rest:
        return ""
    rest = _PAGE_NUMBER_END.sub("", rest).strip()
    key = boilerplate_key(rest)
    if sum(ch.isalpha() for ch in rest) < 2 or key in footers or meta_shape(rest, rare_names=False):
        return ""
    return rest


def figure_line_cut(line: str, dropped: set[str], kept: set[str], footers: frozenset[str]) -> str:
    """Why a line of a figure's caption or words is left out of the chunks ("" when it stays): "url" or
    "credit" by its own form, "page footer/meta" when the page's text drops the same line (``dropped``:
    their keys, and their exact text for page numbers and dates), "deck footer" when it is one of the deck's
    footers that the page's text does not keep as content (``kept``): a figure region read by OCR often
    takes the slide's footer or, on a title slide drawn as a picture, the names with it."""
    if is_url(line):
        return "url"
    if is_credit(line):
        return "credit"
    line = _without_footer_prefix(line, footers)
    key = boilerplate_key(line)
    if edge_key(line) in dropped or (key and key in dropped):
        return "page footer/meta"
    if key and key in footers and key not in kept:
        return "deck footer"
    return ""


def _clean_figure_text(text: str, dropped: set[str], kept: set[str], footers: frozenset[str]) -> str:
    """A figure's caption and words without the lines ``figure_line_cut`` leaves out, running footers cut
    off the start of the others."""
    return "\n".join(
        _without_footer_prefix(line, footers)
        for line in text.split("\n")
        if not figure_line_cut(line, dropped, kept, footers)
    )


def page_drop_keys(text: str, roles: Sequence[str] | None) -> tuple[set[str], set[str]]:
    """The keys of the page's dropped lines (footer, meta, credit, URL) and of its content lines."""
    pairs = list(zip(text.split("\n"), roles or (), strict=False))
    dropped = {f(line) for line, role in pairs if role in DROPPED for f in (boilerplate_key, edge_key)}
    kept = {boilerplate_key(line) for line, role in pairs if role and role not in DROPPED}
    # a bare page number or "(3)" would take every such number in a figure with it; dates stay in
    dropped = {k for k in dropped if k.count("#") >= 2 or any(ch.isalpha() for ch in k)}
    return dropped, kept


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
    left out of the figures' words and cut off the start of a content line they are glued to; words glued
    after a footer line (``footer_remainder``) stay, at the end of the page's text."""
    body = content_text(text, roles)
    if footers:
        body = "\n".join(
            _without_footer_suffix(_without_footer_prefix(line, footers), footers)
            for line in body.split("\n")
        )
        lines = text.split("\n")
        if roles and len(roles) == len(lines):
            glued = [footer_remainder(x, footers) for x, r in zip(lines, roles, strict=True) if r == "footer"]
            body = "\n".join([body, *(x for x in glued if x)]).strip()
    dropped, kept = page_drop_keys(text, roles)
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


def content_chunks(content: PageContent, footers: frozenset[str] = frozenset()) -> list[ChunkDraft]:
    """The chunks of a page as read (text, notes, figures' captions and words, line roles): what
    ``store_pages`` stores and the benchmarks measure."""
    figure_texts = ["\n".join(x for x in (f.caption, f.text) if x) for f in content.figures]
    return page_chunks(
        text=content.text,
        source=content.source,
        notes=content.notes,
        figure_texts=figure_texts,
        roles=content.roles,
        footers=footers,
    )
