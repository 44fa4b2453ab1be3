"""Entry point of the ocr worker: `celery -A workers.ocr.worker worker -Q ocr`."""

from workers.ocr.bootstrap import build

app = build().celery
