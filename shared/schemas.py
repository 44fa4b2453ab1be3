"""Pydantic schemas: one family per entity (Create / Update / Read)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field, HttpUrl

# Bounds on what clients send: a database id fits a signed 64-bit integer (SQLite, PostgreSQL bigint), so
# a larger number is a 422 instead of an OverflowError; lists of ids are short.
MAX_ID = 2**63 - 1
MAX_IDS = 500
DbId = Annotated[int, Field(ge=1, le=MAX_ID)]
IdList = Annotated[list[DbId], Field(max_length=MAX_IDS)]


class ReadModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# --- auth -------------------------------------------------------------------------------------
class UserCreate(BaseModel):
    email: EmailStr
    password: str = Field(min_length=8, max_length=256)
    display_name: str = Field(default="", max_length=200)


class UserRead(ReadModel):
    id: int
    email: str
    display_name: str
    created_at: datetime


class LoginRequest(BaseModel):
    email: EmailStr
    password: str = Field(min_length=1, max_length=256)


class RefreshRequest(BaseModel):
    refresh_token: str = Field(max_length=4096)


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int


# --- subjects ---------------------------------------------------------------------------------
OCR_LANGS = r"^[a-z_]{3,10}(\+[a-z_]{3,10})*$"


class SubjectCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    ocr_languages: str = Field(default="auto", pattern=OCR_LANGS)


class SubjectUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    ocr_languages: str | None = Field(default=None, pattern=OCR_LANGS)


class SubjectRead(ReadModel):
    id: int
    name: str
    ocr_languages: str
    version: int
    created_at: datetime
    updated_at: datetime
    lecture_count: int = 0


# --- lectures ---------------------------------------------------------------------------------
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


class JobRead(ReadModel):
    id: str
    kind: str
    queue: str
    status: str
    progress: float
    stage: str
    subject_id: int | None
    lecture_id: int | None
    error_code: str | None
    error_message: str | None
    result: dict[str, Any]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class UploadAccepted(BaseModel):
    lecture: LectureRead
    job: JobRead


class WebhookForm(BaseModel):
    webhook_url: HttpUrl | None = None


# --- generated documents ----------------------------------------------------------------------
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


# --- chat and search --------------------------------------------------------------------------
class ChatRequest(BaseModel):
    subject_id: DbId
    question: str = Field(min_length=1, max_length=2000)
    session_id: DbId | None = None
    language: str = Field(default="", max_length=40, description="e.g. Hindi, French; empty: the question's")
    web: bool = Field(default=False, description="also search the web (DuckDuckGo)")
    lecture_ids: IdList = Field(default_factory=list, description="only these lectures")
    request_id: str | None = Field(default=None, max_length=64)


class SearchRequest(BaseModel):
    subject_id: DbId
    query: str = Field(min_length=1, max_length=2000)
    k: int = Field(default=5, ge=1, le=50)
    lecture_ids: IdList = Field(default_factory=list)


class ChatSessionRead(ReadModel):
    id: int
    subject_id: int
    title: str
    created_at: datetime


class ChatMessageRead(ReadModel):
    id: int
    role: str
    content: str
    citations: list[dict[str, Any]]
    created_at: datetime
