"""Lecture upload, listing, update and deletion."""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

from celery import Celery
from redis import Redis
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from gateway.services.jobs import cancel_active_jobs
from gateway.services.subjects import get_subject
from shared import ingest_queue, storage
from shared.celery_app import QUEUE_AI, QUEUE_OCR, TASK_DELETE_VECTORS
from shared.errors import AppError, not_found
from shared.files import ArchiveLimits, FileStore, inspect, sniff
from shared.jobs import TERMINAL, create_job
from shared.models import Figure, Job, Lecture, LectureStatus, Page, Subject
from shared.settings import Settings

log = logging.getLogger(__name__)
CHUNK = 1024 * 1024


def get_lecture(*, db: Session, user_id: int, lecture_id: int) -> Lecture:
    lecture = db.get(Lecture, lecture_id)
    if lecture is None or lecture.user_id != user_id:
        raise not_found("lecture", lecture_id)
    return lecture


def remove_lecture_files(*, files: FileStore, user_id: int, lecture_id: int) -> None:
    files.delete_prefix(storage.lecture_prefix(user_id, lecture_id))


def spool_upload(upload: BinaryIO, *, limit: int, tmp_dir: Path) -> tuple[Path, int, str]:
    """Copy the upload to a temp file, refusing it as soon as it passes ``limit`` bytes."""
    tmp_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, name = tempfile.mkstemp(dir=tmp_dir, suffix=".upload")
    path = Path(name)
    try:
        with open(fd, "wb") as out:
            while block := upload.read(CHUNK):
                size += len(block)
                if size > limit:
                    raise AppError(
                        "FILE_TOO_LARGE",
                        f"The file is larger than the {limit // (1024 * 1024)} MB limit.",
                        status_code=413,
                        details={"limit_bytes": limit},
                    )
                digest.update(block)
                out.write(block)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path, size, digest.hexdigest()


def create_lecture(
    *,
    db: Session,
    settings: Settings,
    files: FileStore,
    celery: Celery,
    user_id: int,
    subject_id: int,
    upload: BinaryIO,
    filename: str,
    title: str | None = None,
    webhook_url: str | None = None,
    redis: Redis | None = None,
) -> tuple[Lecture, Job]:
    """Validate and store an upload, create its lecture and job rows, and enqueue ingestion: at once
    while the user has fewer than ``settings.max_active_ingest_per_user`` uploads in the queue, else
    the job waits (stage ``waiting``) until one of theirs ends (shared/ingest_queue.py).

    Nothing is left behind when any step fails: no row, no file, no task.
    """
    get_subject(db=db, user_id=user_id, subject_id=subject_id)
    tmp, size, sha = spool_upload(
        upload, limit=settings.max_upload_bytes, tmp_dir=storage.tmp_dir(settings.data_dir)
    )
    try:
        kind = sniff(tmp, max_entries=settings.archive_max_entries)
        pages = inspect(tmp, kind, max_pages=settings.max_pages, limits=ArchiveLimits.from_settings(settings))
        safe_name = Path(filename or "upload").name[:200] or "upload"
        lecture = Lecture(
            user_id=user_id,
            subject_id=subject_id,
            title=(title or Path(safe_name).stem or "Lecture")[:300],
            title_source="user" if title else "file",
            filename=safe_name,
            file_type=kind.file_type,
            media_type=kind.media_type,
            size_bytes=size,
            sha256=sha,
            storage_path="",
            status=LectureStatus.QUEUED,
            page_count=pages,
        )
        db.add(lecture)
        db.flush()
        key = storage.lecture_original(user_id, lecture.id, kind.extension)
        target = files.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(tmp), target)
        lecture.storage_path = key
        job = _ingest_job(db, lecture, webhook_url=webhook_url)
        db.commit()
    except BaseException:
        db.rollback()
        tmp.unlink(missing_ok=True)
        if "lecture" in locals() and lecture.id is not None:
            remove_lecture_files(files=files, user_id=user_id, lecture_id=lecture.id)
        raise
    if not _enqueue(db, celery, redis, job, limit=settings.max_active_ingest_per_user):
        db.delete(lecture)
        db.delete(job)
        db.commit()
        remove_lecture_files(files=files, user_id=user_id, lecture_id=lecture.id)
        raise _queue_unavailable()
    return lecture, job


def _ingest_job(db: Session, lecture: Lecture, *, webhook_url: str | None = None) -> Job:
    """A new ingest job for ``lecture``, held waiting (stage ``waiting``) until ``_enqueue`` sends it."""
    return ingest_queue.hold(
        create_job(
            db=db,
            user_id=lecture.user_id,
            kind="ingest",
            queue=QUEUE_OCR,
            subject_id=lecture.subject_id,
            lecture_id=lecture.id,
            webhook_url=webhook_url,
        )
    )


