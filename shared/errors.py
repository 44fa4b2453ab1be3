"""Error codes and the one error type services raise. The gateway renders it as
``{"error": {"code", "message", "details"}, "request_id"}``; workers store code and message on the job."""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    status_code = 400

    def __init__(
        self, code: str, message: str, *, status_code: int | None = None, details: Any = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details if details is not None else {}
        if status_code is not None:
            self.status_code = status_code


def not_found(what: str, ident: int | str | None = None) -> AppError:
    """Another user's resource answers exactly like a missing one; ``ident`` (the id the caller gave) is
    named in the message ("Lecture 99 not found.") so a typo is seen at once."""
    name = what.capitalize() if ident is None else f"{what.capitalize()} {ident}"
    return AppError(f"{what.upper()}_NOT_FOUND", f"{name} not found.", status_code=404)


class TransientError(Exception):
    """A failure worth retrying (a service briefly unreachable); tasks retry it with backoff."""
