"""Entry point of the ai worker: `celery -A workers.ai.worker worker -Q ai`."""

from workers.ai.bootstrap import build

app = build().celery
