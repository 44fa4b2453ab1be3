"""A lecture's key terms and lists: what quiz questions, clozes and cards may be about.

Key terms are the terms the lecture defines and the short titles of its sections (minus agenda and
logistics titles); a cloze or a blank only ever hides one of them, never a number or an ordinary word.
Lists are slide groups whose lines are short items (3 to 8 of them): they become ordered clozes and
"which of these is one of ..." questions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shared.schemas import SourceRef
from shared.text import fold, has_cjk, words
from workers.generation.candidates import Group, LectureCandidates, good_title
from workers.generation.quiz_checks import notation_symbol
from workers.generation.textutil import contains_phrase
from workers.generation.validity import boilerplate_reason, fragment_reason, generic_label

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
    candidates = [  # not a letter of notation glossed as a set ("Vw — набор весов вершин")
        d.term
        for d in lc.definitions
        if fold(d.term) not in lc.generic_terms and not notation_symbol(d.term, d.definition, lc.text_lang)
    ]
    titles = [g.title for g in lc.groups if good_title(g.title)]
    candidates += [x for x in titles if has_cjk(x) or len(words(x)) <= 5]
    for title in titles:  # "Training: Acceptor RNN" -> "Acceptor RNN"; "Vanishing vs. exploding gradients"
        for part in _TITLE_SPLIT.split(title):
            part = part.strip(" “”\"'")
            if 2 <= len(words(part)) <= 4 and not has_cjk(part):
                candidates.append(part)
    candidates += _acronyms(lc)
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


_TITLE_SPLIT = re.compile(r"\s*(?::|/|\bvs\.?\s|\bversus\b|\(|\)|\s[–—-]\s|,)\s*", re.I)
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,5}s?\b")


def _acronyms(lc: LectureCandidates) -> list[str]:
    """Upper-case abbreviations the lecture uses on at least two slides (RNN, LSTM, SQL), not codes."""
    pages: dict[str, set[int]] = {}
    for slide in lc.lecture.slides:
        for m in _ACRONYM.finditer(f"{slide.title}\n{slide.text}"):
            token = m.group(0).rstrip("s") if m.group(0).endswith("s") else m.group(0)
            if sum(ch.isalpha() for ch in token) >= 2 and not any(ch.isdigit() for ch in token):
                pages.setdefault(token, set()).add(slide.ref.page)
    lower = {w for slide in lc.lecture.slides for w in re.findall(r"\b[a-z]{2,}\b", slide.text)}
    return [  # "KEY", "DROP" in SQL listings are words in capitals, not abbreviations
        a for a, seen in pages.items() if len(seen) >= 2 and not generic_label(a) and a.lower() not in lower
    ]


def term_in(text: str, terms: list[str]) -> str | None:
    """The longest key term ``text`` names; else the longest it names in the other grammatical number, as
    written in the text ("A view is just a relation" names the section "Views"; "Weak entities" the term
    "weak entity")."""
    for term in terms:
        if term.isupper() and not has_cjk(term):  # an abbreviation matches in capitals only
            if re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text):
                return term
        elif contains_phrase(text, term):
            return term
    for term in terms:
        for variant in number_variants(term):
            found = re.search(rf"(?<!\w){re.escape(variant)}(?!\w)", text, re.IGNORECASE)
            if found:
                return found.group(0)
    return None


_NOT_PLURAL = re.compile(r"(?:us|ics|ness|ous)$", re.I)  # "status", "physics", "awareness", "various"


def number_variants(term: str) -> list[str]:
    """A Latin-script term with its last word in the other number (English endings: -s, -es, -ies, -ses);
    none for an abbreviation, a CJK term, or a word that ends like a plural without being one ("status")."""
    head, _, last = term.rstrip().rpartition(" ")
    if has_cjk(term) or len(last) < 3 or not last.isascii() or not last.isalpha() or last.isupper():
        return []
    low = last.lower()
    if _NOT_PLURAL.search(low):
        return []
    if low.endswith("ss"):
        forms = [last + "es"]  # "process" / "processes"
    elif low.endswith("sis"):
        forms = [last[:-2] + "es"]  # "analysis" / "analyses"
    elif low.endswith("ies"):
        forms = [last[:-3] + "y"]
    elif low.endswith(("ches", "shes", "xes", "sses")):
        forms = [last[:-2]]
    elif low.endswith("s"):
        forms = [last[:-1]]
    elif low.endswith("y") and low[-2:-1] not in "aeiou":
        forms = [last[:-1] + "ies"]
    elif low.endswith(("ch", "sh", "x")):
        forms = [last + "es"]
    else:
        forms = [last + "s"]
    return [f"{head} {f}" if head else f for f in forms]


def list_units(lc: LectureCandidates) -> list[ListUnit]:
    """Groups whose lines are 3-8 short items under a good title."""
    out: list[ListUnit] = []
    for g in lc.groups:
        unit = as_list(g)
        if unit is not None:
            out.append(unit)
    return out


def as_list(g: Group) -> ListUnit | None:
    if not good_title(g.title) or boilerplate_reason(g.title):
        return None
    items: list[str] = []
    for p in g.points:
        item = _clean_item(p.text)
        n = len(words(item)) if not has_cjk(item) else len(item) // 2
        if not item or n > MAX_ITEM_WORDS or boilerplate_reason(item) or fragment_reason(item):
            return None
        if generic_label(item) or item.endswith("?"):
            return None
        if fold(item) not in {fold(i) for i in items}:
            items.append(item)
    if not MIN_ITEMS <= len(items) <= MAX_ITEMS:
        return None
    return ListUnit(title=g.title, items=items, ref=g.points[0].ref)
