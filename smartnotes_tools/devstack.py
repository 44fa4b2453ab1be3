"""The local stores and process groups of a development stack, in one place.

The launcher (`make run`), the integration tests (tests/support/services.py) and the benchmarks
(benchmarks/scaleout_stack.py and the others) start redis-server, a throwaway PostgreSQL cluster and a
Chroma server here, on 127.0.0.1, and stop what they started. Nothing here is skipped: a missing binary
is a clear RuntimeError that names the package to install.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO

import httpx
import redis

PG_BIN = Path(os.environ.get("SMARTNOTES_PG_BIN", "/usr/lib/postgresql/15/bin"))
LOCALHOST = "127.0.0.1"


# --- ports and waiting --------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOCALHOST, 0))
        return int(sock.getsockname()[1])


def wait_for(check: Callable[[], bool], timeout: float, what: str) -> None:
    """Until ``check()`` is true (an exception counts as not yet); a RuntimeError after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception as exc:
            last = exc
        time.sleep(0.1)
    raise RuntimeError(f"{what} not ready after {timeout} s (last error: {last!r})")


# --- process groups -----------------------------------------------------------------------------
def start_group(
    cmd: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    log: Path | None = None,
) -> subprocess.Popen[bytes]:
    """Start ``cmd`` as the leader of its own session (so its own process group): stopping the group
    stops its children too. Output goes to ``log`` (appended) when given, else to ours."""
    out: IO[bytes] | None = log.open("ab") if log is not None else None
    try:
        return subprocess.Popen(
            list(cmd),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdout=out,
            stderr=subprocess.STDOUT if out is not None else None,
            stdin=subprocess.DEVNULL if out is not None else None,
            start_new_session=True,
        )
    finally:
        if out is not None:
            out.close()


def stop_group(popen: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 30) -> None:
    """Signal the whole group, wait, SIGKILL it if it does not stop; then SIGKILL what is left of the
    group (prefork children left behind by a killed parent)."""
    if popen.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(popen.pid, sig)
        try:
            popen.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(popen.pid, signal.SIGKILL)
            popen.wait(10)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(popen.pid, signal.SIGKILL)


# --- Redis --------------------------------------------------------------------------------------
def redis_answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def redis_server_command(port: int, workdir: Path, options: Sequence[str] = ()) -> list[str]:
    """redis-server on 127.0.0.1:``port`` keeping its files in ``workdir``; ``options`` add to (or
    override) these, e.g. persistence (``--save "60 1"``, ``--appendonly yes``)."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed: run `make setup` (apt-get install redis-server)")
    workdir.mkdir(parents=True, exist_ok=True)
    return [binary, "--port", str(port), "--bind", LOCALHOST, "--dir", str(workdir), *options]


class RedisServer:
    """A throwaway redis-server (no persistence) on a free port, for tests."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        cmd = redis_server_command(self.port, workdir, ("--save", "", "--appendonly", "no"))
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
        self.url = f"redis://{LOCALHOST}:{self.port}/0"
        wait_for(lambda: bool(redis.Redis.from_url(self.url).ping()), 15, "redis-server")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


# --- PostgreSQL ---------------------------------------------------------------------------------
class PostgresServer:
    """A throwaway cluster. As root, initdb and postgres run as the `postgres` system user."""

    def __init__(self) -> None:
        if not (PG_BIN / "postgres").exists():
            raise RuntimeError(f"PostgreSQL binaries not found in {PG_BIN}: run `make setup-test`")
        # Not under pytest's tmp dir: its parents are private to root, and postgres runs as its own user.
        workdir = Path(tempfile.mkdtemp(prefix="smartnotes-pg-"))
        self.workdir = workdir
        self.port = free_port()
        self.datadir = workdir / "pgdata"
        self.sockdir = workdir / "pgsock"
        workdir.mkdir(parents=True, exist_ok=True)
        self.sockdir.mkdir(exist_ok=True)
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            for path in (workdir, self.sockdir):
                os.chown(path, user.pw_uid, user.pw_gid)
            os.chmod(workdir, 0o755)  # noqa: S103 - the postgres user must enter its cluster dir
            self.prefix = ["runuser", "-u", "postgres", "--"]
        self._run(
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(self.datadir),
                "-U",
                "smartnotes",
                "-A",
                "trust",
                "--no-sync",
                "-E",
                "UTF8",
            ]
        )
        self._run(
            [
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(self.datadir),
                "-l",
                str(workdir / "pg.log"),
                "-w",
                "-o",
                f"-p {self.port} -k {self.sockdir} -c listen_addresses={LOCALHOST} -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off",
                "start",
            ]
        )
        self.base_url = f"postgresql://smartnotes@{LOCALHOST}:{self.port}"

    def _run(self, cmd: list[str]) -> None:
        done = subprocess.run(self.prefix + cmd, check=False, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(
                f"{cmd[0]} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}"
            )

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(f"{self.base_url}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"{self.base_url}/{name}"

    def stop(self) -> None:
        subprocess.run(
            [*self.prefix, str(PG_BIN / "pg_ctl"), "-D", str(self.datadir), "-m", "fast", "stop"],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(self.workdir, ignore_errors=True)


# --- Chroma -------------------------------------------------------------------------------------
def chroma_server_command(port: int, path: Path) -> list[str]:
    """`chroma run` (chromadb's server, installed beside this interpreter) on 127.0.0.1:``port``."""
    chroma = Path(sys.executable).with_name("chroma")
    return [str(chroma), "run", "--path", str(path), "--host", LOCALHOST, "--port", str(port)]


def chroma_env() -> dict[str, str]:
    return {**os.environ, "ANONYMIZED_TELEMETRY": "FALSE"}


def wait_for_chroma(url: str, timeout: float = 60) -> None:
    wait_for(lambda: httpx.get(f"{url}/api/v2/heartbeat").status_code == 200, timeout, "chroma")
