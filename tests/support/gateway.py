"""The real gateway app (create_app) on a real uvicorn server in a thread, on SQLite and a real redis-server:
for tests that need real sockets (request bodies that are never sent, forwarded addresses, WebSockets)."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from gateway.app import create_app
from shared.db import run_migrations
from shared.settings import Settings
from tests.support.services import RedisServer, free_port, wait_for

SECRET = "test-secret-key-that-is-long-enough-0123456789"


def gateway_settings(tmp_path: Path, redis_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test",
        "secret_key": SECRET,
        "webhook_secret": "test-webhook-secret-not-the-token-key-0123",
        "database_url": f"sqlite:///{tmp_path / 'smartnotes.db'}",
        "redis_url": redis_url,
        "data_dir": tmp_path / "data",
        "log_json": False,
        "_env_file": None,
    }
    values.update(overrides)
    return Settings(**values)


@dataclass
class Gateway:
    url: str
    settings: Settings
    port: int

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, **kwargs)

    def user(
        self, client: httpx.Client, password: str = "correct horse battery"
    ) -> tuple[str, dict[str, str]]:
        """Register and sign in a fresh user: (email, auth headers)."""
        email = f"u{uuid.uuid4().hex[:10]}@example.com"
        r = client.post("/api/v1/auth/register", json={"email": email, "password": password})
        assert r.status_code == 201, r.text
        r = client.post("/api/v1/auth/login", json={"email": email, "password": password})
        assert r.status_code == 200, r.text
        return email, {"Authorization": f"Bearer {r.json()['access_token']}"}


@contextmanager
def running_gateway(tmp_path: Path, **overrides: Any) -> Iterator[Gateway]:
    """uvicorn as `make run` starts it for this app: no proxy headers of its own."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level  # create_app configures logging process-wide
    redis_server = RedisServer(tmp_path / "redis")
    try:
        settings = gateway_settings(tmp_path, redis_server.url, **overrides)
        run_migrations(settings)
        port = free_port()
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(settings, start_background=False),
                host="127.0.0.1",
                port=port,
                proxy_headers=False,
                log_config=None,
                access_log=False,
            )
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        try:
            wait_for(lambda: server.started, 20, "uvicorn")
            yield Gateway(f"http://127.0.0.1:{port}", settings, port)
        finally:
            server.should_exit = True
            thread.join(20)
    finally:
        redis_server.stop()
        root.handlers[:] = handlers
        root.setLevel(level)


class InProcess(httpx.BaseTransport):
    """An httpx transport onto an app's TestClient: a client under test talks to the gateway in-process."""

    HOP = ("content-encoding", "content-length", "transfer-encoding")

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        answer = self.client.request(
            request.method, str(request.url), headers=request.headers, content=request.read()
        )
        headers = [(k, v) for k, v in answer.headers.items() if k.lower() not in self.HOP]
        return httpx.Response(answer.status_code, headers=headers, content=answer.content)
