"""Fair ingestion with the real stack: one user's burst of uploads does not hold up another user's.

The ocr worker takes tasks in the order they were queued (one at a time, as in production). Without the
per-user cap, user B's one upload would start only after all six of user A's; with it, at most
``max_active_ingest_per_user`` (2) of A's uploads are in the queue at any time, the rest wait in the
database and are released oldest first as A's jobs end, so B's upload starts before A's later ones.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from shared.models import Job
from tests.integration.conftest import Stack
from tests.support.factories import make_pdf

BURST = 6


def _jobs(stack: Stack, ids: list[str]) -> list[Job]:
    with stack.session_factory() as db:
        rows = {j.id: j for j in db.scalars(select(Job).where(Job.id.in_(ids)))}
        return [rows[i] for i in ids]


def _started(job: Job) -> datetime:
    assert job.started_at is not None, (job.id, job.status, job.stage)
    return job.started_at


def test_one_users_burst_does_not_starve_another_users_upload(stack: Stack, tmp_path: Path) -> None:
    cap = stack.settings.max_active_ingest_per_user
    assert cap == 2
    alice, bob = stack.user(), stack.user()
    a_subject, b_subject = stack.subject(alice), stack.subject(bob)

    a_ids = []
    for n in range(BURST):
        deck = make_pdf(tmp_path / f"a{n}.pdf", [f"Alice topic {n}\nA line about topic {n}"], figure=False)
        r = stack.upload(alice, a_subject["id"], f"a{n}.pdf", deck.read_bytes())
        assert r.status_code == 202, r.text
        # accepted; a one-page deck may already be read by the time the response is written (a race)
        assert r.json()["job"]["status"] in ("queued", "running", "done"), r.json()["job"]
        a_ids.append(r.json()["job"]["id"])
    deck = make_pdf(tmp_path / "b.pdf", ["Bob's topic\nA line for Bob"], figure=False)
    r = stack.upload(bob, b_subject["id"], "b.pdf", deck.read_bytes())
    assert r.status_code == 202, r.text
    b_id = r.json()["job"]["id"]

    # Bob's upload went to the queue at once; Alice's last one, unless her first four one-page decks were
    # already read while the uploads were sent (a race on a busy machine: the timestamps below are the
    # property), is still waiting its turn, and says so.
    assert r.json()["job"]["stage"] != "waiting", r.json()["job"]  # queued, or already being read
    last = stack.client.get(f"/api/v1/jobs/{a_ids[-1]}", headers=alice).json()
    if last["status"] == "queued":
        assert last["stage"] == "waiting", last
    else:
        finished = [j for j in _jobs(stack, a_ids[:-1]) if j.finished_at is not None]
        assert len(finished) >= BURST - cap, (last, len(finished))

    for job_id in a_ids:
        assert stack.wait_job(alice, job_id, timeout=180)["status"] == "done"
    assert stack.wait_job(bob, b_id, timeout=60)["status"] == "done"

    a_jobs, (b_job,) = _jobs(stack, a_ids), _jobs(stack, [b_id])
    # B started before A's later uploads, which were held back (without the cap it starts after all six).
    later = a_jobs[cap + 1 :]
    assert all(_started(b_job) < _started(a) for a in later), (
        _started(b_job),
        [_started(a) for a in a_jobs],
    )
    # A's uploads were read oldest first ...
    assert [_started(a) for a in a_jobs] == sorted(_started(a) for a in a_jobs)
    # ... and never more than `cap` of them at once: each one released started after an earlier one ended.
    for n, job in enumerate(a_jobs[cap:], start=cap):
        ended_before = [a for a in a_jobs[:n] if a.finished_at is not None and a.finished_at <= _started(job)]
        assert len(ended_before) >= n - cap + 1, (n, [(a.started_at, a.finished_at) for a in a_jobs])


def test_cancelling_an_upload_lets_the_next_waiting_one_start_at_once(stack: Stack, tmp_path: Path) -> None:
    headers = stack.user()
    subject = stack.subject(headers)
    # Two long decks fill the user's two slots; the third upload waits for one of them.
    big = make_pdf(tmp_path / "big.pdf", [f"Slide {i}\nline {i}" for i in range(400)], figure=False)
    long_ids = []
    for n in range(2):
        r = stack.upload(headers, subject["id"], f"big{n}.pdf", big.read_bytes())
        assert r.status_code == 202, r.text
        long_ids.append(r.json()["job"]["id"])
    small = make_pdf(tmp_path / "small.pdf", ["Short deck\nOne slide"], figure=False)
    r = stack.upload(headers, subject["id"], "small.pdf", small.read_bytes())
    assert r.status_code == 202, r.text
    waiting = r.json()["job"]
    assert waiting["stage"] == "waiting", waiting

    cancelled = stack.client.delete(f"/api/v1/jobs/{long_ids[0]}", headers=headers)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    # The freed slot went to the waiting upload in the same request: it is in the queue now.
    released = stack.client.get(f"/api/v1/jobs/{waiting['id']}", headers=headers).json()
    assert released["stage"] != "waiting", released
    assert stack.client.delete(f"/api/v1/jobs/{long_ids[1]}", headers=headers).status_code == 200
    assert stack.wait_job(headers, waiting["id"], timeout=120)["status"] == "done"
    for job_id in long_ids:
        assert stack.wait_job(headers, job_id)["status"] == "cancelled"
