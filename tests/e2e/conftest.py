"""`make run` on free ports with a temp data dir, for the end-to-end tests; stopped with Ctrl-C (SIGINT)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.support.services import free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class RunningStack:
    """What `make run` started: the gateway, the workers, Redis and the Streamlit app."""

    workdir: Path
    api_port: int = field(default_factory=free_port)
    ui_port: int = field(default_factory=free_port)
    redis_port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def ui(self) -> str:
        return f"http://127.0.0.1:{self.ui_port}"

    @property
    def data_dir(self) -> Path:
        return self.workdir / "data"

    @property
    def log_path(self) -> Path:
        return self.workdir / "run.log"

    @property
    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("SMARTNOTES_", "MAKE", "MFLAGS", "DATABASE_URL"))
        }
        env.update(
            SMARTNOTES_API_PORT=str(self.api_port),
            SMARTNOTES_FRONTEND_PORT=str(self.ui_port),
            SMARTNOTES_REDIS_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            SMARTNOTES_DATA_DIR=str(self.data_dir),
            XDG_CONFIG_HOME=str(self.workdir / "config"),
        )
        return env

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""

    def start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            ["make", "run"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        try:
            wait_for(
                lambda: httpx.get(f"{self.api}/ready", timeout=2).status_code == 200, 600, "gateway /ready"
            )
            wait_for(lambda: httpx.get(f"{self.ui}/_stcore/health", timeout=2).text == "ok", 120, "streamlit")
        except RuntimeError as exc:
            self.stop()
            raise RuntimeError(f"{exc}\n--- make run log ---\n{self.log_tail()}") from exc

    def stop(self) -> None:
        """Ctrl-C to the process group; everything it started must end within a minute."""
        if self.proc is None:
            return
        os.killpg(self.proc.pid, signal.SIGINT)
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            raise AssertionError("make run did not stop on Ctrl-C:\n" + self.log_tail()) from None
        finally:
            self.proc = None


@pytest.fixture
def running_stack(tmp_path: Path) -> Iterator[RunningStack]:
    stack = RunningStack(tmp_path)
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()
