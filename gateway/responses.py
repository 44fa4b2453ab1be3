"""The one error shape: ``{"error": {"code", "message", "details"}, "request_id"}``."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from shared.logging import REQUEST_ID_HEADER, request_id_var

HTTP_CODES = {
    400: "BAD_REQUEST",
    401: "NOT_AUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "FILE_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    429: "RATE_LIMITED",
}


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {
        "error": {"code": code, "message": message, "details": details if details is not None else {}},
        "request_id": request_id_var.get(),
    }


def error_response(status: int, code: str, message: str, details: Any = None) -> JSONResponse:
    headers = {REQUEST_ID_HEADER: request_id_var.get() or ""}
    if status == 429 and isinstance(details, dict) and "retry_after" in details:
        headers["Retry-After"] = str(details["retry_after"])
    return JSONResponse(error_body(code, message, details), status_code=status, headers=headers)
