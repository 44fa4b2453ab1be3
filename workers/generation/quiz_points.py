"""Which slide line a true/false question may state, and as which sentence (QuizBuilder._tf_point).

- A line that holds several sentences is asked by its first whole sentence ("Integrity constraints can be
  specified by the DBA, based on application semantics. DBMS checks for violations." -> the first), not
  refused as several sentences; a first sentence that is a definition is asked through its definition.
- A line names a key term when it names one of the lecture's concept names too (quiz_statements.
  concept_names: defined terms, title parts, the names its lines repeat), unless "the <name>" leans on a
  longer name its slide's title gives ("The risk assessment should ..." under "Preliminary risk assessment").
- Fragment forms are refused: a line that opens on a verb or modal (its subject on the line before: "Should
  be the same size as your test set"), on a connective that continues the line before ("In addition, ...",
  "Similarly ..."), that points at the slide or the line before ("here", "above", "these goals", "this
  is ..."; not "these risks" after "the risks"), that instructs the reader
  ("you can", "we must"), whose first clause has no verb before a subordinate one ("Risk assessment while
  the system is being developed ..."), or that holds a formula piece ("=", "≤").
"""

from __future__ import annotations

import re
from dataclasses import replace

from shared.text import has_cjk, sentences, words
from workers.generation.candidates import Group, LectureCandidates, Point, find_definition, statement_like
from workers.generation.keyterms import key_terms, term_in
from workers.generation.quiz_checks import has_verb
from workers.generation.quiz_kinds import ANAPHORIC, sentence_ok
from workers.generation.quiz_statements import concept_names

_END = re.compile(r"[.!?]$")
_OPENS_ON_VERB = re.compile(
    r"^(?:should|must|can|could|may|might|will|would|shall|is|are|was|were|has|have|had|does|do|did|needs?|"
    r"requires?|allows?|provides?|makes?)\b",
    re.I,
)
_CONTINUES = re.compile(
    r"^(?:in\s+addition|additionally|also|similar(?:ly)?|likewise|however|therefore|thus|hence|moreover|"
    r"furthermore|otherwise|and|or|but|so|for\s+example|for\s+instance|as\s+a\s+result|in\s+this\s+case)\b",
    re.I,
)
_POINTS = re.compile(r"\b(?:here|above|below|following)\b", re.I)
_VERB_WORDS = """is are was were be been has have had can could may might must should shall will would does do
    did means lead leads allow allows require requires make makes"""
_VERBS = frozenset(_VERB_WORDS.split())
_DEMONSTRATIVE = re.compile(r"\b(?:this|these|those)\b(?:\s+(?P<next>[\w-]+))?", re.I)
_READER = re.compile(r"\b(?:you|we)\s+(?:can|could|should|must|may|might|need|have\s+to|will)\b", re.I)
_SUBORDINATE = re.compile(r"\b(?:while|whilst|because|although|whereas|unless|until)\b", re.I)
_FORMULA = re.compile(r"[=≤≥<>±∑∫√^]|\b[a-zA-Z]\s*[+*/]\s*[a-zA-Z0-9]\b")


def first_sentence(text: str, lang: str) -> str | None:
    """The line itself when it is one sentence; its first sentence when it holds several and that one
    ends on its own stop; None when the first is no whole sentence (a lead-in, a cut line)."""
    parts = sentences(text, lang)
    if len(parts) <= 1:
        return text
    first = parts[0].strip()
    return first if _END.search(first) and not first.endswith(("...", "…")) else None


def fragment_form(text: str, lang: str) -> str | None:
    """Why a line is a fragment or leans on what is around it (English rules; other languages: None)."""
    if lang != "en" or has_cjk(text):
        return None
    flat = " ".join(text.split())
    if _OPENS_ON_VERB.match(flat):
        return "opens_on_verb"
    if _CONTINUES.match(flat):
        return "continues"
    if _POINTS.search(flat) or _points_back(flat):
        return "points_away"
    if _READER.search(flat):
        return "addresses_reader"
    if _FORMULA.search(flat):
        return "formula_piece"
    sub = _SUBORDINATE.search(flat)
    if sub and sub.start() > 0 and not has_verb(words(flat[: sub.start()])):
        return "no_main_clause"  # "Risk assessment while the system is being developed ..."
    return None


def _points_back(flat: str) -> bool:
    """ "this / these" naming what the line did not name ("implementing these goals", "Up to this point",
    "this may induce ..."): the line leans on the one before; "... so that these risks ..." after "the risks"
    is the line's own."""
    for m in _DEMONSTRATIVE.finditer(flat):
        after = (m["next"] or "").lower()
        if not after.isalpha() or after in _VERBS:
            return True  # a pronoun: "this is ...", "these may occur"
        if after.rstrip("s") not in {w.lower().rstrip("s") for w in words(flat[: m.start()])}:
            return True
    return False


def asked_point(lc: LectureCandidates, point: Point) -> Point | None:
    """The point as a true/false question states it (its first whole sentence), or None when it is no
    statement to ask: too short or long, a lead-in, a pronoun's sentence, a definition, a fragment."""
    text = first_sentence(point.text, lc.text_lang)
    if text is None:
        return None
    if text != point.text and find_definition(text, point.ref) is not None:
        return None  # asked through its definition
    if not sentence_ok(text) or not statement_like(text) or ANAPHORIC.match(text):
        return None
    if fragment_form(text, lc.text_lang):
        return None
    return point if text == point.text else replace(point, text=text)


_NAMES: dict[int, tuple[LectureCandidates, list[str]]] = {}


def _names(lc: LectureCandidates) -> list[str]:
    """The lecture's concept names, once per lecture (the lecture kept with them: its id is not reused)."""
    if id(lc) not in _NAMES or _NAMES[id(lc)][0] is not lc:
        if len(_NAMES) > 64:
            _NAMES.clear()
        _NAMES[id(lc)] = (lc, sorted(concept_names(lc), key=len, reverse=True))
    return _NAMES[id(lc)][1]


def names_no_term(text: str, lc: LectureCandidates, group: Group) -> bool:
    """Whether the statement names none of the lecture's key terms or concept names (as the slide's own
    name: not "the <part of the title>")."""
    if term_in(text, key_terms(lc)) is not None:
        return False
    name = term_in(text, _names(lc))
    if name is None:
        return True
    from workers.generation.flashcards import leans_on_title

    return leans_on_title(text, name, group.title)
