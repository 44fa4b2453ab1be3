"""Settings: what this installation runs (read from the gateway), OCR languages per subject, the share
links made on other pages (listed, revoked), the account."""

from __future__ import annotations

import contextlib
import re
from datetime import datetime
from typing import Any

import streamlit as st

from frontend.api import ApiError, GatewayClient
from frontend.formatting import KIND_ICON, KIND_LABEL, md_line, now_utc, parse_time, short_date, span
from frontend.session import flash, reporting, show_error, state
from frontend.views import exam
from frontend.views.common import confirm_step, load_subjects

OCR_LANGS = re.compile(r"^[a-z_]{3,10}(\+[a-z_]{3,10})*$")
RUNTIME_LABELS = [
    ("llm_provider", "Language model provider"),
    ("llm_model", "Language model"),
    ("embedding_provider", "Embeddings"),
    ("ocr_engine", "OCR engine"),
    ("layout_detector", "Layout detector"),
    ("max_upload_mb", "Largest upload (MB)"),
]


def runtime(client: GatewayClient) -> None:
    st.subheader("What answers and reads your notes")
    try:
        info = state["_runtime"] = client.runtime_settings()
    except ApiError as err:
        show_error(err, "Could not read the server's settings")
        return
    rows = [{"Setting": label, "In use": str(info.get(key, "—"))} for key, label in RUNTIME_LABELS]
    st.table(rows, hide_index=True)
    st.caption("These are chosen by whoever runs the server (environment variables, see the README).")


def ocr_languages(client: GatewayClient) -> None:
    st.subheader("Text languages per subject")
    st.caption(
        "auto (the default) reads each page with the languages of its script: English pages with eng, "
        "Hindi pages with eng+hin, Chinese with eng+chi_sim. Or name Tesseract languages for every page, "
        "joined with +: eng, hin, spa, chi_sim… "
        "Re-process a lecture (Lecture page) to read it again with new languages."
    )
    subjects = load_subjects()
    if not subjects:
        if subjects is not None:
            st.caption("No subjects yet.")
        return
    with st.form("ocr_languages"):
        wanted = {
            s["id"]: st.text_input(
                md_line(s["name"]), value=s.get("ocr_languages") or "", key=f"langs_{s['id']}"
            )
            for s in subjects
        }
        if not st.form_submit_button("Save languages", type="primary"):
            return
    bad = [s["name"] for s in subjects if not OCR_LANGS.match(wanted[s["id"]].strip())]
    if bad:
        st.warning(f"Use codes like eng or eng+hin for: {md_line(', '.join(bad))}.")
        return
    changed = [s for s in subjects if wanted[s["id"]].strip() != (s.get("ocr_languages") or "")]
    with reporting("Could not save the languages"):
        for subject in changed:
            client.update_subject(subject["id"], ocr_languages=wanted[subject["id"]].strip())
        flash(f"Languages saved for {len(changed)} subject(s)." if changed else "Nothing changed.")
        st.rerun()


def share_target(link: dict[str, Any], docs: dict[int, Any], subjects: dict[int, Any]) -> tuple[str, str]:
    """(icon, what the link opens) in words, as Markdown (names escaped)."""
    if link.get("kind") == "deck":
        subject = subjects.get(link.get("subject_id") or 0)
        name = subject["name"] if subject else f"subject {link.get('subject_id')}"
        return ":material/style:", f"Flashcard deck: {md_line(name)}"
    doc = docs.get(link.get("document_id") or 0)
    if doc is None:
        return ":material/description:", f"Document {link.get('document_id')}"
    kind = doc.get("kind")
    icon = KIND_ICON.get(kind, ":material/description:")
    return icon, f"{KIND_LABEL.get(kind, 'Document')}: {md_line(doc['title'])}"


def share_status(link: dict[str, Any], now: datetime) -> tuple[str, bool]:
    """(the link's state in words, whether it still opens)."""
    if link.get("revoked_at"):
        return f":red[Revoked] {short_date(link['revoked_at'])}", False
    expires = parse_time(link.get("expires_at"))
    if expires is None:
        return ":green[Active] · never expires", True
    if expires <= now:
        return f":orange[Expired] {short_date(expires)}", False
    return f":green[Active] · expires in {span(expires - now)} ({short_date(expires)})", True


def forget_share_url(url: str) -> None:
    """Stop the Share popovers offering a link that was just revoked."""
    links: dict[int | str, str] = state.get("share_links") or {}
    for slot in [k for k, u in links.items() if u == url]:
        del links[slot]


def share_links(client: GatewayClient) -> None:
    st.subheader("Your share links")
    st.caption(
        "Read-only links made with Share on the Study and Flashcards pages: anyone who has a live link can "
        "open it without an account. Revoke a link to stop that at once."
    )
    try:
        links = client.list_shares()
    except ApiError as err:
        show_error(err, "Could not list your share links")
        return
    if not links:
        st.caption("No links yet.")
        return
    documents: dict[int, Any] = {}
    subjects: dict[int, Any] = {}
    with contextlib.suppress(ApiError):  # only for the names; the links are listed either way
        documents = {d["id"]: d for d in client.list_documents()}
        subjects = {s["id"]: s for s in client.list_subjects()}
    now = now_utc()
    for link in links:
        share_row(client, link, share_target(link, documents, subjects), share_status(link, now))


def share_row(
    client: GatewayClient, link: dict[str, Any], target: tuple[str, str], status: tuple[str, bool]
) -> None:
    sid = link["id"]
    (icon, what), (state_text, live) = target, status
    with st.container(border=True, key=f"share_row_{sid}"):
        st.markdown(f"{icon} **{what}** · {state_text}")
        st.caption(f"Created {short_date(link.get('created_at'))}")
        if live:
            st.code(link["url"], language=None)
            if st.button("Revoke", key=f"revoke_share_{sid}", icon=":material/link_off:"):
                state["confirm_share"] = sid
        else:
            st.caption("This link no longer opens.")
        if live:

            def revoke() -> None:
                client.revoke_share(sid)
                forget_share_url(link["url"])
                flash("Link revoked: it no longer opens.", ":material/link_off:")

            confirm_step(
                "confirm_share",
                sid,
                f"Revoke the link to “{what}”? Whoever has it can no longer open it.",
                yes="Yes, revoke",
                key="revoke_share",
                failure="Could not revoke the link",
                action=revoke,
            )


def account(client: GatewayClient) -> None:
    st.subheader("Account")
    user = state.get("user") or {}
    name = user.get("display_name")
    email = md_line(user.get("email", ""))
    st.markdown(f"**{md_line(name)}** · {email}" if name else f"**{email}**")
    st.caption(f"Server: {client.base_url}")


def render(client: GatewayClient) -> None:
    st.header("Settings")
    runtime(client)
    ocr_languages(client)
    exam.exam_dates(client, load_subjects())
    exam.personal_scheduling(client)
    share_links(client)
    account(client)
