"""What every worker process shares: a lazily built context (DB, Redis, files) and the task wrapper
that turns any failure into a job row with a code and a message, never a dead worker.

Memory: each prefork child gets a data-segment limit (``Settings.worker_memory_mb``; its subprocesses,
Tesseract included, inherit it), so a runaway allocation raises MemoryError and fails the job with
WORKER_MEMORY. A child that dies anyway (the kernel's OOM killer, a crash in native code) makes Celery
redeliver its task (``acks_late`` + ``task_reject_on_worker_lost``): deliveries are counted per task in
Redis, and past ``Settings.task_max_deliveries`` the job fails with WORKER_MEMORY (killed by SIGKILL)
or WORKER_LOST instead of being redelivered forever."""

from __future__ import annotations

import logging
import resource
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import redis
from celery import Celery, Task
from celery.exceptions import SoftTimeLimitExceeded, WorkerLostError
from celery.signals import worker_process_init
from celery.worker.request import Request
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
from shared.models import Job, JobStatus, Lecture, LectureStatus
from shared.settings import Settings
from workers.runtime.maintenance import register_maintenance_task
from workers.runtime.metrics import install_worker_metrics, job_failed

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


def build_context(settings: Settings, celery: Celery) -> WorkerContext:
    """Connections to the database, Redis and the files, for one worker process."""
    r = redis.Redis.from_url(settings.redis_url, socket_timeout=10, socket_connect_timeout=5)
    factory = make_session_factory(make_engine(settings))
    return WorkerContext(
        settings=settings,
        session_factory=factory,
        redis=r,
        files=LocalFileStore(settings.data_dir),
        celery=celery,
        reporter=JobReporter(factory, r),
    )


class WorkerRuntime:
    """One per worker process, built by the worker's composition root (workers/<name>/bootstrap.py): the
    Celery app with the metrics hooks and the maintenance task, and the context, built on first use in each
    worker process (after fork), never at import.

    Tests hand in their own app (``celery=``) or context (``context=``)."""

    def __init__(
        self,
        settings: Settings,
        *,
        celery: Celery | None = None,
        context: WorkerContext | None = None,
        build: Callable[[Settings, Celery], WorkerContext] = build_context,
    ) -> None:
        self.settings = settings
        if celery is None:
            configure_logging(level=settings.log_level, json_logs=settings.log_json, service="worker")
            celery = make_celery(settings)
        self.celery = celery
        self._context = context
        self._build = build
        install_worker_metrics(celery, settings, session_factory=lambda: self.context().session_factory)
        register_maintenance_task(celery, self.context)
        # Connections must not be shared across the prefork boundary.
        worker_process_init.connect(self._after_fork, weak=False, dispatch_uid=f"smartnotes-fork-{id(self)}")

    def context(self) -> WorkerContext:
        if self._context is None:
            self._context = self._build(self.settings, self.celery)
        return self._context

    def _after_fork(self, **_: Any) -> None:
        self._context = None
        limit_task_memory(self.settings.worker_memory_mb)

    def job_task(
        self, name: str, *, queue: str, max_retries: int = 3
    ) -> Callable[[Callable[[WorkerContext, str, Task], None]], Task]:
        """Register ``fn(ctx, job_id, task)`` as a job task of this worker (see :func:`job_task`)."""
        return job_task(self.celery, name, queue=queue, max_retries=max_retries, context=self.context)


