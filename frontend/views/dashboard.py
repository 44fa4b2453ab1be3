"""Dashboard: subjects (create, rename, delete), their lectures with status and live progress, uploads."""

from __future__ import annotations

from typing import Any

import streamlit as st

from frontend import jobs
from frontend.api import ApiError, GatewayClient
from frontend.formatting import STATUS_BADGE, failure_text, human_size, lecture_name, md, md_line, plural
from frontend.session import CHAT, LECTURE, STUDY, flash, go_to, reporting, runtime_info, show_error, state
from frontend.upload_checks import check_file, file_kind
from frontend.views.common import confirm_step, load_lectures, load_subjects, pick_subject

UPLOAD_TYPES = ["pdf", "pptx", "png", "jpg", "jpeg", "tif", "tiff"]  # what the gateway reads (by content)


def new_subject_form(client: GatewayClient) -> None:
    with (
        st.expander("New subject", icon=":material/add:", expanded=not state.get("subject_id")),
        st.form("new_subject"),
    ):
        name = st.text_input("Name", key="new_subject_name", placeholder="e.g. Organic Chemistry")
        langs = st.text_input(
            "Text languages (OCR)",
            value="auto",
            key="new_subject_langs",
            help="auto: each page in the languages it is written in. Or Tesseract codes joined with +, "
            "e.g. eng, eng+hin, spa, chi_sim, for every page.",
        )
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
            f"Yes, delete “{md_line(subject['name'])}” and all its lectures", key=f"confirm_subject_{sid}"
        )
        if st.button("Delete subject", type="primary", disabled=not sure, key=f"delete_subject_{sid}"):
            with reporting("Could not delete the subject"):
                client.delete_subject(sid)
                state.pop("subject_id", None)
                flash(f"Subject “{subject['name']}” deleted.", ":material/delete:")
                st.rerun()


def upload_form(client: GatewayClient, subject_id: int) -> None:
    """Pick files; each is checked at once and a problem is said in words next to it (the gateway's code
    and message). "Upload and read" sends the files without a problem; what the gateway refuses is shown
    next to that file the same way."""
    runtime = runtime_info() or {}
    limit, max_pages = runtime.get("max_upload_mb"), runtime.get("max_pages")
    round_key = f"upload_round_{subject_id}"
    files = st.file_uploader(
        "Add lecture files",
        accept_multiple_files=True,
        key=f"upload_{subject_id}_{state.get(round_key, 0)}",
        help="Drag and drop one or several files: PDF, PowerPoint (.pptx) or images (PNG, JPEG, TIFF)"
        + (f", up to {limit} MB each." if limit else "."),
    )
    ready = []
    for file in files or []:
        data = file.getvalue()
        problem = check_file(data, max_upload_mb=limit, max_pages=max_pages)
        if problem is None:
            kind = file_kind(data[:2048]) or "file"
            st.caption(f":material/check_circle: {md_line(file.name)} · {kind} · {human_size(len(data))}")
            ready.append(file)
        else:
            file_problem(file.name, problem.code, problem.message)
    refused: list[tuple[str, str, str]] = state.get(f"upload_refused_{subject_id}") or []
    for name, code, message in refused:
        file_problem(name, code, message)
    if not st.button(
        "Upload and read",
        type="primary",
        icon=":material/upload:",
        key=f"upload_go_{subject_id}",
        disabled=not ready,
        help=None if ready else "Choose a PDF, PowerPoint or image file first.",
    ):
        return
    bar = st.progress(0.0, text="Uploading…")
    refused = []
    for n, file in enumerate(ready, start=1):
        bar.progress((n - 1) / len(ready), text=f"Uploading {n} of {len(ready)}: {md_line(file.name)}")
        try:
            accepted = client.upload_lecture(subject_id, file.name, file.getvalue(), file.type)
        except ApiError as err:
            if err.status == 401:
                show_error(err)
            refused.append((file.name, str(err.code), err.message))
            continue
        jobs.track(accepted["job"])
        flash(f"“{file.name}” uploaded; reading it now.", ":material/upload:")
    bar.empty()
    state[f"upload_refused_{subject_id}"] = refused
    state[round_key] = state.get(round_key, 0) + 1  # an empty picker for the next files
    st.rerun()


