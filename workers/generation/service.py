"""Generation, callable in-process (the Celery task, the benchmark and the tests all come through here).

Each kind loads the subject's processed lectures, extracts candidates, lets the LLM phrase what it can
within a time budget, and stores the result: a GeneratedDocument under generated/{user}/{document}/ or
new flashcards. A second run for the same job replaces that job's document instead of adding one.
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from shared import storage
from shared.errors import AppError
from shared.files import FileStore
from shared.llm import LLM
from shared.models import GeneratedDocument, Subject
from shared.office import OfficeOptions
from shared.schemas import GenerateRequest
from shared.settings import Settings
from workers.generation.candidates import LectureCandidates, extract
from workers.generation.i18n import t
from workers.generation.material import load_material
from workers.generation.phrasing import Phraser
from workers.ocr.ports import OcrEngine

log = logging.getLogger(__name__)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
Progress = Callable[[float, str], None]


@dataclass
class GenerationEnv:
    session_factory: sessionmaker[Session]
    files: FileStore
    llm: LLM | None
    settings: Settings
    progress: Progress = lambda _p, _s: None
    llm_note: str = ""
    ocr: OcrEngine | None = None  # reads scanned past papers; a new engine from settings when None


def slug(text: str, limit: int = 60) -> str:
    cleaned = re.sub(r"[^\w\-]+", "-", text, flags=re.UNICODE).strip("-_")
    return (cleaned[:limit].strip("-_") or "document").lower()


def save_document(
    db: Session,
    files: FileStore,
    *,
    user_id: int,
    subject_id: int,
    job_id: str | None,
    kind: str,
    title: str,
    filename: str,
    media_type: str,
    source: Path,
    params: dict[str, Any],
) -> GeneratedDocument:
    """Store the file under generated/{user}/{document}/ and its row; replaces the job's earlier document."""
    if job_id is not None:
        for old in db.scalars(select(GeneratedDocument).where(GeneratedDocument.job_id == job_id)):
            files.delete_prefix(storage.generated_prefix(old.user_id, old.id))
            db.delete(old)
        db.flush()
    doc = GeneratedDocument(
        user_id=user_id,
        subject_id=subject_id,
        job_id=job_id,
        kind=kind,
        title=title[:300],
        filename=filename[:300],
        media_type=media_type,
        storage_path="",
        size_bytes=source.stat().st_size,
        params=params,
    )
    db.add(doc)
    db.flush()
    key = storage.generated_key(user_id, doc.id, filename)
    try:
        with source.open("rb") as fh:
            files.save(key, fh)
        doc.storage_path = key
        db.commit()
    except BaseException:
        db.rollback()
        files.delete_prefix(storage.generated_prefix(user_id, doc.id))
        raise
    return doc


@contextmanager
def _workdir() -> Iterator[Path]:
    """A private temporary folder for the file being written, removed whatever happens."""
    tmp = Path(tempfile.mkdtemp(prefix="smartnotes-gen-"))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _store(
    env: GenerationEnv,
    *,
    job_id: str | None,
    user_id: int,
    subject_id: int,
    kind: str,
    title: str,
    out: Path,
    media_type: str,
    params: dict[str, Any],
) -> dict[str, Any]:
    """Save the written file as the job's document; the result's common fields."""
    with env.session_factory() as db:
        doc = save_document(
            db,
            env.files,
            user_id=user_id,
            subject_id=subject_id,
            job_id=job_id,
            kind=kind,
            title=title,
            filename=out.name,
            media_type=media_type,
            source=out,
            params=params,
        )
        return {"document_id": doc.id, "kind": kind, "title": doc.title}


def _subject_name(db: Session, subject_id: int) -> str:
    subject = db.get(Subject, subject_id)
    return subject.name if subject else "Subject"


def _candidates(
    env: GenerationEnv, *, user_id: int, subject_id: int, lecture_ids: list[int] | None
) -> tuple[str, list[LectureCandidates]]:
    with env.session_factory() as db:
        name = _subject_name(db, subject_id)
        material = load_material(db, user_id=user_id, subject_id=subject_id, lecture_ids=lecture_ids)
    lectures = [extract(lec) for lec in material]
    if all(lc.is_empty() for lc in lectures):
        raise AppError(
            "NOT_ENOUGH_MATERIAL",
            "The processed lectures have no readable text to build study material from.",
            status_code=422,
        )
    return name, lectures


