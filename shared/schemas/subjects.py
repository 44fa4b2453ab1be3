"""Subjects (a course: its lectures, languages, webhook)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field, HttpUrl

from shared.schemas.common import ReadModel

OCR_LANGS = r"^[a-z_]{3,10}(\+[a-z_]{3,10})*$"


class SubjectCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    ocr_languages: str = Field(default="auto", pattern=OCR_LANGS)
    exam_date: date | None = None  # reviews are planned so every card is seen shortly before it


class SubjectUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    ocr_languages: str | None = Field(default=None, pattern=OCR_LANGS)
    exam_date: date | None = None  # sent as null: the exam date is removed


class SubjectRead(ReadModel):
    id: int
    name: str
    ocr_languages: str
    exam_date: date | None = None
    version: int
    created_at: datetime
    updated_at: datetime
    lecture_count: int = 0


class WebhookForm(BaseModel):
    webhook_url: HttpUrl | None = None
