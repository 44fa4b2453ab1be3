"""A quiz a student cannot game: true/false keys balanced and capped (false keys are definitions with a
sibling term swapped in, quiz.py; a line made false by a swapped number or word read as nonsense to the
judges and is no longer asked), option capitalisation that gives nothing away,
and no sentence lifted out of its slide ("the assessment", "The _____ information ...")."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from shared.schemas import QuizQuestion, SourceRef
from shared.text import fold, has_cjk, words
from workers.generation.i18n import PHRASES
from workers.generation.quiz_checks import counts_unnamed, instruction
from workers.generation.quiz_kinds import ANAPHORIC
from workers.generation.salience import round_robin
from workers.generation.textutil import contains_phrase

TF_SHARE = 0.4  # at most this share of a quiz is true/false
Near = Callable[[SourceRef, list[tuple[str, SourceRef]], set[str], int], list[str]]


class TrueFalseBalance:
    """Admits true/false questions up to ``TF_SHARE`` of the quiz, and a "True" key only after as many
    "False" ones (a student who always answers True scores at most half). A refused "True" waits (``hold``)
    and comes back (``release``) once a "False" has been asked. A term is the blank of one fill-in only."""

    def __init__(self, count: int) -> None:
        self.cap = max(1, int(count * TF_SHARE))
        self.keys = {"true": 0, "false": 0}
        self._waiting: list[tuple[QuizQuestion, Any]] = []
        self._blanks: set[str] = set()

    def admits(self, q: QuizQuestion) -> bool:
        if q.kind == "fill_blank":  # one blank per term: four blanks keyed "Asset" teach to write "Asset"
            return fold(q.answer) not in self._blanks
        if q.kind != "true_false":
            return True
        if sum(self.keys.values()) >= self.cap:
            return False
        return q.answer != "true" or self.keys["true"] < self.keys["false"]

    def hold(self, q: QuizQuestion, seed: Any) -> None:
        if q.kind == "true_false" and q.answer == "true" and sum(self.keys.values()) < self.cap:
            self._waiting.append((q, seed))

    def add(self, q: QuizQuestion) -> None:
        if q.kind == "fill_blank":
            self._blanks.add(fold(q.answer))
        if q.kind == "true_false":
            self.keys[q.answer] = self.keys.get(q.answer, 0) + 1

    def trim(self, made: list[QuizQuestion]) -> list[QuizQuestion]:
        """Fewer true/false items when the quiz came out shorter than asked: at most ``TF_SHARE`` of what was
        made (a "True" goes first, then the last asked)."""
        out = list(made)
        while (tf := [q for q in out if q.kind == "true_false"]) and len(tf) > max(1, TF_SHARE * len(out)):
            out.remove(next((q for q in reversed(tf) if q.answer == "true"), tf[-1]))
        return out

    def release(self) -> tuple[QuizQuestion, Any] | None:
        """A waiting "True" question (with its seed) that may now be asked."""
        if self._waiting and self.keys["true"] < self.keys["false"]:
            return self._waiting.pop(0)
        return None


class _Ordered(Protocol):
    order: tuple[int, int]


T = TypeVar("T", bound=_Ordered)


def interleaved(seeds: list[T], rng: random.Random) -> list[T]:
    """Shuffled within each lecture (``order[0]``), then round-robin across lectures (every lecture gets
    asked)."""
    by_lecture: dict[int, list[T]] = {}
    for s in seeds:
        by_lecture.setdefault(s.order[0], []).append(s)
    for lst in by_lecture.values():
        rng.shuffle(lst)
    return round_robin([s for lst in by_lecture.values() for s in lst], lambda s: s.order[0])


def even_case(q: QuizQuestion) -> QuizQuestion:
    """Options start in the same case: the key is never the one option in lower case (or in capitals)."""
    if len(q.options) < 2 or any(has_cjk(o) for o in q.options):
        return q
    starts = {o[:1].isupper() for o in q.options if o[:1].isalpha()}
    if len(starts) < 2:
        return q

    def up(option: str) -> str:
        return option[:1].upper() + option[1:] if option[:1].isalpha() else option

    fixed = [up(o) for o in q.options]
    if q.answer_text in q.options:
        q.answer_text = fixed[q.options.index(q.answer_text)]
    q.options = fixed
    return q


def framed(text_lang: str) -> bool:
    """Whether the quiz can frame the notes' own language ("True or false:" before Russian is no question)."""
    return text_lang in PHRASES or text_lang in ("", "und")


_BLANK_IN_SUBJECT = re.compile(r"^(?:the|this|these|those)\s+_{3,}\s+[a-z]", re.I)


def context_prefix(sentence: str, title: str, terms: list[str], lang: str) -> str | None:
    """Whether a lifted sentence stands on its own: "" when it does, "In <title>: " when it leans on a
    thing its slide's title names, None when neither (drop it).

    It leans on its slide when it opens with a pronoun ("These ...") or tells the reader what to do, in any
    of the quiz's languages ("Propose the controls that may be put in place to protect an _____": which
    step?; "When systems fail, ensure ...": no statement to call true), when its subject only counts what it
    does not name ("Two fundamental issues have to be considered ...": which?), when it says "these goals",
    when a blank sits in a definite subject ("The _____ information and the tuples are deleted": which
    operation?), or when it says "the <word>" for a multi-word term of the lecture it does not name ("the
    results of the assessment" in a lecture on risk assessment and design risk assessment)."""
    flat = sentence.strip()
    if instruction(flat, lang) or counts_unnamed(flat):
        return None
    if lang != "en":
        return ""
    if ANAPHORIC.match(flat) or _BLANK_IN_SUBJECT.match(flat):
        return None
    if re.search(r"\b(?:these|those)\s+[a-z]+", flat, re.I):  # "implementing these goals": which goals?
        return None
    heads: dict[str, list[str]] = {}
    for term in terms:
        ws = words(term)
        if len(ws) >= 2 and not has_cjk(term):
            heads.setdefault(ws[-1].lower(), []).append(term)
    longer = [x for x in terms if len(words(x)) >= 2]
    for m in re.finditer(r"\b(?:the|this|these|that|those)\s+([A-Za-z]+)\b", sentence, re.I):
        named = heads.get(m.group(1).lower())
        if not named or any(contains_phrase(sentence, x) for x in named):
            continue
        if any(fold(sentence[m.start(1) :]).startswith(fold(x)) for x in longer):
            continue  # "the risk assessment": the word opens a term the sentence names
        if title and any(contains_phrase(title, x) for x in named):
            return f"In {title}: "
        return None
    return ""
