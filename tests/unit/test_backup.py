"""`smartnotes backup` / `restore` (smartnotes_tools/backup.py) on SQLite; the PostgreSQL case is in
tests/integration/test_backup_postgres.py."""

from __future__ import annotations

import json
import sqlite3
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from shared.db import make_engine, make_session_factory, run_migrations
from shared.models import Subject, User
from shared.settings import Settings
from smartnotes_tools import cli
from smartnotes_tools.backup import BackupError, backup, database_has_rows, restore


def make_settings(root: Path) -> Settings:
    return Settings(data_dir=root / "data", _env_file=None)  # type: ignore[call-arg]


def populate(settings: Settings) -> None:
    run_migrations(settings)
    engine = make_engine(settings)
    with make_session_factory(engine)() as db:
        user = User(email="a@example.com", password_hash="x")
        db.add(user)
        db.flush()
        db.add_all([Subject(user_id=user.id, name="Biology"), Subject(user_id=user.id, name="Physics")])
        db.commit()
    engine.dispose()
    data = settings.data_dir
    (data / "uploads/1/1").mkdir(parents=True)
    (data / "uploads/1/1/original.pdf").write_bytes(b"%PDF-1.4 slides")
    (data / "generated/1").mkdir(parents=True)
    (data / "generated/1/cheatsheet.pdf").write_bytes(b"%PDF-1.4 sheet")
    (data / "chroma").mkdir()
    (data / "chroma/index.bin").write_bytes(b"\x00" * 64)
    (data / "tmp").mkdir()
    (data / "tmp/spool.upload").write_bytes(b"not kept")


def subjects(settings: Settings) -> list[str]:
    engine = make_engine(settings)
    with make_session_factory(engine)() as db:
        names = sorted(db.scalars(select(Subject.name)))
    engine.dispose()
    return names


def test_backup_then_restore_into_an_empty_installation(tmp_path: Path) -> None:
    source = make_settings(tmp_path / "a")
    populate(source)
    archive = tmp_path / "backup.tar.gz"
    result = backup(source, archive)
    assert result.database == "sqlite" and set(result.data_parts) == {"uploads", "generated", "chroma"}
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert {"manifest.json", "database.sqlite3", "data/uploads/1/1/original.pdf"} <= names
    assert "data/chroma/index.bin" in names and not any(n.startswith("data/tmp") for n in names)
    assert manifest["database"] == "sqlite" and manifest["alembic_revision"]

    target = make_settings(tmp_path / "b")
    restored = restore(target, archive)
    assert restored.database == "sqlite"
    assert subjects(target) == ["Biology", "Physics"]
    assert (target.data_dir / "uploads/1/1/original.pdf").read_bytes() == b"%PDF-1.4 slides"
    assert (target.data_dir / "generated/1/cheatsheet.pdf").read_bytes() == b"%PDF-1.4 sheet"
    assert (target.data_dir / "chroma/index.bin").stat().st_size == 64
    assert not list(target.data_dir.glob(".smartnotes-backup-*")), "the staging folder is left behind"
    with sqlite3.connect(source.data_dir / "smartnotes.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_restore_refuses_to_overwrite_unless_forced(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "a")
    populate(settings)
    archive = tmp_path / "backup.tar.gz"
    backup(settings, archive)
    # Work goes on after the backup: a new subject and a new upload.
    engine = make_engine(settings)
    with make_session_factory(engine)() as db:
        db.add(Subject(user_id=1, name="Chemistry"))
        db.commit()
    engine.dispose()
    (settings.data_dir / "uploads/1/2").mkdir()
    (settings.data_dir / "uploads/1/2/original.pdf").write_bytes(b"new")

    with pytest.raises(BackupError, match="database is not empty"):
        restore(settings, archive)
    assert subjects(settings) == ["Biology", "Chemistry", "Physics"]  # untouched

    restore(settings, archive, force=True)
    assert subjects(settings) == ["Biology", "Physics"]
    assert not (settings.data_dir / "uploads/1/2").exists()
    assert (settings.data_dir / "uploads/1/1/original.pdf").exists()


def test_restore_refuses_files_in_the_way_and_foreign_archives(tmp_path: Path) -> None:
    source = make_settings(tmp_path / "a")
    populate(source)
    archive = tmp_path / "backup.tar.gz"
    backup(source, archive)
    target = make_settings(tmp_path / "b")
    run_migrations(target)  # an empty, migrated database counts as empty
    assert not database_has_rows(target)
    (target.data_dir / "uploads").mkdir(parents=True)
    (target.data_dir / "uploads/stray.pdf").write_bytes(b"x")
    with pytest.raises(BackupError, match="uploads"):
        restore(target, archive)
    postgres = Settings(
        data_dir=tmp_path / "c", database_url="postgresql+psycopg://u:p@127.0.0.1:1/db", _env_file=None
    )  # type: ignore[call-arg]
    with pytest.raises(BackupError, match="holds a sqlite database"):
        restore(postgres, archive)
    bogus = tmp_path / "bogus.tar.gz"
    with tarfile.open(bogus, "w:gz") as tar:
        tar.add(archive, arcname="something-else")
    with pytest.raises(BackupError, match=r"manifest\.json"):
        restore(target, bogus)
    with pytest.raises(BackupError, match="does not exist"):
        restore(target, tmp_path / "missing.tar.gz")


def test_cli_backup_and_restore_run_locally(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = make_settings(tmp_path / "a")
    populate(source)
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.delenv("SMARTNOTES_DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("CHROMA_URL", raising=False)
    monkeypatch.delenv("SMARTNOTES_CHROMA_URL", raising=False)
    monkeypatch.setenv("SMARTNOTES_DATA_DIR", str(source.data_dir))
    monkeypatch.setenv("SMARTNOTES_API", "http://127.0.0.1:9")  # never contacted
    archive = tmp_path / "cli.tar.gz"
    assert cli.main(["backup", "-o", str(archive), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["database"] == "sqlite" and Path(out["archive"]) == archive and out["bytes"] > 0

    with pytest.raises(SystemExit) as refused:
        cli.main(["restore", str(archive)])
    assert refused.value.code == 1
    assert "RESTORE_REFUSED" in capsys.readouterr().err

    target = tmp_path / "b" / "data"
    monkeypatch.setenv("SMARTNOTES_DATA_DIR", str(target))
    assert cli.main(["restore", str(archive), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["database"] == "sqlite"
    engine = make_engine(make_settings(tmp_path / "b"))
    with make_session_factory(engine)() as db:
        assert db.scalar(select(func.count(Subject.id))) == 2
    engine.dispose()
    assert cli.main(["restore", str(archive), "--force"]) == 0
    assert "Restored sqlite database" in capsys.readouterr().out
