"""Tasks of the ai queue: indexing, search, answers, vector clean-up. Registered, with the services they use,
by the worker's composition root (workers/ai/bootstrap.py)."""

from __future__ import annotations

import json
import logging
from typing import Any

from shared.celery_app import QUEUE_AI, TASK_ANSWER, TASK_DELETE_VECTORS, TASK_INDEX_LECTURE, TASK_SEARCH
from shared.errors import AppError
from shared.events import ChatError, ChatEvent, ErrorDetails, publish
from shared.models import ChatMessage, ChatSession, Subject
from workers.ai.answer import AnswerRequest, answer_question, check_question, extractive_answers
from workers.ai.indexing import index_lecture
from workers.ai.retrieval import Mode
from workers.ai.services import AiServices
from workers.ai.vectors import collection_name
from workers.runtime.context import RETRYABLE, WorkerContext, WorkerRuntime

log = logging.getLogger(__name__)


def _error(exc: AppError) -> dict[str, Any]:
    return {"error": {"code": exc.code, "message": exc.message, "details": exc.details}}


def search(
    ctx: WorkerContext,
    ai: AiServices,
    user_id: int,
    subject_id: int,
    query: str,
    k: int = 5,
    lecture_ids: list[int] | None = None,
    mode: Mode = "hybrid",
) -> dict[str, Any]:
    """Hybrid search over a subject's chunks: {"hits": [{lecture, file, page, score, text, figure_ids}]}."""
    try:
        with ctx.session_factory() as db:
            subject = db.get(Subject, subject_id)
            if subject is None or subject.user_id != user_id:
                raise AppError("SUBJECT_NOT_FOUND", "Subject not found.", status_code=404)
            found = ai.retriever.search(
                db,
                subject=subject,
                query=check_question(query),
                k=max(1, min(k, 50)),
                lecture_ids=lecture_ids or None,
                mode=mode,
            )
    except AppError as exc:
        return _error(exc)
    return {
        "hits": [
            {
                "lecture": e.lecture_id,
                "lecture_title": e.lecture_title,
                "file": e.file,
                "page": e.page,
                "score": round(e.score, 5),
                "similarity": round(e.similarity, 4),
                "text": e.text,
                "figure_ids": e.figure_ids,
            }
            for e in found
        ]
    }


def answer(ctx: WorkerContext, ai: AiServices, payload: dict[str, Any]) -> dict[str, Any]:
    """Answer a chat question; events go to the user's channel as they happen. The assistant's message is
    stored in the chat session when one is given."""
    user_id = int(payload["user_id"])
    req = AnswerRequest(
        user_id=user_id,
        subject_id=int(payload["subject_id"]),
        question=payload["question"],
        request_id=str(payload.get("request_id", "")),
        language=str(payload.get("language") or ""),
        web=bool(payload.get("web")),
        lecture_ids=[int(x) for x in payload.get("lecture_ids") or []],
        history=list(payload.get("history") or []),
        asked_at=float(payload.get("asked_at") or 0.0),
    )

    def emit(event: ChatEvent) -> None:
        publish(ctx.redis, user_id, event)

    try:
        with ctx.session_factory() as db:
            session_id = payload.get("session_id")

            def persist(result: dict[str, Any]) -> None:
                if session_id and db.get(ChatSession, int(session_id)) is not None:
                    db.add(
                        ChatMessage(
                            session_id=int(session_id),
                            role="assistant",
                            content=result["answer"],
                            citations=result["citations"],
                        )
                    )
                    db.commit()

            return answer_question(
                db=db,
                retriever=ai.retriever,
                llm_factory=ai.llm,
                redis=ctx.redis,
                req=req,
                emit=emit,
                persist=persist,
                extractive=extractive_answers(ctx.settings),
                vocabularies=ai.vocabularies,
            )
    except AppError as exc:
        emit(ChatError(request_id=req.request_id, error=ErrorDetails(**_error(exc)["error"])))
        return _error(exc)
    except RETRYABLE as exc:
        error = AppError(
            "SERVICE_UNAVAILABLE", f"A service is unreachable: {type(exc).__name__}.", status_code=503
        )
        emit(ChatError(request_id=req.request_id, error=ErrorDetails(**_error(error)["error"])))
        return _error(error)


def delete_vectors(
    ai: AiServices, task: Any, user_id: int, subject_id: int, lecture_id: int | None = None
) -> str:
    """Remove a deleted lecture's vectors (or a deleted subject's whole collection)."""
    store = ai.store
    name = collection_name(user_id, subject_id)
    try:
        if lecture_id is None:
            store.drop(name)
        else:
            store.delete_lecture(name, lecture_id)
    except Exception as exc:
        raise task.retry(exc=exc, countdown=min(60, 2 ** (task.request.retries + 1))) from exc
    return json.dumps({"collection": name, "lecture_id": lecture_id})


def register(runtime: WorkerRuntime, ai: AiServices) -> None:
    """Register the ai queue's tasks on the worker's app, with the services they use. Names and arguments
    as the gateway sends them (shared/celery_app.py)."""
    app, context = runtime.celery, runtime.context

    def index(ctx: WorkerContext, job_id: str, task: Any) -> None:
        index_lecture(ctx, job_id, task, ai)

    index.__doc__ = index_lecture.__doc__
    runtime.job_task(TASK_INDEX_LECTURE, queue=QUEUE_AI)(index)

    @app.task(name=TASK_SEARCH, queue=QUEUE_AI, doc=search.__doc__, shared=False)
    def search_task(
        user_id: int,
        subject_id: int,
        query: str,
        k: int = 5,
        lecture_ids: list[int] | None = None,
        mode: Mode = "hybrid",
    ) -> dict[str, Any]:
        return search(context(), ai, user_id, subject_id, query, k, lecture_ids, mode)

    @app.task(name=TASK_ANSWER, queue=QUEUE_AI, doc=answer.__doc__, shared=False)
    def answer_task(payload: dict[str, Any]) -> dict[str, Any]:
        return answer(context(), ai, payload)

    @app.task(
        name=TASK_DELETE_VECTORS,
        queue=QUEUE_AI,
        bind=True,
        max_retries=5,
        acks_late=True,
        doc=delete_vectors.__doc__,
        shared=False,
    )
    def delete_vectors_task(self: Any, user_id: int, subject_id: int, lecture_id: int | None = None) -> str:
        return delete_vectors(ai, self, user_id, subject_id, lecture_id)
