from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status

from gateway.deps import AppContainer, CurrentUser, DbSession, PathId
from gateway.services import chat as service
from shared.schemas import ChatMessageRead, ChatRequest, ChatSessionRead, SearchRequest

router = APIRouter(tags=["chat"])
SEARCH_TIMEOUT = 60.0
ANSWER_TIMEOUT = 180.0


@router.post("/search")
def search(data: SearchRequest, user: CurrentUser, db: DbSession, container: AppContainer) -> dict[str, Any]:
    """Hybrid (vector + keyword) search over a subject's slides: {"hits": [...]}."""
    return service.search(
        db=db,
        celery=container.celery,
        user_id=user.id,
        subject_id=data.subject_id,
        query=data.query,
        k=data.k,
        lecture_ids=data.lecture_ids,
        timeout=SEARCH_TIMEOUT,
    )


@router.post("/chat")
def chat(data: ChatRequest, user: CurrentUser, db: DbSession, container: AppContainer) -> dict[str, Any]:
    """Ask a question and wait for the whole answer (the WebSocket streams the same, token by token)."""
    payload = service.prepare_question(db=db, user_id=user.id, data=data)
    result = service.wait(service.enqueue_answer(container.celery, payload), ANSWER_TIMEOUT)
    return {**result, "session_id": payload["session_id"], "request_id": payload["request_id"]}


@router.get("/subjects/{subject_id}/chat/sessions")
def list_sessions(subject_id: PathId, user: CurrentUser, db: DbSession) -> list[ChatSessionRead]:
    sessions = service.list_sessions(db=db, user_id=user.id, subject_id=subject_id)
    return [ChatSessionRead.model_validate(s) for s in sessions]


@router.get("/chat/sessions/{session_id}/messages")
def list_messages(session_id: PathId, user: CurrentUser, db: DbSession) -> list[ChatMessageRead]:
    session = service.get_session(db=db, user_id=user.id, session_id=session_id)
    return [ChatMessageRead.model_validate(m) for m in service.list_messages(db=db, session=session)]


@router.delete("/chat/sessions/{session_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_session(session_id: PathId, user: CurrentUser, db: DbSession) -> None:
    db.delete(service.get_session(db=db, user_id=user.id, session_id=session_id))
