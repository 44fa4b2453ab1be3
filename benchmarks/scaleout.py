"""Scale-out proof: the docker-compose topology as separate local processes, measured.

    .venv/bin/python benchmarks/scaleout.py [--decks 40] [--pages 30] [--clients 50] [--write-docs]

Starts, on 127.0.0.0/8 only, in a temporary directory and on free ports: a throwaway PostgreSQL 15 cluster,
redis-server, a Chroma server (`chroma run`), the migration job, two gateways (uvicorn) behind nginx (a
config generated from nginx/nginx.conf), ocr workers, one ai and one generation worker, and celery beat.
Every command is the one docker-compose.yml gives its service (read from the file; only the host, port and
node name differ), with the compose environment: PostgreSQL, Redis and Chroma URLs, production settings,
a 64-character secret key, and a shared data dir. Rate limits are raised so that 40 uploads at once pass.

Phases (decks are generated: N text-layer PDFs of P pages, text and a chart on every third page):
  A  1 ocr worker: upload N decks at once through nginx; jobs per minute until all are done.
  B  2 ocr workers: the same on a fresh subject; jobs per minute and the ratio B / A.
  L  2 ocr workers, N more decks, while 50 clients read metadata through nginx (GET /subjects,
     /lectures, /jobs/{id}): 60 s at the app's pace (one request a second each, as frontend/jobs.py
     polls), then 60 s four times faster; p50 / p95 / p99 latency.
  C  10 decks; one ocr worker is SIGKILLed (its whole process group) mid-task and a replacement started;
     every lecture must end `done` exactly once, with exactly its pages, chunks, figures and vectors.
Each ocr worker keeps to one core: --concurrency 1 (compose), SMARTNOTES_OCR_PARALLEL_PAGES=1,
OMP_THREAD_LIMIT=1. Redelivery after the kill needs the broker's visibility timeout to pass: this run sets
SMARTNOTES_BROKER_VISIBILITY_TIMEOUT=60 (see docs/deploy.md). Everything started is stopped at the end,
also on error or Ctrl-C. --write-docs appends the results to docs/benchmarks.md (replacing the section an
earlier run of this script wrote there). The workers run at compose's lower CPU weight (`cpu_shares: 256`):
each process here is its own session, hence its own scheduler autogroup, whose nice value sets its weight.
This machine may be shared: before each phase the run waits for other processes to leave the CPU alone,
and repeats a phase they disturbed (--max-foreign, --retries); the report shows how much they took.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import multiprocessing as mp
import os
import platform
import pwd
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import redis  # noqa: E402
import yaml  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from shared.celery_app import make_celery  # noqa: E402
from shared.events import user_channel  # noqa: E402
from shared.models import Chunk, Figure, Job, Lecture, Page  # noqa: E402
from shared.settings import Settings  # noqa: E402
from smartnotes_tools.launcher import worker_command  # noqa: E402
from tests.support.services import PostgresServer, free_port, wait_for  # noqa: E402

COMPOSE = ROOT / "docker-compose.yml"
NGINX_CONF = ROOT / "nginx" / "nginx.conf"
NGINX_BIN = "/usr/sbin/nginx"
HOST = socket.gethostname()
TERMINAL = ("done", "failed", "cancelled")
CLK = os.sysconf("SC_CLK_TCK")
VOCAB = [
    "cell",
    "membrane",
    "protein",
    "enzyme",
    "energy",
    "gradient",
    "transport",
    "signal",
    "receptor",
    "pathway",
    "kinase",
    "gene",
    "expression",
    "transcription",
    "ribosome",
    "mitochondria",
    "glucose",
    "oxidation",
    "equilibrium",
    "entropy",
    "catalyst",
    "substrate",
    "inhibitor",
    "binding",
    "affinity",
    "diffusion",
    "osmosis",
    "voltage",
    "channel",
    "neuron",
    "synapse",
    "hormone",
    "feedback",
    "regulation",
    "homeostasis",
    "mutation",
    "selection",
    "population",
    "variance",
    "sample",
    "estimate",
    "model",
    "theorem",
    "proof",
    "lemma",
    "matrix",
    "vector",
    "eigenvalue",
    "derivative",
    "integral",
    "limit",
    "series",
    "convergence",
]


def say(message: str) -> None:
    print(f"[scaleout {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- processes --------------------------------------------------------------------------------------
@dataclass
class Proc:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path
    node: str = ""  # a Celery worker's node name

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def tail(self, chars: int = 3000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


def proc_stat(pid: int | str) -> list[str] | None:
    """Fields 3.. of /proc/<pid>/stat (index 0 = state, 3 = session, 11..14 = utime stime cutime cstime)."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw.rsplit(")", 1)[1].split()


def alive(pid: int) -> bool:
    stat = proc_stat(pid)
    return stat is not None and stat[0] != "Z"


