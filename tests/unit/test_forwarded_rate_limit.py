"""Sign-in rate limits per browser, not per frontend replica: the frontend's GatewayClient forwards the
browser's address and the gateway keys the login limit on it, when the frontend's address is one of
SMARTNOTES_TRUSTED_PROXIES (docker-compose.yml trusts its network). uvicorn runs with no proxy headers of
its own, as everywhere."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from frontend.api import ApiError, GatewayClient
from gateway.app import create_app
from shared.db import run_migrations
from shared.settings import Settings
from tests.support.services import RedisServer, free_port, wait_for

LIMIT = 3


@pytest.fixture()
def gateway(tmp_path: Path) -> Iterator[str]:
    """The real gateway app on a real uvicorn server that trusts proxy headers; answers its base URL."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level  # create_app configures logging process-wide
    redis_server = RedisServer(tmp_path / "redis")
    settings = Settings(
        environment="test",
        secret_key="test-secret-key-that-is-long-enough-0123456789",
        database_url=f"sqlite:///{tmp_path / 'smartnotes.db'}",
        redis_url=redis_server.url,
        data_dir=tmp_path / "data",
        rate_limit_login=f"{LIMIT}/minute",
        trusted_proxies=["127.0.0.1"],  # the frontend's address
        log_json=False,
        _env_file=None,  # type: ignore[call-arg]
    )
    run_migrations(settings)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, start_background=False),
            host="127.0.0.1",
            port=port,
            proxy_headers=False,
            log_config=None,
            access_log=False,
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        wait_for(lambda: server.started, 20, "uvicorn")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(20)
        redis_server.stop()
        root.handlers[:] = handlers
        root.setLevel(level)


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
    from tests.support.gateway import running_gateway

    with running_gateway(tmp_path, rate_limit_login=f"{LIMIT}/minute") as gw:
        first = GatewayClient(gw.url, client_ip="93.184.216.34")
        second = GatewayClient(gw.url, client_ip="93.184.216.35")
        try:
            assert [failed_login(first) for _ in range(LIMIT)] == ["INVALID_CREDENTIALS"] * LIMIT
            assert failed_login(second) == "RATE_LIMITED"
        finally:
            first.close()
            second.close()
