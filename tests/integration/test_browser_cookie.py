"""The browser's sign-in cookie against the real gateway (real Redis, SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid

from tests.integration.conftest import Stack

COOKIE = "smartnotes_session"


def _signed_in(stack: Stack) -> dict[str, str]:
    email = f"c{uuid.uuid4().hex[:10]}@example.com"
    c = stack.client
    assert (
        c.post("/api/v1/auth/register", json={"email": email, "password": "long enough pw"}).status_code
        == 201
    )
    tokens = c.post("/api/v1/auth/login", json={"email": email, "password": "long enough pw"}).json()
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def _set_cookie(stack: Stack, auth: dict[str, str], next_url: str = "/?page=chat") -> tuple[str, str]:
    c = stack.client
    code = c.post("/api/v1/auth/browser/code", headers=auth).json()["code"]
    r = c.get("/api/v1/auth/browser/cookie", params={"code": code, "next": next_url}, follow_redirects=False)
    assert r.status_code == 303
    header = r.headers["set-cookie"]
    c.cookies.clear()
    return header, r.headers["location"]


def test_cookie_is_httponly_strict_and_one_time(stack: Stack) -> None:
    auth = _signed_in(stack)
    c = stack.client
    code = c.post("/api/v1/auth/browser/code", headers=auth).json()["code"]
    r = c.get(
        "/api/v1/auth/browser/cookie",
        params={"code": code, "next": "http://testserver:8501/?page=lecture&lecture=3"},
        follow_redirects=False,
    )
    c.cookies.clear()
    assert r.status_code == 303
    assert r.headers["location"] == "http://testserver:8501/?page=lecture&lecture=3"
    header = r.headers["set-cookie"].lower()
    assert header.startswith(f"{COOKIE}=")
    assert "httponly" in header and "samesite=strict" in header and "path=/" in header
    assert "secure" not in header  # plain http here; TLS adds Secure
    # The same code never works twice, and a stranger's host is never a redirect target.
    again = c.get(
        "/api/v1/auth/browser/cookie",
        params={"code": code, "next": "https://evil.example/"},
        follow_redirects=False,
    )
    assert again.status_code == 303 and again.headers["location"] == "/"
    assert "set-cookie" not in again.headers


def test_cookie_resumes_tabs_and_signout_ends_them_all(stack: Stack) -> None:
    auth = _signed_in(stack)
    c = stack.client
    header, _ = _set_cookie(stack, auth)
    token = header.split(";", 1)[0].split("=", 1)[1]
    tab1 = c.post("/api/v1/auth/browser/resume", json={"browser_token": token}).json()
    tab2 = c.post("/api/v1/auth/browser/resume", json={"browser_token": token}).json()
    for tab in (tab1, tab2):
        me = c.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {tab['access_token']}"})
        assert me.status_code == 200
    # Each tab rotates its own refresh token without touching the other's.
    r1 = c.post("/api/v1/auth/refresh", json={"refresh_token": tab1["refresh_token"]})
    r2 = c.post("/api/v1/auth/refresh", json={"refresh_token": tab2["refresh_token"]})
    assert r1.status_code == 200 and r2.status_code == 200
    # The access token is not a cookie token.
    bad = c.post("/api/v1/auth/browser/resume", json={"browser_token": tab1["access_token"]})
    assert bad.status_code == 401
    # Signing out in tab 1 ends tab 2, the first sign-in, and the cookie.
    out = c.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {r1.json()['access_token']}"})
    assert out.status_code == 204
    gone = c.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {r2.json()['access_token']}"})
    assert gone.status_code == 401
    assert c.get("/api/v1/auth/me", headers=auth).status_code == 401
    again = c.post("/api/v1/auth/browser/resume", json={"browser_token": token})
    assert again.status_code == 401 and again.json()["error"]["code"] == "TOKEN_REVOKED"


def test_signout_endpoint_clears_cookie_and_revokes(stack: Stack) -> None:
    auth = _signed_in(stack)
    c = stack.client
    header, _ = _set_cookie(stack, auth)
    token = header.split(";", 1)[0].split("=", 1)[1]
    c.cookies.set(COOKIE, token)
    r = c.get("/api/v1/auth/browser/signout", params={"next": "/"}, follow_redirects=False)
    c.cookies.clear()
    assert r.status_code == 303
    cleared = r.headers["set-cookie"].lower()
    assert cleared.startswith(f'{COOKIE}=""') or "max-age=0" in cleared
    assert c.get("/api/v1/auth/me", headers=auth).status_code == 401
    assert c.post("/api/v1/auth/browser/resume", json={"browser_token": token}).status_code == 401
