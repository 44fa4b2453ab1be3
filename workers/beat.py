"""`celery -A workers.beat beat`: sends the periodic tasks of ``shared.celery_app.beat_schedule`` (today
``maintenance.cleanup``, run by the generation worker). Run exactly one beat per deployment: two would
send every task twice."""

from shared.settings import get_settings
from workers.runtime.context import WorkerRuntime

app = WorkerRuntime(get_settings()).celery
