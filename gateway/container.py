"""Everything the gateway's routes need, built once per app from settings (no import-time side effects)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, NoReturn

import redis
import redis.asyncio as aioredis
from celery import Celery
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from shared.celery_app import make_celery
from shared.db import make_engine, make_session_factory
from shared.errors import AppError
from shared.files import FileStore, LocalFileStore
from shared.settings import Settings


@dataclass
class Container:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    redis: redis.Redis
    aredis: aioredis.Redis
    celery: Celery
    files: FileStore
    limiter: FixedWindowRateLimiter
    extras: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def build(cls, settings: Settings) -> Container:
        engine = make_engine(settings)
        return cls(
            settings=settings,
            engine=engine,
            session_factory=make_session_factory(engine),
            redis=redis.Redis.from_url(settings.redis_url, socket_timeout=5, socket_connect_timeout=3),
            aredis=aioredis.Redis.from_url(settings.redis_url, socket_connect_timeout=3),
            celery=make_celery(settings, name="smartnotes-gateway"),
            files=LocalFileStore(settings.data_dir),
            limiter=FixedWindowRateLimiter(storage_from_string(settings.redis_url)),
        )

    def rate_limit(self, rule: str, *identifiers: str) -> None:
        """Count one hit; raise RATE_LIMITED when the window is used up."""
        item = parse(rule)
        if not self.limiter.hit(item, *identifiers):
            self._limited(rule, item, identifiers)

    def _limited(self, rule: str, item: Any, identifiers: tuple[str, ...]) -> NoReturn:
        reset, _remaining = self.limiter.get_window_stats(item, *identifiers)
        retry = max(1, int(reset - time.time()))
        raise AppError(
            "RATE_LIMITED",
            f"Too many requests; try again in {retry} s.",
            status_code=429,
            details={"retry_after": retry, "limit": rule},
        )

    def rate_limit_peek(self, rule: str, *identifiers: str) -> None:
        """Raise RATE_LIMITED when the window is used up, without counting a hit."""
        item = parse(rule)
        if not self.limiter.test(item, *identifiers):
            self._limited(rule, item, identifiers)

    def rate_limit_hit(self, rule: str, *identifiers: str) -> None:
        """Count one hit and nothing more (the next peek tells whether the window is used up)."""
        self.limiter.hit(parse(rule), *identifiers)

    def close(self) -> None:
        self.redis.close()
        self.engine.dispose()
