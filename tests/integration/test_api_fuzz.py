"""Schemathesis over /openapi.json, signed in, against the real gateway (uvicorn, SQLite, real Redis):
whatever a client sends that the schema allows or not, the gateway never answers 500.

Bounded so it runs in about a minute on 2 cores: few examples per operation. Left out: logout (it would end
the fuzzing session's own token) and the routes that create what the others then wait on (subjects, uploads,
generation), so no request waits for a Celery worker: the user owns nothing, and the data a second user owns
(low ids) is another student's, so those requests end in 404s through the ownership checks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.support.gateway import Gateway, running_gateway

MAX_EXAMPLES = 15
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
    return schemathesis.openapi.from_url(f"{gw.url}/openapi.json")


def operations(schema: Any) -> list[Any]:
    ops = [result.ok() for result in schema.get_all_operations()]
    return [op for op in ops if (op.method.upper(), op.path) not in EXCLUDED]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_input_makes_the_gateway_fail(
    api_schema: Any, fuzz_gateway: tuple[Gateway, str], mode: GenerationMode
) -> None:
    """Every operation, valid (positive) and invalid (negative) inputs: never a 5xx."""
    gw, token = fuzz_gateway
    failures: dict[str, str] = {}
    calls = 0
    for operation in operations(api_schema):

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.generate],
        )
        def run(case: Any) -> None:
            nonlocal calls
            calls += 1
            headers = {**(case.headers or {}), "Authorization": token}
            response = case.call(base_url=gw.url, headers=headers, timeout=30)
            if response.status_code >= 500:
                failures.setdefault(
                    f"{case.method} {operation.path} -> {response.status_code}",
                    f"{response.text[:300]}\n{case.as_curl_command()}",
                )

        try:
            run()
        except Unsatisfiable:  # negative mode, an operation without parameters: nothing invalid to send
            continue
    assert calls > 200
    assert not failures, "\n\n".join(f"{k}\n{v}" for k, v in failures.items())


def test_the_fuzzed_schema_covers_the_api(api_schema: Any) -> None:
    """The exclusions above stay few: most of the API is fuzzed."""
    assert len(operations(api_schema)) >= 35
