from __future__ import annotations

from fastapi import APIRouter

from gateway.deps import AppContainer, CurrentUser, DbSession, JobId
from gateway.services import jobs as service
from shared.ingest_queue import INGEST
from shared.jobs import announce
from shared.schemas import JobRead

router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.get("")
def list_jobs(user: CurrentUser, db: DbSession, active: bool = False) -> list[JobRead]:
    return [JobRead.model_validate(j) for j in service.list_jobs(db=db, user_id=user.id, active_only=active)]


@router.get("/{job_id}")
def get_job(job_id: JobId, user: CurrentUser, db: DbSession) -> JobRead:
    return JobRead.model_validate(service.get_job(db=db, user_id=user.id, job_id=job_id))


@router.delete("/{job_id}")
def cancel_job(job_id: JobId, user: CurrentUser, db: DbSession, container: AppContainer) -> JobRead:
    """Cancel a queued or running job; it ends `cancelled`."""
    job = service.get_job(db=db, user_id=user.id, job_id=job_id)
    job = service.cancel_job(db=db, celery=container.celery, job=job)
    db.commit()
    announce(container.redis, job)
    if job.kind == INGEST:  # its slot is free: the user's next waiting upload takes it
        service.release_waiting(
            db=db,
            celery=container.celery,
            redis=container.redis,
            user_id=user.id,
            limit=container.settings.max_active_ingest_per_user,
        )
    return JobRead.model_validate(job)
