"""Fair ingestion: at most N of one user's ingest jobs are in Celery at a time; the rest wait in the DB.

Without this, one student's burst of 50 uploads fills the ``ocr`` queue and everybody else's lecture waits
behind all of them. Instead an ingest job is created *waiting* (status ``queued``, stage ``waiting``, no
Celery task) and :func:`release` sends a user's oldest waiting jobs to Celery while fewer than
``settings.max_active_ingest_per_user`` of that user's ingest jobs are queued in Celery or running
(0 = no cap). Release is called

- by the gateway right after it creates an ingest job (upload, re-process) and after a cancel or delete;
- by every worker when a job's task has ended it (done, failed, cancelled): ``workers/runtime/context.py``;
- by each maintenance pass for every user with waiting jobs (:func:`release_stranded`), so a waiting job
  is never stranded when a release was missed (a crash between a job's end and its release).

Releases are safe to run concurrently: the claim first takes the user's row lock (a no-op UPDATE of the
``users`` row, which serialises claimants on PostgreSQL and takes SQLite's write lock), so two releases
for one user never both see a free slot; and each claim is a conditional UPDATE
(``WHERE status = 'queued' AND stage = 'waiting'``), so a waiting job is never sent twice.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field

from celery import Celery
from redis import Redis
from sqlalchemy import ColumnElement, and_, func, not_, select, update
from sqlalchemy.orm import Session, sessionmaker

from shared.celery_app import TASK_INGEST_LECTURE
from shared.jobs import TERMINAL, announce, enqueue_job
from shared.models import Job, JobStatus, User

log = logging.getLogger(__name__)

INGEST = "ingest"
WAITING = "waiting"  # the stage of an ingest job held back until one of its owner's jobs ends
RELEASED = "queued"  # the stage once it is sent to Celery (as every job starts)


@dataclass
class Released:
    """What one release did: jobs sent to Celery, and jobs it could not send (back to waiting)."""

    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def hold(job: Job) -> Job:
    """Mark a new (unsent) ingest job as waiting for a slot; :func:`release` sends it."""
    job.stage = WAITING
    return job


def _is_waiting() -> ColumnElement[bool]:
    return and_(Job.status == JobStatus.QUEUED, Job.stage == WAITING)


def active_count(db: Session, user_id: int) -> int:
    """The user's ingest jobs in Celery: sent and not ended (queued there, or running)."""
    return int(
        db.scalar(
            select(func.count())
            .select_from(Job)
            .where(
                Job.user_id == user_id,
                Job.kind == INGEST,
                Job.status.not_in(TERMINAL),
                not_(_is_waiting()),
            )
        )
        or 0
    )


def waiting_ids(db: Session, user_id: int, limit: int | None = None) -> list[str]:
    """The user's waiting ingest jobs, oldest first."""
    query = (
        select(Job.id)
        .where(Job.user_id == user_id, Job.kind == INGEST, _is_waiting())
        .order_by(Job.created_at, Job.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(db.scalars(query))


def lock_user(db: Session, user_id: int) -> bool:
    """Take the user's row lock until the transaction ends (False: the user no longer exists)."""
    result = db.execute(update(User).where(User.id == user_id).values(display_name=User.display_name))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def claim(db: Session, *, user_id: int, limit: int) -> list[tuple[str, str]]:
    """Mark the user's oldest waiting jobs that fit under ``limit`` as released, each with the Celery task
    id it is to be sent with; returns ``[(job_id, task_id)]``. The caller commits, then sends."""
    if not lock_user(db, user_id):
        return []
    free = None if limit <= 0 else limit - active_count(db, user_id)
    if free is not None and free <= 0:
        return []
    claimed = []
    for job_id in waiting_ids(db, user_id, free):
        task_id = str(uuid.uuid4())
        result = db.execute(
            update(Job).where(Job.id == job_id, _is_waiting()).values(stage=RELEASED, celery_task_id=task_id)
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]
            claimed.append((job_id, task_id))
    return claimed


def unclaim(db: Session, job_id: str, task_id: str) -> None:
    """Put a released job that could not be sent back in line (unless it has moved on meanwhile)."""
    db.execute(
        update(Job)
        .where(
            Job.id == job_id,
            Job.status == JobStatus.QUEUED,
            Job.stage == RELEASED,
            Job.celery_task_id == task_id,
        )
        .values(stage=WAITING, celery_task_id=None)
    )
    db.commit()


def release(db: Session, celery: Celery, redis: Redis | None, *, user_id: int, limit: int) -> Released:
    """Send the user's oldest waiting ingest jobs while they have fewer than ``limit`` in Celery.

    Runs in (and commits) ``db``'s current transaction; call it after the caller's own changes are
    committed or as part of them. Jobs whose send fails go back to waiting and are listed in ``failed``.
    """
    claimed = claim(db, user_id=user_id, limit=limit)
    db.commit()
    done = Released()
    for job_id, task_id in claimed:
        try:
            enqueue_job(celery, TASK_INGEST_LECTURE, job_id, task_id=task_id)
        except Exception:
            log.exception("enqueue failed; the job waits for the next release", extra={"job_id": job_id})
            unclaim(db, job_id, task_id)
            done.failed.append(job_id)
            continue
        done.sent.append(job_id)
    if redis is not None:
        for job_id in done.sent:
            job = db.get(Job, job_id, populate_existing=True)
            if job is None:
                continue
            try:
                announce(redis, job)
            except Exception:  # progress events are a courtesy; the row is the truth
                log.warning("could not announce a released job", extra={"job_id": job_id})
    if done.sent:
        log.info("released %d waiting upload(s) of user %d", len(done.sent), user_id)
    return done


def release_after(
    session_factory: sessionmaker[Session], celery: Celery, redis: Redis | None, *, job_id: str, limit: int
) -> Released:
    """After a task ran for ``job_id``: when that ended an ingest job, release its owner's next upload.
    Never raises (the maintenance pass catches what is missed here)."""
    try:
        with session_factory() as db:
            job = db.get(Job, job_id)
            if job is None or job.kind != INGEST or job.status not in TERMINAL:
                return Released()
            return release(db, celery, redis, user_id=job.user_id, limit=limit)
    except Exception:
        log.exception("could not release waiting uploads; the maintenance pass will")
        return Released()


def release_stranded(db: Session, celery: Celery, redis: Redis | None, *, limit: int) -> int:
    """For every user with waiting ingest jobs, release what fits (a missed release strands nothing).
    Returns how many jobs were sent."""
    users = list(db.scalars(select(Job.user_id).where(Job.kind == INGEST, _is_waiting()).distinct()))
    db.commit()
    sent = 0
    for user_id in users:
        try:
            sent += len(release(db, celery, redis, user_id=user_id, limit=limit).sent)
        except Exception:
            db.rollback()
            log.exception("could not release the waiting uploads of user %d", user_id)
    return sent
