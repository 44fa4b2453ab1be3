"""Line roles by form, sixth round of issue 12 (read from the dev decks' 1,804 later-labelled lines, judged
leaving one dev deck out): SQL declarations are code, a title the layout model boxed inside a figure is the
title, short lines chained over their explanations are headings, and a label that opens several lines of a
page ("Upside: ...", "Upside: ...") is no term being defined. Also the deck-wide repeats and numeric rows
moved out of workers/ocr/roles.py. Each rule has a name in ``role_rules.RULES`` and can be switched off."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from workers.ocr.line_cues import (
    WORD,
    LineHint,
    PageLines,
    edge_key,
    is_continuation,
    is_formula,
    is_url,
    split_definition,
    strip_bullet,
)
from workers.ocr.role_meta import rare_word

# --- SQL ------------------------------------------------------------------------------------------
_SQL_TYPE = (
    r"(?:VARCHAR|CHAR|CHARACTER|INTEGER|INT|SMALLINT|BIGINT|REAL|FLOAT|DOUBLE|DECIMAL|NUMERIC|DATE|TIME|"
    r"TIMESTAMP|BOOLEAN|TEXT|BLOB)"
)
# "ssn CHAR(11),", "(sid CHAR(20), cid CHAR(20),", "age: INTEGER,", "since DATE": a line that is only columns
# declared with upper-case SQL types, or that opens with a key or reference clause. A line that opens with
# prose and ends in SQL (OCR glues a slide's two columns) is left as it is.
_DECLARATION = (
    rf"[A-Za-z_]\w*:?\s+{_SQL_TYPE}(?:\s*\(\s*\d+(?:\s*,\s*\d+)?\s*\))?"
    r"(?:\s+NOT\s+NULL|\s+UNIQUE|\s+PRIMARY\s+KEY)?"
)
_SQL_COLUMN = re.compile(rf"^\(?\s*{_DECLARATION}(?:\s*,\s*{_DECLARATION})*\s*[,)]*\s*$")
_SQL_CLAUSE = re.compile(
    r"^(?:(?:PRIMARY\s+KEY|FOREIGN\s+KEY|UNIQUE)\s*\(|REFERENCES\s+[A-Z_]\w*|"
    r"ON\s+(?:DELETE|UPDATE)\s+(?:CASCADE|SET\s+(?:NULL|DEFAULT)|NO\s+ACTION|RESTRICT)\b|"
    r"CREATE\s+(?:TABLE|VIEW|INDEX)\s+\w+|(?:DELETE|INSERT|UPDATE|SELECT\s+\*)$)"
)


def is_sql_line(line: str) -> bool:
    """A line of SQL by its upper-case keywords from its start: column declarations, a key or reference
    clause, a CREATE statement's head (the lines of a CREATE TABLE that ``is_code`` does not read)."""
    text = strip_bullet(line)
    return bool(_SQL_COLUMN.match(text) or _SQL_CLAUSE.match(text))


# --- prose with symbols in it ---------------------------------------------------------------------
_RELATION = re.compile(r"[=<>≤≥≈≠∝→⇒⇔]")
_PROSE_START = re.compile(r"^[A-Za-z][a-z]+(?:-[a-z]+)*\b")


def prose_with_symbols(line: str) -> bool:
    """Not a formula although it carries maths symbols: a lead-in ending in ":" with no relation sign
    ("Channel capacity:"), or a bullet that opens with a word ("- Solve det(A - xI) = 0 to find x",
    "- Assume s1 > s2") or holds two words and no relation ("- K transmit antennas", K in maths italic)."""
    text = line.strip()
    body = strip_bullet(text)
    if body.endswith((":", "：")) and not _RELATION.search(body):
        return True
    if not body or body == text:
        return False
    return bool(_PROSE_START.match(body)) or (len(WORD.findall(body)) >= 2 and not _RELATION.search(body))


# --- authors named by surname ---------------------------------------------------------------------
_SURNAME = re.compile(r"^(?:[A-Z][a-z]+(?:[A-Z][a-z]+)?|[A-Z][a-z]*'[A-Z][a-z]+)(?:-[A-Z][a-z]+)?$")
_AUTHOR_JOIN = re.compile(r"\s+(?:&|and|y|et|und|и)\s+")


