"""Generated study material: requests, documents and where their items come from."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from shared.schemas.common import IdList, ReadModel
from shared.schemas.jobs import JobRead


class DocumentRead(ReadModel):
    id: int
    subject_id: int
    job_id: str | None
    kind: str
    title: str
    filename: str
    media_type: str
    size_bytes: int
    created_at: datetime


GenerationKind = Literal["cheatsheet", "quiz", "flashcards"]
Difficulty = Literal["easy", "medium", "hard"]


class GenerateRequest(BaseModel):
    kind: GenerationKind
    lecture_ids: IdList | None = Field(default=None, description="default: every processed lecture")
    pages: Literal[1, 2] = Field(default=1, description="cheat sheet length")
    questions: int | None = Field(
        default=None, ge=1, le=100, description="quiz length; default: 20, or one per 2 slides (at most 100)"
    )
    difficulty: Difficulty = "medium"
    cards: int | None = Field(
        default=None,
        ge=1,
        le=500,
        description="flashcards to add; default: 50, or one per slide (at most 500)",
    )
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
