"""MySmartNotes — the Streamlit app a student uses. Talks only to the gateway over HTTP.

Run with ``streamlit run frontend/app.py``; the gateway address comes from ``SMARTNOTES_API_URL``.
Tests substitute the backend by putting a ``client_factory(base_url) -> GatewayClient`` callable in
``st.session_state["client_factory"]`` before the first run.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

import streamlit as st

from frontend.api import ApiError, GatewayClient, Tokens

DEFAULT_API_URL = "http://127.0.0.1:8000"
POLL_SECONDS = 1.0
UPLOAD_TYPES = ["pdf", "pptx", "png", "jpg", "jpeg", "tif", "tiff"]
PAGES = ["Dashboard", "Lecture view"]
TERMINAL_JOB = {"done", "failed", "cancelled"}
LECTURE_STATUS = {
    "queued": "⏳ Waiting in line",
    "processing": "⚙️ Being read",
    "done": "✅ Ready",
    "failed": "❌ Failed",
    "cancelled": "🚫 Cancelled",
}
JOB_STATUS = {"queued": "waiting to start", "running": "working", **LECTURE_STATUS}

st.set_page_config(page_title="MySmartNotes", page_icon="📚", layout="wide")
state = st.session_state


# -- plumbing ----------------------------------------------------------------------------------------------


def _save_tokens(tokens: Tokens | None) -> None:
    state["tokens"] = tokens


def get_client() -> GatewayClient:
    """The one gateway client of this browser session (or the fake a test put in ``client_factory``)."""
    client: GatewayClient | None = state.get("_client")
    if client is None:
        factory = state.get("client_factory") or GatewayClient
        client = factory(os.environ.get("SMARTNOTES_API_URL", DEFAULT_API_URL))
        state["_client"] = client
    client.tokens = state.get("tokens")
    client.on_tokens = _save_tokens
    return client


def flash(message: str, icon: str = "✅") -> None:
    """A note shown as a toast on the next run (survives ``st.rerun``)."""
    state.setdefault("flash", []).append((message, icon))


def show_error(err: ApiError, what: str | None = None) -> None:
    if err.status == 401 and state.get("tokens") is None and state.get("user") is not None:
        state["auth_notice"] = err.message  # the session ended (refresh failed): back to sign in
        state.pop("user", None)
        st.rerun()
    st.error(f"{what}: {err.message}" if what else err.message, icon="⚠️")
    st.caption(f"Error code: `{err.code}`")


@contextlib.contextmanager
def reporting(what: str | None = None) -> Iterator[None]:
    """Show an ``ApiError`` raised inside the block in plain words and carry on with the page."""
    try:
        yield
    except ApiError as err:
        show_error(err, what)


def human_size(size: int | None) -> str:
    value = float(size or 0)
    for unit in ("B", "KB", "MB"):
        if value < 1024:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def lecture_name(lecture: dict[str, Any]) -> str:
    return str(lecture.get("title") or lecture.get("filename") or f"Lecture {lecture['id']}")


def failure_text(item: dict[str, Any]) -> str:
    if item.get("error_message"):
        return str(item["error_message"])
    code = item.get("error_code")
    return f"Processing failed ({code})." if code else "Processing failed for an unknown reason."


# -- sign in -----------------------------------------------------------------------------------------------


def sign_in(client: GatewayClient, email: str, password: str) -> None:
    client.login(email.strip(), password)
    state["user"] = client.me()
    state.pop("auth_notice", None)
    st.rerun()


def page_sign_in(client: GatewayClient) -> None:
    st.caption("Your lecture slides, read and organised. Sign in or create an account to start.")
    if notice := state.get("auth_notice"):
        st.info(notice, icon="🔒")
    login_tab, register_tab = st.tabs(["Sign in", "Create account"])
    with login_tab, st.form("login"):
        email = st.text_input("Email", key="login_email")
        password = st.text_input("Password", type="password", key="login_password")
        if st.form_submit_button("Sign in", type="primary", width="stretch"):
            if not email or not password:
                st.warning("Enter your email and password.")
            else:
                with reporting():
                    sign_in(client, email, password)
    with register_tab, st.form("register"):
        name = st.text_input("Your name (optional)", key="register_name")
        new_email = st.text_input("Email", key="register_email")
        new_password = st.text_input(
            "Password", type="password", key="register_password", help="At least 8 characters."
        )
        if st.form_submit_button("Create account", type="primary", width="stretch"):
            if not new_email or len(new_password) < 8:
                st.warning("Enter an email and a password of at least 8 characters.")
            else:
                with reporting():
                    client.register(new_email.strip(), new_password, name.strip() or None)
                    flash("Account created — welcome!")
                    sign_in(client, new_email, new_password)


def sign_out() -> None:
    with contextlib.suppress(ApiError):
        get_client().logout()
    for key in ("tokens", "user", "jobs", "subject_id", "lecture_id", "confirm_lecture"):
        state.pop(key, None)


def sidebar(client: GatewayClient) -> None:
    with st.sidebar:
        user = state.get("user") or {}
        st.markdown(f"Signed in as **{user.get('display_name') or user.get('email', 'you')}**")
        st.radio("Go to", PAGES, key="page")
        st.button("Sign out", on_click=sign_out, width="stretch")
        st.caption(f"Server: {client.base_url}")


# -- subjects ----------------------------------------------------------------------------------------------


def pick_subject(subjects: list[dict[str, Any]]) -> dict[str, Any] | None:
    # Keyless on purpose: ``index`` follows ``state["subject_id"]``, which other actions also set.
    if not subjects:
        return None
    by_id = {s["id"]: s for s in subjects}
    ids = list(by_id)
    current = state.get("subject_id")
    chosen = st.selectbox(
        "Subject",
        ids,
        index=ids.index(current) if current in by_id else 0,
        format_func=lambda i: f"{by_id[i]['name']} ({by_id[i].get('lecture_count', 0)} lectures)",
    )
    state["subject_id"] = chosen
    return by_id[chosen]


def new_subject_form(client: GatewayClient) -> None:
    with (
        st.expander("New subject", icon=":material/add:", expanded=not state.get("subject_id")),
        st.form("new_subject"),
    ):
        name = st.text_input("Name", key="new_subject_name", placeholder="e.g. Organic Chemistry")
        langs = st.text_input("Text languages (OCR)", value="eng+hin", key="new_subject_langs")
        if st.form_submit_button("Create subject", type="primary"):
            if not name.strip():
                st.warning("Give the subject a name.")
                return
            with reporting("Could not create the subject"):
                subject = client.create_subject(name.strip(), langs.strip() or None)
                state["subject_id"] = subject["id"]
                flash(f"Subject “{subject['name']}” created.")
                st.rerun()


def manage_subject(client: GatewayClient, subject: dict[str, Any]) -> None:
    sid = subject["id"]
    with st.expander("Rename or delete this subject", icon=":material/settings:"):
        with st.form(f"edit_subject_{sid}"):
            name = st.text_input("Name", value=subject["name"], key=f"rename_{sid}")
            langs = st.text_input("Text languages (OCR)", value=subject.get("ocr_languages") or "")
            if st.form_submit_button("Save changes"):
                with reporting("Could not save"):
                    client.update_subject(sid, name=name.strip(), ocr_languages=langs.strip() or None)
                    flash("Subject saved.")
                    st.rerun()
        sure = st.checkbox(
            f"Yes, delete “{subject['name']}” and all its lectures", key=f"confirm_subject_{sid}"
        )
        if st.button("Delete subject", type="primary", disabled=not sure, key=f"delete_subject_{sid}"):
            with reporting("Could not delete the subject"):
                client.delete_subject(sid)
                state.pop("subject_id", None)
                flash(f"Subject “{subject['name']}” deleted.", "🗑️")
                st.rerun()


# -- uploads and jobs --------------------------------------------------------------------------------------


def upload_form(client: GatewayClient, subject_id: int) -> None:
    with st.form(f"upload_{subject_id}", clear_on_submit=True):
        files = st.file_uploader(
            "Add lecture files",
            type=UPLOAD_TYPES,
            accept_multiple_files=True,
            help="PDF, PowerPoint (.pptx) or images (PNG, JPEG, TIFF).",
        )
        submitted = st.form_submit_button("Upload", type="primary")
    if not submitted:
        return
    if not files:
        st.warning("Choose at least one file first.")
    for file in files or []:
        with reporting(f"“{file.name}” was not uploaded"):
            accepted = client.upload_lecture(subject_id, file.name, file.getvalue(), file.type)
            state.setdefault("jobs", {})[accepted["job"]["id"]] = accepted["job"]
            st.toast(f"“{file.name}” uploaded; reading it now.", icon="📤")


def adopt_active_jobs(client: GatewayClient, subject_id: int) -> None:
    """Follow jobs still running on the server (e.g. after the page was reloaded)."""
    jobs = state.setdefault("jobs", {})
    with contextlib.suppress(ApiError):
        for job in client.list_jobs(active=True):
            if job.get("subject_id") == subject_id and job["id"] not in jobs:
                jobs[job["id"]] = job


def jobs_panel(subject_id: int, names: dict[int, str]) -> None:
    """Progress of this subject's jobs; re-runs itself every second while any is still going."""
    jobs = state.get("jobs", {})
    running = any(j["subject_id"] == subject_id and j["status"] not in TERMINAL_JOB for j in jobs.values())
    st.fragment(run_every=POLL_SECONDS if running else None)(_jobs_body)(subject_id, names)


