"""The ai worker's heavy services, built once per process on first use (or by the warm-up at start)."""

from __future__ import annotations

import logging
import threading
from functools import cached_property

from shared.embeddings import Embedder, make_embedder
from shared.llm import LLM, make_llm
from shared.settings import Settings
from workers.ai.retrieval import Retriever
from workers.ai.vectors import VectorStore, vector_store

log = logging.getLogger(__name__)


class AiServices:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()

    @cached_property
    def embedder(self) -> Embedder:
        with self._lock:
            return make_embedder(self.settings)

    @cached_property
    def store(self) -> VectorStore:
        return vector_store(self.settings)

    @cached_property
    def retriever(self) -> Retriever:
        return Retriever(self.embedder, self.store)

    def llm(self) -> LLM:
        return make_llm(self.settings)

    def warm_up(self) -> None:
        """Load the embedding model, the vector store and the bundled LLM before the first question."""
        try:
            self.embedder.embed(["warm up"])
            self.store.ping()
            if self.settings.llm_provider == "llamacpp":
                self.llm()
            log.info("ai services warm")
        except Exception as exc:  # a failing provider reports on the first real request instead
            log.warning("warm-up incomplete: %r", exc)


_services: AiServices | None = None
_services_lock = threading.Lock()


def services(settings: Settings) -> AiServices:
    global _services
    with _services_lock:
        if _services is None:
            _services = AiServices(settings)
        return _services
