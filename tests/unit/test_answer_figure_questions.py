"""Questions about a figure (workers/ai/figure_questions.py) and the slide an answer speaks from when the
question opens by naming a figure slide's title (workers/ai/slide_choice.py named_figure). Fakes only: the
evidence is built by hand, no model, no database."""

from __future__ import annotations

import pytest

from tests.unit.test_answer_rules import ev
from workers.ai.answer import answer_units, extractive_answer
from workers.ai.figure_questions import has_figure, points_at_figure
from workers.ai.retrieval import Evidence
from workers.ai.slide_choice import answering_order, named_figure


def figure_slide(page: int, title: str, text: str = "") -> Evidence:
    slide = ev(page, text or title, 0.5, title)
    slide.figure_ids = [page * 10]
    return slide


@pytest.mark.parametrize(
    "question",
    [
        "In the vanilla RNN diagram, what do R and O compute?",
        "In the capacity comparison plot with M = K = 4, how does the MIMO curve compare?",
        "What does Fig. 3 show about the failure zones?",
        "En la figura de posición del refuerzo, ¿qué se hace con las barras?",
        "En el gráfico de colores del esfuerzo normal, ¿entre qué valores varía la escala?",
        "Что показано на рисунке со структурой?",
        "如图所示，哪个阶段最长？",
    ],
)
def test_a_question_pointing_at_a_figure_is_recognised(question: str) -> None:
    assert points_at_figure(question)


@pytest.mark.parametrize(
    "question",
    [
        "Can we figure out that an integrity constraint holds just by looking at an instance?",
        "How do practice finals change the picture in the grading analogy?",
        "In the directed graph example, which vertices does vertex 4 have edges to?",
        "What is on the table of contents?",
        "Give an example of a misuse case.",
    ],
)
def test_idioms_and_topic_words_do_not_point_at_a_figure(question: str) -> None:
    assert not points_at_figure(question)


def test_a_slide_has_a_figure_when_one_was_found_on_it_or_the_chunk_is_a_figures_words() -> None:
    assert has_figure(figure_slide(3, "Layers"))
    words = ev(4, "Useful subchannels", 0.5, "Diagonalizing")
    words.source = "figure"
    assert has_figure(words)
    assert not has_figure(ev(5, "A slide of prose about layers and records.", 0.5, "Layers"))


# The prose slide repeats every word of the question; the figure slide below it is the one named.
PROSE = ev(
    55,
    "Platform-level protection. Application-level protection. Record-level protection: invoked when "
    "access to specific information is requested. These lead to a layered protection architecture.",
    0.6,
    "Protection",
)
FIGURE = figure_slide(56, "A layered protection architecture")
QUESTION = "In the layered protection architecture, what's at the record level?"


def test_a_figure_slide_whose_title_the_question_opens_with_is_answered_from() -> None:
    assert [e.page for e in answering_order(QUESTION, [PROSE, FIGURE])] == [56, 55]
    # The same question without naming the figure: the slide that covers it keeps its place.
    plain = "What protection is there at the record level?"
    assert [e.page for e in answering_order(plain, [PROSE, FIGURE])] == [55, 56]


def test_the_opening_phrase_must_name_the_figure_title_exactly_and_the_slide_must_have_a_figure() -> None:
    misuse = figure_slide(40, "Misuse cases")
    # names more than the title ("intercept transfer" misuse case): another slide is meant
    misuse_question = "In the 'intercept transfer' misuse case, what attacks are described?"
    assert named_figure(misuse_question, [misuse]) is None
    # a title-only slide without a figure (a section divider) is not taken for one
    divider = ev(19, "Cross validation", 0.5, "Cross validation")
    folds = "In cross validation, how many models are fit?"
    assert named_figure(folds, [divider]) is None
    assert named_figure(folds, [figure_slide(19, "Cross validation")]) is not None
    # pointer words ("diagram") in the opening phrase are not part of the name
    assert named_figure("In the layered protection architecture diagram, what is on top?", [FIGURE]) is FIGURE
    # a one-word name is too little to tell a figure from a topic
    assert named_figure("In protection, what comes first?", [figure_slide(2, "Protection")]) is None


def test_an_answer_never_consists_of_pieces_of_the_slide_title() -> None:
    """A title wrapped over two lines (or read again inside a figure) is no answer: the slide is named and
    cited, and the next slide's sentence answers."""
    top = ev(
        35,
        "Principal stresses\nMaximum shear stress\n© 2022 Universidad de Ejemplo",
        0.7,
        "Principal stresses and maximum shear stress",
    )
    top.figure_ids = [350]
    nxt = ev(
        36,
        "The maximum shear stress equals half the difference of the principal stresses.",
        0.6,
        "Mohr's circle",
    )
    assert answer_units(top) == []
    answer, cited = extractive_answer("What is the maximum shear stress?", [top, nxt])
    assert [e.page for e in cited] == [35, 36]
    assert "half the difference" in answer
    spoken = answer.replace(top.label, "").replace(nxt.label, "")
    assert "Maximum shear stress." not in spoken and "Universidad" not in spoken
    # A lead-in that repeats title words but introduces what follows stays.
    lead = ev(9, "Singular values:\ns1 >= s2 >= 0 on the diagonal.", 0.6, "Singular values")
    assert answer_units(lead)[0] == "Singular values:"


def test_a_one_word_header_that_the_title_also_names_stays_in_the_answer() -> None:
    slide = ev(
        28,
        "Advantages\nResistant to vanishing gradients.\nDisadvantages\nHard to parallelize.",
        0.6,
        "LSTMs: advantages and disadvantages",
    )
    units = answer_units(slide)
    assert "Disadvantages" in units and "Hard to parallelize." in units
