"""Chat with a subject's notes: answers stream in word by word and cite the slides they come from."""

from __future__ import annotations

from typing import Any

import streamlit as st

from frontend.api import ApiError, GatewayClient
from frontend.formatting import md, md_link, plural, short_date
from frontend.session import reporting, show_error, state
from frontend.urlstate import OPEN_CONVERSATION
from frontend.views.common import citation_card, load_subjects, subject_or_hint

CARDS_PER_ROW = 3
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
            {"role": m["role"], "content": m["content"], "citations": m.get("citations") or []}
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
        st.markdown(md(message["content"]))
        if message["role"] == "assistant":
            if message.get("meta"):
                st.caption(message["meta"])
            citations_row(message.get("citations") or [], key)
            web_results(message.get("web") or [])


def stream_answer(client: GatewayClient, chat: dict[str, Any], question: str, web: bool) -> Message | None:
    """Ask over the WebSocket, writing the words as they come; fall back to one HTTP request."""
    status = st.status("Looking through your slides…")
    placeholder = st.empty()
    options = {"session_id": chat["session_id"], "web": web or None}
    text, result, accepted = "", None, False
    try:
        for event in client.ask_stream(chat["subject_id"], question, **options):
            kind = event.get("type")
            if kind == "chat.accepted":
                accepted = True
                chat["session_id"] = event.get("session_id") or chat["session_id"]
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
    except ApiError as err:
        if err.code != "EVENTS_UNAVAILABLE" or accepted:
            status.update(label="No answer", state="error")
            show_error(err, "Could not answer")
            return None
        status.update(label="Live answers are off; waiting for the whole answer…")
        try:
            result = client.chat(chat["subject_id"], question, **options)
        except ApiError as http_err:
            status.update(label="No answer", state="error")
            show_error(http_err, "Could not answer")
            return None
        chat["session_id"] = result.get("session_id") or chat["session_id"]
    if result is None:
        status.update(label="No answer", state="error")
        st.error("The answer was interrupted; ask again.")
        return None
    first = result.get("seconds_to_first_token")
    timing = f" · first words after {first:.1f} s" if isinstance(first, int | float) else ""
    meta = f"Answered from {plural(len(result.get('citations') or []), 'slide')}{timing}"
    status.update(label=meta, state="complete")
    placeholder.markdown(md(result["answer"]))
    return {
        "role": "assistant",
        "content": result["answer"],
        "citations": result.get("citations") or [],
        "web": result.get("web") or [],
        "meta": meta,
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
        key = f"m{len(messages) - 1}"
        citations_row(answer["citations"], key)
        web_results(answer["web"])
    if new_session and chat["session_id"] is not None:
        st.rerun()  # list the new conversation


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
    for n, message in enumerate(chat["messages"]):
        show_message(message, key=f"m{n}")
    question = st.chat_input("Ask about your slides…", key="chat_question")
    if question and question.strip():
        ask(client, chat, question.strip(), web)
