from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile, status
from fastapi.responses import FileResponse

from gateway.deps import AppContainer, CurrentUser, DbSession, PageNumber, PathId, QueryId
from gateway.services import lectures as service
from gateway.services.jobs import release_waiting
from gateway.services.subjects import get_subject
from gateway.webhooks import check_webhook_url
from shared.errors import AppError
from shared.models import Lecture
from shared.schemas import (
    FigureRead,
    JobRead,
    LectureRead,
    LectureUpdate,
    PageRead,
    UploadAccepted,
)

router = APIRouter(tags=["lectures"])


@router.post("/subjects/{subject_id}/lectures", status_code=status.HTTP_202_ACCEPTED)
def upload_lecture(
    subject_id: PathId,
    user: CurrentUser,
    db: DbSession,
    container: AppContainer,
    file: Annotated[UploadFile, File(description="PDF, PPTX, or PNG/JPEG/TIFF")],
    title: Annotated[str | None, Form(max_length=300)] = None,
    webhook_url: Annotated[str | None, Form(max_length=2000)] = None,
) -> UploadAccepted:
    """Store the file and queue its processing; answers at once with the job to follow.

    `webhook_url`: http(s) on a public address (422 INVALID_WEBHOOK_URL otherwise); POSTed, signed, when
    the job ends."""
    get_subject(db=db, user_id=user.id, subject_id=subject_id)
    checked_webhook = check_webhook_url(webhook_url, container.settings)
    container.rate_limit(container.settings.rate_limit_upload, "upload", str(user.id))
    lecture, job = service.create_lecture(
        db=db,
        settings=container.settings,
        files=container.files,
        celery=container.celery,
        user_id=user.id,
        subject_id=subject_id,
        upload=file.file,
        filename=file.filename or "upload",
        title=title,
        webhook_url=checked_webhook,
        redis=container.redis,
    )
    return UploadAccepted(lecture=LectureRead.model_validate(lecture), job=JobRead.model_validate(job))


@router.get("/subjects/{subject_id}/lectures")
def list_subject_lectures(subject_id: PathId, user: CurrentUser, db: DbSession) -> list[LectureRead]:
    lectures = service.list_lectures(db=db, user_id=user.id, subject_id=subject_id)
    return [LectureRead.model_validate(lec) for lec in lectures]


@router.get("/lectures")
def list_lectures(user: CurrentUser, db: DbSession, subject_id: QueryId = None) -> list[LectureRead]:
    lectures = service.list_lectures(db=db, user_id=user.id, subject_id=subject_id)
    return [LectureRead.model_validate(lec) for lec in lectures]


@router.get("/lectures/{lecture_id}")
def get_lecture(lecture_id: PathId, user: CurrentUser, db: DbSession) -> LectureRead:
    return LectureRead.model_validate(service.get_lecture(db=db, user_id=user.id, lecture_id=lecture_id))


@router.patch("/lectures/{lecture_id}")
def update_lecture(lecture_id: PathId, data: LectureUpdate, user: CurrentUser, db: DbSession) -> LectureRead:
    lecture: Lecture = service.get_lecture(db=db, user_id=user.id, lecture_id=lecture_id)
    if data.subject_id is not None:
        get_subject(db=db, user_id=user.id, subject_id=data.subject_id)
        lecture.subject_id = data.subject_id
    if data.title is not None:
        lecture.title = data.title.strip()[:300] or lecture.title
        lecture.title_source = "user"  # reading the slides again keeps it
    db.flush()
    return LectureRead.model_validate(lecture)


@router.delete("/lectures/{lecture_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_lecture(lecture_id: PathId, user: CurrentUser, db: DbSession, container: AppContainer) -> None:
    service.delete_lecture(
        db=db, files=container.files, celery=container.celery, user_id=user.id, lecture_id=lecture_id
    )
    db.commit()
    release_waiting(  # a slot the lecture's upload held is free: the user's next upload takes it
        db=db,
        celery=container.celery,
        redis=container.redis,
        user_id=user.id,
        limit=container.settings.max_active_ingest_per_user,
    )


@router.post("/lectures/{lecture_id}/reprocess", status_code=status.HTTP_202_ACCEPTED)
def reprocess_lecture(
    lecture_id: PathId, user: CurrentUser, db: DbSession, container: AppContainer
) -> UploadAccepted:
    """Read the lecture again from its stored file (e.g. after changing the subject's OCR languages)."""
    job = service.reprocess_lecture(
        db=db,
        files=container.files,
        celery=container.celery,
        user_id=user.id,
        lecture_id=lecture_id,
        limit=container.settings.max_active_ingest_per_user,
        redis=container.redis,
    )
    lecture = service.get_lecture(db=db, user_id=user.id, lecture_id=lecture_id)
    return UploadAccepted(lecture=LectureRead.model_validate(lecture), job=JobRead.model_validate(job))


@router.get("/lectures/{lecture_id}/pages")
def list_pages(lecture_id: PathId, user: CurrentUser, db: DbSession) -> list[PageRead]:
    lecture = service.get_lecture(db=db, user_id=user.id, lecture_id=lecture_id)
    return [PageRead.from_page(p) for p in service.list_pages(db=db, lecture=lecture)]


@router.get("/lectures/{lecture_id}/figures")
def list_figures(lecture_id: PathId, user: CurrentUser, db: DbSession) -> list[FigureRead]:
    lecture = service.get_lecture(db=db, user_id=user.id, lecture_id=lecture_id)
    return [FigureRead.model_validate(f) for f in service.list_figures(db=db, lecture=lecture)]


@router.get("/lectures/{lecture_id}/pages/{number}/thumbnail")
def page_thumbnail(
    lecture_id: PathId, number: PageNumber, user: CurrentUser, db: DbSession, container: AppContainer
) -> FileResponse:
    """A JPEG of the slide (about 480 px wide)."""
    lecture = service.get_lecture(db=db, user_id=user.id, lecture_id=lecture_id)
    page = service.get_page(db=db, lecture=lecture, number=number)
    return _stored_file(container, page.thumbnail_path, "image/jpeg", f"{lecture.id}-{number}.jpg")


@router.get("/figures/{figure_id}/image")
def figure_image(
    figure_id: PathId, user: CurrentUser, db: DbSession, container: AppContainer
) -> FileResponse:
    """The cropped figure, as PNG (or the picture's own format for PPTX pictures Pillow cannot open)."""
    figure = service.get_figure(db=db, user_id=user.id, figure_id=figure_id)
    media = "image/png" if figure.image_path.endswith(".png") else "application/octet-stream"
    return _stored_file(container, figure.image_path, media, figure.image_path.rsplit("/", 1)[-1])


def _stored_file(container: AppContainer, key: str | None, media_type: str, filename: str) -> FileResponse:
    path = container.files.path(key) if key else None
    if path is None or not path.is_file():
        raise AppError("FILE_MISSING", "That image is not stored (yet).", status_code=404)
    return FileResponse(path, media_type=media_type, filename=filename)


@router.get("/lectures/{lecture_id}/file")
def download_original(
    lecture_id: PathId, user: CurrentUser, db: DbSession, container: AppContainer
) -> FileResponse:
    lecture = service.get_lecture(db=db, user_id=user.id, lecture_id=lecture_id)
    path = container.files.path(lecture.storage_path)
    if not path.exists():
        raise AppError("FILE_MISSING", "The original file is no longer stored.", status_code=410)
    return FileResponse(path, media_type=lecture.media_type, filename=lecture.filename)
