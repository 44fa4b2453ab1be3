"""Indexing a lecture's chunks, the last stage of ingestion; then the lecture is done."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update

from shared.celery_app import QUEUE_AI
from shared.jobs import JobCancelled
from shared.models import Chunk, Figure, Lecture, LectureStatus, Page, Subject, utcnow
from shared.worker import WorkerContext


def index_lecture(ctx: WorkerContext, job_id: str, task: Any) -> None:
    job = ctx.reporter.start(job_id, stage="indexing", task_id=task.request.id, queue=QUEUE_AI)
    if job.lecture_id is None:
        raise JobCancelled(job_id)
    with ctx.session_factory() as db:
        lecture = db.get(Lecture, job.lecture_id)
        if lecture is None:
            raise JobCancelled(job_id)
        pages = db.scalar(select(func.count(Page.id)).where(Page.lecture_id == lecture.id)) or 0
        figures = db.scalar(select(func.count(Figure.id)).where(Figure.lecture_id == lecture.id)) or 0
        chunks = db.scalar(select(func.count(Chunk.id)).where(Chunk.lecture_id == lecture.id)) or 0
        db.execute(update(Chunk).where(Chunk.lecture_id == lecture.id).values(embedded=False))
        ctx.reporter.check_cancelled(job_id)
        seconds = (utcnow() - job.started_at).total_seconds() if job.started_at else None
        lecture.status = LectureStatus.DONE
        lecture.page_count, lecture.figure_count, lecture.chunk_count = pages, figures, chunks
        lecture.processing_seconds = seconds
        db.execute(
            update(Subject).where(Subject.id == lecture.subject_id).values(version=Subject.version + 1)
        )
        db.commit()
    ctx.reporter.done(job_id, {"pages": pages, "figures": figures, "chunks": chunks, "seconds": seconds})
