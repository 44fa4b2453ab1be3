"""Quizzes. The quiz a worker generates is stored (answers included) as ``QuizData`` in the document's
params; the gateway reads it back to serve the questions without answers and to score attempts."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from shared.schemas.generation import Difficulty, SourceRef

MAX_QUESTIONS = 1000
MAX_DURATION_MS = 24 * 3600 * 1000  # a day: more is a client's clock error
QuestionNumber = Annotated[int, Field(ge=0, le=MAX_QUESTIONS)]
AnswerText = Annotated[str, Field(max_length=2000)]
QuestionKind = Literal["multiple_choice", "true_false", "short_answer", "fill_blank"]


class QuizQuestion(BaseModel):
    """One question with its answer, as the worker stores it."""

    number: int
    kind: QuestionKind
    prompt: str
    options: list[str] = Field(default_factory=list)
    answer: str  # MC: the option's letter; true/false: "true"|"false"; else the expected words
    answer_text: str  # the answer as a student reads it in the key
    accepted: list[str] = Field(default_factory=list)  # other spellings accepted for typed answers
    explanation: str
    source: SourceRef
    phrased_by: Literal["llm", "extractive"] = "extractive"


class QuizData(BaseModel):
    title: str
    difficulty: Difficulty
    language: str = "en"  # of the notes: en | es | zh (the fixed phrases follow it)
    questions: list[QuizQuestion]
    # set when fewer questions than asked passed the checks: how many, and how many each lecture gave
    note: str = ""


class QuizQuestionPublic(BaseModel):
    number: int
    kind: QuestionKind
    prompt: str
    options: list[str]


class QuizRead(BaseModel):
    document_id: int
    title: str
    difficulty: Difficulty
    questions: list[QuizQuestionPublic]
    note: str = ""  # e.g. why the quiz is shorter than asked (only N questions passed the quality checks)


class QuizAttemptCreate(BaseModel):
    answers: dict[QuestionNumber, AnswerText] = Field(
        max_length=MAX_QUESTIONS,
        description='question number -> answer: "B" (or the option text), "true"/"false", or words',
    )
    duration_ms: int | None = Field(default=None, ge=0, le=MAX_DURATION_MS)


class QuizResultItem(BaseModel):
    number: int
    correct: bool
    given: str | None
    answer: str
    explanation: str
    source: SourceRef
    slide_url: str  # the slide's image: the place to look the answer up


class QuizAttemptRead(BaseModel):
    session_id: int
    score: float  # 0..1
    correct: int
    total: int
    results: list[QuizResultItem]