def _queue_unavailable() -> AppError:
    return AppError(
        "QUEUE_UNAVAILABLE", "The processing queue is unreachable; try again shortly.", status_code=503
    )


def _enqueue(db: Session, celery: Celery, redis: Redis | None, job: Job, *, limit: int) -> bool:
    """Send the user's waiting uploads that fit under their cap (``job``, just created waiting, among
    them when its turn has come). False when ``job`` was due but could not be sent."""
    try:
        released = ingest_queue.release(db, celery, redis, user_id=job.user_id, limit=limit)
    except Exception:  # e.g. the database blinked: the job is stored and waits for the next release
        db.rollback()
        log.exception("could not release waiting uploads", extra={"job_id": job.id})
        released = ingest_queue.Released()
    db.refresh(job)
    return job.id not in released.failed


def reprocess_lecture(
    *,
    db: Session,
    files: FileStore,
    celery: Celery,
    user_id: int,
    lecture_id: int,
    limit: int,
    redis: Redis | None = None,
) -> Job:
    """Read a lecture again from its stored file: a new ingest job, queued like an upload's (``limit``:
    the user's cap on uploads in the queue at once).

    Refused with 409 LECTURE_BUSY while one of the lecture's jobs is still queued or running.
    """
    lecture = get_lecture(db=db, user_id=user_id, lecture_id=lecture_id)
    busy = db.scalar(select(Job.id).where(Job.lecture_id == lecture.id, Job.status.not_in(TERMINAL)))
    if busy is not None:
        raise AppError(
            "LECTURE_BUSY",
            "This lecture is still being processed; wait for it to finish or cancel it first.",
            status_code=409,
            details={"job_id": busy},
        )
    if not lecture.storage_path or not files.path(lecture.storage_path).is_file():
        raise AppError("FILE_MISSING", "The original file is no longer stored.", status_code=410)
    previous = (lecture.status, lecture.error_code, lecture.error_message)
    lecture.status = LectureStatus.QUEUED
    lecture.error_code = lecture.error_message = None
    job = _ingest_job(db, lecture)
    db.commit()
    if not _enqueue(db, celery, redis, job, limit=limit):
        db.delete(job)
        lecture.status, lecture.error_code, lecture.error_message = previous
        db.commit()
        raise _queue_unavailable()
    return job


def list_lectures(*, db: Session, user_id: int, subject_id: int | None = None) -> list[Lecture]:
    query = select(Lecture).where(Lecture.user_id == user_id)
    if subject_id is not None:
        get_subject(db=db, user_id=user_id, subject_id=subject_id)
        query = query.where(Lecture.subject_id == subject_id)
    return list(db.scalars(query.order_by(Lecture.created_at, Lecture.id)))


def list_pages(*, db: Session, lecture: Lecture) -> list[Page]:
    return list(db.scalars(select(Page).where(Page.lecture_id == lecture.id).order_by(Page.number)))


def get_page(*, db: Session, lecture: Lecture, number: int) -> Page:
    page = db.scalar(select(Page).where(Page.lecture_id == lecture.id, Page.number == number))
    if page is None:
        raise not_found("page")
    return page


def get_figure(*, db: Session, user_id: int, figure_id: int) -> Figure:
    figure = db.get(Figure, figure_id)
    if figure is None:
        raise not_found("figure")
    get_lecture(db=db, user_id=user_id, lecture_id=figure.lecture_id)  # 404 unless it is the user's
    return figure


def list_figures(*, db: Session, lecture: Lecture) -> list[Figure]:
    return list(
        db.scalars(
            select(Figure).where(Figure.lecture_id == lecture.id).order_by(Figure.page_number, Figure.id)
        )
    )


def delete_lecture(*, db: Session, files: FileStore, celery: Celery, user_id: int, lecture_id: int) -> None:
    lecture = get_lecture(db=db, user_id=user_id, lecture_id=lecture_id)
    cancel_active_jobs(db=db, celery=celery, lecture_id=lecture.id)
    subject_id = lecture.subject_id
    db.delete(lecture)
    db.execute(update(Subject).where(Subject.id == subject_id).values(version=Subject.version + 1))
    db.flush()
    remove_lecture_files(files=files, user_id=user_id, lecture_id=lecture_id)
    # Vectors live with the ai worker (the one writer of the embedded store): it removes them.
    celery.send_task(TASK_DELETE_VECTORS, args=[user_id, subject_id, lecture_id], queue=QUEUE_AI)
