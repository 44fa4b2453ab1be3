"""Tasks of the ocr queue."""

from __future__ import annotations

from shared.celery_app import QUEUE_OCR, TASK_INGEST_LECTURE
from shared.worker import celery_app, job_task
from workers.ocr.pipeline import ingest_lecture

ingest_lecture_task = job_task(celery_app(), TASK_INGEST_LECTURE, queue=QUEUE_OCR)(ingest_lecture)
