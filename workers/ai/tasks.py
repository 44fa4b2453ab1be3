"""Tasks of the ai queue."""

from __future__ import annotations

from shared.celery_app import QUEUE_AI, TASK_INDEX_LECTURE
from shared.worker import celery_app, job_task
from workers.ai.indexing import index_lecture

index_lecture_task = job_task(celery_app(), TASK_INDEX_LECTURE, queue=QUEUE_AI)(index_lecture)
