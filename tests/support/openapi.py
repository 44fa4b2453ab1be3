"""The gateway's OpenAPI document as a contract for fakes: a scripted gateway's JSON answers are checked
against the response schemas the real gateway declares (the shared schemas, via create_app().openapi()).

A fake that drifts from the gateway (a field renamed, a type changed, a required field left out) fails
the test that uses it instead of testing the app against answers the gateway never gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import httpx
from jsonschema import Draft202012Validator

from shared.settings import Settings


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    pattern: re.Pattern[str]
    responses: dict[str, Any]


class ResponseDrift(AssertionError):
    """A fake answered something the gateway's schema does not allow."""


class OpenApiContract:
    def __init__(self, document: dict[str, Any]) -> None:
        self.components = document.get("components", {})
        self.operations: list[Operation] = []
        for template, item in document["paths"].items():
            regex = re.sub(r"\\\{[^}]+\\\}", r"[^/]+", re.escape(template))
            for method, op in item.items():
                self.operations.append(
                    Operation(method.upper(), template, re.compile(regex), op.get("responses", {}))
                )

    def operation(self, method: str, path: str) -> Operation | None:
        found = [op for op in self.operations if op.method == method and op.pattern.fullmatch(path)]
        # a literal segment wins over a parameter (/jobs/active before /jobs/{id})
        return min(found, key=lambda op: op.template.count("{"), default=None)

    def check(self, method: str, path: str, response: httpx.Response) -> None:
        """Raise ResponseDrift when a JSON answer to a declared operation breaks its response schema."""
        if response.status_code >= 400 or "json" not in response.headers.get("content-type", ""):
            return
        op = self.operation(method, path)
        if op is None:
            raise ResponseDrift(f"{method} {path}: the gateway has no such operation")
        declared = op.responses.get(str(response.status_code))
        if declared is None:
            raise ResponseDrift(
                f"{method} {op.template}: the gateway never answers {response.status_code} "
                f"(it declares {sorted(op.responses)})"
            )
        schema = declared.get("content", {}).get("application/json", {}).get("schema")
        if not schema:
            return
        validator = Draft202012Validator({**schema, "components": self.components})
        errors = sorted(validator.iter_errors(response.json()), key=lambda e: list(e.absolute_path))
        if errors:
            where = "/".join(str(p) for p in errors[0].absolute_path) or "(the body)"
            raise ResponseDrift(f"{method} {op.template}: {where}: {errors[0].message}")


@cache
def gateway_contract() -> OpenApiContract:
    """The real gateway's document, built without its lifespan (no database, Redis or Chroma)."""
    from gateway.app import create_app

    settings = Settings(_env_file=None, environment="test", secret_key="x" * 40)  # type: ignore[call-arg]
    return OpenApiContract(create_app(settings, start_background=False).openapi())