def is_author_pair(line: str) -> bool:
    """Two or three surnames joined by "&" ("Wight & MacGregor:", "Poeppel & Wexler"), one no common word
    of the language: a source's authors, a credit. "Security & Privacy" names no one."""
    text = strip_bullet(line).rstrip(" :：.,")
    if "&" not in text:
        return False
    parts = _AUTHOR_JOIN.split(text.replace(",", " & "))
    return 2 <= len(parts) <= 3 and all(_SURNAME.match(p) for p in parts) and any(rare_word(p) for p in parts)


# --- a title inside a figure's box ----------------------------------------------------------------
FIGURE_TITLE_TOP = 0.2  # the line starts in the page's top fifth
FIGURE_TITLE_WORDS = 14


def figure_title(page: PageLines, content: Sequence[int]) -> list[int]:
    """A page with no title found whose first line is in a box the layout model calls a figure (a slide
    whose title and drawing share one box): that line is the title when it sits in the top fifth, reads like
    a title and no line of the page is bigger (some smaller), with its wrapped continuation."""
    if not content:
        return []
    lines, hints = page.lines, page.hints
    first = content[0]
    hint = hints[first] if first < len(hints) else None
    text = lines[first].strip()
    if (
        hint is None
        or hint.kind != "figure"
        or hint.top is None
        or hint.top > FIGURE_TITLE_TOP
        or not hint.size
        or len(text.split()) > FIGURE_TITLE_WORDS
        or strip_bullet(text) != text
        or text.endswith((".", ",", ";", ":"))
        or is_url(text)
        or is_formula(text)
        or sum(ch.isalpha() for ch in text) < 3
    ):
        return []
    sizes = [h.size for i in content if i < len(hints) and (h := hints[i]) is not None and h.size]
    if max(sizes) > hint.size or min(sizes) >= hint.size:
        return []
    run = [first]
    for i in content[1:3]:
        h = hints[i] if i < len(hints) else None
        if (
            is_continuation(lines[i], lines[run[-1]])
            and h is not None
            and h.size
            and h.size >= 0.8 * hint.size
        ):
            run.append(i)
        else:
            break
    return run


# --- headings chained over their explanations -----------------------------------------------------
PAIR_HEADING_WORDS = 12


def _pair_heading(line: str) -> bool:
    text = line.strip()
    return (
        0 < len(text.split()) <= PAIR_HEADING_WORDS
        and strip_bullet(text) == text
        and text[:1].isupper()
        and not text.endswith((".", ",", ";", ":", "：", "?", "!"))
        and not is_formula(text)
    )


def _explanation(line: str, heading: str) -> bool:
    text = line.strip()
    return len(text.split()) >= max(8, 1.5 * len(heading.split())) and text.endswith((".", "!", ")"))


def chained_headings(lines: Sequence[str], roles: list[str], content: Sequence[int]) -> None:
    """Two or more short unpunctuated lines, each over a longer sentence that explains it, alternating
    ("Avoid a single point of failure" / "Ensure that a security failure can only result when ..."): the
    short lines are headings; the explanations keep their role (run after ``role_pairs``, which makes a
    term of <= 4 words over its explanation a heading over a definition)."""
    plain = ("body", "definition", "list_lead")
    pairs: list[tuple[int, int]] = []
    n = 0
    while n + 1 < len(content):
        a, b = content[n], content[n + 1]
        if (
            roles[a] in plain
            and roles[b] in plain
            and _pair_heading(lines[a])
            and _explanation(lines[b], lines[a])
        ):
            pairs.append((a, b))
            n += 2
        else:
            if len(pairs) < 2:
                pairs = []
            n += 1
            if pairs:
                break
    if len(pairs) >= 2:
        for a, _ in pairs:
            if roles[a] == "body":
                roles[a] = "heading"


