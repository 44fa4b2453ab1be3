"""Chat with a subject's notes: answers stream in word by word and cite the slides they come from."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import streamlit as st

from frontend.answer_state import ANSWERED, EMPTY, REFUSED, STOPPED, UNCITED, kind_of, status_line
from frontend.api import ANSWER_SECONDS, ApiError, GatewayClient
from frontend.formatting import md, md_link, short_date
from frontend.session import reporting, show_error, state
from frontend.urlstate import OPEN_CONVERSATION
from frontend.views.common import citation_card, load_subjects, subject_or_hint

CARDS_PER_ROW = 3
STREAM = "_chat_stream"  # the answer being written in this run (see stream_answer)
REGENERATE = "_chat_regenerate"  # a question to ask again on the next run
Message = dict[str, Any]


def conversation(subject_id: int) -> dict[str, Any]:
    """This page's conversation: ``{"subject_id", "session_id", "messages"}`` (kept across runs)."""
    chat: dict[str, Any] | None = state.get("chat")
    if chat is None or chat["subject_id"] != subject_id:
        chat = state["chat"] = {"subject_id": subject_id, "session_id": None, "messages": []}
    return chat


def open_session(client: GatewayClient, chat: dict[str, Any], session_id: int | None) -> None:
    chat["session_id"] = session_id
    chat["messages"] = []
    if session_id is None:
        return
    with reporting("Could not load that conversation"):
        chat["messages"] = [
            {
                "role": m["role"],
                "content": m["content"],
                "citations": m.get("citations") or [],
                "created_at": m.get("created_at"),
            }
            for m in client.chat_messages(session_id)
        ]


def sessions_bar(client: GatewayClient, chat: dict[str, Any]) -> None:
    """The subject's conversations: pick one to read on, start a new one, delete one."""
    try:
        sessions = client.list_chat_sessions(chat["subject_id"])
    except ApiError as err:
        show_error(err, "Could not list your conversations")
        return
    by_id = {s["id"]: s for s in sessions}
    options: list[int | None] = [None, *by_id]
    current = chat["session_id"] if chat["session_id"] in by_id else None
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    chosen = left.selectbox(
        f"Conversation ({len(sessions)} saved)",
        options,
        index=options.index(current),
        format_func=lambda i: (
            "New conversation"
            if i is None
            else f"{by_id[i]['title'] or 'Untitled'} · {short_date(by_id[i].get('created_at'))}"
        ),
    )
    if chosen != current:
        open_session(client, chat, chosen)
    if chat["session_id"] is not None:
        with right.popover("Delete", icon=":material/delete:", width="stretch"):
            st.caption("Delete this conversation and its messages?")
            if st.button("Yes, delete it", type="primary", key=f"delete_chat_{chat['session_id']}"):
                with reporting("Could not delete the conversation"):
                    client.delete_chat_session(chat["session_id"])
                    open_session(client, chat, None)
                    st.rerun()


def citations_row(citations: list[dict[str, Any]], key: str) -> None:
    for start in range(0, len(citations), CARDS_PER_ROW):
        row = citations[start : start + CARDS_PER_ROW]
        for n, (column, citation) in enumerate(zip(st.columns(CARDS_PER_ROW), row, strict=False)):
            with column:
                citation_card(citation, key=f"{key}_cite_{start + n}", number=start + n + 1)


def web_results(items: list[dict[str, Any]]) -> None:
    if not items:
        return
    with st.expander(f"From the web ({len(items)})", icon=":material/public:"):
        for item in items:
            st.markdown(md_link(item.get("title") or item.get("url"), item.get("url")))
            if item.get("snippet"):
                st.caption(md(item["snippet"]))


def show_message(message: Message, key: str) -> None:
    with st.chat_message(message["role"]):
        if message["role"] == "assistant":
            answer_body(message, key)
        else:
            st.markdown(md(message["content"]))


