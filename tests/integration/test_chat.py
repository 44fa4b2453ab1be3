"""Chat through the real stack: Redis, a real Celery ai worker, Chroma, MiniLM and the bundled SmolLM2."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.integration.conftest import Stack
from tests.support.factories import make_pdf

DECK = [
    "Cell biology basics\nCells are the basic unit of life\nAll organisms are made of cells",
    "Mitochondria\nThe mitochondria produce ATP through cellular respiration\n"
    "They are called the powerhouse of the cell",
    "Ribosomes\nRibosomes build proteins by translating messenger RNA\nThey are found in the cytoplasm",
    "Cell membrane\nThe membrane is a phospholipid bilayer\nIt controls what enters and leaves the cell",
]


@pytest.fixture
def biology(stack: Stack, tmp_path: Path) -> dict[str, Any]:
    headers = stack.user()
    subject = stack.subject(headers, "Biology")
    r = stack.upload(headers, subject["id"], "cells.pdf", make_pdf(tmp_path / "cells.pdf", DECK).read_bytes())
    assert stack.wait_job(headers, r.json()["job"]["id"], timeout=120)["status"] == "done"
    return {"headers": headers, "subject": subject, "lecture": r.json()["lecture"]}


def _chat_over_ws(stack: Stack, headers: dict[str, str], message: dict[str, Any]) -> list[dict[str, Any]]:
    token = headers["Authorization"].split()[1]
    events: list[dict[str, Any]] = []
    with stack.client.websocket_connect(f"/api/v1/ws?token={token}") as ws:
        assert ws.receive_json()["type"] == "ready"
        ws.send_json({"type": "chat", **message})
        while True:
            event = ws.receive_json()
            if event["type"].startswith("chat."):
                events.append(event)
            if event["type"] in ("chat.done", "chat.error"):
                return events


def test_answer_streams_over_websocket_with_evidence_first_and_cites_the_right_slide(
    stack: Stack, biology: dict[str, Any]
) -> None:
    events = _chat_over_ws(
        stack,
        biology["headers"],
        {
            "subject_id": biology["subject"]["id"],
            "question": "What do mitochondria produce?",
            "request_id": "q-1",
        },
    )
    kinds = [e["type"] for e in events]
    assert kinds[0] == "chat.accepted" and kinds[1] == "chat.evidence", kinds
    assert kinds[-1] == "chat.done"
    tokens = [e["text"] for e in events if e["type"] == "chat.token"]
    assert len(tokens) >= 3, tokens  # streamed, not sent whole
    assert all(e["request_id"] == "q-1" for e in events)
    evidence_pages = [e["page"] for e in events[1]["evidence"]]
    assert evidence_pages[0] == 2
    done = events[-1]
    assert [c["page"] for c in done["citations"]] == [2]
    assert done["citations"][0]["file"] == "cells.pdf"
    assert "ATP" in done["citations"][0]["quote"]
    assert "slide 2]" in done["answer"]
    assert set(c["page"] for c in done["citations"]) <= set(evidence_pages)  # only retrieved slides are cited
    assert done["seconds_to_first_token"] is not None and done["seconds_to_first_token"] < 30
    messages = stack.client.get(
        f"/api/v1/chat/sessions/{events[0]['session_id']}/messages", headers=biology["headers"]
    ).json()
    assert [m["role"] for m in messages] == ["user", "assistant"]
    assert messages[1]["citations"][0]["page"] == 2


def test_question_not_in_the_notes_gets_no_fabricated_citation(stack: Stack, biology: dict[str, Any]) -> None:
    r = stack.client.post(
        "/api/v1/chat",
        json={"subject_id": biology["subject"]["id"], "question": "Who won the football world cup in 1998?"},
        headers=biology["headers"],
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["citations"] == [] and body["evidence"] == []
    assert "could not find" in body["answer"]


def test_repeated_question_hits_the_cache_and_web_search_failure_is_said(
    stack: Stack, biology: dict[str, Any]
) -> None:
    body = {"subject_id": biology["subject"]["id"], "question": "What do ribosomes build?"}
    first = stack.client.post("/api/v1/chat", json=body, headers=biology["headers"]).json()
    second = stack.client.post("/api/v1/chat", json=body, headers=biology["headers"]).json()
    assert first["cached"] is False and second["cached"] is True
    assert second["answer"] == first["answer"] and [c["page"] for c in second["citations"]] == [3]
    # This machine has no internet: asking for the web says so, and still answers from the notes.
    web = stack.client.post("/api/v1/chat", json={**body, "web": True}, headers=biology["headers"]).json()
    assert "unavailable" in web["notice"] and web["notice"] in web["answer"]
    assert [c["page"] for c in web["citations"]] == [3]


def test_search_ranks_the_slide_and_other_users_cannot_reach_it(
    stack: Stack, biology: dict[str, Any], tmp_path: Path
) -> None:
    hits = stack.client.post(
        "/api/v1/search",
        json={"subject_id": biology["subject"]["id"], "query": "phospholipid bilayer", "k": 3},
        headers=biology["headers"],
    ).json()["hits"]
    assert hits[0]["page"] == 4 and hits[0]["file"] == "cells.pdf"
    other = stack.user()
    r = stack.client.post(
        "/api/v1/search", json={"subject_id": biology["subject"]["id"], "query": "membrane"}, headers=other
    )
    assert r.status_code == 404 and r.json()["error"]["code"] == "SUBJECT_NOT_FOUND"
    r = stack.client.post(
        "/api/v1/chat", json={"subject_id": biology["subject"]["id"], "question": "membrane?"}, headers=other
    )
    assert r.status_code == 404
    own = stack.subject(other, "Biology")  # same name, own subject: none of A's chunks
    deck = make_pdf(
        tmp_path / "other.pdf", ["Plants\nPlants make sugar from light", "Roots\nRoots take up water"]
    )
    r = stack.upload(other, own["id"], "other.pdf", deck.read_bytes())
    assert stack.wait_job(other, r.json()["job"]["id"], timeout=120)["status"] == "done"
    hits = stack.client.post(
        "/api/v1/search",
        json={"subject_id": own["id"], "query": "phospholipid bilayer membrane"},
        headers=other,
    ).json()["hits"]
    assert {h["file"] for h in hits} <= {"other.pdf"}


def test_deleting_a_lecture_removes_it_from_search(stack: Stack, biology: dict[str, Any]) -> None:
    subject_id, headers = biology["subject"]["id"], biology["headers"]
    assert (
        stack.client.delete(f"/api/v1/lectures/{biology['lecture']['id']}", headers=headers).status_code
        == 204
    )
    deadline = time.monotonic() + 30
    hits: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        hits = stack.client.post(
            "/api/v1/search", json={"subject_id": subject_id, "query": "mitochondria ATP"}, headers=headers
        ).json()["hits"]
        if not hits:
            break
        time.sleep(0.5)
    assert hits == []


def test_a_follow_up_from_the_command_line_is_answered_from_the_previous_slide(
    stack: Stack, biology: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`smartnotes ask --follow-up` continues the subject's latest conversation: "Why?" alone names nothing
    the notes could answer, after a question it is asked about that question's slide."""
    import json

    import httpx

    from smartnotes_tools import cli

    monkeypatch.setenv("SMARTNOTES_TOKEN", biology["headers"]["Authorization"].split()[1])
    monkeypatch.setenv("XDG_CONFIG_HOME", str(stack.settings.data_dir / "cli-config"))

    def through_the_gateway(request: httpx.Request) -> httpx.Response:
        r = stack.client.request(
            request.method,
            request.url.raw_path.decode(),
            headers=dict(request.headers),
            content=request.content,
        )
        return httpx.Response(r.status_code, headers=dict(r.headers), content=r.content)

    def ask(*argv: str) -> dict[str, Any]:
        argv = ("--api", "http://testserver", "ask", *argv, "--subject", "Biology", "--json")
        assert cli.main(list(argv), transport=httpx.MockTransport(through_the_gateway)) == 0
        return dict(json.loads(capsys.readouterr().out))

    alone = ask("Why?")
    first = ask("What do ribosomes build?")
    assert [c["page"] for c in first["citations"]] == [3]
    follow = ask("Why?", "--follow-up")
    assert [c["page"] for c in follow["citations"]] == [3], follow
    assert [c["page"] for c in alone["citations"]] != [3], alone
