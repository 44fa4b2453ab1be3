"""Prometheus metrics: request latency (middleware), job counts/durations and queue depth (at scrape)."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from gateway.container import Container
from shared.celery_app import QUEUES
from shared.models import Job


class JobCollector(Collector):
    """Reads job counts and total durations from the database and queue depth from Redis when scraped,
    so every gateway replica reports the same truth."""

    def __init__(self, container: Container) -> None:
        self.container = container

    def collect(self) -> Iterator[Metric]:
        jobs = GaugeMetricFamily("smartnotes_jobs", "Jobs by queue and status", labels=["queue", "status"])
        dur_sum = GaugeMetricFamily(
            "smartnotes_job_duration_seconds_sum", "Total run time of ended jobs", labels=["queue", "status"]
        )
        dur_count = GaugeMetricFamily(
            "smartnotes_job_duration_seconds_count", "Ended jobs with a run time", labels=["queue", "status"]
        )
        depth = GaugeMetricFamily(
            "smartnotes_queue_depth", "Messages waiting in a Celery queue", labels=["queue"]
        )
        try:
            with self.container.session_factory() as db:
                rows = db.execute(
                    select(
                        Job.queue,
                        Job.status,
                        func.count(Job.id),
                        func.coalesce(func.sum(Job.duration_seconds), 0.0),
                        func.count(Job.duration_seconds),
                    ).group_by(Job.queue, Job.status)
                ).all()
            for queue, status, count, total, timed in rows:
                jobs.add_metric([queue, status], count)
                dur_sum.add_metric([queue, status], float(total or 0.0))
                dur_count.add_metric([queue, status], timed)
        except Exception:  # noqa: S110 - a scrape must not fail because the DB is briefly away
            pass
        try:
            redis = self.container.redis
            for queue in QUEUES:
                # kombu's Redis transport keeps priority sub-queues beside the main list.
                keys = [queue] + [f"{queue}\x06\x16{p}" for p in (1, 2, 3, 4, 5, 6, 7, 8, 9)]
                depth.add_metric([queue], sum(int(redis.llen(k)) for k in keys))
        except Exception:  # noqa: S110
            pass
        yield from (jobs, dur_sum, dur_count, depth)


def make_registry(container: Container) -> tuple[CollectorRegistry, Histogram]:
    registry = CollectorRegistry()
    latency = Histogram(
        "smartnotes_http_request_duration_seconds",
        "HTTP request latency",
        ["method", "route", "status"],
        registry=registry,
        buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10),
    )
    registry.register(JobCollector(container))
    return registry, latency
