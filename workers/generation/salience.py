"""How central a concept is to its lecture, read from the deck alone (no concept list, no word of any deck):
quiz questions and cards are filled from the most salient concepts first, and an item whose concepts all fall
below ``MIN_SALIENCE`` is dropped unless the lecture would be left with fewer than a floor of items ("fewer
right things beat more wrong ones", issue #14).

A term's salience in [0, 1] adds four signals of the deck's own structure and language:
- titles: the share of the deck's distinct slide titles naming it (capped at ``TITLE_CAP`` titles),
- spread: the share of its slides naming it (document frequency within the deck, capped at ``SPREAD_CAP``),
  averaged with the same for each of its words ("wait" across the slides of "Hold and wait"),
- defined: the slides define it ("X is ...", "X: ..."),
- rarity: how rare its words are in general language (wordfreq's Zipf frequency for the deck's language):
  "deadlock" is a concept, "today", "group" or "example" are ordinary words; a word the list does not know (a
  coinage, or a misread word) counts as half rare.
A term is named by a text when all its content words' stems are in it (plurals and case folded; CJK: as a
substring). An item's salience is the highest salience of the lecture's terms it names; an item naming none of
them gets half the salience of its most salient content word.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TypeVar

from shared.schemas import QuizQuestion
from shared.text import fold, has_cjk, stem, stopwords, words
from shared.text.plausibility import zipf

if TYPE_CHECKING:
    from workers.generation.candidates import LectureCandidates

# An item below MIN_SALIENCE is dropped unless its lecture would keep fewer than max(FLOOR_MIN, FLOOR_SHARE x
# the count asked): both chosen on the dev decks by benchmarks/salience_lodo.py (docs/benchmarks.md, sess. 8).
MIN_SALIENCE = 0.3
FLOOR_SHARE, FLOOR_MIN = 0.1, 1
TITLE_CAP, SPREAD_CAP = 2, 5
WEIGHTS = {"titles": 1.0, "spread": 1.0, "defined": 0.5, "rarity": 0.75}
COMMON_ZIPF, RARE_ZIPF = 6.0, 3.0
UNKNOWN_RARITY = 0.5  # Zipf >= 6: a word of every text; <= 3: a specialist's word

T = TypeVar("T")


def _stems(text: str, lang: str) -> frozenset[str]:
    stop = stopwords(lang)
    return frozenset(
        stem(w.lower(), lang)
        for w in words(text)
        if w.lower() not in stop and len(w) >= 2 and not w.isdigit()
    )


def rarity(word: str, lang: str) -> float:
    """1.0 for a word rare in general language, 0.0 for a word of every text (wordfreq's Zipf scale)."""
    if has_cjk(word):
        return 1.0
    z = zipf(word.lower(), lang)
    if z <= 0.0:  # unknown to the word list: a coinage, a name, or a misread word (OCR of a figure)
        return UNKNOWN_RARITY
    return min(1.0, max(0.0, (COMMON_ZIPF - z) / (COMMON_ZIPF - RARE_ZIPF)))


@dataclass
class Salience:
    """The salience of a lecture's terms, and of any text by the terms it names."""

    lang: str
    titles: list[frozenset[str]]  # the stems of each distinct slide title
    slides: list[frozenset[str]]  # the stems of each slide (title and text)
    raw: list[str]  # each slide's title and text (for CJK terms)
    defined: set[str] = field(default_factory=set)  # folded defined terms
    terms: list[str] = field(default_factory=list)  # the lecture's terms, longest first
    _cache: dict[str, float] = field(default_factory=dict)
    _stem_cache: dict[str, frozenset[str]] = field(default_factory=dict)

    def term(self, term: str) -> float:
        key = fold(term)
        if key not in self._cache:
            self._cache[key] = self._score(term)
        return self._cache[key]

    def _score(self, term: str) -> float:
        if has_cjk(term):
            in_titles = sum(term in t for t in self.raw_titles)
            spread = min(sum(term in s for s in self.raw), SPREAD_CAP) / SPREAD_CAP
            rare = 1.0
        else:
            stems = _stems(term, self.lang)
            if not stems:
                return 0.0
            in_titles = sum(stems <= t for t in self.titles)
            phrase = min(sum(stems <= s for s in self.slides), SPREAD_CAP) / SPREAD_CAP
            each = [min(sum(w in s for s in self.slides), SPREAD_CAP) / SPREAD_CAP for w in stems]
            spread = (phrase + sum(each) / len(each)) / 2  # the name, and its words, across the slides
            content = [w for w in words(term) if w.lower() not in stopwords(self.lang) and not w.isdigit()]
            rare = sum(rarity(w, self.lang) for w in content) / max(1, len(content))
        parts = {
            "titles": min(in_titles, TITLE_CAP) / TITLE_CAP,
            "spread": spread,
            "defined": 1.0 if fold(term) in self.defined else 0.0,
            "rarity": rare,
        }
        return sum(WEIGHTS[k] * v for k, v in parts.items()) / sum(WEIGHTS.values())

    @property
    def raw_titles(self) -> list[str]:
        return [r.split("\n", 1)[0] for r in self.raw]

    def _term_stems(self, term: str) -> frozenset[str]:
        if term not in self._stem_cache:
            self._stem_cache[term] = _stems(term, self.lang)
        return self._stem_cache[term]

    def named(self, text: str) -> list[str]:
        """The lecture's terms ``text`` names (all content stems present; CJK: as a substring)."""
        have = _stems(text, self.lang)
        out = []
        for term in self.terms:
            if has_cjk(term):
                if term in text:
                    out.append(term)
            elif (stems := self._term_stems(term)) and stems <= have:
                out.append(term)
        return out

    def of(self, text: str) -> float:
        """An item's salience: its most salient named term, else half its most salient content word."""
        found = self.named(text)
        if found:
            return max(self.term(t) for t in found)
        stop = stopwords(self.lang)
        content = [w for w in words(text) if w.lower() not in stop and len(w) >= 3 and not w.isdigit()]
        return 0.5 * max((self.term(w) for w in content), default=0.0)


def build_salience(lc: LectureCandidates) -> Salience:
    """The salience of a lecture (a LectureCandidates), computed once per lecture."""
    cached = getattr(lc, "_salience", None)
    if isinstance(cached, Salience):
        return cached
    from workers.generation.keyterms import key_terms
    from workers.generation.quiz_statements import concept_names

    lang = lc.text_lang
    seen: set[str] = set()
    titles: list[frozenset[str]] = []
    for s in lc.lecture.slides:
        key = fold(s.title)
        if key and key not in seen:
            seen.add(key)
            titles.append(_stems(s.title, lang))
    raw = [f"{s.title}\n{s.text}" for s in lc.lecture.slides]
    terms = {fold(t): t for t in [*key_terms(lc), *concept_names(lc), *(d.term for d in lc.definitions)]}
    sal = Salience(
        lang=lang,
        titles=titles,
        slides=[_stems(r, lang) for r in raw],
        raw=raw,
        defined={fold(d.term) for d in lc.definitions},
        terms=sorted(terms.values(), key=len, reverse=True),
    )
    object.__setattr__(lc, "_salience", sal)
    return sal


def floor_for(count: int) -> int:
    """The fewest items a lecture keeps when it has them, however low their salience."""
    return min(count, max(FLOOR_MIN, math.ceil(FLOOR_SHARE * count)))


def ranked(items: Sequence[T], score: Callable[[T], float]) -> list[T]:
    """Most salient first; equal scores keep their order (the generators' own interleaving)."""
    scored = [(score(x), i, x) for i, x in enumerate(items)]
    return [x for _, _, x in sorted(scored, key=lambda s: (-s[0], s[1]))]


def round_robin(items: Sequence[T], group: Callable[[T], object]) -> list[T]:
    """One item of each group (lecture) in turn, each group's items in their given order: a subject's most
    salient lecture does not crowd out the others."""
    groups: dict[object, list[T]] = {}
    for x in items:
        groups.setdefault(group(x), []).append(x)
    out: list[T] = []
    while any(groups.values()):
        for lst in groups.values():
            if lst:
                out.append(lst.pop(0))
    return out


def salient(
    items: Sequence[T],
    score: Callable[[T], float],
    count: int,
    *,
    threshold: float | None = None,
    floor: int | None = None,
    group: Callable[[T], object] = lambda _: 0,
) -> list[T]:
    """Up to ``count`` items, the most salient of each ``group`` (a lecture) first, in turn; none below
    ``threshold`` unless fewer than ``floor`` of a group reach it: the best of its rest then fill up to the
    floor. Returned in their given order."""
    threshold = MIN_SALIENCE if threshold is None else threshold
    floor = floor_for(count) if floor is None else floor
    scores = {id(x): score(x) for x in items}
    order = round_robin(ranked(items, lambda x: scores[id(x)]), group)
    chosen = [x for x in order if scores[id(x)] >= threshold][:count]
    for g in dict.fromkeys(group(x) for x in items):
        have = sum(group(x) == g for x in chosen)
        below = [x for x in order if group(x) == g and scores[id(x)] < threshold]
        chosen += below[: max(0, min(floor, count) - have)]
    keep = {id(x) for x in chosen}
    return [x for x in items if id(x) in keep]


class _Seed(Protocol):
    key: str  # "d:<term>", "p:<line>", "l:<list title>" (folded)
    order: tuple[int, int]  # (lecture index, page)

    @property
    def build(self) -> Callable[[], QuizQuestion | None]: ...


class SalienceGate:
    """Quiz questions by salience: seeds ranked by the concept their key names, a built question held back
    when below the threshold (the quiz's floor may still take it)."""

    def __init__(self, lectures: Sequence[LectureCandidates], threshold: float | None = None) -> None:
        self.lectures = [build_salience(lc) for lc in lectures]
        self.by_id = {lc.lecture.id: s for lc, s in zip(lectures, self.lectures, strict=True)}
        self.threshold = MIN_SALIENCE if threshold is None else threshold

    def floor(self, count: int) -> int:
        """Each lecture's floor: of its share of the ``count`` questions asked."""
        return floor_for(max(1, count // max(1, len(self.lectures))))

    def seed(self, seed: _Seed) -> float:
        return self.lectures[seed.order[0]].of(seed.key.split(":", 1)[-1])

    def question(self, q: QuizQuestion) -> float:
        sal = self.by_id.get(q.source.lecture_id)
        return sal.of(f"{q.prompt} {q.answer_text}") if sal else 0.0

    def built(self, seed: _Seed) -> float:
        q = seed.build()
        return self.question(q) if q is not None else 0.0

    def low(self, q: QuizQuestion, seed: _Seed | None = None) -> bool:
        return self.question(q) < self.threshold
