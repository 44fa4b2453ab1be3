"""The deployment files agree with the code: docker-compose.yml, the Dockerfiles, nginx, Prometheus.

Docker is not needed: the compose file is parsed, every command is traced back to a module / queue /
setting that exists, and nginx/nginx.conf is checked with the real `nginx -t` (Debian's nginx, installed by
`make setup-test`). nginx resolves upstream hostnames during the check and `gateway` / `frontend` only
exist inside the compose network, so the check runs on a copy where they are replaced by 127.0.0.1 (and
the cache / certificate paths point into a temporary directory).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import re
import secrets
import shlex
import shutil
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest
import yaml
from fastapi import FastAPI
from starlette.routing import Match

from shared.celery_app import QUEUES
from shared.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
NGINX_CONF = ROOT / "nginx" / "nginx.conf"
NGINX_BIN = Path("/usr/sbin/nginx")
PACKAGES = ("shared", "gateway", "workers", "frontend", "gateway_client", "smartnotes_tools")

REQUIRED_SERVICES = {
    "nginx",
    "frontend",
    "gateway",
    "migrate",
    "worker-ocr",
    "worker-ai",
    "worker-generation",
    "redis",
    "postgres",
    "chroma",
    "ollama",
    "ollama-pull",
    "flower",
    "prometheus",
    "beat",
}
ONE_SHOT = {"migrate", "ollama-pull"}
WORKERS = {"worker-ocr", "worker-ai", "worker-generation"}
APP_SERVICES = {"gateway", "migrate", "beat", *WORKERS}
SCALABLE = {"gateway", "frontend", *WORKERS}
REPLICAS = {"gateway": 2, "frontend": 2}
PLAIN_SETTINGS_ENV = {"DATABASE_URL", "REDIS_URL", "CHROMA_URL", "OLLAMA_HOST"}
DATA_VOLUME = "smartnotes-data"
DATA_MOUNT = "/app/data"
SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN|_KEY$|AUTH", re.IGNORECASE)
INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


class _Defaults:
    """The settings' declared defaults (not whatever the test process's environment says)."""

    def __getattr__(self, name: str) -> Any:
        return Settings.model_fields[name].default


DEFAULTS = _Defaults()


# -- helpers ---------------------------------------------------------------------------------------


def load_compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(data, dict) and isinstance(data.get("services"), dict), "no services in compose file"
    return data


COMPOSE = load_compose()
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]


def command(name: str) -> list[str]:
    cmd = SERVICES[name].get("command")
    assert cmd, f"{name}: no command"
    return shlex.split(cmd) if isinstance(cmd, str) else [str(part) for part in cmd]


def option(cmd: list[str], flag: str) -> str:
    assert flag in cmd, f"{flag} missing from {cmd}"
    index = cmd.index(flag)
    assert index + 1 < len(cmd), f"{flag} has no value in {cmd}"
    return cmd[index + 1]


def environment(name: str) -> dict[str, str]:
    env = SERVICES[name].get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(k): "" if v is None else str(v) for k, v in env.items()}


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's `${VAR}`, `${VAR:-default}` and `${VAR:?error}` (plus `$$`), against `env` only."""

    def one(match: re.Match[str]) -> str:
        var, op, arg = match.group(1), match.group(2), match.group(3)
        current = env.get(var)
        if op in (":-", "-"):
            return current if current not in (None, "") or (op == "-" and current is not None) else arg
        if op in (":?", "?"):
            assert current, f"compose would refuse to start: {var} is required ({arg})"
            return current
        return current or ""

    return INTERPOLATION.sub(one, value).replace("$$", "$")


def referenced_variables() -> dict[str, str | None]:
    """Every variable the compose file interpolates, with its operator (":?", ":-", ... or None)."""
    found: dict[str, str | None] = {}
    for value in yaml_strings(yaml.safe_load(COMPOSE_FILE.read_text())):
        for match in INTERPOLATION.finditer(value):
            found.setdefault(match.group(1), match.group(2))
    return found


def yaml_strings(node: Any) -> list[str]:
    """Every string of a parsed YAML document, keys and values, in document order."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in yaml_strings(k) + yaml_strings(v)]
    if isinstance(node, list):
        return [s for item in node for s in yaml_strings(item)]
    return []


def depends_on(name: str) -> dict[str, dict[str, Any]]:
    deps = SERVICES[name].get("depends_on") or {}
    assert isinstance(deps, dict), f"{name}: depends_on must use the long form with a condition"
    return deps


def setting_fields() -> set[str]:
    return set(Settings.model_fields)


def env_read_directly() -> set[str]:
    """SMARTNOTES_* names the code reads with os.environ / os.getenv rather than through Settings."""
    pattern = re.compile(
        r"os\.(?:environ\.get\(|environ\.setdefault\(|environ\[|getenv\()\s*[\"'](SMARTNOTES_[A-Z0-9_]+)[\"']"
    )
    names: set[str] = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            names.update(pattern.findall(path.read_text(encoding="utf-8")))
    return names


def valid_app_env_name(name: str) -> bool:
    if name in PLAIN_SETTINGS_ENV:
        return True
    if name.startswith("SMARTNOTES_"):
        return name.removeprefix("SMARTNOTES_").lower() in setting_fields() or name in env_read_directly()
    return False


def module_file(module: str) -> Path:
    return ROOT / (module.replace(".", "/") + ".py")


def top_level_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def serves(app: FastAPI, path: str, *, method: str = "GET", kind: str = "http") -> bool:
    """Whether one of the app's routes (create_app().routes, included routers too) takes this request."""
    scope = {"type": kind, "path": path, "method": method, "root_path": "", "headers": [], "app": app}
    return any(route.matches(scope)[0] == Match.FULL for route in app.router.routes)


def gateway_app() -> FastAPI:
    """The app the compose `gateway` command builds (uvicorn --factory gateway.app:create_app); its
    routes and OpenAPI document are built without the lifespan (no database, Redis or Chroma)."""
    from gateway.app import create_app

    return create_app(
        Settings(_env_file=None, environment="test", secret_key="x" * 40), start_background=False
    )


def http_port(url: str) -> tuple[str, int]:
    parsed = urlparse(url)
    assert parsed.hostname and parsed.port, f"{url}: host and port expected"
    return parsed.hostname, parsed.port


# -- Dockerfiles -----------------------------------------------------------------------------------


def dockerfile_instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    logical: list[str] = []
    buffer = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not buffer and (not line or line.startswith("#")):
            continue
        if buffer and line.startswith("#"):
            continue
        if line.endswith("\\"):
            buffer += line[:-1] + " "
            continue
        logical.append(buffer + line)
        buffer = ""
    assert not buffer, f"{path}: dangling line continuation"
    result = []
    for line in logical:
        keyword, _, rest = line.partition(" ")
        result.append((keyword.upper(), rest.strip()))
    return result


