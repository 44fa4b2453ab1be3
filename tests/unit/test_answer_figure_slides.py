"""The extractive answer when the top slide's content is a figure (its text is only its title): that slide is
named and cited first when its title shares a content word with the question, and what the next slide says
still follows. No model is involved."""

from __future__ import annotations

from tests.unit.test_answer_rules import ask, ev
from workers.ai.answer import extractive_answer
from workers.ai.retrieval import Evidence


def figure_slide(page: int, title: str) -> Evidence:
    slide = ev(page, title, 0.66, title)
    slide.figure_ids = [page * 10]
    return slide


NEIGHBOUR = ev(
    14, "Deep RNN: the output of each layer becomes the input to the next layer.", 0.56, "Deep RNN"
)


def test_a_figure_slide_on_top_is_cited_first_and_the_next_slide_still_answers() -> None:
    top = figure_slide(15, "Bidirectional RNN")
    answer, cited = extractive_answer(
        "In the bidirectional RNN figure, how are the forward and backward outputs combined?",
        [top, NEIGHBOUR],
    )
    assert [e.page for e in cited] == [15, 14]
    assert answer.index(top.label) < answer.index("output of each layer")
    assert "Bidirectional RNN" in answer


def test_a_title_only_slide_sharing_no_content_word_with_the_question_does_not_lead() -> None:
    # "diagram" only points at the slides; the slide's title shares nothing else with the question.
    top = figure_slide(3, "Diagram")
    answer, cited = extractive_answer(
        "In the diagram, what does a deep RNN feed each layer?", [top, NEIGHBOUR]
    )
    assert [e.page for e in cited] == [14]
    assert top.label not in answer


def test_the_full_pipeline_cites_the_figure_slide_first() -> None:
    top = figure_slide(15, "Bidirectional RNN")
    result, _, _ = ask(
        [top, NEIGHBOUR], "What does the bidirectional RNN diagram show about each layer output?"
    )
    assert result["answered_from_notes"]
    assert [c["page"] for c in result["citations"]][:1] == [15]
