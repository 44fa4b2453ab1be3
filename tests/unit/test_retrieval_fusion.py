"""Hybrid retrieval's fusion (workers/ai/retrieval.py): reciprocal-rank fusion of the vector and keyword
rankings, the query's script weighting the vector list, the content weight re-ranking keyword hits, one
chunk per slide, near-duplicates dropped, k and the lecture filter.

The ports are fakes (an Embedder, a VectorStore and a KeywordIndex subclass); the database loads are
replaced by the evidence each test names, so only the fusion is under test."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from shared.embeddings import Embedder
from workers.ai.retrieval import RRF_K, Evidence, KeywordIndex, Retriever
from workers.ai.vectors import VectorHit, VectorStore, collection_name

WORDS = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "zeta",
    "eta",
    "theta",
    "iota",
    "kappa",
    "lambda",
    "mu",
    "nu",
    "xi",
    "omicron",
    "pi",
    "rho",
    "sigma",
]


class FakeEmbedder(Embedder):
    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def embed(self, texts: list[str]) -> list[list[float]]:
        self.calls.append(texts)
        return [[1.0, 0.0] for _ in texts]


class FakeStore(VectorStore):
    def __init__(self, hits: list[tuple[int, float]]) -> None:
        self.hits = [VectorHit(chunk_id=c, similarity=s) for c, s in hits]
        self.queries: list[tuple[str, int, list[int] | None]] = []

    def upsert(
        self, collection: str, ids: list[int], vectors: list[list[float]], meta: list[dict[str, Any]]
    ) -> None:
        raise NotImplementedError

    def query(
        self, collection: str, vector: list[float], k: int, lecture_ids: list[int] | None = None
    ) -> list[VectorHit]:
        self.queries.append((collection, k, lecture_ids))
        return self.hits[:k]

    def delete_lecture(self, collection: str, lecture_id: int) -> None:
        raise NotImplementedError

    def drop(self, collection: str) -> None:
        raise NotImplementedError

    def count(self, collection: str) -> int:
        return len(self.hits)

    def ping(self) -> None:
        return None


class FixedKeywords(KeywordIndex):
    def __init__(self, hits: list[tuple[int, float]]) -> None:
        super().__init__(chunk_ids=[c for c, _ in hits], index=None)  # type: ignore[arg-type]
        self.hits = hits

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        return self.hits[:k]


@dataclass
class FakeSubject:
    id: int = 3
    user_id: int = 9
    version: int = 1


def evidence(
    cid: int, *, page: int | None = None, lecture: int = 1, title: str = "", text: str = ""
) -> Evidence:
    """A chunk with distinct words (so near-duplicate removal keeps it) and a figure (content weight 1)."""
    return Evidence(
        chunk_id=cid,
        lecture_id=lecture,
        lecture_title=f"Lecture {lecture}",
        file=f"l{lecture}.pdf",
        page=page if page is not None else cid,
        title=title or f"Slide {cid}",
        text=text or " ".join(f"{w}{cid}" for w in WORDS),
        source="text",
        figure_ids=[cid] if not title else [],
    )


@dataclass
class FakeRetriever(Retriever):
    """The real search with the database reads replaced: the chunks and the keyword ranking given."""

    chunks: dict[int, Evidence] = field(default_factory=dict)
    keywords: list[tuple[int, float]] = field(default_factory=list)
    loaded: list[tuple[list[int], list[int] | None]] = field(default_factory=list)

    def keyword_index(self, db: Any, subject: Any) -> KeywordIndex:
        return FixedKeywords(self.keywords)

    def _load(  # type: ignore[override]
        self, db: Any, subject: Any, ordered: list[int], lecture_ids: list[int] | None
    ) -> list[Evidence]:
        self.loaded.append((ordered, lecture_ids))
        return [
            self.chunks[c]
            for c in ordered
            if c in self.chunks and (not lecture_ids or self.chunks[c].lecture_id in lecture_ids)
        ]


def retriever(
    vector: list[tuple[int, float]], keywords: list[tuple[int, float]], chunks: list[Evidence]
) -> FakeRetriever:
    return FakeRetriever(
        embedder=FakeEmbedder(),
        store=FakeStore(vector),
        chunks={e.chunk_id: e for e in chunks},
        keywords=keywords,
    )


def rrf(*ranks: int) -> float:
    return sum(1 / (RRF_K + r + 1) for r in ranks)


def test_reciprocal_rank_fusion_adds_both_rankings() -> None:
    r = retriever(
        vector=[(1, 0.9), (3, 0.8)],
        keywords=[(2, 12.0), (4, 9.0), (1, 6.0)],
        chunks=[evidence(c) for c in (1, 2, 3, 4)],
    )
    found = r.search(None, subject=FakeSubject(), query="what is alpha", k=5)  # type: ignore[arg-type]
    assert [e.chunk_id for e in found] == [1, 2, 3, 4]
    scores = {e.chunk_id: e for e in found}
    assert scores[1].score == pytest.approx(rrf(0, 2) + 1e-4 * (0.9 + 6 / 30))
    assert scores[2].score == pytest.approx(rrf(0) + 1e-4 * (12 / 30))
    assert scores[3].score == pytest.approx(rrf(1) + 1e-4 * 0.8)
    assert (scores[1].similarity, scores[1].keyword) == (0.9, 6.0)
    assert (scores[2].similarity, scores[4].similarity) == (0.0, 0.0)
    assert r.store.queries == [(collection_name(9, 3), 30, None)]  # type: ignore[attr-defined]


def test_a_cjk_question_is_ranked_by_keywords_alone() -> None:
    r = retriever(vector=[(1, 0.95)], keywords=[(2, 3.0)], chunks=[evidence(1), evidence(2)])
    found = r.search(None, subject=FakeSubject(), query="细胞分裂是什么", k=5)  # type: ignore[arg-type]
    assert [e.chunk_id for e in found] == [2, 1]
    assert found[1].score == pytest.approx(1e-4 * 0.95)  # the vector rank adds nothing, only the tie-break


def test_another_script_halves_the_vector_ranking() -> None:
    r = retriever(vector=[(1, 0.9)], keywords=[(2, 5.0)], chunks=[evidence(1), evidence(2)])
    found = r.search(None, subject=FakeSubject(), query="कोशिका विभाजन क्या है", k=5)  # type: ignore[arg-type]
    assert [e.chunk_id for e in found] == [2, 1]
    assert found[1].score == pytest.approx(0.5 * rrf(0) + 1e-4 * 0.9)


def test_modes_use_one_ranking_only() -> None:
    chunks = [evidence(1), evidence(2)]
    vector_only = retriever(vector=[(1, 0.9)], keywords=[(2, 5.0)], chunks=chunks)
    found = vector_only.search(None, subject=FakeSubject(), query="alpha", mode="vector")  # type: ignore[arg-type]
    assert [e.chunk_id for e in found] == [1]
    keyword_only = retriever(vector=[(1, 0.9)], keywords=[(2, 5.0)], chunks=chunks)
    found = keyword_only.search(None, subject=FakeSubject(), query="alpha", mode="keyword")  # type: ignore[arg-type]
    assert [e.chunk_id for e in found] == [2]
    assert keyword_only.embedder.calls == [] and keyword_only.store.queries == []  # type: ignore[attr-defined]


def test_an_agenda_slide_gives_way_to_content_in_the_keyword_ranking() -> None:
    agenda = evidence(1, title="Agenda: cell division", text="Agenda: cell division")
    content = evidence(2, title="Cell division", text="Mitosis " + " ".join(WORDS))
    r = retriever(vector=[], keywords=[(1, 10.0), (2, 8.0)], chunks=[agenda, content])
    found = r.search(None, subject=FakeSubject(), query="cell division", k=5)  # type: ignore[arg-type]
    assert [e.chunk_id for e in found] == [2, 1]  # 10 * 0.5 (a divider) < 8 * 1.0


def test_one_chunk_per_slide_and_near_duplicates_dropped_then_k() -> None:
    same_slide = evidence(2, page=1)  # the figure words of slide 1: a second chunk of the same page
    copy = evidence(3)
    copy.text = evidence(1).text  # the same words on another slide (a repeated slide)
    chunks = [evidence(1), same_slide, copy, evidence(4), evidence(5), evidence(6)]
    r = retriever(vector=[(c, 0.5) for c in (1, 2, 3, 4, 5, 6)], keywords=[], chunks=chunks)
    found = r.search(None, subject=FakeSubject(), query="alpha", k=2)  # type: ignore[arg-type]
    assert [e.chunk_id for e in found] == [1, 4]
    everything = r.search(None, subject=FakeSubject(), query="alpha", k=10)  # type: ignore[arg-type]
    assert [e.chunk_id for e in everything] == [1, 4, 5, 6]


def test_the_lecture_filter_reaches_the_store_and_the_load() -> None:
    chunks = [evidence(1, lecture=1), evidence(2, lecture=2)]
    r = retriever(vector=[(1, 0.9), (2, 0.8)], keywords=[(2, 4.0)], chunks=chunks)
    found = r.search(None, subject=FakeSubject(), query="alpha", lecture_ids=[2])  # type: ignore[arg-type]
    assert [e.chunk_id for e in found] == [2]
    assert r.store.queries[0][2] == [2]  # type: ignore[attr-defined]
    assert r.loaded == [([1, 2], [2])]
