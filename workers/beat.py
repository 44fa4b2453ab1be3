"""`celery -A workers.beat beat`: sends the periodic tasks of ``shared.celery_app.beat_schedule`` (today
``maintenance.cleanup``, run by the generation worker). Run exactly one beat per deployment: two would
send every task twice."""

from shared.worker import celery_app

app = celery_app()
