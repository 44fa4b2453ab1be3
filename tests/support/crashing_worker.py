"""A Celery worker for the bounded-redelivery tests: the product's own app and job_task wrapper, with
tasks that die the way a hostile file makes a worker die.

`celery -A tests.support.crashing_worker worker -Q ocr --concurrency 1`
"""

from __future__ import annotations

import os
import signal
from typing import Any

from shared.settings import get_settings
from workers.runtime.context import WorkerContext, WorkerRuntime

runtime = WorkerRuntime(get_settings())
app = runtime.celery

TASK_KILLED = "test.killed_by_the_kernel"
TASK_HOG = "test.allocates_too_much"
TASK_ABORT = "test.native_crash"


@runtime.job_task(TASK_KILLED, queue="ocr")
def killed(ctx: WorkerContext, job_id: str, task: Any) -> None:
    """What the OOM killer does to a worker decoding a bomb: SIGKILL, mid-task."""
    ctx.reporter.start(job_id, stage="reading", task_id=task.request.id, queue="ocr")
    os.kill(os.getpid(), signal.SIGKILL)


@runtime.job_task(TASK_ABORT, queue="ocr")
def aborted(ctx: WorkerContext, job_id: str, task: Any) -> None:
    """A crash in native code (not a memory kill)."""
    ctx.reporter.start(job_id, stage="reading", task_id=task.request.id, queue="ocr")
    os.abort()


@runtime.job_task(TASK_HOG, queue="ocr")
def hog(ctx: WorkerContext, job_id: str, task: Any) -> None:
    """Decoding a huge image: far more than a task may use."""
    ctx.reporter.start(job_id, stage="reading", task_id=task.request.id, queue="ocr")
    block = bytearray(3 * 1024 * 1024 * 1024)
    ctx.reporter.done(job_id, {"allocated": len(block)})
