"""Bootstrap of the generation worker: `celery -A workers.generation.worker worker -Q generation`."""

from shared.worker import celery_app
from workers.generation import tasks  # noqa: F401  (registers the queue's tasks)

app = celery_app()
