"""The healthcheck commands of docker-compose.yml, run as written against the real servers.

Only the port differs (the servers here listen on free ports): Chroma's is substituted in the command,
PostgreSQL's comes from PGPORT, as libpq reads it. Each check must pass against a live server and fail
against a port where nothing listens, so a healthcheck that can never pass (or never fail) is caught.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

from tests.support.services import PG_BIN, PostgresServer, free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]
SERVICES = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def healthcheck(service: str) -> list[str]:
    """The test as a command line, with compose's `$$` unescaped to `$`."""
    test = [part.replace("$$", "$") for part in SERVICES[service]["healthcheck"]["test"]]
    kind, args = test[0], test[1:]
    if kind == "CMD-SHELL":
        return ["/bin/sh", "-c", args[0]]
    assert kind == "CMD", test
    return args


def run(cmd: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=30, env=env)


def test_chroma_healthcheck_needs_no_curl_and_tells_up_from_down() -> None:
    cmd = healthcheck("chroma")
    assert cmd[0] == "/bin/bash", "the Chroma image has bash, but no curl, wget or python"
    chroma = Path(sys.executable).parent / "chroma"
    if not chroma.exists():
        pytest.fail(f"{chroma} missing: run `make setup`")
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        proc = subprocess.Popen(
            [str(chroma), "run", "--path", data, "--host", "127.0.0.1", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            live = [c.replace("127.0.0.1/8000", f"127.0.0.1/{port}") for c in cmd]
            assert live != cmd, "the healthcheck no longer probes 127.0.0.1:8000"
            wait_for(lambda: run(live).returncode == 0, 60, "the chroma healthcheck to pass")
        finally:
            proc.terminate()
            proc.wait(20)
    assert run(live).returncode != 0, "passes with the server stopped"


def test_postgres_healthcheck_asks_over_tcp() -> None:
    cmd = healthcheck("postgres")
    assert "-h 127.0.0.1" in cmd[-1], "over TCP: initdb's socket-only server must not count as ready"
    try:
        server = PostgresServer()
    except RuntimeError as exc:  # this test needs the real thing
        pytest.fail(str(exc))
    tools = f"{PG_BIN}:{os.environ.get('PATH', '')}"
    assert shutil.which("pg_isready", path=tools), "pg_isready missing"
    env = {**os.environ, "PATH": tools, "POSTGRES_USER": "smartnotes", "POSTGRES_DB": "postgres"}
    try:
        assert run(cmd, {**env, "PGPORT": str(server.port)}).returncode == 0
    finally:
        server.stop()
    assert run(cmd, {**env, "PGPORT": str(server.port)}).returncode != 0
