"""The scale-out benchmark's processes: the docker-compose topology as local process groups (Stack),
the /proc readings of their CPU time. Part of benchmarks/scaleout.py."""

from __future__ import annotations

import argparse
import math
import os
import pwd
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))  # its sibling modules (a site package is called benchmarks)

import httpx  # noqa: E402
import yaml  # noqa: E402

from shared.celery_app import make_celery  # noqa: E402
from shared.settings import Settings  # noqa: E402
from smartnotes_tools.devstack import (  # noqa: E402
    PostgresServer,
    chroma_env,
    chroma_server_command,
    free_port,
    redis_answers,
    redis_server_command,
    start_group,
    stop_group,
    wait_for,
    wait_for_chroma,
)

COMPOSE = ROOT / "docker-compose.yml"
NGINX_CONF = ROOT / "nginx" / "nginx.conf"
NGINX_BIN = "/usr/sbin/nginx"
HOST = socket.gethostname()
TERMINAL = ("done", "failed", "cancelled")
CLK = os.sysconf("SC_CLK_TCK")


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
        # its own process group: stopped (or killed) as a whole
        popen = start_group(cmd, cwd=ROOT, env=env or self.env, log=log)
        proc = Proc(name, popen, log)
        self.procs.append(proc)
        return proc

    def stop(self, proc: Proc, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
        stop_group(proc.popen, sig, timeout)

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
        cmd = self.compose_command("redis")  # redis-server --appendonly yes --save "60 1"
        self.start(
            "redis",
            redis_server_command(self.ports["redis"], self.dir / "redis", cmd[1:]),
            env=dict(os.environ),
        )
        redis_url = f"redis://127.0.0.1:{self.ports['redis']}/0"
        wait_for(lambda: redis_answers(redis_url), 20, "redis-server")
        self.ports["chroma"] = free_port()
        self.start(
            "chroma", chroma_server_command(self.ports["chroma"], self.dir / "chroma"), env=chroma_env()
        )
        chroma_url = f"http://127.0.0.1:{self.ports['chroma']}"
        wait_for_chroma(chroma_url)
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
