"""Worker metrics (workers/runtime/metrics.py): the Celery signal hooks, the helpers, a real worker's
endpoint, and the Grafana dashboard only using metrics that exist."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from celery import Celery
from prometheus_client import CollectorRegistry, Metric

from shared.celery_app import QUEUE_GENERATION, TASK_MAINTENANCE_CLEANUP, make_celery
from shared.db import run_migrations
from shared.settings import Settings
from tests.support.services import RedisServer, free_port, wait_for
from workers.runtime import metrics

ROOT = Path(__file__).resolve().parents[2]


def sample(name: str, **labels: str) -> float:
    return metrics.REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture(scope="module")
def eager_app() -> Celery:
    settings = Settings(redis_url="memory://", _env_file=None)  # type: ignore[call-arg]
    app = make_celery(settings, name="metrics-test")
    app.conf.update(task_always_eager=True, task_eager_propagates=False, result_backend="cache+memory://")
    metrics.install_worker_metrics(app, settings)
    return app


def test_task_durations_are_observed_by_name_and_outcome(eager_app: Celery) -> None:
    @eager_app.task(name="test.ok")
    def ok() -> int:
        time.sleep(0.02)
        return 1

    before = sample("smartnotes_worker_task_duration_seconds_count", task="test.ok", outcome="success")
    total = sample("smartnotes_worker_task_duration_seconds_sum", task="test.ok", outcome="success")
    ok.apply()
    ok.apply()
    assert sample("smartnotes_worker_task_duration_seconds_count", task="test.ok", outcome="success") == (
        before + 2
    )
    assert sample("smartnotes_worker_task_duration_seconds_sum", task="test.ok", outcome="success") >= (
        total + 0.04
    )
    assert sample("smartnotes_worker_tasks_in_progress", task="test.ok") == 0


def test_an_exception_counts_as_a_failure_with_its_type(eager_app: Celery) -> None:
    @eager_app.task(name="test.boom")
    def boom() -> None:
        raise ValueError("no")

    boom.apply()
    assert sample("smartnotes_worker_task_failures_total", task="test.boom", reason="ValueError") == 1
    assert sample("smartnotes_worker_task_duration_seconds_count", task="test.boom", outcome="failure") == 1
    assert sample("smartnotes_worker_task_duration_seconds_count", task="test.boom", outcome="success") == 0


def test_a_job_marked_failed_is_counted_with_its_code(eager_app: Celery) -> None:
    @eager_app.task(name="test.bad_upload")
    def bad_upload() -> None:
        metrics.job_failed("PDF_CORRUPT")  # what workers.runtime.context.fail() does inside a job task

    bad_upload.apply()
    assert sample("smartnotes_worker_task_failures_total", task="test.bad_upload", reason="PDF_CORRUPT") == 1
    assert (
        sample("smartnotes_worker_task_duration_seconds_count", task="test.bad_upload", outcome="job_failed")
        == 1
    )


def test_pages_and_tokens_helpers(eager_app: Celery) -> None:
    @eager_app.task(name="test.read_pages")
    def read_pages(n: int) -> None:
        metrics.count_pages(n)

    pages = sample("smartnotes_worker_pages_processed_total")
    tokens = sample("smartnotes_worker_llm_tokens_total", kind="completion")
    read_pages.apply(args=[7])
    metrics.count_pages(0)
    metrics.count_tokens(42)
    metrics.count_tokens(5, kind="prompt")
    assert sample("smartnotes_worker_pages_processed_total") == pages + 7
    assert sample("smartnotes_worker_llm_tokens_total", kind="completion") == tokens + 42
    assert sample("smartnotes_worker_llm_tokens_total", kind="prompt") >= 5


def test_worker_metrics_are_off_by_default() -> None:
    assert Settings(_env_file=None).worker_metrics_port == 0  # type: ignore[call-arg]


# --- a real worker ----------------------------------------------------------------------------------
@pytest.fixture()
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis")
    yield server
    server.stop()


def scrape(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        return str(response.read().decode())


def test_a_prefork_worker_serves_its_task_metrics_on_its_port(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    """The production shape: `celery worker` with a prefork pool (--concurrency 1); the child process runs
    the tasks, so it is the one that serves. The beat's maintenance task is the task it runs."""
    data = tmp_path / "data"
    settings = Settings(
        redis_url=redis_server.url,
        data_dir=data,
        _env_file=None,  # type: ignore[call-arg]
    )
    run_migrations(settings)
    port = free_port()
    env = {
        **os.environ,
        "SMARTNOTES_REDIS_URL": redis_server.url,
        "SMARTNOTES_DATA_DIR": str(data),
        "SMARTNOTES_DATABASE_URL": "",
        "SMARTNOTES_WORKER_METRICS_PORT": str(port),
        "SMARTNOTES_LOG_JSON": "false",
    }
    log = (tmp_path / "worker.log").open("wb")
    cmd = [
        sys.executable,
        *("-m", "celery", "-A", "workers.beat", "worker", "-Q", QUEUE_GENERATION),
        *("-n", "metrics-test@%h", "--concurrency", "1", "--without-gossip", "--without-mingle"),
    ]
    proc = subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:

        def serving() -> bool:
            assert proc.poll() is None, (tmp_path / "worker.log").read_text()[-3000:]
            return "smartnotes_worker_task_duration_seconds" in scrape(port)

        wait_for(serving, 60, "worker metrics endpoint")
        app = make_celery(settings)
        result = app.send_task(TASK_MAINTENANCE_CLEANUP)
        report: dict[str, Any] = result.get(timeout=60)
        assert report["share_links_removed"] == 0
        pattern = re.compile(
            r"smartnotes_worker_task_duration_seconds_count"
            r'\{outcome="success",task="maintenance\.cleanup"\} (\S+)'
        )
        # the result reaches the caller before the child's task_postrun handler records the run: poll
        wait_for(lambda: pattern.search(scrape(port)) is not None, 30, "the task's duration metric")
        text = scrape(port)
        line = pattern.search(text)
        assert line and float(line.group(1)) == 1.0, text[-2000:]
        assert "process_resident_memory_bytes" in text
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --- the dashboard ----------------------------------------------------------------------------------
def exposed_names(families: list[Metric]) -> set[str]:
    names: set[str] = set()
    for family in families:
        if family.type == "counter":
            names.add(family.name + "_total")
        elif family.type == "histogram":
            names.update(family.name + suffix for suffix in ("_bucket", "_sum", "_count"))
        else:
            names.add(family.name)
    return names


