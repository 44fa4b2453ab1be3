"""The contract fakes are held to (tests/support/openapi.py): answers checked against the gateway's
OpenAPI document, so a fake that drifts from the real gateway fails."""

from __future__ import annotations

import httpx
import pytest

from tests.support.openapi import ResponseDrift, gateway_contract

NOW = "2026-11-30T02:00:00Z"
SUBJECT = {
    "id": 1,
    "name": "Biology",
    "ocr_languages": "auto",
    "version": 1,
    "created_at": NOW,
    "updated_at": NOW,
    "lecture_count": 0,
}


def test_an_answer_the_gateway_could_give_passes() -> None:
    contract = gateway_contract()
    contract.check("GET", "/api/v1/subjects", httpx.Response(200, json=[SUBJECT]))
    contract.check("POST", "/api/v1/subjects", httpx.Response(201, json=SUBJECT))
    contract.check("DELETE", "/api/v1/subjects/1", httpx.Response(204))
    contract.check("GET", "/api/v1/subjects/1", httpx.Response(404, json={"error": {"code": "X"}}))


@pytest.mark.parametrize(
    ("method", "path", "response", "says"),
    [
        ("GET", "/api/v1/subjects", httpx.Response(200, json=[{**SUBJECT, "id": "one"}]), "0/id"),
        ("GET", "/api/v1/subjects/1", httpx.Response(200, json={"id": 1}), "required"),
        ("POST", "/api/v1/subjects", httpx.Response(200, json=SUBJECT), "never answers 200"),
        ("GET", "/api/v1/no-such-thing", httpx.Response(200, json={}), "no such operation"),
    ],
)
def test_a_drifted_answer_fails(method: str, path: str, response: httpx.Response, says: str) -> None:
    with pytest.raises(ResponseDrift, match=says):
        gateway_contract().check(method, path, response)
