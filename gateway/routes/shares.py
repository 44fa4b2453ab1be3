"""Share links: created and revoked by their owner; opened by anyone with the token, without an account."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, status
from fastapi.responses import FileResponse, JSONResponse

from gateway.deps import AppContainer, CurrentUser, DbSession, PathId
from gateway.routes.flashcards import deck_response
from gateway.services import shares as service
from shared.errors import AppError
from shared.schemas import ShareCreate, ShareRead

router = APIRouter(tags=["shares"])


@router.post("/shares", status_code=status.HTTP_201_CREATED)
def create_share(data: ShareCreate, user: CurrentUser, db: DbSession, container: AppContainer) -> ShareRead:
    """A read-only link to one generated document, or to a subject's flashcard deck."""
    return service.to_read(container.settings, service.create_share(db=db, user_id=user.id, data=data))


@router.get("/shares")
def list_shares(user: CurrentUser, db: DbSession, container: AppContainer) -> list[ShareRead]:
    return [service.to_read(container.settings, s) for s in service.list_shares(db=db, user_id=user.id)]


@router.delete("/shares/{share_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_share(share_id: PathId, user: CurrentUser, db: DbSession) -> None:
    """Revoke the link: it answers 410 SHARE_REVOKED from now on."""
    service.revoke_share(db=db, user_id=user.id, share_id=share_id)


@router.get("/shared/{token}", response_model=None)
def open_share(
    token: Annotated[str, Path(max_length=200)],
    db: DbSession,
    container: AppContainer,
    format: Literal["json", "apkg"] = "json",
) -> FileResponse | JSONResponse:
    """No account needed. A document link returns the file; a deck link the deck (JSON, or `format=apkg`)."""
    link = service.resolve(db=db, token=token)
    if link.kind == "document":
        doc = service.shared_document(db=db, link=link)
        path = container.files.path(doc.storage_path)
        if not path.is_file():
            raise AppError("FILE_MISSING", "The shared file is no longer stored.", status_code=410)
        return FileResponse(path, media_type=doc.media_type, filename=doc.filename)
    subject = service.shared_subject(db=db, link=link)
    return deck_response(db=db, container=container, subject=subject, fmt=format, personal=False)
