"""`smartnotes up` / `make run`: the whole stack on embedded defaults, as local processes.

Starts redis-server (when the configured Redis is local and not already answering), runs the
migrations, then the gateway, one Celery worker per queue, celery beat (the periodic maintenance task,
unless SMARTNOTES_MAINTENANCE_INTERVAL_SECONDS=0), and Streamlit. Ctrl-C (or SIGTERM) stops
every child, newest first; if any child dies, the rest are stopped too and the exit code says so.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from shared.db import run_migrations
from shared.keys import ensure_secrets
from shared.settings import Settings
from smartnotes_tools.devstack import redis_answers, redis_server_command, start_group, wait_for

ROOT = Path(__file__).resolve().parent.parent
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
WORKER_QUEUES = ("ocr", "ai", "generation")


@dataclass
class Child:
    name: str
    proc: subprocess.Popen[bytes]


def say(message: str) -> None:
    print(f"[smartnotes] {message}", flush=True)


def port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def child_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env["SMARTNOTES_SECRET_KEY"] = settings.secret_key
    env["SMARTNOTES_WEBHOOK_SECRET"] = settings.webhook_secret
    env["SMARTNOTES_DATA_DIR"] = str(settings.data_dir)
    env["SMARTNOTES_REDIS_URL"] = settings.redis_url
    env.setdefault("SMARTNOTES_API_URL", settings.api_url)
    env.setdefault("OMP_THREAD_LIMIT", "1")
    env.setdefault("HF_HUB_OFFLINE", "1")
    env["PYTHONUNBUFFERED"] = "1"
    if settings.database_url:
        env["SMARTNOTES_DATABASE_URL"] = settings.database_url
    return env


# The ai worker runs threads in one process: the embedded Chroma store wants a single writer, and the
# models are loaded once and shared; a chat question need not wait behind a long indexing job.
WORKER_POOL = {
    "ocr": ["--concurrency", "1"],
    "ai": ["-P", "threads", "--concurrency", "2"],
    "generation": ["--concurrency", "1"],
}


def worker_command(queue: str, node: str | None = None) -> list[str]:
    """The Celery worker command for one queue (the same in `make run`, the tests and docker-compose)."""
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        f"workers.{queue}.worker",
        "worker",
        "-Q",
        queue,
        "-n",
        node or f"{queue}@%h",
        *WORKER_POOL[queue],
        "--loglevel",
        "INFO",
        "--without-gossip",
        "--without-mingle",
    ]


def beat_command(settings: Settings) -> list[str]:
    """Celery beat, sending shared.celery_app.beat_schedule; its schedule file lives in the data dir."""
    schedule = (settings.data_dir / "celerybeat-schedule").resolve()
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "workers.beat",
        "beat",
        "--loglevel",
        "INFO",
        "--schedule",
        str(schedule),
    ]


def commands(settings: Settings) -> list[tuple[str, list[str]]]:
    py = sys.executable
    cmds: list[tuple[str, list[str]]] = [
        (
            "gateway",
            [
                py,
                "-m",
                "uvicorn",
                "gateway.app:app_factory",
                "--factory",
                "--host",
                settings.api_host,
                "--port",
                str(settings.api_port),
                # X-Forwarded-For is believed only from SMARTNOTES_TRUSTED_PROXIES, by the gateway itself
                # (gateway/proxies.py); uvicorn's own handling would trust 127.0.0.1 by default.
                "--no-proxy-headers",
                "--no-access-log",
            ],
        )
    ]
    for queue in WORKER_QUEUES:
        cmds.append((f"worker-{queue}", worker_command(queue)))
    if settings.maintenance_interval_seconds > 0:
        # the periodic maintenance.cleanup (orphaned files, expired share links), as compose's `beat`
        cmds.append(("beat", beat_command(settings)))
    cmds.append(
        (
            "frontend",
            [
                py,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "frontend" / "app.py"),
                "--server.port",
                str(settings.frontend_port),
                "--server.address",
                settings.api_host,
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
                "--client.toolbarMode",
                "viewer",
                # the uploader's limit (and its label) is the gateway's, not Streamlit's 200 MB default
                "--server.maxUploadSize",
                str(settings.max_upload_mb),
            ],
        )
    )
    return cmds


def start_redis(settings: Settings, children: list[Child]) -> None:
    url = urlparse(settings.redis_url)
    host, port = url.hostname or "127.0.0.1", url.port or 6379
    if redis_answers(settings.redis_url):
        say(f"using the Redis already answering at {host}:{port}")
        return
    if host not in LOCAL_HOSTS:
        raise RuntimeError(f"Redis at {settings.redis_url} does not answer, and it is not local to start it")
    redis_dir = (settings.data_dir / "redis").resolve()
    options = ("--save", "60 1", "--appendonly", "no", "--protected-mode", "yes")
    proc = start_group(redis_server_command(port, redis_dir, options))
    children.append(Child("redis", proc))
    wait_for(lambda: redis_answers(settings.redis_url), 20, "redis-server")
    say(f"redis-server started on {host}:{port}")


def stop_all(children: list[Child], timeout: float = 20.0) -> None:
    for child in reversed(children):
        if child.proc.poll() is None:
            child.proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for child in reversed(children):
        remaining = max(0.1, deadline - time.monotonic())
        try:
            child.proc.wait(timeout=remaining)
        except subprocess.TimeoutExpired:
            say(f"{child.name} did not stop in time; killing it")
            child.proc.kill()
            child.proc.wait()


def main(argv: list[str] | None = None) -> int:
    settings = Settings()
    settings.data_dir = settings.data_dir.resolve()
    for sub in ("uploads", "generated", "tmp"):
        (settings.data_dir / sub).mkdir(parents=True, exist_ok=True)
    for name, port in (("gateway", settings.api_port), ("frontend", settings.frontend_port)):
        if not port_free(settings.api_host, port):
            say(f"port {port} for the {name} is already in use; stop what uses it or set another port")
            return 1

    children: list[Child] = []
    stopping = False

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        settings = ensure_secrets(settings)
        start_redis(settings, children)
        say("running database migrations")
        run_migrations(settings)
        env = child_env(settings)
        for name, cmd in commands(settings):
            children.append(Child(name, subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)))
        say(f"gateway  http://{settings.api_host}:{settings.api_port}  (API docs at /docs)")
        say(f"frontend http://{settings.api_host}:{settings.frontend_port}")
        say("press Ctrl-C to stop everything")
        while not stopping:
            for child in children:
                code = child.proc.poll()
                if code is not None:
                    say(f"{child.name} exited with code {code}; stopping the rest")
                    stop_all(children)
                    return 1
            time.sleep(0.5)
        say("stopping")
        stop_all(children)
        return 0
    except Exception as exc:
        say(f"could not start: {exc}")
        stop_all(children)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
