"""How a slide's lines make whole items: which line is a bullet (OCR's glyphs for one included), and which
line is the wrapped rest of the one before it (PDF text layers break lines mid-sentence)."""

from __future__ import annotations

import re

from shared.text import has_cjk, stopwords

BULLETS = "•◦▪▫‣⁃●○■□►▶❖◆◇➢➤✓✔-*–"
_NUMBERED = re.compile(r"^(\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")
_CONNECTIVE_END = re.compile(
    r"(\b(and|or|of|the|a|an|to|in|for|with|by|on|as|that|which|is|are|y|de|la|el|en)|[,(\-–/])$", re.I
)
# The glyphs OCR makes of a bullet ("% A major strength", "¢ This set", "+ In translating"): a bullet
# when a word follows.
_OCR_BULLET = re.compile(r"^[%¢«»~+]\s+(?=[^\W\d_])")
# A glossary item's head: a short capitalised term (perhaps with its symbol or abbreviation in brackets)
# then a dash or a colon: "Forget gate (f) - controls ...", "Input gate: decides ..." (any dash).
_GLOSSARY_HEAD = re.compile(r"^[A-Z][\w'’/-]*(?: [\w'’/-]+){0,4}(?: \([^()]{1,12}\))?(?: [–—-] |: )\S")


def is_bullet(line: str) -> bool:
    return bool(line) and (line[0] in BULLETS or bool(_NUMBERED.match(line)) or bool(_OCR_BULLET.match(line)))


def strip_bullet(line: str) -> str:
    line = _OCR_BULLET.sub("", line.strip(), count=1)
    if line and line[0] in BULLETS:
        line = line.lstrip(BULLETS).strip()
    return _NUMBERED.sub("", line, count=1).strip()


def _opens_sentence(line: str) -> bool:
    """Starts with a capitalised function word ("If", "The", "This"): a new sentence, not a wrapped rest."""
    first = line.split(maxsplit=1)[0] if line.split() else ""
    word = first.strip("\"'“‘(,")
    return len(word) > 1 and word[:1].isupper() and word[1:].islower() and word.casefold() in stopwords()


def continues(prev: str, nxt: str) -> bool:
    """Whether ``nxt`` is the wrapped rest of ``prev`` (PDF text layers break lines mid-sentence). After a
    lead-in's colon, a lower-case sentence is its rest ("A major strength of the model:" / "supports simple
    querying of data."). A glossary item after a glossary item starts anew, even after a comma or "and"."""
    if not prev or not nxt:
        return False
    if _GLOSSARY_HEAD.match(prev) and _GLOSSARY_HEAD.match(nxt):
        return False  # sibling items of one glossary ("Forget gate (f) - ...," / "Input gate (i) - ...")
    if prev[-1] in ":：" and nxt[0].islower():
        return len(nxt.split()) >= 4 and nxt.rstrip().endswith(".")
    if prev[-1] in ".!?;:。！？；：":
        return False
    if has_cjk(prev[-1]) and has_cjk(nxt[0]):
        return len(prev) >= 24  # a full-width line that was wrapped
    return nxt[0].islower() or (bool(_CONNECTIVE_END.search(prev)) and not _opens_sentence(nxt))
