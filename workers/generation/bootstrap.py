"""The generation worker's composition root: builds its services from settings and hands them to its
tasks."""

from __future__ import annotations

from shared.settings import Settings, get_settings
from workers.generation import tasks
from workers.generation.services import GenerationServices
from workers.runtime.context import WorkerRuntime


def build(settings: Settings | None = None, *, runtime: WorkerRuntime | None = None) -> WorkerRuntime:
    """The worker's runtime (its Celery app, context) with the generation queue's tasks registered."""
    settings = settings or get_settings()
    runtime = runtime or WorkerRuntime(settings)
    tasks.register(runtime, GenerationServices(settings))
    return runtime
