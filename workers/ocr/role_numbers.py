"""Page numbers that fit the deck's numbering.

A bare number at a page's edge ("7", "- 7 -", "Page 7", "7 / 24") is read as the page number, but numbers
sit at edges for other reasons too: a handout's numbered examples "(34)", "(35)" at the foot of page 6, a
chart's "0" tick under its axis. Page numbers follow the pages, so a bare number is one only where it fits:

- its offset from the page's position (``value - position``) is the offset of a page number on another page
  of the deck as well (a chapter excerpt numbered from 123, a deck that does not count its cover); page
  numbers are bare edge numbers and the numbers ending an edge line whose rest is at the edge of another
  page too ("10/25/2022 10", "Y. Cheng UVA DS5110 Spring '25 7"); within SKIPPED of it, since a deck's
  numbering skips its hidden slides, or
- it is at least 1 and at most one past the page's position (slides numbered from the first page, or fewer
  numbers than pages: beamer overlays share their frame's number, hidden slides are skipped).

A bare number that fits neither (and is no year) is content (``page_number_fit`` in role_rules.RULES).
Pure functions, linear in the deck's edge lines.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["Numbering", "bare_number", "deck_numbering", "fits_numbering"]

_BARE = re.compile(
    r"^[\s(\[\-–—|]*(?:(?:page|slide|p\.)\s*)?(\d{1,4})(?:\s*(?:/|of)\s*\d{1,4})?[\s)\]\-–—|.]*$", re.I
)


YEARS = (1900, 2099)
SKIPPED = 2  # a page number may run this far from a shared offset (hidden slides skipped before it)


def bare_number(line: str) -> int | None:
    """The number a line is made of ("(34)", "- 7 -", "Page 7", "7 / 24" -> 34, 7, 7, 7), else None."""
    found = _BARE.match(line)
    return int(found.group(1)) if found else None


@dataclass(frozen=True)
class Numbering:
    """A deck's page numbers: the offsets (number - position) that page numbers of two pages share."""

    offsets: frozenset[int] = frozenset()


def deck_numbering(edge_lines: Sequence[Iterable[str]]) -> Numbering:
    """The offsets that page numbers among the edge lines of at least two pages share (``edge_lines[k]``:
    page k's edge lines, digits restored). A rising run of numbers with varying offsets is not taken for a
    numbering (selected slides keeping theirs: 12, 17, 23): content numbers rise by chance too, and a
    number kept as content costs less than content dropped as a page number."""
    numbers: list[set[int]] = []
    ends: list[dict[str, int]] = []  # the rest of a line ending in a number -> that number
    for lines in edge_lines:
        found, ended = set(), {}
        for line in lines:
            value = bare_number(line)
            parts = line.rsplit(maxsplit=1)
            if value is not None:
                found.add(value)
            elif len(parts) == 2 and len(parts[1]) <= 4 and parts[1].isascii() and parts[1].isdigit():
                ended[parts[0]] = int(parts[1])
        numbers.append(found)
        ends.append(ended)
    rests = Counter(rest for ended in ends for rest in ended)
    pages_with: Counter[int] = Counter()
    for position, (found, ended) in enumerate(zip(numbers, ends, strict=True), start=1):
        found |= {n for rest, n in ended.items() if rests[rest] >= 2}
        pages_with.update({n - position for n in found})
    return Numbering(offsets=frozenset(offset for offset, pages in pages_with.items() if pages >= 2))


def fits_numbering(value: int, position: int, numbering: Numbering) -> bool:
    """A bare number ``value`` on the page at ``position`` (from 1) can be its page number, or is a year
    (a date's piece, which OCR splits off a footer's "10/25/2022": left to the date rules)."""
    return (
        any(abs(value - position - offset) <= SKIPPED for offset in numbering.offsets)
        or 1 <= value <= position + 1
        or YEARS[0] <= value <= YEARS[1]
    )
