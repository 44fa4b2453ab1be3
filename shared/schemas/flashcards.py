"""Flashcards, their reviews (spaced repetition) and deck export."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from shared.schemas.common import DbId, _Read
from shared.schemas.generation import SourceRef

CardKind = Literal["basic", "qa", "cloze"]


class FlashcardCreate(BaseModel):
    front: str = Field(min_length=1, max_length=4000)
    back: str = Field(min_length=1, max_length=8000)
    kind: CardKind = "basic"
    lecture_id: DbId | None = None
    page_number: int | None = Field(default=None, ge=1, le=100_000)


class FlashcardCreateFor(FlashcardCreate):
    subject_id: DbId


class FlashcardUpdate(BaseModel):
    front: str | None = Field(default=None, min_length=1, max_length=4000)
    back: str | None = Field(default=None, min_length=1, max_length=8000)
    kind: CardKind | None = None
    suspended: bool | None = None


class NextDue(BaseModel):
    """When the card would be due next for each rating (Again, Hard, Good, Easy)."""

    again: datetime
    hard: datetime
    good: datetime
    easy: datetime


class FlashcardRead(_Read):
    id: int
    subject_id: int
    lecture_id: int | None
    page_number: int | None
    figure_id: int | None
    kind: str
    front: str
    back: str
    suspended: bool
    due: datetime
    state: str = "learning"
    stability: float | None = None
    difficulty: float | None = None
    last_review: datetime | None = None
    next_due: NextDue | None = None
    created_at: datetime
    updated_at: datetime


class ReviewCreate(BaseModel):
    rating: int = Field(ge=1, le=4, description="1 Again, 2 Hard, 3 Good, 4 Easy")
    duration_ms: int | None = Field(default=None, ge=0, le=3_600_000)


class ReviewLogRead(_Read):
    id: int
    flashcard_id: int
    rating: int
    reviewed_at: datetime
    review_duration_ms: int | None


class ReviewResult(BaseModel):
    card: FlashcardRead
    log: ReviewLogRead
    session_id: int


class DeckCard(BaseModel):
    """A card in an exported deck (JSON export and shared decks)."""

    id: int
    kind: str
    front: str
    back: str
    suspended: bool = False
    due: datetime | None = None  # left out of shared decks, with the scheduling state
    source: SourceRef | None
    figure_id: int | None = None
    fsrs: dict[str, Any] = Field(default_factory=dict)


class DeckExport(BaseModel):
    deck: str
    exported_at: datetime
    cards: list[DeckCard]
