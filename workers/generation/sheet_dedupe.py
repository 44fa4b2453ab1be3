"""One fact once on a cheat sheet: a key term whose words a section's point already says ("Acceptor RNN — one
output neuron per class" beside "Training: Acceptor RNN: one output neuron per class ..."), or two key terms
with the same definition ("Security and resilience — Resilience is ..." and "Resilience — ..."), spend the
page on a duplicate a student would not keep twice (rubric W3).

``said`` gives an entry's content words (stemmed, stop words dropped); ``covered`` tells whether one
entry's words are (nearly) all in another's.
"""

from __future__ import annotations

import re
from typing import Protocol, TypeVar

from shared.text import is_stopword, tokens

COVERED_SHARE = 0.8
MIN_WORDS = 2
_SYMBOL = re.compile(r"\b[A-Z][a-z]?\b")


class Entry(Protocol):
    """A sheet item: its kind ("term", "point", ...) and its content words."""

    @property
    def kind(self) -> str: ...

    @property
    def words(self) -> frozenset[str]: ...


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
    with fewer other words stays."""
    if not item.words:
        return []
    out = []
    for c in mine:
        if "term" not in (item.kind, c.kind):
            continue  # a section's points are its own, in its order
        if covered(item.words, c.words):
            if not (item.kind == c.kind == "term" and len(item.words) < len(c.words)):
                return None
            out.append(c)  # the same definition under a wordier label
        elif c.kind == "term" and covered(c.words, item.words):
            out.append(c)
    return out
