"""Housekeeping: the ``maintenance.cleanup`` task that `celery beat` (workers/beat.py) sends periodically.

It removes what nothing refers to any more:

- ``uploads/<user>/<lecture>`` folders whose lecture row no longer exists (a delete that could not
  remove the files, a crash between the file and the row);
- ``uploads/<user>/past-papers/<file>`` exams that no unfinished past-paper job refers to (the job's
  ``params["upload_key"]``): the worker deletes the file when it is done, but not when the job failed or
  was cancelled, nor when its subject (and so the job row) was deleted; a finished job never reads it again;
- ``generated/<user>/<name>`` entries that no generated-document row refers to;
- files in ``tmp/`` older than a day (upload spools left by a killed gateway);
- share links that expired or were revoked.

The task also releases uploads still waiting for an ingest slot when their owner has a free one
(``shared.ingest_queue.release_stranded``): a release missed at a job's end strands nothing for long.

Folders and files younger than ``orphan_grace`` are left alone: the gateway writes an upload's file just
before it commits the lecture or job row, so a brand-new file can briefly have no row.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from redis import Redis
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session, sessionmaker

from shared import storage
from shared.celery_app import TASK_MAINTENANCE_CLEANUP
from shared.ingest_queue import release_stranded
from shared.models import GeneratedDocument, Job, JobStatus, Lecture, ShareLink
from shared.settings import Settings

log = logging.getLogger(__name__)

TMP_MAX_AGE = timedelta(days=1)
ORPHAN_GRACE = timedelta(hours=1)


class MaintenanceContext(Protocol):
    """What the task needs of a worker's context (workers.runtime.context.WorkerContext)."""

    settings: Settings
    session_factory: sessionmaker[Session]
    redis: Redis
    celery: Any


@dataclass
class CleanupReport:
    uploads_removed: int = 0
    past_papers_removed: int = 0
    generated_removed: int = 0
    tmp_removed: int = 0
    share_links_removed: int = 0
    bytes_freed: int = 0


def _size(path: Path) -> int:
    if path.is_file() or path.is_symlink():
        return path.lstat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def _remove(path: Path, report: CleanupReport) -> None:
    size = _size(path)
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
    report.bytes_freed += size


def _older_than(path: Path, age: timedelta, now: float) -> bool:
    try:
        return now - path.lstat().st_mtime > age.total_seconds()
    except FileNotFoundError:
        return False


def _user_dirs(root: Path) -> list[tuple[int, Path]]:
    if not root.is_dir():
        return []
    return [(int(p.name), p) for p in sorted(root.iterdir()) if p.is_dir() and p.name.isdigit()]


def _remove_if_empty(folder: Path, grace: timedelta, now: float, *, emptied: bool) -> None:
    """A user's folder with nothing left in it: removed when this pass emptied it, or when it is old."""
    if folder.is_dir() and not any(folder.iterdir()) and (emptied or _older_than(folder, grace, now)):
        folder.rmdir()


def clean_uploads(
    db: Session, data_dir: Path, report: CleanupReport, *, grace: timedelta, now: float
) -> None:
    for user_id, user_dir in _user_dirs(data_dir / storage.UPLOADS):
        lectures = {str(i) for i in db.scalars(select(Lecture.id).where(Lecture.user_id == user_id))}
        removed = report.uploads_removed + report.past_papers_removed
        for entry in sorted(user_dir.iterdir()):
            if entry.name.isdigit() and entry.name not in lectures and _older_than(entry, grace, now):
                log.info("removing orphaned upload %s", entry.relative_to(data_dir))
                _remove(entry, report)
                report.uploads_removed += 1
        clean_past_papers(db, data_dir, user_id, user_dir / storage.PAST_PAPERS, report, grace=grace, now=now)
        emptied = report.uploads_removed + report.past_papers_removed > removed
        _remove_if_empty(user_dir, grace, now, emptied=emptied)