def limit_task_memory(megabytes: int) -> None:
    """Cap this process's data segment (heap and private mappings: what a runaway decode grows), so an
    allocation past it raises MemoryError instead of the kernel killing the worker.
    Subprocesses (Tesseract, LibreOffice) inherit it."""
    if megabytes <= 0:
        return
    limit = megabytes * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    log.info("task memory limited to %d MB (RLIMIT_DATA)", limit // (1024 * 1024))


# --- bounded redelivery ------------------------------------------------------------------------------------
DELIVERY_TTL = 7 * 24 * 3600


def _delivery_key(task_id: str, retries: int) -> str:
    return f"smartnotes:task:{task_id}:{retries}:deliveries"


def _lost_key(task_id: str) -> str:
    return f"smartnotes:task:{task_id}:lost"


def count_delivery(r: redis.Redis, task_id: str | None, retries: int) -> int:
    """How many times this task message (one id and retry number) has now been delivered; a retry is a
    new message and starts again at 1. 1 when the task has no id (called directly)."""
    if not task_id:
        return 1
    key = _delivery_key(task_id, retries)
    pipe = r.pipeline()
    pipe.incr(key)
    pipe.expire(key, DELIVERY_TTL)
    count, _ = pipe.execute()
    return int(count)


def note_worker_lost(r: redis.Redis, task_id: str, reason: str) -> None:
    r.set(_lost_key(task_id), reason[:500], ex=DELIVERY_TTL)


def lost_error(r: redis.Redis, task_id: str | None, deliveries: int) -> tuple[str, str]:
    """The code and message for a job whose task kept killing its worker."""
    raw = r.get(_lost_key(task_id)) if task_id else None
    reason = raw.decode(errors="replace") if isinstance(raw, bytes) else str(raw or "")
    times = deliveries - 1
    if "SIGKILL" in reason or "signal 9" in reason:
        return (
            "WORKER_MEMORY",
            f"Processing was killed {times} time(s), most likely for using too much memory; "
            "the file was not retried again.",
        )
    return (
        "WORKER_LOST",
        f"The worker processing this stopped unexpectedly {times} time(s)"
        + (f" ({reason})" if reason else "")
        + "; it was not retried again.",
    )


def job_request(context: Callable[[], WorkerContext]) -> type[Request]:
    """The request class of a job task: it remembers why a child died, for the next delivery to report."""

    class JobRequest(Request):
        """Runs in the worker's main process."""

        def on_failure(self, exc_info: Any, send_failed_event: bool = True, return_ok: bool = False) -> None:
            exc = getattr(exc_info, "exception", None)
            exc = getattr(exc, "exc", exc)  # ExceptionWithTraceback
            if isinstance(exc, WorkerLostError):
                try:
                    note_worker_lost(context().redis, self.id, str(exc))
                except Exception:  # never let bookkeeping break the pool
                    log.warning("could not record the lost worker of task %s", self.id, exc_info=True)
            super().on_failure(exc_info, send_failed_event=send_failed_event, return_ok=return_ok)

    return JobRequest


def job_task(
    app: Celery,
    name: str,
    *,
    queue: str,
    context: Callable[[], WorkerContext],
    max_retries: int = 3,
) -> Callable[[Callable[[WorkerContext, str, Task], None]], Task]:
    """Register ``fn(ctx, job_id, task)`` as a task that reports every outcome on the job row; ``context``
    gives the worker process's context when the task runs."""

    def decorate(fn: Callable[[WorkerContext, str, Task], None]) -> Task:
        @app.task(
            name=name,
            bind=True,
            queue=queue,
            max_retries=max_retries,
            acks_late=True,
            doc=fn.__doc__,
            Request=job_request(context),
            shared=False,  # on this worker's app only
        )
        def run(self: Task, job_id: str) -> None:
            token = job_id_var.set(job_id)
            ctx = context()
            try:
                deliveries = count_delivery(ctx.redis, self.request.id, self.request.retries or 0)
                if deliveries > ctx.settings.task_max_deliveries:
                    code, message = lost_error(ctx.redis, self.request.id, deliveries)
                    log.error("task delivered %d times after its worker died: %s", deliveries, code)
                    fail(ctx, job_id, code, message)
                    return
                fn(ctx, job_id, self)
            except JobCancelled:
                log.info("job cancelled; stopping")
                settle_cancelled(ctx, job_id)
            except AppError as exc:
                log.info("job failed: %s", exc.code)
                fail(ctx, job_id, exc.code, exc.message)
            except SoftTimeLimitExceeded:
                fail(ctx, job_id, "TIMEOUT", "Processing took too long and was stopped.")
            except MemoryError:
                log.error("job ran out of memory")
                fail(
                    ctx,
                    job_id,
                    "WORKER_MEMORY",
                    "Processing needed more memory than a task may use; "
                    "the file may be too large or damaged.",
                )
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
