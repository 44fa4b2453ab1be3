"""Events: workers publish to a per-user Redis channel; the gateway forwards them to WebSockets.

Every message has a typed model here, with its ``type`` as the discriminator: what workers publish (``job``
progress, ``chat.*`` while answering) and what the gateway's WebSocket sends itself (``ready``, ``pong``,
``error``, ``chat.accepted``, and ``chat.error`` for a question it could not hand on). ``ServerEvent``
parses any of them (the frontend and tests can validate what they receive)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, TypeAdapter
from redis import Redis

from shared.models import Job

WEBHOOK_QUEUE = "smartnotes:webhooks"


def user_channel(user_id: int) -> str:
    return f"smartnotes:events:user:{user_id}"


class ErrorInfo(BaseModel):
    code: str
    message: str


class ErrorDetails(ErrorInfo):
    """An AppError as a task reports it (with its details)."""

    details: Any = None


# --- published by workers (Redis pub/sub, forwarded as they are) --------------------------------------------
class JobEvent(BaseModel):
    type: Literal["job"] = "job"
    job_id: str
    kind: str
    status: str
    progress: float
    stage: str | None
    subject_id: int | None
    lecture_id: int | None
    error_code: str | None
    error_message: str | None


class ChatEvidence(BaseModel):
    type: Literal["chat.evidence"] = "chat.evidence"
    request_id: str
    subject_id: int
    evidence: list[dict[str, Any]]


class ChatToken(BaseModel):
    """A piece of the answer as it is written."""

    type: Literal["chat.token"] = "chat.token"
    request_id: str
    subject_id: int
    text: str


class ChatReplace(BaseModel):
    """The answer so far is replaced by ``text`` (the model's was not supported by the notes)."""

    type: Literal["chat.replace"] = "chat.replace"
    request_id: str
    subject_id: int
    text: str


class ChatDone(BaseModel):
    type: Literal["chat.done"] = "chat.done"
    request_id: str
    subject_id: int
    answer: str
    citations: list[dict[str, Any]]
    closest: list[dict[str, Any]] = Field(default_factory=list)
    evidence: list[dict[str, Any]]
    web: list[dict[str, Any]] = Field(default_factory=list)
    notice: str = ""
    seconds_to_first_token: float | None = None
    cached: bool = False
    answered_from_notes: bool = True


class ChatError(BaseModel):
    type: Literal["chat.error"] = "chat.error"
    request_id: str | None
    error: ErrorInfo | ErrorDetails  # ErrorDetails from a task (with its details)


# --- sent by the gateway's WebSocket itself ---------------------------------------------------------------
class Ready(BaseModel):
    type: Literal["ready"] = "ready"
    user_id: int
    active_jobs: list[dict[str, Any]]
    request_id: str


class Pong(BaseModel):
    type: Literal["pong"] = "pong"


class ErrorEvent(BaseModel):
    """The connection is refused or ends (then it closes with 4401)."""

    type: Literal["error"] = "error"
    error: ErrorInfo


class ChatAccepted(BaseModel):
    type: Literal["chat.accepted"] = "chat.accepted"
    request_id: str
    session_id: int | None


ChatEvent = ChatEvidence | ChatToken | ChatReplace | ChatDone | ChatError
PublishedEvent = JobEvent | ChatEvent
ServerEvent = Annotated[
    JobEvent
    | ChatEvidence
    | ChatToken
    | ChatReplace
    | ChatDone
    | ChatError
    | Ready
    | Pong
    | ErrorEvent
    | ChatAccepted,
    Field(discriminator="type"),
]
SERVER_EVENT: TypeAdapter[ServerEvent] = TypeAdapter(ServerEvent)


def job_event(job: Job) -> JobEvent:
    return JobEvent(
        job_id=job.id,
        kind=job.kind,
        status=job.status,
        progress=round(job.progress, 4),
        stage=job.stage,
        subject_id=job.subject_id,
        lecture_id=job.lecture_id,
        error_code=job.error_code,
        error_message=job.error_message,
    )


def publish(redis: Redis, user_id: int, event: PublishedEvent) -> None:
    redis.publish(user_channel(user_id), event.model_dump_json())
