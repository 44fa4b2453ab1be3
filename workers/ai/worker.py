"""Bootstrap of the ai worker: `celery -A workers.ai.worker worker -Q ai`."""

from shared.worker import celery_app
from workers.ai import tasks  # noqa: F401  (registers the queue's tasks)

app = celery_app()