class _NoStores:
    """A gateway container whose database and Redis are away: the job collector still names its families."""

    def session_factory(self) -> Any:
        raise RuntimeError("no database in this test")

    @property
    def redis(self) -> Any:
        raise RuntimeError("no Redis in this test")


def gateway_registry() -> CollectorRegistry:
    """The registry the gateway serves at /metrics (gateway.metrics.make_registry), as built at start-up."""
    from gateway.metrics import make_registry

    registry, _latency = make_registry(_NoStores())  # type: ignore[arg-type]
    return registry


def test_the_dashboard_uses_only_metrics_the_code_exports() -> None:
    dashboard = json.loads((ROOT / "docs" / "grafana-dashboard.json").read_text())
    exprs = [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]
    assert len(exprs) >= 15
    worker = exposed_names(list(metrics.REGISTRY.collect()))
    gateway = exposed_names(list(gateway_registry().collect()))
    assert {
        "smartnotes_jobs",
        "smartnotes_queue_depth",
        "smartnotes_http_request_duration_seconds_bucket",
    } <= gateway
    known = worker | gateway | {"up"}
    used = {name for expr in exprs for name in re.findall(r"\b((?:smartnotes|process)_[a-z_]+|up)\b", expr)}
    assert used - known == set(), f"the dashboard queries metrics nobody exports: {used - known}"
    for needed in (
        "smartnotes_http_request_duration_seconds_bucket",
        "smartnotes_jobs",
        "smartnotes_job_duration_seconds_sum",
        "smartnotes_job_duration_seconds_count",
        "smartnotes_queue_depth",
        "smartnotes_worker_task_duration_seconds_bucket",
        "smartnotes_worker_task_failures_total",
        "smartnotes_worker_pages_processed_total",
        "smartnotes_worker_llm_tokens_total",
    ):
        assert needed in used, f"the dashboard has no panel for {needed}"
    assert dashboard["__inputs"][0]["pluginId"] == "prometheus"
    ids = [p["id"] for p in dashboard["panels"]]
    assert len(ids) == len(set(ids))
