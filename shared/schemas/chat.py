"""Chat: questions, searches, sessions and their messages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from shared.schemas.common import DbId, IdList, ReadModel


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
