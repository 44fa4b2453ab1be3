"""Jobs: a long piece of work (ingestion, generation) and its progress."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.schemas.common import ReadModel


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
