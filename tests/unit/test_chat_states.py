"""Honest chat states and places in the address bar, against the fake gateway of ``test_frontend_app``:
a refusal is its own card with the closest slides, an empty answer is never a success, an answer can be
asked again, a reload while an answer is written says so, and a pasted link opens the same place."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.unit.test_frontend_app import APP, FakeGateway, button, client_factory, make_app, texts


@pytest.fixture
def fake() -> FakeGateway:
    return FakeGateway()


def labels(at: AppTest) -> list[str]:
    """The labels of status boxes and the captions: where "Answered from n slides" would show."""
    found: list[str] = list(texts(at.caption))

    def walk(node: Any) -> None:
        if getattr(node, "type", None) == "status":
            found.append(str(node.label))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def app_at(fake: FakeGateway, **params: str) -> AppTest:
    """The app opened at an address with ``params`` as its query (a reload or a pasted link)."""
    at = AppTest.from_file(APP, default_timeout=10)
    at.session_state["client_factory"] = client_factory(fake, fake.sign_in_state())
    at.session_state["user"] = {"id": 1, "email": "ada@example.com", "display_name": "Ada"}
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def refusal(question: str) -> dict[str, Any]:
    return {
        "answer": "I could not find this in your notes for this subject. The closest slides: Cells, slide 2.",
        "citations": [],
        "closest": [FakeGateway.citation(2, "Mitochondria make ATP.")],
        "evidence": [],
        "web": [],
        "notice": "",
        "seconds_to_first_token": 0.1,
        "answered_from_notes": False,
    }


def test_a_refusal_is_its_own_card_with_the_closest_slides(fake: FakeGateway) -> None:
    fake.answer = refusal  # type: ignore[method-assign]
    at = make_app(fake, page="Chat")
    at.chat_input(key="chat_question").set_value("Who won the 1998 World Cup?").run()
    assert not at.exception
    shown = " ".join(texts(at.markdown))
    assert "Not in your notes" in shown
    assert "The closest slides, to look at yourself:" in texts(at.caption)
    assert "**[1] Cells** · slide 2" in texts(at.markdown)
    assert not any(label.startswith("Answered from") for label in labels(at))
    # and a cited answer does say so (the check above can fail)
    fake.answer = FakeGateway().answer  # type: ignore[method-assign]
    at.chat_input(key="chat_question").set_value("What makes ATP?").run()
    assert any(label.startswith("Answered from 1 slide") for label in labels(at))


def test_an_empty_answer_is_never_a_success(fake: FakeGateway) -> None:
    fake.answer = lambda q: {"answer": "", "citations": [], "web": [], "seconds_to_first_token": 0.1}  # type: ignore[method-assign]
    at = make_app(fake, page="Chat")
    at.chat_input(key="chat_question").set_value("What makes ATP?").run()
    assert not at.exception
    assert any("No answer came back" in e for e in texts(at.error))
    assert not any(label.startswith("Answered from") for label in labels(at))


def test_an_uncited_answer_is_flagged(fake: FakeGateway) -> None:
    fake.answer = lambda q: {"answer": "Probably the sun.", "citations": [], "web": []}  # type: ignore[method-assign]
    at = make_app(fake, page="Chat")
    at.chat_input(key="chat_question").set_value("What makes ATP?").run()
    assert any("No slide backs this answer" in w for w in texts(at.warning))
    assert not any(label.startswith("Answered from") for label in labels(at))


def test_regenerate_asks_the_last_question_again(fake: FakeGateway) -> None:
    at = make_app(fake, page="Chat")
    at.chat_input(key="chat_question").set_value("What makes ATP?").run()
    assert fake.calls.count(("POST", "/chat")) == 1
    button(at, "Regenerate").click().run()
    assert not at.exception
    assert fake.calls.count(("POST", "/chat")) == 2


def test_a_stopped_answer_keeps_its_words_marked_unfinished(fake: FakeGateway) -> None:
    at = make_app(fake, page="Chat")
    at.session_state["chat"] = {
        "subject_id": 1,
        "session_id": 5,
        "messages": [{"role": "user", "content": "What makes ATP?"}],
    }
    at.session_state["_chat_stream"] = {"text": "Mitochondria", "subject_id": 1}  # a run cut short
    at.run()
    assert not at.exception
    assert "Mitochondria" in texts(at.markdown)
    assert any("Stopped" in c for c in texts(at.caption))


def test_a_reload_while_the_answer_is_written_says_so(fake: FakeGateway) -> None:
    fake.messages[5] = [
        {
            "id": 1,
            "role": "user",
            "content": "What do cells do?",
            "citations": [],
            "created_at": datetime.now(UTC).isoformat(),
        },
    ]
    at = app_at(fake, page="chat", subject="1", conversation="5")
    assert not at.exception
    assert "Still writing the answer…" in labels(at)
    assert at.session_state["chat"]["session_id"] == 5


def test_a_pasted_link_opens_the_slide_and_the_address_follows(fake: FakeGateway) -> None:
    at = app_at(fake, page="lecture", lecture="10", slide="2")
    assert not at.exception
    assert "Lecture view" in texts(at.header)
    assert "Page 2" in " ".join(texts(at.subheader))
    assert at.query_params["page"] == "lecture" and at.query_params["slide"] == "2"