def _jobs_body(subject_id: int, names: dict[int, str]) -> None:
    client = get_client()
    jobs: dict[str, dict[str, Any]] = state.get("jobs", {})
    mine = [j for j in jobs.values() if j["subject_id"] == subject_id]
    if not mine:
        return
    st.subheader("In progress")
    finished = []
    for job in mine:
        name = names.get(job.get("lecture_id") or 0, "Lecture")
        if job["status"] not in TERMINAL_JOB:
            with reporting(f"Could not check on “{name}”"):
                job = jobs[job["id"]] = client.get_job(job["id"])
        progress = min(max(float(job.get("progress") or 0.0), 0.0), 1.0)
        step = job.get("stage") or JOB_STATUS.get(job["status"], job["status"])
        st.progress(progress, text=f"{name} — {step} ({progress:.0%})")
        if job["status"] in TERMINAL_JOB:
            finished.append((job, name))
        elif st.button("Cancel", key=f"cancel_{job['id']}"):
            with reporting("Could not cancel"):
                jobs[job["id"]] = client.cancel_job(job["id"])
    if finished:
        for job, name in finished:
            jobs.pop(job["id"], None)
            if job["status"] == "done":
                flash(f"“{name}” is ready.")
            elif job["status"] == "failed":
                flash(f"“{name}” failed: {failure_text(job)}", "❌")
            else:
                flash(f"“{name}” was cancelled.", "🚫")
        st.rerun(scope="app")


