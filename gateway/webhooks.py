"""Webhook delivery: workers push ended job ids on a Redis list; one gateway pops each and POSTs a
signed JSON body, retried with exponential backoff.

Signature: ``X-SmartNotes-Signature: sha256=<hex>`` where hex is HMAC-SHA256 over
``"{X-SmartNotes-Timestamp}." + body`` with the webhook secret (``SMARTNOTES_WEBHOOK_SECRET``; when unset,
the random one kept in ``<data dir>/webhook_secret``). It is never the key that signs login tokens.

Targets (no server-side request forgery): a webhook URL is http(s) and its host must resolve only to
globally routable addresses (no loopback, private, link-local, unspecified, multicast or reserved
addresses, also not as IPv4-mapped IPv6 or as decimal/octal/hex integer hosts, which resolve to them).
It is checked when the lecture is uploaded (422 INVALID_WEBHOOK_URL) and again at every delivery attempt,
which connects to the very address it checked (the name is resolved once: no DNS rebinding between the
check and the connection), sends the name as Host and TLS SNI, and never follows a redirect.
``SMARTNOTES_WEBHOOK_ALLOW_PRIVATE=true`` lifts the address rule for on-premise receivers.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import ipaddress
import json
import logging
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from starlette.concurrency import run_in_threadpool
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from gateway.container import Container
from shared.errors import AppError
from shared.events import WEBHOOK_QUEUE
from shared.keys import WEBHOOK_SECRET_FILE, load_or_create_secret
from shared.models import Job, Lecture
from shared.schemas import JobRead, LectureRead
from shared.settings import Settings

log = logging.getLogger(__name__)
MAX_URL_LENGTH = 2000  # the jobs.webhook_url column
DNS_TIMEOUT = 5.0
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[..., list[tuple[Any, ...]]]
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class DeliveryFailed(Exception):
    pass


class UnsafeWebhookUrl(ValueError):
    """The URL is not http(s), or its host is (or resolves to) an address webhooks may not reach."""


@dataclass(frozen=True)
class WebhookTarget:
    """A checked URL and the one address to connect to."""

    url: httpx.URL
    address: IPAddress

    @property
    def connect_url(self) -> httpx.URL:
        """The URL with the checked address in place of the name (no second DNS lookup)."""
        host = str(self.address)
        return self.url.copy_with(host=host)

    @property
    def host_header(self) -> str:
        default = {"http": 80, "https": 443}[self.url.scheme]
        port = self.url.port
        host = self.url.host if ":" not in self.url.host else f"[{self.url.host}]"
        return host if port in (None, default) else f"{host}:{port}"

    @property
    def extensions(self) -> dict[str, Any]:
        if self.url.scheme != "https":
            return {}
        try:
            ipaddress.ip_address(self.url.host)
        except ValueError:  # a name: TLS is verified against it, not against the address we dial
            return {"sni_hostname": self.url.host}
        return {}  # an address literal in the URL: the dialled address is the name


def address_allowed(address: IPAddress) -> bool:
    """Globally routable and unicast, looking through IPv4-mapped, 6to4 and NAT64 IPv6 forms."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None and not address_allowed(embedded):
            return False
    return (
        address.is_global
        and not address.is_multicast
        and not address.is_reserved
        and not address.is_unspecified
        and not address.is_loopback
        and not address.is_link_local
        and not address.is_private
    )


def parse_webhook_url(url: str) -> httpx.URL:
    if len(url) > MAX_URL_LENGTH:
        raise UnsafeWebhookUrl(f"webhook_url is longer than {MAX_URL_LENGTH} characters.")
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise UnsafeWebhookUrl("webhook_url is not a valid URL.") from exc
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise UnsafeWebhookUrl("webhook_url must be an http(s) URL with a host.")
    if parsed.userinfo:
        raise UnsafeWebhookUrl("webhook_url must not carry a user name or password.")
    return parsed


