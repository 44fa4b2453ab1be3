from __future__ import annotations

from fastapi import APIRouter, status

from gateway.deps import AppContainer, CurrentUser, DbSession, PathId
from gateway.services import subjects as service
from shared.schemas import SubjectCreate, SubjectRead, SubjectUpdate

router = APIRouter(prefix="/subjects", tags=["subjects"])


@router.get("")
def list_subjects(user: CurrentUser, db: DbSession) -> list[SubjectRead]:
    return service.list_subjects(db=db, user_id=user.id)


@router.post("", status_code=status.HTTP_201_CREATED)
def create_subject(data: SubjectCreate, user: CurrentUser, db: DbSession) -> SubjectRead:
    subject = service.create_subject(db=db, user_id=user.id, data=data)
    return service.read_subject(db=db, subject=subject)


@router.get("/{subject_id}")
def get_subject(subject_id: PathId, user: CurrentUser, db: DbSession) -> SubjectRead:
    subject = service.get_subject(db=db, user_id=user.id, subject_id=subject_id)
    return service.read_subject(db=db, subject=subject)


@router.patch("/{subject_id}")
def update_subject(subject_id: PathId, data: SubjectUpdate, user: CurrentUser, db: DbSession) -> SubjectRead:
    subject = service.update_subject(db=db, user_id=user.id, subject_id=subject_id, data=data)
    return service.read_subject(db=db, subject=subject)


@router.delete("/{subject_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_subject(subject_id: PathId, user: CurrentUser, db: DbSession, container: AppContainer) -> None:
    service.delete_subject(
        db=db,
        files=container.files,
        celery=container.celery,
        redis=container.redis,
        user_id=user.id,
        subject_id=subject_id,
        ingest_limit=container.settings.max_active_ingest_per_user,
    )
