"""Smoke test of the running compose stack, through nginx only (standard library only: it runs on the host).

    python3 smoke.py smoke   --base http://127.0.0.1:18702 --deck DECK.pdf
    python3 smoke.py restart --base http://127.0.0.1:18702 --deck DECK.pdf --compose "docker compose -f ..."

`smoke`: register, sign in, make a subject, upload the deck, wait for its job to be done, ask a question,
generate a quiz, download it. `restart`: upload the deck again and, while its job runs, restart the gateway
and the worker that holds the job (`docker compose restart`: a warm shutdown); the job must still end done,
exactly one job for the lecture, with the same pages as a run without restarts. Each prints one JSON line of
timings and facts, and exits non-zero on any failure.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import secrets
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

RETRYABLE = {502, 503}


class Api:
    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.token = ""

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        content_type: str = "application/json",
        expect: tuple[int, ...] = (200,),
        retry_for: float = 60.0,
        timeout: float = 300.0,
    ) -> tuple[int, bytes, dict[str, str]]:
        """One call; a gateway that is restarting (502/503, refused connection) is retried for a while."""
        url = self.base + path
        deadline = time.monotonic() + retry_for
        while True:
            req = urllib.request.Request(url, data=body, method=method)  # noqa: S310 (http to our nginx)
            if body is not None:
                req.add_header("Content-Type", content_type)
            if self.token:
                req.add_header("Authorization", f"Bearer {self.token}")
            try:
                with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310
                    status, data, headers = resp.status, resp.read(), dict(resp.headers)
            except urllib.error.HTTPError as err:
                status, data, headers = err.code, err.read(), dict(err.headers)
            except (urllib.error.URLError, ConnectionError, TimeoutError) as err:
                if time.monotonic() < deadline:
                    time.sleep(1)
                    continue
                raise RuntimeError(f"{method} {path}: {err}") from err
            if status in RETRYABLE and time.monotonic() < deadline:
                time.sleep(1)
                continue
            if status not in expect:
                raise RuntimeError(f"{method} {path}: HTTP {status}: {data[:300]!r}")
            return status, data, headers

    def json(self, method: str, path: str, payload: Any = None, **kw: Any) -> Any:
        body = None if payload is None else json.dumps(payload).encode()
        return json.loads(self.request(method, path, body, **kw)[1] or b"null")

    def upload(self, path: str, file: Path) -> Any:
        boundary = uuid.uuid4().hex
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file.name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        body = head + file.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
        _, data, _ = self.request(
            "POST", path, body, content_type=f"multipart/form-data; boundary={boundary}", expect=(202,)
        )
        return json.loads(data)


def ws_upgrade(base: str, path: str) -> int:
    """The HTTP status of a WebSocket handshake through nginx (101: upgraded, as a browser's would be)."""
    host, _, port = base.split("//", 1)[1].rstrip("/").partition(":")
    key = base64.b64encode(os.urandom(16)).decode()
    with socket.create_connection((host, int(port or 80)), timeout=10) as sock:
        sock.sendall(
            f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        status_line = sock.recv(4096).split(b"\r\n", 1)[0].decode()
    return int(status_line.split()[1])


def sign_up(api: Api) -> None:
    email = f"proof-{secrets.token_hex(4)}@example.com"
    password = secrets.token_urlsafe(16)
    api.json("POST", "/api/v1/auth/register", {"email": email, "password": password}, expect=(201,))
    api.token = api.json("POST", "/api/v1/auth/login", {"email": email, "password": password})["access_token"]


def wait_job(api: Api, job_id: str, timeout: float, on_running: Any = None) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    seen_running = False
    while time.monotonic() < deadline:
        job = api.json("GET", f"/api/v1/jobs/{job_id}", retry_for=180)
        if job["status"] == "done":
            return job
        if job["status"] in ("failed", "cancelled"):
            error = f"{job.get('error_code')} {job.get('error_message')}"
            raise RuntimeError(f"job {job_id} {job['status']}: {error}")
        if job["status"] == "running" and not seen_running and on_running is not None:
            seen_running = True
            on_running(job)
        time.sleep(0.5)
    raise RuntimeError(f"job {job_id} not done after {timeout:.0f} s")


def new_subject(api: Api, name: str) -> int:
    created = api.json("POST", "/api/v1/subjects", {"name": f"{name} {secrets.token_hex(3)}"}, expect=(201,))
    return int(created["id"])


def smoke(args: argparse.Namespace) -> dict[str, Any]:
    api = Api(args.base)
    out: dict[str, Any] = {}
    t = time.monotonic()
    health = api.json("GET", "/health")
    assert health.get("status") == "ok", health
    _, page, _ = api.request("GET", "/")
    assert b"<html" in page.lower() or b"<!doctype" in page.lower(), page[:200]
    sign_up(api)
    subject = new_subject(api, "Local proof")
    out["sign_up_s"] = round(time.monotonic() - t, 2)
    # Both WebSockets through nginx: Streamlit's session stream and the gateway's job events.
    out["ws_streamlit"] = ws_upgrade(args.base, "/_stcore/stream")
    out["ws_gateway"] = ws_upgrade(args.base, f"/api/v1/ws?token={api.token}")
    assert out["ws_streamlit"] == 101 and out["ws_gateway"] == 101, out

    t = time.monotonic()
    accepted = api.upload(f"/api/v1/subjects/{subject}/lectures", args.deck)
    out["upload_s"] = round(time.monotonic() - t, 2)
    job = wait_job(api, accepted["job"]["id"], args.timeout)
    out["ingest_s"] = round(time.monotonic() - t, 2)
    lecture_id = accepted["lecture"]["id"]
    pages = api.json("GET", f"/api/v1/lectures/{lecture_id}/pages")
    assert pages, "the lecture has no pages"
    out["pages"] = len(pages)
    out["ingest_result"] = job.get("result")

    t = time.monotonic()
    answer = api.json(
        "POST", "/api/v1/chat", {"subject_id": subject, "question": "What is cross-validation used for?"}
    )
    out["chat_s"] = round(time.monotonic() - t, 2)
    text = answer.get("answer") or answer.get("content") or ""
    assert text.strip(), f"empty answer: {answer}"
    out["answer_chars"] = len(text)
    out["citations"] = len(answer.get("citations") or [])
    assert out["citations"] > 0, f"the answer cites no slide: {answer}"

    t = time.monotonic()
    gen = api.json(
        "POST", f"/api/v1/subjects/{subject}/generate", {"kind": "quiz", "questions": 5}, expect=(202,)
    )
    done = wait_job(api, gen["job"]["id"], args.timeout)
    out["quiz_s"] = round(time.monotonic() - t, 2)
    document_id = done["result"]["document_id"]
    quiz = api.json("GET", f"/api/v1/documents/{document_id}/quiz")
    out["quiz_questions"] = len(quiz.get("questions") or [])
    assert out["quiz_questions"] > 0, quiz
    t = time.monotonic()
    _, data, headers = api.request("GET", f"/api/v1/documents/{document_id}/download")
    out["download_s"] = round(time.monotonic() - t, 3)
    out["download_bytes"] = len(data)
    out["download_type"] = headers.get("content-type", headers.get("Content-Type", ""))
    assert len(data) > 100, "the downloaded quiz is empty"
    return out


def restart(args: argparse.Namespace) -> dict[str, Any]:
    compose = shlex.split(args.compose)
    api = Api(args.base)
    sign_up(api)
    subject = new_subject(api, "Restart proof")
    out: dict[str, Any] = {}

    def restart_mid_job(job: dict[str, Any]) -> None:
        worker = "worker-ai" if job.get("queue") == "ai" else "worker-ocr"
        out["restarted_during_stage"] = job.get("stage")
        out["restarted"] = ["gateway", worker]
        t0 = time.monotonic()
        subprocess.run([*compose, "restart", "gateway", worker], check=True, capture_output=True)
        out["restart_s"] = round(time.monotonic() - t0, 1)

    t = time.monotonic()
    accepted = api.upload(f"/api/v1/subjects/{subject}/lectures", args.deck)
    job = wait_job(api, accepted["job"]["id"], args.timeout, on_running=restart_mid_job)
    out["job_s"] = round(time.monotonic() - t, 1)
    assert "restarted" in out, "the job ended before it was seen running"
    lecture_id = accepted["lecture"]["id"]
    jobs = [j for j in api.json("GET", "/api/v1/jobs") if j.get("lecture_id") == lecture_id]
    out["jobs_for_lecture"] = len(jobs)
    assert len(jobs) == 1 and jobs[0]["status"] == "done", jobs
    pages = api.json("GET", f"/api/v1/lectures/{lecture_id}/pages")
    out["pages"] = len(pages)
    numbers = [p.get("number") for p in pages]
    assert len(numbers) == len(set(numbers)), f"duplicate pages: {numbers}"
    if args.expect_pages:
        assert len(pages) == args.expect_pages, f"{len(pages)} pages, expected {args.expect_pages}"
    out["job_status"] = job["status"]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("mode", choices=["smoke", "restart"])
    parser.add_argument("--base", default="http://127.0.0.1:18702")
    parser.add_argument("--deck", type=Path, required=True)
    parser.add_argument("--timeout", type=float, default=1200)
    parser.add_argument("--compose", default="docker compose")
    parser.add_argument("--expect-pages", type=int, default=0)
    args = parser.parse_args()
    if not args.deck.is_file():
        print(f"no deck at {args.deck}", file=sys.stderr)
        return 2
    try:
        result = smoke(args) if args.mode == "smoke" else restart(args)
    except (AssertionError, RuntimeError) as err:
        print(json.dumps({"mode": args.mode, "ok": False, "error": str(err)[:1000]}))
        return 1
    print(json.dumps({"mode": args.mode, "ok": True, **result}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
