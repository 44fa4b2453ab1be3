"""Webhook delivery: workers push ended job ids on a Redis list; one gateway pops each and POSTs a
signed JSON body, retried with exponential backoff.

Signature: ``X-SmartNotes-Signature: sha256=<hex>`` where hex is HMAC-SHA256 over
``"{X-SmartNotes-Timestamp}." + body`` with the webhook secret (``SMARTNOTES_WEBHOOK_SECRET``).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import time
import uuid
from typing import Any

import httpx
from starlette.concurrency import run_in_threadpool
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from gateway.container import Container
from shared.events import WEBHOOK_QUEUE
from shared.models import Job, Lecture
from shared.schemas import JobRead, LectureRead

log = logging.getLogger(__name__)


class DeliveryFailed(Exception):
    pass


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def build_payload(container: Container, job_id: str) -> tuple[str, dict[str, Any]] | None:
    with container.session_factory() as db:
        job = db.get(Job, job_id)
        if job is None or not job.webhook_url:
            return None
        payload: dict[str, Any] = {
            "event": f"job.{job.status}",
            "job": JobRead.model_validate(job).model_dump(mode="json"),
        }
        if job.lecture_id is not None:
            lecture = db.get(Lecture, job.lecture_id)
            if lecture is not None:
                payload["lecture"] = LectureRead.model_validate(lecture).model_dump(mode="json")
        return job.webhook_url, payload


async def deliver(container: Container, client: httpx.AsyncClient, job_id: str) -> bool:
    built = await run_in_threadpool(build_payload, container, job_id)
    if built is None:
        return False
    url, payload = built
    body = json.dumps(payload, separators=(",", ":")).encode()
    settings = container.settings
    delivery = str(uuid.uuid4())
    try:
        async for attempt in AsyncRetrying(
            stop=stop_after_attempt(settings.webhook_max_attempts),
            wait=wait_exponential(multiplier=settings.webhook_backoff_seconds, max=60),
            retry=retry_if_exception_type((httpx.HTTPError, DeliveryFailed)),
            reraise=True,
        ):
            with attempt:
                timestamp = str(int(time.time()))
                response = await client.post(
                    url,
                    content=body,
                    headers={
                        "Content-Type": "application/json",
                        "X-SmartNotes-Event": payload["event"],
                        "X-SmartNotes-Delivery": delivery,
                        "X-SmartNotes-Timestamp": timestamp,
                        "X-SmartNotes-Signature": sign(settings.signing_secret, timestamp, body),
                    },
                )
                if response.status_code >= 500 or response.status_code == 429:
                    raise DeliveryFailed(f"HTTP {response.status_code}")
        log.info("webhook delivered", extra={"job_id": job_id})
        return True
    except (httpx.HTTPError, DeliveryFailed) as exc:
        log.warning("webhook gave up after retries: %s", exc, extra={"job_id": job_id})
        return False


async def run_delivery_loop(container: Container, stop: asyncio.Event) -> None:
    """Pop job ids and deliver each in its own task, until ``stop`` is set."""
    pending: set[asyncio.Task[bool]] = set()
    async with httpx.AsyncClient(timeout=10.0) as client:
        while not stop.is_set():
            try:
                item = await container.aredis.brpop([WEBHOOK_QUEUE], timeout=1)
            except asyncio.CancelledError:
                break
            except Exception as exc:
                log.warning("webhook queue unreachable: %r", exc)
                await asyncio.sleep(2)
                continue
            if item is None:
                continue
            job_id = item[1].decode() if isinstance(item[1], bytes) else str(item[1])
            task = asyncio.create_task(deliver(container, client, job_id))
            pending.add(task)
            task.add_done_callback(pending.discard)
        for task in pending:
            task.cancel()
        with contextlib.suppress(Exception):
            await asyncio.gather(*pending, return_exceptions=True)
