"""A sentence with a phrase hidden as an Anki cloze, and the short digest that keys a card's source: shared by
flashcards.py and card_points.py (which flashcards imports: kept here so neither imports the other)."""

from __future__ import annotations

import hashlib
import re

from shared.text import fold
from workers.generation.candidates import blank_out
from workers.generation.validity import fragment_reason


def digest(text: str) -> str:
    return hashlib.sha1(fold(text).encode(), usedforsecurity=False).hexdigest()[:16]


def cloze(sentence: str, phrase: str) -> str | None:
    """The sentence with ``phrase`` hidden as it is written there (its own case), or None."""
    if fragment_reason(phrase):
        return None
    found = re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", sentence, re.IGNORECASE)
    written = found.group(0) if found else phrase
    marked = blank_out(sentence, phrase, "{{c1::" + written.replace("}", ")") + "}}")
    return marked if marked != sentence else None
