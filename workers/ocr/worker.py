"""Bootstrap of the ocr worker: `celery -A workers.ocr.worker worker -Q ocr`."""

from shared.worker import celery_app
from workers.ocr import tasks  # noqa: F401  (registers the queue's tasks)

app = celery_app()
