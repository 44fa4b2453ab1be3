"""Where the student is, in the address bar: a reload, a new tab or a pasted link opens the same place.

The names are shared with other pages' links (keep them): ``page`` (dashboard, chat, lecture, study,
flashcards, progress, settings, mindmap), ``subject``, ``lecture``, ``slide``, ``conversation``, ``quiz``.
:func:`from_params` turns a query into session-state values (read once, when a session starts);
:func:`to_params` turns the session state into the query the page shows (written after every run).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from frontend.session import CHAT, DASHBOARD, FLASHCARDS, LECTURE, PAGES, PROGRESS, SETTINGS, STUDY

SLUGS = {
    DASHBOARD: "dashboard",
    CHAT: "chat",
    LECTURE: "lecture",
    STUDY: "study",
    FLASHCARDS: "flashcards",
    PROGRESS: "progress",
    SETTINGS: "settings",
    "Mind map": "mindmap",
}
PAGE_FOR_SLUG = {slug: page for page, slug in SLUGS.items()}
# Pages whose view opens on a lecture (and a slide): the rest keep only the subject.
WITH_LECTURE = {LECTURE, "Mind map"}
OPEN_CONVERSATION = "_open_conversation"  # read by the chat view on its next run


def _positive(value: Any) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def from_params(params: Mapping[str, Any], pages: list[str] | None = None) -> dict[str, Any]:
    """Session-state values for a query; unknown pages and malformed ids are ignored (never an error)."""
    known = pages if pages is not None else PAGES
    values: dict[str, Any] = {}
    page = PAGE_FOR_SLUG.get(str(params.get("page") or "").lower())
    if page in known:
        values["page"] = page
    for name, key in (("subject", "subject_id"), ("lecture", "lecture_id"), ("slide", "page_number")):
        number = _positive(params.get(name))
        if number is not None:
            values[key] = number
    if (conversation := _positive(params.get("conversation"))) is not None:
        values[OPEN_CONVERSATION] = conversation
    if (quiz := _positive(params.get("quiz"))) is not None:
        values["quiz_doc"] = quiz
        values["quiz_started"] = {quiz: time.time()}
    return values


def to_params(state: Mapping[str, Any] | Any) -> dict[str, str]:
    """The query for where this session is (only what the current page uses)."""
    page = state.get("page") or DASHBOARD
    params = {"page": SLUGS.get(page, "dashboard")}
    if page != SETTINGS and state.get("subject_id"):
        params["subject"] = str(state["subject_id"])
    if page in WITH_LECTURE and state.get("lecture_id"):
        params["lecture"] = str(state["lecture_id"])
        if page == LECTURE and state.get("page_number"):
            params["slide"] = str(state["page_number"])
    if page == CHAT:
        chat = state.get("chat") or {}
        conversation = chat.get("session_id") or state.get(OPEN_CONVERSATION)
        if conversation:
            params["conversation"] = str(conversation)
    if page == STUDY and state.get("quiz_doc"):
        params["quiz"] = str(state["quiz_doc"])
    return params
