"""The client for the MySmartNotes gateway (``/api/v1``): HTTP and the WebSocket.

The Streamlit app (frontend/) and the ``smartnotes`` command (smartnotes_tools/) talk to the backend
only through this package. Every failure becomes an :class:`ApiError` carrying the gateway's error code
and its plain-words message.

The client keeps the signed-in token pair itself and refreshes it once when the access token has
expired (under a lock: a download running on another thread and the page never both spend the same
rotating refresh token).

It calls the gateway directly, so the gateway sees the frontend's address, not the student's: when the
browser's address is known (``client_ip``), every HTTP request carries it as ``X-Forwarded-For`` (the
gateway, run with uvicorn's ``--proxy-headers``, keys the sign-in rate limits on it).
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, Protocol

import httpx

API_PREFIX = "/api/v1"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
UPLOAD_TIMEOUT = httpx.Timeout(300.0, connect=5.0)
CHAT_TIMEOUT = httpx.Timeout(200.0, connect=5.0)
ANSWER_SECONDS = 180.0  # the gateway's own limit for one answer
WS_READY_SECONDS = 10.0
FORWARDED_FOR = "X-Forwarded-For"

Json = Any


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str


class ApiError(Exception):
    """An error answered by the gateway (or the gateway being unreachable, ``status == 0``)."""

    def __init__(self, code: str, message: str, status: int = 0, details: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.details = details

    def __repr__(self) -> str:
        return f"ApiError(code={self.code!r}, message={self.message!r}, status={self.status})"


class EventSocket(Protocol):
    """What the client needs of a WebSocket connection (``websockets.sync`` has this shape)."""

    def send(self, message: str) -> None: ...

    def recv(self, timeout: float | None = None) -> str | bytes: ...

    def close(self) -> None: ...


WsConnect = Callable[[str], EventSocket]


def websocket_connect(url: str) -> EventSocket:
    """The real WebSocket: ``websockets``' synchronous client, straight to the gateway (no proxy)."""
    from websockets.sync.client import connect

    return connect(url, open_timeout=5, proxy=None, max_size=8 * 1024 * 1024)


def error_from_response(response: httpx.Response) -> ApiError:
    """Read ``{"error": {"code", "message", "details"}}``; fall back to the HTTP status in plain words."""
    try:
        body = response.json()
    except ValueError:
        body = None
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and error.get("message"):
        code = str(error.get("code") or f"HTTP_{response.status_code}")
        return ApiError(code, str(error["message"]), response.status_code, error.get("details"))
    reason = response.reason_phrase or "error"
    return ApiError(
        f"HTTP_{response.status_code}",
        f"The server answered {response.status_code} ({reason}).",
        response.status_code,
    )