def answer_body(message: Message, key: str) -> None:
    """An answer as what it is: a refusal card, an empty answer, an uncited or stopped one, or a cited one."""
    kind = kind_of(message)
    if kind == REFUSED:
        refusal_card(message, key)
    elif kind == EMPTY:
        st.error(
            "No answer came back for this question. Try again, or ask it another way.",
            icon=":material/error:",
        )
    else:
        st.markdown(md(message["content"]))
        if kind == UNCITED:
            st.warning("No slide backs this answer: check it against your notes.", icon=":material/warning:")
        elif kind == STOPPED:
            st.caption(":material/stop_circle: Stopped: the answer above is unfinished.")
        if message.get("meta") and kind == ANSWERED:
            st.caption(message["meta"])
        citations_row(message.get("citations") or [], key)
    web_results(message.get("web") or [])


def refusal_card(message: Message, key: str) -> None:
    """ "Not in your notes": said as its own card, with the closest slides to look at (not cited)."""
    with st.container(border=True, key=f"refusal_{key}"):
        st.markdown("**:material/search_off: Not in your notes**")
        st.markdown(md(message["content"]))
        closest = message.get("closest") or []
        if closest:
            st.caption("The closest slides, to look at yourself:")
            citations_row(closest, f"{key}_closest")


def stream_answer(client: GatewayClient, chat: dict[str, Any], question: str, web: bool) -> Message | None:
    """Ask over the WebSocket, writing the words as they come; fall back to one HTTP request. The words so
    far are kept in ``state[STREAM]``: a Stop (or any click) ends this run, and the next shows them as a
    stopped answer."""
    status = st.status("Looking through your slides…")
    st.button("Stop", icon=":material/stop_circle:", key="chat_stop", help="Stop writing this answer.")
    placeholder = st.empty()
    options = {"session_id": chat["session_id"], "web": web or None}
    text, result, accepted = "", None, False
    streaming = state[STREAM] = {"text": "", "subject_id": chat["subject_id"]}
    try:
        for event in client.ask_stream(chat["subject_id"], question, **options):
            kind = event.get("type")
            if kind == "chat.accepted":
                accepted = True
                new_id = event.get("session_id")
                if new_id and new_id != chat["session_id"]:
                    chat["session_id"] = new_id
                    st.query_params["conversation"] = str(new_id)  # a reload now reopens this conversation
            elif kind == "chat.evidence":
                found = len(event.get("evidence") or [])
                label = f"Found {found} matching slides — writing the answer…" if found else "Writing…"
                status.update(label=label)
            elif kind == "chat.token":
                text += str(event.get("text") or "")
                placeholder.markdown(md(text) + " ▌")
            elif kind == "chat.replace":
                text = str(event.get("text") or "")
                placeholder.markdown(md(text))
            elif kind == "chat.done":
                result = event
            streaming["text"] = text
    except ApiError as err:
        if err.code != "EVENTS_UNAVAILABLE" or accepted:
            state.pop(STREAM, None)
            status.update(label="No answer", state="error")
            show_error(err, "Could not answer")
            return None
        status.update(label="Live answers are off; waiting for the whole answer…")
        try:
            result = client.chat(chat["subject_id"], question, **options)
        except ApiError as http_err:
            state.pop(STREAM, None)
            status.update(label="No answer", state="error")
            show_error(http_err, "Could not answer")
            return None
        chat["session_id"] = result.get("session_id") or chat["session_id"]
    state.pop(STREAM, None)
    if result is None:
        status.update(label="No answer", state="error")
        st.error("The answer was interrupted; ask again.")
        return None
    answer = str(result.get("answer") or "")
    kind = kind_of(result)
    label, box = status_line(kind, len(result.get("citations") or []), result.get("seconds_to_first_token"))
    status.update(label=label, state=box)  # type: ignore[arg-type]
    placeholder.empty()
    return {
        "role": "assistant",
        "content": answer,
        "citations": result.get("citations") or [],
        "closest": result.get("closest") or [],
        "answered_from_notes": result.get("answered_from_notes"),
        "web": result.get("web") or [],
        "meta": label,
    }


