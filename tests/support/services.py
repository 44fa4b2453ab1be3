"""Real services for the integration tests: redis-server and PostgreSQL started in temp dirs on free ports.

They fail loudly when the binaries are missing (`make test` installs them); nothing here is skipped.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import redis

PG_BIN = Path(os.environ.get("SMARTNOTES_PG_BIN", "/usr/lib/postgresql/15/bin"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(check: Callable[[], bool], timeout: float, what: str) -> None:
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


class RedisServer:
    def __init__(self, workdir: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError(
                "redis-server is not installed: run `make setup` (apt-get install redis-server)"
            )
        self.port = free_port()
        workdir.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(workdir),
            ],
            stdout=subprocess.DEVNULL,
        )
        self.url = f"redis://127.0.0.1:{self.port}/0"
        wait_for(lambda: bool(redis.Redis.from_url(self.url).ping()), 15, "redis-server")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


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
            os.chmod(workdir, 0o755)
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
                f"-p {self.port} -k {self.sockdir} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off",
                "start",
            ]
        )
        self.base_url = f"postgresql://smartnotes@127.0.0.1:{self.port}"

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
