"""The study-plan API on the real gateway app (uvicorn, SQLite, a real redis-server as the broker): exam dates
on subjects, the study plan, personal FSRS parameters (400 reviews or a clear error; then a queued job), and
mind maps (queued; a clear error before any exists)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from shared.db import make_engine, make_session_factory
from shared.models import Flashcard, Job, ReviewLog
from tests.support.gateway import Gateway, running_gateway


@pytest.fixture
def gateway(tmp_path: Path) -> Iterator[Gateway]:
    with running_gateway(tmp_path) as gw:
        yield gw


def _client(gw: Gateway) -> tuple[httpx.Client, dict[str, str]]:
    client = gw.client()
    _email, headers = gw.user(client)
    return client, headers


def test_a_subject_carries_its_exam_date(gateway: Gateway) -> None:
    client, headers = _client(gateway)
    exam = (date.today() + timedelta(days=14)).isoformat()
    r = client.post("/api/v1/subjects", json={"name": "Biology", "exam_date": exam}, headers=headers)
    assert r.status_code == 201 and r.json()["exam_date"] == exam
    sid = r.json()["id"]
    r = client.patch(f"/api/v1/subjects/{sid}", json={"name": "Bio"}, headers=headers)
    assert r.json()["exam_date"] == exam  # untouched when not sent
    plan = client.get(f"/api/v1/subjects/{sid}/study-plan", headers=headers).json()
    assert plan["exam_date"] == exam and plan["days_left"] == 14 and plan["desired_retention"] > 0.9
    assert [d["date"] for d in plan["cram"]] == [
        (date.fromisoformat(exam) - timedelta(days=n)).isoformat() for n in (3, 2, 1)
    ]
    r = client.patch(f"/api/v1/subjects/{sid}", json={"exam_date": None}, headers=headers)
    assert r.json()["exam_date"] is None
    plan = client.get(f"/api/v1/subjects/{sid}/study-plan", headers=headers).json()
    assert plan["exam_date"] is None and plan["desired_retention"] == 0.9 and plan["cram"] == []
    r = client.patch(f"/api/v1/subjects/{sid}", json={"exam_date": "next tuesday"}, headers=headers)
    assert r.status_code == 422 and r.json()["error"]["code"] == "VALIDATION_ERROR"


def test_personal_parameters_need_400_reviews_then_queue_a_job(gateway: Gateway) -> None:
    client, headers = _client(gateway)
    profile = client.get("/api/v1/fsrs", headers=headers).json()
    assert profile["reviews"] == 0 and profile["personal"] is False and len(profile["parameters"]) == 21
    r = client.post("/api/v1/fsrs/optimize", headers=headers)
    assert r.status_code == 409
    error = r.json()["error"]
    assert error["code"] == "NOT_ENOUGH_REVIEWS" and "400" in error["message"]
    assert error["details"] == {"reviews": 0, "min_reviews": 400}
    # 400 reviews (written straight to the database), then the request queues the optimizer's job
    sid = client.post("/api/v1/subjects", json={"name": "Chem"}, headers=headers).json()["id"]
    user_id = client.get("/api/v1/auth/me", headers=headers).json()["id"]
    factory = make_session_factory(make_engine(gateway.settings))
    with factory() as db:
        card = Flashcard(user_id=user_id, subject_id=sid, front="f", back="b", fsrs_card={})
        db.add(card)
        db.flush()
        t0 = datetime(2026, 1, 1, tzinfo=UTC)
        for n in range(400):
            db.add(
                ReviewLog(user_id=user_id, flashcard_id=card.id, rating=3, reviewed_at=t0 + timedelta(days=n))
            )
        db.commit()
    r = client.post("/api/v1/fsrs/optimize", headers=headers)
    assert r.status_code == 202, r.text
    body = r.json()
    assert body["reviews"] == 400 and body["job"]["kind"] == "fsrs_optimize"
    assert body["job"]["status"] == "queued" and body["job"]["queue"] == "generation"
    with factory() as db:
        job = db.get(Job, body["job"]["id"])
        assert job is not None and job.celery_task_id  # sent to the broker
    assert client.get("/api/v1/fsrs", headers=headers).json()["job"]["id"] == body["job"]["id"]


def test_mind_maps_answer_clearly_before_there_is_one(gateway: Gateway) -> None:
    client, headers = _client(gateway)
    sid = client.post("/api/v1/subjects", json={"name": "Physics"}, headers=headers).json()["id"]
    r = client.get(f"/api/v1/subjects/{sid}/mindmap", headers=headers)
    assert r.status_code == 404 and r.json()["error"]["code"] == "MINDMAP_NOT_FOUND"
    r = client.post(f"/api/v1/subjects/{sid}/mindmap", json={}, headers=headers)
    assert r.status_code == 409 and r.json()["error"]["code"] == "NO_PROCESSED_LECTURES"
    r = client.get("/api/v1/documents/999/mindmap.svg", headers=headers)
    assert r.status_code == 404
    r = client.get("/api/v1/documents/1/mindmap.gif", headers=headers)
    assert r.status_code in (404, 422)
