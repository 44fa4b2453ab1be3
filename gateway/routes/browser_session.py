"""The sign-in cookie: set from a one-time code, traded for tokens on reload, cleared on sign-out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from gateway.deps import AppContainer, CurrentUser, DbSession
from gateway.services import browser_session as service
from shared.errors import AppError
from shared.schemas import TokenPair

router = APIRouter(prefix="/auth/browser", tags=["auth"])

NO_STORE = {"Cache-Control": "no-store"}


class BrowserCode(BaseModel):
    code: str
    expires_in: int


class ResumeRequest(BaseModel):
    browser_token: str = Field(max_length=4096)


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    return header.split(" ", 1)[1] if " " in header else ""


@router.post("/code")
def code(user: CurrentUser, db: DbSession, container: AppContainer, request: Request) -> BrowserCode:
    """A one-time code for ``GET /auth/browser/cookie`` (asked by the app's server side, never the page)."""
    value = service.handoff_code(
        db=db, settings=container.settings, store=container.redis, access_token=_bearer(request)
    )
    return BrowserCode(code=value, expires_in=service.CODE_SECONDS)


@router.get("/cookie")
def cookie(
    db: DbSession,
    container: AppContainer,
    request: Request,
    code: Annotated[str, Query(max_length=200)] = "",
    next: Annotated[str, Query(max_length=4000)] = "/",
) -> RedirectResponse:
    """Sets the HttpOnly, SameSite=Strict cookie (Secure under TLS) and sends the browser back."""
    response = RedirectResponse(
        service.safe_next(next, request.url.hostname), status_code=303, headers=NO_STORE
    )
    try:
        token, max_age = service.redeem_code(
            db=db, settings=container.settings, store=container.redis, code=code
        )
    except AppError:
        return response  # an old or reused link: back to the app, which asks to sign in
    response.set_cookie(
        service.COOKIE_NAME,
        token,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/resume")
def resume(data: ResumeRequest, db: DbSession, container: AppContainer) -> TokenPair:
    """The cookie's token (read by the app from the page request) for a new tab's token pair."""
    return service.resume(db=db, settings=container.settings, browser_token=data.browser_token)


@router.get("/signout")
def signout(
    db: DbSession,
    container: AppContainer,
    request: Request,
    next: Annotated[str, Query(max_length=4000)] = "/",
) -> RedirectResponse:
    """Clears the cookie and ends the sign-in it carried (every tab of this browser)."""
    token = request.cookies.get(service.COOKIE_NAME)
    if token:
        service.end(db=db, settings=container.settings, browser_token=token)
    response = RedirectResponse(
        service.safe_next(next, request.url.hostname), status_code=303, headers=NO_STORE
    )
    response.delete_cookie(
        service.COOKIE_NAME, path="/", httponly=True, samesite="strict", secure=request.url.scheme == "https"
    )
    return response
