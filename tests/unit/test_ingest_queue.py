"""Fair ingestion (shared/ingest_queue.py): a user's uploads beyond the cap wait in the database and are
released oldest first, once each, when one of that user's jobs ends or when maintenance finds them."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from celery import Celery
from redis import Redis
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from shared import ingest_queue
from shared.celery_app import QUEUE_OCR, TASK_INGEST_LECTURE
from shared.db import make_engine, make_session_factory, run_migrations
from shared.ingest_queue import WAITING, active_count, release, release_after, release_stranded
from shared.jobs import create_job, transition
from shared.models import Job, JobStatus, User, utcnow
from shared.settings import Settings


class RecordingCelery(Celery):
    """A Celery app that records what would be sent (and can refuse, as an unreachable broker does)."""

    def __init__(self) -> None:
        super().__init__("ingest-queue-test", broker="memory://")
        self.sent: list[tuple[str, list[Any], str | None, str | None]] = []
        self.refuse: set[str] = set()
        self.lock = threading.Lock()

    def send_task(self, name: str, args: Any = None, **options: Any) -> Any:  # type: ignore[override]
        if args and args[0] in self.refuse:
            raise ConnectionError("broker unreachable")
        with self.lock:
            self.sent.append((name, list(args or []), options.get("queue"), options.get("task_id")))
        return None

    def job_ids(self) -> list[str]:
        return [args[0] for _name, args, _queue, _task in self.sent]


class RecordingRedis(Redis):
    """Records the progress events published to users' channels (never connects)."""

    def __init__(self) -> None:
        super().__init__()
        self.published: list[tuple[str, dict[str, Any]]] = []

    def publish(self, channel: Any, message: Any) -> int:  # type: ignore[override]
        self.published.append((str(channel), json.loads(message)))
        return 1


@pytest.fixture()
def factory(tmp_path: Path) -> sessionmaker[Session]:
    settings = Settings(data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]
    run_migrations(settings)
    return make_session_factory(make_engine(settings))


def make_user(factory: sessionmaker[Session], email: str) -> int:
    with factory() as db:
        user = User(email=email, password_hash="x")
        db.add(user)
        db.commit()
        return user.id


def upload(factory: sessionmaker[Session], user_id: int, n: int, *, start: int = 0) -> list[str]:
    """``n`` new ingest jobs, waiting, created one second apart (oldest first in the returned list)."""
    base = utcnow()
    ids = []
    with factory() as db:
        for i in range(n):
            job = ingest_queue.hold(create_job(db=db, user_id=user_id, kind="ingest", queue=QUEUE_OCR))
            job.created_at = base + timedelta(seconds=start + i)
            ids.append(job.id)
        db.commit()
    return ids


def finish(factory: sessionmaker[Session], job_id: str, status: JobStatus = JobStatus.DONE) -> None:
    with factory() as db:
        assert transition(db, job_id, status=status, stage=status.value) is not None
        db.commit()


def stages(factory: sessionmaker[Session], ids: list[str]) -> list[str]:
    with factory() as db:
        jobs = {j.id: j for j in db.scalars(select(Job).where(Job.id.in_(ids)))}
        return [jobs[i].stage for i in ids]


def run_release(factory: sessionmaker[Session], celery: Celery, user_id: int, limit: int = 2) -> list[str]:
    with factory() as db:
        return release(db, celery, None, user_id=user_id, limit=limit).sent


def test_a_burst_waits_beyond_the_cap_and_is_released_oldest_first(factory: sessionmaker[Session]) -> None:
    celery = RecordingCelery()
    alice, bob = make_user(factory, "a@example.com"), make_user(factory, "b@example.com")
    burst = upload(factory, alice, 5)
    assert run_release(factory, celery, alice) == burst[:2]
    assert stages(factory, burst) == ["queued", "queued", WAITING, WAITING, WAITING]
    # Sent as the gateway sends an upload's task, with the task id the job row now names.
    with factory() as db:
        first = db.get(Job, burst[0])
        assert first is not None and first.status == JobStatus.QUEUED
        assert celery.sent[0] == (TASK_INGEST_LECTURE, [burst[0]], QUEUE_OCR, first.celery_task_id)
    # Nothing frees a slot, nothing more is sent; another user's upload is not behind Alice's.
    assert run_release(factory, celery, alice) == []
    (bobs,) = upload(factory, bob, 1, start=10)
    assert run_release(factory, celery, bob) == [bobs]
    # One of Alice's jobs ends (done, failed or cancelled alike): her oldest waiting one takes the slot.
    finish(factory, burst[1], JobStatus.FAILED)
    assert run_release(factory, celery, alice) == [burst[2]]
    finish(factory, burst[0], JobStatus.CANCELLED)
    finish(factory, burst[2])
    assert run_release(factory, celery, alice) == burst[3:5]
    assert celery.job_ids() == [*burst[:2], bobs, *burst[2:5]]
    with factory() as db:
        assert active_count(db, alice) == 2


