"""Pure parts of the gateway's defences: forwarded addresses, secrets kept by `make run`, required token
claims, settings parsing, and the command `make run` serves the gateway with."""

from __future__ import annotations

import ipaddress
import os
import subprocess
import uuid
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest

from gateway.proxies import forwarded_client, is_trusted
from gateway.security import decode_token, encode_token
from shared.db import run_migrations
from shared.errors import AppError
from shared.settings import DEV_SECRET, Settings
from smartnotes_tools.launcher import ROOT, child_env, commands, ensure_secrets
from tests.support.services import RedisServer, free_port, wait_for

LOCAL = [ipaddress.ip_network("127.0.0.1/32"), ipaddress.ip_network("172.28.0.0/16")]


def settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"environment": "test", "data_dir": tmp_path / "data", "_env_file": None}
    values.update(overrides)
    return Settings(**values)


# --- forwarded addresses ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("peer", "header", "client"),
    [
        ("127.0.0.1", "93.184.216.34", "93.184.216.34"),
        # what the browser wrote in front of the proxy's entry is not believed
        ("127.0.0.1", "1.2.3.4, 93.184.216.34", "93.184.216.34"),
        # through two trusted hops (nginx, then the frontend): the first untrusted from the right
        ("172.28.0.5", "93.184.216.34, 172.28.0.9", "93.184.216.34"),
        ("127.0.0.1", "garbage", "127.0.0.1"),
        ("127.0.0.1", "[2001:db8::1]:443", "2001:db8::1"),
    ],
)
def test_forwarded_client_walks_from_the_right(peer: str, header: str, client: str) -> None:
    assert forwarded_client(peer, header, LOCAL) == client


def test_only_listed_peers_are_trusted() -> None:
    assert is_trusted("127.0.0.1", LOCAL) and is_trusted("::ffff:172.28.1.1", LOCAL)
    assert not is_trusted("127.0.0.2", LOCAL) and not is_trusted("testclient", LOCAL)
    assert not is_trusted("127.0.0.1", [])


def test_trusted_proxies_and_origins_read_comma_separated_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTNOTES_TRUSTED_PROXIES", "172.28.0.0/16, 10.0.0.5")
    monkeypatch.setenv("SMARTNOTES_ALLOWED_ORIGINS", "https://notes.example.edu")
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert s.trusted_proxies == ["172.28.0.0/16", "10.0.0.5"]
    assert s.websocket_origins == ["https://notes.example.edu"]
    monkeypatch.setenv("SMARTNOTES_TRUSTED_PROXIES", "not-an-address")
    with pytest.raises(ValueError):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_default_websocket_origins_are_the_apps_own() -> None:
    origins = Settings(_env_file=None).websocket_origins  # type: ignore[call-arg]
    assert {"http://127.0.0.1:8501", "http://localhost:8501", "http://127.0.0.1:8000"} <= set(origins)
    assert not any("evil" in o for o in origins)


# --- secrets ------------------------------------------------------------------------------------------
def test_make_run_generates_and_keeps_its_own_keys(tmp_path: Path) -> None:
    first = ensure_secrets(settings(tmp_path))
    assert first.secret_key != DEV_SECRET and len(first.secret_key) >= 32
    assert first.webhook_secret and first.webhook_secret != first.secret_key
    for name in ("secret_key", "webhook_secret"):
        assert ((tmp_path / "data" / name).stat().st_mode & 0o777) == 0o600
    again = ensure_secrets(settings(tmp_path))
    assert (again.secret_key, again.webhook_secret) == (first.secret_key, first.webhook_secret)
    env = child_env(first)
    assert env["SMARTNOTES_SECRET_KEY"] == first.secret_key
    assert env["SMARTNOTES_WEBHOOK_SECRET"] == first.webhook_secret
    # An operator's key wins, and nothing is written for it.
    mine = ensure_secrets(settings(tmp_path / "other", secret_key="k" * 40, webhook_secret="w" * 40))
    assert (mine.secret_key, mine.webhook_secret) == ("k" * 40, "w" * 40)
    assert not (tmp_path / "other" / "data" / "secret_key").exists()


