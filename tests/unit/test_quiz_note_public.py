"""A shorter quiz says why, in the app too: the public quiz carries the stored note, and never the keys."""

from __future__ import annotations

from types import SimpleNamespace

from gateway.services.generation import public_quiz
from shared.schemas.quizzes import QuizData
from tests.support.study import quiz_question


def _quiz(note: str) -> QuizData:
    return QuizData(title="Quiz", difficulty="medium", questions=[quiz_question()], note=note)


def test_public_quiz_carries_the_note_without_the_answers() -> None:
    note = "Only 1 of the 20 questions asked passed the quality checks."
    public = public_quiz(SimpleNamespace(id=7), _quiz(note)).model_dump()  # type: ignore[arg-type]
    assert public["note"] == note
    assert public["document_id"] == 7
    assert "answer" not in public["questions"][0] and "explanation" not in public["questions"][0]


def test_a_full_quiz_has_no_note() -> None:
    assert public_quiz(SimpleNamespace(id=7), _quiz("")).note == ""  # type: ignore[arg-type]
