"""Every LLM output is validated against a schema and a check, retried once, then replaced by the extractive
candidate; a slow or missing model never stretches or breaks a document."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.errors import AppError
from shared.files import LocalFileStore
from shared.llm import GenerationOptions, Message
from shared.models import GeneratedDocument
from shared.schemas import GenerateRequest, SourceRef
from shared.text import fold
from tests.support.study import BIO_SLIDES, FakeLLM, add_lecture, lecture, study_db
from workers.generation.candidates import extract, find_definition
from workers.generation.pastpaper import ExamQuestion, answer_questions
from workers.generation.phrasing import Phraser, QuestionOut, parse_object
from workers.generation.prompts import lecture_summary, question_for_term
from workers.generation.quiz import QuizBuilder, build_quiz
from workers.generation.retrieval import SlideIndex
from workers.generation.service import GenerationEnv, generate_quiz

REF = SourceRef(lecture_id=1, lecture="L1", file="l1.pdf", page=3)
RUBISCO = find_definition("RuBisCO is the enzyme that fixes carbon dioxide in the stroma.", REF)


def test_parse_object_finds_the_json_in_prose_and_rejects_the_rest() -> None:
    assert parse_object('Sure! {"question": "Which enzyme fixes CO2?"} Hope it helps', QuestionOut).question
    assert (
        parse_object('{"problem": "Which enzyme fixes CO2?"}', QuestionOut).question
        == "Which enzyme fixes CO2?"
    )
    for bad in [
        "no json here",
        '{"question": 3}',
        '{"answer": "RuBisCO fixes CO2."}',
        '{"question": "short"}',
    ]:
        with pytest.raises(ValueError):
            parse_object(bad, QuestionOut)


def test_valid_output_is_accepted_first_time() -> None:
    llm = FakeLLM(['{"question": "Which enzyme fixes carbon dioxide in the stroma?"}'])
    phraser = Phraser(llm, budget_seconds=10)
    assert RUBISCO is not None
    assert question_for_term(phraser, RUBISCO) == "Which enzyme fixes carbon dioxide in the stroma?"
    assert len(llm.calls) == 1 and phraser.stats.accepted == 1


def test_schema_breaking_output_is_retried_then_falls_back() -> None:
    llm = FakeLLM(["I think the answer is RuBisCO", '{"question": 42}'])
    phraser = Phraser(llm, budget_seconds=10)
    assert RUBISCO is not None
    assert question_for_term(phraser, RUBISCO) is None
    assert len(llm.calls) == 2  # one retry
    assert phraser.stats.rejected == 2 and phraser.stats.fallbacks == 1


def test_a_retry_can_succeed() -> None:
    llm = FakeLLM(['{"question": "What is RuBisCO?"}', '{"question": "Which enzyme fixes carbon dioxide?"}'])
    phraser = Phraser(llm, budget_seconds=10)
    assert RUBISCO is not None
    # The first gives the answer away (it contains the term): rejected; the retry is fine.
    assert question_for_term(phraser, RUBISCO) == "Which enzyme fixes carbon dioxide?"
    assert phraser.stats.rejected == 1 and phraser.stats.accepted == 1


def test_ungrounded_and_repetitive_questions_are_rejected() -> None:
    assert RUBISCO is not None
    for reply in [
        '{"question": "Which protein regulates cellular respiration in mitochondria?"}',  # not from the slide
        '{"question": "Which enzyme enzyme fixes carbon carbon dioxide dioxide enzyme?"}',  # a loop
        '{"question": "Which enzyme fixes carbon dioxide in the stroma."}',  # not a question
    ]:
        phraser = Phraser(FakeLLM([reply]), budget_seconds=10)
        assert question_for_term(phraser, RUBISCO) is None, reply


def test_a_lecture_summary_with_a_made_up_word_is_rejected_though_most_of_its_words_are_the_titles() -> None:
    """A Russian sheet opened with "Алгоритм Флойда-Уоршела: Бизнера и графия": four of five words grounded
    passed the share check, but "Бизнера" is neither on the slides nor a word."""
    topics = ["Adjacency matrix", "Shortest paths", "Floyd-Warshall algorithm"]
    made_up = '{"summary": "Floyd-Warshall algorithm: Blorvianek and paths"}'
    phraser = Phraser(FakeLLM([made_up]), budget_seconds=10)
    assert lecture_summary(phraser, "Graph algorithms", topics) is None
    ru_topics = ["Матрица смежности", "Кратчайшие пути", "Алгоритм Флойда-Уоршела"]
    ru_made_up = '{"summary": "Алгоритм Флойда-Уоршела: Зубрикова и пути"}'
    phraser = Phraser(FakeLLM([ru_made_up]), budget_seconds=10)
    assert lecture_summary(phraser, "Алгоритмы на графах", ru_topics) is None
    good = "Graph algorithms: the adjacency matrix, shortest paths and the Floyd-Warshall algorithm."
    phraser = Phraser(FakeLLM([json.dumps({"summary": good})]), budget_seconds=10)
    assert lecture_summary(phraser, "Graph algorithms", topics) == good  # ordinary words still pass


def test_an_unreachable_model_switches_the_document_to_extractive() -> None:
    llm = FakeLLM([], fail=AppError("LLM_UNAVAILABLE", "down", status_code=503))
    phraser = Phraser(llm, budget_seconds=10)
    assert RUBISCO is not None
    assert question_for_term(phraser, RUBISCO) is None
    assert question_for_term(phraser, RUBISCO) is None
    assert len(llm.calls) == 1  # not asked again
    assert phraser.stats.errors == ["LLM_UNAVAILABLE"] and phraser.stats.skipped == 1


def test_the_budget_bounds_the_time_even_mid_answer() -> None:
    closed: list[bool] = []

    class Slow(FakeLLM):
        def stream(self, messages: list[Message], options: GenerationOptions) -> Iterator[str]:
            self.calls.append(messages)
            try:
                for _ in range(1000):
                    time.sleep(0.01)
                    yield "x"
            finally:
                closed.append(True)  # the model is released, not left holding its lock

    phraser = Phraser(Slow([]), budget_seconds=0.2)
    assert RUBISCO is not None
    start = time.monotonic()
    assert question_for_term(phraser, RUBISCO) is None
    assert time.monotonic() - start < 1.0
    assert closed == [True]
    assert not phraser.available
    assert Phraser(FakeLLM(["{}"]), budget_seconds=0).ask([], QuestionOut) is None  # no budget: no call


def _slide_text(page: int) -> str:
    return BIO_SLIDES[page - 1][1]


def test_quiz_with_garbage_llm_is_extractive_and_cites_only_the_source_slide() -> None:
    llm = FakeLLM(["Sorry, I cannot help with that.", "{not json", '{"distractors": []}'])
    phraser = Phraser(llm, budget_seconds=10)
    quiz = build_quiz([extract(lecture())], phraser, questions=12, difficulty="medium", title="Bio", seed=3)
    assert 5 <= len(quiz.questions) <= 12  # only valid questions on key terms: the notes offer fewer
    assert [q.number for q in quiz.questions] == list(range(1, len(quiz.questions) + 1))
    assert {q.phrased_by for q in quiz.questions} == {"extractive"}
    assert phraser.stats.accepted == 0 and phraser.stats.fallbacks > 0
    kinds = {q.kind for q in quiz.questions}
    # a "True" line is asked only once a "False" (a definition with a sibling term swapped in) is
    # (workers.generation.quiz_balance)
    assert kinds and kinds <= {"multiple_choice", "true_false", "short_answer", "fill_blank"}
    keys = [q.answer for q in quiz.questions if q.kind == "true_false"]
    assert keys.count("true") <= keys.count("false")
    for q in quiz.questions:
        slide = fold(_slide_text(q.source.page))
        if q.kind in ("short_answer", "fill_blank"):
            assert fold(q.answer) in slide, (q.prompt, q.source.page)
        elif q.kind == "multiple_choice":
            assert len(q.options) == 4 and q.answer in "ABCD"
            correct = q.options["ABCD".index(q.answer)]
            assert correct == q.answer_text
            assert fold(correct.rstrip("…"))[:40] in slide, (q.prompt, q.source.page)
        assert len({fold(x) for x in q.options}) == len(q.options)  # no duplicate options
    assert len({fold(q.prompt) for q in quiz.questions}) == len(quiz.questions)


def test_quiz_keeps_a_good_llm_question_and_its_source() -> None:
    def reply(messages: list[Message]) -> str:
        fact = messages[-1]["content"]
        if "Hidden: RuBisCO" in fact:
            return '{"question": "Which enzyme fixes carbon dioxide in the stroma?"}'
        return "no"

    lc = extract(lecture())
    rubisco = next(d for d in lc.definitions if d.term == "RuBisCO")
    builder = QuizBuilder([lc], Phraser(FakeLLM(reply), budget_seconds=10), difficulty="hard")
    q = builder._short_answer(lc, rubisco)
    assert q is not None and q.phrased_by == "llm"
    assert q.prompt == "Which enzyme fixes carbon dioxide in the stroma?"
    assert q.answer == "RuBisCO" and q.source.page == 3
    photosynthesis = next(d for d in lc.definitions if d.term == "Photosynthesis")
    fallback = builder._short_answer(lc, photosynthesis)  # the model says "no": the notes' own question
    assert fallback is not None and fallback.phrased_by == "extractive"
    assert fallback.prompt == "What is the process by which plants convert light energy into chemical energy?"
    assert fallback.source.page == 1


def test_past_paper_answers_never_cite_a_note_they_were_not_given() -> None:
    index = SlideIndex([lecture()])
    question = ExamQuestion("1", "Which enzyme fixes carbon dioxide in the Calvin cycle?")
    bad = Phraser(FakeLLM(['{"answer": "RuBisCO fixes carbon dioxide.", "sources": [7]}']), budget_seconds=10)
    [answer] = answer_questions([question], index, bad)
    assert answer.phrased_by == "extractive" and answer.covered
    assert "RuBisCO" in answer.answer
    assert 3 in [s.page for s in answer.sources]
    cited = " ".join(_slide_text(s.page) for s in answer.sources)
    for sentence in answer.answer.split(". "):  # every line of the answer is on a cited slide
        assert fold(sentence.rstrip(".")) in fold(cited), sentence

    good = Phraser(
        FakeLLM(
            ['{"answer": "RuBisCO, the enzyme that fixes carbon dioxide in the stroma.", "sources": [1]}']
        ),
        budget_seconds=10,
    )
    [answer] = answer_questions([question], index, good)
    assert answer.phrased_by == "llm" and [s.page for s in answer.sources] == [3]

    [uncovered] = answer_questions(
        [ExamQuestion("2", "Explain the causes of the French revolution?")], index, good
    )
    assert not uncovered.covered and uncovered.sources == []


def test_service_stores_a_quiz_when_every_llm_output_breaks_the_schema(tmp_path: Path) -> None:
    sdb = study_db(tmp_path)
    add_lecture(sdb)
    env = GenerationEnv(
        session_factory=sdb.session_factory,
        files=LocalFileStore(sdb.settings.data_dir),
        llm=FakeLLM(['{"question": ', "[]", "null"]),
        settings=sdb.settings,
    )
    request = GenerateRequest(kind="quiz", questions=12, difficulty="hard")
    result = generate_quiz(env, job_id=None, user_id=sdb.user_id, subject_id=sdb.subject_id, request=request)
    with sdb.session_factory() as db:
        doc = db.get(GeneratedDocument, result["document_id"])
        assert doc is not None and doc.kind == "quiz" and doc.media_type == "application/pdf"
        assert doc.storage_path == f"generated/{sdb.user_id}/{doc.id}/{doc.filename}"
        assert env.files.path(doc.storage_path).read_bytes().startswith(b"%PDF")
        stats = doc.params["llm_stats"]
        assert stats["calls"] > 0 and stats["accepted"] == 0 and stats["fallbacks"] >= 1
        assert 5 <= len(doc.params["quiz"]["questions"]) == result["questions"] <= 12
        json.dumps(doc.params)  # stored as plain JSON


def test_a_model_whose_outputs_almost_never_pass_is_given_up_on() -> None:
    llm = FakeLLM(['{"question": "What is RuBisCO?"}'])  # always gives the answer away
    phraser = Phraser(llm, budget_seconds=60)
    assert RUBISCO is not None
    for _ in range(10):
        assert question_for_term(phraser, RUBISCO) is None
    assert len(llm.calls) == Phraser.MIN_CALLS  # then no more calls: the rest of the document is extractive
    assert phraser.stats.gave_up and phraser.stats.skipped == 10 - Phraser.MIN_CALLS // 2
    good = FakeLLM(['{"question": "Which enzyme fixes carbon dioxide?"}'])
    keeps = Phraser(good, budget_seconds=60)
    for _ in range(10):
        assert question_for_term(keeps, RUBISCO) is not None
    assert len(good.calls) == 10 and not keeps.stats.gave_up


def test_distractors_come_from_the_same_lecture_even_when_the_model_proposes_them() -> None:
    lc = extract(lecture(BIO_SLIDES[:3]))  # three terms: the rest must come from this lecture too
    rubisco = next(d for d in lc.definitions if d.term == "RuBisCO")
    llm = FakeLLM(['{"distractors": ["electrospray", "x-ray", "thylakoid", "chloroplasts"]}'])
    builder = QuizBuilder([lc], Phraser(llm, budget_seconds=10), difficulty="hard")
    picked = builder._term_distractors(lc, rubisco, [(d.term, d.ref) for d in lc.definitions], 5)
    text = "\n".join(s.text for s in lc.lecture.slides).lower()
    assert "electrospray" not in picked and "x-ray" not in picked  # not in the notes: dropped
    assert {"Photosynthesis", "thylakoid"} <= set(picked)
    assert all(p.lower() in text for p in picked) and "RuBisCO" not in picked
    # two terms, then the one proposal that is in the notes; slide titles are no terms (another kind)
    assert set(picked) == {"Photosynthesis", "thylakoid", "chloroplasts"}
