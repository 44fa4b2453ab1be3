"""Knowledge a slide states by its layout rather than by "X is Y" sentences: the kinds of something, each
named on its own line with its explanation on the next ("Confidentiality" / "Information in a system may be
disclosed ..."), or each named at the start of its line ("Application security, which is concerned with
..."; "Interception threats that allow an attacker to ..."). Each becomes a definition, and the names
together a list under the slide's title ("Security dimensions": Confidentiality, Integrity, Availability).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from shared.text import fold, has_cjk, is_stopword, tokens, words
from workers.generation.candidates import Definition, Group, LectureCandidates, good_title
from workers.generation.cardrules import good_definition
from workers.generation.keyterms import MAX_ITEMS, MIN_ITEMS, ListUnit
from workers.generation.quiz_checks import has_verb
from workers.generation.validity import agenda_title, boilerplate_reason, fragment_reason

MAX_HEAD_WORDS = 4
_NAMED_KIND = re.compile(
    r"^(?P<term>[A-Z][\w\-]*(?:\s+[\w\-]+){0,3}?),?\s+(?:which|that|who)\s+(?:is\s+|are\s+)?(?P<rest>\w.+)$"
)
_WORKED_CASE = re.compile(
    r"\b(?:example|case|ejemplo|exemple|пример)\b.*:|^(?:example|ejemplo|пример)\b", re.I
)

_NOT_A_KIND = re.compile(r"^(?:the|a|an|this|these|those|some|all|each|every)\b", re.I)
_MODAL = re.compile(r"^(?:must|should|can|could|may|might|will|would|shall|required|needed)\b", re.I)


@dataclass
class Structured:
    definitions: list[Definition] = field(default_factory=list)
    lists: list[ListUnit] = field(default_factory=list)


def _head(text: str, most: int = MAX_HEAD_WORDS) -> bool:
    flat = text.strip()
    if not flat or has_cjk(flat) or flat.endswith((".", ":", ";", ",", "?", "!", "|")):
        return False
    n = len(words(flat))
    return 1 <= n <= most and flat[0].isupper() and not fragment_reason(flat)


def _body(text: str) -> bool:
    return len(words(text)) >= 5 and not _head(text)


def _first_sentence(text: str) -> str:
    """The explanation's first sentence (a card's back states one fact)."""
    cut = re.split(r"(?<=[.!?])\s+(?=[A-Z])", text.strip(), maxsplit=1)[0]
    return cut.rstrip(".")


def _pairs(g: Group) -> list[tuple[str, str, int]]:
    """(head, body, index) when the group's lines alternate between a short name and its explanation."""
    pts = g.points
    out: list[tuple[str, str, int]] = []
    i = 0
    while i + 1 < len(pts):
        if _head(pts[i].text) and _body(pts[i + 1].text):
            out.append((pts[i].text.strip(), _first_sentence(pts[i + 1].text), i))
            i += 2
        else:
            i += 1
    return out if len(out) * 2 >= len(pts) - 1 and len(out) >= 2 else []


NAME_WORDS = 6


def _name_line(text: str, lang: str) -> bool:
    """A short name on a line of its own ("Interception threats", "Attack monitoring, detection and
    recovery"): not a short statement ("These are potentially conflicting" opens on a stop word; "Attacker
    gains access to an asset" has a verb, judged in English only, where a name may be six words long)."""
    ws = words(text)
    if not ws or is_stopword(ws[0].casefold(), lang):
        return False
    if lang != "en":
        return _head(text)
    return _head(text, NAME_WORDS) and not has_verb(ws)


def explanations(g: Group, lang: str = "en") -> set[str]:
    """The lines of a section that explain the short name on the line before them, on a slide that
    alternates so at least twice, and that do not say that name's words: such a line means something only
    under its name ("Misuse cases: Attacker gains access to an asset" is what an interception threat is,
    not a misuse case) and never stands alone under the section's title. A line that names what it explains
    ("Log user actions" / "Maintain a log of user actions ...") stands on its own; a name followed by
    several lines is a lead-in, not a pair."""
    found: dict[int, list[str]] = {}
    for a, b in itertools.pairwise(g.points):
        if a.ref.page != b.ref.page or not _name_line(a.text, lang) or _name_line(b.text, lang):
            continue
        if _body(b.text) and not set(tokens(a.text, lang=lang, stem=True)) & set(
            tokens(b.text, lang=lang, stem=True)
        ):
            found.setdefault(a.ref.page, []).append(b.text)
    return {t for lines in found.values() if len(lines) >= 2 for t in lines}


def _named(g: Group) -> list[tuple[str, str, int]]:
    """(name, what it does, index) for lines that start with the kind they describe."""
    out: list[tuple[str, str, int]] = []
    for i, p in enumerate(g.points):
        m = _NAMED_KIND.match(p.text.strip())
        if (
            m
            and len(words(m["term"])) <= MAX_HEAD_WORDS
            and not _NOT_A_KIND.match(m["term"])
            and not _MODAL.match(m["rest"])
        ):
            out.append((m["term"].strip(), _first_sentence(m["rest"]), i))
    return out if len(out) >= 2 else []


def structured(lc: LectureCandidates) -> Structured:
    """Definitions and lists that the slides' layout states, not already among the lecture's own."""
    out = Structured()
    known = {fold(d.term) for d in lc.definitions}
    lang = lc.text_lang
    for g in lc.groups:
        if not good_title(g.title) or agenda_title(g.title) or boilerplate_reason(g.title):
            continue
        if _WORKED_CASE.search(g.title):
            continue  # the fields of one worked case are no concepts
        found = _pairs(g) or _named(g)
        heads: list[str] = []
        for term, definition, index in found:
            if not good_definition(term, definition, lang) or boilerplate_reason(definition):
                continue
            heads.append(term)
            if fold(term) in known:
                continue
            known.add(fold(term))
            sentence = f"{term}: {definition}."
            out.definitions.append(Definition(term, definition, sentence, g.points[index].ref))
        if MIN_ITEMS <= len(heads) <= MAX_ITEMS and len(heads) == len(found):
            out.lists.append(ListUnit(title=g.title, items=heads, ref=g.points[0].ref))
    return out


def worked_case(title: str) -> bool:
    """A section that walks through one example ("Mentcare misuse case: Intercept transfer")."""
    return bool(_WORKED_CASE.search(title))
