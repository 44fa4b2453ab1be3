"""The spine end to end: sign up, create a subject, upload, a real worker processes it, events arrive."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from sqlalchemy import func, select

from shared.models import Chunk, Lecture, Page
from tests.integration.conftest import Stack
from tests.support.factories import make_pdf, make_pptx

SLIDES = [
    "Photosynthesis\nLight reactions happen in the thylakoid membrane\nWater is split to release oxygen",
    "The Calvin cycle\nCarbon fixation by RuBisCO in the stroma\nProduces glyceraldehyde 3-phosphate",
    "Summary\nLight energy becomes chemical energy\nATP and NADPH power the Calvin cycle",
]


def test_upload_is_processed_by_a_real_worker_and_progress_reaches_the_websocket(
    stack: Stack, tmp_path: Path
) -> None:
    headers = stack.user()
    subject = stack.subject(headers, "Biology")
    pdf = make_pdf(tmp_path / "bio.pdf", SLIDES).read_bytes()
    token = headers["Authorization"].split()[1]

    events: list[dict] = []
    with stack.client.websocket_connect(f"/api/v1/ws?token={token}") as ws:
        ready = ws.receive_json()
        assert ready["type"] == "ready"
        r = stack.upload(headers, subject["id"], "bio.pdf", pdf)
        assert r.status_code == 202, r.text
        body = r.json()
        job_id = body["job"]["id"]
        assert body["lecture"]["status"] == "queued"
        assert body["lecture"]["page_count"] == 3
        while True:
            event = ws.receive_json()
            events.append(event)
            if event.get("job_id") == job_id and event["status"] in ("done", "failed", "cancelled"):
                break

    assert events[-1]["status"] == "done", events[-1]
    stages = [e["stage"] for e in events if e.get("job_id") == job_id]
    assert any(s.startswith("page ") for s in stages), stages
    assert "indexing" in stages
    progresses = [e["progress"] for e in events if e.get("job_id") == job_id]
    assert progresses == sorted(progresses) and progresses[-1] == 1.0

    job = stack.client.get(f"/api/v1/jobs/{job_id}", headers=headers).json()
    assert job["status"] == "done" and job["progress"] == 1.0
    assert job["result"]["pages"] == 3

    lecture_id = body["lecture"]["id"]
    lecture = stack.client.get(f"/api/v1/lectures/{lecture_id}", headers=headers).json()
    assert lecture["status"] == "done"
    assert lecture["page_count"] == 3
    assert lecture["chunk_count"] >= 3
    assert lecture["processing_seconds"] > 0

    pages = stack.client.get(f"/api/v1/lectures/{lecture_id}/pages", headers=headers).json()
    assert [p["number"] for p in pages] == [1, 2, 3]
    assert pages[1]["title"] == "The Calvin cycle"
    assert "RuBisCO" in pages[1]["text"]

    listed = stack.client.get(f"/api/v1/subjects/{subject['id']}/lectures", headers=headers).json()
    assert [lec["id"] for lec in listed] == [lecture_id]


def test_pptx_upload_reads_slides_and_notes(stack: Stack, tmp_path: Path) -> None:
    headers = stack.user()
    subject = stack.subject(headers)
    deck = make_pptx(
        tmp_path / "deck.pptx",
        [("Entropy", "Disorder of a system", "Mention the second law"), ("Enthalpy", "Heat content", "")],
    ).read_bytes()
    r = stack.upload(headers, subject["id"], "deck.pptx", deck)
    assert r.status_code == 202, r.text
    job = stack.wait_job(headers, r.json()["job"]["id"])
    assert job["status"] == "done", job
    pages = stack.client.get(f"/api/v1/lectures/{r.json()['lecture']['id']}/pages", headers=headers).json()
    assert [p["title"] for p in pages] == ["Entropy", "Enthalpy"]
    assert "Disorder of a system" in pages[0]["text"]


def test_redelivered_task_does_not_duplicate_pages_or_chunks(stack: Stack, tmp_path: Path) -> None:
    """Run the same ingestion twice (as a redelivery after a lost worker would): same rows, no copies."""
    from shared.celery_app import TASK_INGEST_LECTURE
    from shared.models import Job

    headers = stack.user()
    subject = stack.subject(headers)
    r = stack.upload(headers, subject["id"], "a.pdf", make_pdf(tmp_path / "a.pdf", SLIDES).read_bytes())
    job_id = r.json()["job"]["id"]
    lecture_id = r.json()["lecture"]["id"]
    assert stack.wait_job(headers, job_id)["status"] == "done"
    with stack.session_factory() as db:
        before = db.scalar(select(func.count(Chunk.id)).where(Chunk.lecture_id == lecture_id))
        # Reopen the job as if the first delivery had died mid-way, and deliver the task again.
        job = db.get(Job, job_id)
        assert job is not None
        job.status = "running"
        db.commit()
    stack.client.app.state.container.celery.send_task(TASK_INGEST_LECTURE, args=[job_id], queue="ocr")  # type: ignore[attr-defined]
    assert stack.wait_job(headers, job_id)["status"] == "done"
    with stack.session_factory() as db:
        assert db.scalar(select(func.count(Page.id)).where(Page.lecture_id == lecture_id)) == 3
        assert db.scalar(select(func.count(Chunk.id)).where(Chunk.lecture_id == lecture_id)) == before
        lecture = db.get(Lecture, lecture_id)
        assert lecture is not None and lecture.page_count == 3


def test_corrupt_file_fails_that_lecture_not_the_worker(stack: Stack, tmp_path: Path) -> None:
    headers = stack.user()
    subject = stack.subject(headers)
    good = make_pdf(tmp_path / "g.pdf", SLIDES).read_bytes()
    # Stop the queue from racing us: upload, then damage the stored file before a worker reads it is not
    # deterministic, so damage a copy and enqueue it the way the gateway would.
    r = stack.upload(headers, subject["id"], "g.pdf", good)
    lecture_id = r.json()["lecture"]["id"]
    assert stack.wait_job(headers, r.json()["job"]["id"])["status"] == "done"
    with stack.session_factory() as db:
        lecture = db.get(Lecture, lecture_id)
        assert lecture is not None
        stored = stack.settings.data_dir / lecture.storage_path
    stored.write_bytes(good[: len(good) // 3])

    from shared.celery_app import TASK_INGEST_LECTURE
    from shared.jobs import create_job

    with stack.session_factory() as db:
        job = create_job(
            db=db,
            user_id=lecture.user_id,
            kind="ingest",
            queue="ocr",
            subject_id=subject["id"],
            lecture_id=lecture_id,
        )
        db.commit()
        job_id = job.id
    stack.client.app.state.container.celery.send_task(TASK_INGEST_LECTURE, args=[job_id], queue="ocr")  # type: ignore[attr-defined]
    failed = stack.wait_job(headers, job_id)
    assert failed["status"] == "failed"
    assert failed["error_code"] == "PDF_CORRUPT"
    lec = stack.client.get(f"/api/v1/lectures/{lecture_id}", headers=headers).json()
    assert lec["status"] == "failed" and lec["error_code"] == "PDF_CORRUPT"
    assert stack.workers_alive()
    # The worker still takes the next lecture.
    r = stack.upload(headers, subject["id"], "next.pdf", good)
    assert stack.wait_job(headers, r.json()["job"]["id"])["status"] == "done"


def test_webhook_is_signed_and_retried(stack: Stack, tmp_path: Path) -> None:
    import hashlib
    import hmac
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from gateway.webhooks import webhook_secret

    received: list[tuple[dict[str, str], bytes]] = []
    statuses = [500, 200]  # the first delivery fails: the gateway must retry

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), body))
            self.send_response(statuses.pop(0) if statuses else 200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        headers = stack.user()
        subject = stack.subject(headers)
        url = f"http://127.0.0.1:{server.server_port}/hook"
        r = stack.upload(
            headers,
            subject["id"],
            "w.pdf",
            make_pdf(tmp_path / "w.pdf", SLIDES).read_bytes(),
            webhook_url=url,
        )
        assert r.status_code == 202, r.text
        job_id = r.json()["job"]["id"]
        assert stack.wait_job(headers, job_id)["status"] == "done"
        from tests.support.services import wait_for

        wait_for(lambda: len(received) >= 2, 20, "webhook retry")
    finally:
        server.shutdown()
    hdrs, body = received[-1]
    payload = json.loads(body)
    assert payload["event"] == "job.done"
    assert payload["job"]["id"] == job_id
    assert payload["lecture"]["page_count"] == 3
    expected = hmac.new(
        webhook_secret(stack.settings).encode(),
        hdrs["X-SmartNotes-Timestamp"].encode() + b"." + body,
        hashlib.sha256,
    ).hexdigest()
    assert hdrs["X-SmartNotes-Signature"] == f"sha256={expected}"
    assert received[0][1] == body  # the retry sends the same body


def test_figures_thumbnails_and_chunks_through_the_stack(stack: Stack, tmp_path: Path) -> None:
    from tests.support.factories import make_chart_png, make_figure_pdf

    headers, other = stack.user(), stack.user()
    subject = stack.subject(headers)
    pdf = make_figure_pdf(tmp_path / "fig.pdf", make_chart_png(tmp_path / "c.png")).read_bytes()
    r = stack.upload(headers, subject["id"], "harvest.pdf", pdf)
    assert stack.wait_job(headers, r.json()["job"]["id"])["status"] == "done"
    lecture_id = r.json()["lecture"]["id"]
    lecture = stack.client.get(f"/api/v1/lectures/{lecture_id}", headers=headers).json()
    assert lecture["figure_count"] == 1
    [figure] = stack.client.get(f"/api/v1/lectures/{lecture_id}/figures", headers=headers).json()
    assert figure["caption"] == "Figure 1: Crop yield per quarter" and figure["page_number"] == 1
    image = stack.client.get(f"/api/v1/figures/{figure['id']}/image", headers=headers)
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    assert stack.client.get(f"/api/v1/figures/{figure['id']}/image", headers=other).status_code == 404
    [page] = stack.client.get(f"/api/v1/lectures/{lecture_id}/pages", headers=headers).json()
    assert page["has_thumbnail"] and page["title"] == "Harvest results"
    thumb = stack.client.get(f"/api/v1/lectures/{lecture_id}/pages/1/thumbnail", headers=headers)
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"
    with stack.session_factory() as db:
        chunks = db.scalars(select(Chunk).where(Chunk.lecture_id == lecture_id).order_by(Chunk.ordinal)).all()
        assert {c.source for c in chunks} == {"text_layer", "figure"}
        assert all(c.title == "Harvest results" and c.figure_ids == [figure["id"]] for c in chunks)
        assert any("Crop yield per quarter" in c.text for c in chunks if c.source == "figure")
