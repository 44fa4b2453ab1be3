"""The probe's hostile uploads against the real gateway (real Redis, SQLite): each answers 422 with its
own code, fast, and leaves nothing behind (no lecture row, no file, no queued task); a multi-page TIFF
is accepted with every page counted."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from gateway.app import create_app
from shared.db import make_engine, make_session_factory, run_migrations
from shared.models import Lecture, LectureStatus
from shared.settings import Settings
from tests.support.bombs import (
    grey_frame,
    png_header_only,
    pptx_shell,
    stored,
    tiff_pages,
    write_zip,
    zeros_entries,
)
from tests.support.services import RedisServer

MB = 1024 * 1024


@dataclass
class Gateway:
    client: TestClient
    settings: Settings
    headers: dict[str, str]
    subject_id: int
    redis: Any

    def upload(self, name: str, data: bytes, path: str = "lectures") -> Any:
        return self.client.post(
            f"/api/v1/subjects/{self.subject_id}/{path}", headers=self.headers, files={"file": (name, data)}
        )

    def lectures(self) -> int:
        engine = make_engine(self.settings)
        try:
            with make_session_factory(engine)() as db:
                return int(db.scalar(select(func.count(Lecture.id))) or 0)
        finally:
            engine.dispose()

    def stored_files(self) -> list[Path]:
        return [p for p in self.settings.data_dir.rglob("*") if p.is_file() and "uploads" in p.parts]

    def queued(self) -> int:
        return int(self.redis.llen("ocr") or 0) + int(self.redis.llen("generation") or 0)


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    base = tmp_path_factory.mktemp("limits")
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    server = RedisServer(base / "redis")
    settings = Settings(
        environment="test",
        secret_key="test-secret-key-that-is-long-enough-0123456789",
        database_url=f"sqlite:///{base / 'smartnotes.db'}",
        redis_url=server.url,
        data_dir=base / "data",
        max_upload_mb=50,
        max_pages=500,
        rate_limit_upload="1000/minute",
        rate_limit_login="1000/minute",
        log_json=False,
        _env_file=None,  # type: ignore[call-arg]
    )
    run_migrations(settings)
    try:
        with TestClient(create_app(settings, start_background=False)) as client:
            email = f"u{uuid.uuid4().hex[:8]}@example.com"
            client.post("/api/v1/auth/register", json={"email": email, "password": "correct horse battery"})
            tokens = client.post(
                "/api/v1/auth/login", json={"email": email, "password": "correct horse battery"}
            ).json()
            headers = {"Authorization": f"Bearer {tokens['access_token']}"}
            subject = client.post("/api/v1/subjects", json={"name": "Limits"}, headers=headers).json()
            import redis

            yield Gateway(client, settings, headers, subject["id"], redis.Redis.from_url(server.url))
    finally:
        server.stop()
        root.handlers[:], root.level = handlers, level


def _refused(gw: Gateway, name: str, data: bytes, code: str, path: str = "lectures") -> dict[str, Any]:
    before = (gw.lectures(), len(gw.stored_files()), gw.queued())
    started = time.perf_counter()
    r = gw.upload(name, data, path)
    elapsed = time.perf_counter() - started
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["error"]["code"] == code, body
    assert body["error"]["message"]
    assert (gw.lectures(), len(gw.stored_files()), gw.queued()) == before, "something was left behind"
    assert not list((gw.settings.data_dir / "tmp").glob("*.upload"))
    body["elapsed"] = elapsed
    return dict(body)


def test_a_30000_square_png_is_422_image_too_large(gateway: Gateway) -> None:
    body = _refused(gateway, "slide.png", png_header_only(30_000, 30_000), "IMAGE_TOO_LARGE")
    assert body["error"]["details"]["limit_pixels"] == 80_000_000


def test_the_same_bomb_as_a_past_paper_is_refused_too(gateway: Gateway) -> None:
    ok = gateway.upload("notes.tiff", tiff_pages([grey_frame(60, 40, 255)]))
    assert ok.status_code == 202, ok.text
    engine = make_engine(gateway.settings)
    try:
        with make_session_factory(engine)() as db:  # as if the worker had read it: past papers need one
            lecture = db.get(Lecture, ok.json()["lecture"]["id"])
            assert lecture is not None
            lecture.status = LectureStatus.DONE
            db.commit()
    finally:
        engine.dispose()
    _refused(gateway, "exam.png", png_header_only(30_000, 30_000), "IMAGE_TOO_LARGE", "past-papers")


def test_a_tiff_hiding_a_huge_page_is_refused(gateway: Gateway) -> None:
    data = tiff_pages([grey_frame(100, 100, 255), (9_500, 9_500, None)])
    _refused(gateway, "scan.tiff", data, "IMAGE_TOO_LARGE")


def test_a_multi_page_tiff_counts_every_page(gateway: Gateway) -> None:
    data = tiff_pages([grey_frame(60, 40, v) for v in (0, 100, 200, 255)])
    r = gateway.upload("scan.tiff", data)
    assert r.status_code == 202, r.text
    assert r.json()["lecture"]["page_count"] == 4


def test_a_tiff_with_more_pages_than_allowed_is_refused(gateway: Gateway) -> None:
    data = tiff_pages([(10, 10, None)] * (gateway.settings.max_pages + 1))
    body = _refused(gateway, "many.tiff", data, "TOO_MANY_PAGES")
    assert body["error"]["details"]["limit"] == gateway.settings.max_pages


def test_twenty_entries_of_49_mb_zeros_are_refused(gateway: Gateway, tmp_path: Path) -> None:
    deck = write_zip(tmp_path / "z.pptx", pptx_shell() + zeros_entries("ppt/media/z", 20, 49 * MB))
    _refused(gateway, "deck.pptx", deck.read_bytes(), "ARCHIVE_BOMB")


def test_200k_entries_are_refused_in_well_under_a_second(gateway: Gateway, tmp_path: Path) -> None:
    deck = write_zip(
        tmp_path / "e.pptx", pptx_shell() + [stored(f"ppt/junk/{i}.xml") for i in range(200_000)]
    )
    data = deck.read_bytes()
    assert len(data) < gateway.settings.max_upload_bytes
    body = _refused(gateway, "deck.pptx", data, "ARCHIVE_TOO_LARGE")
    assert body["error"]["details"] == {"entries": 200_003, "limit": 5000}
    # the request includes uploading 21 MB through the test client; the check itself is microseconds
    assert body["elapsed"] < 3.0, body["elapsed"]
