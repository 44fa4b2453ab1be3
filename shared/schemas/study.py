"""Exam plans, personal FSRS parameters and mind maps."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel

from shared.schemas.common import DbId
from shared.schemas.jobs import JobRead


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
