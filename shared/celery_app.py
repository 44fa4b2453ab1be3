"""The Celery application every process shares: queues declared explicitly, JSON only, late acks.

The gateway only *sends* tasks by name (it never imports worker code); each worker's bootstrap
imports its own task module.
"""

from __future__ import annotations

from celery import Celery
from kombu.entity import Exchange, Queue

from shared.settings import Settings

QUEUE_OCR = "ocr"
QUEUE_AI = "ai"
QUEUE_GENERATION = "generation"
QUEUES = (QUEUE_OCR, QUEUE_AI, QUEUE_GENERATION)

# Task names are constants: the gateway and the workers agree on them and nothing else.
TASK_INGEST_LECTURE = "ocr.ingest_lecture"
TASK_INDEX_LECTURE = "ai.index_lecture"
TASK_SEARCH = "ai.search"
TASK_ANSWER = "ai.answer"
TASK_DELETE_VECTORS = "ai.delete_vectors"
TASK_GENERATION_PING = "generation.ping"
TASK_MAINTENANCE_CLEANUP = "maintenance.cleanup"
TASK_GENERATE_DOCUMENT = "generation.generate_document"
TASK_OPTIMIZE_FSRS = "generation.optimize_fsrs"  # one user's FSRS parameters (a job)
TASK_OPTIMIZE_FSRS_ALL = "generation.optimize_fsrs_all"  # beat: a job for each user due a re-fit
TASK_BUILD_MINDMAP = "generation.build_mindmap"

TASK_QUEUES = {
    TASK_INGEST_LECTURE: QUEUE_OCR,
    TASK_INDEX_LECTURE: QUEUE_AI,
    TASK_SEARCH: QUEUE_AI,
    TASK_ANSWER: QUEUE_AI,
    TASK_DELETE_VECTORS: QUEUE_AI,
    TASK_GENERATION_PING: QUEUE_GENERATION,
    # Housekeeping sent by `celery beat` (workers/beat.py); the generation worker runs it.
    TASK_MAINTENANCE_CLEANUP: QUEUE_GENERATION,
    TASK_GENERATE_DOCUMENT: QUEUE_GENERATION,
    TASK_OPTIMIZE_FSRS: QUEUE_GENERATION,
    TASK_OPTIMIZE_FSRS_ALL: QUEUE_GENERATION,
    TASK_BUILD_MINDMAP: QUEUE_GENERATION,
}


def visibility_timeout(settings: Settings) -> int:
    """Seconds after which Redis hands an unacknowledged task (its worker died) to another worker.
    It must exceed the longest task, or a task still running is delivered a second time."""
    return settings.broker_visibility_timeout or settings.task_time_limit + 600


def beat_schedule(settings: Settings) -> dict[str, dict[str, object]]:
    """The periodic tasks `celery beat` sends (run exactly one beat process per deployment)."""
    schedule: dict[str, dict[str, object]] = {}
    if settings.maintenance_interval_seconds > 0:
        schedule["maintenance-cleanup"] = {
            "task": TASK_MAINTENANCE_CLEANUP,
            "schedule": float(settings.maintenance_interval_seconds),
            "options": {"queue": QUEUE_GENERATION, "expires": settings.maintenance_interval_seconds},
        }
    if settings.fsrs_optimize_interval_seconds > 0:
        schedule["fsrs-optimize"] = {
            "task": TASK_OPTIMIZE_FSRS_ALL,
            "schedule": float(settings.fsrs_optimize_interval_seconds),
            "options": {"queue": QUEUE_GENERATION, "expires": settings.fsrs_optimize_interval_seconds},
        }
    return schedule


def make_celery(settings: Settings, name: str = "smartnotes") -> Celery:
    app = Celery(name, broker=settings.redis_url, backend=settings.redis_url)
    exchange = Exchange("smartnotes", type="direct")
    app.conf.update(
        task_queues=[Queue(q, exchange, routing_key=q) for q in QUEUES],
        task_default_queue=QUEUE_OCR,
        task_default_exchange="smartnotes",
        task_default_routing_key=QUEUE_OCR,
        task_routes={name: {"queue": q, "routing_key": q} for name, q in TASK_QUEUES.items()},
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        # A prefork child whose resident memory ends a task above this (KiB) is replaced by a fresh one.
        worker_max_memory_per_child=settings.worker_max_memory_per_child_mb * 1024 or None,
        task_track_started=True,
        task_soft_time_limit=settings.task_soft_time_limit,
        task_time_limit=settings.task_time_limit,
        result_expires=24 * 3600,
        broker_connection_retry_on_startup=True,
        # A task that runs longer than the visibility timeout would be redelivered while still running.
        # Every worker sweeps for expired unacked tasks every 10 s (kombu's own default: every 100 s).
        broker_transport_options={
            "visibility_timeout": visibility_timeout(settings),
            "unacked_restore_interval": 10,
            "unacked_restore_throttle": 1,
        },
        beat_schedule=beat_schedule(settings),
        worker_hijack_root_logger=False,
        worker_send_task_events=True,
        task_send_sent_event=True,
    )
    return app
