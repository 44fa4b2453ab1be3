"""Retrieval quality on real decks: all of them in ONE subject, students' questions, the product's retriever.

    .venv/bin/python benchmarks/retrieval.py [DIR] [--questions FILE] [--no-cache] [--dump DECK]

Every deck in DIR (default ../shared/corpus, read in place, never copied) goes through the worker's own
code, in-process: read_document with the worker's read_options (layout, text layer or OCR, figures),
decoration images and repeated headers/footers removed, then store_pages (Page, Figure and Chunk rows made
by page_chunks: text, speaker notes, figure captions + words inside figures) into a temporary SQLite
database built by the real migrations; the chunks are embedded (MiniLM) into an in-memory Chroma
collection as indexing does. Every question of benchmarks/questions.json is then asked with
Retriever.search (k=5) in keyword, vector and hybrid mode; a hit is a result with the expected file and
page (1-based). Printed: recall@1, recall@5, MRR@5, overall and for figure questions, time per query, and
the hybrid misses with the right page's rank in each candidate list before fusion.

Reading the decks takes minutes (OCR), so the pages are cached in /tmp, keyed by a hash of each deck's
bytes (a corpus laid anew with new mtimes keeps its cache) and by a fingerprint of the reader's code
(workers/ocr without the line-role and chunking modules, shared/text): a changed reader reads again.
SMARTNOTES_BENCH_PAGE_CACHE=PATH gives a cache of your own (qa.py and qa_refusal.py use the same cache).
--dump DECK prints a deck's pages as the benchmark sees them (to write questions with the right page numbers).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workers.ai.retrieval import Mode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KINDS = {".pdf": "pdf", ".pptx": "pptx", ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image"}
# A new subject's OCR languages (shared/models.py Subject.ocr_languages, migration 0003): "auto" reads each
# page in the languages of its script. Until session 15 the benchmarks read with "eng+hin" (zh decks
# "chi_sim+eng"), the default before migration 0003, so OCR'd pages were not read as the product reads them.
DEFAULT_LANGUAGES = "auto"
LANGUAGES: dict[str, str] = {}  # by the MANIFEST's language column (or the file name's prefix): none differ
CACHE = Path(
    os.environ.get("SMARTNOTES_BENCH_PAGE_CACHE")
    or Path(tempfile.gettempdir()) / "mysmartnotes-retrieval-pages.json"
)
MODES: tuple[Mode, ...] = ("keyword", "vector", "hybrid")
K = 5


@dataclass
class Question:
    file: str
    page: int
    question: str
    kind: str


def deck_languages(deck: Path) -> str:
    manifest = deck.parent / "MANIFEST.tsv"
    lang = ""
    if manifest.exists():
        with manifest.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                if row.get("file") == deck.name:
                    lang = (row.get("language") or "").strip()
    lang = lang or deck.name.split("_", 1)[0]
    return LANGUAGES.get(lang, DEFAULT_LANGUAGES)


def reader_fingerprint() -> str:
    """A short hash of the code that turns a file into PageContent: a page cached by other code is stale
    (line roles, chunks, figure trimming and fitting are computed after reading, from the cached pages: their
    modules are left out; the reader only builds line_cues' LineHint records, whose fields the cache's loading
    checks)."""
    import hashlib

    digest = hashlib.sha256()
    ocr, text = ROOT / "workers" / "ocr", ROOT / "shared" / "text"
    sources = [*sorted(ocr.glob("*.py")), *sorted(text.glob("*.py"))]
    for path in sources:
        if path.name.startswith("role") or path.name in (
            "chunking.py",
            "line_cues.py",
            "figure_trim.py",
            "figure_fit.py",
        ):
            continue
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def deck_digest(deck: Path) -> str:
    """A short hash of the deck's bytes: the cache's key for one version of a file, whatever its mtime."""
    import hashlib

    digest = hashlib.sha256()
    with deck.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


def read_pages(deck: Path, languages: str, cache: dict[str, Any], use_cache: bool) -> tuple[list[Any], bool]:
    """The deck's PageContent list, from the cache when the deck's bytes match; True when read."""
    from shared.files import LocalFileStore
    from shared.settings import Settings
    from workers.ocr.content import TextBox
    from workers.ocr.line_cues import LineHint
    from workers.ocr.pipeline import read_options
    from workers.ocr.readers import FigureContent, PageContent, read_document

    # the reader's version is part of the key: pages read by older code (no line hints) are read again
    key = f"{deck.name}|{deck_digest(deck)}|{languages}|hints|{reader_fingerprint()}"
    if use_cache and key in cache:
        pages = [
            PageContent(
                **{
                    **p,
                    "figures": [FigureContent(**f) for f in p["figures"]],
                    "hints": [LineHint(**h) for h in p.get("hints", [])],
                    "text_boxes": [TextBox(**b) for b in p.get("text_boxes", [])],
                }
            )
            for p in cache[key]
        ]
        return pages, False
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    with tempfile.TemporaryDirectory(prefix="bench-retrieval-") as tmp:
        opts = read_options(settings, store=LocalFileStore(Path(tmp)), prefix="bench", languages=languages)
        start = time.perf_counter()
        pages = list(read_document(deck, KINDS[deck.suffix.lower()], opts))
        print(f"  read {deck.name}: {len(pages)} pages in {time.perf_counter() - start:.0f} s", flush=True)
    # pages of another version of the file go; another reader's pages stay (a helper's branch, main)
    version = f"{deck.name}|{deck_digest(deck)}|"
    for name in [k for k in cache if k.startswith(f"{deck.name}|") and not k.startswith(version)]:
        del cache[name]
    cache[key] = [asdict(p) for p in pages]
    return pages, True


def clean_pages(pages: list[Any], files: Any) -> list[Any]:
    """What the ocr worker does between reading and storing: drop decoration images, give every line a
    role (footers, course meta, credits and URLs then stay out of the chunks)."""
    from workers.ocr.figure_trim import trim_figures
    from workers.ocr.pipeline import assign_roles, drop_decorations

    drop_decorations(pages, SimpleNamespace(files=files))  # type: ignore[arg-type]
    assign_roles(pages)
    trim_figures(pages, None)  # boxes only: the cache holds no crops (benchmarks/figure_crops.py makes them)
    return pages


def deck_lecture(user_id: int, subject_id: int, deck: Path, pages: list[Any]) -> Any:
    """The Lecture row for a deck read in place (done: its pages are stored next)."""
    from shared.models import Lecture, LectureStatus

    return Lecture(
        user_id=user_id,
        subject_id=subject_id,
        title=deck.stem,
        filename=deck.name,
        file_type=KINDS[deck.suffix.lower()],
        media_type="application/octet-stream",
        size_bytes=deck.stat().st_size,
        sha256="0" * 64,
        storage_path=str(deck),
        status=LectureStatus.DONE,
        page_count=len(pages),
    )


def store_decks(
    decks: dict[Path, list[Any]], data_dir: Path
) -> tuple[Any, Any, int, dict[str, int], dict[Path, int]]:
    """One user; one subject and one lecture per deck, stored by the worker's own store_pages (the same rows
    and chunks as an upload). Returns the settings, the session factory, the user id, {deck file name:
    subject id} and {deck: lecture id}."""
    from types import SimpleNamespace

    from shared.db import make_engine, make_session_factory, run_migrations
    from shared.models import Subject, User
    from shared.settings import Settings
    from workers.ocr.pipeline import store_pages

    settings = Settings(_env_file=None, data_dir=data_dir)  # type: ignore[call-arg]
    run_migrations(settings)
    factory = make_session_factory(make_engine(settings))
    subjects: dict[str, int] = {}
    lectures: dict[Path, int] = {}
    with factory() as db:
        user = User(email="bench@example.com", password_hash="x", display_name="bench")
        db.add(user)
        db.flush()
        for deck, pages in decks.items():
            subject = Subject(user_id=user.id, name=deck.stem[:100])
            db.add(subject)
            db.flush()
            lecture = deck_lecture(user.id, subject.id, deck, pages)
            db.add(lecture)
            db.flush()
            subjects[deck.name], lectures[deck] = subject.id, lecture.id
        db.commit()
        user_id = user.id
    ctx = SimpleNamespace(session_factory=factory)
    for deck, pages in decks.items():
        store_pages(ctx, lecture_id=lectures[deck], pages=pages)  # type: ignore[arg-type]
    return settings, factory, user_id, subjects, lectures


def build_subject(decks: dict[Path, list[Any]], data_dir: Path) -> tuple[Any, Any, Any, int, int]:
    """One user, one subject, one lecture per deck; pages, figures and chunks stored by the worker's own
    store_pages (the same rows and chunks as an upload), then the chunks embedded as indexing does."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from sqlalchemy import select

    from shared.db import make_engine, make_session_factory, run_migrations
    from shared.embeddings import make_embedder
    from shared.models import Chunk, Subject, User
    from shared.settings import Settings
    from workers.ai.vectors import ChromaVectorStore, collection_name
    from workers.ocr.pipeline import store_pages

    settings = Settings(_env_file=None, data_dir=data_dir)  # type: ignore[call-arg]
    run_migrations(settings)
    factory = make_session_factory(make_engine(settings))
    embedder = make_embedder(settings)
    store = ChromaVectorStore(chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False)))
    with factory() as db:
        user = User(email="bench@example.com", password_hash="x", display_name="bench")
        db.add(user)
        db.flush()
        subject = Subject(user_id=user.id, name="All decks")
        db.add(subject)
        db.flush()
        lectures = {}
        for deck, pages in decks.items():
            lectures[deck] = deck_lecture(user.id, subject.id, deck, pages)
            db.add(lectures[deck])
        db.commit()
        user_id, subject_id = user.id, subject.id
    ctx = SimpleNamespace(session_factory=factory)
    for deck, pages in decks.items():
        store_pages(ctx, lecture_id=lectures[deck].id, pages=pages)  # type: ignore[arg-type]
    start = time.perf_counter()
    with factory() as db:
        chunks = list(db.scalars(select(Chunk).order_by(Chunk.id)))
        embed_chunks(store, embedder, collection_name(user_id, subject_id), chunks)
        db.commit()
    print(f"  embedded {len(chunks)} chunks in {time.perf_counter() - start:.0f} s", flush=True)
    return factory, embedder, store, subject_id, len(chunks)


