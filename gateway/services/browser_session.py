"""A sign-in that survives a reload: an HttpOnly cookie holds a token; page scripts never see it.

Streamlit cannot set response headers, so the app hands the browser over to the gateway once after signing
in: the app (server side, holding the access token) asks for a one-time code, the browser follows
``/auth/browser/cookie?code=...`` and gets the cookie back with a redirect to where it was. On a reload the
app reads the cookie from the request (``st.context.cookies``) and trades it for a token pair of a new sign-in
session that ends with the one that set the cookie (claim ``bsid``): signing out in any tab ends them all.
The cookie's token never rotates (each tab's own refresh token does), so tabs never spend each other's tokens.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

import redis
from sqlalchemy.orm import Session

from gateway.security import decode_token, encode_token
from gateway.services.auth import BROWSER_SID, _issue, _live_session
from shared.errors import AppError
from shared.models import AuthSession, new_uuid, utcnow
from shared.schemas import TokenPair
from shared.settings import Settings

COOKIE_NAME = "smartnotes_session"
COOKIE_KIND = "browser"
CODE_SECONDS = 60
_CODE_KEY = "browser-code:"


def _code_key(code: str) -> str:
    return _CODE_KEY + hashlib.sha256(code.encode()).hexdigest()


def handoff_code(*, db: Session, settings: Settings, store: redis.Redis, access_token: str) -> str:
    """A one-time code (valid CODE_SECONDS) that sets the cookie for the sign-in behind ``access_token``."""
    claims = decode_token(settings, access_token, kind="access")
    _live_session(db, claims)
    session_id = str(claims.get(BROWSER_SID) or claims["sid"])  # a resumed tab hands over its root
    code = secrets.token_urlsafe(32)
    store.set(_code_key(code), f"{session_id}:{claims['sub']}", ex=CODE_SECONDS)
    return code


def redeem_code(*, db: Session, settings: Settings, store: redis.Redis, code: str) -> tuple[str, int]:
    """The cookie's token and its max age in seconds, for a code not yet used (a code works once)."""
    raw = store.getdel(_code_key(code)) if code else None
    if not raw:
        raise AppError("CODE_INVALID", "This sign-in link has expired; sign in again.", status_code=400)
    session_id, _, user_id = (raw.decode() if isinstance(raw, bytes) else str(raw)).partition(":")
    session = _live_session(db, {"sid": session_id, "sub": user_id})
    token = encode_token(
        settings, user_id=session.user_id, session_id=session.id, kind=COOKIE_KIND, jti=new_uuid()
    )
    return token, max(0, int((session.expires_at - utcnow()).total_seconds()))


def resume(*, db: Session, settings: Settings, browser_token: str) -> TokenPair:
    """A token pair for a new tab: its own session, alive while the cookie's sign-in is."""
    claims = decode_token(settings, browser_token, kind=COOKIE_KIND)
    root = _live_session(db, claims)
    expires = min(root.expires_at, utcnow() + timedelta(days=settings.refresh_token_days))
    tab = AuthSession(user_id=root.user_id, expires_at=expires)
    db.add(tab)
    db.flush()
    return _issue(settings=settings, session=tab, browser_sid=root.id)


def end(*, db: Session, settings: Settings, browser_token: str) -> None:
    """Sign-out through the cookie: its sign-in ends (and with it every tab opened from it)."""
    try:
        claims = decode_token(settings, browser_token, kind=COOKIE_KIND)
        session = _live_session(db, claims)
    except AppError:
        return  # already ended, expired or not ours: nothing to revoke
    session.revoked_at = utcnow()


def safe_next(target: str | None, request_host: str | None) -> str:
    """Where to send the browser back: a path on this site, or an http(s) URL on the same host name (the
    app may be on another port, as with `make run`); anything else goes to "/" (no open redirect)."""
    if not target:
        return "/"
    if target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    parts = urlsplit(target)
    if parts.scheme in ("http", "https") and parts.hostname and parts.hostname == request_host:
        return target
    return "/"
