"""What every worker process shares: a lazily built context (DB, Redis, files) and the task wrapper
that turns any failure into a job row with a code and a message, never a dead worker."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import redis
from celery import Celery, Task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_process_init
from sqlalchemy import update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from shared.celery_app import make_celery
from shared.db import make_engine, make_session_factory
from shared.errors import AppError, TransientError
from shared.files import FileStore, LocalFileStore
from shared.ingest_queue import release_after
from shared.jobs import JobCancelled, JobReporter
from shared.logging import configure_logging, job_id_var
from shared.maintenance import register_maintenance_task
from shared.metrics import install_worker_metrics, job_failed
from shared.models import Job, JobStatus, Lecture, LectureStatus
from shared.settings import Settings, get_settings

log = logging.getLogger(__name__)
RETRYABLE = (TransientError, OperationalError, redis.ConnectionError, redis.TimeoutError)


@dataclass
class WorkerContext:
    settings: Settings
    session_factory: sessionmaker[Session]
    redis: redis.Redis
    files: FileStore
    celery: Celery
    reporter: JobReporter


_context: WorkerContext | None = None
_celery: Celery | None = None


def context() -> WorkerContext:
    """Built on first use in each worker process (after fork), never at import."""
    global _context
    if _context is None:
        settings = get_settings()
        r = redis.Redis.from_url(settings.redis_url, socket_timeout=10, socket_connect_timeout=5)
        factory = make_session_factory(make_engine(settings))
        _context = WorkerContext(
            settings=settings,
            session_factory=factory,
            redis=r,
            files=LocalFileStore(settings.data_dir),
            celery=celery_app(),
            reporter=JobReporter(factory, r),
        )
    return _context


def celery_app() -> Celery:
    global _celery
    if _celery is None:
        settings = get_settings()
        configure_logging(level=settings.log_level, json_logs=settings.log_json, service="worker")
        _celery = make_celery(settings)
        install_worker_metrics(_celery, settings)
        register_maintenance_task(_celery)
    return _celery


@worker_process_init.connect
def _reset_after_fork(**_: Any) -> None:
    # Connections must not be shared across the prefork boundary.
    global _context
    _context = None


def job_task(
    app: Celery, name: str, *, queue: str, max_retries: int = 3
) -> Callable[[Callable[[WorkerContext, str, Task], None]], Task]:
    """Register ``fn(ctx, job_id, task)`` as a task that reports every outcome on the job row."""

    def decorate(fn: Callable[[WorkerContext, str, Task], None]) -> Task:
        @app.task(name=name, bind=True, queue=queue, max_retries=max_retries, acks_late=True, doc=fn.__doc__)
        def run(self: Task, job_id: str) -> None:
            token = job_id_var.set(job_id)
            ctx = context()
            try:
                fn(ctx, job_id, self)
            except JobCancelled:
                log.info("job cancelled; stopping")
                settle_cancelled(ctx, job_id)
            except AppError as exc:
                log.info("job failed: %s", exc.code)
                fail(ctx, job_id, exc.code, exc.message)
            except SoftTimeLimitExceeded:
                fail(ctx, job_id, "TIMEOUT", "Processing took too long and was stopped.")
            except RETRYABLE as exc:
                if self.request.retries < self.max_retries:
                    log.warning("transient failure, retrying: %r", exc)
                    raise self.retry(exc=exc, countdown=min(60, 2 ** (self.request.retries + 1))) from exc
                fail(
                    ctx, job_id, "SERVICE_UNAVAILABLE", f"A service stayed unreachable: {type(exc).__name__}."
                )
            except Exception as exc:
                log.exception("job crashed")
                fail(
                    ctx,
                    job_id,
                    "INTERNAL_ERROR",
                    f"Unexpected error while processing ({type(exc).__name__}).",
                )
            finally:
                # The job's end frees one of its owner's ingest slots: their next upload takes it.
                release_after(
                    ctx.session_factory,
                    ctx.celery,
                    ctx.redis,
                    job_id=job_id,
                    limit=ctx.settings.max_active_ingest_per_user,
                )
                job_id_var.reset(token)

        return run

    return decorate


def settle_cancelled(ctx: WorkerContext, job_id: str) -> None:
    """After a task stopped for a cancelled job, leave its lecture marked cancelled (the task may have
    set it to processing after the gateway marked it)."""
    with ctx.session_factory() as db:
        job = db.get(Job, job_id)
        if job is None or job.lecture_id is None or job.status != JobStatus.CANCELLED:
            return
        db.execute(
            update(Lecture)
            .where(
                Lecture.id == job.lecture_id,
                Lecture.status.in_([LectureStatus.QUEUED, LectureStatus.PROCESSING]),
            )
            .values(status=LectureStatus.CANCELLED, error_code="CANCELLED", error_message="Cancelled by you.")
        )
        db.commit()


def fail(ctx: WorkerContext, job_id: str, code: str, message: str) -> None:
    """End the job failed and mark its lecture failed too, so the student sees why.
    A job that already ended (cancelled meanwhile) is left as it is."""
    job_failed(code)
    job = ctx.reporter.fail(job_id, code, message)
    if job is None or job.lecture_id is None:
        return
    with ctx.session_factory() as db:
        db.execute(
            update(Lecture)
            .where(Lecture.id == job.lecture_id)
            .values(status=LectureStatus.FAILED, error_code=code, error_message=message)
        )
        db.commit()
