"""Read-only share links for a generated document or a subject's flashcard deck: random tokens, an expiry,
revocable. A link opens exactly its one target and nothing else of the owner's."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.services.documents import get_document
from gateway.services.subjects import get_subject
from shared.errors import AppError, not_found
from shared.models import GeneratedDocument, ShareLink, Subject, utcnow
from shared.schemas import ShareCreate, ShareRead
from shared.settings import Settings

API_PREFIX = "/api/v1"


def share_url(settings: Settings, token: str) -> str:
    return f"{settings.api_url.rstrip('/')}{API_PREFIX}/shared/{token}"


def to_read(settings: Settings, link: ShareLink) -> ShareRead:
    return ShareRead.model_validate(link).model_copy(update={"url": share_url(settings, link.token)})


def create_share(*, db: Session, user_id: int, data: ShareCreate) -> ShareLink:
    if data.document_id is not None:
        doc = get_document(db=db, user_id=user_id, document_id=data.document_id)
        kind, document_id, subject_id = "document", doc.id, None
    else:
        assert data.subject_id is not None
        subject = get_subject(db=db, user_id=user_id, subject_id=data.subject_id)
        kind, document_id, subject_id = "deck", None, subject.id
    link = ShareLink(
        user_id=user_id,
        token=secrets.token_urlsafe(32),
        document_id=document_id,
        subject_id=subject_id,
        kind=kind,
        expires_at=utcnow() + timedelta(days=data.expires_in_days) if data.expires_in_days else None,
    )
    db.add(link)
    db.flush()
    return link


def list_shares(*, db: Session, user_id: int) -> list[ShareLink]:
    return list(
        db.scalars(
            select(ShareLink).where(ShareLink.user_id == user_id).order_by(ShareLink.created_at.desc())
        )
    )


def revoke_share(*, db: Session, user_id: int, share_id: int) -> ShareLink:
    link = db.get(ShareLink, share_id)
    if link is None or link.user_id != user_id:
        raise not_found("share")
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        db.flush()
    return link


def resolve(*, db: Session, token: str) -> ShareLink:
    """The live link for a token: 404 when unknown, 410 when revoked or expired."""
    link = db.scalar(select(ShareLink).where(ShareLink.token == token)) if 16 <= len(token) <= 64 else None
    if link is None:
        raise AppError("SHARE_NOT_FOUND", "This share link does not exist.", status_code=404)
    if link.revoked_at is not None:
        raise AppError("SHARE_REVOKED", "This share link was revoked by its owner.", status_code=410)
    if link.expires_at is not None and link.expires_at <= utcnow():
        raise AppError("SHARE_EXPIRED", "This share link has expired.", status_code=410)
    return link


def shared_document(*, db: Session, link: ShareLink) -> GeneratedDocument:
    doc = db.get(GeneratedDocument, link.document_id) if link.document_id is not None else None
    if doc is None or doc.user_id != link.user_id:
        raise AppError("SHARE_NOT_FOUND", "The shared document no longer exists.", status_code=404)
    return doc


def shared_subject(*, db: Session, link: ShareLink) -> Subject:
    subject = db.get(Subject, link.subject_id) if link.subject_id is not None else None
    if subject is None or subject.user_id != link.user_id:
        raise AppError("SHARE_NOT_FOUND", "The shared deck no longer exists.", status_code=404)
    return subject
