"""Indexing a lecture's chunks (embeddings into the vector store), the last stage of ingestion; then the
lecture is done. Idempotent: the lecture's vectors are replaced, never added to."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update

from shared.celery_app import QUEUE_AI
from shared.jobs import JobCancelled
from shared.models import Chunk, Figure, Lecture, LectureStatus, Page, Subject, utcnow
from workers.ai.retrieval import embedding_text
from workers.ai.services import AiServices
from workers.ai.vectors import collection_name
from workers.runtime.context import WorkerContext

BATCH = 64


def index_lecture(ctx: WorkerContext, job_id: str, task: Any, ai: AiServices) -> None:
    job = ctx.reporter.start(job_id, stage="indexing", task_id=task.request.id, queue=QUEUE_AI)
    if job.lecture_id is None:
        raise JobCancelled(job_id)
    with ctx.session_factory() as db:
        lecture = db.get(Lecture, job.lecture_id)
        if lecture is None:
            raise JobCancelled(job_id)
        collection = collection_name(lecture.user_id, lecture.subject_id)
        chunks = list(db.scalars(select(Chunk).where(Chunk.lecture_id == lecture.id).order_by(Chunk.id)))
        ai.store.delete_lecture(collection, lecture.id)
        for start in range(0, len(chunks), BATCH):
            batch = chunks[start : start + BATCH]
            vectors = ai.embedder.embed([embedding_text(c) for c in batch])
            ai.store.upsert(
                collection,
                [c.id for c in batch],
                vectors,
                [{"lecture_id": lecture.id, "page": c.page_number, "chunk_id": c.id} for c in batch],
            )
            ctx.reporter.progress(
                job_id,
                0.92 + 0.07 * (start + len(batch)) / max(len(chunks), 1),
                f"indexing {start + len(batch)} of {len(chunks)} chunks",
            )
        db.execute(update(Chunk).where(Chunk.lecture_id == lecture.id).values(embedded=True))
        pages = db.scalar(select(func.count(Page.id)).where(Page.lecture_id == lecture.id)) or 0
        figures = db.scalar(select(func.count(Figure.id)).where(Figure.lecture_id == lecture.id)) or 0
        ctx.reporter.check_cancelled(job_id)
        seconds = (utcnow() - job.started_at).total_seconds() if job.started_at else None
        lecture.status = LectureStatus.DONE
        lecture.page_count, lecture.figure_count, lecture.chunk_count = pages, figures, len(chunks)
        lecture.processing_seconds = seconds
        db.execute(
            update(Subject).where(Subject.id == lecture.subject_id).values(version=Subject.version + 1)
        )
        db.commit()
    ctx.reporter.done(job_id, {"pages": pages, "figures": figures, "chunks": len(chunks), "seconds": seconds})
