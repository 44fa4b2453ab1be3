"""The stack that benchmarks/attacks.py attacks: started as `make run` does, each worker's memory watched."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
WORKERS = ("worker-ocr", "worker-ai", "worker-generation", "gateway")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- memory of each worker's process tree ------------------------------------------------------------


def _proc_table() -> dict[int, tuple[int, str, int]]:
    """pid -> (ppid, cmdline, rss bytes) for every process we can read."""
    table: dict[int, tuple[int, str, int]] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            cmd = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            rss = int(Path(f"/proc/{entry}/statm").read_text().split()[1]) * page
        except (OSError, ValueError, IndexError):
            continue
        table[int(entry)] = (ppid, cmd, rss)
    return table


def _tree_rss(root: int, table: dict[int, tuple[int, str, int]]) -> int:
    children: dict[int, list[int]] = {}
    for pid, (ppid, _cmd, _rss) in table.items():
        children.setdefault(ppid, []).append(pid)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        if pid in table:
            total += table[pid][2]
        todo.extend(children.get(pid, []))
    return total


class MemoryWatch:
    """Samples each worker's tree RSS every 0.2 s; `peaks()` gives the maximum since the last reset."""

    def __init__(self, roots: dict[str, int]) -> None:
        self.roots = roots
        self._peak: dict[str, int] = dict.fromkeys(roots, 0)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            table = _proc_table()
            with self._lock:
                for name, root in self.roots.items():
                    self._peak[name] = max(self._peak[name], _tree_rss(root, table))

    def reset(self) -> None:
        table = _proc_table()
        with self._lock:
            self._peak = {name: _tree_rss(root, table) for name, root in self.roots.items()}

    def peaks(self) -> dict[str, int]:
        with self._lock:
            return dict(self._peak)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)


# --- the stack ---------------------------------------------------------------------------------------


class Stack:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.api_port, self.redis_port = free_port(), free_port()
        self.api = f"http://127.0.0.1:{self.api_port}"
        env = dict(os.environ)
        env.update(
            SMARTNOTES_DATA_DIR=str(data_dir),
            SMARTNOTES_REDIS_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            SMARTNOTES_API_PORT=str(self.api_port),
            SMARTNOTES_API_URL=self.api,
            SMARTNOTES_FRONTEND_PORT=str(free_port()),
            SMARTNOTES_MAINTENANCE_INTERVAL_SECONDS="0",
            SMARTNOTES_LOG_LEVEL="WARNING",
        )
        env.pop("SMARTNOTES_SECRET_KEY", None)  # the launcher must make its own key
        data_dir.mkdir(parents=True, exist_ok=True)
        self.log = (data_dir / "stack.log").open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "smartnotes_tools.launcher"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the stack exited ({self.proc.returncode}); see {data_dir}/stack.log")
            try:
                if httpx.get(f"{self.api}/ready", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(1)
        else:
            raise RuntimeError("the stack did not become ready within 300 s")
        self.roots = self._roots()

    def _roots(self) -> dict[str, int]:
        """The launcher's children, by what they run."""
        table = _proc_table()
        roots: dict[str, int] = {}
        for pid, (ppid, cmd, _rss) in table.items():
            if ppid != self.proc.pid:
                continue
            for queue in ("ocr", "ai", "generation"):
                if f"workers.{queue}.worker" in cmd:
                    roots[f"worker-{queue}"] = pid
            if "uvicorn" in cmd:
                roots["gateway"] = pid
        missing = set(WORKERS) - set(roots)
        if missing:
            raise RuntimeError(f"processes not found: {sorted(missing)}")
        return roots

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


@dataclass
class User:
    client: httpx.Client
    email: str
    password: str
    token: str = ""
    subject_id: int = 0

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def new_user(api: str, email: str) -> User:
    client = httpx.Client(base_url=f"{api}/api/v1", timeout=120)
    user = User(client, email, "correct horse battery staple")
    client.post("/auth/register", json={"email": email, "password": user.password}).raise_for_status()
    resp = client.post("/auth/login", json={"email": email, "password": user.password})
    resp.raise_for_status()
    user.token = resp.json()["access_token"]
    resp = client.post("/subjects", json={"name": "Attacks"}, headers=user.headers())
    resp.raise_for_status()
    user.subject_id = resp.json()["id"]
    return user


def upload(user: User, name: str, data: bytes, **form: str) -> httpx.Response:
    return user.client.post(
        f"/subjects/{user.subject_id}/lectures",
        files={"file": (name, data)},
        data=form,
        headers=user.headers(),
    )


def wait_job(user: User, job_id: str, timeout: float = 600) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = user.client.get(f"/jobs/{job_id}", headers=user.headers()).json()
        if job["status"] in ("done", "failed", "cancelled"):
            return dict(job)
        time.sleep(0.5)
    raise RuntimeError(f"job {job_id} still running after {timeout} s")


def error_code(resp: httpx.Response) -> str:
    try:
        return str(resp.json().get("error", {}).get("code", ""))
    except (ValueError, AttributeError):
        return ""
