"""Requests the generation worker serves for studying: personal FSRS parameters (the fsrs Optimizer needs
torch, which only the workers have) and mind maps (built from the line roles and knowledge units of
workers/ocr). The gateway checks, queues the job and reads back what the worker stored."""

from __future__ import annotations

import logging
from datetime import datetime

from celery import Celery
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.services.documents import get_document
from gateway.services.generation import enqueue_generation, processed_lecture_ids
from shared.celery_app import QUEUE_GENERATION, TASK_BUILD_MINDMAP, TASK_OPTIMIZE_FSRS
from shared.errors import AppError
from shared.jobs import create_job
from shared.models import GeneratedDocument, Job, ReviewLog, User
from shared.schemas import FSRS_MIN_REVIEWS, FsrsProfileRead, JobRead, MindMapRead

log = logging.getLogger(__name__)
FSRS_JOB = "fsrs_optimize"
MINDMAP_JOB = "mindmap"


# --- personal FSRS parameters -------------------------------------------------------------------------
def review_count(db: Session, user_id: int) -> int:
    return int(db.scalar(select(func.count(ReviewLog.id)).where(ReviewLog.user_id == user_id)) or 0)


def fsrs_profile(*, db: Session, user_id: int, job: Job | None = None) -> FsrsProfileRead:
    from fsrs.scheduler import DEFAULT_PARAMETERS

    user = db.get(User, user_id)
    profile = (user.fsrs_profile if user is not None else None) or {}
    if job is None:
        job = db.scalar(
            select(Job)
            .where(Job.user_id == user_id, Job.kind == FSRS_JOB)
            .order_by(Job.created_at.desc())
            .limit(1)
        )
    stamp = profile.get("optimized_at")
    return FsrsProfileRead(
        reviews=review_count(db, user_id),
        min_reviews=FSRS_MIN_REVIEWS,
        personal=bool(profile.get("parameters")),
        parameters=list(profile.get("parameters") or DEFAULT_PARAMETERS),
        log_loss_before=profile.get("log_loss_before"),
        log_loss_after=profile.get("log_loss_after"),
        optimized_at=datetime.fromisoformat(stamp) if stamp else None,
        job=JobRead.model_validate(job) if job is not None else None,
    )


def request_optimization(*, db: Session, celery: Celery, user_id: int) -> FsrsProfileRead:
    """Queue fitting the user's parameters; NOT_ENOUGH_REVIEWS (409) below ``FSRS_MIN_REVIEWS`` reviews."""
    count = review_count(db, user_id)
    if count < FSRS_MIN_REVIEWS:
        raise AppError(
            "NOT_ENOUGH_REVIEWS",
            f"Personal scheduling needs at least {FSRS_MIN_REVIEWS} reviews; you have {count}. "
            "Keep reviewing with the default parameters until then.",
            status_code=409,
            details={"reviews": count, "min_reviews": FSRS_MIN_REVIEWS},
        )
    job = create_job(db=db, user_id=user_id, kind=FSRS_JOB, queue=QUEUE_GENERATION, params={})
    job = enqueue_generation(db, celery, job, TASK_OPTIMIZE_FSRS)
    return fsrs_profile(db=db, user_id=user_id, job=job)


# --- mind maps -------------------------------------------------------------------------------------
def request_mindmap(
    *, db: Session, celery: Celery, user_id: int, subject_id: int, lecture_id: int | None
) -> Job:
    processed_lecture_ids(
        db=db, user_id=user_id, subject_id=subject_id, lecture_ids=[lecture_id] if lecture_id else None
    )
    job = create_job(
        db=db,
        user_id=user_id,
        kind=MINDMAP_JOB,
        queue=QUEUE_GENERATION,
        subject_id=subject_id,
        lecture_id=lecture_id,
        params={"kind": MINDMAP_JOB, "lecture_id": lecture_id},
    )
    return enqueue_generation(db, celery, job, TASK_BUILD_MINDMAP)


def mindmap_of(doc: GeneratedDocument) -> MindMapRead:
    if doc.kind != MINDMAP_JOB or "graph" not in (doc.params or {}):
        raise AppError("NOT_A_MINDMAP", "That document is not a mind map.", status_code=409)
    return MindMapRead.model_validate(doc.params["graph"]).model_copy(update={"document_id": doc.id})


def get_mindmap(*, db: Session, user_id: int, document_id: int) -> tuple[GeneratedDocument, MindMapRead]:
    doc = get_document(db=db, user_id=user_id, document_id=document_id)
    return doc, mindmap_of(doc)


def latest_mindmap(*, db: Session, user_id: int, subject_id: int, lecture_id: int | None) -> MindMapRead:
    """The newest mind map of the subject (``lecture_id`` None) or of one lecture; MINDMAP_NOT_FOUND when
    none was built yet."""
    docs = db.scalars(
        select(GeneratedDocument)
        .where(
            GeneratedDocument.user_id == user_id,
            GeneratedDocument.subject_id == subject_id,
            GeneratedDocument.kind == MINDMAP_JOB,
        )
        .order_by(GeneratedDocument.created_at.desc(), GeneratedDocument.id.desc())
    )
    for doc in docs:
        if (doc.params or {}).get("lecture_id") == lecture_id and doc.storage_path:
            return mindmap_of(doc)
    raise AppError("MINDMAP_NOT_FOUND", "No mind map yet: build one (POST .../mindmap).", status_code=404)