def resolve_target(
    url: str, *, allow_private: bool, resolver: Resolver = socket.getaddrinfo
) -> WebhookTarget:
    """Parse, resolve once and check every address the name has; the target connects to the first.

    Raises UnsafeWebhookUrl for a URL that may never be delivered, OSError when the name does not resolve."""
    parsed = parse_webhook_url(url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    infos = resolver(parsed.host, port, type=socket.SOCK_STREAM)
    addresses: list[IPAddress] = []
    for info in infos:
        raw = str(info[4][0]).split("%", 1)[0]  # fe80::1%eth0: the scope id is not part of the address
        address = ipaddress.ip_address(raw)
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        addresses.append(address)
    if not addresses:
        raise OSError(f"{parsed.host} has no address")
    if not allow_private:
        refused = [a for a in addresses if not address_allowed(a)]
        if refused:
            raise UnsafeWebhookUrl(
                f"webhook_url must reach a public address; {parsed.host} is {refused[0]}, which is "
                "loopback, private, link-local or reserved."
            )
    return WebhookTarget(url=parsed, address=addresses[0])


def check_webhook_url(
    url: str | None, settings: Settings, *, resolver: Resolver = socket.getaddrinfo
) -> str | None:
    """The registration check (the upload route): the URL to store, or 422 INVALID_WEBHOOK_URL."""
    if not url:
        return None
    try:
        target = resolve_target(url, allow_private=settings.webhook_allow_private, resolver=resolver)
    except UnsafeWebhookUrl as exc:
        raise AppError("INVALID_WEBHOOK_URL", str(exc), status_code=422) from exc
    except (OSError, UnicodeError, ValueError) as exc:
        raise AppError(
            "INVALID_WEBHOOK_URL", "webhook_url's host name does not resolve.", status_code=422
        ) from exc
    return str(target.url)


def webhook_secret(settings: Settings) -> str:
    """The webhook signing key: SMARTNOTES_WEBHOOK_SECRET, else one generated and kept in the data dir."""
    return settings.webhook_secret or load_or_create_secret(settings.data_dir / WEBHOOK_SECRET_FILE)


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


async def _resolve(url: str, settings: Settings, resolver: Resolver) -> WebhookTarget:
    loop = asyncio.get_running_loop()

    def lookup() -> WebhookTarget:
        return resolve_target(url, allow_private=settings.webhook_allow_private, resolver=resolver)

    try:
        return await asyncio.wait_for(loop.run_in_executor(None, lookup), DNS_TIMEOUT)
    except (OSError, TimeoutError) as exc:  # DNS down or slow: worth another attempt
        raise DeliveryFailed(f"cannot resolve the webhook host: {exc!r}") from exc


async def deliver(
    container: Container,
    client: httpx.AsyncClient,
    job_id: str,
    *,
    secret: str | None = None,
    resolver: Resolver = socket.getaddrinfo,
) -> bool:
    built = await run_in_threadpool(build_payload, container, job_id)
    if built is None:
        return False
    url, payload = built
    body = json.dumps(payload, separators=(",", ":")).encode()
    settings = container.settings
    key = secret if secret else await run_in_threadpool(webhook_secret, settings)
    delivery = str(uuid.uuid4())
    try:
        async for attempt in AsyncRetrying(
            stop=stop_after_attempt(settings.webhook_max_attempts),
            wait=wait_exponential(multiplier=settings.webhook_backoff_seconds, max=60),
            retry=retry_if_exception_type((httpx.HTTPError, DeliveryFailed)),
            reraise=True,
        ):
            with attempt:
                target = await _resolve(url, settings, resolver)
                timestamp = str(int(time.time()))
                response = await client.post(
                    target.connect_url,
                    content=body,
                    follow_redirects=False,
                    extensions=target.extensions,
                    headers={
                        "Host": target.host_header,
                        "Content-Type": "application/json",
                        "X-SmartNotes-Event": payload["event"],
                        "X-SmartNotes-Delivery": delivery,
                        "X-SmartNotes-Timestamp": timestamp,
                        "X-SmartNotes-Signature": sign(key, timestamp, body),
                    },
                )
                if response.status_code >= 500 or response.status_code == 429:
                    raise DeliveryFailed(f"HTTP {response.status_code}")
        log.info("webhook delivered", extra={"job_id": job_id})
        return True
    except UnsafeWebhookUrl as exc:
        log.warning("webhook refused, not delivered: %s", exc, extra={"job_id": job_id})
        return False
    except (httpx.HTTPError, DeliveryFailed) as exc:
        log.warning("webhook gave up after retries: %s", exc, extra={"job_id": job_id})
        return False


async def run_delivery_loop(container: Container, stop: asyncio.Event) -> None:
    """Pop job ids and deliver each in its own task, until ``stop`` is set."""
    pending: set[asyncio.Task[bool]] = set()
    secret = await run_in_threadpool(webhook_secret, container.settings)
    async with httpx.AsyncClient(timeout=10.0, follow_redirects=False, trust_env=False) as client:
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
            task = asyncio.create_task(deliver(container, client, job_id, secret=secret))
            pending.add(task)
            task.add_done_callback(pending.discard)
        for task in pending:
            task.cancel()
        with contextlib.suppress(Exception):
            await asyncio.gather(*pending, return_exceptions=True)
