"""Study-material requests (queued on the generation worker) and quizzes taken in the app."""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import timedelta
from difflib import SequenceMatcher
from pathlib import Path
from typing import BinaryIO

from celery import Celery
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.services.documents import get_document
from gateway.services.lectures import get_lecture, spool_upload
from gateway.services.subjects import get_subject
from shared import storage
from shared.celery_app import QUEUE_GENERATION, TASK_GENERATE_DOCUMENT
from shared.errors import AppError
from shared.files import ArchiveLimits, FileStore, inspect, sniff
from shared.jobs import create_job, enqueue_job
from shared.models import GeneratedDocument, Job, Lecture, LectureStatus, StudySession, new_uuid, utcnow
from shared.schemas import (
    GenerateRequest,
    QuizAttemptCreate,
    QuizAttemptRead,
    QuizData,
    QuizQuestion,
    QuizQuestionPublic,
    QuizRead,
    QuizResultItem,
)
from shared.settings import Settings

log = logging.getLogger(__name__)
API_PREFIX = "/api/v1"


def processed_lecture_ids(
    *, db: Session, user_id: int, subject_id: int, lecture_ids: list[int] | None = None
) -> list[int]:
    """The processed lectures a request may use; NO_PROCESSED_LECTURES when there are none."""
    get_subject(db=db, user_id=user_id, subject_id=subject_id)
    if lecture_ids:
        for lecture_id in lecture_ids:
            lecture = get_lecture(db=db, user_id=user_id, lecture_id=lecture_id)
            if lecture.subject_id != subject_id:
                raise AppError(
                    "LECTURE_NOT_IN_SUBJECT",
                    f"Lecture {lecture_id} belongs to another subject.",
                    status_code=422,
                    details={"lecture_id": lecture_id},
                )
    query = select(Lecture.id).where(
        Lecture.user_id == user_id, Lecture.subject_id == subject_id, Lecture.status == LectureStatus.DONE
    )
    if lecture_ids:
        query = query.where(Lecture.id.in_(lecture_ids))
    ids = list(db.scalars(query))
    if not ids:
        raise AppError(
            "NO_PROCESSED_LECTURES",
            "This subject has no processed lecture yet"
            + (" among the ones chosen" if lecture_ids else "")
            + ": upload slides and wait until they are processed.",
            status_code=409,
        )
    return ids


def enqueue_generation(db: Session, celery: Celery, job: Job, task: str = TASK_GENERATE_DOCUMENT) -> Job:
    """Commit the job and send its task to the generation queue; QUEUE_UNAVAILABLE (503, the job removed)
    when the broker is unreachable."""
    db.commit()
    try:
        task_id = enqueue_job(celery, task, job.id)
    except Exception as exc:
        log.exception("enqueue failed", extra={"job_id": job.id})
        db.delete(job)
        db.commit()
        raise AppError(
            "QUEUE_UNAVAILABLE", "The generation queue is unreachable; try again shortly.", status_code=503
        ) from exc
    job.celery_task_id = task_id
    db.commit()
    return job


def request_generation(
    *, db: Session, celery: Celery, user_id: int, subject_id: int, data: GenerateRequest
) -> Job:
    """Check the subject has material, create the job and queue it."""
    processed_lecture_ids(db=db, user_id=user_id, subject_id=subject_id, lecture_ids=data.lecture_ids)
    job = create_job(
        db=db,
        user_id=user_id,
        kind=data.kind,
        queue=QUEUE_GENERATION,
        subject_id=subject_id,
        params=data.model_dump(mode="json"),
    )
    return enqueue_generation(db, celery, job)


def request_past_paper(
    *,
    db: Session,
    settings: Settings,
    files: FileStore,
    celery: Celery,
    user_id: int,
    subject_id: int,
    upload: BinaryIO,
    filename: str,
    title: str | None = None,
) -> Job:
    """Store an exam (PDF or image) and queue answering it from the subject's notes."""
    processed_lecture_ids(db=db, user_id=user_id, subject_id=subject_id)
    tmp, _size, _sha = spool_upload(
        upload, limit=settings.max_upload_bytes, tmp_dir=storage.tmp_dir(settings.data_dir)
    )
    try:
        kind = sniff(tmp, max_entries=settings.archive_max_entries)
        if kind.file_type not in ("pdf", "image"):
            raise AppError(
                "UNSUPPORTED_FORMAT",
                "Upload the past paper as a PDF or a PNG/JPEG/TIFF image.",
                status_code=415,
            )
        inspect(tmp, kind, max_pages=settings.max_pages, limits=ArchiveLimits.from_settings(settings))
        key = storage.past_paper_key(user_id, f"{new_uuid()}{kind.extension}")
        with tmp.open("rb") as fh:
            files.save(key, fh)
    finally:
        tmp.unlink(missing_ok=True)
    safe_name = Path(filename or "past-paper").name[:200] or "past-paper"
    job = create_job(
        db=db,
        user_id=user_id,
        kind="past_paper",
        queue=QUEUE_GENERATION,
        subject_id=subject_id,
        params={
            "kind": "past_paper",
            "upload_key": key,
            "filename": safe_name,
            "file_type": kind.file_type,
            "title": title,
        },
    )
    try:
        return enqueue_generation(db, celery, job)
    except AppError:
        files.delete_prefix(key)
        raise


