"""The stack the integration tests run against: a real redis-server, a real PostgreSQL (and SQLite),
real Celery workers (one process per queue, as in production) and the gateway app."""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from gateway.app import create_app
from shared.db import make_engine, make_session_factory, run_migrations
from shared.settings import Settings
from smartnotes_tools.launcher import worker_command
from tests.support.services import PostgresServer, RedisServer, wait_for

ROOT = Path(__file__).resolve().parents[2]
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer()
    yield server
    server.stop()


def worker_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        SMARTNOTES_ENVIRONMENT="test",
        SMARTNOTES_DATABASE_URL=settings.database_url,
        SMARTNOTES_REDIS_URL=settings.redis_url,
        SMARTNOTES_DATA_DIR=str(settings.data_dir),
        SMARTNOTES_LOG_JSON="false",
        OMP_THREAD_LIMIT="1",
        PYTHONUNBUFFERED="1",
    )
    return env


def start_workers(settings: Settings, logdir: Path) -> list[subprocess.Popen[bytes]]:
    procs = []
    for queue in ("ocr", "ai", "generation"):
        log = (logdir / f"worker-{queue}.log").open("wb")
        procs.append(
            subprocess.Popen(
                worker_command(queue, node=f"{queue}-{uuid.uuid4().hex[:6]}@%h"),
                cwd=ROOT,
                env=worker_env(settings),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    return procs


@dataclass
class Stack:
    backend: str
    settings: Settings
    client: TestClient
    session_factory: sessionmaker[Session]
    workers: list[subprocess.Popen[bytes]]
    logdir: Path
    extras: dict[str, Any] = field(default_factory=dict)

    # --- helpers the tests share -------------------------------------------------------------
    def user(self, email: str | None = None, password: str = "correct horse battery") -> dict[str, str]:
        """Register and sign in a fresh user; returns auth headers."""
        email = email or f"u{uuid.uuid4().hex[:10]}@example.com"
        r = self.client.post("/api/v1/auth/register", json={"email": email, "password": password})
        assert r.status_code == 201, r.text
        r = self.client.post("/api/v1/auth/login", json={"email": email, "password": password})
        assert r.status_code == 200, r.text
        tokens = r.json()
        return {"Authorization": f"Bearer {tokens['access_token']}", "X-Refresh": tokens["refresh_token"]}

    def subject(self, headers: dict[str, str], name: str | None = None) -> dict[str, Any]:
        r = self.client.post(
            "/api/v1/subjects", json={"name": name or f"S-{uuid.uuid4().hex[:6]}"}, headers=headers
        )
        assert r.status_code == 201, r.text
        return dict(r.json())

    def upload(self, headers: dict[str, str], subject_id: int, name: str, data: bytes, **form: str) -> Any:
        return self.client.post(
            f"/api/v1/subjects/{subject_id}/lectures",
            headers=headers,
            files={"file": (name, data)},
            data=form or None,
        )

    def wait_job(self, headers: dict[str, str], job_id: str, timeout: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.client.get(f"/api/v1/jobs/{job_id}", headers=headers).json()
            if job["status"] in ("done", "failed", "cancelled"):
                return dict(job)
            time.sleep(0.1)
        raise AssertionError(f"job {job_id} did not end in {timeout} s; workers log in {self.logdir}")

    def workers_alive(self) -> bool:
        return all(p.poll() is None for p in self.workers)


@pytest.fixture(scope="session", params=BACKENDS)
def stack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    backend = request.param
    base = tmp_path_factory.mktemp(f"stack-{backend}")
    redis_server = RedisServer(base / "redis")
    if backend == "postgresql":
        pg: PostgresServer = request.getfixturevalue("postgres")
        database_url = pg.create_database(f"smartnotes_{uuid.uuid4().hex[:8]}")
    else:
        database_url = f"sqlite:///{base / 'smartnotes.db'}"
    settings = Settings(
        environment="test",
        secret_key="test-secret-key-that-is-long-enough-0123456789",
        database_url=database_url,
        redis_url=redis_server.url,
        data_dir=base / "data",
        max_upload_mb=2,
        max_pages=600,
        rate_limit_login="1000/minute",
        rate_limit_upload="1000/minute",
        webhook_backoff_seconds=0.2,
        webhook_allow_private=True,  # the webhook test's receiver is on 127.0.0.1
        log_json=False,
        _env_file=None,  # type: ignore[call-arg]
    )
    run_migrations(settings)
    workers = start_workers(settings, base)
    app = create_app(settings)
    engine = make_engine(settings)
    try:
        with TestClient(app) as client:
            stack = Stack(backend, settings, client, make_session_factory(engine), workers, base)
            wait_for(lambda: _workers_ready(stack), 60, "celery workers")
            yield stack
    finally:
        for proc in workers:
            proc.terminate()
        for proc in workers:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
        engine.dispose()
        redis_server.stop()


def _workers_ready(stack: Stack) -> bool:
    if not stack.workers_alive():
        logs = "\n".join(
            (stack.logdir / f"worker-{q}.log").read_text()[-2000:] for q in ("ocr", "ai", "generation")
        )
        raise RuntimeError(f"a worker died at start:\n{logs}")
    app = stack.client.app.state.container.celery  # type: ignore[attr-defined]
    replies = app.control.ping(timeout=1.0) or []
    return len(replies) >= 3
