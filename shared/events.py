"""Progress events: workers publish to a per-user Redis channel; the gateway forwards them to WebSockets."""

from __future__ import annotations

import json
from typing import Any

from redis import Redis

from shared.models import Job

WEBHOOK_QUEUE = "smartnotes:webhooks"


def user_channel(user_id: int) -> str:
    return f"smartnotes:events:user:{user_id}"


def job_event(job: Job) -> dict[str, Any]:
    return {
        "type": "job",
        "job_id": job.id,
        "kind": job.kind,
        "status": job.status,
        "progress": round(job.progress, 4),
        "stage": job.stage,
        "subject_id": job.subject_id,
        "lecture_id": job.lecture_id,
        "error_code": job.error_code,
        "error_message": job.error_message,
    }


def publish(redis: Redis, user_id: int, event: dict[str, Any]) -> None:
    redis.publish(user_channel(user_id), json.dumps(event))
