"""Flashcards: the deck, edits, FSRS reviews and exports."""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, status
from fastapi.responses import FileResponse, JSONResponse
from starlette.background import BackgroundTask

from gateway.deps import AppContainer, CurrentUser, DbSession, PathId
from gateway.services import flashcards as service
from gateway.services.study_plan import plan_for
from gateway.services.subjects import get_subject
from shared.models import Flashcard, Subject, utcnow
from shared.schemas import (
    DeckExport,
    FlashcardCreate,
    FlashcardCreateFor,
    FlashcardRead,
    FlashcardUpdate,
    ReviewCreate,
    ReviewLogRead,
    ReviewResult,
)

router = APIRouter(tags=["flashcards"])


def _read(
    container: AppContainer, db: DbSession, user_id: int, card: Flashcard, now: datetime | None = None
) -> FlashcardRead:
    """The card with the review buttons' due dates as its user's parameters and exam plan give them."""
    plan = plan_for(db=db, user_id=user_id, subject_id=card.subject_id)
    return service.to_read(container.settings, card, now, plan=plan)


@router.get("/subjects/{subject_id}/flashcards")
def list_flashcards(
    subject_id: PathId,
    user: CurrentUser,
    db: DbSession,
    container: AppContainer,
    due: bool = False,
    include_suspended: bool = True,
) -> list[FlashcardRead]:
    """The deck; `due=true`: the cards to review now, most overdue first (suspended ones never)."""
    now = utcnow()
    cards = service.list_cards(
        db=db, user_id=user.id, subject_id=subject_id, due=due, include_suspended=include_suspended, now=now
    )
    plan = plan_for(db=db, user_id=user.id, subject_id=subject_id)
    return [service.to_read(container.settings, c, now, plan=plan) for c in cards]


@router.post("/subjects/{subject_id}/flashcards", status_code=status.HTTP_201_CREATED)
def add_flashcard(
    subject_id: PathId, data: FlashcardCreate, user: CurrentUser, db: DbSession, container: AppContainer
) -> FlashcardRead:
    card = service.create_card(db=db, user_id=user.id, subject_id=subject_id, data=data)
    return _read(container, db, user.id, card)


@router.post("/flashcards", status_code=status.HTTP_201_CREATED)
def add_flashcard_for(
    data: FlashcardCreateFor, user: CurrentUser, db: DbSession, container: AppContainer
) -> FlashcardRead:
    card = service.create_card(db=db, user_id=user.id, subject_id=data.subject_id, data=data)
    return _read(container, db, user.id, card)


@router.get("/flashcards/{card_id}")
def get_flashcard(
    card_id: PathId, user: CurrentUser, db: DbSession, container: AppContainer
) -> FlashcardRead:
    return _read(container, db, user.id, service.get_card(db=db, user_id=user.id, card_id=card_id))


@router.patch("/flashcards/{card_id}")
def edit_flashcard(
    card_id: PathId, data: FlashcardUpdate, user: CurrentUser, db: DbSession, container: AppContainer
) -> FlashcardRead:
    """Edit the text, or suspend / unsuspend (`{"suspended": true}`)."""
    card = service.update_card(db=db, user_id=user.id, card_id=card_id, data=data)
    return _read(container, db, user.id, card)


@router.delete("/flashcards/{card_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_flashcard(card_id: PathId, user: CurrentUser, db: DbSession) -> None:
    service.delete_card(db=db, user_id=user.id, card_id=card_id)


@router.post("/flashcards/{card_id}/review")
def review_flashcard(
    card_id: PathId, data: ReviewCreate, user: CurrentUser, db: DbSession, container: AppContainer
) -> ReviewResult:
    """Rate a review 1 Again, 2 Hard, 3 Good, 4 Easy; answers the card with its next due date (FSRS)."""
    card, log, session = service.review_card(
        db=db,
        settings=container.settings,
        user_id=user.id,
        card_id=card_id,
        rating=data.rating,
        duration_ms=data.duration_ms,
    )
    return ReviewResult(
        card=_read(container, db, user.id, card, log.reviewed_at),
        log=ReviewLogRead.model_validate(log),
        session_id=session.id,
    )


def deck_response(
    *, db: DbSession, container: AppContainer, subject: Subject, fmt: str, personal: bool
) -> FileResponse | JSONResponse:
    if fmt == "apkg":
        tmp = Path(tempfile.mkdtemp(prefix="smartnotes-deck-"))
        out = tmp / "deck.apkg"
        service.build_apkg(db=db, files=container.files, subject=subject, out=out)
        name = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in subject.name).strip("-") or "deck"
        return FileResponse(
            out,
            media_type="application/apkg",
            filename=f"{name}.apkg",
            background=BackgroundTask(shutil.rmtree, tmp, ignore_errors=True),
        )
    deck: DeckExport = service.export_json(db=db, subject=subject, personal=personal)
    return JSONResponse(deck.model_dump(mode="json"))


@router.get("/subjects/{subject_id}/flashcards/export", response_model=None)
def export_flashcards(
    subject_id: PathId,
    user: CurrentUser,
    db: DbSession,
    container: AppContainer,
    format: Literal["apkg", "json"] = "apkg",
) -> FileResponse | JSONResponse:
    """The deck as an Anki package (notes with their source slide, figures as media) or as JSON."""
    subject = get_subject(db=db, user_id=user.id, subject_id=subject_id)
    return deck_response(db=db, container=container, subject=subject, fmt=format, personal=True)
