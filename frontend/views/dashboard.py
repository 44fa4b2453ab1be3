"""Dashboard: subjects (create, rename, delete), their lectures with status and live progress, uploads."""

from __future__ import annotations

from typing import Any

import streamlit as st

from frontend import jobs
from frontend.api import GatewayClient
from frontend.formatting import STATUS_BADGE, failure_text, human_size, lecture_name, md, md_line, plural
from frontend.session import CHAT, LECTURE, STUDY, flash, go_to, reporting, runtime_info, state
from frontend.views.common import confirm_step, load_lectures, load_subjects, pick_subject

UPLOAD_TYPES = ["pdf", "pptx", "png", "jpg", "jpeg", "tif", "tiff"]


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
    limit = (runtime_info() or {}).get("max_upload_mb")
    with st.form(f"upload_{subject_id}", clear_on_submit=True):
        files = st.file_uploader(
            "Add lecture files",
            type=UPLOAD_TYPES,
            accept_multiple_files=True,
            help="Drag and drop one or several files: PDF, PowerPoint (.pptx) or images (PNG, JPEG, TIFF)"
            + (f", up to {limit} MB each." if limit else "."),
        )
        submitted = st.form_submit_button("Upload and read", type="primary", icon=":material/upload:")
    if not submitted:
        return
    if not files:
        st.warning("Choose at least one file first.")
        return
    bar = st.progress(0.0, text="Uploading…")
    for n, file in enumerate(files, start=1):
        bar.progress((n - 1) / len(files), text=f"Uploading {n} of {len(files)}: {md_line(file.name)}")
        with reporting(f"“{file.name}” was not uploaded"):
            accepted = client.upload_lecture(subject_id, file.name, file.getvalue(), file.type)
            jobs.track(accepted["job"])
            st.toast(f"“{md_line(file.name)}” uploaded; reading it now.", icon=":material/upload:")
    bar.empty()


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
