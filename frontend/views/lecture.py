"""Lecture view: page thumbnails, the text read from each page, the figures found, and re-processing."""

from __future__ import annotations

from typing import Any

import streamlit as st

from frontend import jobs
from frontend.api import ApiError, GatewayClient
from frontend.formatting import (
    LECTURE_STATUS,
    STATUS_BADGE,
    TERMINAL_JOB,
    TEXT_SOURCE,
    escape_markdown,
    failure_text,
    lecture_name,
    md,
    md_line,
    plural,
    split_page_text,
)
from frontend.session import flash, forget_images, reporting, show_error, state
from frontend.views.common import figure_image, load_lectures, load_subjects, slide_image, subject_or_hint

BATCH = 12  # thumbnails shown at once
GRID_THUMB = 150
FIGURES_PER_ROW = 3


def pick_lecture(lectures: list[dict[str, Any]]) -> dict[str, Any]:
    by_id = {lec["id"]: lec for lec in lectures}
    ids = list(by_id)
    current = state.get("lecture_id")
    lid = st.selectbox(
        "Lecture",
        ids,
        index=ids.index(current) if current in by_id else 0,
        format_func=lambda i: f"{lecture_name(by_id[i])} · {LECTURE_STATUS.get(by_id[i]['status'], '')}",
    )
    if lid != current:
        state["page_number"] = 1
    state["lecture_id"] = lid
    return by_id[lid]


def reprocess_button(client: GatewayClient, lecture: dict[str, Any], busy: bool) -> None:
    if st.button(
        "Re-process",
        key=f"reprocess_{lecture['id']}",
        icon=":material/refresh:",
        disabled=busy,
        help="Read the slides again from the stored file, e.g. after changing the subject's OCR languages.",
    ):
        with reporting("Could not re-process"):
            accepted = client.reprocess_lecture(lecture["id"])
            jobs.track(accepted["job"], label=lecture_name(lecture))
            forget_images(f"/lectures/{lecture['id']}/")
            flash(f"Reading “{lecture_name(lecture)}” again.", ":material/refresh:")
            st.rerun()


def rename_popover(client: GatewayClient, lecture: dict[str, Any]) -> None:
    """Give the lecture another name (kept when it is read again); citations and lists use it."""
    with st.popover("Rename", icon=":material/edit:"), st.form(f"rename_{lecture['id']}", border=False):
        title = st.text_input("Lecture name", value=lecture_name(lecture), max_chars=300)
        st.caption(f"File: {md_line(lecture.get('filename'))}")
        if st.form_submit_button("Save name", type="primary") and title.strip():
            with reporting("Could not rename the lecture"):
                client.rename_lecture(lecture["id"], title.strip())
                flash(f"Renamed to “{title.strip()}”.", ":material/edit:")
                st.rerun()


def set_page(number: int) -> None:
    state["page_number"] = number


