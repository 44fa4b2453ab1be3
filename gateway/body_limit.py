"""Request bodies are bounded before anything reads them.

FastAPI reads (and, for multipart, spools to a temp file) the whole body before a route's dependencies run,
authentication included. This ASGI middleware sits in front of that: it refuses a declared
``Content-Length`` over the limit at once (413, before any authentication work), counts the bytes of a
chunked body as they arrive and stops at the limit, and refuses an upload that carries no bearer token
before reading any of it (401).

Limits: the upload routes take ``SMARTNOTES_MAX_UPLOAD_MB`` plus 1 MB of multipart framing (nginx's
``client_max_body_size`` matches); every other request ``SMARTNOTES_MAX_JSON_BODY_KB`` (1 MB).
"""

from __future__ import annotations

import re

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.responses import error_response
from shared.settings import Settings

# POST routes that take a multipart file (relative to the ASGI root path).
UPLOAD_ROUTES = re.compile(r"/api/v1/subjects/[^/]+/(lectures|past-papers)/?$")


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a body passes its limit; rendered as 413 with ``code``."""

    def __init__(self, code: str, limit: int) -> None:
        super().__init__(413, f"The request body is larger than the {_size(limit)} limit.")
        self.code = code
        self.limit = limit


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"


class BodySizeLimitMiddleware:
    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app = app
        self.upload_limit = settings.max_upload_request_bytes
        self.json_limit = settings.max_json_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = scope["method"] == "POST" and bool(UPLOAD_ROUTES.search(scope["path"]))
        limit, code = (
            (self.upload_limit, "FILE_TOO_LARGE") if upload else (self.json_limit, "REQUEST_TOO_LARGE")
        )
        headers = dict(scope.get("headers", []))
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                await error_response(400, "BAD_REQUEST", "Content-Length is not a number.")(
                    scope, receive, send
                )
                return
            if length > limit:
                await self._too_large(code, limit)(scope, receive, send)
                return
        if upload and not headers.get(b"authorization", b"").lower().startswith(b"bearer "):
            # nothing of the (possibly huge) body is read for a request that will get 401 anyway
            response = error_response(
                401, "NOT_AUTHENTICATED", "Sign in first: send 'Authorization: Bearer <token>'."
            )
            await response(scope, receive, send)
            return

        received = 0
        exceeded = False
        started = False
        swallowed = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise BodyTooLarge(code, limit)
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started, swallowed
            if message["type"] == "http.response.start":
                if exceeded:  # whatever the app made of the interrupted read, the answer is 413
                    swallowed = True
                    return
                started = True
            elif swallowed:
                return
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except BodyTooLarge:
            if started:
                raise
        if exceeded and not started:
            await self._too_large(code, limit)(scope, receive, send)

    @staticmethod
    def _too_large(code: str, limit: int) -> ASGIApp:
        return error_response(
            413,
            code,
            f"The request body is larger than the {_size(limit)} limit.",
            {"limit_bytes": limit},
        )
