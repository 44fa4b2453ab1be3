"""What one browser session keeps: its gateway client (and so its tokens), where it is, notes to show.

Tests substitute the backend by putting a ``client_factory(base_url) -> GatewayClient`` callable in
``st.session_state["client_factory"]`` before the first run.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

import streamlit as st

from frontend.api import ApiError, GatewayClient
from frontend.formatting import md

DEFAULT_API_URL = "http://127.0.0.1:8000"
IMAGE_CACHE_SIZE = 300

DASHBOARD = "Dashboard"
LECTURE = "Lecture"
CHAT = "Chat"
STUDY = "Study"
FLASHCARDS = "Flashcards"
PROGRESS = "Progress"
MINDMAP = "Mind map"
SETTINGS = "Settings"
PAGES = [DASHBOARD, LECTURE, CHAT, STUDY, FLASHCARDS, MINDMAP, PROGRESS, SETTINGS]
PAGE_ICONS = {
    DASHBOARD: ":material/home:",
    LECTURE: ":material/menu_book:",
    CHAT: ":material/chat:",
    STUDY: ":material/edit_note:",
    FLASHCARDS: ":material/style:",
    MINDMAP: ":material/account_tree:",
    PROGRESS: ":material/insights:",
    SETTINGS: ":material/settings:",
}

state = st.session_state


def get_client() -> GatewayClient:
    """The one gateway client of this browser session; it holds the tokens and refreshes them."""
    client: GatewayClient | None = state.get("_client")
    if client is None:
        factory = state.get("client_factory") or GatewayClient
        client = factory(os.environ.get("SMARTNOTES_API_URL", DEFAULT_API_URL))
        client.client_ip = browser_address()
        state["_client"] = client
    return client


def browser_address() -> str | None:
    """The address of this session's browser, for the gateway's per-client rate limits (None: unknown)."""
    try:
        forwarded = st.context.headers.get("X-Forwarded-For")
        peer = st.context.ip_address
    except Exception:  # no browser connection (a bare script run)
        return None
    return client_address(forwarded, peer)


def client_address(forwarded_for: str | None, peer: str | None) -> str | None:
    """Who is on the other end: ``peer`` is the WebSocket's remote address (None on localhost), and
    ``forwarded_for`` the X-Forwarded-For header that reached Streamlit.

    The header is believed only from a proxy on this machine or a private network (the compose nginx,
    which sets it to the address it sees); its last entry is the one that proxy wrote. A peer on a public
    address is the browser itself, whatever header it sends."""
    peer_ip = _ip(peer)
    if peer is not None and peer_ip is None:
        return None
    if forwarded_for and (peer_ip is None or peer_ip.is_private or peer_ip.is_loopback):
        last = _ip(forwarded_for.split(",")[-1])
        if last is not None:
            return str(last)
    return str(peer_ip) if peer_ip is not None else None


def _ip(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip()) if text else None
    except ValueError:
        return None


def signed_in() -> bool:
    return get_client().tokens is not None


def forget_session() -> None:
    """Drop everything that belonged to the signed-in user (the client stays, without tokens)."""
    feed = state.get("_job_feed")
    if feed is not None:
        feed.stop()
    keep = {"_client", "client_factory", "auth_notice", "flash"}
    keep |= {"_cookie_resumed", "_navigate_to", "_url_applied"}  # browser_session, urlstate
    for key in list(state.keys()):
        if key not in keep:
            del state[key]


# -- notes and errors ------------------------------------------------------------------------------------


def flash(message: str, icon: str = ":material/check_circle:") -> None:
    """A note shown as a toast on the next run (survives ``st.rerun``); plain text (names in it are
    shown as they are, never as Markdown)."""
    state.setdefault("flash", []).append((message, icon))


def show_flashes() -> None:
    for message, icon in state.pop("flash", []):
        st.toast(md(message), icon=icon)


def show_error(err: ApiError, what: str | None = None) -> None:
    if err.status == 401 and state.get("user") is not None:
        # Signed out elsewhere (another tab), revoked or expired: this tab's sign-in has ended too.
        get_client().tokens = None
    if err.status == 401 and get_client().tokens is None and state.get("user") is not None:
        state["auth_notice"] = "Your session has ended; sign in again."
        forget_session()
        st.rerun()
    # Plain text: ``what`` names a file or a subject, and the message may quote what was sent.
    st.error(md(f"{what}: {err.message}" if what else err.message), icon=":material/warning:")
    st.caption(f"Error code: `{str(err.code).replace('`', '')}`")  # in a code span nothing else renders


@contextlib.contextmanager
def reporting(what: str | None = None) -> Iterator[None]:
    """Show an ``ApiError`` raised inside the block in plain words and carry on with the page."""
    try:
        yield
    except ApiError as err:
        show_error(err, what)


def runtime_info() -> dict[str, Any] | None:
    """What the gateway runs (providers, upload limit), asked once per session; None when unknown."""
    if "_runtime" not in state:
        try:
            state["_runtime"] = get_client().runtime_settings()
        except ApiError:
            return None
    info: dict[str, Any] = state["_runtime"]
    return info


# -- navigation --------------------------------------------------------------------------------------------


def go_to(page: str, **focus: Any) -> None:
    """Switch page (use as an ``on_click`` callback: it sets the navigation widget's value).

    ``focus`` sets ``subject_id``, ``lecture_id`` or ``page_number`` for the page to open on.
    """
    state["page"] = page
    for key, value in focus.items():
        state[key] = value
    state["_navigated"] = True  # a phone closes the sidebar after this (frontend/layout.py)


def current_page() -> str:
    page = state.get("page")
    return page if page in PAGES else DASHBOARD


# -- images from the gateway ------------------------------------------------------------------------------


def image_bytes(path: str) -> bytes | None:
    """A thumbnail or figure, fetched once per session (they never change under the same path...
    except after re-processing, which calls :func:`forget_images`)."""
    cache: OrderedDict[str, bytes | None] = state.setdefault("_images", OrderedDict())
    if path in cache:
        cache.move_to_end(path)
        return cache[path]
    try:
        data: bytes | None = get_client().get_bytes(path)
    except ApiError as err:
        if err.status in (401, 0):
            raise
        data = None  # no thumbnail stored (yet): the caller shows a placeholder
    cache[path] = data
    while len(cache) > IMAGE_CACHE_SIZE:
        cache.popitem(last=False)
    return data


def forget_images(prefix: str) -> None:
    cache: OrderedDict[str, bytes | None] = state.setdefault("_images", OrderedDict())
    for key in [k for k in cache if k.startswith(prefix)]:
        del cache[key]
