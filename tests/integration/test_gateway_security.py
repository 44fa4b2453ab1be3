"""Gateway defences against a hostile client, on a real uvicorn server with real Redis and SQLite:
request bodies bounded before they are read, webhook targets, number bounds, forwarded addresses and
sign-in limits, and the WebSocket's origin and session checks."""

from __future__ import annotations

import json
import select
import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from tests.support.factories import make_pdf
from tests.support.gateway import Gateway, running_gateway
from tests.support.services import PostgresServer

MB = 1024 * 1024


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    with running_gateway(
        tmp_path_factory.mktemp("gw"),
        max_upload_mb=1,
        rate_limit_login="1000/minute",
        rate_limit_upload="1000/minute",
        ws_session_check_seconds=0.5,
    ) as gw:
        yield gw


@pytest.fixture()
def client(gateway: Gateway) -> Iterator[httpx.Client]:
    with gateway.client() as c:
        yield c


def error_code(response: httpx.Response) -> tuple[int, str]:
    body = response.json()
    assert set(body) == {"error", "request_id"}, body
    assert body["error"]["message"]
    return response.status_code, body["error"]["code"]


def raw_request(port: int, head: str, timeout: float = 5.0) -> bytes:
    """Send only the request head (a body is announced but never sent); the response, or b"" on timeout.

    The response's head and body may arrive in separate packets: read on until the body its
    Content-Length announces is in, or the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(head.encode())
        data = b""
        try:
            while not _complete(data):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        except TimeoutError:
            return data
        return data


def _complete(data: bytes) -> bool:
    if b"\r\n\r\n" not in data:
        return False
    head, _, body = data.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value.strip())
    return True


# --- request bodies -------------------------------------------------------------------------------
def test_huge_upload_without_a_token_is_refused_before_its_body_is_read(gateway: Gateway) -> None:
    head = (
        "POST /api/v1/subjects/1/lectures HTTP/1.1\r\nHost: x\r\n"
        "Content-Type: multipart/form-data; boundary=b\r\n"
        f"Content-Length: {120 * MB}\r\n\r\n"
    )
    response = raw_request(gateway.port, head)
    assert response.startswith(b"HTTP/1.1 413"), response[:200]
    assert b'"FILE_TOO_LARGE"' in response


def test_upload_without_a_token_is_refused_before_its_body_is_read(gateway: Gateway) -> None:
    head = (
        "POST /api/v1/subjects/1/lectures HTTP/1.1\r\nHost: x\r\n"
        "Content-Type: multipart/form-data; boundary=b\r\n"
        f"Content-Length: {100 * 1024}\r\n\r\n"
    )
    response = raw_request(gateway.port, head)
    assert response.startswith(b"HTTP/1.1 401"), response[:200]


def test_declared_oversize_upload_gets_413_before_its_body_is_read(
    gateway: Gateway, client: httpx.Client
) -> None:
    _, headers = gateway.user(client)
    head = (
        "POST /api/v1/subjects/1/lectures HTTP/1.1\r\nHost: x\r\n"
        f"Authorization: {headers['Authorization']}\r\n"
        "Content-Type: multipart/form-data; boundary=b\r\n"
        f"Content-Length: {120 * MB}\r\n\r\n"
    )
    response = raw_request(gateway.port, head)
    assert response.startswith(b"HTTP/1.1 413"), response[:200]
    assert b'"FILE_TOO_LARGE"' in response or b"content-length" in response.lower()


def test_chunked_upload_is_cut_off_at_the_limit(gateway: Gateway, client: httpx.Client) -> None:
    """No Content-Length: the running count stops the body at the limit (1 MB + 1 MB framing here)."""
    _, headers = gateway.user(client)
    subject = client.post("/api/v1/subjects", json={"name": "S"}, headers=headers).json()
    head = (
        f"POST /api/v1/subjects/{subject['id']}/lectures HTTP/1.1\r\nHost: x\r\n"
        f"Authorization: {headers['Authorization']}\r\n"
        "Content-Type: multipart/form-data; boundary=bnd\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    preamble = b'--bnd\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n'
    block = b"x" * 65536
    sent = 0
    response = b""
    with socket.create_connection(("127.0.0.1", gateway.port), timeout=10) as sock:
        sock.sendall(head.encode() + f"{len(preamble):x}\r\n".encode() + preamble + b"\r\n")
        while sent < 120 * MB:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break
            try:
                sock.sendall(f"{len(block):x}\r\n".encode() + block + b"\r\n")
            except OSError:
                break
            sent += len(block)
        sock.settimeout(10)
        while b"\r\n\r\n" not in response:
            chunk = sock.recv(65536)
            if not chunk:
                break
            response += chunk
    status_line = response.split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1.1 413"), response[:300]
    assert sent < 20 * MB, f"{sent / MB:.0f} MB were accepted before the 413"
    body = response.split(b"\r\n\r\n", 1)[1]
    if body.strip():  # the head and the start of the JSON body usually come in one read
        assert b"FILE_TOO_LARGE" in body
    lectures = client.get("/api/v1/lectures", headers=headers).json()
    assert lectures == []


def test_json_bodies_are_bounded_and_long_id_lists_refused(gateway: Gateway, client: httpx.Client) -> None:
    _, headers = gateway.user(client)
    huge = json.dumps({"subject_id": 1, "query": "q", "lecture_ids": list(range(1, 2_000_000))})
    started = time.monotonic()
    r = client.post("/api/v1/search", content=huge, headers={**headers, "Content-Type": "application/json"})
    assert error_code(r) == (413, "REQUEST_TOO_LARGE")
    assert time.monotonic() - started < 5
    # Small enough a body, but more ids than a search may name: a 422 that names the field.
    ids = list(range(1, 1001))
    r = client.post(
        "/api/v1/search", json={"subject_id": 1, "query": "q", "lecture_ids": ids}, headers=headers
    )
    assert error_code(r) == (422, "VALIDATION_ERROR")
    assert any("lecture_ids" in d["field"] for d in r.json()["error"]["details"])


# --- numbers ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", f"/api/v1/subjects/{2**63}", None),
        ("GET", f"/api/v1/lectures/{2**64}", None),
        ("GET", f"/api/v1/lectures?subject_id={2**63}", None),
        ("GET", f"/api/v1/lectures/1/pages/{2**63}/thumbnail", None),
        ("DELETE", f"/api/v1/flashcards/{2**63}", None),
        ("POST", "/api/v1/search", {"subject_id": 2**63, "query": "q"}),
        ("POST", "/api/v1/search", {"subject_id": 1, "query": "q", "lecture_ids": [2**70]}),
        ("POST", "/api/v1/documents/1/quiz/attempts", {"answers": {"1": "A"}, "duration_ms": 10**18}),
        ("POST", "/api/v1/documents/1/quiz/attempts", {"answers": {str(2**64): "A"}}),
        ("POST", "/api/v1/flashcards", {"subject_id": 2**63, "front": "f", "back": "b"}),
        ("POST", "/api/v1/shares", {"document_id": 2**63}),
        ("PATCH", "/api/v1/lectures/1", {"subject_id": 2**63}),
    ],
)
def test_out_of_range_numbers_are_422_not_500(
    gateway: Gateway, client: httpx.Client, method: str, path: str, body: Any
) -> None:
    _, headers = gateway.user(client)
    r = client.request(method, path, json=body, headers=headers)
    assert error_code(r) == (422, "VALIDATION_ERROR"), r.text


# --- webhooks ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://localhost:8080/hook",
        "http://[::1]/hook",
        "http://0.0.0.0/hook",
        "http://2130706433/hook",
        "http://0x7f000001/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://192.168.1.1/",
        "http://[fd00::1]/",
        "http://[::ffff:127.0.0.1]/",
        "ftp://93.184.216.34/",
        "http://user:pw@93.184.216.34/",
        "http://no-such-host.invalid/",
    ],
)
def test_webhook_to_a_private_or_odd_target_is_refused_at_upload(
    gateway: Gateway, client: httpx.Client, url: str
) -> None:
    _, headers = gateway.user(client)
    subject = client.post("/api/v1/subjects", json={"name": "S"}, headers=headers).json()
    r = client.post(
        f"/api/v1/subjects/{subject['id']}/lectures",
        headers=headers,
        files={"file": ("a.pdf", b"%PDF-1.4\n")},
        data={"webhook_url": url},
    )
    assert error_code(r) == (422, "INVALID_WEBHOOK_URL"), r.text
    assert client.get("/api/v1/lectures", headers=headers).json() == []  # nothing stored


def test_webhook_to_a_public_address_is_accepted(
    gateway: Gateway, client: httpx.Client, tmp_path: Path
) -> None:
    _, headers = gateway.user(client)
    subject = client.post("/api/v1/subjects", json={"name": "S"}, headers=headers).json()
    pdf = make_pdf(tmp_path / "a.pdf", ["Title\nSome text"]).read_bytes()
    r = client.post(
        f"/api/v1/subjects/{subject['id']}/lectures",
        headers=headers,
        files={"file": ("a.pdf", pdf)},
        data={"webhook_url": "https://93.184.216.34/hooks/smartnotes"},
    )
    assert r.status_code == 202, r.text


# --- WebSocket ---------------------------------------------------------------------------------------
def ws_url(gateway: Gateway, token: str) -> str:
    return f"ws://127.0.0.1:{gateway.port}/api/v1/ws?token={token}"


def test_websocket_from_another_sites_page_is_refused(gateway: Gateway, client: httpx.Client) -> None:
    _, headers = gateway.user(client)
    token = headers["Authorization"].split()[1]
    with pytest.raises(InvalidStatus) as info:
        connect(ws_url(gateway, token), origin="https://evil.example")  # type: ignore[arg-type]
    assert info.value.response.status_code == 403
    for origin in (None, "http://127.0.0.1:8501", "http://localhost:8501"):
        with connect(ws_url(gateway, token), origin=origin) as ws:  # type: ignore[arg-type]
            assert json.loads(ws.recv(timeout=10))["type"] == "ready"


def _close_code(ws: Any, timeout: float) -> tuple[list[dict[str, Any]], int | None]:
    events: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            events.append(json.loads(ws.recv(timeout=deadline - time.monotonic())))
    except ConnectionClosed as closed:
        return events, closed.rcvd.code if closed.rcvd else None
    except TimeoutError:
        pass
    return events, None


def test_websocket_after_logout_is_closed_on_the_next_message(gateway: Gateway, client: httpx.Client) -> None:
    _, headers = gateway.user(client)
    token = headers["Authorization"].split()[1]
    with connect(ws_url(gateway, token)) as ws:
        assert json.loads(ws.recv(timeout=10))["type"] == "ready"
        ws.send(json.dumps({"type": "ping"}))
        assert json.loads(ws.recv(timeout=10)) == {"type": "pong"}
        assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
        ws.send(json.dumps({"type": "chat", "subject_id": 1, "question": "still there?"}))
        events, code = _close_code(ws, 10)
    assert code == 4401
    assert [e["type"] for e in events] == ["error"]
    assert events[0]["error"]["code"] == "TOKEN_REVOKED"


def test_idle_websocket_is_closed_once_its_session_ends(gateway: Gateway, client: httpx.Client) -> None:
    _, headers = gateway.user(client)
    token = headers["Authorization"].split()[1]
    with connect(ws_url(gateway, token)) as ws:
        assert json.loads(ws.recv(timeout=10))["type"] == "ready"
        assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
        # the client sends nothing: the periodic check (every 0.5 s here) closes the connection
        events, code = _close_code(ws, 10)
    assert code == 4401 and events[-1]["error"]["code"] == "TOKEN_REVOKED"


# --- tokens -------------------------------------------------------------------------------------------
def test_a_token_without_exp_is_refused(gateway: Gateway, client: httpx.Client) -> None:
    import jwt

    _, headers = gateway.user(client)
    claims = jwt.decode(headers["Authorization"].split()[1], options={"verify_signature": False})
    del claims["exp"]
    forever = jwt.encode(claims, gateway.settings.secret_key, algorithm="HS256")
    r = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {forever}"})
    assert error_code(r) == (401, "TOKEN_INVALID")
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 200


# --- forwarded addresses and sign-in limits ----------------------------------------------------------
def failed_login(client: httpx.Client, email: str, forwarded_for: str | None = None) -> str:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    r = client.post(
        "/api/v1/auth/login", json={"email": email, "password": "wrong password"}, headers=headers
    )
    return str(r.json()["error"]["code"])


def test_a_forwarded_header_from_an_untrusted_peer_picks_no_fresh_address(tmp_path: Path) -> None:
    with running_gateway(tmp_path, rate_limit_login="3/minute") as gw, gw.client() as c:
        codes = [failed_login(c, f"n{i}@example.com", f"203.0.113.{i}") for i in range(5)]
    assert codes == ["INVALID_CREDENTIALS"] * 3 + ["RATE_LIMITED"] * 2


def test_a_trusted_proxys_forwarded_address_counts(tmp_path: Path) -> None:
    """Behind a trusted proxy (here: 127.0.0.1) each browser has its own limit; the proxy's own entry is
    the one believed, not what the browser put in front of it."""
    with (
        running_gateway(tmp_path, rate_limit_login="3/minute", trusted_proxies=["127.0.0.1"]) as gw,
        gw.client() as c,
    ):
        first = [failed_login(c, f"a{i}@example.com", "93.184.216.34") for i in range(4)]
        other = failed_login(c, "b@example.com", "93.184.216.35")
        spoofed = failed_login(c, "c@example.com", "198.51.100.9, 93.184.216.34")
    assert first == ["INVALID_CREDENTIALS"] * 3 + ["RATE_LIMITED"]
    assert other == "INVALID_CREDENTIALS"
    assert spoofed == "RATE_LIMITED"  # the rightmost entry, written by the proxy, is the client


def test_nobody_can_lock_a_student_out_from_another_address(tmp_path: Path) -> None:
    with (
        running_gateway(
            tmp_path,
            rate_limit_login="100/minute",
            rate_limit_login_failures="3/15minutes",
            trusted_proxies=["127.0.0.1"],
        ) as gw,
        gw.client() as c,
    ):
        email, _ = gw.user(c)
        attacker = [failed_login(c, email, "203.0.113.66") for _ in range(5)]
        r = c.post(
            "/api/v1/auth/login",
            json={"email": email, "password": "correct horse battery"},
            headers={"X-Forwarded-For": "93.184.216.34"},
        )
    assert attacker == ["INVALID_CREDENTIALS"] * 3 + ["RATE_LIMITED"] * 2
    assert r.status_code == 200, r.text


def test_register_is_limited_per_address_whatever_the_header(tmp_path: Path) -> None:
    with running_gateway(tmp_path, rate_limit_login="2/minute") as gw, gw.client() as c:
        codes = [
            c.post(
                "/api/v1/auth/register",
                json={"email": f"r{uuid.uuid4().hex[:8]}@example.com", "password": "long enough pw"},
                headers={"X-Forwarded-For": f"203.0.113.{i}"},
            ).status_code
            for i in range(4)
        ]
    assert codes == [201, 201, 429, 429]


# --- what the database refuses ------------------------------------------------------------------------
def test_a_nul_character_is_a_422_on_postgresql(postgres: PostgresServer, tmp_path: Path) -> None:
    """PostgreSQL text cannot hold NUL: the client's input, so 422 INVALID_VALUE, not a 500."""
    url = postgres.create_database(f"nul_{uuid.uuid4().hex[:8]}")
    with running_gateway(tmp_path, database_url=url) as gw, gw.client() as c:
        _, headers = gw.user(c)
        r = c.post("/api/v1/subjects", json={"name": "a\x00b"}, headers=headers)
        assert error_code(r) == (422, "INVALID_VALUE")
        # the failed transaction left nothing behind, and the next request works
        ok = c.post("/api/v1/subjects", json={"name": "ab"}, headers=headers)
        assert ok.status_code == 201, ok.text
        assert [s["name"] for s in c.get("/api/v1/subjects", headers=headers).json()] == ["ab"]
