"""`Annotated` dependency aliases used by the routes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from gateway.container import Container
from gateway.services import auth as auth_service
from shared.errors import AppError
from shared.models import User
from shared.schemas import MAX_ID

_bearer = HTTPBearer(auto_error=False)


def get_container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


def get_db(container: Annotated[Container, Depends(get_container)]) -> Iterator[Session]:
    db = container.session_factory()
    try:
        yield db
        db.commit()
    except BaseException:
        db.rollback()
        raise
    finally:
        db.close()


AppContainer = Annotated[Container, Depends(get_container)]
# "function": commit before the response is sent, so the client's next request sees the change.
DbSession = Annotated[Session, Depends(get_db, scope="function")]


def get_current_user(
    container: AppContainer,
    db: DbSession,
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    if creds is None or not creds.credentials:
        raise AppError(
            "NOT_AUTHENTICATED", "Sign in first: send 'Authorization: Bearer <token>'.", status_code=401
        )
    return auth_service.user_from_access_token(db=db, settings=container.settings, token=creds.credentials)


CurrentUser = Annotated[User, Depends(get_current_user)]


# Database ids in paths and queries: 1 .. 2^63-1 (a larger number is a 422, never an OverflowError in the
# database driver); page numbers from 1 up to what a lecture can have.
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
PageNumber = Annotated[int, Path(ge=1, le=100_000)]
JobId = Annotated[str, Path(max_length=64)]
