"""`smartnotes backup` / `smartnotes restore`: the database and the data dir in one .tar.gz.

The archive holds ``manifest.json``; the database dump, ``database.sqlite3`` (made with SQLite's online
backup API, consistent while the app runs) or ``database.pgdump`` (``pg_dump --format=custom``); and
``data/uploads``, ``data/generated`` and, when Chroma is embedded (no ``CHROMA_URL``), ``data/chroma``.
A Chroma server keeps its index in its own volume: back that up separately, or rebuild it.

Restore refuses to overwrite a database that has rows, or data folders that have files, unless
``force=True`` (``--force``). Both run locally against the configured settings, never through the gateway.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, select, text
from sqlalchemy.engine import URL, make_url

from shared.db import make_engine
from shared.models import Base
from shared.settings import Settings

FORMAT = 1
DATA_PARTS = ("uploads", "generated", "chroma")
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass
class Result:
    archive: Path
    database: str
    data_parts: list[str]
    bytes: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "archive": str(self.archive),
            "database": self.database,
            "data": self.data_parts,
            "bytes": self.bytes,
        }


# --- helpers --------------------------------------------------------------------------------------
def database_kind(settings: Settings) -> str:
    url = make_url(settings.sqlalchemy_url)
    if url.get_backend_name() == "sqlite":
        return "sqlite"
    if url.get_backend_name() == "postgresql":
        return "postgresql"
    raise BackupError(f"backups support SQLite and PostgreSQL, not {url.get_backend_name()}")


def sqlite_path(settings: Settings) -> Path:
    database = make_url(settings.sqlalchemy_url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def pg_tool(name: str) -> str:
    """pg_dump / pg_restore: $SMARTNOTES_PG_BIN, then PATH, then Debian's newest /usr/lib/postgresql/*/bin."""
    candidates = []
    if os.environ.get("SMARTNOTES_PG_BIN"):
        candidates.append(Path(os.environ["SMARTNOTES_PG_BIN"]) / name)
    found = shutil.which(name)
    if found:
        candidates.append(Path(found))
    debian = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
        reverse=True,
    )
    candidates.extend(debian)
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
    raise BackupError(f"{name} not found: install postgresql-client (the server's major version or newer)")


def pg_env(settings: Settings) -> tuple[dict[str, str], str]:
    """libpq environment for the configured database (the password never appears on a command line)."""
    url: URL = make_url(settings.sqlalchemy_url)
    env = dict(os.environ)
    if url.host:
        env["PGHOST"] = url.host
    if url.port:
        env["PGPORT"] = str(url.port)
    if url.username:
        env["PGUSER"] = url.username
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    if not url.database:
        raise BackupError("DATABASE_URL names no database")
    env["PGDATABASE"] = url.database
    return env, url.database


def _run(cmd: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        output = (done.stderr or done.stdout).strip()[-2000:]
        raise BackupError(f"{what} failed ({done.returncode}): {output}")


def database_has_rows(settings: Settings) -> bool:
    """True when any application table holds a row (an empty, migrated schema counts as empty)."""
    if database_kind(settings) == "sqlite" and not sqlite_path(settings).exists():
        return False
    engine = make_engine(settings)
    try:
        with engine.connect() as conn:
            present = set(inspect(conn).get_table_names())
            for table in Base.metadata.sorted_tables:
                if table.name not in present:
                    continue
                if conn.execute(select(text("1")).select_from(table).limit(1)).first() is not None:
                    return True
        return False
    finally:
        engine.dispose()


def alembic_revision(settings: Settings) -> str | None:
    engine = make_engine(settings)
    try:
        with engine.connect() as conn:
            if "alembic_version" not in inspect(conn).get_table_names():
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


def _dir_has_files(path: Path) -> bool:
    return path.is_dir() and any(p.is_file() for p in path.rglob("*"))


@contextmanager
def _workdir(near: Path) -> Iterator[Path]:
    near.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=".smartnotes-backup-", dir=near))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


