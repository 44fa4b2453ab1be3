"""The ingestion pipeline: file -> pages (text, layout, figures, thumbnails) -> chunks, then the ai queue.

Idempotent: a retry or a second delivery replaces the lecture's pages, figures and chunks (and their
files) instead of adding to them, inside one transaction.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from sqlalchemy import delete

from shared import storage
from shared.celery_app import QUEUE_AI, QUEUE_OCR, TASK_INDEX_LECTURE
from shared.errors import AppError
from shared.files import ArchiveLimits, FileStore
from shared.jobs import JobCancelled, enqueue_job
from shared.models import Chunk, Figure, Lecture, LectureStatus, Page, Subject
from shared.settings import Settings
from workers.ocr.adapters import OcrModels
from workers.ocr.chunking import content_chunks, deck_footers
from workers.ocr.figure_fit import render_pdf_page
from workers.ocr.figure_trim import trim_figures
from workers.ocr.line_cues import PageLines, align_hints
from workers.ocr.ports import OcrEngine
from workers.ocr.readers import PageContent, ReadOptions, read_document
from workers.ocr.role_rules import DEFAULT_RULES
from workers.ocr.roles import classify_deck, page_title
from workers.ocr.scripts import AUTO
from workers.ocr.titles import first_slide_title, lecture_title, metadata_title
from workers.runtime.context import WorkerContext

log = logging.getLogger(__name__)
READ_SHARE = 0.85  # the share of the job's progress that reading pages takes
DECORATION_SHARE = 0.4  # an image on this share of pages (and at least 3) is a logo or decoration


def ocr_languages(requested: str, engine: OcrEngine) -> str:
    """The subject's languages that the OCR engine has; English when none of them is installed; "auto" (each
    page read with the packs its scripts need) as it is."""
    if requested == AUTO:
        return AUTO
    try:
        available = engine.available_languages()
    except AppError:
        return requested
    chosen = [lang for lang in requested.split("+") if lang in available]
    if not chosen:
        log.warning("none of the OCR languages %r is installed; using eng", requested)
        return "eng"
    return "+".join(chosen)


def read_options(
    settings: Settings, *, store: FileStore, prefix: str, languages: str, models: OcrModels | None = None
) -> ReadOptions:
    """How the worker reads a deck, from settings: the models (the worker's, kept for the process; new
    ones when none are given) and the knobs."""
    models = models or OcrModels(settings)
    ocr = models.ocr
    return ReadOptions(
        store=store,
        prefix=prefix,
        languages=ocr_languages(languages, ocr),
        layout=models.layout,
        ocr=ocr,
        second_opinion=models.second_opinion,
        dpi=settings.ocr_dpi,
        parallel=settings.ocr_parallel_pages,
        figure_min_area=settings.figure_min_area,
        libreoffice_timeout=settings.libreoffice_timeout,
        libreoffice_memory_mb=settings.libreoffice_memory_mb,
        libreoffice_user=settings.libreoffice_user,
        max_render_px=settings.max_render_px,
        max_pages=settings.max_pages,
        archive=ArchiveLimits.from_settings(settings),
        hidden_dirs=(str(settings.data_dir.resolve()),),
    )


def ingest_lecture(ctx: WorkerContext, job_id: str, task: Any, models: OcrModels) -> None:
    job = ctx.reporter.start(job_id, stage="reading", task_id=task.request.id, queue=QUEUE_OCR)
    if job.lecture_id is None:
        raise JobCancelled(job_id)
    with ctx.session_factory() as db:
        lecture = db.get(Lecture, job.lecture_id)
        if lecture is None:
            raise JobCancelled(job_id)
        subject = db.get(Subject, lecture.subject_id)
        lecture.status = LectureStatus.PROCESSING
        lecture.error_code = lecture.error_message = None
        db.commit()
        path = ctx.files.path(lecture.storage_path)
        file_type, expected = lecture.file_type, max(lecture.page_count, 1)
        filename = lecture.filename
        prefix = storage.lecture_prefix_of(lecture.storage_path)
        requested_languages = subject.ocr_languages if subject else "eng"

    settings = ctx.settings
    opts = read_options(
        settings, store=ctx.files, prefix=prefix, languages=requested_languages, models=models
    )
    for folder in storage.LECTURE_FOLDERS:  # a retry starts from a clean slate
        ctx.files.delete_prefix(f"{prefix}/{folder}")

    pages: list[PageContent] = []
    for page in read_document(path, file_type, opts):
        if page.number > settings.max_pages:
            raise AppError("TOO_MANY_PAGES", f"The file has more than {settings.max_pages} pages.")
        pages.append(page)
        expected = max(expected, page.number)
        ctx.reporter.progress(
            job_id, 0.05 + READ_SHARE * page.number / expected, f"page {page.number} of {expected}"
        )
    if not pages:
        raise AppError("NO_PAGES", "The file has no pages.")
    ctx.reporter.check_cancelled(job_id)
    drop_decorations(pages, ctx)
    assign_roles(pages)
    render = render_pdf_page(path) if file_type == "pdf" else None  # a crop that grows is cut from the page
    trim_figures(
        pages, ctx.files, min_area=settings.figure_min_area, render=render
    )  # edges in gaps, no footers
    title = lecture_title(
        first_slide=first_slide_title(pages),
        metadata=metadata_title(path, file_type),
        filename=filename,
    )
    counts = store_pages(ctx, lecture_id=job.lecture_id, pages=pages, title=title)
    ctx.reporter.handoff(job_id, queue=QUEUE_AI, stage="indexing", progress=0.92)
    enqueue_job(ctx.celery, TASK_INDEX_LECTURE, job_id)
    log.info("pages stored; handed to ai", extra=counts)


def assign_roles(pages: list[PageContent], *, rules: frozenset[str] = DEFAULT_RULES) -> None:
    """A role for every line of every page (footers, meta, credits and URLs stay in the text, marked), and
    the page's title from the roles when they found one. ``rules``: see workers/ocr/role_rules.py."""
    decks = [
        PageLines(
            lines=p.text.split("\n"),
            hints=align_hints(p.text.split("\n"), p.hints),
            has_figures=bool(p.figures),
        )
        for p in pages
    ]
    for page, roles in zip(pages, classify_deck(decks, rules=rules), strict=True):
        page.roles = roles
        page.title = page_title(page.text, roles, page.title)


