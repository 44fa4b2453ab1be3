"""A second candidate slide named in an extractive answer ("Slide 7 also says: ...").

The answer speaks from the slide the slide choice puts first (workers.ai.slide_choice: the most of the
question's words, a slide further down the retrieved list paying 0.15 per place). When the next slide in that
order covers clearly MORE of the question's words than the first (at least COVERAGE_GAIN of them) but not
enough to overcome its place, the student is shown both: the answer adds that slide's sentence sharing the
most words with the question, cited by its own slide, and the first slide's words are shortened to keep the
answer within the usual word budget.

Chosen leaving one dev deck out (benchmarks/qa_lodo.py, docs/benchmarks.md, seventh session): gains of 0.1 and
0.05 give the same figures (cites gold 0.735 -> 0.751, only gold 0.714 -> 0.704, key phrase unchanged, 0.5
more words on average), every fold chose 0.1; a runner-up merely as close as the first (gain 0) or below it
(-0.1 ... -0.34), or close by retrieval's fused score (0.5-4 %), cites gold 0.735-0.767 but only gold falls to
0.39-0.70: the neighbour it names is rarely gold.
"""

from __future__ import annotations

from collections.abc import Callable

from workers.ai.retrieval import Evidence, match_terms
from workers.ai.slide_choice import coverage_of, question_terms, slides_language

COVERAGE_GAIN: float | None = 0.1  # None: never add a second slide
WORDS = 25  # the added sentence is cut to this many words
MIN_TERMS = 1  # question words the runner-up's sentence must share to be worth adding


def runner_up(question: str, slides: list[Evidence]) -> Evidence | None:
    """The second slide in the answering order when it covers at least COVERAGE_GAIN more of the
    question's words than the first (see the module), or None."""
    if len(slides) < 2 or COVERAGE_GAIN is None:
        return None
    first, second = slides[0], slides[1]
    if (first.lecture_id, first.page) == (second.lecture_id, second.page):
        return None
    lang = slides_language(slides)
    terms = question_terms(question, lang)
    if terms and coverage_of(terms, second, lang) >= coverage_of(terms, first, lang) + COVERAGE_GAIN:
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
