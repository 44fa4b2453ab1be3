"""Cloze cards that take their key term from the slide's title ("cloze_topic"): a line that speaks of the
title's concept by a shorter name ("This risk assessment takes place during the system development life
cycle ..." on the slide "Design risk assessment"; "The risk assessment should focus on ..." on
"Preliminary risk assessment") names no key term of its own, or leans on the title; written with the
title's name ("The {{design risk assessment}} takes place ..."), the line is the context that asks for it.

Strict conditions: English; the title is a concept's name (2-4 words, letters only, one of the lecture's key
terms, not "Introduction", "Outline", "Example", "Summary", a course code, a question); the line opens on
"this / these" and the last words of the title, or on "the" and at least two of them ("the system" under
"Distributed system" may be any system); the line is one whole statement with a verb, no
rating ("... is very important"), and the card passes every check a slide line's cloze passes."""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from shared.text import fold, sentences, words
from workers.generation.candidates import LectureCandidates, good_title, statement_like
from workers.generation.card_forms import form_problem, lecture_text
from workers.generation.cardrules import cloze_ok
from workers.generation.cloze_text import cloze, digest
from workers.generation.keyterms import key_terms
from workers.generation.quiz_checks import has_verb

if TYPE_CHECKING:
    from shared.schemas import SourceRef

_OPENING = re.compile(r"^(?P<det>the|this|these)\s+", re.I)
_NOT_CONCEPT_WORDS = """introduction intro outline overview summary summaries example examples review recap
    conclusion conclusions agenda contents motivation background exercise exercises questions question
    answers case cases study studies practice part chapter lecture section appendix references
    notes more other"""
_NOT_CONCEPTS = frozenset(_NOT_CONCEPT_WORDS.split())
_KIND_NOUN_WORDS = "process processes phase phases stage stages step steps approach approaches method methods"
_KIND_NOUNS = frozenset(_KIND_NOUN_WORDS.split())
_TITLE_WORD = re.compile(r"^[^\W\d_]+(?:-[^\W\d_]+)*$")
_RATING = re.compile(
    r"^\s*(?:is|are)\s+(?:(?:very|particularly|especially|really|most|more|so|also|always|often)\s+)*"
    r"(?:essential|important|crucial|critical|necessary|vital|useful|key|central|difficult|hard|easy|common|"
    r"effective|powerful|good|bad|great|simple)\b",
    re.I,
)


def concept_title(title: str, lc: LectureCandidates) -> bool:
    """A slide title that is a concept's name, not a slide's role or a course's code."""
    flat = " ".join(title.split())
    ws = flat.split()
    if not 2 <= len(ws) <= 4 or not good_title(flat) or not all(_TITLE_WORD.match(w) for w in ws):
        return False
    if any(fold(w) in _NOT_CONCEPTS for w in ws):
        return False
    return fold(flat) in {fold(x) for x in key_terms(lc)}


def _same_word(a: str, b: str) -> bool:
    a, b = fold(a), fold(b)
    return a == b or a.rstrip("s") == b.rstrip("s")


def titled(sentence: str, title: str) -> tuple[str, str] | None:
    """The sentence with the title's name in place of "this / these / the <its last words>", and that name
    as the sentence writes it; None when the sentence does not open so."""
    m = _OPENING.match(sentence)
    if m is None:
        return None
    tws = title.split()
    rest = sentence[m.end() :].split()
    the = m["det"].lower() == "the"
    for k in range(len(tws) - 1, 1 if the else 0, -1):
        if len(rest) <= k or not all(_same_word(a, b) for a, b in zip(rest[:k], tws[-k:], strict=True)):
            continue
        name = " ".join(tws[:-k] + rest[:k])  # the title's modifiers, its head as the line writes it
        if len(rest) > k + 1 and rest[k].lower() in _KIND_NOUNS:
            name, k = f"{name} {rest[k]}", k + 1  # "this risk assessment process focuses on ...": one name
        if not any(ch.isupper() for w in tws for ch in w[1:]):
            name = name[0].lower() + name[1:]  # "Design risk assessment" -> "the design risk assessment"
        after = " ".join(rest[k:])
        return f"The {name} {after}", name
    return None


def topic_clozes(
    lc: LectureCandidates, asked: Counter[str], limit: int = 2
) -> list[tuple[str, str, SourceRef, str]]:
    """The cloze cards of the lecture's lines that name their slide's concept by a shorter name. Each passes
    the form checks of a slide line's cloze (card_forms.form_problem), against the lecture's text without
    the line it rewrites: "The risk assessment should ..." is the card's own line, not another concept
    the blank would fit (part_fits). Each is (front, back, source, source key): flashcards makes the
    CardDraft."""
    slides = [(s.title, s.text) for s in lc.lecture.slides]

    if lc.text_lang != "en":
        return []
    out: list[tuple[str, str, SourceRef, str]] = []
    for g in lc.groups:
        if not concept_title(g.title, lc):
            continue
        for p in (p for p in g.points if not p.is_definition):
            for sentence in sentences(p.text, "en"):
                made = titled(sentence.strip(), " ".join(g.title.split()))
                if made is None:
                    continue
                text, name = made
                after = text[len("The ") + len(name) :]
                if _RATING.match(after) or not statement_like(text):
                    continue
                if not has_verb(words(text)) or asked[fold(name)] >= limit:
                    continue
                if not cloze_ok(text, name, "en"):
                    continue
                marked = cloze(text, name)
                if marked is None:
                    continue
                key = f"tcloze:{lc.lecture.id}:{p.ref.page}:{digest(text)}"
                others = lecture_text([(t, x.replace(sentence.strip(), " ")) for t, x in slides])
                if form_problem("cloze", marked, text, "en", lecture_text=others) is None:
                    asked[fold(name)] += 1
                    out.append((marked, text, p.ref, key))
    return out