def embed_chunks(store: Any, embedder: Any, collection: str, chunks: list[Any]) -> None:
    """Embed ``chunks`` into ``collection``, 64 at a time as indexing does, and mark them embedded."""
    from workers.ai.retrieval import embedding_text

    for first in range(0, len(chunks), 64):
        batch = chunks[first : first + 64]
        store.upsert(
            collection,
            [c.id for c in batch],
            embedder.embed([embedding_text(c) for c in batch]),
            [{"lecture_id": c.lecture_id, "page": c.page_number, "chunk_id": c.id} for c in batch],
        )
        for c in batch:
            c.embedded = True


def evaluate(
    questions: list[Question], factory: Any, embedder: Any, store: Any, subject_id: int
) -> dict[str, Any]:
    from sqlalchemy import select

    from shared.models import Chunk, Lecture, Subject
    from workers.ai.retrieval import CANDIDATES, Retriever
    from workers.ai.vectors import collection_name

    retriever = Retriever(embedder, store)
    results: dict[str, Any] = {}
    with factory() as db:
        subject = db.get(Subject, subject_id)
        retriever.search(db, subject=subject, query="warm up", k=K, mode="hybrid")  # index + model warm
        for mode in MODES:
            ranks: list[int | None] = []
            got: list[list[tuple[str, int]]] = []
            start = time.perf_counter()
            for q in questions:
                found = retriever.search(db, subject=subject, query=q.question, k=K, mode=mode)
                hits = [(e.file, e.page) for e in found]
                got.append(hits)
                ranks.append(next((i + 1 for i, h in enumerate(hits) if h == (q.file, q.page)), None))
            results[mode] = {
                "ranks": ranks,
                "got": got,
                "ms": 1000 * (time.perf_counter() - start) / max(len(questions), 1),
            }
        # For the hybrid misses: where the right page sits in each candidate list before fusion.
        where = {
            cid: (name, page)
            for cid, name, page in db.execute(
                select(Chunk.id, Lecture.filename, Chunk.page_number).join(
                    Lecture, Lecture.id == Chunk.lecture_id
                )
            )
        }
        index = retriever.keyword_index(db, subject)
        collection = collection_name(subject.user_id, subject.id)
        deep: list[tuple[int | None, int | None]] = []
        for q, rank in zip(questions, results["hybrid"]["ranks"], strict=True):
            if rank == 1:
                deep.append((None, None))
                continue
            keyword = [where[cid] for cid, _ in index.search(q.question, CANDIDATES * 3)]
            [vector] = embedder.embed([q.question])
            vector_hits = [where[h.chunk_id] for h in store.query(collection, vector, CANDIDATES)]
            deep.append(
                tuple(  # type: ignore[arg-type]
                    next((i + 1 for i, h in enumerate(hits) if h == (q.file, q.page)), None)
                    for hits in (keyword, vector_hits)
                )
            )
        results["hybrid"]["deep"] = deep
    return results


