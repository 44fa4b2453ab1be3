"""Points a cheat sheet would otherwise lose.

A line that states a definition the key terms do not show (its term failed their checks: "First way: the
vertices are ring systems ...") stays a point of its section instead of vanishing from both.

Lists with their lead-in on a cheat sheet (a line ending with a colon, or a sub-heading of form words such
as "Disadvantages"): "Four types of security requirement:" followed by its short
items is one entry ("Four types of security requirement: Risk avoidance • Risk detection • Risk
mitigation"), where the lead-in alone would be dropped (what it introduces seemed lost) and the items alone
would be fragments."""

from __future__ import annotations

import re

from shared.text import has_cjk, words
from shared.text.plausibility import plausible_share
from workers.generation.candidates import Definition, Group, Point
from workers.generation.cardrules import OPEN_END, looks_like_code
from workers.generation.sheet_rules import broken_symbols, code_line, lead_in_text
from workers.generation.validity import GENERIC_LABELS, fragment_reason

# "Let S denote ...:", "Consider ...:", "we get:": a lead-in to maths or to a worked example, not to a list.
_NOT_A_LIST = re.compile(
    r"^(?:let|consider|suppose|assume|we|you|here|then|thus|so|e\.g|for example)\b", re.I
)
_MATHS_LEAD = re.compile(
    r"\b(?:then|get|gives?|by|where|write|form|equals?|entonces|donde|тогда|получаем)\s*[:：]$", re.I
)
_SCHEMA = re.compile(r"\w\(\w+\s*:")
_MIXED_TOKEN = re.compile(r"\b(?=\w*\d)(?=\w*[^\W\d_])\w+\b|[\U0001d400-\U0001d7ff]")

MAX_ITEM_WORDS = 8
MIN_ITEMS, MAX_ITEMS = 2, 7


def _lead_in(p: Point) -> bool:
    flat = " ".join(p.text.split())
    return (
        flat.endswith((":", "："))
        and lead_in_text(flat) is None
        and len(words(flat)) >= 2
        and not _MATHS_LEAD.search(flat)
        and not _NOT_A_LIST.match(flat)
        and not _MIXED_TOKEN.search(flat)
    )


def _item(p: Point) -> bool:
    flat = " ".join(p.text.split())
    n = len(flat) // 2 if has_cjk(flat) else len(words(flat))
    return (
        1 <= n <= MAX_ITEM_WORDS
        and not flat.endswith((":", "：", "?", "？"))
        and not (flat.endswith(".") and n >= 4)  # a sentence after the list, not an item of it
        and not p.is_definition
        and not code_line(flat)
        and "|" not in flat
        and not broken_symbols(flat)
        and any(ch.isalpha() for ch in flat)
        and not _MIXED_TOKEN.search(flat)  # "Carnatic101", maths letters: example data or symbols
    )


def _form_head(p: Point) -> bool:
    """A sub-heading of one or two form words with no colon ("Disadvantages", "Pros"): it leads the short
    items after it as a lead-in does."""
    ws = [w.casefold() for w in words(p.text)]
    return 1 <= len(ws) <= 2 and all(w in GENERIC_LABELS for w in ws) and p.text.strip()[:1].isupper()


def with_lead_in_lists(points: list[Point], lang: str = "en") -> list[Point]:
    """The section's points with every lead-in and the short items after it joined into one point."""
    out: list[Point] = []
    i = 0
    while i < len(points):
        p = points[i]
        j = i + 1
        if _lead_in(p) or _form_head(p):
            while j < len(points) and j - i - 1 < MAX_ITEMS and _item(points[j]):
                j += 1
            items = [" ".join(x.text.split()).rstrip(" .;,") for x in points[i + 1 : j]]
            whole = " ".join(items)
            if (
                len(items) >= MIN_ITEMS
                and len({i.casefold() for i in items}) == len(items)
                and (has_cjk(whole) or plausible_share(whole, lang, min_len=3) >= 0.85)
            ):
                head = p.text.rstrip() if _lead_in(p) else f"{' '.join(p.text.split())}:"
                out.append(Point(f"{head} {' • '.join(items)}", p.ref))
                i = j
                continue
        out.append(p)
        i += 1
    return out


def _plain_statement(text: str) -> bool:
    flat = " ".join(text.split())
    return (
        len([w for w in words(flat) if len(w) >= 2 and w.isalpha()]) >= 5
        and not _SCHEMA.search(flat)
        and not looks_like_code(flat)
        and "_" not in flat
        and not _MIXED_TOKEN.search(flat)
        and not flat[:1].isdigit()
        and not OPEN_END.search(flat)
        and fragment_reason(flat) is None
    )


def unshown_definitions_as_points(g: Group, shown: list[Definition]) -> Group:
    """The section (the same object: the sheet finds its items by it) with its definition lines that are not
    among the sheet's key terms made plain points."""
    keep = {(d.ref.page, d.term.casefold()) for d in shown}
    points = []
    for p in g.points:
        shown_as_term = any(page == p.ref.page and p.text.casefold().startswith(t) for page, t in keep)
        # a plain statement only: not "Enrolled(sid: string, ...)", not "... an eigenvector of A if"
        points.append(
            Point(p.text, p.ref, False)
            if p.is_definition and not shown_as_term and _plain_statement(p.text)
            else p
        )
    g.points = points
    return g


def whole_sentence(text: str) -> bool:
    """A line that is a sentence of its own (six words or more, a full stop), not a list's short item
    or an example phrase ("she take the book")."""
    flat = " ".join(text.split())
    if has_cjk(flat):
        return flat.endswith(("。", "！", ".")) and len(flat) >= 8
    return len(words(flat)) >= 6 and flat.endswith((".", "!"))