def drop_decorations(pages: list[PageContent], ctx: WorkerContext) -> None:
    """Remove images repeated on most pages (logos, backgrounds, footers): they are not figures."""
    if len(pages) < 3:
        return
    seen = Counter(h for page in pages for h in {f.hash for f in page.figures})
    limit = max(3, int(len(pages) * DECORATION_SHARE))
    repeated = {h for h, n in seen.items() if n >= limit}
    for page in pages:
        for figure in [f for f in page.figures if f.hash in repeated]:
            ctx.files.delete_prefix(figure.image_key)
            page.figures.remove(figure)


def store_pages(
    ctx: WorkerContext, *, lecture_id: int, pages: list[PageContent], title: str | None = None
) -> dict[str, int]:
    """Replace the lecture's pages, figures and chunks with these, in one transaction; ``title`` (read from
    the slides) names the lecture unless the student named it."""
    with ctx.session_factory() as db:
        lecture = db.get(Lecture, lecture_id)
        if lecture is None:
            raise JobCancelled(str(lecture_id))
        db.execute(delete(Chunk).where(Chunk.lecture_id == lecture_id))
        db.execute(delete(Figure).where(Figure.lecture_id == lecture_id))
        db.execute(delete(Page).where(Page.lecture_id == lecture_id))
        chunk_count = figure_count = 0
        footers = deck_footers((p.text, p.roles) for p in pages)
        for content in pages:
            page = Page(
                lecture_id=lecture_id,
                number=content.number,
                width=content.width,
                height=content.height,
                title=content.title[:500],
                text=content.text,
                text_source=content.source,
                ocr_confidence=content.confidence,
                thumbnail_path=content.thumbnail_key,
                line_roles=content.roles or None,
            )
            db.add(page)
            db.flush()
            figure_ids = []
            for ordinal, fig in enumerate(content.figures):
                figure = Figure(
                    lecture_id=lecture_id,
                    page_id=page.id,
                    page_number=content.number,
                    ordinal=ordinal,
                    bbox=fig.bbox,
                    image_path=fig.image_key,
                    caption=fig.caption,
                    text=fig.text,
                    source=fig.source,
                )
                db.add(figure)
                db.flush()
                figure_ids.append(figure.id)
            figure_count += len(figure_ids)
            drafts = content_chunks(content, footers)
            for ordinal, draft in enumerate(drafts):
                db.add(
                    Chunk(
                        lecture_id=lecture_id,
                        page_id=page.id,
                        page_number=content.number,
                        ordinal=ordinal,
                        title=content.title[:500],
                        text=draft.text,
                        source=draft.source,
                        figure_ids=figure_ids,
                    )
                )
            chunk_count += len(drafts)
        if title and lecture.title_source != "user":
            lecture.title, lecture.title_source = title, "document"
        lecture.page_count = len(pages)
        lecture.chunk_count = chunk_count
        lecture.figure_count = figure_count
        db.commit()
    return {"pages": len(pages), "chunks": chunk_count, "figures": figure_count}