class GatewayClient:
    """Synchronous client; keeps the token pair and refreshes it once when the access token expired."""

    def __init__(
        self,
        base_url: str,
        tokens: Tokens | None = None,
        transport: httpx.BaseTransport | None = None,
        on_tokens: Callable[[Tokens | None], None] | None = None,
        ws_connect: WsConnect | None = None,
        client_ip: str | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.tokens = tokens
        self.client_ip = client_ip  # the browser's address, sent as X-Forwarded-For when known
        self.on_tokens = on_tokens
        self.ws_connect: WsConnect = ws_connect or websocket_connect
        self._refresh_lock = threading.Lock()
        self._http = httpx.Client(base_url=self.base_url + API_PREFIX, transport=transport, timeout=timeout)

    def close(self) -> None:
        self._http.close()

    def _set_tokens(self, tokens: Tokens | None) -> None:
        self.tokens = tokens
        if self.on_tokens is not None:
            self.on_tokens(tokens)

    # -- transport -------------------------------------------------------------------------------------

    def _headers(self, auth: bool) -> dict[str, str]:
        headers = {}
        if auth and self.tokens is not None:
            headers["Authorization"] = f"Bearer {self.tokens.access_token}"
        if self.client_ip:
            headers[FORWARDED_FOR] = self.client_ip
        return headers

    @contextlib.contextmanager
    def _transport_errors(self) -> Iterator[None]:
        """A timeout or a connection failure as the client's ApiError, in words."""
        try:
            yield
        except httpx.TimeoutException as exc:
            raise ApiError("GATEWAY_TIMEOUT", "The server took too long to answer; try again.") from exc
        except httpx.TransportError as exc:
            raise ApiError(
                "GATEWAY_UNREACHABLE",
                f"Cannot reach the MySmartNotes server at {self.base_url}. Is it running?",
            ) from exc

    def _send(self, method: str, path: str, *, auth: bool, **kwargs: Any) -> httpx.Response:
        with self._transport_errors():
            return self._http.request(method, path, headers=self._headers(auth), **kwargs)

    def _response(self, method: str, path: str, *, auth: bool = True, **kwargs: Any) -> httpx.Response:
        sent_with = self.tokens
        response = self._send(method, path, auth=auth, **kwargs)
        if response.status_code == 401 and auth and sent_with is not None:
            error = error_from_response(response)
            if error.code != "TOKEN_EXPIRED" or not sent_with.refresh_token:
                raise error  # a token given without its refresh token (SMARTNOTES_TOKEN) is not refreshed
            self._refresh_after(sent_with)
            response = self._send(method, path, auth=auth, **kwargs)
        if response.is_error:
            raise error_from_response(response)
        return response

    def download(self, path: str, out: BinaryIO, **params: Any) -> int:
        """Stream a file the gateway serves into ``out`` (refreshing an expired token once); its size."""
        for attempt in (1, 2):
            sent_with = self.tokens
            with (
                self._transport_errors(),
                self._http.stream(
                    "GET", path, headers=self._headers(True), params=params or None, timeout=UPLOAD_TIMEOUT
                ) as response,
            ):
                if response.is_error:
                    response.read()
                    error = error_from_response(response)
                    if (
                        attempt == 1
                        and error.code == "TOKEN_EXPIRED"
                        and sent_with is not None
                        and sent_with.refresh_token
                    ):
                        self._refresh_after(sent_with)
                        continue
                    raise error
                size = 0
                for block in response.iter_bytes():
                    out.write(block)
                    size += len(block)
                return size
        raise ApiError("NOT_AUTHENTICATED", "Your session has ended; sign in again.", 401)

    def _request(self, method: str, path: str, *, auth: bool = True, **kwargs: Any) -> Json:
        response = self._response(method, path, auth=auth, **kwargs)
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    def get_bytes(self, path: str, **params: Any) -> bytes:
        """A file the gateway serves (thumbnail, figure, document); ``path`` may carry the ``/api/v1``."""
        if path.startswith(API_PREFIX + "/"):
            path = path[len(API_PREFIX) :]
        return self._response("GET", path, params=params or None, timeout=UPLOAD_TIMEOUT).content

    # -- auth ------------------------------------------------------------------------------------------

    def _store_pair(self, body: Json) -> Tokens:
        tokens = Tokens(access_token=body["access_token"], refresh_token=body["refresh_token"])
        self._set_tokens(tokens)
        return tokens

    def register(self, email: str, password: str, display_name: str | None = None) -> Json:
        payload = {"email": email, "password": password, "display_name": display_name or ""}
        return self._request("POST", "/auth/register", json=payload, auth=False)

    def login(self, email: str, password: str) -> Tokens:
        body = self._request("POST", "/auth/login", json={"email": email, "password": password}, auth=False)
        return self._store_pair(body)

    def refresh(self) -> Tokens:
        if self.tokens is None:
            raise ApiError("NOT_AUTHENTICATED", "Please sign in.", 401)
        try:
            body = self._request(
                "POST", "/auth/refresh", json={"refresh_token": self.tokens.refresh_token}, auth=False
            )
        except ApiError as exc:
            if exc.status in (400, 401, 403):
                self._set_tokens(None)
            raise
        return self._store_pair(body)

    def _refresh_after(self, expired: Tokens) -> None:
        """Refresh, unless another thread already did since ``expired`` was sent."""
        with self._refresh_lock:
            if self.tokens is None:
                raise ApiError("NOT_AUTHENTICATED", "Your session has ended; sign in again.", 401)
            if self.tokens == expired:
                self.refresh()

    def logout(self) -> None:
        try:
            if self.tokens is not None:
                self._request("POST", "/auth/logout")
        finally:
            self._set_tokens(None)

    def me(self) -> Json:
        return self._request("GET", "/auth/me")

    # -- subjects --------------------------------------------------------------------------------------

    def list_subjects(self) -> list[Json]:
        return self._request("GET", "/subjects")

    def create_subject(self, name: str, ocr_languages: str | None = None) -> Json:
        payload: dict[str, Any] = {"name": name}
        if ocr_languages:
            payload["ocr_languages"] = ocr_languages
        return self._request("POST", "/subjects", json=payload)

    def update_subject(self, subject_id: int, **fields: Any) -> Json:
        return self._request("PATCH", f"/subjects/{subject_id}", json=fields)

    def delete_subject(self, subject_id: int) -> None:
        self._request("DELETE", f"/subjects/{subject_id}")

    # -- lectures --------------------------------------------------------------------------------------

    def list_lectures(self, subject_id: int) -> list[Json]:
        return self._request("GET", f"/subjects/{subject_id}/lectures")

    def upload_lecture(
        self, subject_id: int, filename: str, content: bytes, content_type: str | None = None
    ) -> Json:
        """Answers ``{"lecture": LectureRead, "job": JobRead}``."""
        file = (filename, content, content_type or "application/octet-stream")
        return self._request(
            "POST", f"/subjects/{subject_id}/lectures", files={"file": file}, timeout=UPLOAD_TIMEOUT
        )

    def get_lecture(self, lecture_id: int) -> Json:
        return self._request("GET", f"/lectures/{lecture_id}")

    def rename_lecture(self, lecture_id: int, title: str) -> Json:
        return self._request("PATCH", f"/lectures/{lecture_id}", json={"title": title})

    def delete_lecture(self, lecture_id: int) -> None:
        self._request("DELETE", f"/lectures/{lecture_id}")

    def reprocess_lecture(self, lecture_id: int) -> Json:
        """Answers ``{"lecture", "job"}`` like an upload."""
        return self._request("POST", f"/lectures/{lecture_id}/reprocess")

    def list_pages(self, lecture_id: int) -> list[Json]:
        return self._request("GET", f"/lectures/{lecture_id}/pages")

    def list_figures(self, lecture_id: int) -> list[Json]:
        return self._request("GET", f"/lectures/{lecture_id}/figures")

    @staticmethod
    def thumbnail_path(lecture_id: int, page: int) -> str:
        return f"/lectures/{lecture_id}/pages/{page}/thumbnail"

    @staticmethod
    def figure_path(figure_id: int) -> str:
        return f"/figures/{figure_id}/image"

    # -- jobs ------------------------------------------------------------------------------------------

    def list_jobs(self, active: bool = False) -> list[Json]:
        return self._request("GET", "/jobs", params={"active": "true" if active else "false"})

    def get_job(self, job_id: str) -> Json:
        return self._request("GET", f"/jobs/{job_id}")

    def cancel_job(self, job_id: str) -> Json:
        return self._request("DELETE", f"/jobs/{job_id}")

    # -- chat ------------------------------------------------------------------------------------------

    def search(self, subject_id: int, query: str, k: int = 5, **options: Any) -> Json:
        """Hybrid search over a subject's slides: ``{"hits": [...]}``."""
        payload = {"subject_id": subject_id, "query": query, "k": k, **_drop_none(options)}
        return self._request("POST", "/search", json=payload, timeout=CHAT_TIMEOUT)

    def chat(self, subject_id: int, question: str, **options: Any) -> Json:
        """The whole answer in one response (what :meth:`ask_stream` falls back to)."""
        payload = {"subject_id": subject_id, "question": question, **_drop_none(options)}
        return self._request("POST", "/chat", json=payload, timeout=CHAT_TIMEOUT)

    def list_chat_sessions(self, subject_id: int) -> list[Json]:
        return self._request("GET", f"/subjects/{subject_id}/chat/sessions")

    def chat_messages(self, session_id: int) -> list[Json]:
        return self._request("GET", f"/chat/sessions/{session_id}/messages")

    def delete_chat_session(self, session_id: int) -> None:
        self._request("DELETE", f"/chat/sessions/{session_id}")

    # -- the WebSocket ---------------------------------------------------------------------------------

    @property
    def ws_url(self) -> str:
        scheme, rest = self.base_url.split("://", 1)
        return f"{'wss' if scheme == 'https' else 'ws'}://{rest}{API_PREFIX}/ws"

    def open_events(self) -> tuple[EventSocket, Json]:
        """Connect and authenticate; answers the socket and the gateway's ``ready`` message.

        An expired access token is refreshed once; anything else becomes an :class:`ApiError`
        (``EVENTS_UNAVAILABLE`` when the WebSocket cannot be reached at all).
        """
        for attempt in (1, 2):
            tokens = self.tokens
            if tokens is None:
                raise ApiError("NOT_AUTHENTICATED", "Please sign in.", 401)
            try:
                ws = self.ws_connect(f"{self.ws_url}?token={tokens.access_token}")
            except Exception as exc:  # refused, DNS, handshake: all mean "no live events"
                raise ApiError("EVENTS_UNAVAILABLE", "Live updates are unavailable right now.") from exc
            try:
                first = json.loads(ws.recv(timeout=WS_READY_SECONDS))
            except Exception as exc:
                ws.close()
                raise ApiError("EVENTS_UNAVAILABLE", "Live updates are unavailable right now.") from exc
            if first.get("type") == "ready":
                return ws, first
            ws.close()
            error = first.get("error") or {}
            if error.get("code") == "TOKEN_EXPIRED" and attempt == 1:
                self._refresh_after(tokens)
                continue
            raise ApiError(
                str(error.get("code") or "NOT_AUTHENTICATED"),
                str(error.get("message") or "Please sign in."),
                401,
            )
        raise ApiError("NOT_AUTHENTICATED", "Please sign in.", 401)  # pragma: no cover - loop returns

    def ask_stream(self, subject_id: int, question: str, **options: Any) -> Iterator[Json]:
        """Ask over the WebSocket; yields ``chat.accepted``, ``chat.evidence``, ``chat.token``...,
        ``chat.replace`` and finally ``chat.done``. A ``chat.error`` becomes an :class:`ApiError`."""
        request_id = uuid.uuid4().hex
        ws, _ready = self.open_events()
        try:
            message = {"type": "chat", "subject_id": subject_id, "question": question, **_drop_none(options)}
            ws.send(json.dumps({**message, "request_id": request_id}))
            deadline = time.monotonic() + ANSWER_SECONDS
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise ApiError("ANSWER_TIMEOUT", "The answer took too long; try again.")
                try:
                    event = json.loads(ws.recv(timeout=remaining))
                except TimeoutError as exc:
                    raise ApiError("ANSWER_TIMEOUT", "The answer took too long; try again.") from exc
                except Exception as exc:
                    raise ApiError("EVENTS_CLOSED", "The connection to the server was lost.") from exc
                if not isinstance(event, dict) or event.get("request_id") != request_id:
                    continue  # job progress and other answers share the socket
                if event.get("type") == "chat.error":
                    error = event.get("error") or {}
                    raise ApiError(
                        str(error.get("code") or "CHAT_FAILED"),
                        str(error.get("message") or "The question could not be answered."),
                    )
                yield event
                if event.get("type") == "chat.done":
                    return
        finally:
            ws.close()

    # -- study material --------------------------------------------------------------------------------

    def generate(self, subject_id: int, kind: str, **options: Any) -> Json:
        """Queue a cheat sheet, quiz or flashcards; answers ``{"job": JobRead}``."""
        payload = {"kind": kind, **_drop_none(options)}
        return self._request("POST", f"/subjects/{subject_id}/generate", json=payload)

    def upload_past_paper(
        self,
        subject_id: int,
        filename: str,
        content: bytes,
        content_type: str | None = None,
        *,
        title: str | None = None,
    ) -> Json:
        """Send an exam (PDF or PNG/JPEG/TIFF) to be answered from the subject's notes as a .docx;
        answers ``{"job": JobRead}`` (the finished job's result names the document)."""
        file = (filename, content, content_type or "application/octet-stream")
        return self._request(
            "POST",
            f"/subjects/{subject_id}/past-papers",
            files={"file": file},
            data=_drop_none({"title": title}),
            timeout=UPLOAD_TIMEOUT,
        )

    def list_documents(self, subject_id: int | None = None) -> list[Json]:
        params = {"subject_id": subject_id} if subject_id is not None else None
        return self._request("GET", "/documents", params=params)

    def get_document(self, document_id: int) -> Json:
        return self._request("GET", f"/documents/{document_id}")

    def download_document(self, document_id: int) -> bytes:
        return self.get_bytes(f"/documents/{document_id}/download")

    def delete_document(self, document_id: int) -> None:
        self._request("DELETE", f"/documents/{document_id}")

    def get_quiz(self, document_id: int) -> Json:
        return self._request("GET", f"/documents/{document_id}/quiz")

    def attempt_quiz(self, document_id: int, answers: dict[int, str], duration_ms: int | None = None) -> Json:
        payload = {"answers": {str(k): v for k, v in answers.items()}, "duration_ms": duration_ms}
        return self._request("POST", f"/documents/{document_id}/quiz/attempts", json=payload)

    # -- flashcards ------------------------------------------------------------------------------------

    def list_flashcards(self, subject_id: int, *, due: bool = False) -> list[Json]:
        params = {"due": "true" if due else "false"}
        return self._request("GET", f"/subjects/{subject_id}/flashcards", params=params)

    def create_flashcard(self, subject_id: int, front: str, back: str, kind: str = "basic") -> Json:
        payload = {"front": front, "back": back, "kind": kind}
        return self._request("POST", f"/subjects/{subject_id}/flashcards", json=payload)

    def update_flashcard(self, card_id: int, **fields: Any) -> Json:
        return self._request("PATCH", f"/flashcards/{card_id}", json=fields)

    def delete_flashcard(self, card_id: int) -> None:
        self._request("DELETE", f"/flashcards/{card_id}")

    def review_flashcard(self, card_id: int, rating: int, duration_ms: int | None = None) -> Json:
        """Rating 1 Again, 2 Hard, 3 Good, 4 Easy; answers ``{"card", "log", "session_id"}``."""
        payload = {"rating": rating, "duration_ms": duration_ms}
        return self._request("POST", f"/flashcards/{card_id}/review", json=payload)

    def export_flashcards(self, subject_id: int, fmt: str = "apkg") -> bytes:
        return self.get_bytes(f"/subjects/{subject_id}/flashcards/export", format=fmt)

    # -- exam plan, personal FSRS parameters, mind maps ------------------------------------------------

    def study_plan(self, subject_id: int) -> Json:
        """Readiness per lecture by the exam date, today's desired retention, the cram days."""
        return self._request("GET", f"/subjects/{subject_id}/study-plan")

    def fsrs_profile(self) -> Json:
        return self._request("GET", "/fsrs")

    def optimize_fsrs(self) -> Json:
        return self._request("POST", "/fsrs/optimize")

    def build_mindmap(self, subject_id: int, lecture_id: int | None = None) -> Json:
        return self._request("POST", f"/subjects/{subject_id}/mindmap", json={"lecture_id": lecture_id})

    def latest_mindmap(self, subject_id: int, lecture_id: int | None = None) -> Json:
        params = {"lecture_id": lecture_id} if lecture_id else None
        return self._request("GET", f"/subjects/{subject_id}/mindmap", params=params)

    def mindmap_file(self, document_id: int, fmt: str) -> bytes:
        return self.get_bytes(f"/documents/{document_id}/mindmap.{fmt}")

    # -- shares ----------------------------------------------------------------------------------------

    def create_share(
        self, *, document_id: int | None = None, subject_id: int | None = None, expires_in_days: int = 7
    ) -> Json:
        payload = {"document_id": document_id, "subject_id": subject_id, "expires_in_days": expires_in_days}
        return self._request("POST", "/shares", json=payload)

    def list_shares(self) -> list[Json]:
        """Every link this account made, newest first, revoked and expired ones included."""
        return self._request("GET", "/shares")

    def revoke_share(self, share_id: int) -> None:
        """The link stops working at once (it answers 410 SHARE_REVOKED); revoking twice is harmless."""
        self._request("DELETE", f"/shares/{share_id}")

    # -- settings --------------------------------------------------------------------------------------

    def runtime_settings(self) -> Json:
        return self._request("GET", "/settings/runtime")

    # -- progress --------------------------------------------------------------------------------------

    def stats(self, *, subject_id: int | None = None, days: int = 30) -> Json:
        return self._request("GET", "/stats", params=_drop_none({"subject_id": subject_id, "days": days}))


def _drop_none(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}
