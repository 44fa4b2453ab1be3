"""MySmartNotes — the Streamlit app a student uses. Talks only to the gateway (HTTP and WebSocket).

Run with ``streamlit run frontend/app.py``; the gateway address comes from ``SMARTNOTES_API_URL``.
Each page is a module in ``frontend/views`` with a ``render(client)`` function; the gateway client is
``frontend/api.py``. Tests substitute the backend through ``st.session_state["client_factory"]``.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import streamlit as st

from frontend import browser_session, layout, urlstate
from frontend.api import GatewayClient
from frontend.formatting import md_line
from frontend.session import (
    CHAT,
    DASHBOARD,
    FLASHCARDS,
    LECTURE,
    MINDMAP,
    PAGE_ICONS,
    PAGES,
    PROGRESS,
    SETTINGS,
    STUDY,
    current_page,
    forget_session,
    get_client,
    show_flashes,
    signed_in,
    state,
)
from frontend.views import auth, chat, dashboard, flashcards, lecture, mindmap, progress, settings, study

VIEWS: dict[str, Callable[[GatewayClient], None]] = {
    DASHBOARD: dashboard.render,
    LECTURE: lecture.render,
    CHAT: chat.render,
    STUDY: study.render,
    FLASHCARDS: flashcards.render,
    MINDMAP: mindmap.render,
    PROGRESS: progress.render,
    SETTINGS: settings.render,
}


def sidebar(client: GatewayClient) -> None:
    with st.sidebar:
        user = state.get("user") or {}
        st.markdown(f"Signed in as **{md_line(user.get('display_name') or user.get('email', 'you'))}**")
        st.radio(
            "Go to",
            PAGES,
            key="page",
            format_func=lambda p: f"{PAGE_ICONS[p]} {p}",
            on_change=layout.navigated,
        )
        st.button("Sign out", on_click=auth.sign_out, width="stretch", icon=":material/logout:")
        st.caption(f"Server: {md_line(urlsplit(client.base_url).netloc or client.base_url)}")


def main() -> None:
    st.set_page_config(page_title="MySmartNotes", page_icon="📚", layout="wide")
    client = get_client()
    if target := browser_session.pending_navigation():
        browser_session.navigate(target)
    if not state.get("_url_applied"):
        state.update(urlstate.from_params(st.query_params.to_dict(), PAGES))
        state["_url_applied"] = True
    browser_session.resume(client)
    layout.page_style()
    st.title("📚 MySmartNotes")
    show_flashes()
    if not signed_in():
        auth.render(client)
        return
    auth.ensure_user(client)
    if not signed_in():  # the session could not be refreshed
        state["auth_notice"] = "Your session has ended; sign in again."
        forget_session()
        st.rerun()
    state["page"] = current_page()
    sidebar(client)
    layout.after_navigation()
    try:
        VIEWS[current_page()](client)
    finally:
        show_place()


def show_place() -> None:
    """Put where the student is into the address bar (a reload or a shared link opens it again)."""
    params = urlstate.to_params(state)
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)


main()
