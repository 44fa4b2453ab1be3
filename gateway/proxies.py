"""Who the client is behind a reverse proxy: ``X-Forwarded-For`` is believed only from trusted proxies.

uvicorn runs with ``--no-proxy-headers`` everywhere (smartnotes_tools/launcher.py, docker-compose.yml, the
Dockerfile):
its own handling trusts 127.0.0.1 by default, so any local process could pick its address per request and
walk around the per-address sign-in limits. This middleware is the one place that reads the headers, from
the peers listed in ``SMARTNOTES_TRUSTED_PROXIES`` (addresses or CIDR networks; empty: nobody).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from starlette.types import ASGIApp, Receive, Scope, Send

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[::1]:1234"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "1.2.3.4:5678"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_trusted(host: str | None, networks: Sequence[Network]) -> bool:
    address = parse_ip(host) if host else None
    return address is not None and any(address in net for net in networks)


def forwarded_client(peer: str, forwarded_for: str, networks: Sequence[Network]) -> str:
    """The client address: walk X-Forwarded-For from the right (the entry our proxy wrote) past trusted
    proxies; the first untrusted entry is the client. A malformed entry stops the walk at the last proxy."""
    client = peer
    for entry in reversed([part for part in forwarded_for.split(",") if part.strip()]):
        address = parse_ip(entry)
        if address is None:
            break
        client = str(address)
        if not any(address in net for net in networks):
            break
    return client


class TrustedProxyMiddleware:
    """Rewrites the ASGI scope's ``client`` (and ``scheme``) from forwarding headers of trusted peers."""

    def __init__(self, app: ASGIApp, *, trusted: Sequence[Network]) -> None:
        self.app = app
        self.trusted = list(trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and self.trusted:
            client = scope.get("client")
            if client and is_trusted(client[0], self.trusted):
                scope = self._rewrite(scope, client[0])
        await self.app(scope, receive, send)

    def _rewrite(self, scope: Scope, peer: str) -> Scope:
        forwarded: list[str] = []
        proto = ""
        for name, value in scope.get("headers", []):
            if name == b"x-forwarded-for":
                forwarded.append(value.decode("latin-1"))
            elif name == b"x-forwarded-proto":
                proto = value.decode("latin-1").split(",")[-1].strip().lower()
        scope = dict(scope)
        if forwarded:
            scope["client"] = (forwarded_client(peer, ",".join(forwarded), self.trusted), 0)
        if proto in ("http", "https"):
            if scope["type"] == "websocket":
                scope["scheme"] = "wss" if proto == "https" else "ws"
            else:
                scope["scheme"] = proto
        return scope
