"""The VectorStore port and its Chroma adapter: an embedded persistent client by default (this worker
process is its only writer), an HTTP client when CHROMA_URL is set. One collection per user and subject."""

from __future__ import annotations

import abc
import contextlib
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from shared.settings import Settings


@dataclass(frozen=True)
class VectorHit:
    chunk_id: int
    similarity: float  # cosine similarity, 1 = same direction


def collection_name(user_id: int, subject_id: int) -> str:
    return f"u{user_id}-s{subject_id}"


class VectorStore(abc.ABC):
    @abc.abstractmethod
    def upsert(
        self, collection: str, ids: list[int], vectors: list[list[float]], meta: list[dict[str, Any]]
    ) -> None: ...

    @abc.abstractmethod
    def query(
        self, collection: str, vector: list[float], k: int, lecture_ids: list[int] | None = None
    ) -> list[VectorHit]: ...

    @abc.abstractmethod
    def delete_lecture(self, collection: str, lecture_id: int) -> None: ...

    @abc.abstractmethod
    def drop(self, collection: str) -> None: ...

    @abc.abstractmethod
    def count(self, collection: str) -> int: ...

    @abc.abstractmethod
    def ping(self) -> None:
        """Reach the store (connects a client server; creates nothing)."""


class ChromaVectorStore(VectorStore):
    def __init__(self, client: Any) -> None:
        self._client = client
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> ChromaVectorStore:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if settings.chroma_url:
            url = urlparse(settings.chroma_url)
            client = chromadb.HttpClient(
                host=url.hostname or "localhost",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        else:
            path = (settings.data_dir / "chroma").resolve()
            path.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
        return cls(client)

    def _collection(self, name: str) -> Any:
        # No embedding function: we always pass our own vectors (Chroma's default would download a model).
        return self._client.get_or_create_collection(
            name=name, embedding_function=None, metadata={"hnsw:space": "cosine"}
        )

    def upsert(
        self, collection: str, ids: list[int], vectors: list[list[float]], meta: list[dict[str, Any]]
    ) -> None:
        if not ids:
            return
        with self._lock:
            col = self._collection(collection)
            for start in range(0, len(ids), 500):
                col.upsert(
                    ids=[f"c{i}" for i in ids[start : start + 500]],
                    embeddings=vectors[start : start + 500],
                    metadatas=meta[start : start + 500],
                )

    def query(
        self, collection: str, vector: list[float], k: int, lecture_ids: list[int] | None = None
    ) -> list[VectorHit]:
        with self._lock:
            col = self._collection(collection)
            total = col.count()
            if total == 0:
                return []
            where: dict[str, Any] | None = {"lecture_id": {"$in": lecture_ids}} if lecture_ids else None
            result = col.query(
                query_embeddings=[vector],
                n_results=min(k, total),
                where=where,
                include=["distances"],
            )
        ids = result["ids"][0]
        distances = (result.get("distances") or [[]])[0]
        return [VectorHit(int(i[1:]), 1.0 - float(d)) for i, d in zip(ids, distances, strict=False)]

    def delete_lecture(self, collection: str, lecture_id: int) -> None:
        with self._lock:
            self._collection(collection).delete(where={"lecture_id": lecture_id})

    def drop(self, collection: str) -> None:
        with self._lock, contextlib.suppress(Exception):  # already gone is fine
            self._client.delete_collection(collection)

    def count(self, collection: str) -> int:
        with self._lock:
            return int(self._collection(collection).count())

    def ping(self) -> None:
        with self._lock:
            self._client.heartbeat()


def vector_store(settings: Settings) -> VectorStore:
    """A new store as settings configure it: the ai worker's composition root builds one per process."""
    return ChromaVectorStore.from_settings(settings)
