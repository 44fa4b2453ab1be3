"""Sign in, create an account, sign out."""

from __future__ import annotations

import contextlib

import streamlit as st

from frontend import browser_session, urlstate
from frontend.api import ApiError, GatewayClient
from frontend.session import flash, forget_session, get_client, reporting, state


def sign_in(client: GatewayClient, email: str, password: str) -> None:
    client.login(email.strip(), password)
    state["user"] = client.me()
    state.pop("auth_notice", None)
    # Stay signed in across reloads: the browser fetches its HttpOnly cookie, then comes back here.
    browser_session.remember_browser(client, urlstate.to_params(state))
    st.rerun()


WHAT_IT_DOES = """
**Upload your lecture slides** (PDF, PowerPoint, scans or photos) and MySmartNotes reads every page.

- :material/chat: **Ask questions**: answers cite the slide they come from, with its picture.
- :material/edit_note: **Make study material**: a cheat sheet, a quiz with an answer key, flashcards.
- :material/style: **Review flashcards** on a spaced-repetition schedule and watch your progress.

Everything runs on this machine; your notes stay yours.
"""


def render(client: GatewayClient) -> None:
    st.caption("Your lecture slides, read and organised. Sign in or create an account to start.")
    if notice := state.get("auth_notice"):
        st.info(notice, icon=":material/lock:")
    forms, about = st.columns([3, 2], gap="large")
    with about:
        st.markdown(WHAT_IT_DOES)
    with forms:
        auth_forms(client)


def auth_forms(client: GatewayClient) -> None:
    login_tab, register_tab = st.tabs(["Sign in", "Create account (new here?)"])
    with login_tab, st.form("login"):
        email = st.text_input("Email", key="login_email", autocomplete="email")
        password = st.text_input(
            "Password", type="password", key="login_password", autocomplete="current-password"
        )
        if st.form_submit_button("Sign in", type="primary", width="stretch"):
            if not email or not password:
                st.warning("Enter your email and password.")
            else:
                with reporting():
                    sign_in(client, email, password)
    with register_tab, st.form("register"):
        name = st.text_input("Your name (optional)", key="register_name", autocomplete="name")
        new_email = st.text_input("Email", key="register_email", autocomplete="email")
        new_password = st.text_input(
            "Password",
            type="password",
            key="register_password",
            help="At least 8 characters.",
            autocomplete="new-password",
        )
        if st.form_submit_button("Create account", type="primary", width="stretch"):
            if not new_email or len(new_password) < 8:
                st.warning("Enter an email and a password of at least 8 characters.")
            else:
                with reporting():
                    client.register(new_email.strip(), new_password, name.strip() or None)
                    flash("Account created — welcome!")
                    sign_in(client, new_email, new_password)


def ensure_user(client: GatewayClient) -> None:
    """Tokens without a known user (a fresh session given tokens): ask who this is."""
    if state.get("user") is None:
        with contextlib.suppress(ApiError):
            state["user"] = client.me()


def sign_out() -> None:
    client = get_client()
    with contextlib.suppress(ApiError):
        client.logout()  # ends this tab's sign-in and the browser cookie's (every tab)
    forget_session()
    browser_session.forget_browser(client)  # and the browser drops the cookie
