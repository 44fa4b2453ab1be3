"""Webhook targets: only public addresses, checked at registration and again at delivery, where the gateway
connects to the address it checked (no second DNS lookup) and never follows a redirect."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from gateway.webhooks import UnsafeWebhookUrl, check_webhook_url, deliver, resolve_target, webhook_secret
from shared.db import make_engine, make_session_factory, run_migrations
from shared.errors import AppError
from shared.models import Job, User
from shared.settings import Settings

REFUSED = [
    "http://127.0.0.1/hook",
    "http://localhost/hook",
    "http://[::1]/hook",
    "http://0.0.0.0/hook",
    "http://2130706433/hook",  # 127.0.0.1 as one decimal number
    "http://0x7f000001/hook",  # ... as hex
    "http://0177.0.0.1/hook",  # ... with an octal first byte
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/",
    "http://172.16.5.4/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",  # carrier-grade NAT
    "http://224.0.0.1/",  # multicast
    "http://[fd00::1]/",
    "http://[fe80::1]/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped IPv6
    "http://[::ffff:10.0.0.1]/",
    "http://[64:ff9b::7f00:1]/",  # NAT64 of 127.0.0.1
    "ftp://93.184.216.34/",
    "file:///etc/passwd",
    "http://user:password@93.184.216.34/",
]


def settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test",
        "secret_key": "token-key-token-key-token-key-token-key",
        "data_dir": tmp_path / "data",
        "database_url": f"sqlite:///{tmp_path / 'db.sqlite'}",
        "_env_file": None,
    }
    values.update(overrides)
    return Settings(**values)


def fake_dns(table: dict[str, list[str]]) -> Any:
    """A resolver answering from ``table`` (and counting its lookups)."""
    calls: list[str] = []

    def resolve(host: str, port: int, *args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        calls.append(host)
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in table[host]
        ]

    resolve.calls = calls  # type: ignore[attr-defined]
    return resolve


@pytest.mark.parametrize("url", REFUSED)
def test_private_loopback_and_odd_targets_are_refused(url: str) -> None:
    with pytest.raises(UnsafeWebhookUrl):
        resolve_target(url, allow_private=False)


def test_public_addresses_are_accepted() -> None:
    assert str(resolve_target("https://93.184.216.34/h", allow_private=False).address) == "93.184.216.34"
    target = resolve_target("http://[2606:4700::1111]:8080/h", allow_private=False)
    assert target.host_header == "[2606:4700::1111]:8080"


def test_a_name_with_any_private_address_is_refused() -> None:
    dns = fake_dns({"hooks.example.com": ["93.184.216.34", "10.1.2.3"], "ok.example.com": ["93.184.216.34"]})
    with pytest.raises(UnsafeWebhookUrl):
        resolve_target("https://hooks.example.com/x", allow_private=False, resolver=dns)
    target = resolve_target("https://ok.example.com/x", allow_private=False, resolver=dns)
    assert str(target.connect_url) == "https://93.184.216.34/x"
    assert target.host_header == "ok.example.com" and target.extensions == {"sni_hostname": "ok.example.com"}


def test_registration_answers_422_and_the_setting_allows_private_targets(tmp_path: Path) -> None:
    with pytest.raises(AppError) as info:
        check_webhook_url("http://127.0.0.1:9/hook", settings(tmp_path))
    assert (info.value.status_code, info.value.code) == (422, "INVALID_WEBHOOK_URL")
    with pytest.raises(AppError) as info:
        check_webhook_url("http://nowhere.invalid/", settings(tmp_path), resolver=fake_dns({}))
    assert info.value.code == "INVALID_WEBHOOK_URL"
    on_premise = settings(tmp_path, webhook_allow_private=True)
    assert check_webhook_url("http://127.0.0.1:9/hook", on_premise) == "http://127.0.0.1:9/hook"
    assert check_webhook_url(None, settings(tmp_path)) is None


def test_the_webhook_secret_is_never_the_token_key(tmp_path: Path) -> None:
    s = settings(tmp_path)
    secret = webhook_secret(s)
    assert secret != s.secret_key and len(secret) >= 32
    assert webhook_secret(s) == secret  # kept in the data dir
    assert ((tmp_path / "data" / "webhook_secret").stat().st_mode & 0o777) == 0o600
    assert (
        webhook_secret(settings(tmp_path, webhook_secret="configured-" + "x" * 30))
        == "configured-" + "x" * 30
    )


# --- delivery ----------------------------------------------------------------------------------------
class Receiver:
    """A local HTTP server that records what reaches it; answers ``status`` (302 to /elsewhere if asked)."""

    def __init__(self, status: int = 200) -> None:
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append((self.path, dict(self.headers), body))
                self.send_response(status)
                if status == 302:
                    self.send_header("Location", "/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


def job_with_webhook(s: Settings, url: str) -> tuple[Any, str]:
    """A stored job whose webhook_url was saved as is (registered before a DNS change, or by an older
    version): delivery must check it again."""
    run_migrations(s)
    engine = make_engine(s)
    factory = make_session_factory(engine)
    with factory() as db:
        user = User(email="w@example.com", password_hash="x", display_name="")
        db.add(user)
        db.flush()
        job = Job(user_id=user.id, kind="ingest", queue="ocr", status="done", webhook_url=url)
        db.add(job)
        db.commit()
        job_id = job.id
    return SimpleNamespace(settings=s, session_factory=factory, engine=engine), job_id


def run_delivery(container: Any, job_id: str, **kwargs: Any) -> bool:
    async def go() -> bool:
        async with httpx.AsyncClient(timeout=5) as client:
            return await deliver(container, client, job_id, **kwargs)

    return asyncio.run(go())


def test_delivery_to_a_private_address_is_refused_even_if_stored(tmp_path: Path, receiver: Receiver) -> None:
    container, job_id = job_with_webhook(settings(tmp_path), f"http://127.0.0.1:{receiver.port}/hook")
    assert run_delivery(container, job_id) is False
    assert receiver.requests == []
    container.engine.dispose()


def test_delivery_connects_to_the_checked_address_with_the_names_host(
    tmp_path: Path, receiver: Receiver
) -> None:
    s = settings(tmp_path, webhook_allow_private=True, webhook_secret="w" * 40)
    dns = fake_dns({"hooks.example.test": ["127.0.0.1"]})
    container, job_id = job_with_webhook(s, f"http://hooks.example.test:{receiver.port}/hook")
    assert run_delivery(container, job_id, resolver=dns) is True
    [(path, headers, body)] = receiver.requests
    assert path == "/hook" and headers["Host"] == f"hooks.example.test:{receiver.port}"
    assert dns.calls == ["hooks.example.test"]  # resolved once, by the check; the connection used its answer
    mac = hmac.new(b"w" * 40, headers["X-SmartNotes-Timestamp"].encode() + b"." + body, hashlib.sha256)
    assert headers["X-SmartNotes-Signature"] == "sha256=" + mac.hexdigest()
    container.engine.dispose()


def test_delivery_does_not_follow_redirects(tmp_path: Path) -> None:
    redirecting = Receiver(status=302)
    try:
        s = settings(tmp_path, webhook_allow_private=True, webhook_max_attempts=1)
        container, job_id = job_with_webhook(s, f"http://127.0.0.1:{redirecting.port}/hook")
        run_delivery(container, job_id)
        assert [path for path, _, _ in redirecting.requests] == ["/hook"]
        container.engine.dispose()
    finally:
        redirecting.close()


def self_signed(tmp_path: Path, name: str) -> tuple[Path, Path]:
    """A certificate for ``name`` only (not for 127.0.0.1), and its key."""
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


def test_https_delivery_dials_the_checked_address_and_verifies_the_name(tmp_path: Path) -> None:
    """TLS to the pinned address, with the name as SNI and as the name the certificate must carry."""
    import ssl

    cert, key = self_signed(tmp_path, "hooks.example.test")
    receiver = Receiver()
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(cert, key)
    seen_sni: list[str | None] = []
    server_ctx.sni_callback = lambda sock, name, ctx: seen_sni.append(name)  # type: ignore[assignment]
    receiver.server.socket = server_ctx.wrap_socket(receiver.server.socket, server_side=True)
    try:
        s = settings(tmp_path, webhook_allow_private=True, webhook_max_attempts=1)
        dns = fake_dns({"hooks.example.test": ["127.0.0.1"]})
        container, job_id = job_with_webhook(s, f"https://hooks.example.test:{receiver.port}/hook")

        async def go() -> bool:
            client_ctx = ssl.create_default_context(cafile=str(cert))
            async with httpx.AsyncClient(timeout=5, verify=client_ctx) as client:
                return await deliver(container, client, job_id, resolver=dns)

        assert asyncio.run(go()) is True
        [(path, headers, _)] = receiver.requests
        assert path == "/hook" and headers["Host"] == f"hooks.example.test:{receiver.port}"
        assert seen_sni == ["hooks.example.test"]
        container.engine.dispose()
    finally:
        receiver.close()
