"""The LLM, kept on a short leash: it only rephrases extractive candidates.

Every call asks for one small JSON object, which is parsed and validated against a pydantic schema and a
task-specific check (grounded in the source, does not give the answer away...). A failed output is
retried once, then the caller falls back to the extractive candidate. A time budget bounds how long one
document may spend in the model; when it is spent, or the model is unreachable, everything is extractive.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, Field, ValidationError, model_validator

from shared.errors import AppError
from shared.llm import LLM, GenerationOptions, Message

log = logging.getLogger(__name__)
T = TypeVar("T", bound=BaseModel)
_OBJECT = re.compile(r"\{.*?\}", re.S)


# --- output schemas ---------------------------------------------------------------------------------
class QuestionOut(BaseModel):
    question: str = Field(min_length=8, max_length=240)

    @model_validator(mode="before")
    @classmethod
    def _single_field(cls, data: Any) -> Any:
        """Small models often name the key differently ({"problem": "Which ...?"}): one string field that
        is a question is taken as the question; anything else still fails validation."""
        if isinstance(data, dict) and "question" not in data and len(data) == 1:
            (value,) = data.values()
            if isinstance(value, str) and value.rstrip().endswith(("?", "？")):
                return {"question": value}
        return data


class DistractorsOut(BaseModel):
    distractors: list[str] = Field(min_length=1, max_length=6)


class SummaryOut(BaseModel):
    summary: str = Field(min_length=10, max_length=300)


class AnswerOut(BaseModel):
    answer: str = Field(min_length=2, max_length=1500)
    sources: list[int] = Field(min_length=1, max_length=6)


@dataclass
class PhraserStats:
    calls: int = 0
    accepted: int = 0
    rejected: int = 0  # outputs that failed parsing, the schema or the check
    fallbacks: int = 0  # requests answered by the extractive candidate after retries
    skipped: int = 0  # requests not sent: no model, the budget spent, or the model gave up
    gave_up: bool = False  # so few outputs passed that asking more was a waste of the budget
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "calls": self.calls,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "fallbacks": self.fallbacks,
            "skipped": self.skipped,
            "gave_up": self.gave_up,
            "seconds": round(self.seconds, 2),
            "errors": self.errors[:5],
        }


def parse_object(text: str, schema: type[T]) -> T:
    """The first JSON object in ``text`` that validates against ``schema`` (models wrap JSON in prose)."""
    text = text.strip()
    candidates = [text] if text.startswith("{") else []
    candidates += [m.group(0) for m in _OBJECT.finditer(text)]
    if "{" in text and not text.rstrip().endswith("}"):
        candidates.append(text[text.index("{") :] + "}")  # cut off at the token limit
    last: Exception = ValueError("no JSON object in the output")
    for raw in candidates:
        try:
            return schema.model_validate(json.loads(raw))
        except (ValueError, ValidationError) as exc:
            last = exc
    raise last


class Phraser:
    """Ask the LLM for a schema-valid object; None means: use the extractive candidate."""

    def __init__(
        self, llm: LLM | None, *, budget_seconds: float = 15.0, retries: int = 1, name: str | None = None
    ) -> None:
        self.llm = llm
        self.name = name or (llm.name if llm else "none")
        self.deadline = time.monotonic() + max(0.0, budget_seconds)
        self.retries = retries
        self.stats = PhraserStats()

    def _generate(self, messages: list[Message], *, max_tokens: int, temperature: float) -> tuple[str, bool]:
        """Stream the answer, stopping at the deadline (a loaded machine must not stretch a document)."""
        assert self.llm is not None
        parts: list[str] = []
        stream = self.llm.stream(
            messages, GenerationOptions(max_tokens=max_tokens, temperature=temperature, stop=("\n\n",))
        )
        try:
            for piece in stream:
                parts.append(piece)
                if time.monotonic() > self.deadline:
                    return "".join(parts), False
        finally:
            close = getattr(stream, "close", None)
            if close is not None:  # release the model (llama.cpp holds a lock while a stream is open)
                with suppress(Exception):
                    close()
        return "".join(parts).strip(), True

    MIN_CALLS, MIN_YIELD = 8, 0.1

    @property
    def available(self) -> bool:
        return self.llm is not None and time.monotonic() < self.deadline

    def _give_up_if_useless(self) -> None:
        """After a fair trial, a model whose outputs almost never pass only costs time: stop asking."""
        calls = self.stats.calls
        if self.llm is not None and calls >= self.MIN_CALLS and self.stats.accepted / calls < self.MIN_YIELD:
            self.stats.gave_up = True
            self.llm = None

    def ask(
        self,
        messages: list[Message],
        schema: type[T],
        check: Callable[[T], str | None] = lambda _: None,
        *,
        max_tokens: int = 80,
    ) -> T | None:
        self._give_up_if_useless()
        if not self.available:
            self.stats.skipped += 1
            return None
        assert self.llm is not None
        for attempt in range(1 + self.retries):
            if time.monotonic() >= self.deadline:
                break
            self.stats.calls += 1
            start = time.monotonic()
            try:
                raw, finished = self._generate(
                    messages, max_tokens=max_tokens, temperature=0.2 + 0.3 * attempt
                )
            except AppError as exc:  # the model is unreachable: stop asking it for this document
                log.warning("LLM unavailable, falling back to extractive text: %s", exc.message)
                self.stats.errors.append(exc.code)
                self.llm = None
                break
            except Exception as exc:
                log.warning("LLM call failed: %r", exc)
                self.stats.errors.append(type(exc).__name__)
                continue
            finally:
                self.stats.seconds += time.monotonic() - start
            if not finished:  # the budget ran out mid-answer
                self.stats.rejected += 1
                break
            try:
                out = parse_object(raw, schema)
            except (ValueError, ValidationError):
                self.stats.rejected += 1
                continue
            reason = check(out)
            if reason is None:
                self.stats.accepted += 1
                return out
            log.debug("LLM output rejected (%s): %r", reason, raw[:200])
            self.stats.rejected += 1
        self.stats.fallbacks += 1
        return None
