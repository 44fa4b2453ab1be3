"""WebSocket: the signed-in user's job progress and chat events, forwarded from Redis pub/sub.

Client messages: {"type": "ping"}; {"type": "chat", "subject_id", "question", "session_id"?, "language"?,
"web"?, "lecture_ids"?, "request_id"?} -> chat.accepted, then chat.evidence, chat.token..., chat.done
(or chat.error) carrying the same request_id.

Security: a browser ``Origin`` must be one of ``Settings.websocket_origins`` (no Origin, as from the CLI or
the Streamlit server, is fine), else the handshake is refused (4403). The sign-in session behind the token
is checked again before every client message and every ``SMARTNOTES_WS_SESSION_CHECK_SECONDS`` (60 s): a
session that was logged out, revoked or has expired gets an error event and close code 4401."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool

from gateway.container import Container
from gateway.security import decode_token
from gateway.services import auth as auth_service
from gateway.services import chat as chat_service
from gateway.services.jobs import list_jobs
from shared.errors import AppError
from shared.events import ChatAccepted, ChatError, ErrorEvent, ErrorInfo, Pong, Ready, user_channel
from shared.logging import REQUEST_ID_HEADER, request_id, request_id_var
from shared.schemas import ChatRequest, JobRead

router = APIRouter(tags=["websocket"])
log = logging.getLogger(__name__)
AUTH_TIMEOUT = 10.0
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN_ORIGIN = 4403


class SessionEnded(Exception):
    def __init__(self, error: AppError) -> None:
        super().__init__(error.message)
        self.error = error


def _authenticate(container: Container, token: str) -> tuple[int, str, list[dict[str, Any]]]:
    with container.session_factory() as db:
        user = auth_service.user_from_access_token(db=db, settings=container.settings, token=token)
        claims = decode_token(container.settings, token, kind="access")
        active = [
            JobRead.model_validate(j).model_dump(mode="json")
            for j in list_jobs(db=db, user_id=user.id, active_only=True)
        ]
        # A tab opened from the browser cookie ends with the cookie's sign-in too: "sid,bsid", both checked.
        sessions = ",".join(str(s) for s in (claims["sid"], claims.get(auth_service.BROWSER_SID)) if s)
        return user.id, sessions, active


def _check_session(container: Container, user_id: int, session_id: str) -> None:
    """Raise AppError(401) once the sign-in session is revoked (logout), expired or gone."""
    with container.session_factory() as db:
        for one in session_id.split(","):
            auth_service.live_session(db=db, session_id=one, user_id=user_id)


def origin_allowed(origin: str | None, allowed: list[str]) -> bool:
    return origin is None or origin.rstrip("/") in allowed


def _ask(container: Container, user_id: int, msg: dict[str, Any]) -> ChatAccepted | ChatError:
    """Record the question and hand it to the ai queue; the answer arrives as chat.* events."""
    try:
        data = ChatRequest.model_validate({k: v for k, v in msg.items() if k != "type"})
        with container.session_factory() as db:
            payload = chat_service.prepare_question(db=db, user_id=user_id, data=data)
        chat_service.enqueue_answer(container.celery, payload)
    except ValidationError as exc:
        message = str(exc.errors()[0].get("msg", "invalid"))
        return ChatError(
            request_id=_request_id(msg), error=ErrorInfo(code="VALIDATION_ERROR", message=message)
        )
    except AppError as exc:
        return ChatError(request_id=_request_id(msg), error=ErrorInfo(code=exc.code, message=exc.message))
    return ChatAccepted(request_id=payload["request_id"], session_id=payload["session_id"])


def _request_id(msg: dict[str, Any]) -> str | None:
    value = msg.get("request_id")
    return None if value is None else str(value)


async def _send(websocket: WebSocket, event: BaseModel) -> None:
    await websocket.send_json(event.model_dump(mode="json"))


@router.websocket("/ws")
async def events(websocket: WebSocket) -> None:
    """Send the token as `?token=` or as the first message `{"type": "auth", "token": "..."}`."""
    container: Container = websocket.app.state.container
    # The HTTP middleware does not see WebSockets: the connection's id is set here, for every log line
    # of this connection (the tasks below and the thread-pool calls copy the context).
    rid = request_id(websocket.headers.get(REQUEST_ID_HEADER, ""))
    request_id_var.set(rid)
    origin = websocket.headers.get("origin")
    if not origin_allowed(origin, container.settings.websocket_origins):
        # another site's page in the student's browser (cross-site WebSocket hijacking): refused
        log.warning("websocket refused for origin %r", origin)
        await websocket.close(code=CLOSE_FORBIDDEN_ORIGIN)
        return
    await websocket.accept()
    token = websocket.query_params.get("token")
    try:
        if not token:
            first = await asyncio.wait_for(websocket.receive_json(), timeout=AUTH_TIMEOUT)
            token = first.get("token") if isinstance(first, dict) else None
        if not token:
            raise AppError("NOT_AUTHENTICATED", "Send a token first.", status_code=401)
        user_id, session_id, active = await run_in_threadpool(_authenticate, container, token)
    except (AppError, TimeoutError, ValueError, json.JSONDecodeError) as exc:
        code = exc.code if isinstance(exc, AppError) else "NOT_AUTHENTICATED"
        message = exc.message if isinstance(exc, AppError) else "Send a token first."
        with contextlib.suppress(Exception):
            await _send(websocket, ErrorEvent(error=ErrorInfo(code=code, message=message)))
            await websocket.close(code=CLOSE_UNAUTHENTICATED)
        return
    except WebSocketDisconnect:
        return

    pubsub = container.aredis.pubsub()
    await pubsub.subscribe(user_channel(user_id))
    log.info("websocket open for user %s", user_id, extra={"user_id": user_id})
    await _send(websocket, Ready(user_id=user_id, active_jobs=active, request_id=rid))

    async def forward() -> None:
        async for message in pubsub.listen():
            if message.get("type") != "message":
                continue
            data = message["data"]
            await websocket.send_text(data.decode() if isinstance(data, bytes) else data)

    async def check_session() -> None:
        try:
            await run_in_threadpool(_check_session, container, user_id, session_id)
        except AppError as exc:
            raise SessionEnded(exc) from exc

    async def watch() -> None:
        while True:
            await asyncio.sleep(container.settings.ws_session_check_seconds)
            await check_session()

    async def receive() -> None:
        while True:
            msg = await websocket.receive_json()
            await check_session()
            if not isinstance(msg, dict):
                continue
            if msg.get("type") == "ping":
                await _send(websocket, Pong())
            elif msg.get("type") == "chat":
                await _send(websocket, await run_in_threadpool(_ask, container, user_id, msg))

    tasks = [asyncio.create_task(forward()), asyncio.create_task(receive()), asyncio.create_task(watch())]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            error = task.exception()
            if isinstance(error, SessionEnded):
                log.info("websocket closed: the session ended", extra={"user_id": user_id})
                with contextlib.suppress(Exception):
                    await _send(
                        websocket,
                        ErrorEvent(error=ErrorInfo(code=error.error.code, message=error.error.message)),
                    )
                    await websocket.close(code=CLOSE_UNAUTHENTICATED)
            elif error and not isinstance(error, WebSocketDisconnect):
                log.warning("websocket closed on error: %r", error)
    finally:
        for task in tasks:
            task.cancel()
        with contextlib.suppress(Exception):
            await pubsub.unsubscribe()
            await pubsub.aclose()
