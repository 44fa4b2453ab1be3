"""The ai worker's composition root: builds its services from settings and hands them to its tasks."""

from __future__ import annotations

import threading
from typing import Any

from celery.signals import worker_ready

from shared.settings import Settings, get_settings
from workers.ai import tasks
from workers.ai.services import AiServices
from workers.runtime.context import WorkerRuntime


def build(settings: Settings | None = None, *, runtime: WorkerRuntime | None = None) -> WorkerRuntime:
    """The worker's runtime (its Celery app, context) with the ai queue's tasks registered; the services
    warm up (models loaded) in the background once the worker is ready."""
    settings = settings or get_settings()
    runtime = runtime or WorkerRuntime(settings)
    ai = AiServices(settings)
    tasks.register(runtime, ai)

    def warm_up(**_: Any) -> None:
        threading.Thread(target=ai.warm_up, name="warm-up", daemon=True).start()

    worker_ready.connect(warm_up, weak=False, dispatch_uid=f"smartnotes-ai-warm-up-{id(ai)}")
    return runtime
