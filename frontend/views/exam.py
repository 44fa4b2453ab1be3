"""Studying toward an exam: exam dates per subject (Settings), readiness by that date (Progress), and the
personal FSRS parameters fitted to the student's own reviews (Settings)."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from frontend.api import ApiError, GatewayClient
from frontend.formatting import md_line, short_date
from frontend.session import flash, reporting, show_error


def day(value: str) -> str:
    """An ISO date as a day: "Thu 12 Mar 2026"."""
    return date.fromisoformat(value[:10]).strftime("%a %d %b %Y")


def _exam(subject: dict[str, Any]) -> date | None:
    raw = subject.get("exam_date")
    return date.fromisoformat(raw) if raw else None


def exam_dates(client: GatewayClient, subjects: list[dict[str, Any]] | None) -> None:
    """A date per subject: reviews are then planned so that every card comes back before the exam."""
    st.subheader("Exam dates")
    st.caption(
        "With an exam date, reviews get more frequent as the exam nears and every card comes back in the "
        "last three days before it. Leave the date empty for no exam."
    )
    if not subjects:
        st.caption("No subjects yet.")
        return
    with st.form("exam_dates"):
        wanted: dict[int, Any] = {}
        for s in subjects:
            name, field = st.columns([2, 3], vertical_alignment="bottom")
            name.markdown(f"**{md_line(s['name'])}**")
            # labelled "Exam date", not by the subject's name: the OCR languages field above has that label
            wanted[s["id"]] = field.date_input(
                "Exam date", value=_exam(s), key=f"exam_{s['id']}", format="YYYY-MM-DD"
            )
        if not st.form_submit_button("Save exam dates", type="primary"):
            return
    changed = [s for s in subjects if wanted[s["id"]] != _exam(s)]
    with reporting("Could not save the exam dates"):
        for subject in changed:
            value = wanted[subject["id"]]
            client.update_subject(
                subject["id"], exam_date=value.isoformat() if isinstance(value, date) else None
            )
        flash(f"Exam dates saved for {len(changed)} subject(s)." if changed else "Nothing changed.")
        st.rerun()


def readiness(client: GatewayClient, subject: dict[str, Any]) -> None:
    """Expected recall per lecture at the exam (today without an exam date), and the cram days."""
    try:
        plan = client.study_plan(subject["id"])
    except ApiError as err:
        show_error(err, "Could not load the study plan")
        return
    name = md_line(subject["name"])
    if plan.get("exam_date") and plan.get("days_left") is not None:
        st.markdown(
            f"**{name}**: exam on {day(plan['exam_date'])}, in {plan['days_left']} day(s). "
            f"Expected recall then: **{plan['expected_recall']:.0%}** if you stop reviewing now; "
            f"reviews are planned for {plan['desired_retention']:.0%} recall today."
        )
    else:
        st.markdown(f"**{name}**: expected recall today **{plan['expected_recall']:.0%}** (no exam date).")
    if not plan["lectures"]:
        st.caption("No flashcards yet.")
        return
    rows = [
        {"Lecture": r["title"], "Cards": r["cards"], "Expected recall": round(100 * r["expected_recall"])}
        for r in plan["lectures"]
    ]
    st.dataframe(
        rows,
        hide_index=True,
        column_config={
            "Expected recall": st.column_config.ProgressColumn(format="%d%%", min_value=0, max_value=100)
        },
        key=f"readiness_{subject['id']}",
    )
    if plan.get("cram"):
        days = ", ".join(f"{day(d['date'])}: {d['cards']} card(s)" for d in plan["cram"])
        st.caption(f"Cram plan, the last days before the exam: {days}.")


def readiness_section(client: GatewayClient, subjects: list[dict[str, Any]]) -> None:
    st.subheader("Readiness by the exam")
    st.caption("The chance of recalling each lecture's cards on the exam day, from FSRS's memory model.")
    for subject in subjects:
        readiness(client, subject)


def personal_scheduling(client: GatewayClient) -> None:
    """FSRS parameters fitted to the student's own reviews (from 400 reviews), with the log loss."""
    st.subheader("Personal scheduling")
    try:
        profile = client.fsrs_profile()
    except ApiError as err:
        show_error(err, "Could not read your scheduling parameters")
        return
    reviews, needed = profile["reviews"], profile["min_reviews"]
    if profile["personal"]:
        st.markdown(
            f"Reviews are scheduled with parameters fitted to your own {reviews} reviews "
            f"(log loss {profile['log_loss_before']:.4f} before, {profile['log_loss_after']:.4f} after; "
            f"fitted {short_date(profile['optimized_at'])}). They are fitted again every week."
        )
    else:
        st.markdown(
            f"Reviews use FSRS's default parameters. From {needed} reviews they can be fitted to how you "
            f"remember (you have {reviews})."
        )
    if not profile["personal"] and profile.get("log_loss_before") is not None:
        st.caption(
            f"Last fit {short_date(profile['optimized_at'])}: the defaults predicted your reviews as well "
            f"(log loss {profile['log_loss_before']:.4f}), so they stay. More reviews help."
        )
    job = profile.get("job")
    if job and job.get("status") in ("queued", "running"):
        st.caption("Fitting your parameters…")
    elif job and job.get("status") == "failed":
        st.caption(f"The last fit failed: {md_line(job.get('error_message') or '')}")
    if st.button(
        "Optimize my scheduling",
        key="optimize_fsrs",
        icon=":material/tune:",
        disabled=reviews < needed,
        help=f"Needs at least {needed} reviews.",
    ):
        with reporting("Could not start the optimization"):
            client.optimize_fsrs()
            flash("Fitting your parameters from your reviews; this takes about a minute.", ":material/tune:")
            st.rerun()
