"""Only a cited answer reads as a success; a refusal, an uncited, an empty or a stopped answer never does."""

from __future__ import annotations

import pytest

from frontend.answer_state import ANSWERED, EMPTY, REFUSED, STOPPED, UNCITED, kind_of, status_line

CITED = [{"lecture": 1, "page": 2}]


@pytest.mark.parametrize(
    ("result", "kind"),
    [
        ({"answer": "Mitosis makes two cells [1].", "citations": CITED}, ANSWERED),
        ({"answer": "I could not find this in your notes for this subject.", "citations": []}, REFUSED),
        ({"answer": "Anything", "citations": [], "answered_from_notes": False}, REFUSED),
        (
            {
                "content": "I could not find this in your notes for this subject. The closest: x",
                "citations": [],
            },
            REFUSED,
        ),
        ({"answer": "A guess with no slide.", "citations": []}, UNCITED),
        ({"answer": "   ", "citations": CITED}, EMPTY),
        ({"answer": "", "citations": []}, EMPTY),
        ({"answer": "Half an ans", "citations": [], "stopped": True}, STOPPED),
    ],
)
def test_kinds(result: dict[str, object], kind: str) -> None:
    assert kind_of(result) == kind


def test_only_a_cited_answer_is_complete() -> None:
    label, state = status_line(ANSWERED, 2, 0.4)
    assert (label, state) == ("Answered from 2 slides · first words after 0.4 s", "complete")
    for kind in (REFUSED, UNCITED, EMPTY, STOPPED):
        label, state = status_line(kind, 0, None)
        assert state == "error" and "Answered" not in label
