"""Tasks of the ocr queue, registered by the worker's composition root (workers/ocr/bootstrap.py)."""

from __future__ import annotations

from typing import Any

from shared.celery_app import QUEUE_OCR, TASK_INGEST_LECTURE
from workers.ocr.adapters import OcrModels
from workers.ocr.pipeline import ingest_lecture
from workers.runtime.context import WorkerContext, WorkerRuntime


def register(runtime: WorkerRuntime, models: OcrModels) -> None:
    """Register the ocr queue's tasks on the worker's app, with the services they use."""

    def ingest(ctx: WorkerContext, job_id: str, task: Any) -> None:
        ingest_lecture(ctx, job_id, task, models)

    ingest.__doc__ = ingest_lecture.__doc__
    runtime.job_task(TASK_INGEST_LECTURE, queue=QUEUE_OCR)(ingest)
