"""A second candidate slide named in an extractive answer ("Slide 7 also says: ...").

When the slide the answer speaks from and the next one in the answering order are nearly tied, the student
could be shown both: the answer adds the runner-up's sentence that shares the most words with the question,
cited by its own slide. "Nearly tied" is either by the slide choice's coverage of the question's words
(MARGIN_COVERAGE: the runner-up covers at least the first's share minus the margin) or by retrieval's fused
score (MARGIN_SCORE: the two scores differ by at most this share of the larger). Both are off (None) unless
measured to help on decks the margin was not chosen on (docs/benchmarks.md, seventh session).
"""

from __future__ import annotations

from collections.abc import Callable

from workers.ai.retrieval import Evidence, match_terms
from workers.ai.slide_choice import coverage_of, question_terms, slides_language

MARGIN_COVERAGE: float | None = None
MARGIN_SCORE: float | None = None
WORDS = 25  # the added sentence is cut to this many words
MIN_TERMS = 1  # question words the runner-up's sentence must share to be worth adding


def runner_up(question: str, slides: list[Evidence]) -> Evidence | None:
    """The second slide in the answering order when it is nearly tied with the first (see the module), or
    None (off, fewer than two slides, or not close)."""
    if len(slides) < 2 or (MARGIN_COVERAGE is None and MARGIN_SCORE is None):
        return None
    first, second = slides[0], slides[1]
    if (first.lecture_id, first.page) == (second.lecture_id, second.page):
        return None
    if MARGIN_SCORE is not None:
        top = max(first.score, second.score)
        if top > 0 and abs(first.score - second.score) <= MARGIN_SCORE * top:
            return second
    if MARGIN_COVERAGE is not None:
        lang = slides_language(slides)
        terms = question_terms(question, lang)
        if terms and coverage_of(terms, second, lang) >= coverage_of(terms, first, lang) - MARGIN_COVERAGE:
            return second
    return None


def also_says(question: str, slide: Evidence, units: Callable[[Evidence], list[str]]) -> str | None:
    """The runner-up slide's unit sharing the most of the question's words (at least MIN_TERMS), as
    "Slide N also says: ...", cut to WORDS words; None when none shares enough."""
    wanted = set(match_terms(question))
    found = units(slide)
    if not wanted or not found:
        return None
    scores = [len(wanted & set(match_terms(u))) for u in found]
    best = max(range(len(found)), key=lambda i: (scores[i], -i))
    if scores[best] < MIN_TERMS:
        return None
    said = found[best].split()
    text = " ".join(said[:WORDS]) + (" ..." if len(said) > WORDS else "")
    return f"Slide {slide.page} also says: {text}"


def budget_for(extra: str | None, budget: int) -> int:
    """The words left for the first slide's answer once the runner-up's sentence is set aside, so the
    whole answer stays within the usual budget."""
    return budget - len(extra.split()) if extra else budget
