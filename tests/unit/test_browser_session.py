"""The sign-in cookie's pure parts: where the browser may be sent back, and which cookie the app reads."""

from __future__ import annotations

import pytest

from frontend import browser_session as app_side
from gateway.services.browser_session import COOKIE_NAME, safe_next


@pytest.mark.parametrize(
    ("target", "host", "expected"),
    [
        ("/?page=chat&conversation=4", "127.0.0.1", "/?page=chat&conversation=4"),
        ("http://127.0.0.1:8501/?page=study", "127.0.0.1", "http://127.0.0.1:8501/?page=study"),
        ("https://notes.school.example/x", "notes.school.example", "https://notes.school.example/x"),
        ("https://evil.example/", "127.0.0.1", "/"),
        ("//evil.example/", "127.0.0.1", "/"),
        ("/\\evil.example", "127.0.0.1", "/"),
        ("javascript:alert(1)", "127.0.0.1", "/"),
        ("", "127.0.0.1", "/"),
        (None, "127.0.0.1", "/"),
    ],
)
def test_safe_next_never_leaves_the_site(target: str | None, host: str, expected: str) -> None:
    assert safe_next(target, host) == expected


def test_app_reads_the_cookie_the_gateway_sets() -> None:
    assert app_side.COOKIE_NAME == COOKIE_NAME


@pytest.mark.parametrize(
    ("api_url", "override", "expected"),
    [
        ("http://127.0.0.1:8000", None, "http://127.0.0.1:8000"),  # make run: the browser reaches it too
        ("http://localhost:8000/", None, "http://localhost:8000"),
        ("http://gateway:8000", None, ""),  # compose: same origin, through nginx
        ("http://gateway:8000", "https://notes.example", "https://notes.example"),
    ],
)
def test_browser_reaches_the_gateway(api_url: str, override: str | None, expected: str) -> None:
    assert app_side.browser_api_url(api_url, override) == expected


def test_handoff_and_signout_links_carry_the_way_back() -> None:
    url = app_side.cookie_url("", "abc", "http://127.0.0.1:8501/?page=chat&conversation=7")
    assert url.startswith("/api/v1/auth/browser/cookie?code=abc&next=")
    assert "page%3Dchat%26conversation%3D7" in url
    assert app_side.signout_url("http://127.0.0.1:8000", "/") == (
        "http://127.0.0.1:8000/api/v1/auth/browser/signout?next=%2F"
    )