def file_problem(name: str, code: str, message: str) -> None:
    """A file's problem in words, next to its name, with the gateway's error code."""
    st.error(f"“{md_line(name)}” was not uploaded: {md(message)}", icon=":material/block:")
    st.caption(f"Error code: `{code.replace('`', '')}`")


def lecture_card(client: GatewayClient, lecture: dict[str, Any]) -> None:
    lid, status = lecture["id"], lecture["status"]
    with st.container(border=True):
        st.markdown(f"**{md_line(lecture_name(lecture))}** · {STATUS_BADGE.get(status, md_line(status))}")
        facts = [lecture.get("filename") or "", human_size(lecture.get("size_bytes"))]
        if status == "done":
            facts += [plural(lecture.get("page_count"), "page"), plural(lecture.get("chunk_count"), "chunk")]
            if lecture.get("figure_count"):
                facts.append(plural(lecture["figure_count"], "figure"))
            if lecture.get("processing_seconds"):
                facts.append(f"read in {lecture['processing_seconds']:.1f} s")
        st.caption(md_line(" · ".join(f for f in facts if f)))
        if status == "failed":
            st.error(md(failure_text(lecture)), icon=":material/error:")
        with st.container(horizontal=True):
            st.button(
                "Open",
                icon=":material/menu_book:",
                key=f"open_{lid}",
                on_click=go_to,
                args=(LECTURE,),
                kwargs={"lecture_id": lid, "subject_id": lecture["subject_id"], "page_number": 1},
            )
            if st.button("Delete", key=f"delete_lecture_{lid}", icon=":material/delete:"):
                state["confirm_lecture"] = lid

        def delete() -> None:
            client.delete_lecture(lid)
            flash(f"“{lecture_name(lecture)}” deleted.", ":material/delete:")

        confirm_step(
            "confirm_lecture",
            lid,
            f"Delete “{md_line(lecture_name(lecture))}”? This cannot be undone.",
            yes="Yes, delete",
            key="delete",
            failure="Could not delete the lecture",
            action=delete,
        )


def next_steps(lectures: list[dict[str, Any]]) -> None:
    if not any(lec["status"] == "done" for lec in lectures):
        return
    with st.container(horizontal=True):
        st.button("Ask your notes", icon=":material/chat:", on_click=go_to, args=(CHAT,), key="goto_chat")
        st.button(
            "Make a quiz or cheat sheet",
            icon=":material/edit_note:",
            on_click=go_to,
            args=(STUDY,),
            key="goto_study",
        )


def render(client: GatewayClient) -> None:
    st.header("Dashboard")
    st.caption("Your subjects and their lectures. Upload slides and they are read for you.")
    subjects = load_subjects()
    if subjects is None:
        return
    left, right = st.columns([1, 2], gap="large")
    with left:
        subject = pick_subject(subjects)
        new_subject_form(client)
        if subject is not None:
            manage_subject(client, subject)
    if subject is None:
        right.info("Create your first subject to start uploading lectures.", icon=":material/arrow_back:")
        return
    with right:
        st.subheader(md_line(subject["name"]))
        upload_form(client, subject["id"])
        lectures = load_lectures(client, subject["id"])
        if lectures is None:
            return
        jobs.adopt_active_jobs(subject["id"], ["ingest"])
        jobs.jobs_panel(subject["id"], ["ingest"], {lec["id"]: lecture_name(lec) for lec in lectures})
        if not lectures:
            st.info(
                "No lectures yet — upload a PDF, PowerPoint or image above.", icon=":material/description:"
            )
        next_steps(lectures)
        for lecture in lectures:
            lecture_card(client, lecture)