CPU_TORCH_INDEX = "https://download.pytorch.org/whl/cpu"


def dockerfile_args(path: Path) -> dict[str, str]:
    """The defaults of the Dockerfile's ARG instructions (an ARG without one maps to "")."""
    found: dict[str, str] = {}
    for keyword, args in dockerfile_instructions(path):
        if keyword == "ARG":
            name, _, default = args.partition("=")
            found[name.strip()] = default.strip().strip('"')
    return found


def final_stage(instructions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The instructions of the last build stage (what the image is made of)."""
    last = max(i for i, (k, _) in enumerate(instructions) if k == "FROM")
    return instructions[last:]


def installed_groups(path: Path) -> set[str]:
    """Which pyproject lists the image's requirements come from: 'core' and the extras it adds."""
    text = " ".join(a for k, a in final_stage(dockerfile_instructions(path)) if k == "RUN")
    groups = {"core"} if "['project']['dependencies']" in text or "p['dependencies']" in text else set()
    groups.update(re.findall(r"\['optional-dependencies'\]\['(\w+)'\]", text))
    return groups


def service_dockerfile(name: str) -> Path:
    build = SERVICES[name]["build"]
    context = ROOT / (build if isinstance(build, str) else build.get("context", "."))
    dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
    return context / dockerfile


def built_services() -> list[str]:
    return [name for name, svc in SERVICES.items() if "build" in svc]


def copied_packages(instructions: list[tuple[str, str]]) -> set[str]:
    copied = set()
    for keyword, args in instructions:
        if keyword == "COPY":
            parts = [p for p in args.split() if not p.startswith("--")]
            copied.update(p.rstrip("/") for p in parts[:-1] if p.rstrip("/") in PACKAGES)
    return copied


def imported_packages(package: str) -> set[str]:
    found: set[str] = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found & set(PACKAGES)


# -- nginx -----------------------------------------------------------------------------------------


@dataclass
class Directive:
    name: str
    args: list[str]
    block: list[Directive] | None = None

    def all(self, name: str) -> list[Directive]:
        return [d for d in self.block or [] if d.name == name]

    def one(self, name: str) -> Directive:
        found = self.all(name)
        assert len(found) == 1, f"expected one {name!r} in {self.name} {self.args}, found {len(found)}"
        return found[0]


def nginx_tokens(text: str) -> list[tuple[str, bool]]:
    """(token, was_quoted); comments dropped."""
    tokens: list[tuple[str, bool]] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
        elif c == "#":
            end = text.find("\n", i)
            i = len(text) if end == -1 else end
        elif c in "{};":
            tokens.append((c, False))
            i += 1
        elif c in "\"'":
            j = i + 1
            while j < len(text) and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            assert j < len(text), "unterminated quote in nginx config"
            tokens.append((text[i + 1 : j], True))
            i = j + 1
        else:
            j = i
            while j < len(text) and not text[j].isspace() and text[j] not in "{};":
                j += 1
            tokens.append((text[i:j], False))
            i = j
    return tokens


def parse_nginx(text: str) -> Directive:
    tokens = nginx_tokens(text)

    def block(pos: int) -> tuple[list[Directive], int]:
        items: list[Directive] = []
        current: list[str] = []
        while pos < len(tokens):
            token, quoted = tokens[pos]
            pos += 1
            if quoted or token not in "{};":
                current.append(token)
            elif token == ";":
                assert current, "empty nginx directive"
                items.append(Directive(current[0], current[1:]))
                current = []
            elif token == "{":
                children, pos = block(pos)
                items.append(Directive(current[0], current[1:], children))
                current = []
            else:
                assert not current, f"directive {current} not terminated"
                return items, pos
        assert not current, f"directive {current} not terminated"
        return items, pos

    items, _ = block(0)
    return Directive("main", [], items)


NGINX_TEXT = NGINX_CONF.read_text()
NGINX = parse_nginx(NGINX_TEXT)
HTTP = NGINX.one("http")
UPSTREAMS = {d.args[0]: d for d in HTTP.all("upstream")}


def public_server() -> Directive:
    servers = [s for s in HTTP.all("server") if any(d.args[0] in ("80", "*:80") for d in s.all("listen"))]
    assert len(servers) == 1, "expected exactly one server listening on port 80"
    return servers[0]


def location_for(path: str) -> Directive:
    """nginx's choice among exact and prefix locations (the config uses no regex locations)."""
    locations = public_server().all("location")
    assert all(loc.args[0] not in ("~", "~*") for loc in locations), "regex locations are not modelled"
    for loc in locations:
        if loc.args[0] == "=" and loc.args[1] == path:
            return loc
    prefixes = [loc for loc in locations if loc.args[0] != "=" and path.startswith(loc.args[-1])]
    assert prefixes, f"no location matches {path}"
    return max(prefixes, key=lambda loc: len(loc.args[-1]))


def upstream_of(loc: Directive) -> Directive:
    target = loc.one("proxy_pass").args[0]
    assert target.startswith("http://"), target
    name = target.removeprefix("http://").rstrip("/")
    assert name in UPSTREAMS, f"proxy_pass {target} is not one of the upstreams {sorted(UPSTREAMS)}"
    return UPSTREAMS[name]


def upstream_servers(upstream: Directive) -> set[str]:
    return {d.args[0] for d in upstream.all("server")}


def headers(loc: Directive) -> dict[str, str]:
    return {d.args[0].lower(): d.args[1] for d in loc.all("proxy_set_header")}


def run_nginx_t(conf_text: str, tmp_path: Path) -> None:
    assert NGINX_BIN.exists(), (
        f"{NGINX_BIN} not found: the deployment test needs Debian's nginx (`make setup-test` installs it, "
        "or apt-get install nginx)"
    )
    conf_text = re.sub(r"(?m)^(\s*server\s+)[A-Za-z][\w.-]*(:\d+)", r"\g<1>127.0.0.1\g<2>", conf_text)
    conf_text = re.sub(r"(proxy_cache_path\s+)\S+", rf"\g<1>{tmp_path}/proxy-cache", conf_text)
    conf = tmp_path / "nginx.conf"
    conf.write_text(conf_text)
    proc = subprocess.run(
        [str(NGINX_BIN), "-t", "-c", str(conf), "-p", f"{tmp_path}/", "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, f"nginx -t failed:\n{proc.stdout}{proc.stderr}"
    assert "test is successful" in proc.stderr


# == compose: services =============================================================================


def test_every_required_service_is_defined() -> None:
    assert set(SERVICES) >= REQUIRED_SERVICES, sorted(REQUIRED_SERVICES - set(SERVICES))


def test_scalable_services_have_no_fixed_names_or_host_ports() -> None:
    for name, svc in SERVICES.items():
        assert "container_name" not in svc, f"{name}: container_name prevents --scale"
    for name in SCALABLE:
        assert "ports" not in SERVICES[name], f"{name}: host ports prevent --scale; nginx is the entry point"


def test_replicas() -> None:
    for name, replicas in REPLICAS.items():
        assert SERVICES[name].get("deploy", {}).get("replicas") == replicas, name


def test_only_nginx_is_public_and_monitoring_stays_on_localhost() -> None:
    nginx_ports = {str(p) for p in SERVICES["nginx"]["ports"]}
    assert {"80:80", "443:443"} <= nginx_ports
    for name, svc in SERVICES.items():
        if name == "nginx":
            continue
        for port in svc.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} beyond localhost"


def test_long_running_services_have_healthchecks_and_one_shots_do_not_restart() -> None:
    for name, svc in SERVICES.items():
        if name in ONE_SHOT:
            assert svc.get("restart") == "no", f"{name}: a one-shot must not be restarted"
            continue
        test = svc.get("healthcheck", {}).get("test")
        assert test and test != ["NONE"], f"{name}: no healthcheck"
        assert svc.get("restart") in ("unless-stopped", "always"), f"{name}: restart policy"


def test_depends_on_waits_for_health_or_completion() -> None:
    for name in SERVICES:
        for target, spec in depends_on(name).items():
            assert target in SERVICES, f"{name} depends on unknown service {target}"
            expected = "service_completed_successfully" if target in ONE_SHOT else "service_healthy"
            assert spec.get("condition") == expected, f"{name} -> {target}: condition {spec.get('condition')}"
            if expected == "service_healthy":
                assert SERVICES[target].get("healthcheck"), f"{target} has no healthcheck to wait for"


def test_services_that_use_the_stores_wait_for_them() -> None:
    for name in SERVICES:
        env = environment(name)
        deps = depends_on(name)
        if "DATABASE_URL" in env:
            assert deps.get("postgres", {}).get("condition") == "service_healthy", name
        if "REDIS_URL" in env and name not in ONE_SHOT:  # the migration job never touches Redis
            assert deps.get("redis", {}).get("condition") == "service_healthy", name
        if name != "migrate" and name in APP_SERVICES:
            assert deps.get("migrate", {}).get("condition") == "service_completed_successfully", name


# == compose: commands trace back to code ==========================================================


def test_gateway_command_points_at_the_app_factory_on_the_settings_port() -> None:
    cmd = command("gateway")
    assert cmd[0] == "uvicorn" and "--factory" in cmd
    target = next(part for part in cmd if re.fullmatch(r"[\w.]+:\w+", part))
    module, attr = target.split(":")
    assert module == "gateway.app", target
    factory = getattr(importlib.import_module(module), attr)
    assert callable(factory) and inspect.signature(factory).parameters == {}, f"{target}: not a factory"
    assert factory.__annotations__.get("return") in (FastAPI, "FastAPI"), f"{target} does not build the app"
    assert int(option(cmd, "--port")) == DEFAULTS.api_port == 8000
    assert option(cmd, "--host") == "0.0.0.0"
    # nginx and the frontend set X-Forwarded-For; the gateway believes it from its own network only
    # (SMARTNOTES_TRUSTED_PROXIES, applied by gateway/proxies.py), never through uvicorn's '*'.
    assert "--no-proxy-headers" in cmd and "--forwarded-allow-ips" not in cmd
    trusted = environment("gateway")["SMARTNOTES_TRUSTED_PROXIES"]
    subnet = COMPOSE["networks"]["default"]["ipam"]["config"][0]["subnet"]
    assert trusted == "${SMARTNOTES_TRUSTED_PROXIES:-" + subnet + "}"
    health = " ".join(SERVICES["gateway"]["healthcheck"]["test"])
    assert f"127.0.0.1:{DEFAULTS.api_port}/health" in health


def test_gateway_serves_the_paths_nginx_and_prometheus_rely_on() -> None:
    app = gateway_app()
    for path in ("/health", "/ready", "/metrics"):
        assert serves(app, path), path
    assert not serves(app, "/health", method="POST") and not serves(app, "/nowhere")  # the check can fail
    assert serves(app, "/api/v1/ws", kind="websocket") and not serves(app, "/api/v1/nows", kind="websocket")
    assert app.docs_url == "/docs" and app.openapi_url == "/openapi.json"
    paths = app.openapi()["paths"]
    assert {"/health", "/ready", "/metrics"} <= set(paths) and "get" in paths["/health"]
    assert "post" in paths["/api/v1/subjects/{subject_id}/lectures"]  # the upload nginx lets through


def test_migrate_runs_the_real_migration_entry_point() -> None:
    cmd = " ".join(command("migrate"))
    assert "from shared.db import run_migrations" in cmd and "run_migrations(Settings())" in cmd
    from shared import db, settings

    assert callable(db.run_migrations) and isinstance(settings.Settings(_env_file=None), settings.Settings)


@pytest.mark.parametrize("name", sorted(WORKERS))
def test_worker_command_names_an_existing_bootstrap_and_queue(name: str) -> None:
    cmd = command(name)
    assert cmd[:1] == ["celery"] and "worker" in cmd
    module = option(cmd, "-A")
    assert module_file(module).exists(), f"{name}: {module} does not exist"
    assert {"app", "celery"} & top_level_names(module_file(module)), f"{module} defines no Celery app"
    queue = option(cmd, "-Q")
    assert queue in QUEUES, f"{name}: queue {queue} is not one of {QUEUES}"
    assert module == f"workers.{queue}.worker", f"{name}: queue {queue} served by {module}"
    assert name == f"worker-{queue}"
    assert option(cmd, "-n") == f"{queue}@%h"
    # the pool of `make run` (smartnotes_tools.launcher.WORKER_POOL): one process per ocr/generation
    # container,
    # threads for ai (one copy of the models, chat beside indexing)
    from smartnotes_tools.launcher import WORKER_POOL

    pool = WORKER_POOL[queue]
    assert option(cmd, "--concurrency") == option(pool, "--concurrency")

    def pool_kind(args: list[str]) -> str:
        return option(args, "-P") if "-P" in args else "prefork"

    assert pool_kind(cmd) == pool_kind(pool)
    health = " ".join(SERVICES[name]["healthcheck"]["test"])
    assert f"-A {module} inspect ping" in health and f"-d {queue}@$HOSTNAME" in health.replace("$$", "$")


def test_beat_sends_the_maintenance_schedule_from_one_replica() -> None:
    from shared.celery_app import (
        TASK_MAINTENANCE_CLEANUP,
        TASK_OPTIMIZE_FSRS_ALL,
        TASK_QUEUES,
        beat_schedule,
        make_celery,
    )
    from workers.runtime.maintenance import register_maintenance_task

    cmd = command("beat")
    assert cmd[:1] == ["celery"] and "beat" in cmd
    module = option(cmd, "-A")
    assert module == "workers.beat" and module_file(module).exists()
    assert {"app", "celery"} & top_level_names(module_file(module)), f"{module} defines no Celery app"
    assert SERVICES["beat"].get("deploy", {}).get("replicas", 1) == 1, "a second beat sends every task twice"
    assert "--enable-remote-control" in cmd and option(cmd, "--hostname") == "beat@%h"
    health = " ".join(SERVICES["beat"]["healthcheck"]["test"]).replace("$$", "$")
    assert f"-A {module} inspect ping" in health and "-d beat@$HOSTNAME" in health
    assert not SERVICES["beat"].get("ports")
    # The schedule names the maintenance task (and the weekly FSRS re-fit), and the worker of its queue
    # registers it.
    schedule = beat_schedule(Settings(_env_file=None))  # type: ignore[call-arg]
    assert {entry["task"] for entry in schedule.values()} == {
        TASK_MAINTENANCE_CLEANUP,
        TASK_OPTIMIZE_FSRS_ALL,
    }
    queue = TASK_QUEUES[TASK_MAINTENANCE_CLEANUP]
    assert f"worker-{queue}" in SERVICES, f"no worker consumes the {queue} queue"
    app = make_celery(Settings(_env_file=None))  # type: ignore[call-arg]
    register_maintenance_task(app, lambda: pytest.fail("registering must not build the context"))
    assert TASK_MAINTENANCE_CLEANUP in app.tasks


def test_workers_serve_metrics_and_prometheus_scrapes_every_replica() -> None:
    mounts = [str(v) for v in SERVICES["prometheus"]["volumes"]]
    source = next(m.split(":")[0] for m in mounts if m.split(":")[1] == "/etc/prometheus/prometheus.yml")
    jobs = {job["job_name"]: job for job in yaml.safe_load((ROOT / source).read_text())["scrape_configs"]}
    for name in sorted(WORKERS):
        port = int(environment(name)["SMARTNOTES_WORKER_METRICS_PORT"])
        assert 0 < port < 65536, name
        assert Settings.model_fields["worker_metrics_port"].default == 0, "metrics must stay off by default"
        assert name in jobs, f"prometheus does not scrape {name}"
        discovery = jobs[name]["dns_sd_configs"][0]
        assert discovery["names"] == [name] and discovery["type"] == "A", name
        assert discovery["port"] == port, f"{name}: scraped on {discovery['port']}, served on {port}"


def test_workers_yield_the_cpu_to_the_gateway_and_the_stores() -> None:
    # Docker's default CPU weight is 1024; batch workers get less, so the API stays responsive when an
    # ingestion saturates the host (benchmarks/scaleout.py measures it with the same weights).
    for name in sorted(WORKERS):
        assert 0 < int(SERVICES[name].get("cpu_shares", 1024)) < 1024, name
    for name in ("gateway", "nginx", "postgres", "redis", "chroma"):
        assert int(SERVICES[name].get("cpu_shares", 1024)) >= 1024, name


def test_every_queue_has_a_worker_service() -> None:
    assert {option(command(name), "-Q") for name in WORKERS} == set(QUEUES)


def app_client_url(script: str, api_url: str) -> str:
    """The address the Streamlit app (run as the compose command runs it) builds its gateway client for,
    with SMARTNOTES_API_URL set as compose sets it."""
    from streamlit.testing.v1 import AppTest

    from gateway_client import GatewayClient

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no gateway in this test", request=request)

    seen: list[str] = []

    def factory(url: str) -> GatewayClient:
        seen.append(url)
        return GatewayClient(url, transport=httpx.MockTransport(refuse))

    with pytest.MonkeyPatch.context() as env:
        env.setenv("SMARTNOTES_API_URL", api_url)
        at = AppTest.from_file(str(ROOT / script), default_timeout=10)
        at.session_state["client_factory"] = factory
        at.run()
    assert not at.exception, at.exception
    assert len(set(seen)) == 1, seen
    return seen[0]


def test_frontend_command_runs_the_app_and_reaches_the_gateway() -> None:
    cmd = command("frontend")
    assert cmd[:2] == ["streamlit", "run"]
    assert (ROOT / cmd[2]).is_file(), cmd[2]
    assert int(option(cmd, "--server.port")) == DEFAULTS.frontend_port == 8501
    assert option(cmd, "--server.address") == "0.0.0.0"
    assert option(cmd, "--server.headless") == "true"
    assert option(cmd, "--browser.gatherUsageStats") == "false"
    assert int(option(cmd, "--server.maxUploadSize")) == DEFAULTS.max_upload_mb
    api_url = environment("frontend")["SMARTNOTES_API_URL"]
    assert http_port(api_url) == ("gateway", DEFAULTS.api_port)
    assert app_client_url(cmd[2], api_url) == api_url, "the app no longer reaches SMARTNOTES_API_URL"
    health = " ".join(SERVICES["frontend"]["healthcheck"]["test"])
    assert f"127.0.0.1:{DEFAULTS.frontend_port}/_stcore/health" in health


# == compose: environment and secrets ==============================================================


def test_application_environment_names_are_real_settings() -> None:
    for name in SERVICES:
        for key in environment(name):
            if key.startswith("SMARTNOTES_") or name in APP_SERVICES or name == "frontend":
                assert valid_app_env_name(key), (
                    f"{name}: {key} is neither a Settings field nor read by the code"
                )


def test_compose_environment_builds_valid_production_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake = {
        "SMARTNOTES_SECRET_KEY": secrets.token_hex(32),
        "POSTGRES_PASSWORD": secrets.token_hex(16),
        "FLOWER_BASIC_AUTH": "admin:" + secrets.token_hex(8),
    }
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in sorted(APP_SERVICES):
        for key in list(os.environ):
            if key.startswith("SMARTNOTES_") or key in PLAIN_SETTINGS_ENV:
                monkeypatch.delenv(key)
        for key, value in environment(name).items():
            monkeypatch.setenv(key, interpolate(value, fake))
        settings = Settings()
        assert settings.environment == "production", name
        assert settings.secret_key == fake["SMARTNOTES_SECRET_KEY"], name
        assert settings.data_dir == Path(DATA_MOUNT), name
        assert settings.max_upload_mb == DEFAULTS.max_upload_mb, name
        db = urlparse(settings.sqlalchemy_url)
        assert db.scheme == "postgresql+psycopg" and db.hostname == "postgres" and db.port == 5432, name
        assert db.password == fake["POSTGRES_PASSWORD"], name
        assert urlparse(settings.redis_url).hostname == "redis", name
        assert http_port(settings.chroma_url) == ("chroma", 8000), name
        assert http_port(settings.ollama_host) == ("ollama", 11434), name
    postgres = {k: interpolate(v, fake) for k, v in environment("postgres").items()}
    assert db.username == postgres["POSTGRES_USER"] and db.path == "/" + postgres["POSTGRES_DB"]


def test_no_secret_is_hard_coded() -> None:
    for name in SERVICES:
        for key, value in environment(name).items():
            if SECRET_NAME.search(key):
                match = INTERPOLATION.fullmatch(value)
                assert match, f"{name}: {key} must come from the environment (${{...}}), not be written here"
                assert match.group(2) in (":?", "?") or not match.group(3), f"{name}: {key} has a default"
        database_url = environment(name).get("DATABASE_URL")
        if database_url:
            assert "${POSTGRES_PASSWORD:?" in database_url, (
                f"{name}: DATABASE_URL password must be a variable"
            )
    secret_key = environment("gateway")["SMARTNOTES_SECRET_KEY"]
    assert secret_key.startswith("${SMARTNOTES_SECRET_KEY:?"), "compose must refuse to start without a key"
    for path in (service_dockerfile(name) for name in built_services()):
        for keyword, args in dockerfile_instructions(path):
            if keyword in ("ENV", "ARG"):
                for var in re.findall(r"(\w+)=", args) or args.split()[:1]:
                    assert not SECRET_NAME.search(var), f"{path}: secret baked into the image: {var}"


def test_env_example_lists_every_variable_the_compose_file_reads() -> None:
    lines = (ROOT / ".env.example").read_text().splitlines()
    example = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    for var, op in referenced_variables().items():
        assert var in example, f".env.example does not mention {var}"
        if op in (":?", "?"):
            assert SECRET_NAME.search(var) is None or example[var] == "", f".env.example fills in {var}"
    for var in example:
        if var.startswith("SMARTNOTES_"):
            assert valid_app_env_name(var), var


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_build_context() -> None:
    entries = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    assert {".env", ".venv", ".git", "data"} <= entries
    for package in PACKAGES:
        assert package not in entries, f"{package} is needed in the build context"


# == compose: volumes ==============================================================================


def test_uploads_volume_is_shared_by_the_gateway_and_every_worker() -> None:
    assert DATA_VOLUME in (COMPOSE.get("volumes") or {})
    for name in ("gateway", *sorted(WORKERS)):
        assert f"{DATA_VOLUME}:{DATA_MOUNT}" in SERVICES[name].get("volumes", []), name
        assert environment(name)["SMARTNOTES_DATA_DIR"] == DATA_MOUNT, name


def test_stores_keep_their_data_in_named_volumes() -> None:
    declared = set(COMPOSE.get("volumes") or {})
    expected = {"postgres": "/var/lib/postgresql/data", "redis": "/data", "chroma": "/data"}
    for name, target in expected.items():
        mounts = [str(v) for v in SERVICES[name].get("volumes", [])]
        assert any(m.split(":")[0] in declared and m.split(":")[1] == target for m in mounts), name
    assert option(command("redis"), "--appendonly") == "yes"
    assert SERVICES["postgres"]["image"].startswith("postgres:15")
    assert SERVICES["redis"]["image"].startswith("redis:7")
    assert "pg_isready" in " ".join(SERVICES["postgres"]["healthcheck"]["test"])


def test_ollama_pull_fetches_the_model_the_workers_use(tmp_path: Path) -> None:
    pull = SERVICES["ollama-pull"]
    assert pull["image"] == SERVICES["ollama"]["image"] and ":latest" not in pull["image"]
    assert http_port(environment("ollama-pull")["OLLAMA_HOST"]) == ("ollama", 11434)
    model = environment("ollama-pull")["MODEL"]
    app = environment("worker-ai")
    assert model == app["SMARTNOTES_LLM_MODEL"], "pulls what chat and generation ask Ollama for"
    assert interpolate(app["SMARTNOTES_LLM_PROVIDER"], {}) == "ollama"
    assert interpolate(model, {}) == "llama3.2:3b"
    assert interpolate(model, {"SMARTNOTES_LLM_MODEL": ""}) == "", "empty (bundled model) stays empty"
    for name in ("worker-ai", "worker-generation"):
        assert depends_on(name)["ollama-pull"] == {"condition": "service_completed_successfully"}, name
    # the entrypoint as the container runs it, with a stand-in `ollama` that records its arguments
    entry = [part.replace("$$", "$") for part in pull["entrypoint"]]
    assert entry[:2] == ["/bin/sh", "-c"]
    fake = tmp_path / "ollama"
    fake.write_text(f'#!/bin/sh\necho "$@" >> {tmp_path / "calls"}\n')
    fake.chmod(0o755)
    for value in (interpolate(model, {}), interpolate(model, {"SMARTNOTES_LLM_MODEL": ""})):
        env = {"PATH": f"{tmp_path}:/usr/bin:/bin", "MODEL": value}
        assert subprocess.run(entry, env=env, timeout=10).returncode == 0
    assert (tmp_path / "calls").read_text().splitlines() == ["pull llama3.2:3b"]


def test_flower_watches_the_broker_on_5555() -> None:
    cmd = command("flower")
    assert "flower" in cmd and "--port=5555" in cmd
    assert "--broker=redis://redis:6379/0" in cmd


# == Dockerfiles ===================================================================================


def test_build_contexts_and_dockerfiles_exist() -> None:
    assert set(built_services()) >= APP_SERVICES | {"frontend"}
    by_image: dict[str, Path] = {}
    for name in built_services():
        build = SERVICES[name]["build"]
        context = build if isinstance(build, str) else build.get("context", ".")
        assert (ROOT / context).is_dir(), f"{name}: build context {context} missing"
        assert service_dockerfile(name).is_file(), f"{name}: {service_dockerfile(name)} missing"
        image = SERVICES[name].get("image")
        if image:
            assert by_image.setdefault(image, service_dockerfile(name)) == service_dockerfile(name), image


@pytest.mark.parametrize(
    "path", sorted({str(service_dockerfile(n).relative_to(ROOT)) for n in built_services()})
)
def test_dockerfile_is_slim_non_root_and_layered(path: str) -> None:
    stages = dockerfile_instructions(ROOT / path)
    bases = [args.split()[0] for k, args in stages if k == "FROM"]
    # every stage on the slim Debian the apt package names were tried on (bookworm, like this machine)
    assert bases and set(bases) == {"python:3.11-slim-bookworm"}, (path, bases)
    instructions = final_stage(stages)
    keywords = [k for k, _ in instructions]
    run_text = " ".join(args for k, args in instructions if k == "RUN")
    assert "--uid 10001" in run_text, f"{path}: create the uid 10001 user"
    assert instructions[len(keywords) - 1 - keywords[::-1].index("USER")][1] in ("10001", "10001:10001")
    copies = [i for i, (k, _) in enumerate(instructions) if k == "COPY"]
    pyproject = next(i for i in copies if instructions[i][1].split()[0] == "pyproject.toml")
    source = [i for i in copies if copied_packages([instructions[i]])]
    assert source and pyproject < min(source), (
        f"{path}: copy pyproject.toml and install deps before the source"
    )
    deps_install = next(
        i for i, (k, a) in enumerate(instructions) if k == "RUN" and "pip install -r" in a and i > pyproject
    )
    assert deps_install < min(source), path
    assert any(k == "RUN" and "pip install --no-deps ." in a for k, a in instructions[max(source) :]), path
    for keyword, args in instructions:
        if keyword == "ENV":
            for name in re.findall(r"(SMARTNOTES_\w+)=", args):
                assert valid_app_env_name(name), f"{path}: {name}"


def test_images_contain_every_package_their_code_imports() -> None:
    for name in built_services():
        copied = copied_packages(dockerfile_instructions(service_dockerfile(name)))
        for package in copied:
            missing = imported_packages(package) - copied
            assert not missing, f"{service_dockerfile(name)}: {package} imports {missing}, not copied"
    entry = {"gateway": "gateway", "migrate": "shared", "frontend": "frontend"}
    entry.update({name: "workers" for name in (*WORKERS, "beat")})
    for name, package in entry.items():
        assert package in copied_packages(dockerfile_instructions(service_dockerfile(name))), name


def test_long_running_images_have_a_healthcheck() -> None:
    for path in (ROOT / "gateway" / "Dockerfile", ROOT / "frontend" / "Dockerfile"):
        assert "HEALTHCHECK" in [k for k, _ in dockerfile_instructions(path)], path


def test_each_image_installs_its_own_dependency_groups() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert {"frontend", "workers"} <= set(extras)
    assert installed_groups(ROOT / "gateway" / "Dockerfile") == {"core"}
    assert installed_groups(ROOT / "frontend" / "Dockerfile") == {"core", "frontend"}
    assert installed_groups(ROOT / "workers" / "Dockerfile") == {"core", "workers"}
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"install -q -e '\.\[frontend,workers,dev\]'", makefile), "make setup installs them all"


def test_worker_image_compiles_llama_cpp_in_a_builder_stage() -> None:
    instructions = dockerfile_instructions(ROOT / "workers" / "Dockerfile")
    final = final_stage(instructions)
    builder = instructions[: len(instructions) - len(final)]
    assert builder and builder[0][0] == "FROM" and " AS " in builder[0][1].upper()
    stage = builder[0][1].split()[-1]
    built = " ".join(a for k, a in builder if k in ("RUN", "ENV"))
    assert "build-essential" in built and "cmake" in built
    assert "pip wheel" in built and "llama-cpp-python" in built and "-DGGML_NATIVE=OFF" in built
    final_run = " ".join(a for k, a in final if k == "RUN")
    assert "build-essential" not in final_run, "no compilers in the runtime image"
    copy_from = [a for k, a in final if k == "COPY" and a.startswith(f"--from={stage} ")]
    assert copy_from, "the wheel is copied from the builder"
    wheel_install = next(i for i, (k, a) in enumerate(final) if k == "RUN" and "/wheels/*.whl" in a)
    deps_install = next(i for i, (k, a) in enumerate(final) if k == "RUN" and "pip install -r" in a)
    assert wheel_install < deps_install, "the wheel goes in before pip would try to compile it"
    # A prebuilt wheel (LLAMA_FIND_LINKS, empty by default) is taken as a wheel only, never compiled, and
    # the compilers are installed only on the branch that compiles.
    assert [a for k, a in builder if k == "ARG"] == ["LLAMA_FIND_LINKS="]
    branch = re.search(r'if \[ -n "\$LLAMA_FIND_LINKS" \];\s+then\s+(.*?);\s+else\s+(.*?);\s+fi', built)
    assert branch, "the builder branches on LLAMA_FIND_LINKS"
    prebuilt, compiled = branch.groups()
    assert "--only-binary :all:" in prebuilt and "--no-index" in prebuilt and "apt-get" not in prebuilt
    assert "build-essential" in compiled and "pip wheel" in compiled
    libreoffice = [a for k, a in final if k == "ARG" and a.startswith("INSTALL_LIBREOFFICE=")]
    assert libreoffice == ["INSTALL_LIBREOFFICE=true"], "the product's .ppt/.odp and page checks need it"


def test_gateway_image_has_pg_dump_of_the_postgres_major() -> None:
    major = SERVICES["postgres"]["image"].split(":")[1].split(".")[0]
    run = " ".join(a for k, a in dockerfile_instructions(ROOT / "gateway" / "Dockerfile") if k == "RUN")
    assert f"postgresql-client-{major}" in run, "smartnotes backup needs pg_dump >= the server's version"


def test_worker_image_installs_the_package_of_every_font_the_quiz_always_embeds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The quiz PDF always embeds DejaVu Sans regular, bold and oblique: the oblique face is in
    fonts-dejavu-extra, not -core (the first real image build lacked it and every quiz failed)."""
    from fpdf import FPDF

    from workers.generation import quiz_pdf

    embedded: list[Path] = []
    add_font = FPDF.add_font

    def recording(self: FPDF, family: str, style: str = "", fname: str | None = None, **kw: Any) -> None:
        embedded.append(Path(str(fname)))
        add_font(self, family, style, fname, **kw)

    monkeypatch.setattr(FPDF, "add_font", recording)
    quiz_pdf._setup_fonts(FPDF(), "plain English text")  # what every quiz loads, whatever its language
    assert len(embedded) >= 3, embedded
    workers = " ".join(a for k, a in dockerfile_instructions(ROOT / "workers" / "Dockerfile") if k == "RUN")
    makefile = (ROOT / "Makefile").read_text()
    apt_run = re.search(r"(?m)^APT_RUN\s*:=\s*(.+)$", makefile)
    assert apt_run
    for font in embedded:
        owner = subprocess.run(["dpkg", "-S", str(font)], capture_output=True, text=True, check=False)
        assert owner.returncode == 0, f"no Debian package on this machine ships {font}"
        package = owner.stdout.split(":")[0]
        assert re.search(rf"(?<![\w-]){re.escape(package)}(?![\w-])", workers), f"{font}: {package}"
        assert package in apt_run.group(1).split(), f"make apt lacks {package} for {font}"


def test_worker_image_has_the_system_packages_and_cpu_torch() -> None:
    makefile = (ROOT / "Makefile").read_text()
    apt_run = re.search(r"(?m)^APT_RUN\s*:=\s*(.+)$", makefile)
    assert apt_run, "APT_RUN not found in the Makefile"
    needed = set(apt_run.group(1).split()) - {"redis-server"}  # Redis is its own service
    workers = " ".join(a for k, a in dockerfile_instructions(ROOT / "workers" / "Dockerfile") if k == "RUN")
    missing = {pkg for pkg in needed if not re.search(rf"(?<![\w-]){re.escape(pkg)}(?![\w-])", workers)}
    assert not missing, f"workers/Dockerfile lacks {missing}"
    assert "libreoffice-impress" in workers
    # The index is a build argument (a machine without the PyTorch index passes PyPI plus a folder holding
    # the +cpu wheel, as deploy/local-proof/run.sh does); its default is the CPU index, and the build fails
    # on a CUDA torch whatever the index served.
    assert re.search(r'pip install torch==[\d.]+ --index-url "\$TORCH_INDEX_URL"', workers)
    assert dockerfile_args(ROOT / "workers" / "Dockerfile")["TORCH_INDEX_URL"] == CPU_TORCH_INDEX
    assert re.search(r"pip install torch==[^&]*&& python -c [^&]*torch\.version\.cuda is None", workers)
    for name in built_services():
        path = service_dockerfile(name)
        text = " ".join(a for k, a in dockerfile_instructions(path) if k == "RUN")
        for match in re.finditer(r"pip install[^&]*\btorch\b[^&]*", text):
            index = re.search(r"--index-url \"?([^\s\"]+)", match.group(0))
            assert index, f"{name}: torch must come from the CPU index"
            url = index.group(1)
            if url.startswith("$"):
                url = dockerfile_args(path).get(url.strip("${}"), "")
            assert url == CPU_TORCH_INDEX, f"{name}: torch must be the CPU build"


# == nginx =========================================================================================


def test_nginx_config_is_mounted_and_certificates_come_from_nginx_certs() -> None:
    volumes = [str(v) for v in SERVICES["nginx"]["volumes"]]
    assert "./nginx/nginx.conf:/etc/nginx/nginx.conf:ro" in volumes
    assert "./nginx/certs:/etc/nginx/certs:ro" in volumes
    tls = [" ".join(line.split()) for line in NGINX_TEXT.splitlines() if line.lstrip().startswith("#tls ")]
    assert any(re.search(r"listen 443 ssl", line) for line in tls)
    assert any(line.startswith("#tls ssl_certificate /etc/nginx/certs/") for line in tls)
    assert any(line.startswith("#tls ssl_certificate_key /etc/nginx/certs/") for line in tls)


def test_nginx_upload_limit_matches_the_settings() -> None:
    # the file limit plus room for the multipart framing: the gateway, not nginx, judges the file
    assert HTTP.one("client_max_body_size").args == [f"{DEFAULTS.max_upload_mb + 1}m"]
    assert environment("gateway")["SMARTNOTES_MAX_UPLOAD_MB"] == str(DEFAULTS.max_upload_mb)
    for server in HTTP.all("server"):
        assert not server.all("client_max_body_size"), "one limit, in the http block"
        for loc in server.all("location"):
            assert not loc.all("client_max_body_size"), f"location {loc.args} overrides the upload limit"


def test_nginx_upstreams_point_at_the_compose_services() -> None:
    gateway, frontend = UPSTREAMS["gateway"], UPSTREAMS["frontend"]
    assert gateway.all("ip_hash"), "gateway upstream needs ip_hash (WebSockets)"
    assert frontend.all("least_conn"), "frontend upstream should balance by least connections"
    assert upstream_servers(gateway) == {f"gateway:{DEFAULTS.api_port}"}
    assert upstream_servers(frontend) == {f"frontend:{DEFAULTS.frontend_port}"}
    for name, upstream in UPSTREAMS.items():
        for server in upstream_servers(upstream):
            host, _, port = server.partition(":")
            assert host in SERVICES and port, f"upstream {name}: {server} is not a compose service"


@pytest.mark.parametrize(
    ("path", "upstream"),
    [
        ("/api/v1/lectures", "gateway"),
        ("/api/v1/ws", "gateway"),
        ("/docs", "gateway"),
        ("/docs/oauth2-redirect", "gateway"),
        ("/openapi.json", "gateway"),
        ("/health", "gateway"),
        ("/", "frontend"),
        ("/some/page", "frontend"),
        ("/_stcore/stream", "frontend"),
        ("/_stcore/health", "frontend"),
        ("/static/js/main.abc123.js", "frontend"),
        ("/metrics", "frontend"),  # gateway metrics are for Prometheus on the internal network only
    ],
)
def test_nginx_routes(path: str, upstream: str) -> None:
    servers = upstream_servers(upstream_of(location_for(path)))
    port = DEFAULTS.api_port if upstream == "gateway" else DEFAULTS.frontend_port
    assert servers == {f"{upstream}:{port}"}, f"{path} goes to {servers}"


@pytest.mark.parametrize("path", ["/_stcore/stream", "/_stcore/upload_file/session/file", "/media/abc.png"])
def test_streamlit_session_traffic_sticks_to_one_replica(path: str) -> None:
    upstream = upstream_of(location_for(path))
    assert upstream.all("hash") or upstream.all("ip_hash"), (
        f"{path} must reach the replica holding the session"
    )


@pytest.mark.parametrize("path", ["/api/v1/ws", "/_stcore/stream"])
def test_websocket_locations_upgrade_the_connection(path: str) -> None:
    loc = location_for(path)
    hdrs = headers(loc)
    assert hdrs.get("upgrade") == "$http_upgrade", path
    assert hdrs.get("connection") == "$connection_upgrade", path
    assert loc.one("proxy_http_version").args == ["1.1"]
    mapping = [m for m in HTTP.all("map") if m.args == ["$http_upgrade", "$connection_upgrade"]]
    assert mapping, "map $http_upgrade $connection_upgrade is missing"


def test_locations_that_set_headers_repeat_the_forwarding_headers() -> None:
    # proxy_set_header in a location replaces (does not extend) the ones inherited from the server.
    required = {"host", "x-forwarded-for", "x-forwarded-proto"}
    assert required <= set(headers(public_server()))
    for loc in public_server().all("location"):
        if loc.all("proxy_set_header"):
            assert required <= set(headers(loc)), f"location {loc.args} drops {required - set(headers(loc))}"


def test_nginx_compresses_and_caches_static_assets() -> None:
    assert HTTP.one("gzip").args == ["on"]
    static = location_for("/static/js/main.abc123.js")
    zone = static.one("proxy_cache").args[0]
    assert any(f"keys_zone={zone}:" in " ".join(d.args) for d in HTTP.all("proxy_cache_path"))
    assert static.all("proxy_cache_valid")


def test_nginx_accepts_the_config(tmp_path: Path) -> None:
    run_nginx_t(NGINX_TEXT, tmp_path)


def test_nginx_accepts_the_config_with_tls_enabled(tmp_path: Path) -> None:
    openssl = shutil.which("openssl")
    assert openssl, "openssl is needed to make a throwaway certificate for the TLS check"
    subprocess.run(
        [
            *(
                openssl,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=localhost",
            ),
            *("-keyout", str(tmp_path / "privkey.pem"), "-out", str(tmp_path / "fullchain.pem")),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    enabled = re.sub(r"(?m)^(\s*)#tls ", r"\1", NGINX_TEXT)
    assert not re.search(r"(?m)^\s*#tls ", enabled) and "listen 443 ssl" in enabled
    run_nginx_t(enabled.replace("/etc/nginx/certs/", f"{tmp_path}/"), tmp_path)


# == Prometheus ====================================================================================


def test_prometheus_scrapes_every_gateway_replica() -> None:
    mounts = [str(v) for v in SERVICES["prometheus"]["volumes"]]
    source = next(m.split(":")[0] for m in mounts if m.split(":")[1] == "/etc/prometheus/prometheus.yml")
    config = yaml.safe_load((ROOT / source).read_text())
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    gateway = jobs["gateway"]
    assert gateway.get("metrics_path", "/metrics") == "/metrics"
    discovery = gateway["dns_sd_configs"][0]
    assert discovery["names"] == ["gateway"] and discovery["type"] == "A"
    assert discovery["port"] == DEFAULTS.api_port


def test_make_run_gives_streamlit_the_gateways_upload_limit() -> None:
    """`make run` (smartnotes_tools.launcher) as compose: the uploader refuses, and says, what the gateway
    would."""
    from smartnotes_tools.launcher import commands

    settings = Settings(_env_file=None, max_upload_mb=7)  # type: ignore[call-arg]
    frontend = dict(commands(settings))["frontend"]
    assert option(frontend, "--server.maxUploadSize") == "7"


# == deploy/local-proof ============================================================================
# run.sh builds the images and runs this compose file for real with docker-compose.proof.yml on top; these
# checks keep the override honest: it changes only what it says, and all its traffic stays on 127.0.0.1.

PROOF = ROOT / "deploy" / "local-proof"


class _ComposeLoader(yaml.SafeLoader):
    """Compose's merge tags (!reset, !override) read as plain values."""


for _tag in ("!reset", "!override"):
    _ComposeLoader.add_constructor(
        _tag,
        lambda loader, node: (
            loader.construct_mapping(node, deep=True)
            if isinstance(node, yaml.MappingNode)
            else loader.construct_sequence(node, deep=True)
            if isinstance(node, yaml.SequenceNode)
            else loader.construct_scalar(node)
        ),
    )


def proof_services() -> dict[str, Any]:
    return yaml.load((PROOF / "docker-compose.proof.yml").read_text(), Loader=_ComposeLoader)["services"]


def test_proof_override_changes_only_services_of_the_production_file() -> None:
    assert set(proof_services()) <= set(SERVICES)


def test_proof_override_keeps_every_running_service_on_the_host_loopback() -> None:
    services = proof_services()
    left_out = {n for n, s in services.items() if s.get("profiles")}
    assert left_out == {"ollama", "ollama-pull", "prometheus"}
    for name in set(SERVICES) - left_out:
        svc = services.get(name, {})
        # Host networking: no docker bridge (172.x) traffic; and no port published to other interfaces.
        assert svc.get("network_mode") == "host", name
        assert not svc.get("ports") or svc["ports"] == [], name
        command = " ".join(str(c) for c in svc.get("command") or [])
        assert "0.0.0.0" not in command, f"{name} listens on every interface"
        # Every server binds 127.0.0.1 explicitly (the production commands say 0.0.0.0).
        if name in {"gateway", "frontend", "chroma", "redis", "flower"}:
            assert "127.0.0.1" in command, name
    assert services["postgres"]["environment"]["POSTGRES_LISTEN"] == "127.0.0.1"
    # Nothing but the left-out services may still wait on them.
    for name in set(SERVICES) - left_out:
        depends = services.get(name, {}).get("depends_on") or SERVICES[name].get("depends_on") or {}
        assert not set(depends) & left_out, name


def test_proof_override_builds_the_workers_image_once_with_the_same_arguments() -> None:
    services = proof_services()
    workers_image = {n for n, s in SERVICES.items() if s.get("image") == "mysmartnotes-workers:latest"}
    builds = [services[n]["build"] for n in sorted(workers_image)]
    assert all(b == builds[0] for b in builds) and builds[0]["network"] == "host"
    assert set(builds[0]["args"]) <= set(dockerfile_args(ROOT / "workers" / "Dockerfile"))


def test_proof_nginx_config_substitutions_match_nginx_conf() -> None:
    """run.sh writes nginx.proof.conf with sed: each pattern must still match the production file."""
    script = (PROOF / "run.sh").read_text()
    exprs = re.findall(r"-e 's/((?:[^/\\]|\\.)+)/((?:[^/\\]|\\.)*)/'", script)
    assert len(exprs) == 4
    conf = NGINX_CONF.read_text()
    proof = conf
    for pattern, repl in exprs:
        assert re.search(pattern, conf), pattern
        proof = re.sub(pattern, repl.replace("\\.", "."), proof)
    # Every listen and upstream server of the proof is on the loopback or a name the override maps to it.
    for line in re.findall(r"^\s*listen\s+([^;]+);", proof, flags=re.M):
        assert line.startswith("127.0.0.1:"), line
    hosts = {h.split(":")[0] for h in proof_services()["nginx"]["extra_hosts"]}
    for server in re.findall(r"^\s*server\s+([\w.]+):(\d+)", proof, flags=re.M):
        assert server[0] in hosts and server[1].startswith("187"), server
