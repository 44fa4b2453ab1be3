"""Schemas of the study-material issue: generation requests, quizzes, flashcards, shares.

The quiz a worker generates is stored (answers included) as ``QuizData`` in the document's params; the
gateway reads it back to serve the questions without answers and to score attempts.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.schemas import DbId, IdList, JobRead

MAX_QUESTIONS = 1000
MAX_DURATION_MS = 24 * 3600 * 1000  # a day: more is a client's clock error
QuestionNumber = Annotated[int, Field(ge=0, le=MAX_QUESTIONS)]
AnswerText = Annotated[str, Field(max_length=2000)]

GenerationKind = Literal["cheatsheet", "quiz", "flashcards"]
Difficulty = Literal["easy", "medium", "hard"]
QuestionKind = Literal["multiple_choice", "true_false", "short_answer", "fill_blank"]
CardKind = Literal["basic", "qa", "cloze"]


class _Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# --- generation ---------------------------------------------------------------------------------
class GenerateRequest(BaseModel):
    kind: GenerationKind
    lecture_ids: IdList | None = Field(default=None, description="default: every processed lecture")
    pages: Literal[1, 2] = Field(default=1, description="cheat sheet length")
    questions: int = Field(default=20, ge=1, le=100, description="quiz length")
    difficulty: Difficulty = "medium"
    cards: int = Field(default=50, ge=1, le=500, description="flashcards to add")
    title: str | None = Field(default=None, max_length=200)


class GenerationAccepted(BaseModel):
    job: JobRead


class SourceRef(BaseModel):
    """Where an item comes from: a lecture's slide (pages and slides are numbered from 1)."""

    lecture_id: int
    lecture: str
    file: str
    page: int
    figure_id: int | None = None

    def label(self) -> str:
        return f"{self.lecture}, slide {self.page}"


# --- quizzes ------------------------------------------------------------------------------------
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


# --- flashcards ---------------------------------------------------------------------------------
class FlashcardCreate(BaseModel):
    front: str = Field(min_length=1, max_length=4000)
    back: str = Field(min_length=1, max_length=8000)
    kind: CardKind = "basic"
    lecture_id: DbId | None = None
    page_number: int | None = Field(default=None, ge=1, le=100_000)


class FlashcardCreateFor(FlashcardCreate):
    subject_id: DbId


class FlashcardUpdate(BaseModel):
    front: str | None = Field(default=None, min_length=1, max_length=4000)
    back: str | None = Field(default=None, min_length=1, max_length=8000)
    kind: CardKind | None = None
    suspended: bool | None = None


class NextDue(BaseModel):
    """When the card would be due next for each rating (Again, Hard, Good, Easy)."""

    again: datetime
    hard: datetime
    good: datetime
    easy: datetime


class FlashcardRead(_Read):
    id: int
    subject_id: int
    lecture_id: int | None
    page_number: int | None
    figure_id: int | None
    kind: str
    front: str
    back: str
    suspended: bool
    due: datetime
    state: str = "learning"
    stability: float | None = None
    difficulty: float | None = None
    last_review: datetime | None = None
    next_due: NextDue | None = None
    created_at: datetime
    updated_at: datetime


class ReviewCreate(BaseModel):
    rating: int = Field(ge=1, le=4, description="1 Again, 2 Hard, 3 Good, 4 Easy")
    duration_ms: int | None = Field(default=None, ge=0, le=3_600_000)


class ReviewLogRead(_Read):
    id: int
    flashcard_id: int
    rating: int
    reviewed_at: datetime
    review_duration_ms: int | None


class ReviewResult(BaseModel):
    card: FlashcardRead
    log: ReviewLogRead
    session_id: int


class DeckCard(BaseModel):
    """A card in an exported deck (JSON export and shared decks)."""

    id: int
    kind: str
    front: str
    back: str
    suspended: bool = False
    due: datetime | None = None  # left out of shared decks, with the scheduling state
    source: SourceRef | None
    figure_id: int | None = None
    fsrs: dict[str, Any] = Field(default_factory=dict)


class DeckExport(BaseModel):
    deck: str
    exported_at: datetime
    cards: list[DeckCard]


# --- shares -------------------------------------------------------------------------------------
class ShareCreate(BaseModel):
    document_id: DbId | None = None
    subject_id: DbId | None = Field(default=None, description="share the subject's flashcard deck")
    expires_in_days: int | None = Field(default=7, ge=1, le=365, description="null: never expires")

    @model_validator(mode="after")
    def _one_target(self) -> ShareCreate:
        if (self.document_id is None) == (self.subject_id is None):
            raise ValueError("give exactly one of document_id or subject_id")
        return self


class ShareRead(_Read):
    id: int
    token: str
    url: str = ""
    kind: str
    document_id: int | None
    subject_id: int | None
    expires_at: datetime | None
    revoked_at: datetime | None
    created_at: datetime


# --- exam plan, personal FSRS parameters, mind maps -------------------------------------------------
class CramDay(BaseModel):
    date: date
    cards: int  # reviews planned for that day


class LectureReadiness(BaseModel):
    lecture_id: int | None
    title: str
    cards: int
    expected_recall: float  # mean FSRS retrievability of its cards at the exam (new cards count 0)


class StudyPlanRead(BaseModel):
    subject_id: int
    exam_date: date | None
    days_left: int | None  # None without an exam ahead
    at: datetime  # when the expected recall is computed for: the exam day's start, or now
    desired_retention: float  # what FSRS schedules reviews for today
    cards: int
    due_before_exam: int
    expected_recall: float
    lectures: list[LectureReadiness]
    cram: list[CramDay]  # the last days before the exam still ahead, with their planned reviews


FSRS_MIN_REVIEWS = 400  # reviews a user needs before their own FSRS parameters are optimized


class FsrsProfileRead(BaseModel):
    reviews: int  # the user's reviews so far
    min_reviews: int  # needed before optimizing
    personal: bool  # scheduling uses parameters optimized from the user's reviews
    parameters: list[float]
    log_loss_before: float | None = None
    log_loss_after: float | None = None
    optimized_at: datetime | None = None
    job: JobRead | None = None  # the optimization just queued, or the last one


class MindMapRequest(BaseModel):
    lecture_id: DbId | None = None  # None: the whole subject


class MindMapNode(BaseModel):
    id: str
    kind: Literal["root", "lecture", "title", "term", "definition", "figure"]
    label: str
    lecture_id: int | None = None
    slide: int | None = None
    figure_id: int | None = None


class MindMapEdge(BaseModel):
    source: str
    target: str


class MindMapRead(BaseModel):
    document_id: int | None = None
    subject_id: int
    lecture_id: int | None = None
    title: str
    nodes: list[MindMapNode]
    edges: list[MindMapEdge]
