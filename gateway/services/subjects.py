"""Subjects: a user's courses. Every lookup is scoped to the owner."""

from __future__ import annotations

from celery import Celery
from redis import Redis
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.services.jobs import cancel_active_jobs, release_waiting
from gateway.services.study_plan import replan_subject
from shared import storage
from shared.celery_app import QUEUE_AI, TASK_DELETE_VECTORS
from shared.errors import AppError, not_found
from shared.files import FileStore
from shared.models import Lecture, Subject
from shared.schemas import SubjectCreate, SubjectRead, SubjectUpdate


def get_subject(*, db: Session, user_id: int, subject_id: int) -> Subject:
    subject = db.get(Subject, subject_id)
    if subject is None or subject.user_id != user_id:
        raise not_found("subject")
    return subject


def _name_taken(db: Session, user_id: int, name: str, exclude: int | None = None) -> bool:
    query = select(Subject.id).where(Subject.user_id == user_id, func.lower(Subject.name) == name.lower())
    if exclude is not None:
        query = query.where(Subject.id != exclude)
    return db.scalar(query) is not None


def create_subject(*, db: Session, user_id: int, data: SubjectCreate) -> Subject:
    name = data.name.strip()
    if not name:
        raise AppError("VALIDATION_ERROR", "A subject needs a name.", status_code=422)
    if _name_taken(db, user_id, name):
        raise AppError("SUBJECT_EXISTS", f"You already have a subject named {name!r}.", status_code=409)
    subject = Subject(user_id=user_id, name=name, ocr_languages=data.ocr_languages, exam_date=data.exam_date)
    db.add(subject)
    db.flush()
    return subject


def update_subject(*, db: Session, user_id: int, subject_id: int, data: SubjectUpdate) -> Subject:
    subject = get_subject(db=db, user_id=user_id, subject_id=subject_id)
    if data.name is not None:
        name = data.name.strip()
        if _name_taken(db, user_id, name, exclude=subject.id):
            raise AppError("SUBJECT_EXISTS", f"You already have a subject named {name!r}.", status_code=409)
        subject.name = name
    if data.ocr_languages is not None:
        subject.ocr_languages = data.ocr_languages
    exam_changed = "exam_date" in data.model_fields_set and data.exam_date != subject.exam_date
    if exam_changed:
        subject.exam_date = data.exam_date
    db.flush()
    if exam_changed:
        replan_subject(db=db, subject=subject)  # cards due after the new exam come back before it
    return subject


def list_subjects(*, db: Session, user_id: int) -> list[SubjectRead]:
    counts = dict(
        db.execute(
            select(Lecture.subject_id, func.count(Lecture.id))
            .where(Lecture.user_id == user_id)
            .group_by(Lecture.subject_id)
        ).all()
    )
    subjects = db.scalars(select(Subject).where(Subject.user_id == user_id).order_by(Subject.name)).all()
    return [
        SubjectRead.model_validate(s).model_copy(update={"lecture_count": counts.get(s.id, 0)})
        for s in subjects
    ]


def read_subject(*, db: Session, subject: Subject) -> SubjectRead:
    count = db.scalar(select(func.count(Lecture.id)).where(Lecture.subject_id == subject.id)) or 0
    return SubjectRead.model_validate(subject).model_copy(update={"lecture_count": count})


def delete_subject(
    *,
    db: Session,
    files: FileStore,
    celery: Celery,
    redis: Redis | None,
    user_id: int,
    subject_id: int,
    ingest_limit: int,
) -> list[int]:
    """Delete a subject with its lectures (their jobs cancelled, their files and vectors removed), commit, and
    let the user's waiting uploads take the freed ingest slots; returns the deleted lecture ids."""
    subject = get_subject(db=db, user_id=user_id, subject_id=subject_id)
    lecture_ids = list(db.scalars(select(Lecture.id).where(Lecture.subject_id == subject.id)))
    for lecture_id in lecture_ids:
        cancel_active_jobs(db=db, celery=celery, lecture_id=lecture_id)
    db.delete(subject)
    db.flush()
    for lecture_id in lecture_ids:
        files.delete_prefix(storage.lecture_prefix(user_id, lecture_id))
    # Vectors live with the ai worker (the one writer of the embedded store): it drops the collection.
    celery.send_task(TASK_DELETE_VECTORS, args=[user_id, subject_id, None], queue=QUEUE_AI)
    db.commit()
    # the subject's uploads no longer take the user's ingest slots
    release_waiting(db=db, celery=celery, redis=redis, user_id=user_id, limit=ingest_limit)
    return lecture_ids
