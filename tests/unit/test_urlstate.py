"""Where the student is, in the address bar: the names other pages' links use, read and written."""

from __future__ import annotations

from frontend.session import CHAT, LECTURE, PAGES, SETTINGS, STUDY
from frontend.urlstate import OPEN_CONVERSATION, from_params, to_params


def test_a_pasted_link_opens_the_slide() -> None:
    values = from_params({"page": "lecture", "subject": "3", "lecture": "12", "slide": "4"}, PAGES)
    assert values == {"page": LECTURE, "subject_id": 3, "lecture_id": 12, "page_number": 4}
    assert to_params(values) == {"page": "lecture", "subject": "3", "lecture": "12", "slide": "4"}


def test_a_conversation_and_a_quiz_are_reopened() -> None:
    chat = from_params({"page": "chat", "subject": "2", "conversation": "9"}, PAGES)
    assert chat["page"] == CHAT and chat[OPEN_CONVERSATION] == 9
    assert to_params({**chat, "chat": {"session_id": 9}}) == {
        "page": "chat",
        "subject": "2",
        "conversation": "9",
    }
    quiz = from_params({"page": "study", "quiz": "5"}, PAGES)
    assert quiz["page"] == STUDY and quiz["quiz_doc"] == 5 and 5 in quiz["quiz_started"]
    assert to_params(quiz) == {"page": "study", "quiz": "5"}


def test_junk_in_the_address_is_ignored() -> None:
    values = from_params({"page": "admin", "subject": "x", "lecture": "-1", "slide": "99999999999"}, PAGES)
    assert values == {}
    # A page this app does not have is not opened; one it has is.
    assert from_params({"page": "mindmap"}, [p for p in PAGES if p != "Mind map"]) == {}
    assert from_params({"page": "mindmap"}, PAGES) == {"page": "Mind map"}


def test_only_what_the_page_uses_is_written() -> None:
    state = {"page": SETTINGS, "subject_id": 1, "lecture_id": 2, "page_number": 3}
    assert to_params(state) == {"page": "settings"}
    assert to_params({**state, "page": CHAT}) == {"page": "chat", "subject": "1"}