def test_a_running_job_holds_a_slot_until_it_ends_and_no_cap_sends_everything(
    factory: sessionmaker[Session],
) -> None:
    celery = RecordingCelery()
    alice = make_user(factory, "a@example.com")
    jobs = upload(factory, alice, 3)
    assert run_release(factory, celery, alice, limit=1) == jobs[:1]
    with factory() as db:  # the worker starts it, then hands it to the ai queue: still one slot
        transition(db, jobs[0], status=JobStatus.RUNNING, stage="indexing", queue="ai")
        db.commit()
    assert run_release(factory, celery, alice, limit=1) == []
    assert run_release(factory, celery, alice, limit=0) == jobs[1:]  # 0: no cap


def test_a_cancelled_waiting_job_is_never_sent(factory: sessionmaker[Session]) -> None:
    celery = RecordingCelery()
    alice = make_user(factory, "a@example.com")
    jobs = upload(factory, alice, 3)
    finish(factory, jobs[0], JobStatus.CANCELLED)
    assert run_release(factory, celery, alice) == jobs[1:]
    assert stages(factory, jobs) == ["cancelled", "queued", "queued"]


def test_a_job_the_broker_refused_goes_back_in_line_and_keeps_its_place(
    factory: sessionmaker[Session],
) -> None:
    celery = RecordingCelery()
    alice = make_user(factory, "a@example.com")
    jobs = upload(factory, alice, 3)
    celery.refuse = {jobs[0]}
    with factory() as db:
        released = release(db, celery, None, user_id=alice, limit=2)
    assert released.sent == [jobs[1]] and released.failed == [jobs[0]]
    with factory() as db:
        refused = db.get(Job, jobs[0])
        assert refused is not None and refused.stage == WAITING and refused.celery_task_id is None
    celery.refuse = set()
    assert run_release(factory, celery, alice) == [jobs[0]]  # the oldest again, not jobs[2]


