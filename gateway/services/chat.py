"""Chat: sessions, messages, and the payloads the ai worker answers. The gateway never retrieves or runs a
model itself; it records the question and hands it to the ai queue."""

from __future__ import annotations

import time
import uuid
from typing import Any

from celery import Celery
from celery.exceptions import TimeoutError as CeleryTimeout
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.services.subjects import get_subject
from shared.celery_app import QUEUE_AI, TASK_ANSWER, TASK_SEARCH
from shared.errors import AppError, not_found
from shared.models import ChatMessage, ChatSession, Lecture
from shared.schemas import ChatRequest

HISTORY_MESSAGES = 4


def get_session(*, db: Session, user_id: int, session_id: int) -> ChatSession:
    session = db.get(ChatSession, session_id)
    if session is None or session.user_id != user_id:
        raise not_found("chat session")
    return session


def list_sessions(*, db: Session, user_id: int, subject_id: int) -> list[ChatSession]:
    get_subject(db=db, user_id=user_id, subject_id=subject_id)
    query = select(ChatSession).where(ChatSession.user_id == user_id, ChatSession.subject_id == subject_id)
    return list(db.scalars(query.order_by(ChatSession.created_at.desc(), ChatSession.id.desc())))


def list_messages(*, db: Session, session: ChatSession) -> list[ChatMessage]:
    query = select(ChatMessage).where(ChatMessage.session_id == session.id)
    return list(db.scalars(query.order_by(ChatMessage.created_at, ChatMessage.id)))


def check_lectures(db: Session, subject_id: int, lecture_ids: list[int]) -> None:
    if not lecture_ids:
        return
    found = set(
        db.scalars(select(Lecture.id).where(Lecture.id.in_(lecture_ids), Lecture.subject_id == subject_id))
    )
    missing = [i for i in lecture_ids if i not in found]
    if missing:
        raise not_found("lecture", ", ".join(str(i) for i in missing))


def prepare_question(*, db: Session, user_id: int, data: ChatRequest) -> dict[str, Any]:
    """Store the question in its session (created when missing) and build the ai task's payload."""
    subject = get_subject(db=db, user_id=user_id, subject_id=data.subject_id)
    check_lectures(db, subject.id, data.lecture_ids)
    question = data.question.strip()
    if data.session_id is not None:
        session = get_session(db=db, user_id=user_id, session_id=data.session_id)
        if session.subject_id != subject.id:
            raise AppError(
                "SESSION_SUBJECT_MISMATCH", "That chat belongs to another subject.", status_code=409
            )
    else:
        session = ChatSession(user_id=user_id, subject_id=subject.id, title=question[:80])
        db.add(session)
        db.flush()
    history = [
        {"role": m.role, "content": m.content}
        for m in list_messages(db=db, session=session)[-HISTORY_MESSAGES:]
    ]
    db.add(ChatMessage(session_id=session.id, role="user", content=question))
    db.commit()
    return {
        "user_id": user_id,
        "subject_id": subject.id,
        "session_id": session.id,
        "question": question,
        "language": data.language,
        "web": data.web,
        "lecture_ids": data.lecture_ids,
        "history": history,
        "request_id": data.request_id or uuid.uuid4().hex,
        "asked_at": time.time(),
    }


def enqueue_answer(celery: Celery, payload: dict[str, Any]) -> Any:
    return celery.send_task(TASK_ANSWER, args=[payload], queue=QUEUE_AI)


def wait(result: Any, timeout: float) -> dict[str, Any]:
    """The ai worker's result, or its error as an AppError."""
    try:
        value: dict[str, Any] = result.get(timeout=timeout, propagate=True)
    except CeleryTimeout as exc:
        raise AppError(
            "AI_TIMEOUT", "The assistant did not answer in time; is the ai worker running?", status_code=504
        ) from exc
    if "error" in value:
        err = value["error"]
        status = (
            503
            if err["code"] in ("LLM_UNAVAILABLE", "SERVICE_UNAVAILABLE", "EMBEDDINGS_UNAVAILABLE")
            else 400
        )
        if err["code"].endswith("_NOT_FOUND"):
            status = 404
        raise AppError(err["code"], err["message"], status_code=status, details=err.get("details"))
    return value


def search(
    *,
    db: Session,
    celery: Celery,
    user_id: int,
    subject_id: int,
    query: str,
    k: int,
    lecture_ids: list[int],
    timeout: float,
) -> dict[str, Any]:
    get_subject(db=db, user_id=user_id, subject_id=subject_id)
    check_lectures(db, subject_id, lecture_ids)
    result = celery.send_task(
        TASK_SEARCH,
        args=[user_id, subject_id, query],
        kwargs={"k": k, "lecture_ids": lecture_ids},
        queue=QUEUE_AI,
    )
    return wait(result, timeout)
