"""Registration, login, refresh, logout."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.security import decode_token, encode_token, hash_password, verify_password
from shared.errors import AppError
from shared.models import AuthSession, User, new_uuid, utcnow
from shared.schemas import TokenPair, UserCreate
from shared.settings import Settings

# Claim naming the sign-in session whose browser cookie opened a session (gateway/services/browser_session).
BROWSER_SID = "bsid"


def register(*, db: Session, data: UserCreate) -> User:
    email = data.email.lower()
    if db.scalar(select(User.id).where(User.email == email)) is not None:
        raise AppError("EMAIL_TAKEN", "An account with this email already exists.", status_code=409)
    user = User(email=email, password_hash=hash_password(data.password), display_name=data.display_name)
    db.add(user)
    db.flush()
    return user


def _issue(*, settings: Settings, session: AuthSession, browser_sid: str | None = None) -> TokenPair:
    """``browser_sid``: the sign-in session whose browser cookie opened this one (see browser_session)."""
    extra = {BROWSER_SID: browser_sid} if browser_sid else None
    access = encode_token(
        settings, user_id=session.user_id, session_id=session.id, kind="access", jti=new_uuid(), extra=extra
    )
    refresh = encode_token(
        settings,
        user_id=session.user_id,
        session_id=session.id,
        kind="refresh",
        jti=session.refresh_jti,
        extra=extra,
    )
    return TokenPair(
        access_token=access, refresh_token=refresh, expires_in=settings.access_token_minutes * 60
    )


def login(*, db: Session, settings: Settings, email: str, password: str) -> TokenPair:
    user = db.scalar(select(User).where(User.email == email.lower()))
    if user is None or not verify_password(user.password_hash, password):
        raise AppError("INVALID_CREDENTIALS", "Email or password is wrong.", status_code=401)
    session = AuthSession(user_id=user.id, expires_at=utcnow() + timedelta(days=settings.refresh_token_days))
    db.add(session)
    db.flush()
    return _issue(settings=settings, session=session)


def _live_session(db: Session, claims: dict[str, object]) -> AuthSession:
    """The token's session, open and the user's; a session opened from a browser cookie ends with the
    sign-in that set the cookie (signing out in one tab signs out every tab)."""
    session = _open_session(db, str(claims.get("sid")), claims.get("sub"))
    if claims.get(BROWSER_SID):
        _open_session(db, str(claims[BROWSER_SID]), claims.get("sub"))
    return session


def _open_session(db: Session, session_id: str, user_id: object) -> AuthSession:
    session = db.get(AuthSession, session_id)
    if session is None or session.revoked_at is not None or session.expires_at <= utcnow():
        raise AppError("TOKEN_REVOKED", "This session has ended; sign in again.", status_code=401)
    if str(session.user_id) != user_id:
        raise AppError("TOKEN_INVALID", "The token is not valid.", status_code=401)
    return session


def live_session(*, db: Session, session_id: str, user_id: int) -> AuthSession:
    """The sign-in session, still open (not logged out, revoked or expired) and the user's."""
    return _live_session(db, {"sid": session_id, "sub": str(user_id)})


def refresh(*, db: Session, settings: Settings, refresh_token: str) -> TokenPair:
    """Rotate the refresh token; presenting an already-rotated one revokes the whole session."""
    claims = decode_token(settings, refresh_token, kind="refresh")
    session = _live_session(db, claims)
    if claims.get("jti") != session.refresh_jti:
        session.revoked_at = utcnow()
        db.commit()
        raise AppError(
            "TOKEN_REUSED", "This refresh token was already used; the session is closed.", status_code=401
        )
    session.refresh_jti = new_uuid()
    db.flush()
    browser_sid = claims.get(BROWSER_SID)
    return _issue(settings=settings, session=session, browser_sid=str(browser_sid) if browser_sid else None)


def logout(*, db: Session, settings: Settings, access_token: str) -> None:
    claims = decode_token(settings, access_token, kind="access")
    session = _live_session(db, claims)
    session.revoked_at = utcnow()
    if claims.get(BROWSER_SID):  # the cookie's own sign-in too: every tab of this browser ends
        parent = db.get(AuthSession, str(claims[BROWSER_SID]))
        if parent is not None and parent.revoked_at is None:
            parent.revoked_at = utcnow()


def user_from_access_token(*, db: Session, settings: Settings, token: str) -> User:
    claims = decode_token(settings, token, kind="access")
    session = _live_session(db, claims)
    user = db.get(User, session.user_id)
    if user is None:
        raise AppError("TOKEN_INVALID", "The token is not valid.", status_code=401)
    return user