def session_pids(sid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = proc_stat(entry.name)
            if stat is not None and int(stat[3]) == sid:
                pids.append(int(entry.name))
    return sorted(pids)


def session_cpu(sid: int) -> float:
    total = 0
    for pid in session_pids(sid):
        stat = proc_stat(pid)
        if stat is not None:
            total += sum(int(x) for x in stat[11:15])
    return total / CLK


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return float(sum(fields) - idle), float(sum(fields))


class Stack:
    """Every process of the topology, started in order and stopped in reverse (process groups)."""

    def __init__(self, workdir: Path, args: argparse.Namespace) -> None:
        self.dir = workdir
        self.args = args
        self.logs = workdir / "logs"
        self.logs.mkdir(parents=True)
        self.data = workdir / "data"
        self.procs: list[Proc] = []
        self.pg: PostgresServer | None = None
        self.compose = yaml.safe_load(COMPOSE.read_text())["services"]
        self.ports: dict[str, int] = {}
        self.secret = secrets.token_urlsafe(48)  # 64 characters
        self.env: dict[str, str] = {}
        self.metrics_ports: dict[str, int] = {}

    # -- commands, as docker-compose.yml writes them ---------------------------------------------
    def compose_command(self, service: str) -> list[str]:
        cmd = self.compose[service]["command"]
        return [str(c) for c in cmd] if isinstance(cmd, list) else cmd.split()

    def python_module(self, cmd: list[str]) -> list[str]:
        """`celery ...` / `uvicorn ...` / `python ...` with this venv's interpreter."""
        if cmd[0] == "python":
            return [sys.executable, *cmd[1:]]
        return [sys.executable, "-m", cmd[0], *cmd[1:]]

    @staticmethod
    def set_option(cmd: list[str], flag: str, value: str) -> list[str]:
        assert flag in cmd, f"{flag} not in {cmd}: docker-compose.yml changed"
        out = list(cmd)
        out[out.index(flag) + 1] = value
        return out

    def start(self, name: str, cmd: list[str], env: dict[str, str] | None = None) -> Proc:
        log = self.logs / f"{name}.log"
        handle = log.open("ab")
        popen = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env or self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: stopped (or killed) as a whole
        )
        handle.close()
        proc = Proc(name, popen, log)
        self.procs.append(proc)
        return proc

    def stop(self, proc: Proc, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
        if proc.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, sig)
            try:
                proc.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.popen.wait(10)
        # Prefork children left behind by a killed parent are in the same process group.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)

    def close(self) -> None:
        for proc in reversed(self.procs):
            try:
                self.stop(proc, signal.SIGQUIT if proc.name == "nginx" else signal.SIGTERM)
            except Exception as exc:
                say(f"could not stop {proc.name}: {exc!r}")
        if self.pg is not None:
            self.pg.stop()

    def check_alive(self) -> None:
        for proc in self.procs:
            if not proc.alive() and proc.name != "migrate" and not proc.name.startswith("killed-"):
                raise RuntimeError(f"{proc.name} exited ({proc.popen.returncode}):\n{proc.tail()}")

    # -- the services --------------------------------------------------------------------------------
    def start_stores(self) -> None:
        say("starting PostgreSQL 15 (throwaway cluster), redis-server, Chroma")
        self.pg = PostgresServer()
        database_url = self.pg.create_database("smartnotes").replace("postgresql://", "postgresql+psycopg://")
        self.ports["redis"] = free_port()
        redis_dir = self.dir / "redis"
        redis_dir.mkdir()
        cmd = self.compose_command("redis")  # redis-server --appendonly yes --save "60 1"
        self.start(
            "redis",
            [
                shutil.which(cmd[0]) or cmd[0],
                *cmd[1:],
                *("--port", str(self.ports["redis"]), "--bind", "127.0.0.1", "--dir", str(redis_dir)),
            ],
            env=dict(os.environ),
        )
        redis_url = f"redis://127.0.0.1:{self.ports['redis']}/0"
        wait_for(lambda: bool(redis.Redis.from_url(redis_url).ping()), 20, "redis-server")
        self.ports["chroma"] = free_port()
        chroma = Path(sys.executable).with_name("chroma")
        self.start(
            "chroma",
            [
                str(chroma),
                *("run", "--path", str(self.dir / "chroma"), "--host", "127.0.0.1"),
                *("--port", str(self.ports["chroma"])),
            ],
            env={**os.environ, "ANONYMIZED_TELEMETRY": "FALSE"},
        )
        chroma_url = f"http://127.0.0.1:{self.ports['chroma']}"
        wait_for(lambda: httpx.get(f"{chroma_url}/api/v2/heartbeat").status_code == 200, 60, "chroma")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTNOTES_")}
        for plain in ("DATABASE_URL", "REDIS_URL", "CHROMA_URL", "OLLAMA_HOST"):
            self.env.pop(plain, None)
        self.env.update(
            {
                # docker-compose.yml's x-app-env, pointed at the local stores
                "SMARTNOTES_ENVIRONMENT": "production",
                "SMARTNOTES_SECRET_KEY": self.secret,
                "SMARTNOTES_DATA_DIR": str(self.data),
                "SMARTNOTES_MAX_UPLOAD_MB": "50",
                "SMARTNOTES_LOG_LEVEL": "INFO",
                "SMARTNOTES_LOG_JSON": "true",
                "DATABASE_URL": database_url,
                "REDIS_URL": redis_url,
                "CHROMA_URL": chroma_url,
                # this run
                "SMARTNOTES_RATE_LIMIT_UPLOAD": "100000/minute",
                "SMARTNOTES_RATE_LIMIT_LOGIN": "1000/minute",
                # one user's N decks measure the workers' throughput: no per-user cap on ingestion
                "SMARTNOTES_MAX_ACTIVE_INGEST_PER_USER": "0",
                "SMARTNOTES_BROKER_VISIBILITY_TIMEOUT": str(self.args.visibility_timeout),
                "SMARTNOTES_OCR_PARALLEL_PAGES": "1",
                "OMP_THREAD_LIMIT": "1",
                "OMP_NUM_THREADS": "1",
                "HF_HUB_OFFLINE": "1",
                "TRANSFORMERS_OFFLINE": "1",
                "ANONYMIZED_TELEMETRY": "FALSE",
                "PYTHONUNBUFFERED": "1",
            }
        )

    @property
    def settings(self) -> Settings:
        return Settings(
            environment="production",
            secret_key=self.secret,
            database_url=self.env["DATABASE_URL"],
            redis_url=self.env["REDIS_URL"],
            chroma_url=self.env["CHROMA_URL"],
            data_dir=self.data,
            _env_file=None,  # type: ignore[call-arg]
        )

    def migrate(self) -> None:
        say("migrations (the compose `migrate` command)")
        proc = self.start("migrate", self.python_module(self.compose_command("migrate")))
        code = proc.popen.wait(180)
        if code != 0:
            raise RuntimeError(f"migrate failed ({code}):\n{proc.tail()}")

    def start_gateways(self, count: int = 2) -> list[int]:
        ports = []
        for i in range(1, count + 1):
            port = free_port()
            cmd = self.python_module(self.compose_command("gateway"))
            cmd = self.set_option(self.set_option(cmd, "--host", "127.0.0.1"), "--port", str(port))
            self.start(f"gateway{i}", cmd)
            ports.append(port)
        for port in ports:
            url = f"http://127.0.0.1:{port}/health"
            wait_for(lambda url=url: httpx.get(url).status_code == 200, 90, "gateway")  # type: ignore[misc]
        return ports

    def nginx_config(self, gateway_ports: list[int]) -> Path:
        """nginx/nginx.conf with the compose names replaced by local ports and paths in the temp dir."""
        base = self.dir / "nginx"
        for folder in ("cache", "client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (base / folder).mkdir(parents=True, exist_ok=True)
        conf = NGINX_CONF.read_text()
        self.ports["nginx"], self.ports["nginx_health"] = free_port(), free_port()
        gateway_servers = "\n".join(
            f"        server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;" for p in gateway_ports
        )
        frontend = free_port()  # no frontend in this run: nothing listens there, nothing is sent there

        def sub(pattern: str, repl: str, count: int = 1) -> None:
            nonlocal conf
            conf, n = re.subn(pattern, repl, conf, flags=re.MULTILINE)
            assert n == count, f"nginx/nginx.conf changed: {pattern!r} matched {n} times, expected {count}"

        sub(r"^\s*server gateway:8000 [^;]*;", gateway_servers)
        sub(r"server frontend:8501", f"server 127.0.0.1:{frontend}", count=2)
        sub(
            r"^\s*listen 80 default_server;",
            f"        listen 127.0.0.1:{self.ports['nginx']} default_server;",
        )
        sub(r"listen 127\.0\.0\.1:8080;", f"listen 127.0.0.1:{self.ports['nginx_health']};")
        sub(
            r"^error_log /dev/stderr warn;",
            f"error_log {base}/error.log warn;\npid {base}/nginx.pid;\ndaemon off;",
        )
        sub(r"access_log /dev/stdout main;", f"access_log {base}/access.log main;")
        sub(r"proxy_cache_path /tmp/nginx-static-cache", f"proxy_cache_path {base}/cache")
        sub(
            r"^(\s*)sendfile on;",
            "\\1sendfile on;\n"
            + "".join(
                f"    {kind}_temp_path {base}/{kind};\n"
                for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
            ),
        )
        path = base / "nginx.conf"
        path.write_text(conf)
        if os.geteuid() == 0:  # workers run as nobody: they need the temp and cache dirs
            nobody = pwd.getpwnam("nobody")
            for p in [base, *base.rglob("*")]:
                os.chown(p, nobody.pw_uid, nobody.pw_gid)
            for p in (self.dir, base):
                os.chmod(p, 0o755)
        return path

    def start_nginx(self, gateway_ports: list[int]) -> str:
        conf = self.nginx_config(gateway_ports)
        cmd = [NGINX_BIN, "-c", str(conf), "-p", f"{conf.parent}/", "-e", str(conf.parent / "error.log")]
        test = subprocess.run([*cmd, "-t"], capture_output=True, text=True, timeout=60)
        if test.returncode != 0:
            raise RuntimeError(f"nginx -t failed:\n{test.stderr}")
        self.start("nginx", cmd, env=dict(os.environ))
        url = f"http://127.0.0.1:{self.ports['nginx']}"
        wait_for(lambda: httpx.get(f"{url}/health").status_code == 200, 30, "nginx")
        return url

    def cpu_weight(self, service: str, proc: Proc) -> None:
        """The service's compose `cpu_shares` for this process: a container is a CPU task group with
        that weight; here each process is its own session, hence its own autogroup, and the autogroup's
        nice value sets its weight (each nice step is a factor of 1.25; 256 of 1024 is nice 6)."""
        shares = int(self.compose[service].get("cpu_shares", 1024))
        if shares >= 1024 or self.args.no_cpu_shares:
            return
        nice = round(math.log(1024 / shares) / math.log(1.25))
        try:
            Path(f"/proc/{proc.pid}/autogroup").write_text(str(nice))
        except OSError as exc:  # no autogroups: fall back to the process's own nice value
            say(f"autogroup weight not settable ({exc}); using setpriority")
            os.setpriority(os.PRIO_PGRP, proc.pid, nice)

    def start_worker(self, queue: str, name: str) -> Proc:
        node = f"{name}@{HOST}"
        cmd = self.set_option(self.python_module(self.compose_command(f"worker-{queue}")), "-n", node)
        port = free_port()
        self.metrics_ports[name] = port
        proc = self.start(name, cmd, env={**self.env, "SMARTNOTES_WORKER_METRICS_PORT": str(port)})
        proc.node = node
        self.cpu_weight(f"worker-{queue}", proc)
        return proc

    def wait_workers(self, nodes: list[str], timeout: float = 120) -> None:
        app = make_celery(self.settings)

        def ready() -> bool:
            self.check_alive()
            replies = app.control.ping(destination=nodes, timeout=1.0) or []
            return {n for r in replies for n in r} >= set(nodes)

        wait_for(ready, timeout, f"workers {nodes}")

    def start_beat(self) -> Proc:
        cmd = self.python_module(self.compose_command("beat"))
        cmd = self.set_option(cmd, "--schedule", str(self.dir / "celerybeat-schedule"))
        cmd = self.set_option(cmd, "--hostname", f"beat@{HOST}")
        env = {**self.env, "SMARTNOTES_MAINTENANCE_INTERVAL_SECONDS": "60"}
        return self.start("beat", cmd, env=env)

    def healthcheck(self, service: str, node: str) -> bool:
        """The compose healthcheck command of a Celery service, run against a local node."""
        test = self.compose[service]["healthcheck"]["test"][1].replace("$$HOSTNAME", HOST)
        test = re.sub(r"-d (\w+)@\S+", f"-d {node}", test).replace(">/dev/null", "")
        cmd = self.python_module(test.split())
        return subprocess.run(cmd, cwd=ROOT, env=self.env, capture_output=True, timeout=60).returncode == 0


# --- decks -----------------------------------------------------------------------------------------
def make_charts(folder: Path, count: int = 6) -> list[Path]:
    from tests.support.factories import make_chart_png

    folder.mkdir(parents=True, exist_ok=True)
    titles = ["Crop yield", "Enzyme rate", "Voltage", "Population", "Cost per unit", "Error rate"]
    return [make_chart_png(folder / f"chart{i}.png", titles[i % len(titles)]) for i in range(count)]


def make_deck(path: Path, deck: int, pages: int, charts: list[Path]) -> Path:
    """A text-layer slide deck: title and six body lines on every page, a chart on every third page."""
    from fpdf import FPDF

    rng = random.Random(deck)
    pdf = FPDF(orientation="L", unit="pt", format=(540, 960))
    pdf.set_auto_page_break(False)
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 26)
        pdf.set_xy(40, 36)
        pdf.cell(0, 32, f"Deck {deck} slide {number}: {rng.choice(VOCAB).title()} and {rng.choice(VOCAB)}")
        pdf.set_font("Helvetica", "", 17)
        width = 420 if number % 3 == 0 else 860
        for line in range(6):
            words = " ".join(rng.choice(VOCAB) for _ in range(rng.randint(6, 10 if width > 500 else 6)))
            pdf.set_xy(40, 100 + line * 30)
            pdf.cell(width, 22, f"- {words}")
        if number % 3 == 0:
            pdf.image(str(charts[(deck + number) % len(charts)]), x=500, y=100, w=420, h=294)
        pdf.set_font("Helvetica", "I", 11)
        pdf.set_xy(40, 505)
        pdf.cell(0, 14, f"Course 101 - deck {deck} - page {number}")
    pdf.output(str(path))
    return path