def thumbnail_grid(lecture_id: int, pages: list[dict[str, Any]], current: int) -> None:
    """A wrapping row of page thumbnails; a click on "Page n" opens that page below."""
    if len(pages) > BATCH:
        starts = list(range(0, len(pages), BATCH))
        batch = st.selectbox(
            "Pages",
            starts,
            index=min((current - 1) // BATCH, len(starts) - 1),
            format_func=lambda s: f"Pages {s + 1}–{min(s + BATCH, len(pages))}",
        )
        shown = pages[batch : batch + BATCH]
    else:
        shown = pages
    with st.container(horizontal=True, gap="small"):
        for page in shown:
            number = page["number"]
            with st.container(width=GRID_THUMB, border=number == current, gap="small"):
                if page.get("has_thumbnail"):
                    slide_image(lecture_id, number, width=GRID_THUMB - 20)
                st.button(
                    f"Page {number}",
                    key=f"thumb_{lecture_id}_{number}",
                    type="primary" if number == current else "secondary",
                    on_click=set_page,
                    args=(number,),
                    width="stretch",
                )


def page_detail(lecture_id: int, page: dict[str, Any], figures: list[dict[str, Any]]) -> None:
    number = page["number"]
    st.subheader(f"Page {number}" + (f" — {md_line(page['title'])}" if page.get("title") else ""))
    picture, words = st.columns([3, 2], gap="medium")
    with picture:
        if page.get("has_thumbnail"):
            slide_image(lecture_id, number)
        else:
            st.caption("(no picture of this page)")
    with words:
        source = page.get("text_source")
        if source:
            conf = page.get("ocr_confidence")
            where = TEXT_SOURCE.get(source) or md_line(source)
            st.caption(f"Text from {where}" + (f" · confidence {conf:.0%}" if conf is not None else ""))
        main, muted = split_page_text(page.get("text") or "", page.get("line_roles"))
        st.text(main or "(No text was found on this page.)", width="stretch")
        if muted:  # footers, course details, credits, links: shown, never quizzed or answered from
            st.caption("  \n".join(escape_markdown(line) for line in muted.split("\n")))
    on_page = [f for f in figures if f.get("page_number") == number]
    if on_page:
        st.markdown(f"**Figures on this page** ({len(on_page)})")
        cols = st.columns(FIGURES_PER_ROW)
        for n, figure in enumerate(on_page):
            with cols[n % FIGURES_PER_ROW]:
                figure_image(
                    figure["id"], caption=md_line(figure["caption"]) if figure.get("caption") else None
                )
                if figure.get("text"):
                    st.caption("Words in the figure: " + md_line(" ".join(str(figure["text"]).split())[:300]))


def all_figures(figures: list[dict[str, Any]]) -> None:
    if not figures:
        return
    with st.expander(f"All figures in this lecture ({len(figures)})", icon=":material/image:"):
        for figure in figures:
            caption = md_line(figure["caption"]) if figure.get("caption") else "(no caption)"
            st.markdown(f"**Page {figure['page_number']}** · {caption}")
            figure_image(figure["id"], width=320)
            st.button(
                "Show page",
                key=f"fig_page_{figure['id']}",
                on_click=set_page,
                args=(int(figure["page_number"]),),
            )


def render(client: GatewayClient) -> None:
    st.header("Lecture view")
    st.caption("Every page of a lecture: its picture, the text read from it, and the figures found.")
    subject = subject_or_hint(load_subjects(), "see its lectures")
    if subject is None:
        return
    lectures = load_lectures(client, subject["id"])
    if lectures is None:
        return
    if not lectures:
        st.info("No lectures here yet. Upload one from the Dashboard.", icon=":material/description:")
        return
    lecture = pick_lecture(lectures)
    lid = lecture["id"]
    running = any(
        j.get("lecture_id") == lid and j["status"] not in TERMINAL_JOB for j in jobs.tracked().values()
    )
    busy = running or lecture["status"] in ("queued", "processing")
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown(STATUS_BADGE.get(lecture["status"], lecture["status"]))
        reprocess_button(client, lecture, busy)
        rename_popover(client, lecture)
    jobs.adopt_active_jobs(subject["id"], ["ingest"])
    jobs.jobs_panel(subject["id"], ["ingest"], {lid: lecture_name(lecture)}, lecture_id=lid)
    if lecture["status"] == "failed":
        st.error(md(failure_text(lecture)), icon=":material/error:")
        return
    if lecture["status"] != "done":
        status = LECTURE_STATUS.get(lecture["status"]) or md_line(lecture["status"])
        st.info(f"This lecture is not ready yet ({status}). Its pages appear once it has been read.")
        return
    try:
        pages = client.list_pages(lid)
        figures = client.list_figures(lid)
    except ApiError as err:
        show_error(err, "Could not load the pages")
        return
    if not pages:
        st.info("No pages were stored for this lecture.")
        return
    counts = f"{plural(len(pages), 'page')} · {plural(len(figures), 'figure')}"
    st.caption(f"{counts} · {md_line(lecture.get('filename'))}")
    numbers = [p["number"] for p in pages]
    wanted: Any = state.get("page_number")
    current = int(wanted) if wanted in numbers else numbers[0]
    thumbnail_grid(lid, pages, current)
    page_detail(lid, next(p for p in pages if p["number"] == current), figures)
    all_figures(figures)
