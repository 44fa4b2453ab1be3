"""Job lookups and cancellation, and the release of waiting uploads when a slot frees."""

from __future__ import annotations

import logging

from celery import Celery
from redis import Redis
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from shared import ingest_queue
from shared.errors import AppError, not_found
from shared.jobs import TERMINAL, transition
from shared.models import Job, JobStatus, Lecture, LectureStatus

log = logging.getLogger(__name__)


def get_job(*, db: Session, user_id: int, job_id: str) -> Job:
    job = db.get(Job, job_id)
    if job is None or job.user_id != user_id:
        raise not_found("job")
    return job


def list_jobs(*, db: Session, user_id: int, active_only: bool = False, limit: int = 100) -> list[Job]:
    query = select(Job).where(Job.user_id == user_id)
    if active_only:
        query = query.where(Job.status.in_([JobStatus.QUEUED, JobStatus.RUNNING]))
    return list(db.scalars(query.order_by(Job.created_at.desc()).limit(limit)))


def cancel_job(*, db: Session, celery: Celery, job: Job) -> Job:
    """Mark the job cancelled (the worker stops at its next check) and revoke its queued task."""
    if JobStatus(job.status).terminal:
        raise AppError(
            "JOB_FINISHED",
            f"The job has already ended ({job.status}).",
            status_code=409,
            details={"status": job.status},
        )
    updated = transition(db, job.id, status=JobStatus.CANCELLED, stage="cancelled")
    if updated is None:
        db.refresh(job)
        raise AppError("JOB_FINISHED", f"The job has already ended ({job.status}).", status_code=409)
    if job.lecture_id is not None:
        db.execute(
            update(Lecture)
            .where(Lecture.id == job.lecture_id, Lecture.status != LectureStatus.DONE)
            .values(status=LectureStatus.CANCELLED, error_code="CANCELLED", error_message="Cancelled by you.")
        )
    if job.celery_task_id:
        try:
            celery.control.revoke(job.celery_task_id)
        except Exception:  # the row is what workers honour; revoking is an optimisation
            log.warning("revoke failed", extra={"job_id": job.id})
    db.flush()
    return updated


def cancel_active_jobs(*, db: Session, celery: Celery, lecture_id: int) -> None:
    jobs = db.scalars(select(Job).where(Job.lecture_id == lecture_id, Job.status.not_in(TERMINAL)))
    for job in jobs:
        cancel_job(db=db, celery=celery, job=job)


def release_waiting(*, db: Session, celery: Celery, redis: Redis | None, user_id: int, limit: int) -> None:
    """After a cancel or delete (committed): the user's next waiting uploads take the freed slots."""
    try:
        ingest_queue.release(db, celery, redis, user_id=user_id, limit=limit)
    except Exception:  # the maintenance pass releases them later
        db.rollback()
        log.exception("could not release waiting uploads", extra={"user_id": user_id})
