"""Settings: what this installation runs (read from the gateway), OCR languages per subject, the account."""

from __future__ import annotations

import re

import streamlit as st

from frontend.api import ApiError, GatewayClient
from frontend.session import flash, reporting, show_error, state
from frontend.views.common import load_subjects

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
        "Scans and photos are read with these Tesseract languages, joined with +: eng, hin, spa, chi_sim… "
        "Re-process a lecture (Lecture page) to read it again with new languages."
    )
    subjects = load_subjects()
    if not subjects:
        if subjects is not None:
            st.caption("No subjects yet.")
        return
    with st.form("ocr_languages"):
        wanted = {
            s["id"]: st.text_input(s["name"], value=s.get("ocr_languages") or "", key=f"langs_{s['id']}")
            for s in subjects
        }
        if not st.form_submit_button("Save languages", type="primary"):
            return
    bad = [s["name"] for s in subjects if not OCR_LANGS.match(wanted[s["id"]].strip())]
    if bad:
        st.warning(f"Use codes like eng or eng+hin for: {', '.join(bad)}.")
        return
    changed = [s for s in subjects if wanted[s["id"]].strip() != (s.get("ocr_languages") or "")]
    with reporting("Could not save the languages"):
        for subject in changed:
            client.update_subject(subject["id"], ocr_languages=wanted[subject["id"]].strip())
        flash(f"Languages saved for {len(changed)} subject(s)." if changed else "Nothing changed.")
        st.rerun()


def account(client: GatewayClient) -> None:
    st.subheader("Account")
    user = state.get("user") or {}
    name = user.get("display_name")
    st.markdown(f"**{name}** · {user.get('email', '')}" if name else f"**{user.get('email', '')}**")
    st.caption(f"Server: {client.base_url}")


def render(client: GatewayClient) -> None:
    st.header("Settings")
    runtime(client)
    ocr_languages(client)
    account(client)
