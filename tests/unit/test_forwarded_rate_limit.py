"""Sign-in rate limits per browser, not per frontend replica: the frontend's GatewayClient forwards the
browser's address and the gateway keys the login limit on it, when the frontend's address is one of
SMARTNOTES_TRUSTED_PROXIES (docker-compose.yml trusts its network). uvicorn runs with no proxy headers of
its own, as everywhere."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from frontend.api import ApiError, GatewayClient
from tests.support.gateway import running_gateway

LIMIT = 3


@pytest.fixture()
def gateway(tmp_path: Path) -> Iterator[str]:
    """The real gateway app on a real uvicorn server that trusts the frontend's address (127.0.0.1) as a
    proxy; answers its base URL."""
    with running_gateway(tmp_path, rate_limit_login=f"{LIMIT}/minute", trusted_proxies=["127.0.0.1"]) as gw:
        yield gw.url


def failed_login(client: GatewayClient) -> str:
    """Sign in as nobody (a new email each time: only the per-address limit can trip); the error code."""
    with pytest.raises(ApiError) as info:
        client.login(f"nobody-{uuid.uuid4().hex[:8]}@example.com", "wrong password")
    return info.value.code


def test_each_browser_behind_one_frontend_has_its_own_login_limit(gateway: str) -> None:
    first = GatewayClient(gateway, client_ip="93.184.216.34")
    second = GatewayClient(gateway, client_ip="93.184.216.35")
    try:
        assert [failed_login(first) for _ in range(LIMIT)] == ["INVALID_CREDENTIALS"] * LIMIT
        assert failed_login(first) == "RATE_LIMITED"
        # Same frontend process and connection source, another browser: not limited by the first one.
        assert failed_login(second) == "INVALID_CREDENTIALS"
    finally:
        first.close()
        second.close()


def test_without_a_forwarded_address_all_browsers_share_the_frontends_limit(gateway: str) -> None:
    first, second = GatewayClient(gateway), GatewayClient(gateway)
    try:
        assert [failed_login(first) for _ in range(LIMIT)] == ["INVALID_CREDENTIALS"] * LIMIT
        assert failed_login(second) == "RATE_LIMITED"  # the frontend's own address was used up
    finally:
        first.close()
        second.close()


def test_a_frontend_that_is_not_a_trusted_proxy_cannot_pick_addresses(tmp_path: Path) -> None:
    """The same forwarding from an address not in SMARTNOTES_TRUSTED_PROXIES (the default: none) is
    ignored: every browser it claims shares the frontend's own limit."""
    with running_gateway(tmp_path, rate_limit_login=f"{LIMIT}/minute") as gw:
        first = GatewayClient(gw.url, client_ip="93.184.216.34")
        second = GatewayClient(gw.url, client_ip="93.184.216.35")
        try:
            assert [failed_login(first) for _ in range(LIMIT)] == ["INVALID_CREDENTIALS"] * LIMIT
            assert failed_login(second) == "RATE_LIMITED"
        finally:
            first.close()
            second.close()
