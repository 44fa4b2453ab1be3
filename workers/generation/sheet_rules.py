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
_CODE_START = re.compile(
    r"^\s*(?:AS\s+)?(?:SELECT|FROM|WHERE|CREATE|DROP|ALTER|INSERT|DELETE|UPDATE)\s+[A-Z(]"
)
_EXAMPLE_TITLE = re.compile(r"^\s*(?:examples?|ejemplos?|exemples?|пример\w*)\b", re.I)
_MATH_ALNUM = (0x1D400, 0x1D7FF)
_FUNCTIONS = {"log", "ln", "exp", "sin", "cos", "tan", "max", "min", "sum", "det", "tr", "arg", "lim"}


def example_section(title: str) -> bool:
    """A section about one example ("Examples of security terminology", "Example instance of ...")."""
    return bool(_EXAMPLE_TITLE.match(title))


def code_line(text: str) -> bool:
    """A line of example code: it starts like a statement, or carries two code keywords."""
    return bool(_CODE_START.match(text)) or len(_CODE_WORDS.findall(text)) >= 2


# A lead-in ending with one of these introduces what is lost ("Then:", "we get:", "is given by:").
_CONNECTIVE_END = re.compile(
    r"(?:\b(?:then|get|gives?|by|is|are|as follows|following|where|with|have|has|write|"
    r"тогда|получаем|entonces|donde|alors|où|solutions?|approach|form|example|definition|"
    r"advantages?|disadvantages?|properties|intuition|include|includes|involves)|\W)\s*[:：]$",
    re.I,
)
# A line that leans on something the sheet does not show (the rubric's V2).
_DANGLING_START = re.compile(
    r"^(?:this|these|those|they|it|that|here|if so|in addition|also|consider|from (?:the )?example|"
    r"think of this|as shown|see|up to (?:this|now)|so far|as we (?:have )?(?:seen|discussed))\b",
    re.I,
)
# A line that points back to what the sheet does not show ("one of these evaluation schemes", "these two
# subclasses", ", those involving ...", "push this to a 90/10 split"; not "using those parameters", whose
# noun is there), or opens on a comparison or a named problem without its referent
# ("Similar if ...", "Like a 'logical pointer'", "The problem is that ...", "The key: ...").
_POINTS_BACK = re.compile(
    r"\b(?:one|some|each|any|all|none|both|either|neither|many|most|uno|una|cada|l'une?|un|une|один|одна)\s+"
    r"(?:of\s+|de\s+|из\s+)?(?:these|those|estos|estas|esos|esas|ces|эти|этих)\b|"
    r"\b(?:these|those|estos|estas|ces|эти)\s+(?:two|three|four|\d+|dos|tres|deux|trois|два|две|три)\b|"
    r"(?:^(?:\S+\s+){0,2}|,\s*)(?:these|those|estos|estas|esos|esas|ces|эти|этих)\b|"
    r"\bthis\s*(?:[.,;:!?)]|$|\s(?:to|is|was|in|for|"
    r"with|on|as|by|and|or|means|can|will|would)\b)",
    re.I,
)
_REFERENT_START = re.compile(
    r"^(?:similar(?:ly)?|likewise|like|same|the\s+same|the\s+(?:problem|key|issue|catch|trick|point|answer|"
    r"reason|idea|question|solution|difference)\s*(?:is\b|:))",
    re.I,
)
# A line whose verb has lost its subject, a command or a statement the sheet does not show ("Destroys the
# relation Students."), and the lecturer's narrative ("We have gone through a German transcript ...").
_NO_SUBJECT = re.compile(
    r"^(?!is\b|has\b|was\b|does\b|this\b)[A-Z][a-z]{2,}(?<!s)s\s+(?:the|a|an|all|each|every|its|their)\b"
)
_NARRATIVE = re.compile(
    r"^we\s+(?:have|had|will|are\s+going\s+to|'ll|’ll)\s+(?:gone|looked|seen|discussed|done|found|covered|go|look|"
    r"see|discuss|cover|talk)\b",
    re.I,
)
# A noun phrase whose only verb is in its relative clause ("The assets that must be protected"): an item of a
# list the sheet lost, no statement.
_RELATIVE_ONLY = re.compile(
    r"^(?:the|a|an)\s+(?:[^\W\d_]+\s+){1,3}?(?:that|which|who)\s+(?:must|should|can|may|will|is|are|has|have)\s",
    re.I,
)
# "Two fundamental issues have to be considered ...": a sentence announcing items it never names.
_COUNT_START = re.compile(
    r"^(?:\d+|two|three|four|five|six|seven|eight|several|dos|tres|cuatro|cinco|два|две|три|четыре)\s+"
    r"(?:[^\W\d_]+\s+){0,2}?[^\W\d_]+(?:s|es|ов|ей|и|ы)\b",
    re.I,
)
# A line led by a formula's symbol ("V — набор вершин", bold U "contains eigenvectors"): a legend of a formula
# the sheet does not show, which leaves its label unexplained.
SYMBOL_LEAD = re.compile(
    r"^(?:[\U0001d400-\U0001d7ff]|[B-HJ-Z])\s+(?:[—–=]|-\s|(?:is|are|contains|denotes|represents|holds|es|"
    r"contiene|denota|est|contient|désigne|это|содержит|обозначает)\b)"
)
# A lone consonant at the end of a line: a formula's symbol the reader moved out of the sentence ("Higher
# values of put fewer observations ... into each model k"); the sentence has a hole where it stood.
_MOVED_SYMBOL = re.compile(r"[^\W\d_]{2,}\s+[b-df-hj-np-tv-xz]$")
# A line that ends where its sentence goes on ("... eigenvectors, then") or starts in its middle.
_OPEN_END = re.compile(r"(?:,|\b(?:then|include|involves|of|the|a|an|and|or|to|by))\s*$", re.I)
_QUESTION_START = re.compile(
    r"^(?:do|does|did|is|are|was|were|can|could|should|would|will|what|why|how|which|who|when|where)\s+"
    r"(?:the|a|an|we|you|they|it|this|these|those|all|any|there|non-finite|\w+s)\b",
    re.I,
)
_CUT_START = re.compile(r"^(?:is|are|was|were|and|or|but|which|of|to|squarely)\b")
# An OCR'd bullet: a sign before the line's first word; "«" only when no "»" closes it (a quotation stays).
_OCR_BULLET = re.compile(r"^(?:[%<>+~*»·]|«(?![^»]*»)|e(?=[A-Z]))\s*")
# "When the owner entity is deleted, all owned weak entities must also be deleted.": a clause then a
# statement, a full stop at its end: no question although it opens like one.
_CLAUSE_STATEMENT = re.compile(r"^(?:when|where|while)\b[^,?]+,\s*[^\W\d_][^?]*[.!]$", re.I)
_UNBALANCED_TAIL = re.compile(r"\s*\([^)]*$|\s+\d+\s*[-/–]\s*$|(?<=[^\W\d_]{2})\s+[b-df-hj-np-tv-xz]$")