# --- events and client helpers --------------------------------------------------------------------
class EventLog:
    """Every job event published for the user (Redis pub/sub), with the time it arrived."""

    def __init__(self, redis_url: str, user_id: int) -> None:
        self.events: list[tuple[float, dict[str, Any]]] = []
        self._stop = threading.Event()
        self._pubsub = redis.Redis.from_url(redis_url).pubsub(ignore_subscribe_messages=True)
        self._pubsub.subscribe(user_channel(user_id))
        self._thread = threading.Thread(target=self._run, name="events", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            message = self._pubsub.get_message(timeout=0.5)
            if message and message.get("type") == "message":
                with contextlib.suppress(ValueError):
                    self.events.append((time.monotonic(), json.loads(message["data"])))

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._pubsub.close()

    def for_jobs(self, jobs: set[str]) -> list[tuple[float, dict[str, Any]]]:
        return [(t, e) for t, e in list(self.events) if e.get("job_id") in jobs]


def api_client(
    base: str, token: str | None = None, source: str | None = None, timeout: float = 60
) -> httpx.Client:
    transport = httpx.HTTPTransport(local_address=source) if source else None
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=f"{base}/api/v1", headers=headers, timeout=timeout, transport=transport)


class Auth:
    """An access token for the benchmark user, renewed well before it expires (15 minutes)."""

    def __init__(self, base: str, email: str, password: str) -> None:
        self.base, self.email, self.password = base, email, password
        self._token, self._at = "", 0.0

    def __call__(self) -> str:
        if time.monotonic() - self._at > 300:
            self._token, self._at = login(self.base, self.email, self.password), time.monotonic()
        return self._token


def login(base: str, email: str, password: str) -> str:
    with api_client(base) as client:
        response = client.post("/auth/login", json={"email": email, "password": password})
        response.raise_for_status()
        return str(response.json()["access_token"])