def test_two_releases_at_once_never_exceed_the_cap_nor_send_a_job_twice(
    factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Release A has counted the free slots but not claimed yet when release B runs: B must wait for A
    (the user's row lock), or both would see two free slots and four jobs would be sent."""
    celery = RecordingCelery()
    alice = make_user(factory, "a@example.com")
    jobs = upload(factory, alice, 6)
    counted, go = threading.Event(), threading.Event()
    real_count = ingest_queue.active_count

    def slow_count(db: Session, user_id: int) -> int:
        n = real_count(db, user_id)
        if threading.current_thread().name == "release-a":
            counted.set()
            go.wait(5)
        return n

    monkeypatch.setattr(ingest_queue, "active_count", slow_count)
    results: dict[str, list[str]] = {}

    def run(name: str) -> None:
        results[name] = run_release(factory, celery, alice)

    a = threading.Thread(target=run, args=("a",), name="release-a")
    b = threading.Thread(target=run, args=("b",), name="release-b")
    a.start()
    assert counted.wait(5)
    b.start()
    b.join(1.0)  # with the lock, B is still waiting for A here
    go.set()
    a.join(10)
    b.join(10)
    assert not a.is_alive() and not b.is_alive()
    sent = results["a"] + results["b"]
    assert sorted(sent) == sorted(jobs[:2]), results
    assert len(celery.sent) == 2
    with factory() as db:
        assert active_count(db, alice) == 2


def test_release_after_a_job_ends_sends_the_owners_next_upload(factory: sessionmaker[Session]) -> None:
    celery = RecordingCelery()
    alice = make_user(factory, "a@example.com")
    jobs = upload(factory, alice, 3)
    assert run_release(factory, celery, alice) == jobs[:2]
    # A task that left its job running (the ocr task after the hand-off) frees nothing.
    assert release_after(factory, celery, None, job_id=jobs[0], limit=2).sent == []
    finish(factory, jobs[0])
    assert release_after(factory, celery, None, job_id=jobs[0], limit=2).sent == [jobs[2]]
    # Other kinds of jobs never release uploads.
    with factory() as db:
        other = create_job(db=db, user_id=alice, kind="quiz", queue="generation")
        db.commit()
    finish(factory, other.id)
    finish(factory, jobs[1])
    assert release_after(factory, celery, None, job_id=other.id, limit=2).sent == []


def test_maintenance_releases_uploads_stranded_by_a_missed_release(factory: sessionmaker[Session]) -> None:
    """Jobs ended but nobody released (a worker died right after): the maintenance pass sends what fits,
    per user, oldest first; a user whose slots are full keeps waiting."""
    celery = RecordingCelery()
    alice, bob, carol = (make_user(factory, f"{n}@example.com") for n in ("a", "b", "c"))
    a_jobs = upload(factory, alice, 4)
    b_jobs = upload(factory, bob, 1, start=10)
    c_jobs = upload(factory, carol, 3, start=20)
    assert run_release(factory, celery, alice) == a_jobs[:2]
    assert run_release(factory, celery, carol) == c_jobs[:2]
    finish(factory, a_jobs[0])
    finish(factory, a_jobs[1])  # ... and no release followed; Bob's upload was never released either
    with factory() as db:
        assert release_stranded(db, celery, None, limit=2) == 3
    last = celery.job_ids()[4:]
    assert sorted(last) == sorted([*a_jobs[2:4], *b_jobs])
    assert last.index(a_jobs[2]) < last.index(a_jobs[3])
    assert stages(factory, c_jobs) == ["queued", "queued", WAITING]  # Carol's two are still in Celery
    with factory() as db:
        assert release_stranded(db, celery, None, limit=2) == 0  # nothing released twice


def test_a_released_job_tells_its_owner_it_is_queued_now(factory: sessionmaker[Session]) -> None:
    celery, redis = RecordingCelery(), RecordingRedis()
    alice = make_user(factory, "a@example.com")
    jobs = upload(factory, alice, 3)
    with factory() as db:
        assert release(db, celery, redis, user_id=alice, limit=1).sent == jobs[:1]
    [(channel, event)] = redis.published
    assert str(alice) in channel
    assert event["job_id"] == jobs[0] and event["status"] == "queued" and event["stage"] == "queued"


def test_a_job_cancelled_while_being_released_is_not_sent(
    factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The student cancels a waiting upload just as a release picks it: the claim is conditional, so the
    cancelled job is neither sent nor marked queued, and the next one is sent in its place next time."""
    celery = RecordingCelery()
    alice = make_user(factory, "a@example.com")
    jobs = upload(factory, alice, 3)
    real_waiting = ingest_queue.waiting_ids

    def waiting_then_cancelled(db: Session, user_id: int, limit: int | None = None) -> list[str]:
        ids = real_waiting(db, user_id, limit)
        # The gateway's cancel lands now (its conditional transition does not take the user's lock).
        transition(db, jobs[0], status=JobStatus.CANCELLED, stage="cancelled")
        return ids

    monkeypatch.setattr(ingest_queue, "waiting_ids", waiting_then_cancelled)
    assert run_release(factory, celery, alice) == [jobs[1]]
    monkeypatch.setattr(ingest_queue, "waiting_ids", real_waiting)
    assert stages(factory, jobs) == ["cancelled", "queued", WAITING]
    assert run_release(factory, celery, alice) == [jobs[2]]
    assert jobs[0] not in celery.job_ids()


@pytest.mark.filterwarnings("ignore:task_always_eager has no effect on send_task")
def test_the_maintenance_task_releases_stranded_uploads(tmp_path: Path) -> None:
    """The beat's maintenance.cleanup (workers/runtime/maintenance.py) runs the release pass: with a real
    broker, a user's stranded uploads are sent to the ocr queue."""
    from shared.celery_app import make_celery
    from tests.support.services import RedisServer
    from workers.runtime.context import build_context
    from workers.runtime.maintenance import register_maintenance_task

    server = RedisServer(tmp_path / "redis")
    settings = Settings(data_dir=tmp_path / "data", redis_url=server.url, _env_file=None)  # type: ignore[call-arg]
    run_migrations(settings)
    factory = make_session_factory(make_engine(settings))
    app = make_celery(settings)
    app.conf.task_always_eager = True
    ctx = build_context(settings, app)  # what the worker's runtime hands the task
    try:
        alice = make_user(factory, "a@example.com")
        jobs = upload(factory, alice, 3)
        result = register_maintenance_task(app, lambda: ctx).apply().get()
        assert result["ingest_released"] == 2
        assert stages(factory, jobs) == ["queued", "queued", WAITING]
        queued = [
            json.loads(m)["headers"]["argsrepr"] for m in Redis.from_url(server.url).lrange("ocr", 0, -1)
        ]
        assert sorted(queued) == sorted(repr([j]) for j in jobs[:2])
    finally:
        server.stop()