# -- lectures ----------------------------------------------------------------------------------------------


def open_lecture(lecture: dict[str, Any]) -> None:
    state["page"] = "Lecture view"
    state["lecture_id"] = lecture["id"]
    state["subject_id"] = lecture["subject_id"]


def lecture_card(client: GatewayClient, lecture: dict[str, Any]) -> None:
    lid, status = lecture["id"], lecture["status"]
    with st.container(border=True):
        st.markdown(f"**{lecture_name(lecture)}** · {LECTURE_STATUS.get(status, status)}")
        facts = [lecture.get("filename") or "", human_size(lecture.get("size_bytes"))]
        if status == "done":
            facts += [f"{lecture.get('page_count') or 0} pages", f"{lecture.get('chunk_count') or 0} chunks"]
            if lecture.get("processing_seconds"):
                facts.append(f"read in {lecture['processing_seconds']:.1f} s")
        st.caption(" · ".join(f for f in facts if f))
        if status == "failed":
            st.error(failure_text(lecture), icon="❌")
        with st.container(horizontal=True):
            st.button("📖 Open", key=f"open_{lid}", on_click=open_lecture, args=(lecture,))
            if st.button("🗑️ Delete", key=f"delete_lecture_{lid}"):
                state["confirm_lecture"] = lid
        if state.get("confirm_lecture") == lid:
            st.warning(f"Delete “{lecture_name(lecture)}”? This cannot be undone.")
            with st.container(horizontal=True):
                if st.button("Yes, delete", type="primary", key=f"yes_delete_{lid}"):
                    with reporting("Could not delete the lecture"):
                        client.delete_lecture(lid)
                        state.pop("confirm_lecture", None)
                        flash(f"“{lecture_name(lecture)}” deleted.", "🗑️")
                        st.rerun()
                if st.button("Keep it", key=f"keep_{lid}"):
                    state.pop("confirm_lecture", None)
                    st.rerun()


