"""`smartnotes backup` / `restore` against a real PostgreSQL (pg_dump / pg_restore, custom format)."""

from __future__ import annotations

import tarfile
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from shared.db import make_engine, make_session_factory, run_migrations
from shared.models import Lecture, Subject, User
from shared.settings import Settings
from smartnotes_tools.backup import BackupError, backup, database_has_rows, restore
from tests.support.services import PostgresServer

pytestmark = pytest.mark.integration


@pytest.fixture()
def pg(postgres: PostgresServer) -> PostgresServer:
    """The session's throwaway cluster (tests/integration/conftest.py); each test makes its own databases."""
    return postgres


def settings_for(pg: PostgresServer, data_dir: Path) -> Settings:
    url = pg.create_database(f"smartnotes_{uuid.uuid4().hex[:8]}").replace(
        "postgresql://", "postgresql+psycopg://"
    )
    return Settings(database_url=url, data_dir=data_dir, _env_file=None)  # type: ignore[call-arg]


def rows(settings: Settings) -> tuple[list[str], list[str]]:
    engine = make_engine(settings)
    with make_session_factory(engine)() as db:
        subjects = sorted(db.scalars(select(Subject.name)))
        lectures = sorted(db.scalars(select(Lecture.title)))
    engine.dispose()
    return subjects, lectures


def test_postgres_backup_restores_into_another_database(pg: PostgresServer, tmp_path: Path) -> None:
    source = settings_for(pg, tmp_path / "a")
    run_migrations(source)
    engine = make_engine(source)
    with make_session_factory(engine)() as db:
        user = User(email="pg@example.com", password_hash="x")
        db.add(user)
        db.flush()
        subject = Subject(user_id=user.id, name="Databases")
        db.add(subject)
        db.flush()
        db.add(
            Lecture(
                user_id=user.id,
                subject_id=subject.id,
                title="Normal forms",
                filename="nf.pdf",
                file_type="pdf",
                media_type="application/pdf",
                size_bytes=3,
                sha256="0" * 64,
                storage_path="uploads/1/1/original.pdf",
            )
        )
        db.commit()
    engine.dispose()
    (source.data_dir / "uploads/1/1").mkdir(parents=True)
    (source.data_dir / "uploads/1/1/original.pdf").write_bytes(b"pdf")

    archive = tmp_path / "pg.tar.gz"
    result = backup(source, archive)
    assert result.database == "postgresql"
    with tarfile.open(archive) as tar:
        dump = tar.extractfile("database.pgdump")
        assert dump is not None and dump.read(5) == b"PGDMP"  # pg_dump's custom format

    target = settings_for(pg, tmp_path / "b")
    run_migrations(target)  # the stack's migrate job ran first: empty tables are not "content"
    assert not database_has_rows(target)
    restore(target, archive)
    assert rows(target) == (["Databases"], ["Normal forms"])
    assert (target.data_dir / "uploads/1/1/original.pdf").read_bytes() == b"pdf"
    run_migrations(target)  # the restored schema is at head already

    engine = make_engine(target)
    with make_session_factory(engine)() as db:
        db.add(Subject(user_id=1, name="Later"))
        db.commit()
    engine.dispose()
    with pytest.raises(BackupError, match="not empty"):
        restore(target, archive)
    restore(target, archive, force=True)
    assert rows(target) == (["Databases"], ["Normal forms"])


def test_pg_dump_errors_are_reported(pg: PostgresServer, tmp_path: Path) -> None:
    missing = Settings(
        database_url=f"{pg.base_url}/no_such_database".replace("postgresql://", "postgresql+psycopg://"),
        data_dir=tmp_path,
        _env_file=None,  # type: ignore[call-arg]
    )
    with pytest.raises(BackupError, match="pg_dump failed"):
        backup(missing, tmp_path / "x.tar.gz")
    assert not (tmp_path / "x.tar.gz").exists()
