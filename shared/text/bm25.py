"""BM25 keyword search (bm25s) over token lists made with shared.text.tokens."""

from __future__ import annotations

from typing import Any

EMPTY = "∅"  # stands in for a document with no tokens (bm25s needs at least one)


class BM25Index:
    """Lucene's BM25 (bm25s, sparse matrices). Scores are the classic Okapi form, tf·(k1+1)/(tf+norm)·idf,
    so a score threshold means what it did with the older hand-written index."""

    def __init__(self, documents: list[list[str]], *, k1: float = 1.5, b: float = 0.75) -> None:
        self.size = len(documents)
        self.k1 = k1
        self._retriever: Any = None
        if documents:
            import bm25s

            self._retriever = bm25s.BM25(k1=k1, b=b, method="lucene")
            self._retriever.index([doc or [EMPTY] for doc in documents], show_progress=False)

    def search(self, query: list[str], k: int) -> list[tuple[int, float]]:
        """The ``k`` best documents as (position, score), best first; only documents sharing a token."""
        vocabulary = self._retriever.vocab_dict if self._retriever is not None else {}
        known = [t for t in dict.fromkeys(query) if t in vocabulary]
        if not known or k <= 0:
            return []
        docs, scores = self._retriever.retrieve([known], k=min(k, self.size), show_progress=False)
        scale = self.k1 + 1
        hits = [(int(d), float(s) * scale) for d, s in zip(docs[0], scores[0], strict=False) if s > 0]
        hits.sort(key=lambda h: (-h[1], h[0]))  # ties in document order
        return hits
