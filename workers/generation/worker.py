"""Entry point of the generation worker: `celery -A workers.generation.worker worker -Q generation`."""

from workers.generation.bootstrap import build

app = build().celery
