"""WebSocket: the signed-in user's job progress and chat events, forwarded from Redis pub/sub.

Client messages: {"type": "ping"}; {"type": "chat", "subject_id", "question", "session_id"?, "language"?,
"web"?, "lecture_ids"?, "request_id"?} -> chat.accepted, then chat.evidence, chat.token..., chat.done
(or chat.error) carrying the same request_id."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from gateway.container import Container
from gateway.services import auth as auth_service
from gateway.services import chat as chat_service
from gateway.services.jobs import list_jobs
from shared.errors import AppError
from shared.events import user_channel
from shared.logging import REQUEST_ID_HEADER, request_id, request_id_var
from shared.schemas import ChatRequest, JobRead

router = APIRouter(tags=["websocket"])
log = logging.getLogger(__name__)
AUTH_TIMEOUT = 10.0


def _authenticate(container: Container, token: str) -> tuple[int, list[dict[str, Any]]]:
    with container.session_factory() as db:
        user = auth_service.user_from_access_token(db=db, settings=container.settings, token=token)
        active = [
            JobRead.model_validate(j).model_dump(mode="json")
            for j in list_jobs(db=db, user_id=user.id, active_only=True)
        ]
        return user.id, active


def _ask(container: Container, user_id: int, msg: dict[str, Any]) -> dict[str, Any]:
    """Record the question and hand it to the ai queue; the answer arrives as chat.* events."""
    try:
        data = ChatRequest.model_validate({k: v for k, v in msg.items() if k != "type"})
        with container.session_factory() as db:
            payload = chat_service.prepare_question(db=db, user_id=user_id, data=data)
        chat_service.enqueue_answer(container.celery, payload)
    except ValidationError as exc:
        return {
            "type": "chat.error",
            "request_id": msg.get("request_id"),
            "error": {"code": "VALIDATION_ERROR", "message": str(exc.errors()[0].get("msg", "invalid"))},
        }
    except AppError as exc:
        return {
            "type": "chat.error",
            "request_id": msg.get("request_id"),
            "error": {"code": exc.code, "message": exc.message},
        }
    return {"type": "chat.accepted", "request_id": payload["request_id"], "session_id": payload["session_id"]}


@router.websocket("/ws")
async def events(websocket: WebSocket) -> None:
    """Send the token as `?token=` or as the first message `{"type": "auth", "token": "..."}`."""
    container: Container = websocket.app.state.container
    # The HTTP middleware does not see WebSockets: the connection's id is set here, for every log line
    # of this connection (the tasks below and the thread-pool calls copy the context).
    rid = request_id(websocket.headers.get(REQUEST_ID_HEADER, ""))
    request_id_var.set(rid)
    await websocket.accept()
    token = websocket.query_params.get("token")
    try:
        if not token:
            first = await asyncio.wait_for(websocket.receive_json(), timeout=AUTH_TIMEOUT)
            token = first.get("token") if isinstance(first, dict) else None
        if not token:
            raise AppError("NOT_AUTHENTICATED", "Send a token first.", status_code=401)
        user_id, active = await run_in_threadpool(_authenticate, container, token)
    except (AppError, TimeoutError, ValueError, json.JSONDecodeError) as exc:
        code = exc.code if isinstance(exc, AppError) else "NOT_AUTHENTICATED"
        message = exc.message if isinstance(exc, AppError) else "Send a token first."
        with contextlib.suppress(Exception):
            await websocket.send_json({"type": "error", "error": {"code": code, "message": message}})
            await websocket.close(code=4401)
        return
    except WebSocketDisconnect:
        return

    pubsub = container.aredis.pubsub()
    await pubsub.subscribe(user_channel(user_id))
    log.info("websocket open for user %s", user_id, extra={"user_id": user_id})
    await websocket.send_json({"type": "ready", "user_id": user_id, "active_jobs": active, "request_id": rid})

    async def forward() -> None:
        async for message in pubsub.listen():
            if message.get("type") != "message":
                continue
            data = message["data"]
            await websocket.send_text(data.decode() if isinstance(data, bytes) else data)

    async def receive() -> None:
        while True:
            msg = await websocket.receive_json()
            if not isinstance(msg, dict):
                continue
            if msg.get("type") == "ping":
                await websocket.send_json({"type": "pong"})
            elif msg.get("type") == "chat":
                await websocket.send_json(await run_in_threadpool(_ask, container, user_id, msg))

    tasks = [asyncio.create_task(forward()), asyncio.create_task(receive())]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            error = task.exception()
            if error and not isinstance(error, WebSocketDisconnect):
                log.warning("websocket closed on error: %r", error)
    finally:
        for task in tasks:
            task.cancel()
        with contextlib.suppress(Exception):
            await pubsub.unsubscribe()
            await pubsub.aclose()
