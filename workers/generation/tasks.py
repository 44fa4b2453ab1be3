"""Tasks of the generation queue: a liveness ping, one task for every kind of study material, mind maps, and
personal FSRS parameters (on request, and for every user due a re-fit when beat sends the weekly run).
Registered by the worker's composition root (workers/generation/bootstrap.py)."""

from __future__ import annotations

import logging
from typing import Any

from shared import storage
from shared.celery_app import (
    QUEUE_GENERATION,
    TASK_BUILD_MINDMAP,
    TASK_GENERATE_DOCUMENT,
    TASK_GENERATION_PING,
    TASK_OPTIMIZE_FSRS,
    TASK_OPTIMIZE_FSRS_ALL,
)
from shared.jobs import JobCancelled, create_job, enqueue_job
from shared.models import GeneratedDocument, utcnow
from workers.generation.fsrs_optimizer import due_for_weekly, optimize_user
from workers.generation.mindmap import build_and_store
from workers.generation.service import GenerationEnv, run
from workers.generation.services import GenerationServices
from workers.runtime.context import WorkerContext, WorkerRuntime

log = logging.getLogger(__name__)


def ping() -> str:
    """A liveness probe for the generation worker (used by the launcher test)."""
    return "pong"


def generate_document(ctx: WorkerContext, job_id: str, task: Any, services: GenerationServices) -> None:
    """Cheat sheet, quiz, flashcards or past-paper answers, as the job's params say."""
    job = ctx.reporter.start(job_id, stage="starting", task_id=task.request.id, queue=QUEUE_GENERATION)
    if job.subject_id is None:
        raise JobCancelled(job_id)
    llm, note = services.llm()

    def progress(value: float, stage: str) -> None:
        ctx.reporter.progress(job_id, value, stage)  # raises JobCancelled when the job was cancelled

    env = GenerationEnv(
        session_factory=ctx.session_factory,
        files=ctx.files,
        llm=llm,
        settings=ctx.settings,
        progress=progress,
        llm_note=note,
        ocr=services.ocr,
    )
    result = run(env, job_id=job_id, user_id=job.user_id, subject_id=job.subject_id, params=dict(job.params))
    if ctx.reporter.done(job_id, result) is None and "document_id" in result:
        _discard(ctx, int(result["document_id"]))  # cancelled at the last moment: leave nothing behind


def optimize_fsrs(ctx: WorkerContext, job_id: str, task: Any) -> None:
    """Fit the job's user's FSRS parameters to their own reviews (NOT_ENOUGH_REVIEWS below 400)."""
    job = ctx.reporter.start(job_id, stage="optimizing", task_id=task.request.id, queue=QUEUE_GENERATION)
    with ctx.session_factory() as db:
        profile = optimize_user(db, user_id=job.user_id)
    ctx.reporter.done(job_id, {key: value for key, value in profile.items() if key != "parameters"})


def optimize_fsrs_all(ctx: WorkerContext) -> int:
    """Weekly (beat): queue an optimization job for every user with enough reviews and older parameters."""
    with ctx.session_factory() as db:
        users = due_for_weekly(db, now=utcnow())
        for user_id in users:
            job = create_job(
                db=db, user_id=user_id, kind="fsrs_optimize", queue=QUEUE_GENERATION, params={"weekly": True}
            )
            db.commit()
            job.celery_task_id = enqueue_job(ctx.celery, TASK_OPTIMIZE_FSRS, job.id)
            db.commit()
    log.info("weekly FSRS optimization queued for %d users", len(users))
    return len(users)


def build_mindmap(ctx: WorkerContext, job_id: str, task: Any) -> None:
    """The mind map of a lecture or the whole subject, stored as a document: the graph (JSON, in its
    params), an SVG whose nodes link to their slides, and a PNG beside it."""
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


def _discard(ctx: WorkerContext, document_id: int) -> None:
    with ctx.session_factory() as db:
        doc = db.get(GeneratedDocument, document_id)
        if doc is not None:
            ctx.files.delete_prefix(storage.generated_prefix(doc.user_id, doc.id))
            db.delete(doc)
            db.commit()


def register(runtime: WorkerRuntime, services: GenerationServices) -> None:
    """Register the generation queue's tasks on the worker's app, with the services they use."""
    runtime.celery.task(name=TASK_GENERATION_PING, queue=QUEUE_GENERATION, shared=False)(ping)

    def generate(ctx: WorkerContext, job_id: str, task: Any) -> None:
        generate_document(ctx, job_id, task, services)

    generate.__doc__ = generate_document.__doc__
    runtime.job_task(TASK_GENERATE_DOCUMENT, queue=QUEUE_GENERATION, max_retries=2)(generate)
    runtime.job_task(TASK_OPTIMIZE_FSRS, queue=QUEUE_GENERATION, max_retries=1)(optimize_fsrs)
    runtime.job_task(TASK_BUILD_MINDMAP, queue=QUEUE_GENERATION, max_retries=1)(build_mindmap)

    def optimize_all() -> int:
        return optimize_fsrs_all(runtime.context())

    optimize_all.__doc__ = optimize_fsrs_all.__doc__
    runtime.celery.task(name=TASK_OPTIMIZE_FSRS_ALL, queue=QUEUE_GENERATION, shared=False)(optimize_all)
