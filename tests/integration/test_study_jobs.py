"""The study jobs on real Celery workers (SQLite and PostgreSQL): a student's FSRS parameters fitted to their
own reviews by the generation worker (log loss before and after, then used), and a lecture's mind map drawn
from its slides (graph, SVG whose nodes link to their slides, PNG)."""

from __future__ import annotations

from pathlib import Path

from shared.models import Flashcard, ReviewLog
from tests.integration.conftest import Stack
from tests.support.factories import make_pdf
from tests.support.fsrs_history import synthetic_history


def test_personal_fsrs_parameters_are_fitted_by_the_generation_worker(stack: Stack) -> None:
    headers = stack.user()
    subject = stack.subject(headers)
    user_id = stack.client.get("/api/v1/auth/me", headers=headers).json()["id"]
    logs = synthetic_history(cards=90, reviews=7)
    with stack.session_factory() as db:
        ids: dict[int, int] = {}
        for log in logs:
            if log.card_id not in ids:
                card = Flashcard(user_id=user_id, subject_id=subject["id"], front="f", back="b", fsrs_card={})
                db.add(card)
                db.flush()
                ids[log.card_id] = card.id
            entry = dict(log.to_dict())
            entry["card_id"] = ids[log.card_id]
            db.add(
                ReviewLog(
                    user_id=user_id,
                    flashcard_id=ids[log.card_id],
                    rating=int(log.rating),
                    reviewed_at=log.review_datetime,
                    log=entry,
                )
            )
        db.commit()
    r = stack.client.post("/api/v1/fsrs/optimize", headers=headers)
    assert r.status_code == 202, r.text
    job = stack.wait_job(headers, r.json()["job"]["id"], timeout=240)
    assert job["status"] == "done", job
    assert job["result"]["log_loss_after"] < job["result"]["log_loss_before"]
    profile = stack.client.get("/api/v1/fsrs", headers=headers).json()
    assert profile["personal"] is True and profile["reviews"] == len(logs)
    assert profile["log_loss_after"] == job["result"]["log_loss_after"]


def test_a_lecture_mind_map_is_drawn_by_the_generation_worker(stack: Stack, tmp_path: Path) -> None:
    headers = stack.user()
    subject = stack.subject(headers)
    deck = make_pdf(
        tmp_path / "organelles.pdf",
        [
            "Cells\nWeek 2",
            "Organelles\nMitochondrion: the organelle that makes ATP\n"
            "Ribosome: the organelle that builds proteins",
        ],
    )
    r = stack.upload(headers, subject["id"], "organelles.pdf", deck.read_bytes())
    assert r.status_code == 202, r.text
    body = r.json()
    lecture = body["lecture"]
    ingest = stack.wait_job(headers, body["job"]["id"], timeout=180)
    assert ingest["status"] == "done", ingest
    r = stack.client.post(
        f"/api/v1/subjects/{subject['id']}/mindmap", json={"lecture_id": lecture["id"]}, headers=headers
    )
    assert r.status_code == 202, r.text
    job = stack.wait_job(headers, r.json()["job"]["id"], timeout=120)
    assert job["status"] == "done", job
    graph = stack.client.get(
        f"/api/v1/subjects/{subject['id']}/mindmap", params={"lecture_id": lecture["id"]}, headers=headers
    ).json()
    term = next(n for n in graph["nodes"] if n["label"] == "Mitochondrion")
    assert term["slide"] == 2 and term["lecture_id"] == lecture["id"]
    assert any(n["label"] == "the organelle that makes ATP" for n in graph["nodes"])
    svg = stack.client.get(f"/api/v1/documents/{graph['document_id']}/mindmap.svg", headers=headers)
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert f"?page=lecture&amp;lecture={lecture['id']}&amp;slide=2" in svg.text
    png = stack.client.get(f"/api/v1/documents/{graph['document_id']}/mindmap.png", headers=headers)
    assert png.content.startswith(b"\x89PNG")
