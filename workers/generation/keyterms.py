"""A lecture's key terms and lists: what quiz questions, clozes and cards may be about.

Key terms are the terms the lecture defines and the short titles of its sections (minus agenda and
logistics titles); a cloze or a blank only ever hides one of them, never a number or an ordinary word.
Lists are slide groups whose lines are short items (3 to 8 of them): they become ordered clozes and
"which of these is one of ..." questions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shared.study_schemas import SourceRef
from shared.text import fold, has_cjk, words
from workers.generation.candidates import Group, LectureCandidates, good_title
from workers.generation.textutil import contains_phrase
from workers.generation.validity import boilerplate_reason, fragment_reason

MAX_ITEM_WORDS = 6
MIN_ITEMS, MAX_ITEMS = 3, 8


@dataclass(frozen=True)
class ListUnit:
    title: str
    items: list[str]
    ref: SourceRef


def _clean_item(text: str) -> str:
    text = text.strip().rstrip(".;,")
    if ":" in text and len(text.split(":", 1)[0].split()) <= 4:  # "Confidentiality: information ..." -> head
        text = text.split(":", 1)[0].strip()
    return text


def key_terms(lc: LectureCandidates) -> list[str]:
    """Defined terms, then short section titles, longest first; no boilerplate, no generic term."""
    out: list[str] = []
    seen: set[str] = set()
    candidates = [d.term for d in lc.definitions if fold(d.term) not in lc.generic_terms]
    candidates += [
        g.title for g in lc.groups if good_title(g.title) and (has_cjk(g.title) or len(words(g.title)) <= 5)
    ]
    for term in candidates:
        term = re.sub(r"^(?:the|a|an|el|la|los|las|le|les|un|una)\s+(?=\w)", "", term.strip(), flags=re.I)
        key = fold(term)
        if key in seen or len(key) < 3 or boilerplate_reason(term) or fragment_reason(term):
            continue
        if term.rstrip().endswith("?"):
            continue
        seen.add(key)
        out.append(term)
    return sorted(out, key=len, reverse=True)


def term_in(text: str, terms: list[str]) -> str | None:
    """The longest key term ``text`` names, as written in the text."""
    for term in terms:
        if contains_phrase(text, term):
            return term
    return None


def list_units(lc: LectureCandidates) -> list[ListUnit]:
    """Groups whose lines are 3-8 short items under a good title."""
    out: list[ListUnit] = []
    for g in lc.groups:
        unit = _as_list(g)
        if unit is not None:
            out.append(unit)
    return out


def _as_list(g: Group) -> ListUnit | None:
    if not good_title(g.title) or boilerplate_reason(g.title):
        return None
    items: list[str] = []
    for p in g.points:
        item = _clean_item(p.text)
        n = len(words(item)) if not has_cjk(item) else len(item) // 2
        if not item or n > MAX_ITEM_WORDS or boilerplate_reason(item) or fragment_reason(item):
            return None
        if fold(item) not in {fold(i) for i in items}:
            items.append(item)
    if not MIN_ITEMS <= len(items) <= MAX_ITEMS:
        return None
    return ListUnit(title=g.title, items=items, ref=g.points[0].ref)
