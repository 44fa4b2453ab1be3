"""Study material: generation requests (queued), past papers, and quizzes taken in the app."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile, status

from gateway.deps import AppContainer, CurrentUser, DbSession, PathId
from gateway.services import generation as service
from shared.schemas import (
    GenerateRequest,
    GenerationAccepted,
    JobRead,
    QuizAttemptCreate,
    QuizAttemptRead,
    QuizRead,
)

router = APIRouter(tags=["study material"])


@router.post("/subjects/{subject_id}/generate", status_code=status.HTTP_202_ACCEPTED)
def generate(
    subject_id: PathId, data: GenerateRequest, user: CurrentUser, db: DbSession, container: AppContainer
) -> GenerationAccepted:
    """Queue a cheat sheet, a quiz or flashcards; follow the job (its result names the document)."""
    job = service.request_generation(
        db=db, celery=container.celery, user_id=user.id, subject_id=subject_id, data=data
    )
    return GenerationAccepted(job=JobRead.model_validate(job))


@router.post("/subjects/{subject_id}/past-papers", status_code=status.HTTP_202_ACCEPTED)
def past_paper(
    subject_id: PathId,
    user: CurrentUser,
    db: DbSession,
    container: AppContainer,
    file: Annotated[UploadFile, File(description="the exam: PDF or PNG/JPEG/TIFF")],
    title: Annotated[str | None, Form(max_length=300)] = None,
) -> GenerationAccepted:
    """Upload a past exam; each question is answered from the notes, with the slides cited, as a .docx."""
    container.rate_limit(container.settings.rate_limit_upload, "upload", str(user.id))
    job = service.request_past_paper(
        db=db,
        settings=container.settings,
        files=container.files,
        celery=container.celery,
        user_id=user.id,
        subject_id=subject_id,
        upload=file.file,
        filename=file.filename or "past-paper",
        title=title,
    )
    return GenerationAccepted(job=JobRead.model_validate(job))


@router.get("/documents/{document_id}/quiz")
def get_quiz(document_id: PathId, user: CurrentUser, db: DbSession) -> QuizRead:
    """The quiz's questions without their answers, to take it in the app."""
    doc, quiz = service.get_quiz(db=db, user_id=user.id, document_id=document_id)
    return service.public_quiz(doc, quiz)


@router.post("/documents/{document_id}/quiz/attempts", status_code=status.HTTP_201_CREATED)
def attempt_quiz(
    document_id: PathId, data: QuizAttemptCreate, user: CurrentUser, db: DbSession
) -> QuizAttemptRead:
    """Score an attempt: per question right or wrong, the answer, why, and the slide to look at."""
    return service.score_attempt(db=db, user_id=user.id, document_id=document_id, data=data)
