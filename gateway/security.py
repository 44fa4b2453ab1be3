"""Passwords (argon2) and tokens (JWT access + refresh, both bound to a revocable auth session)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from shared.errors import AppError
from shared.models import utcnow
from shared.settings import Settings

_hasher = PasswordHasher()
ALGORITHM = "HS256"
# A token missing any of these is refused: above all ``exp``, so no token is valid forever.
REQUIRED_CLAIMS = ["exp", "iat", "sub", "sid", "typ", "jti"]


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def encode_token(
    settings: Settings,
    *,
    user_id: int,
    session_id: str,
    kind: str,
    jti: str,
    extra: dict[str, str] | None = None,
) -> str:
    now = utcnow()
    lifetime = (
        timedelta(minutes=settings.access_token_minutes)
        if kind == "access"
        else timedelta(days=settings.refresh_token_days)
    )
    claims = {
        "sub": str(user_id),
        "sid": session_id,
        "typ": kind,
        "jti": jti,
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
        **(extra or {}),
    }
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)


def decode_token(settings: Settings, token: str, *, kind: str) -> dict[str, Any]:
    try:
        claims = jwt.decode(
            token, settings.secret_key, algorithms=[ALGORITHM], options={"require": REQUIRED_CLAIMS}
        )
    except jwt.ExpiredSignatureError as exc:
        raise AppError("TOKEN_EXPIRED", "Your session has expired; sign in again.", status_code=401) from exc
    except jwt.InvalidTokenError as exc:
        raise AppError("TOKEN_INVALID", "The token is not valid.", status_code=401) from exc
    if claims.get("typ") != kind:
        raise AppError("TOKEN_INVALID", f"Expected a {kind} token.", status_code=401)
    return claims
