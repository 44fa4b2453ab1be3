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
SEQUENCE_MIN = 3  # pages of a rising run of single edge numbers that make it the deck's numbering
SKIPPED = 2  # a page number may run this far from a shared offset (hidden slides skipped before it)


def bare_number(line: str) -> int | None:
    """The number a line is made of ("(34)", "- 7 -", "Page 7", "7 / 24" -> 34, 7, 7, 7), else None."""
    found = _BARE.match(line)
    return int(found.group(1)) if found else None


@dataclass(frozen=True)
class Numbering:
    """A deck's page numbers: offsets (number - position) that two pages share, and the (position, number)
    pairs of a rising sequence of single edge numbers."""

    offsets: frozenset[int] = frozenset()
    sequence: frozenset[tuple[int, int]] = frozenset()


def deck_numbering(edge_lines: Sequence[Iterable[str]]) -> Numbering:
    """The deck's page numbers from its pages' edge lines (``edge_lines[k]``: page k's, digits restored):
    offsets that page numbers of at least two pages share, and the longest run of pages with ONE bare edge
    number each whose numbers rise with the pages (selected slides keeping their numbers 12, 17, 23, ...;
    a 2-up handout's 2, 4, 6) when it holds at least SEQUENCE_MIN pages. A page with several bare numbers at
    its edges (a handout's examples "(34)", "(35)") gives none to the sequence."""
    numbers: list[set[int]] = []
    ends: list[dict[str, int]] = []  # the rest of a line ending in a number -> that number
    singles: list[tuple[int, int]] = []
    for position, lines in enumerate(edge_lines, start=1):
        found, ended = set(), {}
        bare = []
        for line in lines:
            value = bare_number(line)
            parts = line.rsplit(maxsplit=1)
            if value is not None:
                found.add(value)
                bare.append(value)
            elif len(parts) == 2 and len(parts[1]) <= 4 and parts[1].isascii() and parts[1].isdigit():
                ended[parts[0]] = int(parts[1])
        numbers.append(found)
        ends.append(ended)
        if len(bare) == 1:
            singles.append((position, bare[0]))
    rests = Counter(rest for ended in ends for rest in ended)
    pages_with: Counter[int] = Counter()
    for position, (found, ended) in enumerate(zip(numbers, ends, strict=True), start=1):
        found |= {n for rest, n in ended.items() if rests[rest] >= 2}
        pages_with.update({n - position for n in found})
    rising = _rising(singles)
    return Numbering(
        offsets=frozenset(offset for offset, pages in pages_with.items() if pages >= 2),
        sequence=frozenset(rising) if len(rising) >= SEQUENCE_MIN else frozenset(),
    )


def _rising(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of (position, number) pairs, in position order, whose numbers strictly rise
    (patience sorting, n log n)."""
    tails: list[int] = []  # tails[k]: index in pairs of the smallest end of a rising run of length k + 1
    before: list[int] = [-1] * len(pairs)
    for k, (_, value) in enumerate(pairs):
        at = _bisect(pairs, tails, value)
        if at:
            before[k] = tails[at - 1]
        if at == len(tails):
            tails.append(k)
        else:
            tails[at] = k
    out: list[tuple[int, int]] = []
    k = tails[-1] if tails else -1
    while k >= 0:
        out.append(pairs[k])
        k = before[k]
    return out[::-1]


def _bisect(pairs: list[tuple[int, int]], tails: list[int], value: int) -> int:
    lo, hi = 0, len(tails)
    while lo < hi:
        mid = (lo + hi) // 2
        if pairs[tails[mid]][1] < value:
            lo = mid + 1
        else:
            hi = mid
    return lo


def fits_numbering(value: int, position: int, numbering: Numbering) -> bool:
    """A bare number ``value`` on the page at ``position`` (from 1) can be its page number, or is a year
    (a date's piece, which OCR splits off a footer's "10/25/2022": left to the date rules)."""
    return (
        any(abs(value - position - offset) <= SKIPPED for offset in numbering.offsets)
        or (position, value) in numbering.sequence
        or 1 <= value <= position + 1
        or YEARS[0] <= value <= YEARS[1]
    )