# --- backup ---------------------------------------------------------------------------------------
def dump_database(settings: Settings, workdir: Path) -> Path:
    if database_kind(settings) == "sqlite":
        source = sqlite_path(settings)
        if not source.exists():
            raise BackupError(f"the SQLite database {source} does not exist")
        target = workdir / SQLITE_MEMBER
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # a consistent snapshot, even while other processes write
        finally:
            dst.close()
            src.close()
        return target
    env, _ = pg_env(settings)
    target = workdir / PG_MEMBER
    _run([pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}"], env, "pg_dump")
    return target


def backup(settings: Settings, output: Path) -> Result:
    """Write the database dump and the data folders into ``output`` (a .tar.gz), atomically."""
    kind = database_kind(settings)
    data_dir = settings.data_dir.resolve()
    output = output.resolve()
    parts = [p for p in DATA_PARTS if (data_dir / p).is_dir() and not (p == "chroma" and settings.chroma_url)]
    with _workdir(output.parent) as work:
        dump = dump_database(settings, work)
        manifest = {
            "format": FORMAT,
            "created": datetime.now(UTC).isoformat(),
            "database": kind,
            "alembic_revision": alembic_revision(settings),
            "data": parts,
            "chroma": "server (not included)" if settings.chroma_url else "embedded",
        }
        partial = work / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as tar:
            body = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime, info.mode = len(body), int(datetime.now(UTC).timestamp()), 0o644
            tar.addfile(info, io.BytesIO(body))
            tar.add(dump, arcname=dump.name)
            for part in parts:
                tar.add(data_dir / part, arcname=f"data/{part}")
        os.replace(partial, output)
    return Result(output, kind, parts, output.stat().st_size)


# --- restore --------------------------------------------------------------------------------------
def read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.extractfile("manifest.json")
    except KeyError as exc:
        raise BackupError("not a MySmartNotes backup: manifest.json is missing") from exc
    if member is None:
        raise BackupError("not a MySmartNotes backup: manifest.json is not a file")
    manifest = dict(json.load(member))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unsupported backup format {manifest.get('format')!r}")
    return manifest


def restore_database(settings: Settings, dump: Path) -> None:
    if database_kind(settings) == "sqlite":
        target = sqlite_path(settings)
        target.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst)  # replaces every page of the target, through SQLite's own locking
        finally:
            dst.close()
            src.close()
        return
    env, database = pg_env(settings)
    _run(
        [
            pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            f"--dbname={database}",
            str(dump),
        ],
        env,
        "pg_restore",
    )


def restore(settings: Settings, archive: Path, *, force: bool = False) -> Result:
    """Put a backup back: the database first, then the data folders. Refuses to overwrite existing
    content unless ``force``."""
    kind = database_kind(settings)
    data_dir = settings.data_dir.resolve()
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist")
    with tarfile.open(archive, "r:gz") as tar:
        manifest = read_manifest(tar)
        if manifest.get("database") != kind:
            raise BackupError(
                f"the backup holds a {manifest.get('database')} database; this installation uses {kind}"
            )
        parts = [p for p in manifest.get("data", []) if p in DATA_PARTS]
        if not force:
            if database_has_rows(settings):
                raise BackupError("the database is not empty; pass --force to replace it")
            busy = [p for p in parts if _dir_has_files(data_dir / p)]
            if busy:
                raise BackupError(f"{', '.join(busy)} in {data_dir} have files; pass --force to replace them")
        with _workdir(data_dir) as work:
            member = SQLITE_MEMBER if kind == "sqlite" else PG_MEMBER
            try:
                tar.extract(member, path=work, filter="data")
            except KeyError as exc:
                raise BackupError(f"the backup has no {member}") from exc
            prefixes = [["data", part] for part in parts]
            wanted = [m for m in tar.getmembers() if m.name.split("/", 2)[:2] in prefixes]
            tar.extractall(path=work, members=wanted, filter="data")
            restore_database(settings, work / member)
            for part in parts:
                target = data_dir / part
                if target.exists():
                    shutil.rmtree(target)
                staged = work / "data" / part
                if staged.exists():
                    os.replace(staged, target)
                else:
                    target.mkdir(parents=True)
    return Result(archive.resolve(), kind, parts, archive.stat().st_size)
