"""The LLM adapters (shared/llm.py) report the tokens they read and wrote to the worker metrics: the real
bundled llama.cpp model, and Ollama / OpenAI-compatible servers answered over a fake HTTP transport."""

from __future__ import annotations

import json
from collections.abc import Callable, Generator, Iterator
from typing import Any

import httpx
import pytest

from shared.llm import GenerationOptions, LlamaCppLLM, OllamaLLM, OpenAICompatibleLLM, bundled_model_path
from workers.runtime import metrics

MESSAGES = [
    {"role": "system", "content": "You answer in one short sentence."},
    {"role": "user", "content": "Which organelle makes ATP?"},
]


def tokens(kind: str) -> float:
    return metrics.REGISTRY.get_sample_value("smartnotes_worker_llm_tokens_total", {"kind": kind}) or 0.0


class Counted:
    """The counter's increase over a block: ``with Counted() as c: ...; c.completion, c.prompt``."""

    def __enter__(self) -> Counted:
        self._before = {kind: tokens(kind) for kind in ("completion", "prompt")}
        return self

    def __exit__(self, *_: object) -> None:
        self.completion = tokens("completion") - self._before["completion"]
        self.prompt = tokens("prompt") - self._before["prompt"]


@pytest.fixture(scope="module")
def llamacpp() -> Iterator[LlamaCppLLM]:
    yield LlamaCppLLM(bundled_model_path(), threads=1, on_tokens=metrics.count_tokens)


def test_llamacpp_counts_what_the_model_read_and_wrote(llamacpp: LlamaCppLLM) -> None:
    # llama.cpp's own accounting of the same (greedy, so repeatable) generation, without streaming.
    llamacpp._llm.reset()
    reference = llamacpp._llm.create_chat_completion(
        messages=MESSAGES,  # type: ignore[arg-type]
        max_tokens=12,
        temperature=0.0,
    )
    usage = reference["usage"]  # type: ignore[index]
    assert usage["completion_tokens"] > 0 and usage["prompt_tokens"] > 0

    # Both generations start from an empty KV cache: reusing the cached prompt evaluates it in another
    # batch split, and greedy decoding may then pick another token on a float tie.
    llamacpp._llm.reset()
    with Counted() as counted:
        text = "".join(llamacpp.stream(MESSAGES, GenerationOptions(max_tokens=12, temperature=0.0)))

    assert text == reference["choices"][0]["message"]["content"]  # type: ignore[index]
    assert counted.completion == usage["completion_tokens"]
    assert counted.prompt == usage["prompt_tokens"]


def test_llamacpp_counts_a_stream_the_caller_stopped_reading(llamacpp: LlamaCppLLM) -> None:
    with Counted() as counted:
        stream = llamacpp.stream(MESSAGES, GenerationOptions(max_tokens=12, temperature=0.0))
        first = next(stream)
        assert isinstance(stream, Generator)
        stream.close()  # what a caller that has read enough does (or the garbage collector, for it)
    assert first and counted.completion == llamacpp.count_completion_tokens(first) >= 1
    assert counted.prompt == llamacpp.count_prompt_tokens(MESSAGES) > 0


def ollama_lines(parts: list[str], final: dict[str, Any] | None) -> bytes:
    head = {"model": "llama3", "created_at": "2026-01-01T00:00:00Z"}
    lines = [{**head, "message": {"role": "assistant", "content": p}, "done": False} for p in parts]
    if final is not None:
        lines.append({**head, "message": {"role": "assistant", "content": ""}, "done": True, **final})
    return b"".join(json.dumps(line).encode() + b"\n" for line in lines)


def ollama(body: bytes, seen: list[dict[str, Any]]) -> OllamaLLM:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        assert request.url.path == "/api/chat"
        return httpx.Response(200, content=body, headers={"content-type": "application/x-ndjson"})

    return OllamaLLM(
        "http://ollama.test:11434",
        "llama3",
        transport=httpx.MockTransport(handler),
        on_tokens=metrics.count_tokens,
    )


def test_ollama_reports_the_counts_of_its_final_chunk() -> None:
    seen: list[dict[str, Any]] = []
    final = {"done_reason": "stop", "prompt_eval_count": 31, "eval_count": 7}
    llm = ollama(ollama_lines(["Mito", "chondria", " make ATP."], final), seen)
    with Counted() as counted:
        assert llm.complete(MESSAGES) == "Mitochondria make ATP."
    assert seen and seen[0]["stream"] is True
    assert (counted.completion, counted.prompt) == (7, 31)


def test_ollama_without_counts_counts_the_streamed_chunks() -> None:
    llm = ollama(ollama_lines(["Mito", "chondria", " make", " ATP."], final=None), [])  # stream cut short
    with Counted() as counted:
        assert llm.complete(MESSAGES) == "Mitochondria make ATP."
    assert (counted.completion, counted.prompt) == (4, 0)


def sse(events: list[dict[str, Any]]) -> bytes:
    return b"".join(f"data: {json.dumps(e)}\n\n".encode() for e in events) + b"data: [DONE]\n\n"


def delta(text: str) -> dict[str, Any]:
    return {"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": text}}]}


def openai(handler: Callable[[dict[str, Any]], httpx.Response]) -> OpenAICompatibleLLM:
    def transport(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/v1/chat/completions"
        return handler(json.loads(request.content))

    return OpenAICompatibleLLM(
        "http://vllm.test/v1", "m", transport=httpx.MockTransport(transport), on_tokens=metrics.count_tokens
    )


def test_openai_compatible_asks_for_usage_and_reports_it() -> None:
    bodies: list[dict[str, Any]] = []

    def handler(body: dict[str, Any]) -> httpx.Response:
        bodies.append(body)
        usage = {"prompt_tokens": 40, "completion_tokens": 5, "total_tokens": 45}
        events = [delta("Mitochondria"), delta(" make ATP."), {"choices": [], "usage": usage}]
        return httpx.Response(200, content=sse(events), headers={"content-type": "text/event-stream"})

    with Counted() as counted:
        assert openai(handler).complete(MESSAGES) == "Mitochondria make ATP."
    assert [b["stream_options"] for b in bodies] == [{"include_usage": True}]
    assert (counted.completion, counted.prompt) == (5, 40)


def test_openai_compatible_server_refusing_the_option_is_asked_again_and_its_chunks_counted() -> None:
    bodies: list[dict[str, Any]] = []

    def handler(body: dict[str, Any]) -> httpx.Response:
        bodies.append(body)
        if "stream_options" in body:
            return httpx.Response(400, json={"error": {"message": "unknown field stream_options"}})
        events = [delta("Mito"), delta("chondria"), delta(" make ATP.")]
        return httpx.Response(200, content=sse(events), headers={"content-type": "text/event-stream"})

    with Counted() as counted:
        assert openai(handler).complete(MESSAGES) == "Mitochondria make ATP."
    assert ["stream_options" in b for b in bodies] == [True, False]
    assert (counted.completion, counted.prompt) == (3, 0)
