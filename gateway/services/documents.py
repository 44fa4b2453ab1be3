"""Generated documents (cheat sheets, quizzes, decks): list, download, delete."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.services.subjects import get_subject
from shared.errors import not_found
from shared.files import FileStore
from shared.models import GeneratedDocument


def get_document(*, db: Session, user_id: int, document_id: int) -> GeneratedDocument:
    doc = db.get(GeneratedDocument, document_id)
    if doc is None or doc.user_id != user_id:
        raise not_found("document")
    return doc


def list_documents(*, db: Session, user_id: int, subject_id: int | None = None) -> list[GeneratedDocument]:
    query = select(GeneratedDocument).where(GeneratedDocument.user_id == user_id)
    if subject_id is not None:
        get_subject(db=db, user_id=user_id, subject_id=subject_id)
        query = query.where(GeneratedDocument.subject_id == subject_id)
    return list(db.scalars(query.order_by(GeneratedDocument.created_at.desc())))


def delete_document(*, db: Session, files: FileStore, user_id: int, document_id: int) -> None:
    doc = get_document(db=db, user_id=user_id, document_id=document_id)
    db.delete(doc)
    db.flush()
    files.delete_prefix(doc.storage_path)
