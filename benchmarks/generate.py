"""Generation speed on real decks: cheat sheet, 20-question quiz and 50 flashcards per deck.

    .venv/bin/python benchmarks/generate.py [DIR] [--decks SUBSTR ...] [--no-llm]

Every PDF/PPTX in DIR (default ../shared/corpus) is read by the real ingestion pipeline in-process
(workers.ocr.readers.read_document, decoration removal, chunking) into a temporary SQLite database made by
the migrations; then, per deck, the worker's own generation code (workers.generation.service) runs twice:
with the bundled LLM (SmolLM2-135M via llama.cpp, loaded once beforehand as a worker does) and extractive
only (no LLM), for the ratio. Times are wall-clock seconds for the whole document, including LibreOffice's
page check of the cheat sheet and writing the files.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KINDS = {".pdf": "pdf", ".pptx": "pptx"}


@dataclass
class _Ctx:  # what workers.ocr.pipeline.store_pages / drop_decorations use of a WorkerContext
    session_factory: Any
    files: Any
    models: Any  # workers.ocr.adapters.OcrModels, loaded once as in the ocr worker


def ingest(ctx: _Ctx, settings: Any, user_id: int, deck: Path) -> tuple[int, int, float]:
    """Read a deck as the ocr worker does and store it as a processed lecture.

    Returns (subject id, lecture id, seconds)."""
    import hashlib

    from shared.models import Lecture, LectureStatus, Subject
    from workers.ocr.pipeline import assign_roles, drop_decorations, store_pages
    from workers.ocr.readers import ReadOptions, read_document

    kind = KINDS[deck.suffix.lower()]
    with ctx.session_factory() as db:
        subject = Subject(user_id=user_id, name=deck.stem[:200], ocr_languages="eng+hin+chi_sim")
        db.add(subject)
        db.flush()
        lecture = Lecture(
            user_id=user_id,
            subject_id=subject.id,
            title=deck.stem,
            filename=deck.name,
            file_type=kind,
            media_type="application/octet-stream",
            size_bytes=deck.stat().st_size,
            sha256=hashlib.sha256(deck.read_bytes()).hexdigest(),
            storage_path=f"uploads/{user_id}/{deck.stem}/original{deck.suffix}",
            status=LectureStatus.PROCESSING,
        )
        db.add(lecture)
        db.commit()
        subject_id, lecture_id = subject.id, lecture.id
    ocr = ctx.models.ocr
    from workers.ocr.pipeline import ocr_languages

    opts = ReadOptions(
        store=ctx.files,
        prefix=f"uploads/{user_id}/{lecture_id}",
        languages=ocr_languages("eng+hin+chi_sim", ocr),
        layout=ctx.models.layout,
        ocr=ocr,
        dpi=settings.ocr_dpi,
        parallel=settings.ocr_parallel_pages,
        figure_min_area=settings.figure_min_area,
        libreoffice_timeout=settings.libreoffice_timeout,
    )
    start = time.perf_counter()
    pages = list(read_document(deck, kind, opts))
    drop_decorations(pages, ctx)
    assign_roles(pages)
    store_pages(ctx, lecture_id=lecture_id, pages=pages)  # type: ignore[arg-type]
    seconds = time.perf_counter() - start
    with ctx.session_factory() as db:
        lec = db.get(Lecture, lecture_id)
        assert lec is not None
        lec.status = LectureStatus.DONE
        db.commit()
    return subject_id, lecture_id, seconds


def run_kind(env: Any, user_id: int, subject_id: int, params: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    from sqlalchemy import delete

    from shared.models import Flashcard
    from workers.generation.service import run

    if params["kind"] == "flashcards":  # start from an empty deck each time (generation skips known cards)
        with env.session_factory() as db:
            db.execute(delete(Flashcard).where(Flashcard.subject_id == subject_id))
            db.commit()
    start = time.perf_counter()
    try:
        result = run(env, job_id=None, user_id=user_id, subject_id=subject_id, params=params)
    except Exception as exc:  # a deck with no usable text: report it, go on
        code = getattr(exc, "code", type(exc).__name__)
        return time.perf_counter() - start, {"error": code}
    return time.perf_counter() - start, result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dir", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--decks", nargs="*", default=[], help="only decks whose name contains one of these")
    parser.add_argument("--no-llm", action="store_true", help="extractive runs only")
    args = parser.parse_args()

    from sqlalchemy import func, select

    from shared.db import make_engine, make_session_factory, run_migrations
    from shared.files import LocalFileStore
    from shared.llm import make_llm
    from shared.models import GeneratedDocument, Lecture, Page, User
    from shared.settings import Settings
    from workers.generation.service import GenerationEnv

    decks = sorted(p for p in Path(args.dir).iterdir() if p.suffix.lower() in KINDS)
    if args.decks:
        decks = [d for d in decks if any(s in d.name for s in args.decks)]
    tmp = Path(tempfile.mkdtemp(prefix="bench-generate-"))
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp,
        database_url=f"sqlite:///{tmp / 'bench.db'}",
        log_json=False,
    )
    run_migrations(settings)
    factory = make_session_factory(make_engine(settings))
    files = LocalFileStore(tmp)
    from workers.ocr.adapters import OcrModels

    ctx = _Ctx(factory, files, OcrModels(settings))
    with factory() as db:
        user = User(email="bench@example.com", password_hash="x")
        db.add(user)
        db.commit()
        user_id = user.id

    load_start = time.perf_counter()
    llm = None if args.no_llm else make_llm(settings)
    load = time.perf_counter() - load_start
    modes = [("extractive", None)] + ([] if llm is None else [("llm", llm)])
    print(f"LLM: {llm.name if llm else 'none'} (loaded in {load:.2f} s, not counted); {len(decks)} decks")
    jobs = [
        ("cheatsheet", {"kind": "cheatsheet", "pages": 1}),
        ("quiz20", {"kind": "quiz", "questions": 20, "difficulty": "medium"}),
        ("cards50", {"kind": "flashcards", "cards": 50}),
    ]
    header = (
        f"{'deck':<44} {'pages':>5} {'ingest':>7} | {'sheet':>6} {'base':>5} {'fit':>4} | "
        f"{'quiz':>6} {'base':>5} {'n':>3} {'llm':>3} | {'cards':>6} {'base':>5} {'n':>3} {'llm':>3}"
    )
    print(header)
    print("-" * len(header))
    times: dict[tuple[str, str], list[float]] = {}
    for deck in decks:
        subject_id, _, ingest_s = ingest(ctx, settings, user_id, deck)
        row: dict[tuple[str, str], tuple[float, dict[str, Any]]] = {}
        for mode, model in modes:
            env = GenerationEnv(session_factory=factory, files=files, llm=model, settings=settings)
            for name, params in jobs:
                seconds, result = run_kind(env, user_id, subject_id, params)
                row[(name, mode)] = (seconds, result)
                if "error" not in result:
                    times.setdefault((name, mode), []).append(seconds)
        with factory() as db:
            pages_of = db.scalar(
                select(func.count(Page.id))
                .join(Lecture, Lecture.id == Page.lecture_id)
                .where(Lecture.subject_id == subject_id)
            )
            fit = "-"
            sheet = row[("cheatsheet", modes[-1][0])][1]
            if "document_id" in sheet:
                doc = db.get(GeneratedDocument, sheet["document_id"])
                fit = str(doc.params.get("pages_rendered", "?")) if doc else "?"

        def cell(name: str, mode: str, row: dict = row) -> str:  # type: ignore[type-arg]
            seconds, result = row.get((name, mode), (0.0, {}))
            return "err" if "error" in result else f"{seconds:.1f}"

        def llm_count(name: str, row: dict = row) -> str:  # type: ignore[type-arg]
            result = row.get((name, "llm"), (0.0, {}))[1]
            stats = result.get("llm_stats") or {}
            if not stats:
                with factory() as db:
                    doc = db.get(GeneratedDocument, result.get("document_id", -1))
                    stats = (doc.params.get("llm_stats") or {}) if doc else {}
            return str(stats.get("accepted", "-"))

        top = modes[-1][0]
        quiz = row[("quiz20", top)][1]
        cards = row[("cards50", top)][1]
        print(
            f"{deck.name[:44]:<44} {pages_of or 0:>5} {ingest_s:>7.1f} | "
            f"{cell('cheatsheet', top):>6} {cell('cheatsheet', 'extractive'):>5} {fit:>4} | "
            f"{cell('quiz20', top):>6} {cell('quiz20', 'extractive'):>5} {quiz.get('questions', 0):>3} "
            f"{llm_count('quiz20') if top == 'llm' else '-':>3} | "
            f"{cell('cards50', top):>6} {cell('cards50', 'extractive'):>5} {cards.get('cards', 0):>3} "
            f"{llm_count('cards50') if top == 'llm' else '-':>3}",
            flush=True,
        )
    print("-" * len(header))
    for (name, mode), values in sorted(times.items()):
        print(
            f"{name:<10} {mode:<10} median {statistics.median(values):6.2f} s   max {max(values):6.2f} s   "
            f"({len(values)} decks)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