_AGENDA_PART = re.compile(
    r"^(?:review|recap|summary|overview|wrap[\s-]*up|repaso|resumen|обзор|итоги|повторение)$", re.I
)


TAIL_CHARS = 200  # what label() reads of a title's end
MAX_POINT_CHARS = 1000  # a longer line is no point of a cheat sheet (hostile input: 100k characters)


def label(title: str) -> str:
    """A section title fit to lead an entry: no cut-off "(1/", numbering "4-" or formula letter moved out of
    its text ("Selecting and Tradeoffs k") at its end, no agenda word
    as one of its parts ("Review: Key constraints" -> "Key constraints", "Relational model: Summary")."""
    head, tail = (
        title[:-TAIL_CHARS],
        title[-TAIL_CHARS:],
    )  # the end-anchored pattern backtracks: its tail only
    out = (head + _UNBALANCED_TAIL.sub("", tail)).rstrip(" :-–") or title
    parts = [x.strip() for x in out.split(":")]
    kept = [x for x in parts if not _AGENDA_PART.match(x)]
    return ": ".join(kept) if kept and len(kept) < len(parts) else out


# A verb or a subject that makes a line a statement rather than a heading: auxiliaries, copulas, pronouns.
_STATEMENT_CUE = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|can|could|must|should|will|would|may|might|does|do|we|you|"
    r"it|they|es|son|está|están|era|fue|tiene|tienen|puede|pueden|debe|deben|hay|se|nosotros|est|sont|"
    r"peut|doit|nous|on|является|являются|есть|это|можно|нужно|мы|вы)\b",
    re.I,
)


_ANNOUNCES = re.compile(
    r"\b(?:\d+|two|three|four|five|six|seven|eight|several|the\s+following|dos|tres|cuatro|cinco|два|две|три|"
    r"четыре)\s+(?:[^\W\d_]+\s+){0,2}?[^\W\d_]+(?:s|es|ов|ей|и|ы)\b",
    re.I,
)


def lead_in_text(text: str) -> str | None:
    """A line ending with a colon: short or ending on a connective, what it introduces (a formula, a
    figure) is missing and it goes (None), as does a heading with no verb or subject of its own; a long
    statement keeps its words and ends with a full stop."""
    flat = " ".join(text.split())
    if _letter_words(flat) < 6 or _CONNECTIVE_END.search(flat):
        return None
    body = flat.rstrip(" :：")
    if not (_STATEMENT_CUE.search(body) or ":" in body or "：" in body):
        return None  # a heading of what is lost ("Physical meaning of the sign of the shear force:")
    if _ANNOUNCES.search(body):
        return None  # "Two fundamental issues have to be considered:": the list it announces is lost
    return body + "."


