"""Tasks of the generation queue: a liveness ping, and one task for every kind of study material.
Registered by the worker's composition root (workers/generation/bootstrap.py)."""

from __future__ import annotations

import logging
from typing import Any

from shared import storage
from shared.celery_app import QUEUE_GENERATION, TASK_GENERATE_DOCUMENT, TASK_GENERATION_PING
from shared.jobs import JobCancelled
from shared.models import GeneratedDocument
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