def upload_all(
    base: str, token: str, subject_id: int, decks: list[Path]
) -> tuple[list[dict[str, Any]], float]:
    """POST every deck at once (one thread each, spread over source addresses); returns the accepted jobs."""
    results: list[dict[str, Any] | None] = [None] * len(decks)
    errors: list[str] = []

    def one(i: int, path: Path) -> None:
        with api_client(base, token, source=f"127.0.{1 + i % 8}.1", timeout=300) as client:
            with path.open("rb") as fh:
                response = client.post(
                    f"/subjects/{subject_id}/lectures", files={"file": (path.name, fh, "application/pdf")}
                )
            if response.status_code != 202:
                errors.append(f"{path.name}: {response.status_code} {response.text[:200]}")
                return
            results[i] = response.json()

    start = time.monotonic()
    threads = [threading.Thread(target=one, args=(i, p)) for i, p in enumerate(decks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    if errors or any(r is None for r in results):
        raise RuntimeError(f"uploads refused: {errors[:5]}")
    return [r for r in results if r is not None], time.monotonic() - start


def wait_jobs(engine: Engine, stack: Stack, jobs: set[str], timeout: float) -> dict[str, str]:
    deadline = time.monotonic() + timeout
    while True:
        with engine.connect() as conn:
            rows = dict(conn.execute(select(Job.id, Job.status).where(Job.id.in_(jobs))).all())
        if all(status in TERMINAL for status in rows.values()) and len(rows) == len(jobs):
            return {str(k): str(v) for k, v in rows.items()}
        if time.monotonic() > deadline:
            counts = Counter(rows.values())
            raise RuntimeError(f"jobs not finished after {timeout:.0f} s: {dict(counts)}")
        stack.check_alive()
        time.sleep(0.5)


def latency_table(
    samples: list[tuple[str, int, float]], seconds: float, label: str
) -> tuple[str, float, float]:
    """A markdown table of p50/p95/p99 by path and overall; returns (table, overall p95 ms, req/s)."""
    by_path: dict[str, list[float]] = defaultdict(list)
    for path, status, secs in samples:
        if status == 200:
            by_path[path].append(secs)
    everything = [secs for values in by_path.values() for secs in values]
    rows = [
        [
            path,
            str(len(v)),
            f"{percentile(v, 0.5) * 1000:.0f}",
            f"{percentile(v, 0.95) * 1000:.0f}",
            f"{percentile(v, 0.99) * 1000:.0f}",
        ]
        for path, v in sorted(by_path.items())
    ]
    p95 = percentile(everything, 0.95) * 1000
    rows.append(
        [
            "**all**",
            str(len(everything)),
            f"{percentile(everything, 0.5) * 1000:.0f}",
            f"**{p95:.0f}**",
            f"{percentile(everything, 0.99) * 1000:.0f}",
        ]
    )
    header = [f"GET through nginx, {label}", "requests", "p50 ms", "p95 ms", "p99 ms"]
    return table(rows, header), p95, len(samples) / seconds


SECTION = "## Scale-out (`benchmarks/scaleout.py`)"


def write_docs_section(path: Path, section: str) -> None:
    """Append this run's section; an earlier run's section (this script's own) is replaced, nothing else
    in the file is touched."""
    text = path.read_text()
    start = text.find("\n" + SECTION + "\n")
    if start == -1:
        path.write_text(text.rstrip("\n") + "\n" + section)
        return
    end = text.find("\n## ", start + 1)
    rest = text[end:] if end != -1 else ""
    path.write_text(text[:start].rstrip("\n") + "\n" + section + rest)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


# --- the metadata readers (a separate process per group of clients) -------------------------------
def reader_process(
    base: str,
    token: str,
    subject_id: int,
    job_ids: list[str],
    clients: int,
    first: int,
    seconds: float,
    think: float,
    out: Any,
) -> None:
    stop_at = time.monotonic() + seconds
    samples: list[tuple[str, int, float]] = []
    lock = threading.Lock()

    def client_loop(index: int) -> None:
        rng = random.Random(index)
        paths = ["/subjects", f"/lectures?subject_id={subject_id}", "jobs"]
        local: list[tuple[str, int, float]] = []
        with api_client(base, token, source=f"127.0.{1 + index % 8}.{2 + index // 8}", timeout=10) as client:
            turn = rng.randrange(3)
            while time.monotonic() < stop_at:
                path = paths[turn % 3]
                turn += 1
                if path == "jobs":
                    path = f"/jobs/{rng.choice(job_ids)}"
                started = time.perf_counter()
                try:
                    status = client.get(path).status_code
                except httpx.HTTPError:
                    status = 0
                local.append(
                    (path.split("?")[0].rsplit("/", 1)[0] or path, status, time.perf_counter() - started)
                )
                time.sleep(rng.uniform(0.5 * think, 1.5 * think))
        with lock:
            samples.extend(local)

    threads = [threading.Thread(target=client_loop, args=(first + i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 30)
    out.put(samples)


def run_readers(
    base: str, token: str, subject_id: int, job_ids: list[str], clients: int, seconds: float, think: float
) -> list[tuple[str, int, float]]:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    groups = 5
    per = [clients // groups + (1 if i < clients % groups else 0) for i in range(groups)]
    procs = []
    first = 0
    for n in per:
        p = ctx.Process(
            target=reader_process, args=(base, token, subject_id, job_ids, n, first, seconds, think, queue)
        )
        p.start()
        procs.append(p)
        first += n
    samples: list[tuple[str, int, float]] = []
    for _ in procs:
        samples.extend(queue.get(timeout=seconds + 120))
    for p in procs:
        p.join(30)
        if p.is_alive():
            p.kill()
    return samples


# --- phases -----------------------------------------------------------------------------------------
@dataclass
class Phase:
    name: str
    ocr_workers: int
    decks: int
    pages: int
    upload_seconds: float = 0.0
    e2e_seconds: float = 0.0
    ocr_seconds: float = 0.0
    statuses: dict[str, int] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    busy: float = 0.0
    attempt: int = 1

    def cpu_of(self, prefix: str) -> float:
        """CPU seconds of the components whose name starts with ``prefix`` (killed ones included)."""
        return sum(v for k, v in self.cpu.items() if k.removeprefix("killed-").startswith(prefix))

    @property
    def foreign_cores(self) -> float:
        """Cores that processes outside this run took on average during the phase."""
        return self.cpu.get("not this run", 0.0) / self.e2e_seconds if self.e2e_seconds else 0.0

    @property
    def jobs_per_minute(self) -> float:
        return 60 * self.decks / self.e2e_seconds if self.e2e_seconds else 0.0

    @property
    def ocr_jobs_per_minute(self) -> float:
        return 60 * self.decks / self.ocr_seconds if self.ocr_seconds else 0.0


class CpuMeter:
    """CPU seconds per component (process session) and machine busy share over a phase."""

    def __init__(self, sessions: dict[str, int]) -> None:
        self.sessions = sessions
        self.start_cpu = {n: session_cpu(s) for n, s in sessions.items()}
        self.start_self = self._self_cpu()
        self.start_busy = machine_busy()

    @staticmethod
    def _self_cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    def stop(self, phase: Phase) -> None:
        for name, sid in self.sessions.items():
            phase.cpu[name] = round(session_cpu(sid) - self.start_cpu[name], 1)
        phase.cpu["benchmark"] = round(self._self_cpu() - self.start_self, 1)
        busy, total = machine_busy()
        phase.busy = (busy - self.start_busy[0]) / max(1.0, total - self.start_busy[1])
        # CPU the machine spent on processes this run did not start (other users of the machine).
        phase.cpu["not this run"] = round(
            max(0.0, (busy - self.start_busy[0]) / CLK - sum(phase.cpu.values())), 1
        )

    def foreign_cores(self, seconds: float) -> float:
        """Cores used by processes outside this run over the last ``seconds`` since the meter started."""
        busy, _ = machine_busy()
        mine = sum(session_cpu(s) - self.start_cpu[n] for n, s in self.sessions.items())
        mine += self._self_cpu() - self.start_self
        return max(0.0, ((busy - self.start_busy[0]) / CLK - mine) / seconds)


def wait_quiet(stack: Stack, limit: float, threshold: float = 0.3) -> float:
    """Wait (at most ``limit`` s) until processes outside this run use less than ``threshold`` cores:
    this machine may be shared. Returns the last measured foreign load."""
    deadline = time.monotonic() + limit
    while True:
        meter = CpuMeter(sessions_of(stack))
        time.sleep(5)
        foreign = meter.foreign_cores(5)
        if foreign < threshold or time.monotonic() > deadline:
            if foreign >= threshold:
                say(f"other processes still use {foreign:.1f} cores; measuring anyway")
            return foreign
        say(f"other processes use {foreign:.1f} cores; waiting for a quieter machine")


def sessions_of(stack: Stack) -> dict[str, int]:
    found = {p.name: p.pid for p in stack.procs if p.alive() and p.name != "migrate"}
    if stack.pg is not None:
        with contextlib.suppress(OSError, ValueError):
            postmaster = int((stack.pg.datadir / "postmaster.pid").read_text().split()[0])
            stat = proc_stat(postmaster)
            if stat is not None:
                found["postgres"] = int(stat[3])
    return found


def ingest_phase(
    name: str,
    stack: Stack,
    base: str,
    auth: Auth,
    engine: Engine,
    events: EventLog,
    decks: list[Path],
    pages: int,
    ocr_workers: int,
    during: Callable[[int, list[str]], Any] | None = None,
) -> tuple[Phase, list[dict[str, Any]], Any]:
    """Upload ``decks`` at once into a fresh subject and follow their jobs until every one has ended."""
    if not name.startswith("warm"):
        wait_quiet(stack, stack.args.quiet_wait)
    token = auth()
    with api_client(base, token) as client:
        response = client.post("/subjects", json={"name": f"Phase {name} {secrets.token_hex(3)}"})
        response.raise_for_status()
        subject = response.json()
    phase = Phase(name, ocr_workers, len(decks), pages)
    meter = CpuMeter(sessions_of(stack))
    t0, t0_wall = time.monotonic(), datetime.now(UTC)
    accepted, phase.upload_seconds = upload_all(base, token, subject["id"], decks)
    jobs = {a["job"]["id"] for a in accepted}
    extra = during(subject["id"], sorted(jobs)) if during else None
    statuses = wait_jobs(engine, stack, jobs, timeout=stack.args.phase_timeout)
    meter.stop(phase)
    phase.statuses = dict(Counter(statuses.values()))
    time.sleep(1.0)  # the last events
    done_at: dict[str, float] = {}
    handoff_at: dict[str, float] = {}
    for t, event in events.for_jobs(jobs):
        if event.get("status") == "done":
            done_at.setdefault(event["job_id"], t)
        if event.get("stage") == "indexing" and event.get("job_id") not in handoff_at:
            handoff_at[event["job_id"]] = t
    if len(done_at) == len(jobs):
        phase.e2e_seconds = max(done_at.values()) - t0
    else:  # an event was missed: the jobs' own end times
        with engine.connect() as conn:
            last = conn.execute(select(func.max(Job.finished_at)).where(Job.id.in_(jobs))).scalar()
        if last is not None:
            phase.e2e_seconds = (last.replace(tzinfo=last.tzinfo or UTC) - t0_wall).total_seconds()
    if len(handoff_at) == len(jobs):
        phase.ocr_seconds = max(handoff_at.values()) - t0
    say(
        f"phase {name}: {len(jobs)} jobs {phase.statuses} in {phase.e2e_seconds:.1f} s "
        f"({phase.jobs_per_minute:.1f}/min; ocr stage {phase.ocr_jobs_per_minute:.1f}/min), "
        f"machine busy {phase.busy:.0%}"
    )
    return phase, accepted, extra


def measured_phase(
    name: str, stack: Stack, *args: Any, **kwargs: Any
) -> tuple[Phase, list[dict[str, Any]], Any]:
    """An ingestion phase, repeated (on a fresh subject) when other processes on this shared machine took
    more than --max-foreign cores meanwhile: the figures are meant to describe this topology alone. When
    every attempt was disturbed, the least disturbed one is reported (with its load)."""
    tries: list[tuple[Phase, list[dict[str, Any]], Any]] = []
    for attempt in range(1, stack.args.retries + 2):
        phase, accepted, extra = ingest_phase(name, stack, *args, **kwargs)
        phase.attempt = attempt
        if isinstance(extra, tuple) and isinstance(extra[0], threading.Thread):
            extra[0].join(2 * stack.args.read_seconds + 240)
        tries.append((phase, accepted, extra))
        if phase.foreign_cores <= stack.args.max_foreign:
            return tries[-1]
        say(f"phase {name}: other processes took {phase.foreign_cores:.2f} cores meanwhile")
    best = min(tries, key=lambda t: t[0].foreign_cores)
    say(f"phase {name}: reporting try {best[0].attempt}, the least disturbed ({best[0].foreign_cores:.2f})")
    return best


# --- the kill test ----------------------------------------------------------------------------------
def kill_phase(
    stack: Stack,
    base: str,
    auth: Auth,
    engine: Engine,
    events: EventLog,
    decks: list[Path],
    victim: Proc,
    replacement_name: str,
    reference: dict[str, dict[str, int]],
) -> dict[str, Any]:
    app = make_celery(stack.settings)
    token = auth()
    with api_client(base, token) as client:
        response = client.post("/subjects", json={"name": f"Phase C {secrets.token_hex(3)}"})
        response.raise_for_status()
        subject = response.json()
    t0 = time.monotonic()
    accepted, _ = upload_all(base, token, subject["id"], decks)
    jobs = {a["job"]["id"] for a in accepted}
    node = victim.node

    killed_job: str | None = None
    deadline = time.monotonic() + 180
    while killed_job is None and time.monotonic() < deadline:
        active = (app.control.inspect(destination=[node], timeout=1.0).active() or {}).get(node, [])
        for task in active:
            args = task.get("args")
            if isinstance(args, str):
                args = re.findall(r"[0-9a-f-]{36}", args)
            job_id = args[0] if args else None
            if job_id in jobs:
                with engine.connect() as conn:
                    stage = conn.execute(select(Job.stage).where(Job.id == job_id)).scalar() or ""
                match = re.match(r"page (\d+) of (\d+)", stage)
                if match and int(match.group(1)) >= 5:
                    killed_job = job_id
                    break
        time.sleep(0.2)
    if killed_job is None:
        raise RuntimeError(f"{node} was never seen mid-task")
    pids = session_pids(victim.pid)
    with engine.connect() as conn:
        stage_at_kill = conn.execute(select(Job.stage).where(Job.id == killed_job)).scalar()
    os.killpg(victim.pid, signal.SIGKILL)
    t_kill = time.monotonic()
    victim.popen.wait(10)
    victim.name = f"killed-{victim.name}"
    wait_for(lambda: not any(alive(p) for p in pids), 10, "the killed worker's processes to go")
    say(f"SIGKILLed {node} (pids {pids}) while it ran job {killed_job[:8]} at '{stage_at_kill}'")
    replacement = stack.start_worker("ocr", replacement_name)
    stack.wait_workers([replacement.node])
    t_replacement = time.monotonic() - t_kill

    statuses = wait_jobs(
        engine, stack, jobs, timeout=stack.args.visibility_timeout + stack.args.phase_timeout
    )
    t_all = time.monotonic()
    time.sleep(2.0)
    phase_events = events.for_jobs(jobs)
    done_events = Counter(e["job_id"] for _, e in phase_events if e.get("status") == "done")
    restarted = [
        t for t, e in phase_events if e["job_id"] == killed_job and e.get("stage") == "reading" and t > t_kill
    ]
    killed_done = [t for t, e in phase_events if e["job_id"] == killed_job and e.get("status") == "done"]

    checks: dict[str, bool] = {}
    details: dict[str, Any] = {}
    with engine.connect() as conn:
        lectures = conn.execute(
            select(
                Lecture.id,
                Lecture.filename,
                Lecture.status,
                Lecture.page_count,
                Lecture.chunk_count,
                Lecture.figure_count,
            ).where(Lecture.subject_id == subject["id"])
        ).all()
        page_rows = dict(
            conn.execute(
                select(Page.lecture_id, func.count(Page.id))
                .where(Page.lecture_id.in_([r.id for r in lectures]))
                .group_by(Page.lecture_id)
            ).all()
        )
        distinct_pages = dict(
            conn.execute(
                select(Page.lecture_id, func.count(func.distinct(Page.number)))
                .where(Page.lecture_id.in_([r.id for r in lectures]))
                .group_by(Page.lecture_id)
            ).all()
        )
        chunk_rows = dict(
            conn.execute(
                select(Chunk.lecture_id, func.count(Chunk.id))
                .where(Chunk.lecture_id.in_([r.id for r in lectures]))
                .group_by(Chunk.lecture_id)
            ).all()
        )
        figure_rows = dict(
            conn.execute(
                select(Figure.lecture_id, func.count(Figure.id))
                .where(Figure.lecture_id.in_([r.id for r in lectures]))
                .group_by(Figure.lecture_id)
            ).all()
        )
        chunk_total = conn.execute(
            select(func.count()).select_from(Chunk).where(Chunk.lecture_id.in_([r.id for r in lectures]))
        ).scalar()
        chunk_keys = conn.execute(
            text(
                "SELECT count(*) FROM (SELECT DISTINCT lecture_id, page_number, ordinal FROM chunks "
                "WHERE lecture_id = ANY(:ids)) AS k"
            ),
            {"ids": [r.id for r in lectures]},
        ).scalar()
        chunk_ids = {
            int(i)
            for i in conn.execute(
                select(Chunk.id).where(Chunk.lecture_id.in_([r.id for r in lectures]))
            ).scalars()
        }
        attempts = conn.execute(select(Job.attempts).where(Job.id == killed_job)).scalar()
        others_attempts = list(
            conn.execute(select(Job.attempts).where(Job.id.in_(jobs - {killed_job}))).scalars()
        )
        user_id = conn.execute(select(Job.user_id).where(Job.id == killed_job)).scalar()

    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma = chromadb.HttpClient(
        host="127.0.0.1", port=stack.ports["chroma"], settings=ChromaSettings(anonymized_telemetry=False)
    )
    collection = chroma.get_collection(f"u{user_id}-s{subject['id']}")
    vector_ids = {int(i[1:]) for i in collection.get(include=[])["ids"]}

    checks["every job done"] = set(statuses.values()) == {"done"}
    checks["every lecture done"] = {r.status for r in lectures} == {"done"} and len(lectures) == len(decks)
    checks["one `done` event per job"] = all(done_events[j] == 1 for j in jobs)
    checks["pages == deck pages, no duplicates"] = all(
        page_rows.get(r.id) == distinct_pages.get(r.id) == r.page_count == reference[r.filename]["pages"]
        for r in lectures
    )
    checks["chunks unique per (lecture, page, ordinal)"] = chunk_total == chunk_keys
    checks["chunks == uninterrupted run of the same deck"] = all(
        chunk_rows.get(r.id) == r.chunk_count == reference[r.filename]["chunks"] for r in lectures
    )
    checks["figures == uninterrupted run"] = all(
        figure_rows.get(r.id, 0) == r.figure_count == reference[r.filename]["figures"] for r in lectures
    )
    checks["vectors == chunks (ids equal)"] = vector_ids == chunk_ids
    # Each stage start counts an attempt (ocr, then ai): the killed job has one more than the others.
    checks["killed job was redelivered and ran again"] = bool(restarted) and (attempts or 0) > max(
        others_attempts or [0]
    )
    details.update(
        killed_job=killed_job,
        stage_at_kill=stage_at_kill,
        killed_pids=pids,
        attempts=attempts,
        redelivered_after=round(restarted[0] - t_kill, 1) if restarted else None,
        killed_job_done_after=round(killed_done[0] - t_kill, 1) if killed_done else None,
        all_done_after_kill=round(t_all - t_kill, 1),
        phase_seconds=round(t_all - t0, 1),
        replacement_ready_after=round(t_replacement, 1),
        chunks=chunk_total,
        vectors=len(vector_ids),
        done_events=dict(Counter(done_events.values())),
    )
    return {"checks": checks, "details": details}


# --- reporting --------------------------------------------------------------------------------------
def scrape(port: int) -> dict[str, float]:
    """A Prometheus text page, summed by metric name + selected labels."""
    try:
        body = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    except httpx.HTTPError:
        return {}
    values: dict[str, float] = defaultdict(float)
    for line in body.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name_labels, _, value = line.rpartition(" ")
        name = name_labels.split("{", 1)[0]
        task = re.search(r'task="([^"]+)"', name_labels)
        outcome = re.search(r'outcome="([^"]+)"', name_labels)
        key = name + (f"[{task.group(1)}]" if task else "") + (f"[{outcome.group(1)}]" if outcome else "")
        with contextlib.suppress(ValueError):
            values[key] += float(value)
    return dict(values)


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, {platform.system()} {platform.release()}"


def table(rows: list[list[str]], header: list[str]) -> str:
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|",
    ]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def cpu_summary(phase: Phase) -> str:
    groups: dict[str, float] = defaultdict(float)
    for name, secs in phase.cpu.items():
        key = re.sub(r"\d+$", "", name.removeprefix("killed-"))
        groups[key] += secs
    order = sorted(groups.items(), key=lambda kv: -kv[1])
    return ", ".join(f"{k} {v:.0f}" for k, v in order if v >= 1)


# --- main -------------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--decks", type=int, default=40)
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--kill-decks", type=int, default=10)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--read-seconds", type=float, default=60.0, help="how long the readers run")
    parser.add_argument(
        "--app-pause", type=float, default=1.0, help="the app's pause between requests (POLL_SECONDS)"
    )
    parser.add_argument("--think", type=float, default=0.25, help="the faster readers' mean pause")
    parser.add_argument("--visibility-timeout", type=int, default=60)
    parser.add_argument("--phase-timeout", type=float, default=1500.0)
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=600.0,
        help="before each phase, wait up to this long for other processes to leave the CPU alone",
    )
    parser.add_argument(
        "--no-cpu-shares",
        action="store_true",
        help="run the workers at the same CPU weight as the rest (ignore compose's cpu_shares)",
    )
    parser.add_argument(
        "--max-foreign",
        type=float,
        default=0.25,
        help="repeat a phase when other processes took more than this many cores during it",
    )
    parser.add_argument("--retries", type=int, default=2, help="how often a phase may be repeated")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (logs) afterwards")
    parser.add_argument("--write-docs", action="store_true", help="append the results to docs/benchmarks.md")
    args = parser.parse_args()
    for binary in (NGINX_BIN, "redis-server"):
        if not shutil.which(binary):
            raise SystemExit(f"{binary} is not installed")

    workdir = Path(tempfile.mkdtemp(prefix="smartnotes-scaleout-"))
    stack = Stack(workdir, args)
    events: EventLog | None = None
    ok = False
    try:
        say(f"work dir {workdir}; generating {args.decks} decks of {args.pages} pages")
        charts = make_charts(workdir / "charts")
        (workdir / "decks").mkdir()
        decks = [
            make_deck(workdir / "decks" / f"deck{i:03d}.pdf", i, args.pages, charts)
            for i in range(3 * args.decks)
        ]
        warm = [make_deck(workdir / "decks" / f"warm{i}.pdf", 1000 + i, 3, charts) for i in range(4)]

        stack.start_stores()
        stack.migrate()
        gateway_ports = stack.start_gateways(2)
        base = stack.start_nginx(gateway_ports)
        say(f"nginx {base} -> gateways {gateway_ports}")
        ocr1 = stack.start_worker("ocr", "ocr1")
        ai = stack.start_worker("ai", "ai1")
        gen = stack.start_worker("generation", "generation1")
        beat = stack.start_beat()
        stack.wait_workers([ocr1.node, ai.node, gen.node])
        launcher_ocr = worker_command("ocr", node="x")[3:]
        compose_ocr = stack.set_option(stack.compose_command("worker-ocr"), "-n", "x")[1:]
        same_as_launcher = sorted(launcher_ocr) == sorted(compose_ocr)

        email, password = f"scaleout-{secrets.token_hex(4)}@example.com", "scale-out benchmark password"
        with api_client(base) as client:
            client.post("/auth/register", json={"email": email, "password": password}).raise_for_status()
        auth = Auth(base, email, password)
        token = auth()
        engine = create_engine(stack.env["DATABASE_URL"], pool_pre_ping=True)
        with api_client(base, token) as client:
            user_id = int(client.get("/auth/me").json()["id"])
        events = EventLog(stack.env["REDIS_URL"], user_id)

        say("warm-up: models load in each worker on its first task")
        ingest_phase("warm-up", stack, base, auth, engine, events, warm[:2], 3, 1)

        decks_a, decks_b, decks_l = (
            decks[: args.decks],
            decks[args.decks : 2 * args.decks],
            decks[2 * args.decks :],
        )
        say(f"phase A: 1 ocr worker, {args.decks} decks")
        phase_a, accepted_a, _ = measured_phase(
            "A", stack, base, auth, engine, events, decks_a, args.pages, 1
        )

        ocr2 = stack.start_worker("ocr", "ocr2")
        stack.wait_workers([ocr2.node])
        ingest_phase("warm-up 2", stack, base, auth, engine, events, warm[2:], 3, 2)
        say(f"phase B: 2 ocr workers, {args.decks} decks")
        phase_b, _, _ = measured_phase("B", stack, base, auth, engine, events, decks_b, args.pages, 2)

        say(
            f"phase L: 2 ocr workers, {args.decks} decks, "
            f"{args.clients} clients reading for {args.read_seconds:.0f} s"
        )

        def readers(subject_id: int, job_ids: list[str]) -> tuple[threading.Thread, dict[str, Any]]:
            reads: dict[str, Any] = {}

            def run() -> None:
                # First at the app's own pace (it polls once a second while a job runs), then faster.
                for key, pause in (("app", args.app_pause), ("stress", args.think)):
                    reads[key] = run_readers(
                        base, auth(), subject_id, job_ids, args.clients, args.read_seconds, pause
                    )

            thread = threading.Thread(target=run, name="readers")
            thread.start()
            return thread, reads

        phase_l, _, (reader_thread, reads) = measured_phase(
            "L", stack, base, auth, engine, events, decks_l, args.pages, 2, during=readers
        )
        reader_thread.join(2 * args.read_seconds + 240)
        samples: list[tuple[str, int, float]] = reads.get("app", [])
        stress: list[tuple[str, int, float]] = reads.get("stress", [])

        # Reference counts: the same files, processed without interruption in phase A.
        with engine.connect() as conn:
            rows = conn.execute(
                select(Lecture.filename, Lecture.page_count, Lecture.chunk_count, Lecture.figure_count).where(
                    Lecture.id.in_([a["lecture"]["id"] for a in accepted_a])
                )
            ).all()
        reference = {
            r.filename: {"pages": r.page_count, "chunks": r.chunk_count, "figures": r.figure_count}
            for r in rows
        }

        say(f"phase C: {args.kill_decks} decks, SIGKILL ocr1 mid-task, start ocr3")
        kill = kill_phase(
            stack, base, auth, engine, events, decks_a[: args.kill_decks], ocr1, "ocr3", reference
        )

        all_done = Counter(e["job_id"] for _, e in events.events if e.get("status") == "done")
        duplicated_done = [j for j, n in all_done.items() if n > 1]
        time.sleep(2)
        worker_metrics = {name: scrape(port) for name, port in stack.metrics_ports.items() if name != "ocr1"}
        pages_metric = sum(
            m.get("smartnotes_worker_pages_processed_total", 0.0) for m in worker_metrics.values()
        )
        cleanup_runs = worker_metrics.get("generation1", {}).get(
            "smartnotes_worker_task_duration_seconds_count[maintenance.cleanup][success]", 0.0
        )
        health = {
            "worker-ocr": stack.healthcheck("worker-ocr", ocr2.node),
            "worker-ai": stack.healthcheck("worker-ai", ai.node),
            "worker-generation": stack.healthcheck("worker-generation", gen.node),
            "beat": stack.healthcheck("beat", f"beat@{HOST}") and beat.alive(),
        }
        upstreams = Counter(
            addr
            for m in re.finditer(r"upstream=(.*?) urt=", (workdir / "nginx" / "access.log").read_text())
            for addr in m.group(1).replace(" : ", ", ").split(", ")
            if addr not in ("-", "")
        )

        # ---- report ---------------------------------------------------------------------------------
        ratio = phase_b.jobs_per_minute / phase_a.jobs_per_minute if phase_a.jobs_per_minute else 0.0
        ocr_ratio = (
            phase_b.ocr_jobs_per_minute / phase_a.ocr_jobs_per_minute if phase_a.ocr_jobs_per_minute else 0.0
        )
        latency, p95, app_rate = latency_table(
            samples, args.read_seconds, f"at the app's pace ({args.app_pause} s)"
        )
        stress_table, stress_p95, stress_rate = latency_table(
            stress, args.read_seconds, f"4x faster ({args.think} s)"
        )
        failures = sum(1 for s in samples + stress if s[1] != 200)
        throughput_rows = [
            [
                f"{p.name}: {p.ocr_workers} ocr worker{'s' if p.ocr_workers > 1 else ''}"
                + (" + readers" if p.name == "L" else ""),
                f"{p.decks} x {p.pages}",
                f"{p.upload_seconds:.1f}",
                f"{p.e2e_seconds:.1f}",
                f"**{p.jobs_per_minute:.1f}**",
                f"{p.ocr_jobs_per_minute:.1f}",
                f"{p.decks * p.pages / p.e2e_seconds:.1f}" if p.e2e_seconds else "-",
                f"{p.busy:.0%}",
                f"{p.foreign_cores:.2f}" + (f" (try {p.attempt})" if p.attempt > 1 else ""),
                cpu_summary(p),
            ]
            for p in (phase_a, phase_b, phase_l)
        ]
        throughput = table(
            throughput_rows,
            [
                "phase",
                "decks x pages",
                "upload s",
                "all done s",
                "jobs/min",
                "OCR-stage jobs/min",
                "pages/s",
                "CPU busy",
                "other load, cores",
                "CPU seconds by process",
            ],
        )
        d = kill["details"]
        checks = kill["checks"]
        kill_rows = [[name, "yes" if passed else "**NO**"] for name, passed in checks.items()]
        kill_rows.append(
            ["no job announced `done` twice in the whole run", "yes" if not duplicated_done else "**NO**"]
        )
        kill_table = table(kill_rows, ["check after SIGKILL (phase C)", "passed"])
        targets = table(
            [
                [
                    "jobs/min, 2 ocr workers vs 1 (end to end)",
                    ">= 1.6x",
                    f"{ratio:.2f}x",
                    "yes" if ratio >= 1.6 else "no",
                ],
                ["jobs/min, 2 vs 1, OCR stage only", "-", f"{ocr_ratio:.2f}x", "-"],
                [
                    f"metadata read p95, {args.clients} clients at the app's pace, while ingesting",
                    "< 150 ms",
                    f"{p95:.0f} ms ({app_rate:.0f} req/s)",
                    "yes" if p95 < 150 else "no",
                ],
                [
                    f"the same, {args.clients} clients 4x faster",
                    "-",
                    f"{stress_p95:.0f} ms ({stress_rate:.0f} req/s)",
                    "-",
                ],
                [
                    "SIGKILL of an ocr worker loses no job, duplicates nothing",
                    "all checks",
                    f"{sum(checks.values())}/{len(checks)}",
                    "yes" if all(checks.values()) and not duplicated_done else "no",
                ],
            ],
            ["target", "wanted", "measured", "met"],
        )
        recovery = (
            f"ocr1 was SIGKILLed (process group, pids {d['killed_pids']}) at `{d['stage_at_kill']}` of job "
            f"{d['killed_job'][:8]}; replacement ocr3 answered ping after {d['replacement_ready_after']} s; "
            f"the job was redelivered after {d['redelivered_after']} s (visibility timeout "
            f"{args.visibility_timeout} s, counted from the delivery; every worker sweeps every 10 s), done "
            f"{d['killed_job_done_after']} s after the kill (attempts {d['attempts']}); all "
            f"{args.kill_decks} jobs done {d['all_done_after_kill']} s after the kill; {d['chunks']} chunks, "
            f"{d['vectors']} vectors."
        )
        cores_a = phase_a.cpu_of("ocr") / phase_a.e2e_seconds if phase_a.e2e_seconds else 0.0
        cores_b = phase_b.cpu_of("ocr") / phase_b.e2e_seconds if phase_b.e2e_seconds else 0.0
        per_deck_a, per_deck_b = phase_a.cpu_of("ocr") / phase_a.decks, phase_b.cpu_of("ocr") / phase_b.decks
        ai_b = phase_b.cpu_of("ai") / phase_b.e2e_seconds if phase_b.e2e_seconds else 0.0
        scaling = (
            f"Where the ratio comes from: the ocr workers obtained {cores_a:.2f} cores in A and "
            f"{cores_b:.2f} in B ({cores_b / cores_a if cores_a else 0:.2f}x), and a deck cost "
            f"{per_deck_a:.1f} ocr CPU seconds in A and {per_deck_b:.1f} in B; in B the ai worker took "
            f"{ai_b:.2f} cores and the machine was {phase_b.busy:.0%} busy."
        )
        extras = (
            f"Readers: {args.clients} clients (threads in 5 processes; each pauses the given time +-50 % "
            f"between requests, cycling GET /subjects, /lectures?subject_id=, /jobs/{{id}}; source addresses "
            f"spread over 127.0.1-8.x so nginx's ip_hash uses both gateways), {args.read_seconds:.0f} s per "
            f"pace, {failures} answers not 200. The app's pace is frontend/jobs.py's POLL_SECONDS (1 s). "
            f"nginx upstreams over the run: "
            + ", ".join(f"{k} {v}" for k, v in sorted(upstreams.items()))
            + f". Worker metrics scraped after the run: {pages_metric:.0f} pages processed by the live "
            f"ocr workers (ocr1's counters died with it), maintenance.cleanup ran {cleanup_runs:.0f} times "
            f"(beat every 60 s). Compose healthchecks run against the local nodes: "
            + ", ".join(f"{k} {'ok' if v else 'FAILED'}" for k, v in health.items())
            + ". The ocr worker command is the one of smartnotes_tools.launcher.worker_command: "
            + ("yes." if same_as_launcher else "no.")
            + (
                " Workers ran without compose's lower CPU weight (--no-cpu-shares)."
                if args.no_cpu_shares
                else " Workers ran at compose's `cpu_shares: 256` (each worker's autogroup at nice 6, "
                "weight 272 of 1024), the gateways, stores and nginx at the default weight."
            )
        )
        print()
        print(targets)
        print()
        print(throughput)
        print()
        print(scaling)
        print()
        print(latency)
        print()
        print(stress_table)
        print()
        print(kill_table)
        print()
        print(recovery)
        print()
        print(extras)
        result_json = workdir / "results.json"
        result_json.write_text(
            json.dumps(
                {
                    "phases": [
                        p.__dict__ | {"jobs_per_minute": p.jobs_per_minute}
                        for p in (phase_a, phase_b, phase_l)
                    ],
                    "ratio": ratio,
                    "p95_ms": {"app_pace": p95, "stress": stress_p95},
                    "req_per_s": {"app_pace": app_rate, "stress": stress_rate},
                    "kill": kill,
                    "health": health,
                    "upstreams": upstreams,
                    "worker_metrics": worker_metrics,
                },
                indent=2,
                default=str,
            )
        )
        if args.write_docs:
            section = f"""
## Scale-out (`benchmarks/scaleout.py`)

The docker-compose topology as separate local processes, every command read from `docker-compose.yml`:
PostgreSQL 15, redis-server (AOF), a Chroma server, the migration job, two gateways behind nginx (config
generated from `nginx/nginx.conf`), ocr workers (`--concurrency 1`, `SMARTNOTES_OCR_PARALLEL_PAGES=1`,
`OMP_THREAD_LIMIT=1`: one core each), one ai and one generation worker, and celery beat. Decks are generated:
text-layer PDFs of {args.pages} pages with a chart on every third page. Uploads go through nginx, all at
once. "CPU seconds by process" adds up each component's processes; "not this run" is what the machine
spent on other processes meanwhile (it is shared; each phase first waits for it to be quiet).

    .venv/bin/python benchmarks/scaleout.py --write-docs

Run of {datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")} on {machine()}; the PostgreSQL cluster runs
with fsync off (a throwaway). Everything shares these {os.cpu_count()} cores: workers, gateways, stores,
nginx and the load generator.

{targets}

{throughput}

{scaling}

Phase L: the same ingestion while {args.clients} clients read metadata through nginx, first
{args.read_seconds:.0f} s at the app's pace, then {args.read_seconds:.0f} s four times faster:

{latency}

{stress_table}

{extras}

{kill_table}

{recovery}
"""
            write_docs_section(ROOT / "docs" / "benchmarks.md", section)
            say("wrote the results to docs/benchmarks.md")
        say(f"details in {result_json}")
        ok = all(checks.values()) and not duplicated_done
        return 0 if ok else 1
    except BaseException:
        for proc in stack.procs:
            if not proc.alive() and proc.name not in ("migrate",) and not proc.name.startswith("killed-"):
                say(f"{proc.name} exited ({proc.popen.returncode}); its log ends:\n{proc.tail(2000)}")
        raise
    finally:
        if events is not None:
            events.close()
        say("stopping everything")
        stack.close()
        if args.keep or not ok:
            say(f"logs kept in {workdir / 'logs'}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
