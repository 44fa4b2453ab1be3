"""maintenance.cleanup (workers/runtime/maintenance.py): what it removes, what it keeps, and the beat
schedule."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.celery_app import TASK_MAINTENANCE_CLEANUP, TASK_QUEUES, beat_schedule, make_celery
from shared.db import make_engine, make_session_factory, run_migrations
from shared.models import GeneratedDocument, Job, JobStatus, Lecture, ShareLink, Subject, User
from shared.settings import Settings
from workers.runtime.maintenance import cleanup, register_maintenance_task

DAY = 24 * 3600


def age(path: Path, seconds: float) -> Path:
    """Back-date a file or folder (and everything in it)."""
    when = time.time() - seconds
    for p in [path, *path.rglob("*")] if path.is_dir() else [path]:
        os.utime(p, (when, when))
    return path


def write(path: Path, content: bytes = b"x" * 100) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


@pytest.fixture()
def env(tmp_path: Path) -> tuple[Settings, Session]:
    settings = Settings(data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]
    run_migrations(settings)
    db = make_session_factory(make_engine(settings))()
    return settings, db


def lecture(db: Session, user: User, subject: Subject) -> Lecture:
    row = Lecture(
        user_id=user.id,
        subject_id=subject.id,
        title="L",
        filename="l.pdf",
        file_type="pdf",
        media_type="application/pdf",
        size_bytes=1,
        sha256="0" * 64,
        storage_path="",
    )
    db.add(row)
    db.flush()
    row.storage_path = f"uploads/{user.id}/{row.id}/original.pdf"
    return row


def test_cleanup_removes_orphans_expired_links_and_old_tmp_files_only(env: tuple[Settings, Session]) -> None:
    settings, db = env
    data = settings.data_dir.resolve()
    user = User(email="a@example.com", password_hash="x")
    db.add(user)
    db.flush()
    subject = Subject(user_id=user.id, name="Bio")
    db.add(subject)
    db.flush()
    kept_lecture = lecture(db, user, subject)
    doc = GeneratedDocument(
        user_id=user.id,
        subject_id=subject.id,
        kind="cheatsheet",
        title="C",
        filename="c.pdf",
        media_type="application/pdf",
        storage_path=f"generated/{user.id}/7f3a/cheatsheet.pdf",
    )
    db.add(doc)
    db.flush()
    now = datetime.now(UTC)
    links = {
        "valid": ShareLink(
            user_id=user.id, token="valid", kind="subject", expires_at=now + timedelta(days=1)
        ),
        "forever": ShareLink(user_id=user.id, token="forever", kind="subject"),
        "expired": ShareLink(user_id=user.id, token="expired", kind="subject", expires_at=now - timedelta(1)),
        "revoked": ShareLink(
            user_id=user.id, token="revoked", kind="subject", expires_at=now + timedelta(1), revoked_at=now
        ),
    }
    db.add_all(links.values())
    db.commit()

    u = user.id
    kept_upload = age(write(data / f"uploads/{u}/{kept_lecture.id}/original.pdf").parent, DAY)
    orphan_upload = age(write(data / f"uploads/{u}/999/original.pdf", b"y" * 5000).parent, DAY)
    fresh_orphan = write(data / f"uploads/{u}/998/original.pdf").parent  # being uploaded right now
    gone_user = age(write(data / "uploads/4242/1/original.pdf").parent.parent, DAY)
    kept_generated = age(write(data / f"generated/{u}/7f3a/cheatsheet.pdf").parent, DAY)
    kept_by_id = age(write(data / f"generated/{u}/{doc.id}/quiz.pdf").parent, DAY)
    orphan_generated = age(write(data / f"generated/{u}/old-quiz.pdf"), DAY)
    old_tmp = age(write(data / "tmp/abc.upload"), 2 * DAY)
    new_tmp = write(data / "tmp/def.upload")

    report = cleanup(db=db, data_dir=settings.data_dir)

    assert report.uploads_removed == 2  # the orphan, and the deleted user's lecture
    assert not orphan_upload.exists() and not gone_user.exists()
    assert kept_upload.is_dir() and fresh_orphan.is_dir()
    assert report.generated_removed == 1 and not orphan_generated.exists()
    assert kept_generated.is_dir() and kept_by_id.is_dir()
    assert report.tmp_removed == 1 and not old_tmp.exists() and new_tmp.exists()
    assert report.bytes_freed >= 5000 + 100 + 100 + 100
    assert report.share_links_removed == 2
    assert set(db.scalars(select(ShareLink.token))) == {"valid", "forever"}

    again = cleanup(db=db, data_dir=settings.data_dir)  # idempotent
    assert (again.uploads_removed, again.generated_removed, again.tmp_removed, again.share_links_removed) == (
        0,
        0,
        0,
        0,
    )
    # Once the grace period is over, the brand-new orphan goes too.
    later = cleanup(db=db, data_dir=settings.data_dir, orphan_grace=timedelta(0))
    assert later.uploads_removed == 1 and not fresh_orphan.exists()
    db.close()


def past_paper_job(
    user_id: int, status: JobStatus, params: dict[str, str], subject_id: int | None = None
) -> Job:
    return Job(
        user_id=user_id,
        subject_id=subject_id,
        kind="past_paper",
        queue="generation",
        status=status,
        params=params,
    )


def test_past_paper_uploads_go_once_no_unfinished_job_needs_them(env: tuple[Settings, Session]) -> None:
    settings, db = env
    data = settings.data_dir.resolve()
    user = User(email="p@example.com", password_hash="x")
    db.add(user)
    db.flush()
    subject = Subject(user_id=user.id, name="Chem")
    db.add(subject)
    db.flush()
    u = user.id

    def paper(name: str, status: JobStatus | None, *, seconds_old: float = DAY) -> Path:
        """A stored exam (back-dated), and the past-paper job that uploaded it (None: no job row)."""
        key = f"uploads/{u}/past-papers/{name}"
        if status is not None:
            params = {"kind": "past_paper", "upload_key": key, "filename": "exam.pdf", "file_type": "pdf"}
            db.add(past_paper_job(u, status, params, subject_id=subject.id))
        path = write(data / key)
        return age(path, seconds_old) if seconds_old else path

    queued = paper("a1.pdf", JobStatus.QUEUED)
    running = paper("b2.png", JobStatus.RUNNING)
    failed = paper("c3.pdf", JobStatus.FAILED)
    cancelled = paper("d4.pdf", JobStatus.CANCELLED)
    done = paper("e5.pdf", JobStatus.DONE)  # the worker deletes it when done; a crash may leave it
    no_row = paper("f6.pdf", None)  # its subject (and so its job) was deleted
    fresh = paper("g7.pdf", None, seconds_old=0)  # stored a moment ago, its job row not yet committed
    other_user = paper("h8.pdf", JobStatus.FAILED)
    # Another user's job naming this user's file does not keep it.
    someone = User(email="q@example.com", password_hash="x")
    db.add(someone)
    db.flush()
    db.add(past_paper_job(someone.id, JobStatus.QUEUED, {"upload_key": f"uploads/{u}/past-papers/h8.pdf"}))
    gone_user = age(write(data / "uploads/4242/past-papers/x.pdf").parent.parent, DAY)
    lecture_upload = age(write(data / f"uploads/{u}/{lecture(db, user, subject).id}/original.pdf"), DAY)
    db.commit()

    report = cleanup(db=db, data_dir=settings.data_dir)

    assert report.past_papers_removed == 6
    for path in (failed, cancelled, done, no_row, other_user):
        assert not path.exists(), path.name
    assert not gone_user.exists()  # its past-papers folder emptied, then the user's folder
    assert queued.is_file() and running.is_file() and fresh.is_file() and lecture_upload.is_file()
    assert report.uploads_removed == 0 and report.bytes_freed == 6 * 100

    assert cleanup(db=db, data_dir=settings.data_dir).past_papers_removed == 0  # idempotent
    later = cleanup(db=db, data_dir=settings.data_dir, orphan_grace=timedelta(0))
    assert later.past_papers_removed == 1 and not fresh.exists()
    assert queued.is_file() and running.is_file()
    # The jobs end: nothing will read their exams again.
    for job in db.scalars(select(Job).where(Job.user_id == u)):
        job.status = JobStatus.FAILED
    db.commit()
    last = cleanup(db=db, data_dir=settings.data_dir)
    assert last.past_papers_removed == 2 and not (data / f"uploads/{u}/past-papers").exists()
    assert lecture_upload.is_file()
    db.close()


def test_cleanup_leaves_unknown_names_and_copes_with_missing_folders(env: tuple[Settings, Session]) -> None:
    settings, db = env
    data = settings.data_dir.resolve()
    readme = age(write(data / "uploads/README.txt"), DAY)
    strange = age(write(data / "uploads/1/not-a-lecture/file"), DAY)
    report = cleanup(db=db, data_dir=settings.data_dir)
    assert report.uploads_removed == 0 and readme.exists() and strange.exists()
    empty = cleanup(db=db, data_dir=settings.data_dir / "nothing-here")
    assert empty.bytes_freed == 0
    db.close()


def test_beat_schedules_the_cleanup_on_the_generation_queue() -> None:
    settings = Settings(maintenance_interval_seconds=900, fsrs_optimize_interval_seconds=0, _env_file=None)  # type: ignore[call-arg]
    schedule = beat_schedule(settings)
    (entry,) = schedule.values()
    assert entry["task"] == TASK_MAINTENANCE_CLEANUP and entry["schedule"] == 900.0
    assert TASK_QUEUES[TASK_MAINTENANCE_CLEANUP] == "generation"
    assert make_celery(settings).conf.beat_schedule == schedule
    off = Settings(maintenance_interval_seconds=0, fsrs_optimize_interval_seconds=0, _env_file=None)  # type: ignore[call-arg]
    assert beat_schedule(off) == {}


def test_the_registered_task_runs_the_cleanup(env: tuple[Settings, Session]) -> None:
    settings, db = env
    from workers.runtime.context import build_context

    app = make_celery(settings)
    app.conf.task_always_eager = True
    ctx = build_context(settings, app)  # what the worker's runtime hands the task
    try:
        task = register_maintenance_task(app, lambda: ctx)
        old = age(write(settings.data_dir / "tmp/stale.upload"), 3 * DAY)
        result = task.apply().get()
        assert result["tmp_removed"] == 1 and not old.exists()
    finally:
        db.close()
