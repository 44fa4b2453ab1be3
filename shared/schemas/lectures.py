"""Lectures, their pages and figures, and the upload answer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from shared.schemas.common import DbId, ReadModel
from shared.schemas.jobs import JobRead


class LectureUpdate(BaseModel):
    title: str | None = Field(default=None, min_length=1, max_length=300)
    subject_id: DbId | None = None


class LectureRead(ReadModel):
    id: int
    subject_id: int
    title: str
    title_source: str = "file"  # file | document (title slide or metadata) | user
    filename: str
    file_type: str
    size_bytes: int
    status: str
    error_code: str | None
    error_message: str | None
    page_count: int
    figure_count: int
    chunk_count: int
    processing_seconds: float | None
    created_at: datetime
    updated_at: datetime


class PageRead(ReadModel):
    id: int
    number: int
    width: float
    height: float
    title: str
    text: str
    text_source: str
    ocr_confidence: float | None
    has_thumbnail: bool = False
    line_roles: list[str] | None = None  # one role per line of text (footer, meta, credit, url: boilerplate)

    @classmethod
    def from_page(cls, page: Any) -> PageRead:
        return cls.model_validate(page).model_copy(update={"has_thumbnail": bool(page.thumbnail_path)})


class FigureRead(ReadModel):
    id: int
    lecture_id: int
    page_number: int
    source: str
    bbox: list[float]
    caption: str
    text: str


class UploadAccepted(BaseModel):
    lecture: LectureRead
    job: JobRead
