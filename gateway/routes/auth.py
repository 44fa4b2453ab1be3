from __future__ import annotations

from fastapi import APIRouter, Request, status

from gateway.deps import AppContainer, CurrentUser, DbSession
from gateway.services import auth as service
from shared.errors import AppError
from shared.schemas import LoginRequest, RefreshRequest, TokenPair, UserCreate, UserRead

router = APIRouter(prefix="/auth", tags=["auth"])


def _client_ip(request: Request) -> str:
    """The peer's address; X-Forwarded-For counts only from trusted proxies (gateway/proxies.py)."""
    return request.client.host if request.client else "unknown"


@router.post("/register", status_code=status.HTTP_201_CREATED)
def register(data: UserCreate, db: DbSession, container: AppContainer, request: Request) -> UserRead:
    container.rate_limit(container.settings.rate_limit_login, "register", _client_ip(request))
    return UserRead.model_validate(service.register(db=db, data=data))


@router.post("/login")
def login(data: LoginRequest, db: DbSession, container: AppContainer, request: Request) -> TokenPair:
    """Two limits: every attempt per address; failed attempts per (email, address). Nobody can lock a
    student out from another address, and no header picks a fresh address (see _client_ip)."""
    settings = container.settings
    address, email = _client_ip(request), data.email.lower()
    container.rate_limit(settings.rate_limit_login, "login-ip", address)
    container.rate_limit_peek(settings.rate_limit_login_failures, "login-fail", email, address)
    try:
        return service.login(db=db, settings=settings, email=email, password=data.password)
    except AppError as exc:
        if exc.code == "INVALID_CREDENTIALS":
            container.rate_limit_hit(settings.rate_limit_login_failures, "login-fail", email, address)
        raise


@router.post("/refresh")
def refresh(data: RefreshRequest, db: DbSession, container: AppContainer) -> TokenPair:
    return service.refresh(db=db, settings=container.settings, refresh_token=data.refresh_token)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(user: CurrentUser, db: DbSession, container: AppContainer, request: Request) -> None:
    header = request.headers.get("authorization", "")
    token = header.split(" ", 1)[1] if " " in header else ""
    if not token:
        raise AppError("NOT_AUTHENTICATED", "Sign in first.", status_code=401)
    service.logout(db=db, settings=container.settings, access_token=token)


@router.get("/me")
def me(user: CurrentUser) -> UserRead:
    return UserRead.model_validate(user)