def test_the_uvicorn_entry_point_never_signs_with_the_placeholder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`uvicorn --factory gateway.app:app_factory` run by hand, without a key: the data dir's key is used."""
    import logging

    from gateway.app import app_factory
    from shared.settings import get_settings

    for key in [k for k in os.environ if k.startswith("SMARTNOTES_")]:
        monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv("SMARTNOTES_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SMARTNOTES_LOG_JSON", "false")
    get_settings.cache_clear()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        app_factory()
    finally:
        get_settings.cache_clear()
        root.handlers[:] = handlers
        root.setLevel(level)
    key = (tmp_path / "data" / "secret_key").read_text().strip()
    assert len(key) >= 32 and key != DEV_SECRET


def test_a_loose_key_file_is_tightened(tmp_path: Path) -> None:
    key = tmp_path / "data" / "secret_key"
    key.parent.mkdir(parents=True)
    key.write_text("x" * 64)
    key.chmod(0o644)
    assert ensure_secrets(settings(tmp_path)).secret_key == "x" * 64
    assert (key.stat().st_mode & 0o777) == 0o600


def test_tokens_must_carry_exp(tmp_path: Path) -> None:
    s = settings(tmp_path, secret_key="k" * 40)
    token = encode_token(s, user_id=1, session_id="sid", kind="access", jti="j")
    assert decode_token(s, token, kind="access")["sub"] == "1"
    claims = jwt.decode(token, options={"verify_signature": False})
    del claims["exp"]
    with pytest.raises(AppError) as info:
        decode_token(s, jwt.encode(claims, s.secret_key, algorithm="HS256"), kind="access")
    assert info.value.code == "TOKEN_INVALID"


# --- the gateway exactly as `make run` starts it ------------------------------------------------------
def test_make_runs_gateway_ignores_forwarded_for(tmp_path: Path) -> None:
    """uvicorn's default trusts X-Forwarded-For from 127.0.0.1: a local client could then pick a new address
    per request and never meet the per-address sign-in limit. The launcher's command must not."""
    redis_server = RedisServer(tmp_path / "redis")
    port = free_port()
    s = settings(
        tmp_path,
        database_url=f"sqlite:///{tmp_path / 'db.sqlite'}",
        redis_url=redis_server.url,
        api_port=port,
        secret_key="k" * 40,
        webhook_secret="w" * 40,
        rate_limit_login="3/minute",
    )
    run_migrations(s)
    [(_, cmd)] = [c for c in commands(s) if c[0] == "gateway"]
    env = {k: v for k, v in child_env(s).items() if k != "FORWARDED_ALLOW_IPS"}
    env.update(SMARTNOTES_ENVIRONMENT="test", SMARTNOTES_DATABASE_URL=s.database_url, PYTHONPATH=str(ROOT))
    env.update(
        SMARTNOTES_API_PORT=str(port), SMARTNOTES_RATE_LIMIT_LOGIN="3/minute", SMARTNOTES_LOG_JSON="false"
    )
    log = (tmp_path / "gateway.log").open("wb")
    proc = subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for(lambda: httpx.get(f"{url}/health").status_code == 200, 60, "gateway")
        codes = []
        for i in range(5):
            r = httpx.post(
                f"{url}/api/v1/auth/login",
                json={"email": f"x{uuid.uuid4().hex[:6]}@example.com", "password": "wrong password"},
                headers={"X-Forwarded-For": f"203.0.113.{i}"},
            )
            codes.append(r.json()["error"]["code"])
    finally:
        proc.terminate()
        proc.wait(20)
        redis_server.stop()
    assert "--no-proxy-headers" in cmd
    assert codes == ["INVALID_CREDENTIALS"] * 3 + ["RATE_LIMITED"] * 2
