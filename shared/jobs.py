"""Job rows: created by the gateway, advanced by workers, mirrored to Redis pub/sub as events.

Every status change is a conditional UPDATE (``WHERE status NOT IN terminal``), so a cancel and a
worker's "done" racing each other leave exactly one winner, and a redelivered task cannot resurrect
a finished job.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from celery import Celery
from redis import Redis
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from shared.celery_app import TASK_QUEUES
from shared.events import WEBHOOK_QUEUE, job_event, publish
from shared.models import Job, JobStatus, utcnow

TERMINAL = (JobStatus.DONE.value, JobStatus.FAILED.value, JobStatus.CANCELLED.value)


class JobCancelled(Exception):
    """Raised inside a task when its job was cancelled; the task stops without touching the row."""


def create_job(
    *,
    db: Session,
    user_id: int,
    kind: str,
    queue: str,
    subject_id: int | None = None,
    lecture_id: int | None = None,
    params: dict[str, Any] | None = None,
    webhook_url: str | None = None,
) -> Job:
    job = Job(
        user_id=user_id,
        kind=kind,
        queue=queue,
        subject_id=subject_id,
        lecture_id=lecture_id,
        params=params or {},
        webhook_url=webhook_url,
        status=JobStatus.QUEUED,
        stage="queued",
        progress=0.0,
    )
    db.add(job)
    db.flush()
    return job


def enqueue_job(celery: Celery, task: str, job_id: str, *, task_id: str | None = None) -> str:
    """Send a job's task (by name, to its queue in ``shared.celery_app.TASK_QUEUES``: tasks take the job id
    and nothing else); returns the Celery task id. Raises what the broker raises when it is unreachable."""
    if task_id is not None:
        celery.send_task(task, args=[job_id], queue=TASK_QUEUES[task], task_id=task_id)
        return task_id
    return str(celery.send_task(task, args=[job_id], queue=TASK_QUEUES[task]).id)


def _duration(started: datetime | None, now: datetime) -> float | None:
    return (now - started).total_seconds() if started else None


def transition(db: Session, job_id: str, **values: Any) -> Job | None:
    """Apply ``values`` to a job that is not yet terminal. Returns the job, or None when it was terminal."""
    now = utcnow()
    status = values.get("status")
    if status in TERMINAL:
        values.setdefault("finished_at", now)
    result = db.execute(update(Job).where(Job.id == job_id, Job.status.not_in(TERMINAL)).values(**values))
    if result.rowcount == 0:  # type: ignore[attr-defined]
        return None
    job = db.get(Job, job_id, populate_existing=True)
    if job is not None and status in TERMINAL and job.duration_seconds is None:
        job.duration_seconds = _duration(job.started_at, now)
    return job


def announce(redis: Redis, job: Job) -> None:
    """Tell the owner's WebSockets; queue the webhook once the job has ended."""
    publish(redis, job.user_id, job_event(job))
    if job.status in TERMINAL and job.webhook_url:
        redis.lpush(WEBHOOK_QUEUE, job.id)


class JobReporter:
    """What a task uses to report on its job: each call is its own short transaction plus an event."""

    def __init__(self, session_factory: sessionmaker[Session], redis: Redis) -> None:
        self.session_factory = session_factory
        self.redis = redis

    def _apply(self, job_id: str, **values: Any) -> Job | None:
        with self.session_factory() as db:
            job = transition(db, job_id, **values)
            db.commit()
            if job is not None:
                announce(self.redis, job)
            return job

    def status(self, job_id: str) -> str | None:
        with self.session_factory() as db:
            job = db.get(Job, job_id)
            return job.status if job else None

    def check_cancelled(self, job_id: str) -> None:
        if self.status(job_id) in (JobStatus.CANCELLED, None):
            raise JobCancelled(job_id)

    def start(self, job_id: str, *, stage: str, task_id: str | None, queue: str) -> Job:
        with self.session_factory() as db:
            job = db.get(Job, job_id)
            if job is None or job.status in TERMINAL:
                raise JobCancelled(job_id)
            values: dict[str, Any] = {
                "status": JobStatus.RUNNING,
                "stage": stage,
                "celery_task_id": task_id,
                "queue": queue,
                "attempts": job.attempts + 1,
            }
            if job.started_at is None:
                values["started_at"] = utcnow()
        started = self._apply(job_id, **values)
        if started is None:
            raise JobCancelled(job_id)
        return started

    def progress(self, job_id: str, progress: float, stage: str) -> None:
        if self._apply(job_id, progress=max(0.0, min(1.0, progress)), stage=stage) is None:
            raise JobCancelled(job_id)

    def handoff(self, job_id: str, *, queue: str, stage: str, progress: float) -> None:
        """The job moves to another queue: still running, now waiting there."""
        if self._apply(job_id, queue=queue, stage=stage, progress=progress) is None:
            raise JobCancelled(job_id)

    def done(self, job_id: str, result: dict[str, Any]) -> Job | None:
        return self._apply(job_id, status=JobStatus.DONE, progress=1.0, stage="done", result=result)

    def fail(self, job_id: str, code: str, message: str) -> Job | None:
        return self._apply(
            job_id, status=JobStatus.FAILED, stage="failed", error_code=code, error_message=message[:2000]
        )
