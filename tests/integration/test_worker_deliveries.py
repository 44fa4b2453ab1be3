"""A task that kills its worker is not redelivered forever: a real Celery worker (the product's app and
task wrapper, acks_late + reject_on_worker_lost) and a real Redis. Past Settings.task_max_deliveries the
job and its lecture fail with WORKER_MEMORY (SIGKILL: the OOM killer's signal) or WORKER_LOST; a task
that allocates past the per-task memory limit fails at once with WORKER_MEMORY."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from celery import Celery
from sqlalchemy.orm import Session, sessionmaker

from shared.celery_app import make_celery
from shared.db import make_engine, make_session_factory, run_migrations
from shared.jobs import create_job
from shared.models import Job, Lecture, LectureStatus, Subject, User
from shared.settings import Settings
from tests.integration.conftest import worker_env
from tests.support.crashing_worker import TASK_ABORT, TASK_HOG, TASK_KILLED
from tests.support.services import RedisServer, wait_for
from workers.runtime.context import count_delivery, lost_error, note_worker_lost

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Env:
    settings: Settings
    session_factory: sessionmaker[Session]
    celery: Celery
    redis: redis.Redis
    log: Path


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    base = tmp_path_factory.mktemp("deliveries")
    server = RedisServer(base / "redis")
    settings = Settings(
        environment="test",
        secret_key="test-secret-key-that-is-long-enough-0123456789",
        database_url=f"sqlite:///{base / 'smartnotes.db'}",
        redis_url=server.url,
        data_dir=base / "data",
        worker_memory_mb=1024,
        task_max_deliveries=2,
        log_json=False,
        _env_file=None,  # type: ignore[call-arg]
    )
    run_migrations(settings)
    process_env = worker_env(settings)
    process_env.update(SMARTNOTES_WORKER_MEMORY_MB="1024", SMARTNOTES_TASK_MAX_DELIVERIES="2")
    log = base / "worker.log"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tests.support.crashing_worker", "worker", "-Q", "ocr",
         "-n", f"crash-{uuid.uuid4().hex[:6]}@%h", "--concurrency", "1", "--loglevel", "INFO",
         "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=process_env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    celery = make_celery(settings, name="test-sender")
    engine = make_engine(settings)
    try:
        wait_for(lambda: bool(celery.control.ping(timeout=1.0)), 60, "the crashing worker")
        yield Env(settings, make_session_factory(engine), celery, redis.Redis.from_url(server.url), log)
    finally:
        worker.terminate()
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()
        engine.dispose()
        server.stop()


def _job(env: Env) -> tuple[str, int]:
    with env.session_factory() as db:
        user = User(email=f"{uuid.uuid4().hex[:8]}@example.com", password_hash="x")
        db.add(user)
        db.flush()
        subject = Subject(user_id=user.id, name="S")
        db.add(subject)
        db.flush()
        lecture = Lecture(
            user_id=user.id, subject_id=subject.id, title="bomb", filename="bomb.tiff", file_type="image",
            media_type="image/tiff", size_bytes=1, sha256="0" * 64, storage_path="x",
            status=LectureStatus.QUEUED,
        )  # fmt: skip
        db.add(lecture)
        db.flush()
        job = create_job(db=db, user_id=user.id, kind="ingest", queue="ocr", lecture_id=lecture.id)
        db.commit()
        return job.id, lecture.id


def _wait_failed(env: Env, job_id: str, timeout: float) -> tuple[Job, Lecture]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with env.session_factory() as db:
            job = db.get(Job, job_id)
            assert job is not None
            lecture = db.get(Lecture, job.lecture_id)
            assert lecture is not None
            # fail() ends the job, then marks its lecture: wait for both
            if job.status == "done" or (job.status == "failed" and lecture.status == LectureStatus.FAILED):
                db.expunge_all()
                return job, lecture
        time.sleep(0.2)
    raise AssertionError(
        f"job {job_id} still {job.status} after {timeout} s: redelivered forever? see {env.log}"
    )


def test_a_task_killed_for_memory_fails_its_lecture_after_two_deliveries(env: Env) -> None:
    job_id, _ = _job(env)
    result = env.celery.send_task(TASK_KILLED, args=[job_id], queue="ocr")
    job, lecture = _wait_failed(env, job_id, 120)
    assert (job.status, job.error_code) == ("failed", "WORKER_MEMORY")
    assert (lecture.status, lecture.error_code) == (LectureStatus.FAILED, "WORKER_MEMORY")
    assert job.attempts == 2  # ran twice, the third delivery only failed the job
    assert "killed 2 time(s)" in (job.error_message or "")
    time.sleep(2)  # and it is not delivered again
    assert int(env.redis.get(f"smartnotes:task:{result.id}:0:deliveries") or 0) == 3


def test_a_task_that_crashes_its_worker_fails_with_worker_lost(env: Env) -> None:
    job_id, _ = _job(env)
    env.celery.send_task(TASK_ABORT, args=[job_id], queue="ocr")
    job, lecture = _wait_failed(env, job_id, 120)
    assert (job.error_code, lecture.error_code) == ("WORKER_LOST", "WORKER_LOST")
    assert "SIGABRT" in (job.error_message or "")


def test_a_task_over_its_memory_limit_fails_at_once(env: Env) -> None:
    job_id, _ = _job(env)
    env.celery.send_task(TASK_HOG, args=[job_id], queue="ocr")
    job, lecture = _wait_failed(env, job_id, 60)
    assert (job.status, job.error_code, job.attempts) == ("failed", "WORKER_MEMORY", 1)
    assert lecture.error_code == "WORKER_MEMORY"


def test_the_worker_survives_all_of_it(env: Env) -> None:
    replies = env.celery.control.ping(timeout=2.0)
    assert replies, f"the worker is gone; see {env.log}"


def test_delivery_counts_are_per_message(env: Env) -> None:
    """A retry is a new message (its own count); a redelivery of the same message counts up."""
    task_id = uuid.uuid4().hex
    assert [count_delivery(env.redis, task_id, 0) for _ in range(3)] == [1, 2, 3]
    assert count_delivery(env.redis, task_id, 1) == 1
    assert count_delivery(env.redis, None, 0) == 1
    assert 0 < env.redis.ttl(f"smartnotes:task:{task_id}:0:deliveries") <= 7 * 24 * 3600
    assert lost_error(env.redis, task_id, 3)[0] == "WORKER_LOST"
    note_worker_lost(env.redis, task_id, "Worker exited prematurely: signal 9 (SIGKILL) Job: 3.")
    assert lost_error(env.redis, task_id, 3)[0] == "WORKER_MEMORY"