def page_dashboard(client: GatewayClient) -> None:
    st.header("Dashboard")
    st.caption("Your subjects and their lectures. Upload slides and they are read for you.")
    try:
        subjects = client.list_subjects()
    except ApiError as err:
        show_error(err, "Could not load your subjects")
        return
    left, right = st.columns([1, 2], gap="large")
    with left:
        subject = pick_subject(subjects)
        new_subject_form(client)
        if subject is not None:
            manage_subject(client, subject)
    if subject is None:
        right.info("Create your first subject to start uploading lectures.", icon="👈")
        return
    with right:
        st.subheader(subject["name"])
        upload_form(client, subject["id"])
        try:
            lectures = client.list_lectures(subject["id"])
        except ApiError as err:
            show_error(err, "Could not load the lectures")
            return
        adopt_active_jobs(client, subject["id"])
        jobs_panel(subject["id"], {lec["id"]: lecture_name(lec) for lec in lectures})
        if not lectures:
            st.info("No lectures yet — upload a PDF, PowerPoint or image above.", icon="📄")
        for lecture in lectures:
            lecture_card(client, lecture)


def page_lecture(client: GatewayClient) -> None:
    st.header("Lecture view")
    st.caption("The text read from each page of a lecture.")
    try:
        subject = pick_subject(client.list_subjects())
        lectures = client.list_lectures(subject["id"]) if subject else []
    except ApiError as err:
        show_error(err, "Could not load your lectures")
        return
    if not lectures:
        st.info("No lectures here yet. Upload one from the Dashboard.", icon="📄")
        return
    by_id = {lec["id"]: lec for lec in lectures}
    ids = list(by_id)
    current = state.get("lecture_id")
    lid = st.selectbox(
        "Lecture",
        ids,
        index=ids.index(current) if current in by_id else 0,
        format_func=lambda i: f"{lecture_name(by_id[i])} · {LECTURE_STATUS.get(by_id[i]['status'], '')}",
    )
    state["lecture_id"] = lid
    lecture = by_id[lid]
    if lecture["status"] == "failed":
        st.error(failure_text(lecture), icon="❌")
        return
    if lecture["status"] != "done":
        status = LECTURE_STATUS.get(lecture["status"], lecture["status"])
        st.info(f"This lecture is not ready yet ({status}). Its pages appear once it has been read.")
        return
    try:
        pages = client.list_pages(lid)
    except ApiError as err:
        show_error(err, "Could not load the pages")
        return
    st.caption(f"{len(pages)} pages · {lecture.get('filename') or ''}")
    for page in pages:
        label = f"Page {page['number']}" + (f" — {page['title']}" if page.get("title") else "")
        with st.expander(label):
            source = page.get("text_source")
            if source:
                conf = page.get("ocr_confidence")
                st.caption(f"Text from {source}" + (f" · confidence {conf:.0%}" if conf is not None else ""))
            st.text(page.get("text") or "(No text was found on this page.)", width="stretch")


# -- main --------------------------------------------------------------------------------------------------


def main() -> None:
    client = get_client()
    st.title("📚 MySmartNotes")
    for message, icon in state.pop("flash", []):
        st.toast(message, icon=icon)
    if state.get("tokens") is None:
        page_sign_in(client)
        return
    sidebar(client)
    if state.get("page", PAGES[0]) == "Lecture view":
        page_lecture(client)
    else:
        page_dashboard(client)


main()