def metrics(ranks: list[int | None]) -> tuple[float, float, float]:
    n = max(len(ranks), 1)
    r1 = sum(r == 1 for r in ranks) / n
    r5 = sum(r is not None and r <= K for r in ranks) / n
    mrr = sum(1 / r for r in ranks if r is not None and r <= K) / n
    return r1, r5, mrr


def short(name: str) -> str:
    return "_".join(Path(name).stem.split("_")[:2])


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dir", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--questions", default=str(ROOT / "benchmarks" / "questions.json"))
    parser.add_argument("--no-cache", action="store_true", help="re-read (re-OCR) every deck")
    parser.add_argument("--dump", metavar="DECK", help="print a deck's cleaned pages and chunks, then exit")
    args = parser.parse_args()

    from shared.files import LocalFileStore

    corpus = Path(args.dir)
    paths = sorted(p for p in corpus.iterdir() if p.suffix.lower() in KINDS)
    cache: dict[str, Any] = {}
    if CACHE.exists() and not args.no_cache:
        cache = json.loads(CACHE.read_text(encoding="utf-8"))
    start = time.perf_counter()
    decks: dict[Path, list[Any]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-retrieval-") as tmp:
        files = LocalFileStore(Path(tmp) / "files")
        for deck in paths:
            if args.dump and deck.name != args.dump:
                continue
            pages, fresh = read_pages(deck, deck_languages(deck), cache, not args.no_cache)
            if fresh:
                CACHE.write_text(json.dumps(cache, ensure_ascii=False), encoding="utf-8")
            decks[deck] = clean_pages(pages, files)
        print(f"pages ready in {time.perf_counter() - start:.0f} s (cache {CACHE})", flush=True)
        if args.dump:
            return dump(decks)

        questions = [Question(**q) for q in json.loads(Path(args.questions).read_text(encoding="utf-8"))]
        known = {d.name: len(p) for d, p in decks.items()}
        bad = [
            q
            for q in questions
            if q.file not in known or not 1 <= q.page <= known[q.file] or q.kind not in ("text", "figure")
        ]
        if bad:
            raise SystemExit(f"questions with a missing deck or page, or an unknown kind: {bad}")
        factory, embedder, store, subject_id, n_chunks = build_subject(decks, Path(tmp))
        results = evaluate(questions, factory, embedder, store, subject_id)
    print(f"embedder {embedder.name}, vector store Chroma (in memory), keyword index BM25 (bm25s)")
    report(questions, results, len(decks), sum(len(p) for p in decks.values()), n_chunks)
    return 0


def dump(decks: dict[Path, list[Any]]) -> int:
    from workers.ocr.chunking import page_chunks

    for pages in decks.values():
        for p in pages:
            print(f"===== page {p.number} [{p.source}] title: {p.title!r}")
            print(p.text)
            if p.notes.strip():
                print(f"--- notes: {p.notes}")
            for f in p.figures:
                print(f"--- figure caption={f.caption!r} text={f.text!r}")
            figure_texts = [" ".join(x for x in (f.caption, f.text) if x) for f in p.figures]
            n = len(page_chunks(text=p.text, source=p.source, notes=p.notes, figure_texts=figure_texts))
            print(f"--- {n} chunks")
    return 0


def report(
    questions: list[Question], results: dict[str, Any], n_decks: int, n_pages: int, n_chunks: int
) -> None:
    figure_idx = [i for i, q in enumerate(questions) if q.kind == "figure"]
    print()
    print(
        f"{len(questions)} questions ({len(figure_idx)} about figures), {n_decks} decks in one subject, "
        f"{n_pages} pages, {n_chunks} chunks, k={K}"
    )
    print()
    header = (
        "| mode | recall@1 | recall@5 | MRR@5 | figure recall@1 | figure recall@5 | figure MRR@5 | ms/query |"
    )
    print(header)
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for mode in MODES:
        ranks = results[mode]["ranks"]
        r1, r5, mrr = metrics(ranks)
        f1, f5, fmrr = metrics([ranks[i] for i in figure_idx])
        print(
            f"| {mode} | {r1:.2f} | {r5:.2f} | {mrr:.2f} | {f1:.2f} | {f5:.2f} | {fmrr:.2f} "
            f"| {results[mode]['ms']:.0f} |"
        )
    print()
    print("Per deck (hybrid):")
    per_deck: dict[str, list[int | None]] = {}
    for q, r in zip(questions, results["hybrid"]["ranks"], strict=True):
        per_deck.setdefault(q.file, []).append(r)
    for name, ranks in per_deck.items():
        r1, r5, mrr = metrics(ranks)
        print(f"  {name:<52} n={len(ranks):>2}  recall@1 {r1:.2f}  recall@5 {r5:.2f}  MRR {mrr:.2f}")
    print()
    hybrid = results["hybrid"]
    rows = zip(questions, hybrid["ranks"], hybrid["got"], hybrid["deep"], strict=True)
    misses = [row for row in rows if row[1] != 1]
    print(f"Hybrid: {len(misses)} questions not at rank 1 (before fusion: the page's rank in the keyword")
    print("and vector candidate lists, '-' when not among them):")
    for q, rank, got, (kw, vec) in misses:
        top = ", ".join(f"{short(f)} p{p}" for f, p in got[:3])
        where = f"rank {rank}" if rank else "MISS"
        print(f"  [{where}] {q.question}")
        print(
            f"      expected {short(q.file)} p{q.page} ({q.kind}); got {top}; "
            f"keyword rank {kw or '-'}, vector rank {vec or '-'}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