# --- labels repeated down a page ------------------------------------------------------------------
def repeated_labels(lines: Sequence[str], roles: list[str], content: Sequence[int]) -> None:
    """A "Label: ..." that opens two or more lines of a page with different words after it is a label of the
    page's own making ("Upside: ...", "Downside: ...", "Upside: ..."), not a term defined: those lines and
    their wrapped continuations are body."""
    terms: dict[str, set[str]] = {}
    for i in content:
        if roles[i] == "definition" and (pair := split_definition(lines[i])) is not None and pair[0]:
            terms.setdefault(pair[0].lower(), set()).add(pair[1])
    labels = {term for term, expls in terms.items() if len(expls) >= 2}
    if not labels:
        return
    demoted = False
    previous = ""
    for i in content:
        pair = split_definition(lines[i]) if roles[i] == "definition" else None
        if pair is not None and pair[0].lower() in labels:
            roles[i], demoted = "body", True
        elif demoted and roles[i] == "definition" and is_continuation(lines[i], previous):
            roles[i] = "body"
        else:
            demoted = False
        previous = lines[i]


# --- letters that label a drawing -----------------------------------------------------------------
LETTER_LABELS_MIN = 3


def _letter_label(line: str) -> bool:
    text = line.strip()
    return (
        1 <= len(text) <= 2
        and text[0].isalpha()
        and text[0].isupper()
        and (len(text) == 1 or text[1].isdigit())
    )


def letter_labels(lines: Sequence[str], roles: list[str], content: Sequence[int]) -> None:
    """Three or more lines of a page that are each one capital letter ("A", "B", "C2"): the labels of a
    drawing (a graph's vertices, a diagram's parts), figure words, not prose (a stray "l" of a broken font
    is no label)."""
    found = [i for i in content if roles[i] == "body" and _letter_label(lines[i])]
    if len(found) >= LETTER_LABELS_MIN:
        for i in found:
            roles[i] = "figure_text"


# --- paragraphs -----------------------------------------------------------------------------------
PARAGRAPH_LINES = 4  # a definition's sentence wrapped over this many lines or more is a paragraph


def paragraph_definitions(lines: Sequence[str], roles: list[str], content: Sequence[int]) -> None:
    """A "definition" run (a line and its wrapped continuations) of PARAGRAPH_LINES lines or more is a
    paragraph of prose that opens with a label ("Dutch conclusion: tensed verbs are always ..."), not a term
    with its explanation: body."""
    for run in definition_runs(lines, roles, content):
        if len(run) >= PARAGRAPH_LINES:
            for j in run:
                roles[j] = "body"


def definition_runs(lines: Sequence[str], roles: list[str], content: Sequence[int]) -> Iterator[list[int]]:
    """Each "definition" line with the definition lines that continue it (wrapped), in page order; read as
    it goes, so the caller may change a run's roles before the next is found."""
    n = 0
    while n < len(content):
        i = content[n]
        if roles[i] != "definition":
            n += 1
            continue
        run = [i]
        for j in content[n + 1 :]:
            if roles[j] == "definition" and is_continuation(lines[j], lines[run[-1]]):
                run.append(j)
            else:
                break
        yield run
        n += len(run)


# --- moved from roles.py --------------------------------------------------------------------------
def _big(hint: LineHint | None, median: float | None) -> bool:
    return bool(hint and hint.size and median and hint.size >= 1.3 * median)


def repeated_anywhere_roles(
    page: PageLines,
    roles: list[str],
    nonblank: list[int],
    edges: set[int],
    anywhere: set[str],
    median: float | None,
) -> None:
    """Lines that come back on most of the deck's pages (``role_rules.anywhere_repeats``) are footers at
    the page's edge and course meta elsewhere, unless they would leave the page with nothing; title-class
    and big lines stay."""
    if not anywhere:
        return
    found = []
    for i in nonblank:
        hint = page.hints[i] if i < len(page.hints) else None
        if (
            not roles[i]
            and edge_key(page.lines[i]) in anywhere
            and not (hint is not None and hint.kind in ("title", "subtitle"))
            and not _big(hint, median)
        ):
            found.append(i)
    if not found or len(found) == sum(1 for i in nonblank if not roles[i]):
        return
    for i in found:
        roles[i] = "footer" if i in edges else "meta"


def numeric_row(text: str) -> bool:
    tokens = text.split()
    return len(tokens) >= 4 and all(re.fullmatch(r"[-+]?[\d.,%]+", t) for t in tokens)


__all__ = [
    "chained_headings",
    "figure_title",
    "is_author_pair",
    "is_sql_line",
    "letter_labels",
    "numeric_row",
    "paragraph_definitions",
    "prose_with_symbols",
    "repeated_anywhere_roles",
    "repeated_labels",
]
