"""JSON logging (shared/logging.py): every line is one JSON object, uvicorn's own loggers included."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import sys
from collections.abc import Iterator

import pytest
from uvicorn.config import LOGGING_CONFIG

from shared.logging import UVICORN_LOGGERS, configure_logging


@pytest.fixture()
def restore_logging() -> Iterator[None]:
    """The logging set-up as it was before the test, restored after it."""
    names = ["", *UVICORN_LOGGERS, "httpx", "httpcore"]
    saved = {
        name: (list(lg.handlers), lg.propagate, lg.level, lg.disabled)
        for name in names
        for lg in [logging.getLogger(name)]
    }
    yield
    for name, (handlers, propagate, level, disabled) in saved.items():
        lg = logging.getLogger(name)
        lg.handlers[:], lg.propagate, lg.disabled = handlers, propagate, disabled
        lg.setLevel(level)


def test_uvicorn_records_come_out_as_json_lines(
    restore_logging: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    stderr = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)  # where uvicorn's handlers and ours write
    logging.config.dictConfig(LOGGING_CONFIG)  # what `uvicorn` does before it builds the app
    configure_logging(level="INFO", json_logs=True, service="gateway")

    logging.getLogger("uvicorn.error").info("Started server process [%d]", 42)
    logging.getLogger("uvicorn.access").warning('%s - "%s %s HTTP/%s" %d', "1.2.3.4", "GET", "/x", "1.1", 500)
    logging.getLogger("gateway.app").info("a request")

    lines = stderr.getvalue().splitlines()
    records = [json.loads(line) for line in lines]  # every line parses: no plain-text line in between
    assert [(r["name"], r["message"]) for r in records] == [
        ("uvicorn.error", "Started server process [42]"),
        ("uvicorn.access", '1.2.3.4 - "GET /x HTTP/1.1" 500'),
        ("gateway.app", "a request"),
    ]
    assert all(r["service"] == "gateway" and r["level"] for r in records)


def test_plain_text_logging_leaves_uvicorns_handlers_alone(restore_logging: None) -> None:
    logging.config.dictConfig(LOGGING_CONFIG)
    own = list(logging.getLogger("uvicorn").handlers)
    configure_logging(level="INFO", json_logs=False)
    assert own and logging.getLogger("uvicorn").handlers == own