QUESTIONS = (20, 2, 100)  # default quiz length: at least 20, one question per 2 slides, at most 100
CARDS = (50, 1, 500)  # default cards: at least 50, one per slide, at most 500


def default_count(lectures: list[LectureCandidates], rule: tuple[int, int, int]) -> int:
    """How many items to ask for when the request names no count: a long lecture (72 slides) offers more
    than a fixed 20 questions or 50 cards; a short one keeps the minimum (the generator makes fewer when
    the notes offer fewer)."""
    least, slides_per_item, most = rule
    slides = sum(len(lc.lecture.slides) for lc in lectures)
    return max(least, min(most, slides // slides_per_item))


def _phraser(env: GenerationEnv) -> Phraser:
    return Phraser(env.llm, budget_seconds=env.settings.generation_llm_seconds)


def _llm_params(env: GenerationEnv, phraser: Phraser) -> dict[str, Any]:
    out: dict[str, Any] = {"llm": phraser.name, "llm_stats": phraser.stats.as_dict()}
    if env.llm_note:
        out["llm_note"] = env.llm_note
    return out


def generate_cheatsheet(
    env: GenerationEnv, *, job_id: str | None, user_id: int, subject_id: int, request: GenerateRequest
) -> dict[str, Any]:
    from workers.generation.cheatsheet import build_cheatsheet

    env.progress(0.05, "reading notes")
    subject, lectures = _candidates(
        env, user_id=user_id, subject_id=subject_id, lecture_ids=request.lecture_ids
    )
    word = t(lectures[0].lang, "cheat_sheet").capitalize()
    title = request.title or (
        f"{word} — {subject}: {lectures[0].lecture.title}" if len(lectures) == 1 else f"{word} — {subject}"
    )
    phraser = _phraser(env)
    with _workdir() as tmp:
        out = tmp / f"{slug(title)}.docx"
        params = build_cheatsheet(
            lectures,
            phraser,
            files=env.files,
            pages=request.pages,
            title=title,
            out_path=out,
            progress=env.progress,
            office_options=OfficeOptions.from_settings(env.settings),
        )
        params.update(_llm_params(env, phraser), lecture_ids=[lc.lecture.id for lc in lectures])
        env.progress(0.97, "saving")
        return _store(
            env,
            job_id=job_id,
            user_id=user_id,
            subject_id=subject_id,
            kind="cheatsheet",
            title=title,
            out=out,
            media_type=DOCX,
            params=params,
        )


def generate_quiz(
    env: GenerationEnv, *, job_id: str | None, user_id: int, subject_id: int, request: GenerateRequest
) -> dict[str, Any]:
    from workers.generation.quiz import build_quiz, render_quiz_pdf

    env.progress(0.05, "reading notes")
    subject, lectures = _candidates(
        env, user_id=user_id, subject_id=subject_id, lecture_ids=request.lecture_ids
    )
    title = request.title or f"{t(lectures[0].lang, 'quiz').capitalize()} — {subject}"
    count = request.questions or default_count(lectures, QUESTIONS)
    phraser = _phraser(env)
    seed = zlib.crc32((job_id or title).encode())
    quiz = build_quiz(
        lectures,
        phraser,
        questions=count,
        difficulty=request.difficulty,
        title=title,
        seed=seed,
        progress=lambda n, total: env.progress(0.1 + 0.75 * n / max(total, 1), f"question {n} of {total}"),
        named=request.questions is not None,
    )
    with _workdir() as tmp:
        out = tmp / f"{slug(title)}.pdf"
        env.progress(0.9, "writing the PDF")
        fonts = render_quiz_pdf(quiz, out)
        params: dict[str, Any] = {
            "quiz": quiz.model_dump(mode="json"),
            "questions_requested": count,
            "questions": len(quiz.questions),
            "difficulty": request.difficulty,
            "fonts": fonts,
            "lecture_ids": [lc.lecture.id for lc in lectures],
            **_llm_params(env, phraser),
        }
        stored = _store(
            env,
            job_id=job_id,
            user_id=user_id,
            subject_id=subject_id,
            kind="quiz",
            title=title,
            out=out,
            media_type=PDF,
            params=params,
        )
    # fewer questions than requested when the notes offer too little
    return {**stored, "questions": len(quiz.questions), "questions_requested": count}


def generate_flashcards(
    env: GenerationEnv, *, job_id: str | None, user_id: int, subject_id: int, request: GenerateRequest
) -> dict[str, Any]:
    from workers.generation.flashcards import store_cards

    env.progress(0.05, "reading notes")
    _, lectures = _candidates(env, user_id=user_id, subject_id=subject_id, lecture_ids=request.lecture_ids)
    phraser = _phraser(env)
    with env.session_factory() as db:
        result = store_cards(
            db,
            user_id=user_id,
            subject_id=subject_id,
            lectures=lectures,
            phraser=phraser,
            count=request.cards or default_count(lectures, CARDS),
            progress=lambda n, total: env.progress(0.1 + 0.85 * n / max(total, 1), f"card {n} of {total}"),
            embed=_embedder(env),
            files=env.files,  # a card shows only a picture a student can see
        )
        db.commit()
    return {**result, "kind": "flashcards", "llm": phraser.name, "llm_stats": phraser.stats.as_dict()}


def _embedder(env: GenerationEnv) -> Callable[[list[str]], list[list[float]]] | None:
    """The configured embedder (for near-duplicate cards), or None when it cannot be built here."""
    try:
        from shared.embeddings import make_embedder

        return make_embedder(env.settings).embed
    except Exception as exc:  # no model on this machine: duplicates are then found by word overlap
        log.warning("no embedder for flashcard dedupe: %s", exc)
        return None


def generate_past_paper_answers(
    env: GenerationEnv, *, job_id: str | None, user_id: int, subject_id: int, params: dict[str, Any]
) -> dict[str, Any]:
    from workers.generation.pastpaper import (
        answer_questions,
        read_exam_text,
        render_answers_docx,
        split_questions,
    )
    from workers.generation.retrieval import SlideIndex

    env.progress(0.05, "reading notes")
    with env.session_factory() as db:
        subject = db.get(Subject, subject_id)
        languages = subject.ocr_languages if subject else "eng"
        material = load_material(db, user_id=user_id, subject_id=subject_id)
    path = env.files.path(params["upload_key"])
    if not path.is_file():
        raise AppError("FILE_MISSING", "The uploaded past paper is no longer stored.", status_code=410)
    env.progress(0.1, "reading the past paper")
    text, read_by = read_exam_text(
        path, params.get("file_type", "pdf"), settings=env.settings, languages=languages, engine=env.ocr
    )
    questions = split_questions(text)
    if not questions:
        raise AppError(
            "NO_QUESTIONS_FOUND",
            "No questions were found in the past paper (number them, or end them with '?').",
            status_code=422,
        )
    index = SlideIndex(material)
    phraser = _phraser(env)
    answers = answer_questions(
        questions,
        index,
        phraser,
        progress=lambda n, total: env.progress(0.2 + 0.7 * n / max(total, 1), f"question {n} of {total}"),
    )
    exam = params.get("filename") or "the past paper"
    title = params.get("title") or f"Answers: {Path(exam).stem}"
    with _workdir() as tmp:
        out = tmp / f"{slug(title)}.docx"
        render_answers_docx(out, title=title, exam_name=exam, answers=answers)
        doc_params = {
            "exam": exam,
            "read_by": read_by,
            "questions": len(answers),
            "answers": [
                {
                    "number": a.question.number,
                    "question": a.question.text,
                    "answer": a.answer,
                    "covered": a.covered,
                    "phrased_by": a.phrased_by,
                    "sources": [s.model_dump() for s in a.sources],
                }
                for a in answers
            ],
            **_llm_params(env, phraser),
        }
        stored = _store(
            env,
            job_id=job_id,
            user_id=user_id,
            subject_id=subject_id,
            kind="past_paper",
            title=title,
            out=out,
            media_type=DOCX,
            params=doc_params,
        )
    env.files.delete_prefix(params["upload_key"])  # the upload is no longer needed
    return {**stored, "questions": len(answers)}


def run(
    env: GenerationEnv, *, job_id: str | None, user_id: int, subject_id: int, params: dict[str, Any]
) -> dict[str, Any]:
    """Dispatch on params['kind']; returns the job result."""
    started = time.monotonic()
    kind = params.get("kind")
    if kind == "past_paper":
        result = generate_past_paper_answers(
            env, job_id=job_id, user_id=user_id, subject_id=subject_id, params=params
        )
    else:
        request = GenerateRequest.model_validate(params)
        handler = {
            "cheatsheet": generate_cheatsheet,
            "quiz": generate_quiz,
            "flashcards": generate_flashcards,
        }[request.kind]
        result = handler(env, job_id=job_id, user_id=user_id, subject_id=subject_id, request=request)
    result["seconds"] = round(time.monotonic() - started, 2)
    return result
