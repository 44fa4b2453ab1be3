"""The ai worker's heavy services, built once per process on first use (or by the warm-up at start); the
worker's composition root (workers/ai/bootstrap.py) builds one of these."""

from __future__ import annotations

import logging
import threading
from functools import cached_property

from shared.embeddings import Embedder, make_embedder
from shared.llm import LLM, make_llm
from shared.settings import Settings
from workers.ai.refusal import VocabularyCache
from workers.ai.retrieval import Retriever
from workers.ai.vectors import VectorStore, vector_store
from workers.runtime.metrics import count_tokens

log = logging.getLogger(__name__)


class AiServices:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._llm_lock = threading.Lock()
        self._llm: LLM | None = None

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

    @cached_property
    def vocabularies(self) -> VocabularyCache:
        """Each subject's words, for the refusal's missing-word check (rebuilt when the subject changes)."""
        return VocabularyCache()

    def llm(self) -> LLM:
        """The LLM, loaded on first use and kept; a provider that failed is tried again next time."""
        with self._llm_lock:
            if self._llm is None:
                self._llm = make_llm(self.settings, on_tokens=count_tokens)
            return self._llm

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