def clean_past_papers(
    db: Session,
    data_dir: Path,
    user_id: int,
    folder: Path,
    report: CleanupReport,
    *,
    grace: timedelta,
    now: float,
) -> None:
    """A user's past-paper uploads that no queued or running past-paper job is going to read."""
    if not folder.is_dir() or folder.is_symlink():
        return
    active = db.scalars(
        select(Job.params).where(
            Job.user_id == user_id,
            Job.kind == "past_paper",
            Job.status.in_([JobStatus.QUEUED, JobStatus.RUNNING]),
        )
    )
    keep = {str(params.get("upload_key")) for params in active if isinstance(params, dict)}
    removed = report.past_papers_removed
    for entry in sorted(folder.iterdir()):
        key = entry.relative_to(data_dir).as_posix()
        if key not in keep and _older_than(entry, grace, now):
            log.info("removing past-paper upload no job needs %s", key)
            _remove(entry, report)
            report.past_papers_removed += 1
    _remove_if_empty(folder, grace, now, emptied=report.past_papers_removed > removed)


def clean_generated(
    db: Session, data_dir: Path, report: CleanupReport, *, grace: timedelta, now: float
) -> None:
    for user_id, user_dir in _user_dirs(data_dir / storage.GENERATED):
        keep: set[str] = set()
        rows = db.execute(
            select(GeneratedDocument.id, GeneratedDocument.storage_path).where(
                GeneratedDocument.user_id == user_id
            )
        )
        prefix = storage.generated_user_prefix(user_id) + "/"
        for doc_id, storage_path in rows:
            keep.add(str(doc_id))
            if storage_path and storage_path.startswith(prefix):
                keep.add(storage_path[len(prefix) :].split("/", 1)[0])
        removed = report.generated_removed
        for entry in sorted(user_dir.iterdir()):
            if entry.name not in keep and _older_than(entry, grace, now):
                log.info("removing orphaned generated file %s", entry.relative_to(data_dir))
                _remove(entry, report)
                report.generated_removed += 1
        _remove_if_empty(user_dir, grace, now, emptied=report.generated_removed > removed)


def clean_tmp(data_dir: Path, report: CleanupReport, *, max_age: timedelta, now: float) -> None:
    tmp = storage.tmp_dir(data_dir)
    if not tmp.is_dir():
        return
    for entry in sorted(tmp.iterdir()):
        if _older_than(entry, max_age, now):
            _remove(entry, report)
            report.tmp_removed += 1


def clean_share_links(db: Session, report: CleanupReport, *, now: datetime) -> None:
    result = db.execute(
        delete(ShareLink).where(
            or_(ShareLink.revoked_at.is_not(None), ShareLink.expires_at < now),
        )
    )
    report.share_links_removed = int(result.rowcount or 0)  # type: ignore[attr-defined]
    db.commit()


def cleanup(
    *,
    db: Session,
    data_dir: Path,
    now: datetime | None = None,
    orphan_grace: timedelta = ORPHAN_GRACE,
    tmp_max_age: timedelta = TMP_MAX_AGE,
) -> CleanupReport:
    """One maintenance pass over the database and the data dir; returns what it removed."""
    now = now or datetime.now(UTC)
    wall = now.timestamp()
    report = CleanupReport()
    data_dir = data_dir.resolve()
    clean_share_links(db, report, now=now)
    clean_uploads(db, data_dir, report, grace=orphan_grace, now=wall)
    clean_generated(db, data_dir, report, grace=orphan_grace, now=wall)
    clean_tmp(data_dir, report, max_age=tmp_max_age, now=wall)
    return report


def register_maintenance_task(app: Any, context: Callable[[], MaintenanceContext]) -> Any:
    """Register ``maintenance.cleanup`` on a worker's Celery app (task_routes send it to the generation
    queue, see shared/celery_app.py; every worker knows it, only the generation worker receives it).
    ``context()`` gives the worker process's context when the task runs."""

    @app.task(name=TASK_MAINTENANCE_CLEANUP, shared=False)
    def maintenance_cleanup() -> dict[str, int]:
        ctx = context()
        started = time.perf_counter()
        with ctx.session_factory() as db:
            report = cleanup(db=db, data_dir=ctx.settings.data_dir)
            # Uploads left waiting by a missed release (shared/ingest_queue.py) take their turn now.
            released = release_stranded(
                db, ctx.celery, ctx.redis, limit=ctx.settings.max_active_ingest_per_user
            )
        result: dict[str, int] = {**asdict(report), "ingest_released": released}
        log.info("maintenance done in %.2f s", time.perf_counter() - started, extra={"cleanup": result})
        return result

    return maintenance_cleanup
