"""Tasks of the generation queue: a liveness ping, one task for every kind of study material, mind maps, and
personal FSRS parameters (on request, and for every user due a re-fit when beat sends the weekly run)."""

from __future__ import annotations

import logging
from typing import Any

from shared.celery_app import (
    QUEUE_GENERATION,
    TASK_BUILD_MINDMAP,
    TASK_GENERATE_DOCUMENT,
    TASK_GENERATION_PING,
    TASK_OPTIMIZE_FSRS,
    TASK_OPTIMIZE_FSRS_ALL,
)
from shared.errors import AppError
from shared.jobs import JobCancelled
from shared.worker import WorkerContext, celery_app, job_task

log = logging.getLogger(__name__)
app = celery_app()


@app.task(name=TASK_GENERATION_PING, queue=QUEUE_GENERATION)
def ping() -> str:
    """A liveness probe for the generation worker (used by the launcher test)."""
    return "pong"


def generate_document(ctx: WorkerContext, job_id: str, task: Any) -> None:
    """Cheat sheet, quiz, flashcards or past-paper answers, as the job's params say."""
    from shared.llm import make_llm
    from workers.generation.service import GenerationEnv, run

    job = ctx.reporter.start(job_id, stage="starting", task_id=task.request.id, queue=QUEUE_GENERATION)
    if job.subject_id is None:
        raise JobCancelled(job_id)
    note = ""
    try:
        llm = make_llm(ctx.settings)
    except AppError as exc:  # no model: everything is extractive, and the document says so
        log.warning("no LLM for generation: %s", exc.message)
        llm, note = None, exc.message

    def progress(value: float, stage: str) -> None:
        ctx.reporter.progress(job_id, value, stage)  # raises JobCancelled when the job was cancelled

    env = GenerationEnv(
        session_factory=ctx.session_factory,
        files=ctx.files,
        llm=llm,
        settings=ctx.settings,
        progress=progress,
        llm_note=note,
    )
    result = run(env, job_id=job_id, user_id=job.user_id, subject_id=job.subject_id, params=dict(job.params))
    if ctx.reporter.done(job_id, result) is None and "document_id" in result:
        _discard(ctx, int(result["document_id"]))  # cancelled at the last moment: leave nothing behind


def _discard(ctx: WorkerContext, document_id: int) -> None:
    from shared.models import GeneratedDocument

    with ctx.session_factory() as db:
        doc = db.get(GeneratedDocument, document_id)
        if doc is not None:
            ctx.files.delete_prefix(f"generated/{doc.user_id}/{doc.id}")
            db.delete(doc)
            db.commit()


generate_document_task = job_task(app, TASK_GENERATE_DOCUMENT, queue=QUEUE_GENERATION, max_retries=2)(
    generate_document
)


def optimize_fsrs(ctx: WorkerContext, job_id: str, task: Any) -> None:
    """Fit the job's user's FSRS parameters to their own reviews (NOT_ENOUGH_REVIEWS below 400)."""
    from workers.generation.fsrs_optimizer import optimize_user

    job = ctx.reporter.start(job_id, stage="optimizing", task_id=task.request.id, queue=QUEUE_GENERATION)
    with ctx.session_factory() as db:
        profile = optimize_user(db, user_id=job.user_id)
    ctx.reporter.done(job_id, {key: value for key, value in profile.items() if key != "parameters"})


optimize_fsrs_task = job_task(app, TASK_OPTIMIZE_FSRS, queue=QUEUE_GENERATION, max_retries=1)(optimize_fsrs)


@app.task(name=TASK_OPTIMIZE_FSRS_ALL, queue=QUEUE_GENERATION)
def optimize_fsrs_all() -> int:
    """Weekly (beat): queue an optimization job for every user with enough reviews and older parameters."""
    from shared.jobs import create_job
    from shared.models import utcnow
    from shared.worker import context
    from workers.generation.fsrs_optimizer import due_for_weekly

    ctx = context()
    with ctx.session_factory() as db:
        users = due_for_weekly(db, now=utcnow())
        for user_id in users:
            job = create_job(
                db=db, user_id=user_id, kind="fsrs_optimize", queue=QUEUE_GENERATION, params={"weekly": True}
            )
            db.commit()
            result = ctx.celery.send_task(TASK_OPTIMIZE_FSRS, args=[job.id], queue=QUEUE_GENERATION)
            job.celery_task_id = result.id
            db.commit()
    log.info("weekly FSRS optimization queued for %d users", len(users))
    return len(users)


def build_mindmap(ctx: WorkerContext, job_id: str, task: Any) -> None:
    """The mind map of a lecture or the whole subject, stored as a document: the graph (JSON, in its
    params), an SVG whose nodes link to their slides, and a PNG beside it."""
    from workers.generation.mindmap import build_and_store

    job = ctx.reporter.start(job_id, stage="mind map", task_id=task.request.id, queue=QUEUE_GENERATION)
    if job.subject_id is None:
        raise JobCancelled(job_id)
    lecture_id = job.params.get("lecture_id")
    with ctx.session_factory() as db:
        document_id = build_and_store(
            db,
            ctx.files,
            job_id=job_id,
            user_id=job.user_id,
            subject_id=job.subject_id,
            lecture_id=int(lecture_id) if lecture_id else None,
        )
    if ctx.reporter.done(job_id, {"document_id": document_id}) is None:
        _discard(ctx, document_id)


build_mindmap_task = job_task(app, TASK_BUILD_MINDMAP, queue=QUEUE_GENERATION, max_retries=1)(build_mindmap)
