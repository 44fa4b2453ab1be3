"""Progress: reviews per day, estimated recall and upcoming due cards per subject, study sessions."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import streamlit as st

from frontend import stats
from frontend.api import ApiError, GatewayClient
from frontend.formatting import md_line, now_utc, parse_time, percent
from frontend.session import show_error
from frontend.views import exam
from frontend.views.common import load_subjects

Card = dict[str, Any]


def load_decks(client: GatewayClient, subjects: list[dict[str, Any]]) -> dict[str, list[Card]] | None:
    decks: dict[str, list[Card]] = {}
    for subject in subjects:
        try:
            decks[subject["name"]] = client.list_flashcards(subject["id"])
        except ApiError as err:
            show_error(err, f"Could not load the flashcards of “{subject['name']}”")
            return None
    return decks


def headline(decks: dict[str, list[Card]], overall: dict[str, Any], now: datetime) -> None:
    cards = [c for deck in decks.values() for c in deck]
    quiz_scores = [s["quiz_score"] for s in overall["sessions"] if s["quiz_score"] is not None]
    with st.container(horizontal=True, gap="medium"):
        st.metric("Reviewed today", stats.reviewed_on(cards, now.date()), border=True, width="content")
        st.metric("Due now", stats.due_within(cards, now, timedelta(0)), border=True, width="content")
        st.metric(
            "Due this week", stats.due_within(cards, now, timedelta(days=7)), border=True, width="content"
        )
        st.metric(
            "Estimated recall",
            percent(stats.estimated_recall(cards, now)),
            border=True,
            width="content",
            help="How likely you remember a reviewed card right now (FSRS forgetting curve).",
        )
        st.metric(
            "Quiz average",
            percent(sum(quiz_scores) / len(quiz_scores) if quiz_scores else None),
            border=True,
            width="content",
            help="All quizzes taken in the app.",
        )
        st.metric(
            "Retention",
            percent(overall["retention"]),
            border=True,
            width="content",
            help="Reviews in the last 30 days not rated Again.",
        )


def charts(decks: dict[str, list[Card]], per_subject_stats: dict[str, dict[str, Any]], now: datetime) -> None:
    reviews: dict[str, list[Any]] = {"day": [], "subject": [], "cards": []}
    upcoming: dict[str, list[Any]] = {"day": [], "subject": [], "cards": []}
    for name, cards in decks.items():
        for day in per_subject_stats[name]["reviews_per_day"]:
            reviews["day"].append(day["date"])
            reviews["subject"].append(name)
            reviews["cards"].append(day["reviews"])
        for day, n in stats.due_forecast(cards, now).items():
            upcoming["day"].append(day.isoformat())
            upcoming["subject"].append(name)
            upcoming["cards"].append(n)
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader("Reviews per day")
        st.caption("Every review, last 30 days.")
        st.bar_chart(reviews, x="day", y="cards", color="subject", height=260, x_label="", y_label="cards")
    with right:
        st.subheader("Coming up")
        st.caption("Cards due per day, next 14 days (overdue cards count for today).")
        st.bar_chart(upcoming, x="day", y="cards", color="subject", height=260, x_label="", y_label="cards")


def per_subject(decks: dict[str, list[Card]], now: datetime) -> None:
    st.subheader("Per subject")
    rows = [
        {
            "Subject": md_line(name),  # st.table renders Markdown in its cells
            "Cards": len(cards),
            "Due now": stats.due_within(cards, now, timedelta(0)),
            "Due this week": stats.due_within(cards, now, timedelta(days=7)),
            "Reviewed today": stats.reviewed_on(cards, now.date()),
            "Estimated recall": percent(stats.estimated_recall(cards, now)),
        }
        for name, cards in decks.items()
    ]
    st.table(rows, hide_index=True)


def sessions(recorded: list[dict[str, Any]], names: dict[int, str]) -> None:
    st.subheader("Study sessions")
    if not recorded:
        st.caption("Review flashcards or take a quiz; each session is listed here with its time and score.")
        return
    rows = []
    for entry in recorded:
        started = parse_time(entry["started_at"])
        ended = parse_time(entry["ended_at"]) or started
        minutes = (ended - started).total_seconds() / 60 if started and ended else 0.0
        rows.append(
            {
                "Started": started.strftime("%d %b %H:%M") if started else "",
                "Subject": md_line(names.get(entry.get("subject_id") or 0, "")),
                "What": "Quiz" if entry["kind"] == "quiz" else "Flashcards",
                "Minutes": f"{minutes:.1f}",
                "Cards reviewed": entry["cards_reviewed"],
                "Quiz score": percent(entry["quiz_score"]) if entry["kind"] == "quiz" else "",
            }
        )
    st.table(rows, hide_index=True)


def render(client: GatewayClient) -> None:
    st.header("Progress")
    st.caption("How your studying is going: reviews, what you remember, and what is coming up.")
    subjects = load_subjects()
    if subjects is None:
        return
    if not subjects:
        st.info(
            "Create a subject and some flashcards first; your progress shows here.",
            icon=":material/arrow_back:",
        )
        return
    decks = load_decks(client, subjects)
    if decks is None:
        return
    try:
        overall = client.stats()
        per_subject_stats = {subject["name"]: client.stats(subject_id=subject["id"]) for subject in subjects}
    except ApiError as err:
        show_error(err, "Could not load your study statistics")
        return
    now = now_utc()
    headline(decks, overall, now)
    if not any(decks.values()):
        st.info("No flashcards yet: make some on the Study page to see reviews and recall here.")
    else:
        charts(decks, per_subject_stats, now)
        per_subject(decks, now)
        exam.readiness_section(client, [s for s in subjects if decks.get(s["name"])])
    sessions(overall["sessions"], {s["id"]: s["name"] for s in subjects})
