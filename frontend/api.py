"""A small HTTP client for the MySmartNotes gateway (``/api/v1``).

The Streamlit app talks to the backend only through this module. Every failure becomes an
:class:`ApiError` carrying the gateway's error code and its plain-words message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

API_PREFIX = "/api/v1"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
UPLOAD_TIMEOUT = httpx.Timeout(300.0, connect=5.0)

Json = Any


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str


class ApiError(Exception):
    """An error answered by the gateway (or the gateway being unreachable, ``status == 0``)."""

    def __init__(self, code: str, message: str, status: int = 0, details: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.details = details

    def __repr__(self) -> str:
        return f"ApiError(code={self.code!r}, message={self.message!r}, status={self.status})"


def error_from_response(response: httpx.Response) -> ApiError:
    """Read ``{"error": {"code", "message", "details"}}``; fall back to the HTTP status in plain words."""
    try:
        body = response.json()
    except ValueError:
        body = None
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and error.get("message"):
        code = str(error.get("code") or f"HTTP_{response.status_code}")
        return ApiError(code, str(error["message"]), response.status_code, error.get("details"))
    reason = response.reason_phrase or "error"
    return ApiError(
        f"HTTP_{response.status_code}",
        f"The server answered {response.status_code} ({reason}).",
        response.status_code,
    )


class GatewayClient:
    """Synchronous client; keeps the token pair and refreshes it once when the access token expired."""

    def __init__(
        self,
        base_url: str,
        tokens: Tokens | None = None,
        transport: httpx.BaseTransport | None = None,
        on_tokens: Callable[[Tokens | None], None] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.tokens = tokens
        self.on_tokens = on_tokens
        self._http = httpx.Client(
            base_url=self.base_url + API_PREFIX, transport=transport, timeout=DEFAULT_TIMEOUT
        )

    def close(self) -> None:
        self._http.close()

    def _set_tokens(self, tokens: Tokens | None) -> None:
        self.tokens = tokens
        if self.on_tokens is not None:
            self.on_tokens(tokens)

    # -- transport -------------------------------------------------------------------------------------

    def _send(self, method: str, path: str, *, auth: bool, **kwargs: Any) -> httpx.Response:
        headers = {}
        if auth and self.tokens is not None:
            headers["Authorization"] = f"Bearer {self.tokens.access_token}"
        try:
            return self._http.request(method, path, headers=headers, **kwargs)
        except httpx.TimeoutException as exc:
            raise ApiError("GATEWAY_TIMEOUT", "The server took too long to answer; try again.") from exc
        except httpx.TransportError as exc:
            raise ApiError(
                "GATEWAY_UNREACHABLE",
                f"Cannot reach the MySmartNotes server at {self.base_url}. Is it running?",
            ) from exc

    def _request(self, method: str, path: str, *, auth: bool = True, **kwargs: Any) -> Json:
        response = self._send(method, path, auth=auth, **kwargs)
        if response.status_code == 401 and auth and self.tokens is not None:
            error = error_from_response(response)
            if error.code != "TOKEN_EXPIRED":
                raise error
            self.refresh()
            response = self._send(method, path, auth=auth, **kwargs)
        if response.is_error:
            raise error_from_response(response)
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    # -- auth ------------------------------------------------------------------------------------------

    def _store_pair(self, body: Json) -> Tokens:
        tokens = Tokens(access_token=body["access_token"], refresh_token=body["refresh_token"])
        self._set_tokens(tokens)
        return tokens

    def register(self, email: str, password: str, display_name: str | None = None) -> Json:
        payload = {"email": email, "password": password, "display_name": display_name or None}
        return self._request("POST", "/auth/register", json=payload, auth=False)

    def login(self, email: str, password: str) -> Tokens:
        body = self._request("POST", "/auth/login", json={"email": email, "password": password}, auth=False)
        return self._store_pair(body)

    def refresh(self) -> Tokens:
        if self.tokens is None:
            raise ApiError("NOT_AUTHENTICATED", "Please sign in.", 401)
        try:
            body = self._request(
                "POST", "/auth/refresh", json={"refresh_token": self.tokens.refresh_token}, auth=False
            )
        except ApiError as exc:
            if exc.status in (400, 401, 403):
                self._set_tokens(None)
            raise
        return self._store_pair(body)

    def logout(self) -> None:
        try:
            if self.tokens is not None:
                self._request("POST", "/auth/logout")
        finally:
            self._set_tokens(None)

    def me(self) -> Json:
        return self._request("GET", "/auth/me")

    # -- subjects --------------------------------------------------------------------------------------

    def list_subjects(self) -> list[Json]:
        return self._request("GET", "/subjects")

    def create_subject(self, name: str, ocr_languages: str | None = None) -> Json:
        payload: dict[str, Any] = {"name": name}
        if ocr_languages:
            payload["ocr_languages"] = ocr_languages
        return self._request("POST", "/subjects", json=payload)

    def update_subject(self, subject_id: int, **fields: Any) -> Json:
        return self._request("PATCH", f"/subjects/{subject_id}", json=fields)

    def delete_subject(self, subject_id: int) -> None:
        self._request("DELETE", f"/subjects/{subject_id}")

    # -- lectures --------------------------------------------------------------------------------------

    def list_lectures(self, subject_id: int) -> list[Json]:
        return self._request("GET", f"/subjects/{subject_id}/lectures")

    def upload_lecture(
        self, subject_id: int, filename: str, content: bytes, content_type: str | None = None
    ) -> Json:
        """Answers ``{"lecture": LectureRead, "job": JobRead}``."""
        file = (filename, content, content_type or "application/octet-stream")
        return self._request(
            "POST", f"/subjects/{subject_id}/lectures", files={"file": file}, timeout=UPLOAD_TIMEOUT
        )

    def get_lecture(self, lecture_id: int) -> Json:
        return self._request("GET", f"/lectures/{lecture_id}")

    def rename_lecture(self, lecture_id: int, title: str) -> Json:
        return self._request("PATCH", f"/lectures/{lecture_id}", json={"title": title})

    def delete_lecture(self, lecture_id: int) -> None:
        self._request("DELETE", f"/lectures/{lecture_id}")

    def list_pages(self, lecture_id: int) -> list[Json]:
        return self._request("GET", f"/lectures/{lecture_id}/pages")

    # -- jobs ------------------------------------------------------------------------------------------

    def list_jobs(self, active: bool = False) -> list[Json]:
        return self._request("GET", "/jobs", params={"active": "true" if active else "false"})

    def get_job(self, job_id: str) -> Json:
        return self._request("GET", f"/jobs/{job_id}")

    def cancel_job(self, job_id: str) -> Json:
        return self._request("DELETE", f"/jobs/{job_id}")
