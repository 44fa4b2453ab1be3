"""Reading a lecture again from its stored file: POST /lectures/{id}/reprocess."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from shared.models import Chunk, Job, Page
from tests.integration.conftest import Stack
from tests.support.factories import make_pdf

SLIDES = ["Photosynthesis\nLight becomes sugar", "Chlorophyll\nThe green pigment", "Stomata\nLeaves breathe"]


def _counts(stack: Stack, lecture_id: int) -> tuple[int, int, int]:
    with stack.session_factory() as db:
        pages = db.scalar(select(func.count()).select_from(Page).where(Page.lecture_id == lecture_id))
        chunks = db.scalar(select(func.count()).select_from(Chunk).where(Chunk.lecture_id == lecture_id))
        jobs = db.scalar(select(func.count()).select_from(Job).where(Job.lecture_id == lecture_id))
        return pages or 0, chunks or 0, jobs or 0


def test_reprocess_queues_a_new_ingest_job_and_replaces_pages(stack: Stack, tmp_path: Path) -> None:
    headers = stack.user()
    subject = stack.subject(headers)
    deck = make_pdf(tmp_path / "plants.pdf", SLIDES).read_bytes()
    r = stack.upload(headers, subject["id"], "plants.pdf", deck)
    assert r.status_code == 202, r.text
    first_job = r.json()["job"]["id"]
    assert stack.wait_job(headers, first_job)["status"] == "done"
    lecture_id = r.json()["lecture"]["id"]
    pages_before, chunks_before, _ = _counts(stack, lecture_id)
    assert pages_before == 3 and chunks_before > 0

    r = stack.client.post(f"/api/v1/lectures/{lecture_id}/reprocess", headers=headers)
    assert r.status_code == 202, r.text
    body = r.json()
    assert set(body) == {"lecture", "job"}
    job = body["job"]
    assert job["id"] != first_job and job["kind"] == "ingest" and job["lecture_id"] == lecture_id
    # released to the ocr queue at once (the user has no other upload): a worker may already have it
    assert job["status"] in ("queued", "running") and body["lecture"]["status"] in ("queued", "processing")

    busy = stack.client.post(f"/api/v1/lectures/{lecture_id}/reprocess", headers=headers)
    assert busy.status_code == 409, busy.text
    assert busy.json()["error"]["code"] == "LECTURE_BUSY"
    assert busy.json()["error"]["details"]["job_id"] == job["id"]

    assert stack.wait_job(headers, job["id"])["status"] == "done"
    lecture = stack.client.get(f"/api/v1/lectures/{lecture_id}", headers=headers).json()
    assert lecture["status"] == "done" and lecture["page_count"] == 3
    # Read again, not added to: the same pages and chunks, two jobs in the lecture's history.
    assert _counts(stack, lecture_id) == (pages_before, chunks_before, 2)
    pages = stack.client.get(f"/api/v1/lectures/{lecture_id}/pages", headers=headers).json()
    assert [p["number"] for p in pages] == [1, 2, 3] and "Chlorophyll" in pages[1]["text"]

    # A done lecture can be read again as often as wanted.
    again = stack.client.post(f"/api/v1/lectures/{lecture_id}/reprocess", headers=headers)
    assert again.status_code == 202, again.text
    assert stack.wait_job(headers, again.json()["job"]["id"])["status"] == "done"


def test_reprocess_is_only_for_the_owner(stack: Stack, tmp_path: Path) -> None:
    owner = stack.user()
    subject = stack.subject(owner)
    r = stack.upload(owner, subject["id"], "deck.pdf", make_pdf(tmp_path / "d.pdf", SLIDES[:1]).read_bytes())
    assert r.status_code == 202, r.text
    lecture_id = r.json()["lecture"]["id"]
    assert stack.wait_job(owner, r.json()["job"]["id"])["status"] == "done"

    stranger = stack.user()
    r = stack.client.post(f"/api/v1/lectures/{lecture_id}/reprocess", headers=stranger)
    assert r.status_code == 404 and r.json()["error"]["code"] == "LECTURE_NOT_FOUND"
    r = stack.client.post(f"/api/v1/lectures/{lecture_id}/reprocess")
    assert r.status_code == 401
    assert _counts(stack, lecture_id)[2] == 1  # no job was created for them


def test_runtime_settings_name_the_providers_for_a_signed_in_user(stack: Stack) -> None:
    r = stack.client.get("/api/v1/settings/runtime")
    assert r.status_code == 401 and r.json()["error"]["code"] == "NOT_AUTHENTICATED"
    r = stack.client.get("/api/v1/settings/runtime", headers=stack.user())
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {
        "llm_provider",
        "llm_model",
        "embedding_provider",
        "ocr_engine",
        "layout_detector",
        "max_upload_mb",
        "max_pages",
    }
    assert body["max_pages"] == stack.settings.max_pages
    assert body["llm_provider"] == stack.settings.llm_provider
    assert body["max_upload_mb"] == stack.settings.max_upload_mb == 2
    assert body["llm_model"]  # the bundled model is named, never an empty string
