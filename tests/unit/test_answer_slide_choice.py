"""Which retrieved slide an extractive answer speaks from, and that the whole slide (all its chunks) is read,
with fakes (no model, no database). The rules: the slide covering the most of the question's words leads, a
slide further down paying a penalty per place; a follow-up pinned to the previous answer's slide and a figure
slide the question names keep their place; the answer cites the slide it quotes."""

from __future__ import annotations

from typing import Any

from tests.support.answers import FakeDb, notes_of
from tests.unit.test_answer_rules import FakeRetriever, ScriptedLLM, ev
from workers.ai.answer import AnswerRequest, answer_question, extractive_answer, fill_order
from workers.ai.retrieval import Evidence
from workers.ai.slide_choice import (
    MAX_SLIDE_WORDS,
    PLACE_PENALTY,
    answer_evidence,
    answering_order,
    coverage_of,
    question_terms,
    whole_slides,
)

# A title that repeats the question's words, above the slide that defines them (the dev set's commonest miss).
TITLE_ONLY = ev(19, "Generalized adjacency matrices", 0.72, "Generalized adjacency matrices")
DEFINES = ev(
    9,
    "Properties of the adjacency matrix. The k-th power of the adjacency matrix counts the walks of "
    "length k between two vertices.",
    0.48,
    "Properties of the adjacency matrix",
)
QUESTION = "What does the k-th power of the adjacency matrix count?"


def ask(
    evidence: list[Evidence], question: str, chunks: list[tuple[int, int, int, str, str]] | None = None
) -> dict[str, Any]:
    events: list[dict[str, object]] = []
    result = answer_question(
        db=FakeDb(notes_of(evidence), chunks),  # type: ignore[arg-type]
        retriever=FakeRetriever(evidence, None),  # type: ignore[arg-type]
        llm_factory=lambda: ScriptedLLM(""),
        redis=None,
        req=AnswerRequest(user_id=3, subject_id=7, question=question, request_id="r"),
        emit=lambda e: events.append(e.model_dump(mode="json")),
        extractive=True,
    )
    return result


def test_the_slide_covering_the_question_answers_even_below_a_title_that_repeats_its_words() -> None:
    ordered = answering_order(QUESTION, [TITLE_ONLY, DEFINES])
    assert [e.page for e in ordered] == [9, 19]
    result = ask([TITLE_ONLY, DEFINES], QUESTION)
    assert [c["page"] for c in result["citations"]][:1] == [9]
    assert "walks of length k" in result["answer"]


def test_retrieval_order_stands_unless_a_later_slide_covers_clearly_more_of_the_question() -> None:
    question = "Which vertices and edges does the adjacency matrix of an undirected weighted graph record?"
    first = ev(4, "The adjacency matrix of an undirected graph is symmetric.", 0.6)
    second = ev(5, "The adjacency matrix of an undirected graph is symmetric in its vertices.", 0.5)
    terms = question_terms(question)
    gap = coverage_of(terms, second) - coverage_of(terms, first)
    assert 0 < gap < PLACE_PENALTY  # covers a little more, not enough to pass the slide above it
    assert [e.page for e in answering_order(question, [first, second])] == [4, 5]
    third = ev(
        6, "The adjacency matrix records which vertices of an undirected weighted graph share edges.", 0.4
    )
    assert [e.page for e in answering_order(question, [first, second, third])] == [6, 4, 5]
    # Without content words (a bare "why?") the retrieval's order stands.
    assert [e.page for e in answering_order("why?", [TITLE_ONLY, DEFINES])] == [19, 9]


def test_a_figure_slide_whose_whole_title_the_question_names_keeps_its_place() -> None:
    figure = ev(15, "Bidirectional RNN", 0.66, "Bidirectional RNN")
    figure.figure_ids = [150]
    deep = ev(14, "Deep RNN: the output of each layer becomes the input to the next layer.", 0.56, "Deep RNN")
    question = "What does the bidirectional RNN diagram show about each layer output?"
    assert [e.page for e in answering_order(question, [figure, deep])] == [15, 14]
    # The same words on a slide with text of its own do not hold it in place.
    wordy = ev(15, "Bidirectional RNN: read the text both ways.", 0.66, "Bidirectional RNN")
    assert [e.page for e in answering_order(question, [wordy, deep])] == [14, 15]


