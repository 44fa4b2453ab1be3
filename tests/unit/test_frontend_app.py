"""The Streamlit app and its gateway client, driven against an in-memory fake gateway.

The fake answers ``/api/v1`` over ``httpx.MockTransport`` and the WebSocket through the client's
``ws_connect`` hook; ``tests/unit/test_frontend_pages.py`` reuses it for the study pages.
"""

from __future__ import annotations

import io
import json
import queue
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from frontend.api import ApiError, GatewayClient, Tokens
from tests.support.factories import make_pdf
from tests.support.openapi import gateway_contract

APP = str(Path(__file__).resolve().parents[2] / "frontend" / "app.py")
BASE = "http://gateway.test"
NOW = datetime.now(UTC)
STAMPS = {"created_at": NOW.isoformat(), "updated_at": NOW.isoformat()}
ADA = {"id": 1, "email": "ada@example.com", "display_name": "Ada"}


def _err(status: int, code: str, message: str) -> httpx.Response:
    return httpx.Response(
        status, json={"error": {"code": code, "message": message, "details": {}}, "request_id": "r1"}
    )


def _image(fmt: str, color: tuple[int, int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (32, 18), color).save(buf, format=fmt)
    return buf.getvalue()


JPEG = _image("JPEG", (30, 90, 200))
PNG = _image("PNG", (200, 30, 30))
Route = Callable[[re.Match[str], httpx.Request, dict[str, Any]], httpx.Response]


class FakeSocket:
    """The gateway's WebSocket as the client sees it: scripted messages, a recv with a timeout."""

    def __init__(self, gateway: FakeGateway, token: str) -> None:
        self.gateway = gateway
        self.inbox: queue.Queue[str] = queue.Queue()
        self.sent: list[dict[str, Any]] = []
        self.closed = False
        if token in gateway.valid_access:
            self.inbox.put(json.dumps({"type": "ready", "user_id": 1, "active_jobs": []}))
        else:
            self.inbox.put(json.dumps({"type": "error", "error": {"code": "TOKEN_EXPIRED", "message": "x"}}))

    def send(self, message: str) -> None:
        data = json.loads(message)
        self.sent.append(data)
        if data.get("type") == "chat":
            for event in self.gateway.chat_events(data):
                self.inbox.put(json.dumps(event))

    def recv(self, timeout: float | None = None) -> str:
        try:
            return self.inbox.get(timeout=min(timeout or 0.05, 0.05))
        except queue.Empty:
            if self.closed:
                raise ConnectionError("closed") from None
            raise TimeoutError from None

    def close(self) -> None:
        self.closed = True


class FakeGateway:
    """Enough of ``/api/v1`` for every page, in dicts; ``calls`` records (method, path)."""

    def __init__(self) -> None:
        self.users = {"ada@example.com": "correct-horse"}
        self.valid_access: set[str] = set()
        self.revoked_access: set[str] = set()
        self.refresh_tokens: set[str] = set()
        self.issued = 0
        self.calls: list[tuple[str, str]] = []
        self.bodies: dict[tuple[str, str], Any] = {}
        self.ws_enabled = False
        self.sockets: list[FakeSocket] = []
        self.subjects: dict[int, dict[str, Any]] = {
            1: {
                "id": 1,
                "name": "Biology",
                "ocr_languages": "eng+hin",
                "version": 1,
                "lecture_count": 2,
                **STAMPS,
            },
            2: {
                "id": 2,
                "name": "History",
                "ocr_languages": "eng",
                "version": 1,
                "lecture_count": 0,
                **STAMPS,
            },
        }
        self.lectures: dict[int, dict[str, Any]] = {
            10: self._lecture(10, 1, "Cells", "done", page_count=2, chunk_count=7, figure_count=1),
            11: self._lecture(
                11,
                1,
                "Scanned notes",
                "failed",
                error_code="OCR_FAILED",
                error_message="The scan is unreadable.",
            ),
        }
        self.pages = {
            10: [
                self._page(1, "What is a cell", "Cells are the unit of life.", "pdf", None),
                self._page(2, "", "Mitochondria make ATP.", "ocr", 0.91),
            ]
        }
        self.figures = {
            10: [
                {
                    "id": 100,
                    "lecture_id": 10,
                    "page_number": 2,
                    "bbox": [0.5, 0.2, 0.9, 0.7],
                    "caption": "Figure 1: A mitochondrion",
                    "text": "",
                    "source": "layout",
                }
            ]
        }
        self.jobs: dict[str, dict[str, Any]] = {}
        self.sessions: dict[int, dict[str, Any]] = {
            5: {"id": 5, "subject_id": 1, "title": "What do cells do?", "created_at": NOW.isoformat()}
        }
        self.messages: dict[int, list[dict[str, Any]]] = {
            5: [
                {
                    "id": 1,
                    "role": "user",
                    "content": "What do cells do?",
                    "citations": [],
                    "created_at": NOW.isoformat(),
                },
                {
                    "id": 2,
                    "role": "assistant",
                    "content": "Cells are the unit of life [1].",
                    "citations": [self.citation(1, "Cells are the unit of life.")],
                    "created_at": NOW.isoformat(),
                },
            ]
        }
        self.documents: dict[int, dict[str, Any]] = {
            50: self._document(50, "quiz", "Quiz — Biology", "quiz-biology.pdf", "application/pdf"),
            51: self._document(
                51, "cheatsheet", "Cheat sheet — Biology", "cheat-sheet.docx", "application/docx"
            ),
        }
        self.quiz = {
            "document_id": 50,
            "title": "Quiz — Biology",
            "difficulty": "medium",
            "questions": [
                {
                    "number": 1,
                    "kind": "multiple_choice",
                    "prompt": "What makes ATP?",
                    "options": ["Ribosome", "Mitochondria", "Nucleus"],
                },
                {"number": 2, "kind": "true_false", "prompt": "Cells are the unit of life.", "options": []},
                {"number": 3, "kind": "short_answer", "prompt": "Name the unit of life.", "options": []},
            ],
        }
        self.quiz_key = {1: "B", 2: "true", 3: "cell"}
        self.cards: dict[int, dict[str, Any]] = {
            200: self._card(200, "What makes ATP?", "Mitochondria", due=NOW - timedelta(hours=1)),
            201: self._card(
                201, "The {{c1::cell}} is the unit of life.", "The cell is the unit of life.", "cloze"
            ),
            202: self._card(
                202,
                "What is osmosis?",
                "Water through a membrane.",
                due=NOW + timedelta(days=3),
                state="review",
                last_review=NOW - timedelta(days=1),
                stability=4.0,
            ),
        }
        self.reviews: list[tuple[int, int]] = []
        self.uploads: dict[tuple[str, str], bytes] = {}  # multipart bodies, by (method, path)
        self.shares: dict[int, dict[str, Any]] = {
            30: self._share(30, "document", document_id=50, expires_at=NOW + timedelta(days=6)),
            31: self._share(31, "deck", subject_id=1, expires_at=None),
            32: self._share(32, "document", document_id=51, revoked_at=NOW - timedelta(days=1)),
        }

    # -- records -------------------------------------------------------------------------------------

    @staticmethod
    def _lecture(lid: int, sid: int, title: str, status: str, **extra: Any) -> dict[str, Any]:
        base = {
            "id": lid,
            "subject_id": sid,
            "title": title,
            "filename": f"{title}.pdf",
            "file_type": "pdf",
            "size_bytes": 2048,
            "status": status,
            "error_code": None,
            "error_message": None,
            "page_count": 0,
            "figure_count": 0,
            "chunk_count": 0,
            "processing_seconds": None,
            **STAMPS,
        }
        return {**base, **extra}

    @staticmethod
    def _page(number: int, title: str, text: str, source: str, conf: float | None) -> dict[str, Any]:
        return {
            "id": number,
            "number": number,
            "title": title,
            "text": text,
            "text_source": source,
            "ocr_confidence": conf,
            "has_thumbnail": True,
            "width": 960.0,
            "height": 540.0,
        }

    @staticmethod
    def _document(did: int, kind: str, title: str, filename: str, media: str) -> dict[str, Any]:
        return {
            "id": did,
            "subject_id": 1,
            "job_id": None,
            "kind": kind,
            "title": title,
            "filename": filename,
            "media_type": media,
            "size_bytes": 4096,
            "created_at": NOW.isoformat(),
        }

    @staticmethod
    def _card(cid: int, front: str, back: str, kind: str = "basic", **extra: Any) -> dict[str, Any]:
        card = {
            "id": cid,
            "subject_id": 1,
            "lecture_id": 10,
            "page_number": 1,
            "figure_id": None,
            "kind": kind,
            "front": front,
            "back": back,
            "suspended": False,
            "due": (extra.pop("due", NOW - timedelta(minutes=5))).isoformat(),
            "state": extra.pop("state", "new"),
            "stability": extra.pop("stability", None),
            "difficulty": None,
            "last_review": (lr.isoformat() if (lr := extra.pop("last_review", None)) else None),
            # Relative to when the card is served (the labels show "in N min" from now).
            "next_due": {
                "again": (datetime.now(UTC) + timedelta(minutes=1, seconds=30)).isoformat(),
                "hard": (datetime.now(UTC) + timedelta(minutes=6, seconds=30)).isoformat(),
                "good": (datetime.now(UTC) + timedelta(minutes=10, seconds=30)).isoformat(),
                "easy": (datetime.now(UTC) + timedelta(days=4, minutes=1)).isoformat(),
            },
            "created_at": NOW.isoformat(),
            "updated_at": NOW.isoformat(),
        }
        return {**card, **extra}

    @staticmethod
    def _share(sid: int, kind: str, **extra: Any) -> dict[str, Any]:
        expires = extra.pop("expires_at", NOW + timedelta(days=7))
        revoked = extra.pop("revoked_at", None)
        return {
            "id": sid,
            "token": f"token-{sid}",
            "url": f"{BASE}/api/v1/shared/token-{sid}",
            "kind": kind,
            "document_id": extra.pop("document_id", None),
            "subject_id": extra.pop("subject_id", None),
            "expires_at": expires.isoformat() if expires else None,
            "revoked_at": revoked.isoformat() if revoked else None,
            "created_at": (NOW - timedelta(days=1)).isoformat(),
        }

    @staticmethod
    def citation(page: int, quote: str, figure_ids: list[int] | None = None) -> dict[str, Any]:
        return {
            "lecture": 10,
            "lecture_title": "Cells",
            "file": "Cells.pdf",
            "page": page,
            "quote": quote,
            "figure_ids": figure_ids or [],
        }

    def answer(self, question: str) -> dict[str, Any]:
        return {
            "answer": "Mitochondria make ATP [1].",
            "citations": [self.citation(2, "Mitochondria make ATP.", [100])],
            "evidence": [],
            "web": [],
            "notice": "",
            "seconds_to_first_token": 0.4,
            "cached": False,
        }

    def chat_events(self, msg: dict[str, Any]) -> list[dict[str, Any]]:
        rid = msg["request_id"]
        sid = msg.get("session_id") or self._new_session(msg["subject_id"], msg["question"])
        result = self.answer(msg["question"])
        return [
            {"type": "job", "job_id": "other", "status": "running", "progress": 0.5},
            {"type": "chat.accepted", "request_id": "someone-else", "session_id": 99},
            {"type": "chat.accepted", "request_id": rid, "session_id": sid},
            {"type": "chat.evidence", "request_id": rid, "evidence": [{"page": 2}]},
            {"type": "chat.token", "request_id": rid, "text": "Mitochondria "},
            {"type": "chat.token", "request_id": rid, "text": "make"},
            {"type": "chat.done", "request_id": rid, **result},
        ]

    def _new_session(self, subject_id: int, question: str) -> int:
        sid = max(self.sessions) + 1
        self.sessions[sid] = {
            "id": sid,
            "subject_id": subject_id,
            "title": question,
            "created_at": NOW.isoformat(),
        }
        self.messages[sid] = []
        return sid

    def issue(self) -> dict[str, Any]:
        self.issued += 1
        access, refresh = f"access-{self.issued}", f"refresh-{self.issued}"
        self.valid_access.add(access)
        self.refresh_tokens.add(refresh)
        return {"access_token": access, "refresh_token": refresh, "token_type": "bearer", "expires_in": 900}

    def sign_in_state(self) -> Tokens:
        pair = self.issue()
        return Tokens(pair["access_token"], pair["refresh_token"])

    def job(
        self,
        jid: str,
        lecture_id: int | None,
        status: str = "running",
        progress: float = 0.4,
        kind: str = "ingest",
        subject_id: int = 1,
    ) -> dict[str, Any]:
        job: dict[str, Any] = {
            "id": jid,
            "kind": kind,
            "queue": "ocr",
            "status": status,
            "progress": progress,
            "stage": "Reading page 2 of 5",
            "subject_id": self.lectures[lecture_id]["subject_id"] if lecture_id else subject_id,
            "lecture_id": lecture_id,
            "error_code": None,
            "error_message": None,
            "result": {},
            "created_at": NOW.isoformat(),
            "started_at": None,
            "finished_at": None,
        }
        self.jobs[jid] = job
        return job

    # -- the WebSocket -------------------------------------------------------------------------------

    def ws_connect(self, url: str) -> FakeSocket:
        if not self.ws_enabled:
            raise ConnectionRefusedError("no websocket here")
        assert "/api/v1/ws?token=" in url and url.startswith("ws://")
        socket = FakeSocket(self, url.split("token=", 1)[1])
        self.sockets.append(socket)
        return socket

    def push(self, event: dict[str, Any]) -> None:
        for socket in self.sockets:
            if not socket.closed:
                socket.inbox.put(json.dumps(event))

    # -- HTTP ----------------------------------------------------------------------------------------

    def __call__(self, request: httpx.Request) -> httpx.Response:
        """Answer as the gateway would, only what its OpenAPI document allows (tests/support/openapi.py)."""
        response = self.answer_http(request)
        gateway_contract().check(request.method, request.url.path, response)
        return response

    def answer_http(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/v1")
        method = request.method
        self.calls.append((method, path))
        body = (
            json.loads(request.content) if request.headers.get("content-type") == "application/json" else {}
        )
        self.bodies[(method, path)] = body
        if request.headers.get("content-type", "").startswith("multipart/form-data"):
            self.uploads[(method, path)] = request.content
        if path == "/auth/login":
            if self.users.get(body["email"]) != body["password"]:
                return _err(401, "INVALID_CREDENTIALS", "Email or password is wrong.")
            return httpx.Response(200, json=self.issue())
        if path == "/auth/register":
            if body["email"] in self.users:
                return _err(409, "EMAIL_TAKEN", "An account with this email already exists.")
            if not isinstance(body.get("display_name"), str):
                return _err(422, "VALIDATION_ERROR", "display_name must be a string.")
            self.users[body["email"]] = body["password"]
            user = {"id": 2, "email": body["email"], "display_name": "", "created_at": NOW.isoformat()}
            return httpx.Response(201, json=user)
        if path == "/auth/refresh":
            if body["refresh_token"] not in self.refresh_tokens:
                return _err(401, "INVALID_REFRESH_TOKEN", "Your session has ended; sign in again.")
            self.refresh_tokens.discard(body["refresh_token"])
            return httpx.Response(200, json=self.issue())
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if token in self.revoked_access:  # signed out in another tab
            return _err(401, "TOKEN_REVOKED", "This session has ended; sign in again.")
        if token not in self.valid_access:
            return _err(401, "TOKEN_EXPIRED", "Your session has expired; sign in again.")
        for route_method, pattern, handler in self.routes():
            if route_method == method and (m := re.fullmatch(pattern, path)):
                return handler(m, request, body)
        return _err(404, "NOT_FOUND", "Not found.")

    def routes(self) -> list[tuple[str, str, Route]]:
        ok = httpx.Response
        return [
            ("POST", r"/auth/logout", lambda m, r, b: ok(204)),
            (
                "GET",
                r"/auth/me",
                lambda m, r, b: ok(200, json={**ADA, "created_at": NOW.isoformat()}),
            ),
            ("GET", r"/subjects", lambda m, r, b: ok(200, json=list(self.subjects.values()))),
            ("POST", r"/subjects", self._create_subject),
            ("PATCH", r"/subjects/(\d+)", self._update_subject),
            ("PATCH", r"/lectures/(\d+)", self._rename_lecture),
            ("DELETE", r"/subjects/(\d+)", self._delete_subject),
            ("GET", r"/subjects/(\d+)/lectures", lambda m, r, b: ok(200, json=self._lectures_of(int(m[1])))),
            ("POST", r"/subjects/(\d+)/lectures", self._upload),
            ("DELETE", r"/lectures/(\d+)", self._delete_lecture),
            ("POST", r"/lectures/(\d+)/reprocess", self._reprocess),
            ("GET", r"/lectures/(\d+)/pages", lambda m, r, b: ok(200, json=self.pages.get(int(m[1]), []))),
            (
                "GET",
                r"/lectures/(\d+)/figures",
                lambda m, r, b: ok(200, json=self.figures.get(int(m[1]), [])),
            ),
            ("GET", r"/lectures/(\d+)/pages/(\d+)/thumbnail", lambda m, r, b: ok(200, content=JPEG)),
            ("GET", r"/figures/(\d+)/image", lambda m, r, b: ok(200, content=PNG)),
            ("GET", r"/jobs", self._list_jobs),
            ("GET", r"/jobs/([\w-]+)", lambda m, r, b: ok(200, json=self.jobs[m[1]])),
            ("DELETE", r"/jobs/([\w-]+)", self._cancel_job),
            ("POST", r"/chat", self._chat),
            ("GET", r"/subjects/(\d+)/chat/sessions", self._list_sessions),
            ("GET", r"/chat/sessions/(\d+)/messages", lambda m, r, b: ok(200, json=self.messages[int(m[1])])),
            ("DELETE", r"/chat/sessions/(\d+)", self._delete_session),
            ("POST", r"/subjects/(\d+)/generate", self._generate),
            ("GET", r"/documents", lambda m, r, b: ok(200, json=list(self.documents.values()))),
            ("GET", r"/documents/(\d+)/download", lambda m, r, b: ok(200, content=b"%PDF-1.4 quiz")),
            ("DELETE", r"/documents/(\d+)", self._delete_document),
            ("GET", r"/documents/(\d+)/quiz", lambda m, r, b: ok(200, json=self.quiz)),
            ("POST", r"/documents/(\d+)/quiz/attempts", self._attempt),
            ("GET", r"/subjects/(\d+)/flashcards", self._list_cards),
            ("POST", r"/subjects/(\d+)/flashcards", self._create_card),
            ("PATCH", r"/flashcards/(\d+)", self._update_card),
            ("DELETE", r"/flashcards/(\d+)", self._delete_card),
            ("POST", r"/flashcards/(\d+)/review", self._review),
            ("GET", r"/subjects/(\d+)/flashcards/export", lambda m, r, b: ok(200, content=b"apkg-bytes")),
            ("POST", r"/subjects/(\d+)/past-papers", self._past_paper),
            ("POST", r"/shares", self._create_share),
            (
                "GET",
                r"/shares",
                lambda m, r, b: ok(200, json=sorted(self.shares.values(), key=lambda x: -x["id"])),
            ),
            ("DELETE", r"/shares/(\d+)", self._revoke_share),
            ("GET", r"/settings/runtime", lambda m, r, b: ok(200, json=self.runtime())),
            ("GET", r"/stats", self._stats),
        ]

    @staticmethod
    def runtime() -> dict[str, Any]:
        return {
            "llm_provider": "llamacpp",
            "llm_model": "SmolLM2-135M-Instruct (bundled)",
            "embedding_provider": "minilm",
            "ocr_engine": "tesserocr",
            "layout_detector": "rapid_layout",
            "max_upload_mb": 50,
            "max_pages": 500,
        }

    def _lectures_of(self, sid: int) -> list[dict[str, Any]]:
        return [lec for lec in self.lectures.values() if lec["subject_id"] == sid]

    def _create_subject(self, m: re.Match[str], r: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        if any(s["name"] == body["name"] for s in self.subjects.values()):
            return _err(409, "SUBJECT_EXISTS", "You already have a subject with this name.")
        sid = max(self.subjects) + 1
        self.subjects[sid] = {
            "id": sid,
            "name": body["name"],
            "ocr_languages": body.get("ocr_languages") or "auto",
            "version": 1,
            "lecture_count": 0,
            **STAMPS,
        }
        return httpx.Response(201, json=self.subjects[sid])

    def _update_subject(self, m: re.Match[str], r: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        self.subjects[int(m[1])].update(body)
        return httpx.Response(200, json=self.subjects[int(m[1])])

    def _delete_subject(self, m: re.Match[str], r: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        del self.subjects[int(m[1])]
        return httpx.Response(204)

    def _rename_lecture(self, m: re.Match[str], r: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        lecture = self.lectures[int(m.group(1))]
        lecture.update(title=body["title"], title_source="user")
        return httpx.Response(200, json=lecture)

    def _upload(self, m: re.Match[str], r: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        if b"not a pdf" in r.content:
            return _err(415, "UNSUPPORTED_FORMAT", "This file type is not supported.")
        if b"too many pages" in r.content:
            return _err(422, "TOO_MANY_PAGES", "The file has more than 500 pages.")
        lid = max(self.lectures) + 1
        self.lectures[lid] = self._lecture(lid, int(m[1]), "upload", "queued")
        job = self.job(f"job-{lid}", lid, "queued")
        return httpx.Response(202, json={"lecture": self.lectures[lid], "job": job})

    def _delete_lecture(self, m: re.Match[str], r: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        del self.lectures[int(m[1])]
        return httpx.Response(204)

    def _reprocess(self, m: re.Match[str], r: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        lid = int(m[1])
        if any(j["lecture_id"] == lid and j["status"] in ("queued", "running") for j in self.jobs.values()):
            return _err(409, "LECTURE_BUSY", "This lecture is still being processed.")
        self.lectures[lid]["status"] = "queued"
        job = self.job(f"reprocess-{lid}", lid, "queued", progress=0.0)
        return httpx.Response(202, json={"lecture": self.lectures[lid], "job": job})

    def _list_jobs(self, m: re.Match[str], r: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        active = r.url.params.get("active") == "true"
        jobs = [j for j in self.jobs.values() if not active or j["status"] in ("queued", "running")]
        return httpx.Response(200, json=jobs)

    def _cancel_job(self, m: re.Match[str], r: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        self.jobs[m[1]]["status"] = "cancelled"
        return httpx.Response(200, json=self.jobs[m[1]])

    def _chat(self, m: re.Match[str], r: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        sid = body.get("session_id") or self._new_session(body["subject_id"], body["question"])
        return httpx.Response(200, json={**self.answer(body["question"]), "session_id": sid})

    def _list_sessions(self, m: re.Match[str], r: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        mine = [s for s in self.sessions.values() if s["subject_id"] == int(m[1])]
        return httpx.Response(200, json=sorted(mine, key=lambda s: -s["id"]))

    def _delete_session(self, m: re.Match[str], r: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        del self.sessions[int(m[1])]
        return httpx.Response(204)

    def _generate(self, m: re.Match[str], r: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        if not any(lec["status"] == "done" for lec in self._lectures_of(int(m[1]))):
            return _err(409, "NO_PROCESSED_LECTURES", "This subject has no processed lecture yet.")
        job = self.job(f"gen-{len(self.jobs)}", None, "queued", 0.0, kind=body["kind"], subject_id=int(m[1]))
        return httpx.Response(202, json={"job": job})

    def _past_paper(self, m: re.Match[str], r: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        if b"not an exam" in r.content:
            return _err(415, "UNSUPPORTED_FORMAT", "Upload the past paper as a PDF or a PNG/JPEG/TIFF image.")
        if not any(lec["status"] == "done" for lec in self._lectures_of(int(m[1]))):
            return _err(409, "NO_PROCESSED_LECTURES", "This subject has no processed lecture yet.")
        job = self.job(
            f"paper-{len(self.jobs)}", None, "queued", 0.0, kind="past_paper", subject_id=int(m[1])
        )
        return httpx.Response(202, json={"job": job})

    def _create_share(self, m: re.Match[str], r: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        sid = max(self.shares, default=0) + 1
        kind = "document" if body.get("document_id") is not None else "deck"
        self.shares[sid] = self._share(
            sid, kind, document_id=body.get("document_id"), subject_id=body.get("subject_id")
        )
        return httpx.Response(201, json=self.shares[sid])

    def _revoke_share(self, m: re.Match[str], r: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        share = self.shares.get(int(m[1]))
        if share is None:
            return _err(404, "NOT_FOUND", "share not found.")
        share["revoked_at"] = share["revoked_at"] or datetime.now(UTC).isoformat()
        return httpx.Response(204)

    def _delete_document(self, m: re.Match[str], r: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        del self.documents[int(m[1])]
        return httpx.Response(204)

    def _attempt(self, m: re.Match[str], r: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        results = []
        for number, answer in self.quiz_key.items():
            given = body["answers"].get(str(number))
            results.append(
                {
                    "number": number,
                    "correct": (given or "").lower() == answer.lower(),
                    "given": given,
                    "answer": answer,
                    "explanation": f"Slide {number} says so.",
                    "source": {"lecture_id": 10, "lecture": "Cells", "file": "Cells.pdf", "page": 1},
                    "slide_url": "/api/v1/lectures/10/pages/1/thumbnail",
                }
            )
        correct = sum(x["correct"] for x in results)
        total = len(results)
        return httpx.Response(
            201,
            json={
                "session_id": 7,
                "score": correct / total,
                "correct": correct,
                "total": total,
                "results": results,
            },
        )

    def _list_cards(self, m: re.Match[str], r: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        cards = [c for c in self.cards.values() if c["subject_id"] == int(m[1])]
        if r.url.params.get("due") == "true":
            now = datetime.now(UTC)
            cards = [c for c in cards if not c["suspended"] and datetime.fromisoformat(c["due"]) <= now]
        return httpx.Response(200, json=cards)

    def _create_card(self, m: re.Match[str], r: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        cid = max(self.cards) + 1
        self.cards[cid] = self._card(cid, body["front"], body["back"], subject_id=int(m[1]))
        return httpx.Response(201, json=self.cards[cid])

    def _update_card(self, m: re.Match[str], r: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        self.cards[int(m[1])].update(body)
        return httpx.Response(200, json=self.cards[int(m[1])])

    def _delete_card(self, m: re.Match[str], r: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        del self.cards[int(m[1])]
        return httpx.Response(204)

    def _stats(self, m: re.Match[str], r: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        """Like GET /stats: every review so far happened today."""
        subject = r.url.params.get("subject_id")
        ratings = [
            rating
            for card_id, rating in self.reviews
            if subject is None or str(self.cards[card_id]["subject_id"]) == subject
        ]
        today = datetime.now(UTC).date()
        days = [
            {"date": (today - timedelta(days=n)).isoformat(), "reviews": 0, "again": 0}
            for n in range(29, -1, -1)
        ]
        days[-1].update(reviews=len(ratings), again=sum(x == 1 for x in ratings))
        sessions = (
            [
                {
                    "id": 3,
                    "subject_id": 1,
                    "kind": "flashcards",
                    "started_at": datetime.now(UTC).isoformat(),
                    "ended_at": datetime.now(UTC).isoformat(),
                    "cards_reviewed": len(ratings),
                    "quiz_score": None,
                }
            ]
            if ratings
            else []
        )
        retention = sum(x > 1 for x in ratings) / len(ratings) if ratings else None
        return httpx.Response(
            200,
            json={
                "days": 30,
                "reviews_per_day": days,
                "retention": retention,
                "due": {"now": 0, "today": 0, "week": 0},
                "sessions": sessions,
            },
        )

    def _review(self, m: re.Match[str], r: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        card = self.cards[int(m[1])]
        self.reviews.append((card["id"], body["rating"]))
        card.update(
            due=(NOW + timedelta(days=2)).isoformat(),
            last_review=datetime.now(UTC).isoformat(),
            state="review",
            stability=2.0,
        )
        log = {
            "id": len(self.reviews),
            "flashcard_id": card["id"],
            "rating": body["rating"],
            "reviewed_at": datetime.now(UTC).isoformat(),
            "review_duration_ms": body.get("duration_ms"),
        }
        return httpx.Response(200, json={"card": card, "log": log, "session_id": 3})


@pytest.fixture
def fake() -> FakeGateway:
    return FakeGateway()


def client_factory(fake: FakeGateway, tokens: Tokens | None = None) -> Callable[[str], GatewayClient]:
    return lambda base_url: GatewayClient(
        base_url, tokens=tokens, transport=httpx.MockTransport(fake), ws_connect=fake.ws_connect
    )


def make_app(fake: FakeGateway, *, signed_in: bool = True, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=10)
    at.session_state["client_factory"] = client_factory(fake, fake.sign_in_state() if signed_in else None)
    if signed_in:
        at.session_state["user"] = {"id": 1, "email": "ada@example.com", "display_name": "Ada"}
    if page:
        at.session_state["page"] = page
    return at.run()


def button(at: AppTest, label: str) -> Any:
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}; have {[b.label for b in at.button]}"
    return matches[0]


def client_of(at: AppTest) -> GatewayClient:
    client: GatewayClient = at.session_state["_client"]
    return client


def signed_in(at: AppTest) -> bool:
    return "_client" in at.session_state and client_of(at).tokens is not None


def visible(source: str) -> str:
    """What a reader sees of text the app escaped for Markdown (``frontend.formatting.md``): the escaped
    characters themselves, without the backslashes and the invisible word joiners."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", str(source)).replace("\u2060", "")


def texts(elements: Any) -> list[str]:
    """The elements' texts as a reader sees them (Markdown escapes resolved)."""
    return [visible(e.value) for e in elements]


def wait_until(check: Callable[[], bool], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


# -- signing in --------------------------------------------------------------------------------------------


def test_signed_out_shows_sign_in_form(fake: FakeGateway) -> None:
    at = make_app(fake, signed_in=False)
    assert not at.exception
    assert at.text_input(key="login_email") is not None
    assert [h.value for h in at.header] == []
    assert ("GET", "/subjects") not in fake.calls


def test_sign_in_shows_dashboard_with_subjects(fake: FakeGateway) -> None:
    at = make_app(fake, signed_in=False)
    at.text_input(key="login_email").input("ada@example.com")
    at.text_input(key="login_password").input("correct-horse")
    button(at, "Sign in").click().run()
    assert not at.exception
    assert "Dashboard" in texts(at.header)
    assert isinstance(client_of(at).tokens, Tokens)
    subject_box = at.selectbox[0]
    assert subject_box.options == ["Biology (2 lectures)", "History (0 lectures)"]
    assert "Signed in as **Ada**" in texts(at.sidebar.markdown)


def test_wrong_password_shows_the_gateway_message(fake: FakeGateway) -> None:
    at = make_app(fake, signed_in=False)
    at.text_input(key="login_email").input("ada@example.com")
    at.text_input(key="login_password").input("wrong-password")
    button(at, "Sign in").click().run()
    assert not at.exception
    assert "Email or password is wrong." in texts(at.error)
    assert any("INVALID_CREDENTIALS" in c for c in texts(at.caption))
    assert not signed_in(at)


def test_register_without_a_name_creates_account_and_signs_in(fake: FakeGateway) -> None:
    at = make_app(fake, signed_in=False)
    at.text_input(key="register_email").input("bob@example.com")
    at.text_input(key="register_password").input("long-enough")
    button(at, "Create account").click().run()
    assert not at.exception
    assert fake.users["bob@example.com"] == "long-enough"
    assert fake.bodies[("POST", "/auth/register")]["display_name"] == ""
    assert "Dashboard" in texts(at.header)


def test_expired_access_token_is_refreshed_transparently(fake: FakeGateway) -> None:
    tokens = fake.sign_in_state()
    fake.valid_access.discard(tokens.access_token)
    at = AppTest.from_file(APP, default_timeout=10)
    at.session_state["client_factory"] = client_factory(fake, tokens)
    at.run()
    assert not at.exception
    assert "Dashboard" in texts(at.header)
    assert client_of(at).tokens != tokens
    assert fake.calls.count(("POST", "/auth/refresh")) == 1
    assert "Signed in as **Ada**" in texts(at.sidebar.markdown)  # asked /auth/me for the name


def test_dead_session_returns_to_sign_in(fake: FakeGateway) -> None:
    at = make_app(fake)
    fake.valid_access.clear()
    fake.refresh_tokens.clear()
    at.run()
    assert not at.exception
    assert not signed_in(at)
    assert "Your session has ended; sign in again." in texts(at.info)
    assert at.text_input(key="login_email") is not None


def test_sign_out_revokes_and_clears_the_session(fake: FakeGateway) -> None:
    at = make_app(fake)
    at.sidebar.button[0].click().run()
    assert not at.exception
    assert ("POST", "/auth/logout") in fake.calls
    assert not signed_in(at)
    assert "user" not in at.session_state and "subject_id" not in at.session_state
    assert "Dashboard" not in texts(at.header)


def test_every_page_is_in_the_sidebar_and_renders(fake: FakeGateway) -> None:
    at = make_app(fake)
    nav = at.sidebar.radio(key="page")
    assert [o.split(": ", 1)[1] for o in nav.options] == [
        "Dashboard",
        "Lecture",
        "Chat",
        "Study",
        "Flashcards",
        "Mind map",
        "Progress",
        "Settings",
    ]
    headers = []
    for page in ("Lecture", "Chat", "Study", "Flashcards", "Mind map", "Progress", "Settings"):
        at.sidebar.radio(key="page").set_value(page).run()
        assert not at.exception, (page, at.exception)
        headers += texts(at.header)
    assert headers == ["Lecture view", "Chat", "Study", "Flashcards", "Mind map", "Progress", "Settings"]


# -- the dashboard -----------------------------------------------------------------------------------------


def test_create_subject_calls_api_and_selects_it(fake: FakeGateway) -> None:
    at = make_app(fake)
    at.text_input(key="new_subject_name").input("Physics")
    button(at, "Create subject").click().run()
    assert not at.exception
    assert ("POST", "/subjects") in fake.calls
    assert [s["name"] for s in fake.subjects.values()] == ["Biology", "History", "Physics"]
    box = at.selectbox[0]
    assert box.format_func(box.value) == "Physics (0 lectures)"
    assert "Physics" in texts(at.subheader)


def test_duplicate_subject_shows_conflict_message(fake: FakeGateway) -> None:
    at = make_app(fake)
    at.text_input(key="new_subject_name").input("Biology")
    button(at, "Create subject").click().run()
    assert not at.exception
    assert any("You already have a subject with this name." in e for e in texts(at.error))
    assert any("SUBJECT_EXISTS" in c for c in texts(at.caption))


def test_rename_subject(fake: FakeGateway) -> None:
    at = make_app(fake)
    at.text_input(key="rename_1").input("Cell Biology")
    button(at, "Save changes").click().run()
    assert not at.exception
    assert fake.subjects[1]["name"] == "Cell Biology"
    assert at.selectbox[0].options[0] == "Cell Biology (2 lectures)"


def test_failed_lecture_shows_its_error_message(fake: FakeGateway) -> None:
    at = make_app(fake)
    assert not at.exception
    assert "The scan is unreadable." in texts(at.error)
    cards = texts(at.markdown)
    assert "**Cells** · :green[:material/check_circle:] Ready" in cards
    assert "**Scanned notes** · :red[:material/error:] Failed" in cards
    assert any("2 pages · 7 chunks · 1 figure" in c for c in texts(at.caption))


def test_delete_subject_needs_confirmation(fake: FakeGateway) -> None:
    at = make_app(fake)
    assert button(at, "Delete subject").disabled
    at.checkbox(key="confirm_subject_1").check().run()
    button(at, "Delete subject").click().run()
    assert not at.exception
    assert 1 not in fake.subjects
    assert at.selectbox[0].format_func(at.selectbox[0].value) == "History (0 lectures)"


def test_delete_lecture_asks_first(fake: FakeGateway) -> None:
    at = make_app(fake)
    at.button(key="delete_lecture_11").click().run()
    assert 11 in fake.lectures
    at.button(key="yes_delete_11").click().run()
    assert not at.exception
    assert 11 not in fake.lectures
    assert "The scan is unreadable." not in texts(at.error)


def test_upload_several_files_tracks_each_and_explains_a_refusal(fake: FakeGateway, tmp_path: Path) -> None:
    def pdf(name: str) -> bytes:
        return make_pdf(tmp_path / name, [f"{name}\nA slide"]).read_bytes()

    at = make_app(fake)
    at.file_uploader[0].set_value(
        [
            ("one.pdf", pdf("one.pdf"), "application/pdf"),
            ("notes.txt", b"just some text", "text/plain"),
            ("two.pdf", pdf("two.pdf"), "application/pdf"),
            ("broken.pdf", b"%PDF-1.4 not a real PDF", "application/pdf"),
            # a comment after %%EOF the fake gateway answers with TOO_MANY_PAGES, as for a 600-page deck
            ("huge.pdf", pdf("huge.pdf") + b"\n% too many pages\n", "application/pdf"),
        ]
    ).run()
    # A PDF pdfium cannot open is refused before sending too, with the gateway's code.
    assert any("“broken.pdf” was not uploaded" in e for e in texts(at.error))
    # Before sending: the .txt is refused in words next to its name, with the gateway's code.
    assert "“notes.txt” was not uploaded: This file type is not supported. Upload a PDF" in " ".join(
        texts(at.error)
    )
    assert any("Error code: `UNSUPPORTED_FORMAT`" in c for c in texts(at.caption))
    button(at, "Upload and read").click().run()
    assert not at.exception
    assert fake.calls.count(("POST", "/subjects/1/lectures")) == 3  # the .txt is never sent
    assert set(at.session_state["jobs"]) == {"job-12", "job-13"}
    # After sending: what the gateway refused is said next to that file the same way.
    assert any("“huge.pdf” was not uploaded: The file has more than 500 pages." in e for e in texts(at.error))
    assert any("Error code: `TOO_MANY_PAGES`" in c for c in texts(at.caption))
    assert len(at.get("progress")) == 2  # one live bar per file being read


def test_running_job_shows_progress_and_can_be_cancelled(fake: FakeGateway) -> None:
    fake.lectures[12] = fake._lecture(12, 1, "Genetics", "processing")
    fake.job("job-1", 12)
    at = make_app(fake)
    assert not at.exception
    bars = at.get("progress")
    assert len(bars) == 1
    assert bars[0].proto.value == 40
    assert "Genetics — Reading page 2 of 5 (40%)" in bars[0].proto.text
    assert "Live updates are off; checking every second." in texts(at.caption)
    at.button(key="cancel_job-1").click().run()
    assert ("DELETE", "/jobs/job-1") in fake.calls
    assert fake.jobs["job-1"]["status"] == "cancelled"


def test_finished_job_leaves_the_progress_list(fake: FakeGateway) -> None:
    fake.lectures[12] = fake._lecture(12, 1, "Genetics", "processing")
    fake.job("job-1", 12)
    at = make_app(fake)
    fake.jobs["job-1"].update(status="done", progress=1.0)
    fake.lectures[12]["status"] = "done"
    at.run()
    assert not at.exception
    assert len(at.get("progress")) == 0
    assert "job-1" not in at.session_state["jobs"]
    assert "**Genetics** · :green[:material/check_circle:] Ready" in texts(at.markdown)


def test_progress_bar_is_fed_by_the_websocket(fake: FakeGateway) -> None:
    fake.ws_enabled = True
    fake.lectures[12] = fake._lecture(12, 1, "Genetics", "processing")
    fake.job("job-1", 12, progress=0.2)
    at = make_app(fake)
    feed = at.session_state["_job_feed"]
    wait_until(lambda: feed.connected)
    gets = fake.calls.count(("GET", "/jobs/job-1"))
    fake.push(
        {"type": "job", "job_id": "job-1", "status": "running", "progress": 0.7, "stage": "page 4 of 5"}
    )
    wait_until(lambda: bool(feed._events))
    at.run()
    assert not at.exception
    [bar] = at.get("progress")
    assert bar.proto.value == 70 and "Genetics — page 4 of 5 (70%)" in bar.proto.text
    assert fake.calls.count(("GET", "/jobs/job-1")) == gets  # no polling: the event said it all
    assert "Live updates are off; checking every second." not in texts(at.caption)
    feed.stop()


# -- the lecture view --------------------------------------------------------------------------------------


def test_lecture_view_shows_thumbnails_text_and_figures(fake: FakeGateway) -> None:
    at = make_app(fake)
    button(at, "Open").click().run()
    assert not at.exception
    assert "Lecture view" in texts(at.header)
    assert [b.label for b in at.button if b.label.startswith("Page ")] == ["Page 1", "Page 2"]
    assert "Page 1 — What is a cell" in texts(at.subheader)
    assert "Cells are the unit of life." in texts(at.text)
    assert len(at.get("image")) >= 3  # two thumbnails and the large picture of page 1
    assert ("GET", "/lectures/10/pages/1/thumbnail") in fake.calls
    at.button(key="thumb_10_2").click().run()
    assert "Page 2" in texts(at.subheader)
    assert "Mitochondria make ATP." in texts(at.text)
    assert any("Text from OCR (read from the picture) · confidence 91%" in c for c in texts(at.caption))
    assert "**Figures on this page** (1)" in texts(at.markdown)
    assert ("GET", "/figures/100/image") in fake.calls
    assert fake.calls.count(("GET", "/lectures/10/pages/1/thumbnail")) == 1  # fetched once per session


def test_reprocess_follows_the_new_job_and_refuses_while_busy(fake: FakeGateway) -> None:
    at = make_app(fake, page="Lecture")
    at.button(key="reprocess_10").click().run()
    assert not at.exception
    assert ("POST", "/lectures/10/reprocess") in fake.calls
    assert "reprocess-10" in at.session_state["jobs"]
    assert at.button(key="reprocess_10").disabled
    [bar] = at.get("progress")
    assert "Cells" in bar.proto.text


def test_reprocess_conflict_is_explained(fake: FakeGateway) -> None:
    at = make_app(fake, page="Lecture")
    fake.job("elsewhere", 10, status="running")
    at.button(key="reprocess_10").click().run()
    assert not at.exception
    assert any("This lecture is still being processed." in e for e in texts(at.error))
    assert any("LECTURE_BUSY" in c for c in texts(at.caption))


# -- the client --------------------------------------------------------------------------------------------


def client_for(handler: Any, tokens: Tokens | None = None) -> GatewayClient:
    return GatewayClient(BASE, tokens=tokens, transport=httpx.MockTransport(handler))


def test_api_error_carries_code_message_and_status() -> None:
    client = client_for(lambda r: _err(409, "SUBJECT_EXISTS", "Already there."), Tokens("a", "r"))
    with pytest.raises(ApiError) as info:
        client.create_subject("Biology")
    assert (info.value.code, info.value.message, info.value.status) == (
        "SUBJECT_EXISTS",
        "Already there.",
        409,
    )


def test_non_json_error_is_described_by_status() -> None:
    client = client_for(lambda r: httpx.Response(502, text="<html>Bad Gateway</html>"), Tokens("a", "r"))
    with pytest.raises(ApiError) as info:
        client.list_subjects()
    assert info.value.code == "HTTP_502"
    assert "502" in info.value.message


def test_unreachable_gateway_becomes_api_error() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(ApiError) as info:
        client_for(refuse).login("a@b.c", "password")
    assert info.value.code == "GATEWAY_UNREACHABLE"
    assert BASE in info.value.message


def test_token_expired_refreshes_once_and_retries() -> None:
    seen: list[tuple[str, str | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.path, request.headers.get("authorization")))
        if request.url.path.endswith("/auth/refresh"):
            assert json.loads(request.content) == {"refresh_token": "r1"}
            return httpx.Response(
                200, json={"access_token": "a2", "refresh_token": "r2", "token_type": "bearer"}
            )
        if request.headers["authorization"] == "Bearer a1":
            return _err(401, "TOKEN_EXPIRED", "Expired.")
        return httpx.Response(200, json=[{"id": 1, "name": "Biology"}])

    saved: list[Tokens | None] = []
    client = client_for(handler, Tokens("a1", "r1"))
    client.on_tokens = saved.append
    assert client.list_subjects() == [{"id": 1, "name": "Biology"}]
    assert seen == [
        ("/api/v1/subjects", "Bearer a1"),
        ("/api/v1/auth/refresh", None),
        ("/api/v1/subjects", "Bearer a2"),
    ]
    assert client.tokens == Tokens("a2", "r2") and saved == [Tokens("a2", "r2")]


def test_a_refresh_done_meanwhile_is_not_repeated() -> None:
    """Two threads hit an expired token: the second retries with the first one's new pair."""
    calls: list[str] = []
    client: GatewayClient

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.headers.get("authorization") == "Bearer a1":
            client.tokens = Tokens("a2", "r2")  # another thread refreshed while this request flew
            return _err(401, "TOKEN_EXPIRED", "Expired.")
        return httpx.Response(200, json=[])

    client = client_for(handler, Tokens("a1", "r1"))
    assert client.list_subjects() == []
    assert "/api/v1/auth/refresh" not in calls and len(calls) == 2


def test_refresh_is_tried_only_once() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path.endswith("/auth/refresh"):
            return httpx.Response(200, json={"access_token": "a2", "refresh_token": "r2"})
        return _err(401, "TOKEN_EXPIRED", "Expired.")

    with pytest.raises(ApiError) as info:
        client_for(handler, Tokens("a1", "r1")).list_subjects()
    assert info.value.code == "TOKEN_EXPIRED"
    assert calls.count("/api/v1/auth/refresh") == 1
    assert len(calls) == 3


def test_other_401_does_not_refresh() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        return _err(401, "NOT_AUTHENTICATED", "Please sign in.")

    with pytest.raises(ApiError):
        client_for(handler, Tokens("a1", "r1")).me()
    assert calls == ["/api/v1/auth/me"]


def test_failed_refresh_forgets_tokens() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/auth/refresh"):
            return _err(401, "INVALID_REFRESH_TOKEN", "Sign in again.")
        return _err(401, "TOKEN_EXPIRED", "Expired.")

    client = client_for(handler, Tokens("a1", "r1"))
    with pytest.raises(ApiError) as info:
        client.list_subjects()
    assert info.value.message == "Sign in again."
    assert client.tokens is None


def test_upload_sends_multipart_file() -> None:
    received: dict[str, Any] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        received["path"] = request.url.path
        received["type"] = request.headers["content-type"]
        received["body"] = request.content
        return httpx.Response(202, json={"lecture": {"id": 5}, "job": {"id": "j5"}})

    answer = client_for(handler, Tokens("a", "r")).upload_lecture(
        3, "slides.pdf", b"%PDF-1.4", "application/pdf"
    )
    assert answer["job"]["id"] == "j5"
    assert received["path"] == "/api/v1/subjects/3/lectures"
    assert received["type"].startswith("multipart/form-data")
    assert b'name="file"; filename="slides.pdf"' in received["body"] and b"%PDF-1.4" in received["body"]


def test_upload_past_paper_sends_the_file_and_the_title() -> None:
    received: list[tuple[str, str, str, bytes]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        received.append((request.method, request.url.path, request.headers["content-type"], request.content))
        return httpx.Response(202, json={"job": {"id": "j9", "kind": "past_paper"}})

    client = client_for(handler, Tokens("a", "r"))
    answer = client.upload_past_paper(3, "exam.pdf", b"%PDF-1.4 exam", "application/pdf", title="Mock")
    assert answer["job"] == {"id": "j9", "kind": "past_paper"}
    method, path, content_type, body = received[0]
    assert (method, path) == ("POST", "/api/v1/subjects/3/past-papers")
    assert content_type.startswith("multipart/form-data")
    assert b'name="file"; filename="exam.pdf"' in body and b"%PDF-1.4 exam" in body
    assert b'name="title"\r\n\r\nMock\r\n' in body
    client.upload_past_paper(3, "scan.png", b"\x89PNG")  # no title: the field is left out
    assert b'name="title"' not in received[1][3]
    assert b"Content-Type: application/octet-stream" in received[1][3]


def test_list_and_revoke_shares() -> None:
    seen: list[tuple[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.url.path))
        if request.method == "GET":
            return httpx.Response(200, json=[{"id": 4, "kind": "deck", "url": "http://x/shared/t"}])
        if request.url.path.endswith("/404"):
            return _err(404, "NOT_FOUND", "share not found.")
        return httpx.Response(204)

    client = client_for(handler, Tokens("a", "r"))
    assert client.list_shares() == [{"id": 4, "kind": "deck", "url": "http://x/shared/t"}]
    assert client.revoke_share(4) is None
    with pytest.raises(ApiError) as info:
        client.revoke_share(404)
    assert (info.value.code, info.value.status) == ("NOT_FOUND", 404)
    assert seen == [
        ("GET", "/api/v1/shares"),
        ("DELETE", "/api/v1/shares/4"),
        ("DELETE", "/api/v1/shares/404"),
    ]


def test_delete_accepts_empty_204() -> None:
    seen: list[tuple[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.url.path))
        return httpx.Response(204)

    client_for(handler, Tokens("a", "r")).delete_lecture(4)
    assert seen == [("DELETE", "/api/v1/lectures/4")]


def test_get_bytes_accepts_paths_with_the_api_prefix(fake: FakeGateway) -> None:
    client = GatewayClient(BASE, tokens=fake.sign_in_state(), transport=httpx.MockTransport(fake))
    assert client.get_bytes("/api/v1/lectures/10/pages/1/thumbnail") == JPEG
    assert client.export_flashcards(1, "apkg") == b"apkg-bytes"
    assert fake.calls[-2:] == [
        ("GET", "/lectures/10/pages/1/thumbnail"),
        ("GET", "/subjects/1/flashcards/export"),
    ]


def test_ask_stream_refreshes_an_expired_token_and_skips_other_events(fake: FakeGateway) -> None:
    fake.ws_enabled = True
    tokens = fake.sign_in_state()
    fake.valid_access.discard(tokens.access_token)
    client = GatewayClient(
        BASE, tokens=tokens, transport=httpx.MockTransport(fake), ws_connect=fake.ws_connect
    )
    events = list(client.ask_stream(1, "What makes ATP?", session_id=None, web=True))
    assert [e["type"] for e in events] == [
        "chat.accepted",
        "chat.evidence",
        "chat.token",
        "chat.token",
        "chat.done",
    ]
    assert events[0]["session_id"] == 6 and events[-1]["answer"] == "Mitochondria make ATP [1]."
    assert client.tokens != tokens and fake.calls.count(("POST", "/auth/refresh")) == 1
    sent = fake.sockets[-1].sent[0]
    assert sent["web"] is True and "session_id" not in sent and sent["type"] == "chat"
    assert all(s.closed for s in fake.sockets)


def test_ask_stream_turns_chat_error_into_api_error(fake: FakeGateway) -> None:
    fake.ws_enabled = True
    fake.chat_events = lambda msg: [  # type: ignore[method-assign]
        {
            "type": "chat.error",
            "request_id": msg["request_id"],
            "error": {"code": "SUBJECT_NOT_FOUND", "message": "Subject not found."},
        }
    ]
    client = GatewayClient(
        BASE, tokens=fake.sign_in_state(), transport=httpx.MockTransport(fake), ws_connect=fake.ws_connect
    )
    with pytest.raises(ApiError) as info:
        list(client.ask_stream(9, "Anything?"))
    assert info.value.code == "SUBJECT_NOT_FOUND"


def test_unreachable_gateway_is_explained_on_sign_in() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    at = AppTest.from_file(APP, default_timeout=10)
    at.session_state["client_factory"] = lambda url: GatewayClient(url, transport=httpx.MockTransport(refuse))
    at.run()
    at.text_input(key="login_email").input("ada@example.com")
    at.text_input(key="login_password").input("correct-horse")
    button(at, "Sign in").click().run()
    assert not at.exception
    assert any("Cannot reach the MySmartNotes server" in e for e in texts(at.error))
    assert any("GATEWAY_UNREACHABLE" in c for c in texts(at.caption))


# -- the browser's address, forwarded to the gateway (its sign-in rate limits are per client) ----------------


def test_the_client_sends_the_browsers_address_on_every_request_when_known() -> None:
    seen: list[tuple[str, str | None]] = []

    def gateway(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.path, request.headers.get("X-Forwarded-For")))
        if request.url.path.endswith("/auth/login"):
            return httpx.Response(200, json={"access_token": "a", "refresh_token": "r"})
        return httpx.Response(200, json=[])

    client = GatewayClient(BASE, transport=httpx.MockTransport(gateway), client_ip="203.0.113.7")
    client.login("ada@example.com", "correct-horse")
    client.list_subjects()
    client.client_ip = None  # not known (a browser on this machine): nothing is claimed
    client.list_subjects()
    assert seen == [
        ("/api/v1/auth/login", "203.0.113.7"),
        ("/api/v1/subjects", "203.0.113.7"),
        ("/api/v1/subjects", None),
    ]


@pytest.mark.parametrize(
    ("forwarded", "peer", "expected"),
    [
        ("93.184.216.34", "172.18.0.5", "93.184.216.34"),  # the compose nginx, on the private network
        ("10.9.9.9, 93.184.216.34", "172.18.0.5", "93.184.216.34"),  # the entry the nearest proxy wrote
        (None, "93.184.216.34", "93.184.216.34"),  # a browser straight on Streamlit
        ("10.0.0.1", "93.184.216.34", "93.184.216.34"),  # ... that cannot choose its address by header
        ("2001:db8::7", None, "2001:db8::7"),  # a proxy on localhost (Streamlit reports no peer)
        (None, None, None),  # a browser on localhost
        ("not-an-address", "172.18.0.5", "172.18.0.5"),
    ],
)
def test_the_browsers_address_comes_from_the_trusted_proxy_or_the_peer(
    forwarded: str | None, peer: str | None, expected: str | None
) -> None:
    from frontend.session import client_address

    assert client_address(forwarded, peer) == expected


def test_the_sessions_client_is_given_the_browsers_address(
    fake: FakeGateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    import streamlit

    class Context:
        headers = {"X-Forwarded-For": "93.184.216.35"}
        ip_address = "172.18.0.5"

    monkeypatch.setattr(streamlit, "context", Context())
    at = make_app(fake, signed_in=False)
    assert not at.exception
    assert client_of(at).client_ip == "93.184.216.35"


def test_an_upload_waiting_for_the_users_earlier_ones_says_so(fake: FakeGateway) -> None:
    job = fake.job("job-w", 10, status="queued", progress=0.0)
    job["stage"] = "waiting"  # held back by the per-user cap (shared/ingest_queue.py)
    at = make_app(fake)
    assert not at.exception
    [bar] = at.get("progress")
    assert visible(bar.proto.text) == "Cells — waiting for your earlier uploads to be read (0%)"


def test_a_lecture_is_renamed_from_its_view_and_the_new_name_is_used(fake: FakeGateway) -> None:
    at = make_app(fake, page="Lecture")
    at.session_state["lecture_id"] = 10
    at.run()
    box = next(t for t in at.text_input if t.label == "Lecture name")
    box.set_value("Cells and their parts")
    button(at, "Save name").click().run()
    assert not at.exception
    assert ("PATCH", "/lectures/10") in fake.calls
    assert fake.lectures[10]["title"] == "Cells and their parts"
    assert any("Cells and their parts" in o for o in at.selectbox[1].options)


def test_signed_out_in_another_tab_this_tab_asks_to_sign_in(fake: FakeGateway) -> None:
    at = make_app(fake)
    assert signed_in(at)
    fake.revoked_access |= fake.valid_access  # the sign-in behind this tab ended elsewhere
    button(at, "Ask your notes").click().run()
    assert not at.exception
    assert not signed_in(at)
    assert "Your session has ended; sign in again." in texts(at.info)