def ask(client: GatewayClient, chat: dict[str, Any], question: str, web: bool) -> None:
    messages: list[Message] = chat["messages"]
    new_session = chat["session_id"] is None
    messages.append({"role": "user", "content": question})
    show_message(messages[-1], key=f"m{len(messages) - 1}")
    with st.chat_message("assistant"):
        answer = stream_answer(client, chat, question, web)
        if answer is None:
            return
        messages.append(answer)
        answer_body(answer, f"m{len(messages) - 1}")
    if new_session and chat["session_id"] is not None:
        st.rerun()  # list the new conversation


def stopped_answer(chat: dict[str, Any]) -> None:
    """The last run streamed an answer and was stopped (Stop, or another click): keep what came, marked."""
    streaming = state.pop(STREAM, None)
    if not streaming or streaming.get("subject_id") != chat["subject_id"]:
        return
    messages: list[Message] = chat["messages"]
    if messages and messages[-1]["role"] == "user":
        messages.append({"role": "assistant", "content": streaming.get("text") or "", "stopped": True})


def last_question(chat: dict[str, Any]) -> str | None:
    return next((m["content"] for m in reversed(chat["messages"]) if m["role"] == "user"), None)


def regenerate(question: str) -> None:
    state[REGENERATE] = question


@st.fragment(run_every=2.0)
def still_writing(client: GatewayClient, chat: dict[str, Any]) -> None:
    """The conversation's last question has no answer yet (a reload while it was being written): say so,
    and show the answer as soon as it is stored."""
    with st.chat_message("assistant"):
        st.status("Still writing the answer…", state="running")
    session_id = chat["session_id"]
    try:
        stored = client.chat_messages(session_id) if session_id else []
    except ApiError:
        return
    if stored and stored[-1]["role"] == "assistant":
        open_session(client, chat, session_id)
        st.rerun()


def render(client: GatewayClient) -> None:
    st.header("Chat")
    st.caption("Ask anything about a subject's slides; every answer shows the slides it comes from.")
    subject = subject_or_hint(load_subjects(), "chat with them")
    if subject is None:
        return
    chat = conversation(subject["id"])
    if (wanted := state.pop(OPEN_CONVERSATION, None)) is not None:  # from the address bar
        open_session(client, chat, int(wanted))
    sessions_bar(client, chat)
    web = st.toggle(
        "Search the web too",
        key="chat_web",
        help="Also look the question up on the web (DuckDuckGo). The notes stay the main source.",
    )
    if not chat["messages"]:
        st.info(
            "Ask a question below, e.g. “What is mitosis?” or “Summarise lecture 2”.",
            icon=":material/chat:",
        )
    stopped_answer(chat)
    messages = chat["messages"]
    for n, message in enumerate(messages):
        show_message(message, key=f"m{n}")
    again = state.pop(REGENERATE, None)
    if messages and messages[-1]["role"] == "user" and again is None:
        if waiting(messages[-1]):
            still_writing(client, chat)
        else:
            st.error("This question was not answered. Ask it again.", icon=":material/error:")
    question = st.chat_input("Ask about your slides…", key="chat_question")
    if question and question.strip():
        ask(client, chat, question.strip(), web)
    elif again:
        ask(client, chat, again, web)
    if messages and messages[-1]["role"] == "assistant" and (previous := last_question(chat)):
        st.button(
            "Regenerate",
            icon=":material/autorenew:",
            key="chat_regenerate",
            on_click=regenerate,
            args=(previous,),
            help="Ask the last question again.",
        )


def waiting(message: Message) -> bool:
    """Could this stored question's answer still be on its way (asked less than the answer time limit
    ago)? A question asked in this session and left unanswered failed (its error was shown)."""
    asked = message.get("created_at")
    if not asked:
        return False
    try:
        when = datetime.fromisoformat(str(asked).replace("Z", "+00:00"))
    except ValueError:
        return True
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return (datetime.now(UTC) - when).total_seconds() < ANSWER_SECONDS
