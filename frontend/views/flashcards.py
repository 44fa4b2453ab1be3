"""Flashcards: review what is due (show answer, then Again / Hard / Good / Easy, with keyboard shortcuts),
see the due counts, add, edit, suspend or delete cards, and export the deck for Anki."""

from __future__ import annotations

import time
from typing import Any

import streamlit as st

from frontend.api import ApiError, GatewayClient
from frontend.formatting import card_markdown, md_line, now_utc, parse_time, span
from frontend.session import STUDY, flash, go_to, reporting, show_error, state
from frontend.views.common import load_subjects, share_popover, slide_image, subject_or_hint
from frontend.views.study import log_study

RATINGS = [(1, "Again", "again"), (2, "Hard", "hard"), (3, "Good", "good"), (4, "Easy", "easy")]
CARDS_PER_PAGE = 20
Card = dict[str, Any]


def due_counts(cards: list[Card]) -> dict[str, int]:
    now = now_utc()
    active = [c for c in cards if not c.get("suspended")]
    due_at = [parse_time(c.get("due")) for c in active]
    return {
        "due": sum(1 for d in due_at if d is not None and d <= now),
        "new": sum(1 for c in active if c.get("state") == "new"),
        "learning": sum(1 for c in active if c.get("state") in ("learning", "relearning")),
        "review": sum(1 for c in active if c.get("state") == "review"),
        "suspended": len(cards) - len(active),
        "total": len(cards),
    }


def counts_row(counts: dict[str, int]) -> None:
    with st.container(horizontal=True, gap="medium"):
        st.metric("Due now", counts["due"], border=True, width="content")
        st.metric("New", counts["new"], border=True, width="content")
        st.metric("Learning", counts["learning"], border=True, width="content")
        st.metric("In review", counts["review"], border=True, width="content")
        st.metric("Total", counts["total"], border=True, width="content")


# -- reviewing -------------------------------------------------------------------------------------------


def review_state(subject_id: int) -> dict[str, Any]:
    review: dict[str, Any] | None = state.get("review")
    if review is None or review["subject_id"] != subject_id:
        review = state["review"] = {"subject_id": subject_id, "queue": [], "shown": False, "reviewed": 0}
    return review


def next_due_text(cards: list[Card]) -> str:
    upcoming = [parse_time(c.get("due")) for c in cards if not c.get("suspended")]
    future = [d for d in upcoming if d is not None and d > now_utc()]
    return f"The next card is due in {span(min(future) - now_utc())}." if future else ""


LONG_FRONT = 70  # characters


def reviewer(client: GatewayClient, subject_id: int, cards: list[Card]) -> None:
    review = review_state(subject_id)
    if not review["queue"]:
        try:
            review["queue"] = client.list_flashcards(subject_id, due=True)
        except ApiError as err:
            show_error(err, "Could not load the cards to review")
            return
        review["shown"] = False
    queue: list[Card] = review["queue"]
    if not queue:
        count = review["reviewed"]
        done = f"You reviewed {count} card{'' if count == 1 else 's'}. " if count else ""
        st.success(f"{done}Nothing is due right now. {next_due_text(cards)}", icon=":material/celebration:")
        return
    card = queue[0]
    question, answer = card_markdown(card)
    with st.container(border=True):
        st.caption(f"{len(queue)} due · reviewed this visit: {review['reviewed']}")
        # a long front (a cloze on a definition) in a smaller heading, so that on a phone the card and its
        # Show answer button still fit above the fold
        st.markdown(f"{'####' if len(question) <= LONG_FRONT else '#####'} {question}")
        if not review["shown"]:
            if st.button("Show answer", type="primary", shortcut="Space", key="show_answer", width="stretch"):
                review["shown"] = True
                review["shown_at"] = time.time()
                st.rerun()
            st.caption("Keys: Space shows the answer; then 1 Again · 2 Hard · 3 Good · 4 Easy.")
            return
        st.divider()
        st.markdown(answer)
        # the ratings straight under the answer (on a phone they stay above the fold), the slide below them
        rating_buttons(client, card, review)
        if card.get("lecture_id") and card.get("page_number"):
            with st.expander(f"Slide {card['page_number']}", icon=":material/slideshow:", expanded=True):
                slide_image(int(card["lecture_id"]), int(card["page_number"]), width=360)


def rating_buttons(client: GatewayClient, card: Card, review: dict[str, Any]) -> None:
    intervals = card.get("next_due") or {}
    chosen = None
    with st.container(horizontal=True, gap="small"):
        for rating, label, key in RATINGS:
            when = parse_time(intervals.get(key))
            text = f"{label} · {span(when - now_utc())}" if when else label
            if st.button(
                text,
                key=f"rate_{rating}",
                shortcut=str(rating),
                type="primary" if rating == 3 else "secondary",
                width="stretch",
            ):
                chosen = rating
    if chosen is None:
        return
    started = review.get("shown_at") or time.time()
    duration_ms = min(int((time.time() - started) * 1000), 3_600_000)
    with reporting("Could not save the review"):
        result = client.review_flashcard(card["id"], chosen, duration_ms)
        review["queue"].pop(0)
        review["shown"] = False
        review["reviewed"] += 1
        record_review(result, card, chosen)
        st.rerun()


