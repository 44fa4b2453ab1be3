"""Questions that point at a figure ("In the diagram of ...", "what does the plot show", "En la figura ...")
and slides that hold one.

A slide's picture carries what such a question asks about while the slide's own text often says little, so a
neighbour whose prose repeats the question's words can win over the figure slide. Used by
workers.ai.slide_choice (a figure slide the question names leads the answer) and by the benchmarks' analysis.
"""

from __future__ import annotations

import re
from typing import Protocol

# Words that point at a picture on a slide, in the languages of the corpus (English, Spanish, French,
# Russian, Chinese, Hindi). Left out, as they name a topic or an idiom as often as a picture: "graph" (graph
# theory), "image" (vision), "picture" ("the big picture"), "scheme", "table" (a table of contents),
# "example", and the verb "figure out".
_FIGURE_WORDS = re.compile(
    r"\b(fig(ures?)?(?!\s+out\b)|fig\.|diagrams?|plots?|charts?|flowcharts?|histograms?|illustrations?|"
    r"drawings?|sketch(es)?|schematics?|"
    r"figuras?|gr[aá]ficos?|gr[aá]ficas?|diagramas?|esquemas?|"
    r"sch[ée]mas?|graphiques?|"
    r"рисун\w*|диаграмм\w*|график\w*)\b"
    r"|如图|图中|示意图|图示|चित्र|आरेख",
    re.IGNORECASE,
)


class SlideLike(Protocol):
    source: str
    figure_ids: list[int]


def points_at_figure(question: str) -> bool:
    """The question names a figure, diagram, plot, chart, drawing... (not a slide, an example, a table or
    a picture in the idiomatic sense)."""
    return _FIGURE_WORDS.search(question) is not None


def has_figure(slide: SlideLike) -> bool:
    """A figure was found on the slide, or the chunk is a figure's words (caption, words inside)."""
    return bool(slide.figure_ids) or slide.source == "figure"
