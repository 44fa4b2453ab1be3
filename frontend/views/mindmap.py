"""Mind map: a lecture's (or a whole subject's) titles -> key terms -> definitions and figures, drawn by the
generation worker. Every node is a link to its slide (``?page=lecture&lecture=<id>&slide=<n>``); the map
downloads as SVG or PNG."""

from __future__ import annotations

import re
import time
from typing import Any

import streamlit as st

from frontend.api import ApiError, GatewayClient
from frontend.formatting import md_line
from frontend.session import LECTURE, go_to, reporting, show_error, state
from frontend.views.common import load_lectures, load_subjects, subject_or_hint

WHOLE_SUBJECT = 0
BUILD_TIMEOUT = 180.0  # seconds to wait for the worker
_PROLOG = re.compile(r"^.*?(?=<svg\b)", re.S)  # the XML declaration, DOCTYPE and comments before <svg>


def inline_svg(svg: bytes) -> str:
    """The SVG as one line of HTML (Markdown ends an HTML block at a blank line): no XML prolog, scaled to
    the page width, scrolling when tall."""
    body = _PROLOG.sub("", svg.decode("utf-8", errors="replace"), count=1).replace("\n", " ")
    body = re.sub(
        r'<svg width="[^"]*" height="[^"]*"', '<svg style="max-width:100%;height:auto"', body, count=1
    )
    return f'<div class="smartnotes-mindmap" style="overflow:auto;max-height:80vh">{body}</div>'


def wait_for(client: GatewayClient, job: dict[str, Any]) -> dict[str, Any]:
    deadline = time.monotonic() + BUILD_TIMEOUT
    while job["status"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.5)
        job = client.get_job(job["id"])
    return job


def build(client: GatewayClient, subject_id: int, lecture_id: int | None) -> None:
    with reporting("Could not build the mind map"), st.spinner("Drawing the mind map…"):
        accepted = client.build_mindmap(subject_id, lecture_id)
        job = wait_for(client, accepted["job"])
        if job["status"] != "done":
            st.error(job.get("error_message") or "The mind map is still being drawn; come back shortly.")
            return
        st.rerun()


def open_node(nodes: dict[str, dict[str, Any]], subject_id: int) -> None:
    """Open the slide of the node picked now (read at click time, not when the button was drawn)."""
    node = nodes.get(state.get("mindmap_node") or "")
    if node is not None:
        go_to(LECTURE, subject_id=subject_id, lecture_id=node["lecture_id"], page_number=node["slide"])


def open_slide_picker(graph: dict[str, Any], subject_id: int) -> None:
    """The same links as the map's nodes, as a list, for keyboards and small screens."""
    nodes = {n["id"]: n for n in graph["nodes"] if n.get("lecture_id") and n["kind"] != "root"}
    if not nodes:
        return
    labels = {i: f"{n['label']} (slide {n['slide']})" for i, n in nodes.items()}
    st.selectbox("Open the slide of", list(labels), format_func=labels.__getitem__, key="mindmap_node")
    st.button(
        "Open slide",
        icon=":material/slideshow:",
        key="mindmap_open",
        on_click=open_node,
        args=(nodes, subject_id),
    )


def render(client: GatewayClient) -> None:
    st.header("Mind map")
    st.caption("Titles → key terms → definitions and figures. Click a node to open its slide.")
    subject = subject_or_hint(load_subjects(), "see a mind map")
    if subject is None:
        return
    lectures = [lec for lec in (load_lectures(client, subject["id"]) or []) if lec.get("status") == "done"]
    if not lectures:
        st.info("Upload slides and wait until they are read; the map is drawn from them.")
        return
    names = {WHOLE_SUBJECT: f"Whole subject: {subject['name']}"} | {
        lec["id"]: lec["title"] for lec in lectures
    }
    current = state.get("lecture_id")
    options = list(names)
    chosen = st.selectbox(
        "Map of",
        options,
        index=options.index(current) if current in names else 0,
        format_func=names.__getitem__,
        key=f"mindmap_of_{subject['id']}",
    )
    lecture_id = chosen or None
    try:
        graph = client.latest_mindmap(subject["id"], lecture_id)
    except ApiError as err:
        if err.code != "MINDMAP_NOT_FOUND":
            show_error(err, "Could not load the mind map")
            return
        graph = None
    if graph is None:
        st.info(f"No mind map of {md_line(names[chosen])} yet.")
        if st.button(
            "Draw the mind map", type="primary", icon=":material/account_tree:", key="mindmap_build"
        ):
            build(client, subject["id"], lecture_id)
        return
    try:
        svg = client.mindmap_file(graph["document_id"], "svg")
    except ApiError as err:
        show_error(err, "Could not load the drawing")
        return
    # Markdown keeps the SVG's links (st.html strips the SVG); dot escaped every label
    st.markdown(inline_svg(svg), unsafe_allow_html=True)
    st.caption(f"{len(graph['nodes'])} nodes. Redraw after adding or re-reading slides.")
    cols = st.columns(3)
    cols[0].download_button(
        "Download SVG", svg, file_name="mindmap.svg", mime="image/svg+xml", icon=":material/download:"
    )
    with cols[1]:
        try:
            png = client.mindmap_file(graph["document_id"], "png")
            st.download_button(
                "Download PNG", png, file_name="mindmap.png", mime="image/png", icon=":material/image:"
            )
        except ApiError as err:
            show_error(err, "Could not load the PNG")
    if cols[2].button("Redraw", icon=":material/refresh:", key="mindmap_rebuild"):
        build(client, subject["id"], lecture_id)
    open_slide_picker(graph, subject["id"])
