"""Pieces several pages share: the subject picker, slide images, citation cards, confirmation steps, the
Share popover."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from frontend.api import ApiError, GatewayClient
from frontend.formatting import md, md_line, plural
from frontend.session import LECTURE, SETTINGS, get_client, go_to, image_bytes, reporting, show_error, state

THUMB_WIDTH = 200


def share_popover(
    client: GatewayClient, *, label: str, caption: str, key: str, slot: int | str, **target: int
) -> None:
    """A Share popover: "Create link" makes a share link for ``target`` (``document_id=`` or
    ``subject_id=``) and shows it; the link is remembered in ``state["share_links"][slot]``, which the
    Settings page clears when the link is revoked."""
    with st.popover(label, icon=":material/share:"):
        st.caption(caption)
        st.button(
            "Manage links in Settings",
            key=f"manage_shares_{key}",
            icon=":material/settings:",
            type="tertiary",
            on_click=go_to,
            args=(SETTINGS,),
        )
        links: dict[int | str, str] = state.setdefault("share_links", {})
        if st.button("Create link", key=f"share_{key}"):
            with reporting("Could not create the link"):
                links[slot] = client.create_share(**target)["url"]
        if slot in links:
            st.code(links[slot], language=None)


def confirm_step(
    slot: str, item: int, question: str, *, yes: str, key: str, failure: str, action: Callable[[], None]
) -> None:
    """The second step of a destructive button, which set ``state[slot] = item``: ``question`` with ``yes``
    (keyed ``yes_{key}_{item}``) and "Keep it". ``action`` runs under ``reporting(failure)``; when it
    succeeds the step closes and the page reruns."""
    if state.get(slot) != item:
        return
    st.warning(question)
    with st.container(horizontal=True):
        if st.button(yes, type="primary", key=f"yes_{key}_{item}"):
            with reporting(failure):
                action()
                state.pop(slot, None)
                st.rerun()
        if st.button("Keep it", key=f"keep_{key}_{item}"):
            state.pop(slot, None)
            st.rerun()


def load_subjects() -> list[dict[str, Any]] | None:
    try:
        return get_client().list_subjects()
    except ApiError as err:
        show_error(err, "Could not load your subjects")
        return None


def pick_subject(subjects: list[dict[str, Any]], *, label: str = "Subject") -> dict[str, Any] | None:
    """The subject the pages work on (shared by every page through ``state["subject_id"]``)."""
    # Keyless on purpose: ``index`` follows ``state["subject_id"]``, which other actions also set.
    if not subjects:
        return None
    by_id = {s["id"]: s for s in subjects}
    ids = list(by_id)
    current = state.get("subject_id")
    chosen = st.selectbox(
        label,
        ids,
        index=ids.index(current) if current in by_id else 0,
        format_func=lambda i: f"{by_id[i]['name']} ({plural(by_id[i].get('lecture_count', 0), 'lecture')})",
    )
    state["subject_id"] = chosen
    return by_id[chosen]


def subject_or_hint(subjects: list[dict[str, Any]] | None, what: str) -> dict[str, Any] | None:
    """Pick a subject, or explain that one is needed first."""
    if subjects is None:
        return None
    subject = pick_subject(subjects)
    if subject is None:
        st.info(
            f"Create a subject on the Dashboard and upload slides to {what}.", icon=":material/arrow_back:"
        )
    return subject


def load_lectures(client: GatewayClient, subject_id: int) -> list[dict[str, Any]] | None:
    try:
        return client.list_lectures(subject_id)
    except ApiError as err:
        show_error(err, "Could not load the lectures")
        return None


def slide_image(
    lecture_id: int, page: int, *, width: int | str = "stretch", caption: str | None = None
) -> None:
    data = image_bytes(GatewayClient.thumbnail_path(lecture_id, page))
    if data:
        st.image(data, width=width, caption=caption, alt=f"Picture of slide {page}")  # type: ignore[arg-type]
    else:
        st.caption(f"(no picture of slide {page})")


def figure_image(figure_id: int, *, width: int | str = "stretch", caption: str | None = None) -> None:
    data = image_bytes(GatewayClient.figure_path(figure_id))
    if data:
        st.image(data, width=width, caption=caption, alt=caption or "Figure")  # type: ignore[arg-type]


def citation_card(citation: dict[str, Any], key: str, number: int | None = None) -> None:
    """A cited slide: its picture, its figure, the quoted words, and a button to open it."""
    lecture_id, page = int(citation["lecture"]), int(citation["page"])
    title = citation.get("lecture_title") or citation.get("file") or f"Lecture {lecture_id}"
    with st.container(border=True, key=f"card_{key}"):
        marker = f"[{number}] " if number is not None else ""
        st.markdown(f"**{marker}{md_line(title)}** · slide {page}")
        slide_image(lecture_id, page)
        for figure_id in (citation.get("figure_ids") or [])[:1]:
            figure_image(int(figure_id), caption="Figure on this slide")
        if citation.get("quote"):
            st.caption(f"“{md(citation['quote'])}”")
        st.button(
            "Open slide",
            key=key,
            icon=":material/open_in_new:",
            on_click=go_to,
            args=(LECTURE,),
            kwargs={"lecture_id": lecture_id, "page_number": page},
        )
