"""One fact once on a cheat sheet: a key term whose words a section's point already says ("Acceptor RNN — one
output neuron per class" beside "Training: Acceptor RNN: one output neuron per class ..."), or two key terms
with the same definition ("Security and resilience — Resilience is ..." and "Resilience — ..."), spend the
page on a duplicate a student would not keep twice (rubric W3). So do two points whose lines say the same
content words: a slide explaining one by one the list of the slide before it ("Design guidelines: Base
decisions on an explicit security policy" under "Design guidelines for secure systems engineering: Base
security decisions on an explicit security policy"); the one on the earlier slide stays, whichever is chosen
first.

``said`` gives an entry's content words (stemmed, stop words dropped); ``covered`` tells whether one
entry's words are (nearly) all in another's.
"""

from __future__ import annotations

import re
from typing import Any, Protocol, TypeVar

from shared.text import is_stopword, tokens

COVERED_SHARE = 0.8
MIN_WORDS = 2
MIN_LINE_WORDS = 3
_SYMBOL = re.compile(r"\b[A-Z][a-z]?\b")


class Entry(Protocol):
    """A sheet item: its kind ("term", "point", ...) and its content words."""

    @property
    def kind(self) -> str: ...

    @property
    def words(self) -> frozenset[str]: ...

    @property
    def page(self) -> int: ...

    @property
    def point(self) -> Any: ...  # a section's line (``.text``), or None


E = TypeVar("E", bound=Entry)


def said(text: str, lang: str | None = None) -> frozenset[str]:
    """The content words of an entry (label and content), symbols too: "E — the set of edges" and "Ew —
    the set of edge weights" differ."""
    found = set(tokens(text, lang=lang, stem=True, min_len=1, cjk="bigrams"))
    # "E", "Ew", "Vw": a symbol kept as written ("In", "It" are words)
    found |= {f"symbol:{w}" for w in _SYMBOL.findall(text) if len(w) == 1 or not is_stopword(w.lower())}
    return frozenset(found)


def covered(inner: frozenset[str], outer: frozenset[str], share: float = COVERED_SHARE) -> bool:
    """True when ``outer`` says (nearly) every content word of ``inner``: ``inner`` adds nothing to it."""
    if len(inner) < MIN_WORDS or not outer:
        return False
    return len(inner & outer) >= share * len(inner)


def replaced_terms(item: E, mine: list[E]) -> list[E] | None:
    """The chosen key terms ``item`` makes redundant (it says all they say), or None when a chosen key term
    (or, for a term, a chosen point) already says all ``item`` says. Of two terms saying the same, the one
    with fewer other words stays; of two points whose lines say the same words, the one on the earlier slide
    (a chosen point on a later slide gives its place back)."""
    if not item.words:
        return []
    out = []
    for c in mine:
        if item.kind == c.kind == "point" and _same_line(item, c):
            if item.page >= c.page:
                return None  # the line again on a later slide ("Base decisions on ..." after "Base ...")
            out.append(c)
            continue
        if "term" not in (item.kind, c.kind):
            continue  # a section's points are its own, in its order
        if covered(item.words, c.words):
            if not (item.kind == c.kind == "term" and len(item.words) < len(c.words)):
                return None
            out.append(c)  # the same definition under a wordier label
        elif c.kind == "term" and covered(c.words, item.words):
            out.append(c)
    return out


def _same_line(a: Entry, b: Entry) -> bool:
    """Two points whose lines (labels left out) say the same content words, at least MIN_LINE_WORDS of them:
    "Base security decisions on an explicit security policy" and "Base decisions on an explicit security
    policy"; a line that adds a word says more."""
    if a.point is None or b.point is None:
        return False
    words = said(a.point.text)
    return len(words) >= MIN_LINE_WORDS and words == said(b.point.text)