# --- quizzes in the app -------------------------------------------------------------------------------
def get_quiz(*, db: Session, user_id: int, document_id: int) -> tuple[GeneratedDocument, QuizData]:
    doc = get_document(db=db, user_id=user_id, document_id=document_id)
    if doc.kind != "quiz" or "quiz" not in (doc.params or {}):
        raise AppError("NOT_A_QUIZ", "That document is not a quiz.", status_code=409)
    return doc, QuizData.model_validate(doc.params["quiz"])


def public_quiz(doc: GeneratedDocument, quiz: QuizData) -> QuizRead:
    return QuizRead(
        document_id=doc.id,
        title=quiz.title,
        difficulty=quiz.difficulty,
        questions=[
            QuizQuestionPublic(number=q.number, kind=q.kind, prompt=q.prompt, options=q.options)
            for q in quiz.questions
        ],
        note=quiz.note,
    )


_ARTICLES = re.compile(r"^(a|an|the|el|la|los|las|un|una|le|les|der|die|das)\s+")
TRUE_WORDS = {"true", "t", "yes", "y", "1", "verdadero", "v", "vrai", "wahr", "正确", "对", "是"}
FALSE_WORDS = {"false", "f", "no", "n", "0", "falso", "faux", "falsch", "错误", "错", "否"}


def normalize_answer(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(ch if ch.isalnum() or ch.isspace() else " " for ch in text)
    text = " ".join(text.split())
    return _ARTICLES.sub("", text)


def is_correct(q: QuizQuestion, given: str | None) -> bool:
    if given is None or not given.strip():
        return False
    g = given.strip()
    if q.kind == "multiple_choice":
        if len(g) == 1 and g.isalpha():
            return g.upper() == q.answer
        return normalize_answer(g) == normalize_answer(q.answer_text)
    if q.kind == "true_false":
        word = normalize_answer(g)
        value = True if word in TRUE_WORDS else False if word in FALSE_WORDS else None
        return value is not None and value == (q.answer == "true")
    given_norm = normalize_answer(g)
    for target in [q.answer, *q.accepted]:
        t = normalize_answer(target)
        if not t:
            continue
        if given_norm == t:
            return True
        if len(t) >= 5 and SequenceMatcher(None, given_norm, t).ratio() >= 0.85:  # a typo
            return True
    return False


def slide_url(q: QuizQuestion) -> str:
    return f"{API_PREFIX}/lectures/{q.source.lecture_id}/pages/{q.source.page}/thumbnail"


def score_attempt(*, db: Session, user_id: int, document_id: int, data: QuizAttemptCreate) -> QuizAttemptRead:
    """Mark every question, keep the attempt as a study session, and point wrong answers to their slide."""
    doc, quiz = get_quiz(db=db, user_id=user_id, document_id=document_id)
    numbers = {q.number for q in quiz.questions}
    unknown = sorted(set(data.answers) - numbers)
    if unknown:
        raise AppError(
            "UNKNOWN_QUESTION",
            f"The quiz has no question {unknown[0]}.",
            status_code=422,
            details={"unknown": unknown},
        )
    results = []
    for q in quiz.questions:
        given = data.answers.get(q.number)
        answer = f"{q.answer}. {q.answer_text}" if q.kind == "multiple_choice" else q.answer_text
        results.append(
            QuizResultItem(
                number=q.number,
                correct=is_correct(q, given),
                given=given,
                answer=answer,
                explanation=q.explanation,
                source=q.source,
                slide_url=slide_url(q),
            )
        )
    correct = sum(r.correct for r in results)
    total = len(results)
    now = utcnow()
    started = now - timedelta(milliseconds=data.duration_ms or 0)
    session = StudySession(
        user_id=user_id,
        subject_id=doc.subject_id,
        kind="quiz",
        started_at=started,
        ended_at=now,
        quiz_score=correct / total if total else 0.0,
        details={
            "document_id": doc.id,
            "correct": correct,
            "total": total,
            "answers": {str(k): v for k, v in data.answers.items()},
            "wrong": [r.number for r in results if not r.correct],
        },
    )
    db.add(session)
    db.flush()
    return QuizAttemptRead(
        session_id=session.id,
        score=session.quiz_score or 0.0,
        correct=correct,
        total=total,
        results=results,
    )
