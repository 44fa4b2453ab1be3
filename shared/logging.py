"""JSON logs carrying the request id (gateway) or job id (workers).

With JSON logs on, every line is JSON: uvicorn's own loggers (configured with plain-text handlers before
the app is built) lose their handlers and hand their records to the root logger's JSON handler."""

from __future__ import annotations

import contextvars
import logging
import re
import sys
import uuid

from pythonjsonlogger.json import JsonFormatter

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
job_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("job_id", default=None)

UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")
REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def request_id(incoming: str) -> str:
    """The caller's (nginx's) X-Request-ID when it is a plausible id, else a new one."""
    return incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id_var.get()
        if getattr(record, "job_id", None) is None:
            record.job_id = job_id_var.get()
        return True


def configure_logging(*, level: str = "INFO", json_logs: bool = True, service: str = "smartnotes") -> None:
    handler = logging.StreamHandler(sys.stderr)
    if json_logs:
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(job_id)s",
                rename_fields={"levelname": "level", "asctime": "time"},
                static_fields={"service": service},
            )
        )
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    if json_logs:
        for name in UVICORN_LOGGERS:
            own = logging.getLogger(name)
            own.handlers[:] = []
            own.propagate = True
    for noisy in ("httpx", "httpcore", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
