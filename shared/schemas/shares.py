"""Share links."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, model_validator

from shared.schemas.common import DbId, _Read


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