def tidy(text: str) -> str:
    """A line without the bullet glyph OCR read as a character ("% A major strength", "eTo find"), its
    brackets as the page has them (ocr_brackets)."""
    return ocr_brackets(_OCR_BULLET.sub("", " ".join(text.split()), count=1))


def ocr_brackets(text: str) -> str:
    """A round bracket OCR read as a curly one: "Swedish {also Icelandic and Italian), kids ..." opens
    with "{" and closes with ")". Only a "{" whose own closer is a ")" changes (a set "{1, ..., k}" and
    a bracket left open stay as they are: the checks after judge them)."""
    if "{" not in text or ")" not in text:
        return text
    chars = list(text)
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(chars):
        if ch in "({[":
            stack.append((ch, i))
        elif ch in ")}]" and stack:
            opener, at = stack[-1]
            if ch == ")" and opener == "{":
                chars[at] = "("
                stack.pop()
            elif (opener, ch) in (("(", ")"), ("{", "}"), ("[", "]")):
                stack.pop()
    return "".join(chars)


def broken_symbols(text: str) -> bool:
    """Math letters misread: a math italic letter run into a plain letter or digit (italic N then "Z"),
    into "%"/"+" where a sub- or superscript was lost."""
    for a, b in itertools.pairwise(text):
        if _MATH_ALNUM[0] <= ord(a) <= _MATH_ALNUM[1] and ((b.isascii() and b.isalnum()) or b in "%+"):
            return True
    return False


def label_ok(title: str) -> bool:
    """A section title that can lead an entry: not several titles run together, no misread symbols."""
    return "•" not in title and not broken_symbols(title) and not title.rstrip(" :").endswith("=")


def _letter_words(text: str) -> int:
    return len([w for w in words(text) if any(ch.isalpha() for ch in w)])


def point_reason(title: str, text: str) -> str | None:
    """Why a section's line cannot stand as (part of) an entry, or None when it can."""
    flat = " ".join(text.split())
    if not flat:
        return "empty"
    if len(flat) > MAX_POINT_CHARS:
        return "too long"  # no entry of a two-column sheet; and the end-anchored patterns below backtrack
    if flat.endswith((":", "：")) and lead_in_text(flat) is None:
        return "lead-in"  # what it introduces (a formula, a figure) is not on the sheet
    if _DANGLING_START.match(flat):
        return "dangling"  # "This is not true ...", "If so, ...": the referent is not on the sheet
    if _POINTS_BACK.search(flat) or _REFERENT_START.match(flat):
        return "dangling"
    if _NO_SUBJECT.match(flat) or _NARRATIVE.match(flat):
        return "dangling"
    relative = _RELATIVE_ONLY.match(flat)
    if relative and not _STATEMENT_CUE.search(
        re.sub(r"^(?:not\s+)?(?:be|been)\b", "", flat[relative.end() :])
    ):
        return "fragment"
    if _COUNT_START.match(flat) and not re.search(r"[:：(—–]", flat):
        return "announces a list"  # the items it counts are not in the line
    if SYMBOL_LEAD.match(flat):
        return "symbol legend"
    if _MOVED_SYMBOL.search(flat):
        return "cut off"
    if _OPEN_END.search(flat) or _CUT_START.match(flat) or flat.startswith("("):
        return "cut off"  # the sentence goes on, or began, on a line the sheet does not show
    if broken_symbols(flat):
        return "misread symbols"
    if flat.endswith(("?", "？")) or (
        _QUESTION_START.match(flat) and "?" not in flat and not _CLAUSE_STATEMENT.match(flat)
    ):
        return "question"  # the slide asks its audience (its "?" maybe on the next line); the sheet states
    if code_line(flat):
        return "code"
    if re.search(r"\bshall\b", flat, re.I):
        return "example requirement"  # "A password checker shall be run daily": one system's requirement
    if "|" in flat:
        return "table row"  # a row of an example table, out of its table
    if _letter_words(flat) < 3 and not any("\u4e00" <= ch <= "\u9fff" for ch in flat):
        return "fragment"
    if title and fold(flat).strip(" .:") in fold(title):
        return "repeats the label"
    if title and len({fold(w) for w in words(flat)} - {fold(w) for w in words(title)}) <= 1:
        return "repeats the label"  # "Eigenvalues: Finding eigenvalues" adds one word and says nothing
    return None


def list_items_ok(items: list[str]) -> list[str]:
    """A list's items that say something: no lead-ins, no questions, no code."""
    return [
        i
        for i in items
        if not i.rstrip().endswith((":", "：", "?", "？"))
        and not code_line(i)
        and "|" not in i
        and not broken_symbols(i)
        and not SYMBOL_LEAD.match(i.strip())
    ]


def mixed_script(text: str) -> bool:
    """Devanagari with Latin letters in it: a handwritten Hindi page misread ("तीन fara उपस्ट PS")."""
    return any("\u0900" <= ch <= "\u097f" for ch in text) and bool(re.search(r"[A-Za-z]{2,}", text))


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