def record_review(result: dict[str, Any], card: Card, rating: int) -> None:
    key = f"cards-{result.get('session_id')}"
    log: list[dict[str, Any]] = state.setdefault("study_log", [])
    entry = next((e for e in log if e.get("id") == key), None)
    now = time.time()
    cards = (entry or {}).get("cards", 0) + 1
    again = (entry or {}).get("again", 0) + (rating == 1)
    log_study(
        {
            "id": key,
            "kind": "flashcards",
            "subject_id": card.get("subject_id"),
            "title": "Flashcard review",
            "started": (entry or {}).get("started", now),
            "ended": now,
            "cards": cards,
            "again": again,
            "score": None,
        }
    )


# -- export and editing ----------------------------------------------------------------------------------


def export_row(client: GatewayClient, subject: dict[str, Any]) -> None:
    sid = subject["id"]
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in subject["name"]).strip("-") or "deck"
    with st.container(horizontal=True):
        st.download_button(
            "Export for Anki (.apkg)",
            data=lambda: client.export_flashcards(sid, "apkg"),
            file_name=f"{safe}.apkg",
            mime="application/apkg",
            key=f"export_apkg_{sid}",
            icon=":material/download:",
            on_click="ignore",
        )
        st.download_button(
            "Export as JSON",
            data=lambda: client.export_flashcards(sid, "json"),
            file_name=f"{safe}-flashcards.json",
            mime="application/json",
            key=f"export_json_{sid}",
            icon=":material/data_object:",
            on_click="ignore",
        )
        share_popover(
            client,
            label="Share deck",
            caption="A read-only copy of the deck anyone can open, for 7 days.",
            key=f"deck_{sid}",
            slot=f"deck-{sid}",
            subject_id=sid,
        )


def add_card_form(client: GatewayClient, subject_id: int) -> None:
    with st.form(f"add_card_{subject_id}", clear_on_submit=True):
        front = st.text_area("Front (question)", key="new_card_front", height=80)
        back = st.text_area("Back (answer)", key="new_card_back", height=80)
        if st.form_submit_button("Add card", icon=":material/add:"):
            if not front.strip() or not back.strip():
                st.warning("Write both sides of the card.")
                return
            with reporting("Could not add the card"):
                client.create_flashcard(subject_id, front.strip(), back.strip())
                flash("Card added.", ":material/style:")
                st.rerun()


def card_row(client: GatewayClient, card: Card) -> None:
    cid = card["id"]
    question, answer = card_markdown(card)
    with st.container(border=True):
        st.markdown(f"**{question}**")
        st.markdown(answer)
        due = parse_time(card.get("due"))
        when = "suspended" if card.get("suspended") else f"due {_relative(due)}" if due else ""
        st.caption(md_line(" · ".join(x for x in (str(card.get("state") or ""), when) if x)))
        with st.container(horizontal=True):
            with st.popover("Edit", icon=":material/edit:"), st.form(f"edit_card_{cid}"):
                front = st.text_area("Front", value=card["front"], key=f"edit_front_{cid}")
                back = st.text_area("Back", value=card["back"], key=f"edit_back_{cid}")
                if st.form_submit_button("Save"):
                    with reporting("Could not save the card"):
                        client.update_flashcard(cid, front=front.strip(), back=back.strip())
                        flash("Card saved.")
                        st.rerun()
            suspended = bool(card.get("suspended"))
            if st.button("Unsuspend" if suspended else "Suspend", key=f"suspend_{cid}"):
                with reporting("Could not change the card"):
                    client.update_flashcard(cid, suspended=not suspended)
                    st.rerun()
            with st.popover("Delete", icon=":material/delete:"):
                st.caption("Delete this card and its review history?")
                if st.button("Yes, delete", type="primary", key=f"delete_card_{cid}"):
                    with reporting("Could not delete the card"):
                        client.delete_flashcard(cid)
                        flash("Card deleted.", ":material/delete:")
                        st.rerun()


def _relative(moment: Any) -> str:
    delta = moment - now_utc()
    return "now" if delta.total_seconds() <= 0 else f"in {span(delta)}"


def manage_cards(client: GatewayClient, subject_id: int, cards: list[Card]) -> None:
    with st.expander(f"All cards ({len(cards)}) — add, edit, suspend, delete", icon=":material/edit_note:"):
        add_card_form(client, subject_id)
        if not cards:
            return
        pages = max((len(cards) - 1) // CARDS_PER_PAGE + 1, 1)
        page = 1
        if pages > 1:
            page = st.number_input("Page", 1, pages, 1, key=f"cards_page_{subject_id}")
        start = (int(page) - 1) * CARDS_PER_PAGE
        for card in cards[start : start + CARDS_PER_PAGE]:
            card_row(client, card)


def render(client: GatewayClient) -> None:
    st.header("Flashcards")
    st.caption("Review what is due; the schedule (FSRS) spaces each card by how well you knew it.")
    subject = subject_or_hint(load_subjects(), "make flashcards from them")
    if subject is None:
        return
    try:
        cards = client.list_flashcards(subject["id"])
    except ApiError as err:
        show_error(err, "Could not load the flashcards")
        return
    if not cards:
        counts_row(due_counts(cards))
        st.info("No flashcards yet. Make some from your slides on the Study page, or add your own below.")
        st.button("Go to Study", on_click=go_to, args=(STUDY,), key="cards_to_study")
    else:
        reviewer(client, subject["id"], cards)  # first: on a phone the card and its buttons fit on screen
        counts_row(due_counts(cards))
        export_row(client, subject)
    manage_cards(client, subject["id"], cards)
