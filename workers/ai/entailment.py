"""The entailment gate for a model's answer: every sentence it writes must be entailed by ONE source
sentence it was given, or the extractive answer stands.

A sentence is entailed by a source sentence when (after stemming) all its content words that are not the
question's own are in that source sentence, every number it states is in it, it does not flip a negation
(one says "not", "never", "без"... and the other does not), and, when an embedder is given, the two are
close in meaning (cosine >= MIN_SIMILARITY). Stricter than the old word-overlap check (60 % of the answer's
words anywhere in the notes): a sentence cannot stitch two slides together, change a number or drop a "not".
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from shared.text import content_tokens, tokens

MIN_SIMILARITY = 0.6
MIN_WORDS = 1  # a sentence must say at least this many content words beyond the question's
_NUMBER = re.compile(r"(?<![\w.])[-+]?\d+(?:[.,]\d+)*%?")
_NEGATIONS_WORDS = (
    "not no never none nothing neither nor cannot without nunca sin ningún ninguna ne pas jamais sans "
    "не нет без ни никогда "
    "नहीं न कभी"
)
NEGATIONS = frozenset(_NEGATIONS_WORDS.split())
_NEGATION_WORD = re.compile(r"[^\W\d_]+")
_NT = re.compile(r"n['’]t\b", re.I)  # "isn't", "can't", "won't", "needn't": a "not" of their own

Embed = Callable[[list[str]], list[list[float]]]


@dataclass
class Verdict:
    sentence: str
    source: int | None  # index of the entailing source sentence, None when no source entails it
    reason: str = ""  # why not, for the log: "words", "number", "negation", "meaning", "empty"

    @property
    def ok(self) -> bool:
        return self.source is not None


def words(text: str) -> set[str]:
    """Content words, stemmed; numbers are checked whole by numbers()."""
    return {t for t in content_tokens(text) if not t.isdigit()}


def numbers(text: str) -> set[str]:
    return {n.rstrip("%").replace(",", ".") for n in _NUMBER.findall(text)}


def negated(text: str) -> bool:
    """Whether the text says "not" (odd count of negations: "not unlike" is rare enough to ignore)."""
    found = [w.lower() for w in _NEGATION_WORD.findall(_NT.sub(" not", text))]
    count = sum(1 for w in found if w in NEGATIONS)
    return count % 2 == 1


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=False))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def check(
    sentences: list[str], sources: list[str], *, question: str = "", embed: Embed | None = None
) -> list[Verdict]:
    """One verdict per sentence: the source sentence that entails it (the closest in meaning among those
    passing the word, number and negation rules), or why none does."""
    asked = set(content_tokens(question))
    source_words = [words(s) for s in sources]
    source_numbers = [numbers(s) for s in sources]
    source_negated = [negated(s) for s in sources]
    candidates: list[tuple[int, list[int], str]] = []  # (sentence, sources passing the rules, reason)
    for i, sentence in enumerate(sentences):
        said = words(sentence)
        if len(said - asked) < MIN_WORDS or not tokens(sentence):
            candidates.append((i, [], "empty"))
            continue
        passing, reason = [], "words"
        for j in range(len(sources)):
            if not (said - asked) <= source_words[j] or not said & source_words[j]:
                continue
            if not numbers(sentence) <= source_numbers[j]:
                reason = "number"
                continue
            if negated(sentence) != source_negated[j]:
                reason = "negation"
                continue
            passing.append(j)
        candidates.append((i, passing, reason))
    similarities: dict[tuple[int, int], float] = {}
    if embed is not None:
        wanted = sorted({j for _, passing, _ in candidates for j in passing})
        asked_sentences = [i for i, passing, _ in candidates if passing]
        if wanted and asked_sentences:
            vectors = embed([sentences[i] for i in asked_sentences] + [sources[j] for j in wanted])
            own = dict(zip(asked_sentences, vectors[: len(asked_sentences)], strict=True))
            theirs = dict(zip(wanted, vectors[len(asked_sentences) :], strict=True))
            for i, passing, _ in candidates:
                for j in passing:
                    similarities[(i, j)] = _cosine(own[i], theirs[j])
    verdicts = []
    for i, passing, reason in candidates:
        if embed is not None and passing:
            passing = [j for j in passing if similarities[(i, j)] >= MIN_SIMILARITY]
            reason = reason if passing else "meaning"
        if passing:
            best = max(passing, key=lambda j: similarities.get((i, j), 0.0))
            verdicts.append(Verdict(sentences[i], best))
        else:
            verdicts.append(Verdict(sentences[i], None, reason))
    return verdicts
