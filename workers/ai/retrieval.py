"""Hybrid retrieval: vector search (Chroma) and a keyword index (BM25, bm25s) fused by reciprocal rank,
near-duplicates removed, optionally filtered by lecture. Figure captions and the words inside figures are
chunks of their own, so a question about a diagram finds its slide."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.embeddings import Embedder
from shared.models import Chunk, Lecture, LectureStatus, Subject
from shared.text import BM25Index, detect_language, dominant_script, is_cjk, script_of, tokens
from shared.text import stem as text_stem
from shared.text.language import LATIN_LANGUAGES
from workers.ai.vectors import VectorStore, collection_name

Mode = Literal["hybrid", "vector", "keyword"]
RRF_K = 60
DIVIDER_WEIGHT = 0.5
_AGENDA = re.compile(
    r"^(plan|overview|outline|agenda|contents|table of contents|topics( covered)?|today)\b", re.IGNORECASE
)
THIN_WEIGHT = 0.8
CANDIDATES = 30


# Keyword matching on stems: a question's "matrices" finds a slide's "matrix", "вершины" finds "вершин".
# The stemmer follows each word's script (Russian for Cyrillic, Hindi for Devanagari, English for Latin);
# words come from the one tokenizer (shared.text), which keeps Devanagari words whole.
_SCRIPT_STEMMER = {"Cyrillic": "ru", "Devanagari": "hi", "Latin": "en"}


def stem(word: str, lang: str | None = None) -> str:
    """One lower-case token's stem in its script's language; numbers, CJK and anything else unchanged.
    ``lang``, the notes' language: a Latin-script word is stemmed in it when it is a Latin-script language
    (Spanish notes: "resistencias" -> "resistent", as the question's word is stemmed too), else in English."""
    if word.isdigit():
        return word
    script = dominant_script(word) or ""
    code = lang if script == "Latin" and lang in LATIN_LANGUAGES else _SCRIPT_STEMMER.get(script)
    return text_stem(word, code) or word if code else word


def match_terms(text: str, lang: str | None = None) -> list[str]:
    """The tokens of ``text`` as the keyword index and the answer's checks compare them: stemmed by script,
    stop words dropped, CJK as characters and character pairs. With ``lang``, the notes' language when it is
    not English, that language's stop words and Latin-script stems (both sides of a comparison must use the
    same ``lang``); without it, or "en", English ones."""
    if lang is None or lang == "en":
        return [stem(t) for t in tokens(text)]
    return [stem(t, lang) for t in tokens(text, lang=lang)]


TITLE_REPEAT = 2  # dev: recall@1 0.67 -> 0.68, cites gold 0.63 -> 0.64 against 1


def keyword_text(title: str, text: str) -> str:
    """What the keyword index reads for a chunk: its slide's title (TITLE_REPEAT times), then its text."""
    return f"{title}\n" * TITLE_REPEAT + text


def embedding_text(chunk: Chunk) -> str:
    return f"{chunk.title}\n{chunk.text}" if chunk.title and chunk.title not in chunk.text else chunk.text


@dataclass
class Evidence:
    chunk_id: int
    lecture_id: int
    lecture_title: str
    file: str
    page: int
    title: str
    text: str
    source: str
    figure_ids: list[int]
    score: float = 0.0  # fused score (reciprocal rank), the order of the list
    similarity: float = 0.0  # cosine similarity of the chunk to the query, 0 when not a vector hit
    keyword: float = 0.0  # BM25 score, 0 when no query word is in the chunk
    # (source, text) of each chunk slide_choice.whole_slides joined into ``text``, in its order; empty: all
    # of ``text`` has ``source`` (which text was read from an image: workers.ai.unit_choice.image_units)
    parts: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        return f"[{self.lecture_title}, slide {self.page}]"


@dataclass
class KeywordIndex:
    """BM25 (shared.text.BM25Index) over the toolkit's search tokens: words as written, not stemmed (the
    question's words are matched as the slide spells them), stop words dropped, CJK as characters and
    pairs."""

    chunk_ids: list[int]
    index: BM25Index
    language: str = "en"  # the notes' language (detect_language over all their text)

    @classmethod
    def build(cls, chunks: list[tuple[int, str]]) -> KeywordIndex:
        lang = detect_language("\n".join(text for _, text in chunks)) if chunks else "en"
        terms = [match_terms(text, lang) for _, text in chunks]
        return cls([cid for cid, _ in chunks], BM25Index(terms), lang)

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        found = self.index.search(match_terms(query, self.language), k)
        return [(self.chunk_ids[i], score) for i, score in found]


@dataclass
class Retriever:
    """Per-process: keyword indexes are cached per subject and rebuilt when the subject's version moves."""

    embedder: Embedder
    store: VectorStore
    cache_size: int = 16
    _indexes: OrderedDict[tuple[int, int], KeywordIndex] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def keyword_index(self, db: Session, subject: Subject) -> KeywordIndex:
        key = (subject.id, subject.version)
        with self._lock:
            if key in self._indexes:
                self._indexes.move_to_end(key)
                return self._indexes[key]
        rows = db.execute(
            select(Chunk.id, Chunk.title, Chunk.text)
            .join(Lecture, Lecture.id == Chunk.lecture_id)
            .where(Lecture.subject_id == subject.id, Lecture.status == LectureStatus.DONE)
            .order_by(Chunk.id)
        ).all()
        index = KeywordIndex.build([(cid, keyword_text(title, text)) for cid, title, text in rows])
        with self._lock:
            self._indexes[key] = index
            while len(self._indexes) > self.cache_size:
                self._indexes.popitem(last=False)
        return index

    def search(
        self,
        db: Session,
        *,
        subject: Subject,
        query: str,
        k: int = 5,
        lecture_ids: list[int] | None = None,
        mode: Mode = "hybrid",
    ) -> list[Evidence]:
        vector_hits: dict[int, tuple[int, float]] = {}
        keyword_hits: dict[int, tuple[int, float]] = {}
        if mode in ("hybrid", "vector"):
            [vector] = self.embedder.embed([query])
            hits = self.store.query(
                collection_name(subject.user_id, subject.id), vector, CANDIDATES, lecture_ids=lecture_ids
            )
            vector_hits = {h.chunk_id: (rank, h.similarity) for rank, h in enumerate(hits)}
        index = self.keyword_index(db, subject) if mode != "vector" else None
        if index is not None:
            found = index.search(query, CANDIDATES * 3)
            keyword_hits = {cid: (rank, score) for rank, (cid, score) in enumerate(found)}
        evidence = self._load(db, subject, list(dict.fromkeys([*vector_hits, *keyword_hits])), lecture_ids)
        by_id = {e.chunk_id: e for e in evidence}
        for item in evidence:
            item.similarity = vector_hits.get(item.chunk_id, (0, 0.0))[1]
            item.keyword = keyword_hits.get(item.chunk_id, (0, 0.0))[1]
        # BM25 favours short slides, so its list is re-ranked with the content weight; the vector list is not.
        keyword_order = sorted(
            (c for c in keyword_hits if c in by_id),
            key=lambda c: -keyword_hits[c][1] * content_weight(by_id[c]),
        )
        vector_order = sorted((c for c in vector_hits if c in by_id), key=lambda c: vector_hits[c][0])
        notes_language = index.language if index is not None else "en"
        vector_weight = query_vector_weight(query, notes_language) if mode == "hybrid" else 1.0
        for weight, order in ((vector_weight, vector_order), (1.0, keyword_order)):
            for rank, cid in enumerate(order):
                by_id[cid].score += weight / (RRF_K + rank + 1)
        for item in evidence:  # ties (the same ranks) go to the stronger raw evidence
            item.score += 1e-4 * (item.similarity + min(item.keyword, 30.0) / 30.0)
        evidence.sort(key=lambda e: -e.score)
        return one_per_page(dedupe(evidence))[:k]

    @staticmethod
    def _load(
        db: Session, subject: Subject, ordered: list[int], lecture_ids: list[int] | None
    ) -> list[Evidence]:
        if not ordered:
            return []
        query = (
            select(Chunk, Lecture.title, Lecture.filename)
            .join(Lecture, Lecture.id == Chunk.lecture_id)
            .where(
                Chunk.id.in_(ordered), Lecture.subject_id == subject.id, Lecture.user_id == subject.user_id
            )
        )
        if lecture_ids:
            query = query.where(Lecture.id.in_(lecture_ids))
        found = {
            chunk.id: Evidence(
                chunk_id=chunk.id,
                lecture_id=chunk.lecture_id,
                lecture_title=title,
                file=filename,
                page=chunk.page_number,
                title=chunk.title,
                text=chunk.text,
                source=chunk.source,
                figure_ids=list(chunk.figure_ids or []),
            )
            for chunk, title, filename in db.execute(query).all()
        }
        return [found[c] for c in ordered if c in found]


OTHER_SCRIPT_VECTOR_WEIGHT = 0.5
# Dev (benchmarks/qa_lang_lab.py), Spanish / Russian questions on their own decks, recall@1: main 0.33 / 0.65;
# with the notes' stems 0.33 / 0.71 (vector list at 1 / 0.5), 0.44 / 0.76 at 0.1, 0.61 / 0.76 at 0.
OWN_LANGUAGE_VECTOR_WEIGHT = 0.0


def own_language(question: str, notes_language: str) -> bool:
    """A question asked in a language other than English, of notes in a language other than English (their
    own, as a rule): the bundled embedder, trained on English, reads neither. Both are detected
    (shared.text.detect_language), so a misread short question or a garbled English scan alone does not
    count."""
    return notes_language != "en" and detect_language(question) != "en"


def query_vector_weight(query: str, notes_language: str = "en") -> float:
    """The vector ranking's weight in the fusion. The bundled embedder is English-only: for CJK questions
    its ranking is noise, so only keywords rank, and likewise for a non-English question on non-English
    notes (``own_language``); for other non-Latin scripts it is weaker than keywords."""
    if is_cjk(query):
        return 0.0
    if own_language(query, notes_language):
        return OWN_LANGUAGE_VECTOR_WEIGHT
    return 1.0 if mostly_latin(query) else OTHER_SCRIPT_VECTOR_WEIGHT


def mostly_latin(text: str) -> bool:
    """At least half of the letters are Latin ones (English, Spanish...); True when there are none."""
    shares = script_of(text)
    return not shares or shares.get("Latin", 0.0) >= 0.5


def one_per_page(items: list[Evidence]) -> list[Evidence]:
    """The best chunk of each slide: a slide's text and its figure's OCR should not take two places."""
    seen: set[tuple[int, int]] = set()
    kept = []
    for item in items:
        if (item.lecture_id, item.page) not in seen:
            seen.add((item.lecture_id, item.page))
            kept.append(item)
    return kept


def content_weight(item: Evidence) -> float:
    """Section dividers, agenda and cover slides match a question on their title's words alone and answer
    nothing: a chunk that adds little beyond its title ranks lower in the keyword list. Slides with a figure
    (the picture carries the content), figure chunks and long titles are left alone."""
    if item.source == "figure" or item.figure_ids or len(tokens(item.title)) > 8:
        return 1.0
    if _AGENDA.match(item.title.strip()):
        return DIVIDER_WEIGHT
    extra = [t for t in set(tokens(item.text)) - set(tokens(item.title)) if not t.isdigit()]
    if len(extra) < 3:
        return DIVIDER_WEIGHT
    return THIN_WEIGHT if len(extra) < 10 else 1.0


def dedupe(items: list[Evidence], threshold: float = 0.8) -> list[Evidence]:
    """Drop chunks whose words are nearly the same as a better-ranked one (repeated slides, copies)."""
    kept: list[tuple[Evidence, set[str]]] = []
    for item in items:
        words = set(tokens(item.text))
        if any(_jaccard(words, other) >= threshold for _, other in kept):
            continue
        kept.append((item, words))
    return [item for item, _ in kept]


def _jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
