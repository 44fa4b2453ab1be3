"""Studying toward an exam: the review plan and readiness, personal FSRS parameters, mind maps."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, status
from fastapi.responses import FileResponse

from gateway.deps import AppContainer, CurrentUser, DbSession, PathId, QueryId
from gateway.services import study_tools
from gateway.services.flashcards import scheduler
from gateway.services.study_plan import plan_for, study_plan
from gateway.services.subjects import get_subject
from shared.errors import AppError
from shared.models import utcnow
from shared.schemas import (
    FsrsProfileRead,
    GenerationAccepted,
    JobRead,
    MindMapRead,
    MindMapRequest,
    StudyPlanRead,
)

router = APIRouter(tags=["study plan"])


@router.get("/subjects/{subject_id}/study-plan")
def get_study_plan(
    subject_id: PathId, user: CurrentUser, db: DbSession, container: AppContainer
) -> StudyPlanRead:
    """Readiness per lecture (expected recall at the exam, today without an exam date), the desired
    retention FSRS schedules for today, and the reviews planned for the last days before the exam."""
    subject = get_subject(db=db, user_id=user.id, subject_id=subject_id)
    now = utcnow()
    sched = scheduler(container.settings, plan_for(db=db, user_id=user.id, subject_id=subject.id), now)
    return study_plan(db=db, scheduler=sched, subject=subject, now=now)


@router.get("/fsrs")
def get_fsrs_profile(user: CurrentUser, db: DbSession) -> FsrsProfileRead:
    """Your FSRS parameters (personal once optimized), their log loss before and after, the last run."""
    return study_tools.fsrs_profile(db=db, user_id=user.id)


@router.post("/fsrs/optimize", status_code=status.HTTP_202_ACCEPTED)
def optimize_fsrs(user: CurrentUser, db: DbSession, container: AppContainer) -> FsrsProfileRead:
    """Fit your FSRS parameters to your own reviews (a job on the generation queue; 409 NOT_ENOUGH_REVIEWS
    below 400 reviews). Also run weekly for everyone with enough reviews."""
    return study_tools.request_optimization(db=db, celery=container.celery, user_id=user.id)


@router.post("/subjects/{subject_id}/mindmap", status_code=status.HTTP_202_ACCEPTED)
def build_mindmap(
    subject_id: PathId, data: MindMapRequest, user: CurrentUser, db: DbSession, container: AppContainer
) -> GenerationAccepted:
    """Queue the mind map of a lecture (`lecture_id`) or the whole subject; the job's result names it."""
    job = study_tools.request_mindmap(
        db=db, celery=container.celery, user_id=user.id, subject_id=subject_id, lecture_id=data.lecture_id
    )
    return GenerationAccepted(job=JobRead.model_validate(job))


@router.get("/subjects/{subject_id}/mindmap")
def latest_mindmap(
    subject_id: PathId, user: CurrentUser, db: DbSession, lecture_id: QueryId = None
) -> MindMapRead:
    """The newest mind map of the subject or of one lecture: nodes (with lecture and slide) and edges."""
    get_subject(db=db, user_id=user.id, subject_id=subject_id)
    return study_tools.latest_mindmap(db=db, user_id=user.id, subject_id=subject_id, lecture_id=lecture_id)


@router.get("/documents/{document_id}/mindmap")
def get_mindmap(document_id: PathId, user: CurrentUser, db: DbSession) -> MindMapRead:
    return study_tools.get_mindmap(db=db, user_id=user.id, document_id=document_id)[1]


@router.get("/documents/{document_id}/mindmap.{fmt}")
def download_mindmap(
    document_id: PathId, fmt: Literal["svg", "png"], user: CurrentUser, db: DbSession, container: AppContainer
) -> FileResponse:
    """The drawn map: SVG (each node links to its slide in the app) or PNG."""
    doc, _graph = study_tools.get_mindmap(db=db, user_id=user.id, document_id=document_id)
    key = doc.storage_path if fmt == "svg" else str((doc.params or {}).get("png_key", ""))
    path = container.files.path(key) if key else None
    if path is None or not path.is_file():
        raise AppError("FILE_MISSING", "The mind map file is no longer stored.", status_code=410)
    media = "image/svg+xml" if fmt == "svg" else "image/png"
    return FileResponse(path, media_type=media, filename=f"mindmap-{doc.id}.{fmt}")
