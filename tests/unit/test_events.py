"""Every WebSocket and pub/sub message has a typed model (shared/events.py): what is published parses back
as the same event, and the job event keeps the fields clients read."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from shared.events import (
    SERVER_EVENT,
    ChatAccepted,
    ChatDone,
    ChatError,
    ChatEvidence,
    ChatReplace,
    ChatToken,
    ErrorDetails,
    ErrorEvent,
    ErrorInfo,
    JobEvent,
    Pong,
    Ready,
    job_event,
    publish,
    user_channel,
)
from shared.models import Job, JobStatus


class Recorder:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def publish(self, channel: str, data: str) -> None:
        self.sent.append((channel, data))


def test_job_event_carries_the_job_fields_clients_read() -> None:
    job = Job(
        id="j1",
        user_id=7,
        kind="ingest",
        queue="ocr",
        status=JobStatus.RUNNING,
        stage="reading",
        progress=0.123456,
        subject_id=3,
        lecture_id=None,
    )
    recorder = Recorder()
    publish(recorder, 7, job_event(job))  # type: ignore[arg-type]
    [(channel, data)] = recorder.sent
    assert channel == user_channel(7)
    assert json.loads(data) == {
        "type": "job",
        "job_id": "j1",
        "kind": "ingest",
        "status": "running",
        "progress": 0.1235,
        "stage": "reading",
        "subject_id": 3,
        "lecture_id": None,
        "error_code": None,
        "error_message": None,
    }


EVENTS: list[Any] = [
    JobEvent(
        job_id="j",
        kind="ingest",
        status="done",
        progress=1.0,
        stage="done",
        subject_id=1,
        lecture_id=2,
        error_code=None,
        error_message=None,
    ),
    ChatEvidence(request_id="r", subject_id=1, evidence=[{"lecture": 2, "page": 3}]),
    ChatToken(request_id="r", subject_id=1, text="Mito"),
    ChatReplace(request_id="r", subject_id=1, text="Mitochondria make ATP. [1]"),
    ChatDone(request_id="r", subject_id=1, answer="A", citations=[], evidence=[], seconds_to_first_token=0.5),
    ChatError(request_id="r", error=ErrorDetails(code="SUBJECT_NOT_FOUND", message="m", details={})),
    ChatError(request_id=None, error=ErrorInfo(code="VALIDATION_ERROR", message="m")),
    Ready(user_id=1, active_jobs=[], request_id="rid"),
    Pong(),
    ErrorEvent(error=ErrorInfo(code="NOT_AUTHENTICATED", message="Send a token first.")),
    ChatAccepted(request_id="r", session_id=4),
]


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e.type)
def test_every_event_parses_back_as_itself(event: Any) -> None:
    wire = json.loads(event.model_dump_json())
    assert wire["type"] == event.type
    assert SERVER_EVENT.validate_python(wire) == event


def test_an_unknown_or_malformed_event_is_refused() -> None:
    with pytest.raises(ValidationError):
        SERVER_EVENT.validate_python({"type": "chat.unknown", "text": "x"})
    with pytest.raises(ValidationError):
        SERVER_EVENT.validate_python({"type": "chat.token", "request_id": "r"})  # no subject, no text