def test_a_follow_up_pinned_to_the_previous_slide_is_answered_from_it() -> None:
    history = [
        {"role": "user", "content": "What is a generalized adjacency matrix?"},
        {"role": "assistant", "content": "Generalized adjacency matrices. [Stats, slide 19]"},
    ]
    events: list[dict[str, object]] = []
    evidence = [TITLE_ONLY, DEFINES]
    result = answer_question(
        db=FakeDb(notes_of(evidence)),  # type: ignore[arg-type]
        retriever=FakeRetriever(evidence, None),  # type: ignore[arg-type]
        llm_factory=lambda: ScriptedLLM(""),
        redis=None,
        req=AnswerRequest(
            user_id=3,
            subject_id=7,
            question="Why?",
            request_id="r",
            history=history,
        ),
        emit=lambda e: events.append(e.model_dump(mode="json")),
        extractive=True,
    )
    assert [c["page"] for c in result["citations"]][:1] == [19]


def test_the_answer_reads_every_chunk_of_its_slide_and_cites_the_slide_once() -> None:
    # Retrieval kept the slide's first chunk; the number the student asks for is in its second chunk.
    split = ev(22, "Leave-one-out cross validation fits one model per observation.", 0.6, "LOO-CV")
    chunks = [
        (22, 1, 22, "text_layer", split.text),
        (23, 1, 22, "text_layer", "With 200 observations LOO-CV fits 200 models."),
        (24, 1, 22, "notes", "Speaker notes: slow when fitting is slow."),
        (30, 1, 23, "text_layer", "Another slide about folds."),
    ]
    whole = whole_slides([split], {(1, 22): [c[0:1] + c[3:] for c in chunks[:3]]})
    assert "200 models" in whole[0].text and "Speaker notes" not in whole[0].text
    assert split.text == "Leave-one-out cross validation fits one model per observation."  # a copy
    result = ask([split], "How many models does leave-one-out fit with 200 observations?", chunks)
    assert "fits 200 models" in result["answer"]
    assert [c["page"] for c in result["citations"]] == [22]
    assert result["answer"].count("[Stats, slide 22]") == 1
    # The evidence shown to the student is the retrieved chunk, unchanged.
    assert result["evidence"][0]["text"] == split.text
    # Without the slide's other chunks the number is not there to quote.
    assert (
        "200 models"
        not in ask([split], "How many models does leave-one-out fit with 200 observations?")["answer"]
    )


def test_a_short_answer_fills_with_what_follows_its_lead_in_before_the_rest_of_the_slide() -> None:
    slide = ev(
        1,
        "(4) (5) (6) (7) (8)\nLanguage acquisition handout, fall term, room 32-155.\n"
        "Two views on the development of inflection:\nGrowing strength.\nStrong UG.",
        0.6,
    )
    answer, cited = extractive_answer("What are the two views on the development of inflection?", [slide])
    assert [e.page for e in cited] == [1]
    assert "Growing strength" in answer and "Strong UG" in answer
    # The list comes right after its lead-in, ahead of the slide's unrelated first lines.
    assert answer.index("Strong UG") < answer.index("Language acquisition handout")
    assert fill_order(["a b", "lead-in:", "x", "y", "z", "w"], [1]) == [2, 3, 0, 4, 5]


def test_a_slide_of_thousands_of_chunks_is_read_only_up_to_a_bound() -> None:
    """A hostile deck: one slide cut into 5,000 chunks (200,000 words). Reading all of it made an extractive
    answer take 3-4 s on this machine; the whole slide is bounded, the retrieved chunk always first."""
    top = ev(7, "Speciation is the formation of new species.", 0.6, "Speciation")
    many = [
        (1000 + j, "text_layer", " ".join(["filler words about nothing"] * 10) + ".") for j in range(5000)
    ]
    many.insert(0, (1, "text_layer", "   "))  # an empty chunk adds nothing
    whole = whole_slides([top], {(1, 7): many})
    assert whole[0].text.startswith(top.text)
    assert len(whole[0].text.split()) <= MAX_SLIDE_WORDS
    assert "\n\n\n\n" not in whole[0].text


def test_the_slides_chunks_are_read_only_from_the_askers_subject() -> None:
    """Defence in depth, as retrieval does: the chunk query itself is limited to lectures of the asker's
    subject (evidence naming another user's lecture reads nothing of it)."""
    from sqlalchemy.dialects import postgresql

    from tests.support.answers import FakeSubject

    class RecordingDb(FakeDb):
        queries: list[Any] = []

        def execute(self, query: Any) -> Any:
            self.queries.append(query)
            return super().execute(query)

    db = RecordingDb(chunks=[])
    answer_evidence(
        db, "What is speciation?", [ev(7, "Speciation.")], keep_first=False, subject=FakeSubject()
    )
    sql = str(db.queries[0].compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
    assert "JOIN lectures ON lectures.id = chunks.lecture_id" in sql
    assert "lectures.subject_id = 7" in sql and "lectures.user_id = 3" in sql
