"""The ingestion pipeline: file -> pages -> chunks, then hand the job on to the ai queue.

Idempotent: a retry or a second delivery replaces the lecture's pages and chunks instead of adding
to them, inside one transaction.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import delete

from shared.celery_app import QUEUE_AI, QUEUE_OCR, TASK_INDEX_LECTURE
from shared.errors import AppError
from shared.jobs import JobCancelled
from shared.models import Chunk, Figure, Lecture, LectureStatus, Page
from shared.worker import WorkerContext
from workers.ocr.extract import PageContent, chunk_page, read_pages

log = logging.getLogger(__name__)
READ_SHARE = 0.85  # the share of the job's progress that reading pages takes


def ingest_lecture(ctx: WorkerContext, job_id: str, task: Any) -> None:
    job = ctx.reporter.start(job_id, stage="reading", task_id=task.request.id, queue=QUEUE_OCR)
    if job.lecture_id is None:
        raise JobCancelled(job_id)
    with ctx.session_factory() as db:
        lecture = db.get(Lecture, job.lecture_id)
        if lecture is None:
            raise JobCancelled(job_id)
        lecture.status = LectureStatus.PROCESSING
        lecture.error_code = lecture.error_message = None
        db.commit()
        path = ctx.files.path(lecture.storage_path)
        file_type = lecture.file_type
        expected = max(lecture.page_count, 1)

    pages: list[PageContent] = []
    for page in read_pages(path, file_type):
        pages.append(page)
        ctx.reporter.progress(
            job_id, 0.05 + READ_SHARE * min(page.number / expected, 1.0), f"page {page.number} of {expected}"
        )
    if not pages:
        raise AppError("NO_PAGES", "The file has no pages.")
    ctx.reporter.check_cancelled(job_id)
    counts = store_pages(ctx, lecture_id=job.lecture_id, pages=pages)
    ctx.reporter.handoff(job_id, queue=QUEUE_AI, stage="indexing", progress=0.92)
    ctx.celery.send_task(TASK_INDEX_LECTURE, args=[job_id], queue=QUEUE_AI)
    log.info("pages stored; handed to ai", extra=counts)


def store_pages(ctx: WorkerContext, *, lecture_id: int, pages: list[PageContent]) -> dict[str, int]:
    """Replace the lecture's pages, figures and chunks with these, in one transaction."""
    with ctx.session_factory() as db:
        lecture = db.get(Lecture, lecture_id)
        if lecture is None:
            raise JobCancelled(str(lecture_id))
        db.execute(delete(Chunk).where(Chunk.lecture_id == lecture_id))
        db.execute(delete(Figure).where(Figure.lecture_id == lecture_id))
        db.execute(delete(Page).where(Page.lecture_id == lecture_id))
        chunk_count = 0
        for content in pages:
            page = Page(
                lecture_id=lecture_id,
                number=content.number,
                width=content.width,
                height=content.height,
                title=content.title,
                text=content.text,
                text_source=content.source,
                ocr_confidence=content.confidence,
            )
            db.add(page)
            db.flush()
            for ordinal, text in enumerate(chunk_page(content)):
                db.add(
                    Chunk(
                        lecture_id=lecture_id,
                        page_id=page.id,
                        page_number=content.number,
                        ordinal=ordinal,
                        title=content.title,
                        text=text,
                        source=content.source,
                        figure_ids=content.figure_ids,
                    )
                )
                chunk_count += 1
        lecture.page_count = len(pages)
        lecture.chunk_count = chunk_count
        lecture.figure_count = 0
        db.commit()
    return {"pages": len(pages), "chunks": chunk_count}
