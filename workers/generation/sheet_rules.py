"""What a cheat-sheet entry must be to earn its line (the study rubric's V1/V2/V9): a label and content
that states something. A lead-in whose formula or figure is lost ("Matrix form:"), a question the slide asks
its audience, a line of example code, a row of an example table, a two-word fragment, or content that only
repeats its label is left out; so is a whole section that walks through one example, and a formula whose
symbols were misread (lost subscripts, stray letters).
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from shared.text import fold, words

# SQL and other code keywords that, written in capitals, make a line example code rather than prose.
_CODE_WORDS = re.compile(
    r"\b(?:SELECT|FROM|WHERE|CREATE\s+TABLE|DROP\s+TABLE|ALTER\s+TABLE|INSERT\s+INTO|DELETE\s+FROM|"
    r"PRIMARY\s+KEY|FOREIGN\s+KEY|REFERENCES|ON\s+DELETE|INTEGER|VARCHAR|GROUP\s+BY|ORDER\s+BY)\b|\bCHAR\(\d+\)"
)
_CODE_START = re.compile(r"^\s*(?:SELECT|FROM|WHERE|CREATE|DROP|ALTER|INSERT|DELETE|UPDATE)\s+[A-Z(]")
_EXAMPLE_TITLE = re.compile(r"^\s*(?:examples?|ejemplos?|exemples?|пример\w*)\b", re.I)
_MATH_ALNUM = (0x1D400, 0x1D7FF)
_FUNCTIONS = {"log", "ln", "exp", "sin", "cos", "tan", "max", "min", "sum", "det", "tr", "arg", "lim"}


def example_section(title: str) -> bool:
    """A section about one example ("Examples of security terminology", "Example instance of ...")."""
    return bool(_EXAMPLE_TITLE.match(title))


def code_line(text: str) -> bool:
    """A line of example code: it starts like a statement, or carries two code keywords."""
    return bool(_CODE_START.match(text)) or len(_CODE_WORDS.findall(text)) >= 2


def _letter_words(text: str) -> int:
    return len([w for w in words(text) if any(ch.isalpha() for ch in w)])


def point_reason(title: str, text: str) -> str | None:
    """Why a section's line cannot stand as (part of) an entry, or None when it can."""
    flat = " ".join(text.split())
    if not flat:
        return "empty"
    if flat.endswith((":", "：")):
        return "lead-in"  # what it introduces (a formula, a figure) is not on the sheet
    if flat.endswith(("?", "？")):
        return "question"  # the slide asks its audience; the sheet states
    if code_line(flat):
        return "code"
    if "|" in flat:
        return "table row"  # a row of an example table, out of its table
    if _letter_words(flat) < 3 and not any("\u4e00" <= ch <= "\u9fff" for ch in flat):
        return "fragment"
    if title and fold(flat).strip(" .:") in fold(title):
        return "repeats the label"
    return None


def list_items_ok(items: list[str]) -> list[str]:
    """A list's items that say something: no lead-ins, no questions, no code."""
    return [
        i
        for i in items
        if not i.rstrip().endswith((":", "：", "?", "？")) and not code_line(i) and "|" not in i
    ]


def formula_reason(text: str) -> str | None:
    """Why a formula line was misread, or None: a math letter followed by a plain letter or digit (a lost
    subscript: bold-italic y then "t"), a stray accented letter among math symbols ("Ö"), or words on one
    side of "=" that are no symbols ("NEAT et = m")."""
    chars = list(text)
    has_math = any(_MATH_ALNUM[0] <= ord(ch) <= _MATH_ALNUM[1] for ch in chars)
    for a, b in itertools.pairwise(chars):
        if _MATH_ALNUM[0] <= ord(a) <= _MATH_ALNUM[1] and b.isascii() and b.isalnum():
            return "lost subscript"
    if has_math and any(
        ch.isalpha() and not ch.isascii() and unicodedata.name(ch, "").startswith("LATIN") for ch in chars
    ):
        return "stray letter"
    if not re.search(r"[-+*/^()√∑∫·×−]", text):
        for side in text.split("="):
            names = [w for w in re.findall(r"[A-Za-z]{2,}", side) if w.lower() not in _FUNCTIONS]
            if len(names) >= 2:
                return "words, not symbols"
    return None
