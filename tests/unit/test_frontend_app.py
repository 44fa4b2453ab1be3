"""The Streamlit app and its gateway client, driven against an in-memory fake gateway."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from frontend.api import ApiError, GatewayClient, Tokens

APP = str(Path(__file__).resolve().parents[2] / "frontend" / "app.py")
BASE = "http://gateway.test"


def _err(status: int, code: str, message: str) -> httpx.Response:
    return httpx.Response(
        status, json={"error": {"code": code, "message": message, "details": {}}, "request_id": "r1"}
    )


class FakeGateway:
    """Just enough of ``/api/v1`` for the app: one user, subjects, lectures, pages and jobs in dicts."""

    def __init__(self) -> None:
        self.users = {"ada@example.com": "correct-horse"}
        self.valid_access: set[str] = set()
        self.refresh_tokens: set[str] = set()
        self.issued = 0
        self.calls: list[tuple[str, str]] = []
        self.subjects: dict[int, dict[str, Any]] = {
            1: {"id": 1, "name": "Biology", "ocr_languages": "eng+hin", "version": 1, "lecture_count": 2},
            2: {"id": 2, "name": "History", "ocr_languages": "eng", "version": 1, "lecture_count": 0},
        }
        self.lectures: dict[int, dict[str, Any]] = {
            10: self._lecture(10, 1, "Cells", "done", page_count=2, chunk_count=7),
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
                {
                    "id": 1,
                    "number": 1,
                    "title": "What is a cell",
                    "text": "Cells are the unit of life.",
                    "text_source": "pdf",
                    "ocr_confidence": None,
                },
                {
                    "id": 2,
                    "number": 2,
                    "title": None,
                    "text": "Mitochondria make ATP.",
                    "text_source": "ocr",
                    "ocr_confidence": 0.91,
                },
            ]
        }
        self.jobs: dict[str, dict[str, Any]] = {}

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
            "page_count": None,
            "figure_count": 0,
            "chunk_count": None,
            "processing_seconds": None,
        }
        return {**base, **extra}

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
        self, jid: str, lecture_id: int, status: str = "running", progress: float = 0.4
    ) -> dict[str, Any]:
        job = {
            "id": jid,
            "kind": "ingest",
            "queue": "ingest",
            "status": status,
            "progress": progress,
            "stage": "Reading page 2 of 5",
            "subject_id": self.lectures[lecture_id]["subject_id"],
            "lecture_id": lecture_id,
            "error_code": None,
            "error_message": None,
            "result": None,
        }
        self.jobs[jid] = job
        return job

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/v1")
        method = request.method
        self.calls.append((method, path))
        body = (
            json.loads(request.content) if request.headers.get("content-type") == "application/json" else {}
        )
        if path == "/auth/login":
            if self.users.get(body["email"]) != body["password"]:
                return _err(401, "INVALID_CREDENTIALS", "Email or password is wrong.")
            return httpx.Response(200, json=self.issue())
        if path == "/auth/register":
            if body["email"] in self.users:
                return _err(409, "EMAIL_TAKEN", "An account with this email already exists.")
            self.users[body["email"]] = body["password"]
            return httpx.Response(201, json={"id": 2, "email": body["email"], "display_name": None})
        if path == "/auth/refresh":
            if body["refresh_token"] not in self.refresh_tokens:
                return _err(401, "INVALID_REFRESH_TOKEN", "Your session has ended; sign in again.")
            self.refresh_tokens.discard(body["refresh_token"])
            return httpx.Response(200, json=self.issue())
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if token not in self.valid_access:
            return _err(401, "TOKEN_EXPIRED", "Your session has expired; sign in again.")
        return self.route(method, path, request, body)

    def route(self, method: str, path: str, request: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        if path == "/auth/logout":
            return httpx.Response(204)
        if path == "/auth/me":
            return httpx.Response(200, json={"id": 1, "email": "ada@example.com", "display_name": "Ada"})
        if path == "/subjects" and method == "GET":
            return httpx.Response(200, json=list(self.subjects.values()))
        if path == "/subjects" and method == "POST":
            if any(s["name"] == body["name"] for s in self.subjects.values()):
                return _err(409, "SUBJECT_EXISTS", "You already have a subject with this name.")
            sid = max(self.subjects) + 1
            self.subjects[sid] = {
                "id": sid,
                "name": body["name"],
                "ocr_languages": body.get("ocr_languages"),
                "version": 1,
                "lecture_count": 0,
            }
            return httpx.Response(201, json=self.subjects[sid])
        if m := re.fullmatch(r"/subjects/(\d+)", path):
            sid = int(m[1])
            if method == "DELETE":
                del self.subjects[sid]
                return httpx.Response(204)
            self.subjects[sid].update(body)
            return httpx.Response(200, json=self.subjects[sid])
        if (m := re.fullmatch(r"/subjects/(\d+)/lectures", path)) and method == "GET":
            return httpx.Response(
                200, json=[lec for lec in self.lectures.values() if lec["subject_id"] == int(m[1])]
            )
        if m := re.fullmatch(r"/subjects/(\d+)/lectures", path):
            lid = max(self.lectures) + 1
            self.lectures[lid] = self._lecture(lid, int(m[1]), "upload", "queued")
            return httpx.Response(
                202, json={"lecture": self.lectures[lid], "job": self.job("job-new", lid, "queued")}
            )
        if m := re.fullmatch(r"/lectures/(\d+)/pages", path):
            return httpx.Response(200, json=self.pages.get(int(m[1]), []))
        if (m := re.fullmatch(r"/lectures/(\d+)", path)) and method == "DELETE":
            del self.lectures[int(m[1])]
            return httpx.Response(204)
        if path == "/jobs":
            active = request.url.params.get("active") == "true"
            jobs = [j for j in self.jobs.values() if not active or j["status"] in ("queued", "running")]
            return httpx.Response(200, json=jobs)
        if m := re.fullmatch(r"/jobs/([\w-]+)", path):
            job = self.jobs[m[1]]
            if method == "DELETE":
                job["status"] = "cancelled"
            return httpx.Response(200, json=job)
        return _err(404, "NOT_FOUND", "Not found.")


@pytest.fixture
def fake() -> FakeGateway:
    return FakeGateway()


def make_app(fake: FakeGateway, *, signed_in: bool = True) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=10)
    at.session_state["client_factory"] = lambda base_url: GatewayClient(
        base_url, transport=httpx.MockTransport(fake)
    )
    if signed_in:
        at.session_state["tokens"] = fake.sign_in_state()
        at.session_state["user"] = {"id": 1, "email": "ada@example.com", "display_name": "Ada"}
    return at.run()


def button(at: AppTest, label: str) -> Any:
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}; have {[b.label for b in at.button]}"
    return matches[0]


def signed_in(at: AppTest) -> bool:
    return "tokens" in at.session_state and at.session_state["tokens"] is not None


def texts(elements: Any) -> list[str]:
    return [e.value for e in elements]


# -- the app -----------------------------------------------------------------------------------------------


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
    assert isinstance(at.session_state["tokens"], Tokens)
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


def test_register_creates_account_and_signs_in(fake: FakeGateway) -> None:
    at = make_app(fake, signed_in=False)
    at.text_input(key="register_email").input("bob@example.com")
    at.text_input(key="register_password").input("long-enough")
    button(at, "Create account").click().run()
    assert not at.exception
    assert fake.users["bob@example.com"] == "long-enough"
    assert "Dashboard" in texts(at.header)


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


def test_failed_lecture_shows_its_error_message(fake: FakeGateway) -> None:
    at = make_app(fake)
    assert not at.exception
    assert "The scan is unreadable." in texts(at.error)
    cards = texts(at.markdown)
    assert "**Cells** · ✅ Ready" in cards
    assert "**Scanned notes** · ❌ Failed" in cards
    assert any("2 pages · 7 chunks" in c for c in texts(at.caption))


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


def test_running_job_shows_progress_and_can_be_cancelled(fake: FakeGateway) -> None:
    fake.lectures[12] = fake._lecture(12, 1, "Genetics", "processing")
    fake.job("job-1", 12)
    at = make_app(fake)
    assert not at.exception
    bars = at.get("progress")
    assert len(bars) == 1
    assert bars[0].proto.value == 40
    assert "Genetics — Reading page 2 of 5 (40%)" in bars[0].proto.text
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
    assert "**Genetics** · ✅ Ready" in texts(at.markdown)


def test_lecture_view_lists_pages(fake: FakeGateway) -> None:
    at = make_app(fake)
    button(at, "📖 Open").click().run()
    assert not at.exception
    assert "Lecture view" in texts(at.header)
    assert [e.label for e in at.expander] == ["Page 1 — What is a cell", "Page 2"]
    assert "Mitochondria make ATP." in texts(at.text)
    assert ("GET", "/lectures/10/pages") in fake.calls


def test_expired_access_token_is_refreshed_transparently(fake: FakeGateway) -> None:
    tokens = fake.sign_in_state()
    fake.valid_access.discard(tokens.access_token)
    at = AppTest.from_file(APP, default_timeout=10)
    at.session_state["client_factory"] = lambda url: GatewayClient(url, transport=httpx.MockTransport(fake))
    at.session_state["tokens"] = tokens
    at.run()
    assert not at.exception
    assert "Dashboard" in texts(at.header)
    assert at.session_state["tokens"].access_token != tokens.access_token
    assert fake.calls.count(("POST", "/auth/refresh")) == 1


def test_dead_session_returns_to_sign_in(fake: FakeGateway) -> None:
    at = make_app(fake)
    fake.valid_access.clear()
    fake.refresh_tokens.clear()
    at.run()
    assert not at.exception
    assert not signed_in(at)
    assert "Your session has ended; sign in again." in texts(at.info)
    assert at.text_input(key="login_email") is not None


def test_sign_out_revokes_and_clears_tokens(fake: FakeGateway) -> None:
    at = make_app(fake)
    at.sidebar.button[0].click().run()
    assert not at.exception
    assert ("POST", "/auth/logout") in fake.calls
    assert not signed_in(at)
    assert "Dashboard" not in texts(at.header)


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


def test_delete_accepts_empty_204() -> None:
    seen: list[tuple[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.url.path))
        return httpx.Response(204)

    client_for(handler, Tokens("a", "r")).delete_lecture(4)
    assert seen == [("DELETE", "/api/v1/lectures/4")]


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
