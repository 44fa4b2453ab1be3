"""Helpers of benchmarks/qa.py: the frozen QA set, one subject per deck, scoring rules.

Decks are read and cleaned by benchmarks/retrieval.py's functions (the worker's own reader, the same page
cache in /tmp); here each deck becomes its own subject (as a student would upload one course per subject),
stored by the worker's store_pages and embedded as indexing does.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# benchmarks/retrieval.py (qa.py puts benchmarks/ on the path)
from retrieval import embed_chunks, store_decks


@dataclass
class Item:
    id: str
    deck: str
    split: str
    question: str
    answerable: bool
    gold_pages: list[int]
    key_phrases: list[list[str]]
    type: str
    follows: str | None
    language: str


@dataclass
class Outcome:
    """What the product did with one item."""

    item: Item
    query: str = ""
    hits: list[dict[str, Any]] = field(default_factory=list)  # the retriever's top 5 (page, similarity..)
    rank: int | None = None  # 1-based rank of the first gold page among the hits
    answered: bool = False  # answered from the notes (False: the product said the notes do not cover it)
    answer: str = ""
    cited: list[int] = field(default_factory=list)
    evidence_s: float | None = None
    first_token_s: float | None = None
    total_s: float = 0.0

    @property
    def cites_gold(self) -> bool:
        return self.answered and any(p in self.item.gold_pages for p in self.cited)

    @property
    def only_gold(self) -> bool:
        return self.cites_gold and all(p in self.item.gold_pages for p in self.cited)

    @property
    def key_ok(self) -> bool:
        return self.answered and key_phrases_found(strip_labels(self.answer), self.item.key_phrases)

    def as_json(self) -> dict[str, Any]:
        return {
            **self.item.__dict__,
            "query": self.query,
            "hits": self.hits,
            "rank": self.rank,
            "answered_from_notes": self.answered,
            "answer": self.answer,
            "cited_pages": self.cited,
            "cites_gold": self.cites_gold,
            "key_phrases_found": self.key_ok,
            "evidence_s": self.evidence_s,
            "first_token_s": self.first_token_s,
            "total_s": round(self.total_s, 3),
        }


def load_items(path: Path, split: str) -> list[Item]:
    items = [
        Item(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    return [i for i in items if split == "all" or i.split == split]


# ---------------------------------------------------------------------------------------------- scoring


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


_LABEL = re.compile(r"\[[^\[\]]*, slide \d+\]")
_NUMBER = re.compile(r"^[\d.,]+$")


def strip_labels(answer: str) -> str:
    """The answer without its citation labels ("[deck, slide 3]"): their numbers are not the answer's."""
    return _LABEL.sub(" ", answer)


def phrase_found(text: str, phrase: str) -> bool:
    """Case/whitespace/NFKC-insensitive substring match; a number phrase ("3", "0.5") must be a whole
    token (not part of 13, 3.5 or x3)."""
    text, phrase = normalise(text), normalise(phrase)
    if _NUMBER.match(phrase):
        return re.search(rf"(?<![\w.,]){re.escape(phrase)}(?![\w]|[.,]\d)", text) is not None
    return phrase in text


def key_phrases_found(text: str, groups: list[list[str]]) -> bool:
    return all(any(phrase_found(text, p) for p in group) for group in groups)


def first_gold_rank(pages: list[int], gold: list[int]) -> int | None:
    return next((i + 1 for i, p in enumerate(pages) if p in gold), None)


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def item_evidence(
    db: Any, retriever: Any, subjects: dict[str, int], item: Item, by_id: dict[str, Item]
) -> tuple[Any, str, Any]:
    """The item's subject, its query (a follow-up is asked after the question it follows) and the 5 chunks
    retrieval finds for that query."""
    from shared.models import Subject

    subject = db.get(Subject, subjects[item.deck])
    query = item.question
    if item.follows and item.follows in by_id:
        query = f"{by_id[item.follows].question} {item.question}"
    return subject, query, retriever.search(db, subject=subject, query=query, k=5)


# ------------------------------------------------------------------------------------ one subject per deck


def build_subjects(decks: dict[Path, list[Any]], data_dir: Path) -> tuple[Any, Any, Any, dict[str, int], int]:
    """One user; one subject and one lecture per deck, stored by the worker's store_pages; each subject's
    chunks embedded into its own in-memory Chroma collection, as indexing does. Returns the session
    factory, embedder, vector store, {deck file name: subject id} and the chunk count."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from sqlalchemy import select

    from shared.embeddings import make_embedder
    from shared.models import Chunk
    from workers.ai.vectors import ChromaVectorStore, collection_name

    settings, factory, user_id, subjects, lectures = store_decks(decks, data_dir)
    embedder = make_embedder(settings)
    store = ChromaVectorStore(chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False)))
    start = time.perf_counter()
    n_chunks = 0
    with factory() as db:
        for deck, lecture_id in lectures.items():
            chunks = list(db.scalars(select(Chunk).where(Chunk.lecture_id == lecture_id).order_by(Chunk.id)))
            n_chunks += len(chunks)
            embed_chunks(store, embedder, collection_name(user_id, subjects[deck.name]), chunks)
        db.commit()
    print(f"  embedded {n_chunks} chunks in {time.perf_counter() - start:.0f} s", flush=True)
    return factory, embedder, store, subjects, n_chunks
