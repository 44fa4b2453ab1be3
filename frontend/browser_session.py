"""Staying signed in across reloads and tabs, without page scripts ever seeing a token.

After signing in, the app (server side) asks the gateway for a one-time code and sends the browser to
``/api/v1/auth/browser/cookie?code=...&next=<this page>``; the gateway sets an HttpOnly, SameSite=Strict
cookie (Secure under TLS) and sends the browser back. A new Streamlit session (a reload, a new tab, a
pasted link) reads the cookie from the page request (``st.context.cookies``) and trades it for a token
pair of its own. Signing out ends the sign-in behind the cookie (every tab) and sends the browser to
``/api/v1/auth/browser/signout``, which clears the cookie.

With `make run` the app (:8501) and the gateway (:8000) share the host name, and cookies ignore ports; behind
the compose nginx both are on one origin, so the browser reaches the gateway at the same origin's ``/api/``.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
from collections.abc import Mapping
from urllib.parse import urlencode, urlsplit

import streamlit as st

from frontend.api import ApiError, GatewayClient

COOKIE_NAME = "smartnotes_session"
BROWSER_API_ENV = "SMARTNOTES_BROWSER_API_URL"
_NAVIGATE = "_navigate_to"
_RESUMED = "_cookie_resumed"
LOCAL_NAMES = {"localhost"}


def browser_api_url(api_url: str, override: str | None = None) -> str:
    """Where the browser reaches the gateway: ``override`` when set; the app's own gateway URL when it is on
    this machine (`make run`); else "" (the same origin, as behind the compose nginx)."""
    if override:
        return override.rstrip("/")
    host = urlsplit(api_url).hostname or ""
    if host in LOCAL_NAMES:
        return api_url.rstrip("/")
    with contextlib.suppress(ValueError):
        if ipaddress.ip_address(host).is_loopback:
            return api_url.rstrip("/")
    return ""


def gateway_for_browser(client: GatewayClient) -> str:
    return browser_api_url(client.base_url, os.environ.get(BROWSER_API_ENV))


def page_url(params: Mapping[str, str]) -> str:
    """This page's address with ``params`` as its query (the place to come back to)."""
    try:
        base = str(st.context.url or "")
    except Exception:  # no browser connection (a bare script run)
        base = ""
    base = base.split("?", 1)[0].split("#", 1)[0] or "/"
    query = urlencode(dict(params))
    return f"{base}?{query}" if query else base


def cookie_url(gateway: str, code: str, back: str) -> str:
    return f"{gateway}/api/v1/auth/browser/cookie?{urlencode({'code': code, 'next': back})}"


def signout_url(gateway: str, back: str) -> str:
    return f"{gateway}/api/v1/auth/browser/signout?{urlencode({'next': back})}"


def request_cookie() -> str | None:
    try:
        value = st.context.cookies.get(COOKIE_NAME)
    except Exception:  # no browser connection
        return None
    return str(value) if value else None


def resume(client: GatewayClient) -> bool:
    """Sign this new session in from the browser's cookie, once; True when it worked."""
    session = st.session_state
    if client.tokens is not None or session.get(_RESUMED):
        return False
    session[_RESUMED] = True
    token = request_cookie()
    if not token:
        return False
    try:
        body = client._request("POST", "/auth/browser/resume", auth=False, json={"browser_token": token})
        client._store_pair(body)
    except ApiError:
        return False  # expired or revoked: the sign-in page, as before
    return True


def remember_browser(client: GatewayClient, params: Mapping[str, str]) -> None:
    """After signing in: send the browser to the gateway for its cookie, then back to this place."""
    try:
        code = client._request("POST", "/auth/browser/code")["code"]
    except (ApiError, KeyError, TypeError):
        return  # the tab stays signed in; only a reload would ask to sign in again
    st.session_state[_NAVIGATE] = cookie_url(gateway_for_browser(client), str(code), page_url(params))


def forget_browser(client: GatewayClient) -> None:
    """After signing out: send the browser to the gateway to clear the cookie, then to the sign-in page."""
    st.session_state[_NAVIGATE] = signout_url(gateway_for_browser(client), page_url({}))


def pending_navigation() -> str | None:
    value = st.session_state.pop(_NAVIGATE, None)
    return str(value) if value else None


def navigate(url: str) -> None:
    """Send the browser to ``url`` (a top-level navigation, so the gateway's Set-Cookie lands)."""
    st.html(
        f"<script>window.location.replace({json.dumps(url)});</script>",
        unsafe_allow_javascript=True,
        width="content",
    )
