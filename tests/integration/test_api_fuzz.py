"""Schemathesis over /openapi.json, signed in, against the real gateway (uvicorn, SQLite, real Redis):
whatever a client sends that the schema allows or not, the gateway never answers 500.

Bounded so it runs in about a minute on 2 cores: few examples per operation. Left out: logout (it would end
the fuzzing session's own token) and the routes that create what the others then wait on (subjects, uploads,
generation), so no request waits for a Celery worker: the user owns nothing, and the data a second user owns
(low ids) is another student's, so those requests end in 404s through the ownership checks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from tests.support.gateway import Gateway, running_gateway

MAX_EXAMPLES = 25
EXCLUDED = [
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/api/v1/subjects"),
    ("POST", "/api/v1/subjects/{subject_id}/lectures"),
    ("POST", "/api/v1/subjects/{subject_id}/generate"),
    ("POST", "/api/v1/subjects/{subject_id}/past-papers"),
]


@pytest.fixture(scope="module")
def fuzz_gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Gateway, str]]:
    with (
        running_gateway(
            tmp_path_factory.mktemp("fuzz"),
            rate_limit_login="100000/minute",
            rate_limit_login_failures="100000/minute",
            rate_limit_upload="100000/minute",
        ) as gw,
        gw.client() as client,
    ):
        # another student's data at the low ids the fuzzer likes
        _, other = gw.user(client)
        for name in ("A", "B", "C"):
            assert client.post("/api/v1/subjects", json={"name": name}, headers=other).status_code == 201
        _, mine = gw.user(client)
        yield gw, mine["Authorization"]


@pytest.fixture(scope="module")
def api_schema(fuzz_gateway: tuple[Gateway, str]) -> Any:
    gw, _ = fuzz_gateway
    schema = schemathesis.openapi.from_url(f"{gw.url}/openapi.json")
    for method, path in EXCLUDED:
        schema = schema.exclude(method=method, path=path)
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_input_makes_the_gateway_fail(case: Any, fuzz_gateway: tuple[Gateway, str]) -> None:
    _, token = fuzz_gateway
    response = case.call(headers={"Authorization": token}, timeout=30)
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:500]}\n"
        f"{case.as_curl_command()}"
    )


def test_the_fuzzed_schema_covers_the_api(api_schema: Any, tmp_path: Path) -> None:
    """The exclusions above stay few: most of the API is fuzzed."""
    operations = [op for op in api_schema.get_all_operations()]
    assert len(operations) >= 35
    assert httpx.URL("http://x").scheme == "http"
