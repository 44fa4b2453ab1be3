from __future__ import annotations

from fastapi import APIRouter, status
from fastapi.responses import FileResponse

from gateway.deps import AppContainer, CurrentUser, DbSession, PathId, QueryId
from gateway.services import documents as service
from shared.errors import AppError
from shared.schemas import DocumentRead

router = APIRouter(prefix="/documents", tags=["documents"])


@router.get("")
def list_documents(user: CurrentUser, db: DbSession, subject_id: QueryId = None) -> list[DocumentRead]:
    docs = service.list_documents(db=db, user_id=user.id, subject_id=subject_id)
    return [DocumentRead.model_validate(d) for d in docs]


@router.get("/{document_id}")
def get_document(document_id: PathId, user: CurrentUser, db: DbSession) -> DocumentRead:
    return DocumentRead.model_validate(service.get_document(db=db, user_id=user.id, document_id=document_id))


@router.get("/{document_id}/download")
def download_document(
    document_id: PathId, user: CurrentUser, db: DbSession, container: AppContainer
) -> FileResponse:
    doc = service.get_document(db=db, user_id=user.id, document_id=document_id)
    path = container.files.path(doc.storage_path)
    if not path.is_file():
        raise AppError("FILE_MISSING", "The document file is no longer stored.", status_code=410)
    return FileResponse(path, media_type=doc.media_type, filename=doc.filename)


@router.delete("/{document_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_document(document_id: PathId, user: CurrentUser, db: DbSession, container: AppContainer) -> None:
    service.delete_document(db=db, files=container.files, user_id=user.id, document_id=document_id)
