"""Tasks of the generation queue (cheat sheets, quizzes and flashcards arrive with their issue)."""

from __future__ import annotations

from shared.celery_app import QUEUE_GENERATION, TASK_GENERATION_PING
from shared.worker import celery_app

app = celery_app()


@app.task(name=TASK_GENERATION_PING, queue=QUEUE_GENERATION)
def ping() -> str:
    """A liveness probe for the generation worker (used by the launcher test)."""
    return "pong"
