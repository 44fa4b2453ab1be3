"""Gateway behaviour on the real stack: auth, ownership, cancel, delete, bad input, health."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from pathlib import Path

import jwt
import pytest
from sqlalchemy import func, select

from shared.models import Chunk, GeneratedDocument, Lecture, Page, utcnow
from tests.integration.conftest import Stack
from tests.support.factories import make_pdf, make_png

SLIDES = ["Title slide\nIntroduction to the course", "Second\nMore content here", "Third\nThe end"]


def _error(response) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    body = response.json()
    assert set(body) == {"error", "request_id"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    assert body["error"]["message"]
    assert body["request_id"] == response.headers["X-Request-ID"]
    return response.status_code, body["error"]["code"]


def _uploaded(stack: Stack, tmp_path: Path, headers: dict[str, str]) -> tuple[dict, dict]:
    subject = stack.subject(headers)
    r = stack.upload(headers, subject["id"], "deck.pdf", make_pdf(tmp_path / "d.pdf", SLIDES).read_bytes())
    assert r.status_code == 202, r.text
    assert stack.wait_job(headers, r.json()["job"]["id"])["status"] == "done"
    return subject, r.json()


# --- auth ---------------------------------------------------------------------------------------
def test_register_login_me_refresh_logout(stack: Stack) -> None:
    c = stack.client
    email = f"a{time.time_ns()}@example.com"
    assert (
        c.post("/api/v1/auth/register", json={"email": email, "password": "long enough pw"}).status_code
        == 201
    )
    dup = c.post("/api/v1/auth/register", json={"email": email.upper(), "password": "long enough pw"})
    assert _error(dup) == (409, "EMAIL_TAKEN")
    bad = c.post("/api/v1/auth/login", json={"email": email, "password": "wrong password"})
    assert _error(bad) == (401, "INVALID_CREDENTIALS")
    tokens = c.post("/api/v1/auth/login", json={"email": email, "password": "long enough pw"}).json()
    auth = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert c.get("/api/v1/auth/me", headers=auth).json()["email"] == email

    rotated = c.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert rotated.status_code == 200
    new = rotated.json()
    # The old refresh token was rotated away: presenting it again closes the whole session.
    reuse = c.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert _error(reuse) == (401, "TOKEN_REUSED")
    after_reuse = c.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {new['access_token']}"})
    assert _error(after_reuse) == (401, "TOKEN_REVOKED")


def test_logout_revokes_access_and_refresh(stack: Stack) -> None:
    headers = stack.user()
    refresh = headers.pop("X-Refresh")
    assert stack.client.get("/api/v1/subjects", headers=headers).status_code == 200
    assert stack.client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert _error(stack.client.get("/api/v1/subjects", headers=headers)) == (401, "TOKEN_REVOKED")
    assert _error(stack.client.post("/api/v1/auth/refresh", json={"refresh_token": refresh})) == (
        401,
        "TOKEN_REVOKED",
    )


def test_expired_and_forged_tokens_get_401(stack: Stack) -> None:
    headers = stack.user()
    token = headers["Authorization"].split()[1]
    claims = jwt.decode(token, options={"verify_signature": False})
    claims["exp"] = int((utcnow() - timedelta(minutes=1)).timestamp())
    expired = jwt.encode(claims, stack.settings.secret_key, algorithm="HS256")
    r = stack.client.get("/api/v1/subjects", headers={"Authorization": f"Bearer {expired}"})
    assert _error(r) == (401, "TOKEN_EXPIRED")
    forged = jwt.encode(
        {**claims, "exp": claims["exp"] + 3600}, "another-secret-another-secret-xx", algorithm="HS256"
    )
    r = stack.client.get("/api/v1/subjects", headers={"Authorization": f"Bearer {forged}"})
    assert _error(r) == (401, "TOKEN_INVALID")
    assert _error(stack.client.get("/api/v1/subjects")) == (401, "NOT_AUTHENTICATED")
    # A refresh token is not an access token.
    r = stack.client.get("/api/v1/subjects", headers={"Authorization": f"Bearer {headers['X-Refresh']}"})
    assert _error(r) == (401, "TOKEN_INVALID")


# --- ownership ----------------------------------------------------------------------------------
def test_user_b_gets_404_on_everything_of_user_a(stack: Stack, tmp_path: Path) -> None:
    a, b = stack.user(), stack.user()
    subject, accepted = _uploaded(stack, tmp_path, a)
    lecture_id, job_id = accepted["lecture"]["id"], accepted["job"]["id"]
    with stack.session_factory() as db:
        user_a = db.get(Lecture, lecture_id).user_id  # type: ignore[union-attr]
        doc = GeneratedDocument(
            user_id=user_a,
            subject_id=subject["id"],
            kind="quiz",
            title="Quiz",
            filename="quiz.pdf",
            media_type="application/pdf",
            storage_path="generated/x.pdf",
        )
        db.add(doc)
        db.commit()
        doc_id = doc.id
    c = stack.client
    probes = [
        ("GET", f"/api/v1/subjects/{subject['id']}", "SUBJECT_NOT_FOUND"),
        ("PATCH", f"/api/v1/subjects/{subject['id']}", "SUBJECT_NOT_FOUND"),
        ("DELETE", f"/api/v1/subjects/{subject['id']}", "SUBJECT_NOT_FOUND"),
        ("GET", f"/api/v1/subjects/{subject['id']}/lectures", "SUBJECT_NOT_FOUND"),
        ("GET", f"/api/v1/lectures/{lecture_id}", "LECTURE_NOT_FOUND"),
        ("GET", f"/api/v1/lectures/{lecture_id}/pages", "LECTURE_NOT_FOUND"),
        ("GET", f"/api/v1/lectures/{lecture_id}/file", "LECTURE_NOT_FOUND"),
        ("DELETE", f"/api/v1/lectures/{lecture_id}", "LECTURE_NOT_FOUND"),
        ("GET", f"/api/v1/jobs/{job_id}", "JOB_NOT_FOUND"),
        ("DELETE", f"/api/v1/jobs/{job_id}", "JOB_NOT_FOUND"),
        ("GET", f"/api/v1/documents/{doc_id}", "DOCUMENT_NOT_FOUND"),
        ("GET", f"/api/v1/documents/{doc_id}/download", "DOCUMENT_NOT_FOUND"),
        ("DELETE", f"/api/v1/documents/{doc_id}", "DOCUMENT_NOT_FOUND"),
    ]
    for method, url, code in probes:
        kwargs = {"json": {"name": "stolen"}} if method == "PATCH" else {}
        assert _error(c.request(method, url, headers=b, **kwargs)) == (404, code), (method, url)
    r = stack.upload(b, subject["id"], "x.pdf", make_pdf(tmp_path / "x.pdf", SLIDES).read_bytes())
    assert _error(r) == (404, "SUBJECT_NOT_FOUND")
    assert c.get("/api/v1/lectures", headers=b).json() == []
    assert c.get("/api/v1/jobs", headers=b).json() == []
    assert c.get("/api/v1/documents", headers=b).json() == []
    # ... and A still has everything.
    assert c.get(f"/api/v1/lectures/{lecture_id}", headers=a).json()["status"] == "done"
    assert c.get(f"/api/v1/documents/{doc_id}", headers=a).status_code == 200


# --- subjects -----------------------------------------------------------------------------------
def test_subject_crud(stack: Stack) -> None:
    h = stack.user()
    c = stack.client
    s = stack.subject(h, "Physics")
    assert _error(c.post("/api/v1/subjects", json={"name": "physics"}, headers=h)) == (409, "SUBJECT_EXISTS")
    r = c.patch(f"/api/v1/subjects/{s['id']}", json={"name": "Physics I", "ocr_languages": "eng"}, headers=h)
    assert r.status_code == 200 and r.json()["name"] == "Physics I" and r.json()["ocr_languages"] == "eng"
    assert [x["name"] for x in c.get("/api/v1/subjects", headers=h).json()] == ["Physics I"]
    r = c.patch(f"/api/v1/subjects/{s['id']}", json={"ocr_languages": "eng; rm -rf"}, headers=h)
    assert _error(r) == (422, "VALIDATION_ERROR")
    assert c.delete(f"/api/v1/subjects/{s['id']}", headers=h).status_code == 204
    assert c.get("/api/v1/subjects", headers=h).json() == []


# --- cancel and delete --------------------------------------------------------------------------
def test_cancel_stops_a_running_job(stack: Stack, tmp_path: Path) -> None:
    h = stack.user()
    subject = stack.subject(h)
    # Long enough (hundreds of pages) that the cancel lands while the worker is reading.
    big = make_pdf(tmp_path / "big.pdf", [f"Slide {i}\nline {i}" for i in range(500)], figure=False)
    r = stack.upload(h, subject["id"], "big.pdf", big.read_bytes())
    assert r.status_code == 202, r.text
    job_id, lecture_id = r.json()["job"]["id"], r.json()["lecture"]["id"]
    cancelled = stack.client.delete(f"/api/v1/jobs/{job_id}", headers=h)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    time.sleep(3)  # give the worker time to notice; it must not overwrite the cancellation
    job = stack.client.get(f"/api/v1/jobs/{job_id}", headers=h).json()
    assert job["status"] == "cancelled"
    lecture = stack.client.get(f"/api/v1/lectures/{lecture_id}", headers=h).json()
    assert lecture["status"] == "cancelled" and lecture["error_code"] == "CANCELLED"
    again = stack.client.delete(f"/api/v1/jobs/{job_id}", headers=h)
    assert _error(again) == (409, "JOB_FINISHED")
    assert stack.workers_alive()


def test_delete_lecture_and_subject_cascade(stack: Stack, tmp_path: Path) -> None:
    h = stack.user()
    subject, accepted = _uploaded(stack, tmp_path, h)
    lecture_id = accepted["lecture"]["id"]
    with stack.session_factory() as db:
        stored = stack.settings.data_dir / db.get(Lecture, lecture_id).storage_path  # type: ignore[union-attr]
    assert stored.is_file()
    assert stack.client.delete(f"/api/v1/lectures/{lecture_id}", headers=h).status_code == 204
    assert not stored.exists() and not stored.parent.exists()
    assert _error(stack.client.get(f"/api/v1/lectures/{lecture_id}", headers=h)) == (404, "LECTURE_NOT_FOUND")
    with stack.session_factory() as db:
        assert db.scalar(select(func.count(Page.id)).where(Page.lecture_id == lecture_id)) == 0
        assert db.scalar(select(func.count(Chunk.id)).where(Chunk.lecture_id == lecture_id)) == 0

    r = stack.upload(h, subject["id"], "again.pdf", make_pdf(tmp_path / "e.pdf", SLIDES).read_bytes())
    second = r.json()["lecture"]["id"]
    assert stack.wait_job(h, r.json()["job"]["id"])["status"] == "done"
    assert stack.client.delete(f"/api/v1/subjects/{subject['id']}", headers=h).status_code == 204
    with stack.session_factory() as db:
        assert db.get(Lecture, second) is None
        assert db.scalar(select(func.count(Page.id)).where(Page.lecture_id == second)) == 0


# --- bad input ----------------------------------------------------------------------------------
def _snapshot(stack: Stack) -> tuple[int, int, list[str]]:
    with stack.session_factory() as db:
        lectures = db.scalar(select(func.count(Lecture.id))) or 0
        pages = db.scalar(select(func.count(Page.id))) or 0
    files = sorted(str(p) for p in (stack.settings.data_dir).rglob("*") if p.is_file())
    return lectures, pages, files


@pytest.mark.parametrize(
    ("name", "payload", "status", "code"),
    [
        ("empty.pdf", b"", 422, "EMPTY_FILE"),
        (
            "notes.pdf",
            b"These are my notes, typed as plain text, not a PDF.\n" * 20,
            415,
            "UNSUPPORTED_FORMAT",
        ),
        ("truncated.pdf", "TRUNCATED", 422, "PDF_CORRUPT"),
        ("encrypted.pdf", "ENCRYPTED", 422, "PDF_ENCRYPTED"),
        ("archive.zip", b"PK\x03\x04" + b"\x00" * 200, 415, "UNSUPPORTED_FORMAT"),
        ("program.exe", b"MZ\x90\x00" + b"\x00" * 500, 415, "UNSUPPORTED_FORMAT"),
        ("huge.pdf", "HUGE", 413, "FILE_TOO_LARGE"),
        ("bomb.png", "BOMB", 422, "IMAGE_TOO_LARGE"),
        ("nothing.pdf", "NO_PAGES", 422, "NO_PAGES"),
    ],
)
def test_bad_uploads_answer_a_specific_code_and_change_nothing(
    stack: Stack, tmp_path: Path, name: str, payload: bytes | str, status: int, code: str
) -> None:
    h = stack.user()
    subject = stack.subject(h)
    if payload == "TRUNCATED":
        full = make_pdf(tmp_path / "t.pdf", SLIDES).read_bytes()
        payload = full[: len(full) // 2]
    elif payload == "ENCRYPTED":
        from fpdf import FPDF

        pdf = FPDF()
        pdf.set_encryption(owner_password="owner", user_password="student")
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        pdf.cell(0, 10, "secret")
        payload = bytes(pdf.output())
    elif payload == "HUGE":
        payload = b"%PDF-1.4\n" + b"0" * (stack.settings.max_upload_bytes + 10)
    elif payload == "NO_PAGES":
        import pypdfium2 as pdfium

        empty = pdfium.PdfDocument.new()
        empty.save(tmp_path / "empty.pdf")
        payload = (tmp_path / "empty.pdf").read_bytes()
    elif payload == "BOMB":
        payload = make_png(12000, 12000, (255, 255, 255))
    before = _snapshot(stack)
    r = stack.upload(h, subject["id"], name, payload)  # type: ignore[arg-type]
    assert _error(r) == (status, code), r.text
    assert _snapshot(stack) == before


def test_malformed_json_unknown_job_and_unknown_route(stack: Stack) -> None:
    h = stack.user()
    r = stack.client.post(
        "/api/v1/subjects", content=b'{"name": "x",', headers={**h, "Content-Type": "application/json"}
    )
    assert _error(r) == (400, "MALFORMED_JSON")
    assert _error(stack.client.post("/api/v1/subjects", json={}, headers=h)) == (422, "VALIDATION_ERROR")
    assert _error(stack.client.get("/api/v1/jobs/no-such-job", headers=h)) == (404, "JOB_NOT_FOUND")
    assert _error(stack.client.get("/api/v1/nothing-here", headers=h)) == (404, "NOT_FOUND")
    assert stack.client.get("/api/v1/subjects", headers=h).json() == []


# --- operations ---------------------------------------------------------------------------------
def test_health_ready_metrics_and_request_ids(stack: Stack, tmp_path: Path) -> None:
    c = stack.client
    assert c.get("/health").json() == {"status": "ok"}
    ready = c.get("/ready")
    assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok", "redis": "ok"}
    _uploaded(stack, tmp_path, stack.user())
    text = c.get("/metrics").text
    assert "smartnotes_http_request_duration_seconds_bucket" in text
    assert 'smartnotes_jobs{queue="ai",status="done"}' in text
    assert "smartnotes_job_duration_seconds_sum" in text
    assert 'smartnotes_queue_depth{queue="ocr"}' in text
    echoed = c.get("/health", headers={"X-Request-ID": "trace-12345678"})
    assert echoed.headers["X-Request-ID"] == "trace-12345678"
    assert len(c.get("/health").headers["X-Request-ID"]) == 32
    assert c.get("/docs").status_code == 200
    assert "/api/v1/subjects/{subject_id}/lectures" in c.get("/openapi.json").json()["paths"]


def test_websocket_rejects_bad_tokens(stack: Stack) -> None:
    with stack.client.websocket_connect("/api/v1/ws") as ws:
        ws.send_json({"type": "auth", "token": "garbage"})
        msg = ws.receive_json()
        assert msg["type"] == "error" and msg["error"]["code"] == "TOKEN_INVALID"
    h = stack.user()
    with stack.client.websocket_connect("/api/v1/ws") as ws:
        ws.send_json({"type": "auth", "token": h["Authorization"].split()[1]})
        assert ws.receive_json()["type"] == "ready"
        ws.send_json({"type": "ping"})
        assert ws.receive_json() == {"type": "pong"}
    # the connection has a request id too (nginx's X-Request-ID, else a new one), echoed in `ready`
    token = h["Authorization"].split()[1]
    with stack.client.websocket_connect(
        f"/api/v1/ws?token={token}", headers={"X-Request-ID": "trace-ws-12345678"}
    ) as ws:
        assert ws.receive_json()["request_id"] == "trace-ws-12345678"
    bad = {"X-Request-ID": "bad id!"}
    with stack.client.websocket_connect(f"/api/v1/ws?token={token}", headers=bad) as ws:
        assert re.fullmatch(r"[0-9a-f]{32}", ws.receive_json()["request_id"])
