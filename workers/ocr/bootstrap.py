"""The ocr worker's composition root: builds its services from settings and hands them to its tasks."""

from __future__ import annotations

from shared.settings import Settings, get_settings
from workers.ocr import tasks
from workers.ocr.adapters import OcrModels
from workers.runtime.context import WorkerRuntime


def build(settings: Settings | None = None, *, runtime: WorkerRuntime | None = None) -> WorkerRuntime:
    """The worker's runtime (its Celery app, context) with the ocr queue's tasks registered."""
    settings = settings or get_settings()
    runtime = runtime or WorkerRuntime(settings)
    tasks.register(runtime, OcrModels(settings))
    return runtime
