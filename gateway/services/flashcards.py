"""Flashcards: the deck of a subject, FSRS scheduling (the maintained ``fsrs`` package), review logs and
study sessions, and exports (JSON, and Anki .apkg via genanki with figures as media)."""

from __future__ import annotations

import html
import shutil
import tempfile
import zlib
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.services.lectures import get_lecture
from gateway.services.study_plan import SchedulePlan, cram_due, desired_retention, fsrs_card, plan_for
from gateway.services.subjects import get_subject
from shared.errors import AppError, not_found
from shared.files import FileStore
from shared.models import Figure, Flashcard, Lecture, ReviewLog, StudySession, Subject, utcnow
from shared.schemas import (
    DeckCard,
    DeckExport,
    FlashcardCreate,
    FlashcardRead,
    FlashcardUpdate,
    NextDue,
    SourceRef,
)
from shared.settings import Settings

SESSION_GAP = timedelta(minutes=30)  # reviews closer than this extend the same study session
RATINGS = ("again", "hard", "good", "easy")


# --- FSRS -------------------------------------------------------------------------------------------
def scheduler(settings: Settings, plan: SchedulePlan | None = None, now: datetime | None = None) -> Any:
    """FSRS with the user's own parameters when optimized, and a desired retention that rises toward the
    subject's exam date (0.9 without one): see gateway/services/study_plan.py."""
    from fsrs import Scheduler

    plan = plan or SchedulePlan()
    retention = desired_retention(now or utcnow(), plan.exam_date)
    if plan.parameters:
        return Scheduler(
            parameters=plan.parameters,
            desired_retention=retention,
            enable_fuzzing=settings.fsrs_enable_fuzzing,
        )
    return Scheduler(desired_retention=retention, enable_fuzzing=settings.fsrs_enable_fuzzing)


def next_due(settings: Settings, card: Flashcard, now: datetime, plan: SchedulePlan | None = None) -> NextDue:
    """When the card would come back for each rating, reviewed now (what the review buttons show)."""
    from fsrs import Rating

    sched = scheduler(settings, plan, now)
    state = fsrs_card(card)
    exam = plan.exam_date if plan else None
    dues = {
        name: cram_due(card.id, sched.review_card(state, Rating(i), now)[0].due, now, exam)
        for i, name in enumerate(RATINGS, start=1)
    }
    return NextDue(**dues)


def to_read(
    settings: Settings,
    card: Flashcard,
    now: datetime | None = None,
    *,
    preview: bool = True,
    plan: SchedulePlan | None = None,
) -> FlashcardRead:
    state = fsrs_card(card)
    from fsrs import State

    read = FlashcardRead.model_validate(card)
    return read.model_copy(
        update={
            "state": "new" if state.last_review is None else State(state.state).name.lower(),
            "stability": state.stability,
            "difficulty": state.difficulty,
            "last_review": state.last_review,
            "next_due": next_due(settings, card, now or utcnow(), plan)
            if preview and not card.suspended
            else None,
        }
    )


# --- the deck ---------------------------------------------------------------------------------------
def get_card(*, db: Session, user_id: int, card_id: int) -> Flashcard:
    card = db.get(Flashcard, card_id)
    if card is None or card.user_id != user_id:
        raise not_found("flashcard")
    return card


def list_cards(
    *,
    db: Session,
    user_id: int,
    subject_id: int,
    due: bool | None = None,
    include_suspended: bool = True,
    now: datetime | None = None,
    limit: int = 1000,
) -> list[Flashcard]:
    get_subject(db=db, user_id=user_id, subject_id=subject_id)
    query = select(Flashcard).where(Flashcard.user_id == user_id, Flashcard.subject_id == subject_id)
    if due:
        query = query.where(Flashcard.due <= (now or utcnow()), Flashcard.suspended.is_(False))
        query = query.order_by(Flashcard.due, Flashcard.id)
    else:
        if not include_suspended:
            query = query.where(Flashcard.suspended.is_(False))
        query = query.order_by(Flashcard.lecture_id, Flashcard.page_number, Flashcard.id)
    return list(db.scalars(query.limit(limit)))


def create_card(*, db: Session, user_id: int, subject_id: int, data: FlashcardCreate) -> Flashcard:
    get_subject(db=db, user_id=user_id, subject_id=subject_id)
    if data.lecture_id is not None:
        lecture = get_lecture(db=db, user_id=user_id, lecture_id=data.lecture_id)
        if lecture.subject_id != subject_id:
            raise AppError(
                "LECTURE_NOT_IN_SUBJECT", "That lecture belongs to another subject.", status_code=422
            )
    now = utcnow()
    card = Flashcard(
        user_id=user_id,
        subject_id=subject_id,
        lecture_id=data.lecture_id,
        page_number=data.page_number,
        kind=data.kind,
        front=data.front.strip(),
        back=data.back.strip(),
        suspended=False,
        due=now,
    )
    db.add(card)
    db.flush()
    from fsrs import Card

    card.fsrs_card = dict(Card(card_id=card.id, due=now).to_dict())
    db.flush()
    return card


def update_card(*, db: Session, user_id: int, card_id: int, data: FlashcardUpdate) -> Flashcard:
    card = get_card(db=db, user_id=user_id, card_id=card_id)
    if data.front is not None:
        card.front = data.front.strip()
    if data.back is not None:
        card.back = data.back.strip()
    if data.kind is not None:
        card.kind = data.kind
    if data.suspended is not None:
        card.suspended = data.suspended
    card.updated_at = utcnow()
    db.flush()
    return card


def delete_card(*, db: Session, user_id: int, card_id: int) -> None:
    db.delete(get_card(db=db, user_id=user_id, card_id=card_id))
    db.flush()


def _study_session(db: Session, *, user_id: int, subject_id: int, now: datetime) -> StudySession:
    recent = db.scalar(
        select(StudySession)
        .where(
            StudySession.user_id == user_id,
            StudySession.subject_id == subject_id,
            StudySession.kind == "flashcards",
            StudySession.ended_at >= now - SESSION_GAP,
        )
        .order_by(StudySession.ended_at.desc())
        .limit(1)
    )
    if recent is None:
        recent = StudySession(
            user_id=user_id,
            subject_id=subject_id,
            kind="flashcards",
            started_at=now,
            ended_at=now,
            cards_reviewed=0,
            details={"ratings": {}},
        )
        db.add(recent)
    return recent


def review_card(
    *,
    db: Session,
    settings: Settings,
    user_id: int,
    card_id: int,
    rating: int,
    duration_ms: int | None = None,
    now: datetime | None = None,
) -> tuple[Flashcard, ReviewLog, StudySession]:
    """Apply one review with FSRS: the card's new state and due date, a review log, the study session."""
    from fsrs import Rating

    card = get_card(db=db, user_id=user_id, card_id=card_id)
    if card.suspended:
        raise AppError("CARD_SUSPENDED", "The card is suspended; unsuspend it to review it.", status_code=409)
    now = now or utcnow()
    plan = plan_for(db=db, user_id=user_id, subject_id=card.subject_id)
    new_state, log = scheduler(settings, plan, now).review_card(
        fsrs_card(card), Rating(rating), now, duration_ms
    )
    card.fsrs_card = dict(new_state.to_dict())  # FSRS's own due date stays here
    card.due = cram_due(card.id, new_state.due, now, plan.exam_date)  # pulled before the exam if need be
    card.updated_at = now
    entry = ReviewLog(
        user_id=user_id,
        flashcard_id=card.id,
        rating=rating,
        reviewed_at=now,
        review_duration_ms=duration_ms,
        log=dict(log.to_dict()),
    )
    db.add(entry)
    session = _study_session(db, user_id=user_id, subject_id=card.subject_id, now=now)
    session.cards_reviewed = (session.cards_reviewed or 0) + 1
    session.ended_at = now
    ratings = dict((session.details or {}).get("ratings", {}))
    ratings[RATINGS[rating - 1]] = ratings.get(RATINGS[rating - 1], 0) + 1
    session.details = {**(session.details or {}), "ratings": ratings}
    db.flush()
    return card, entry, session


# --- exports ----------------------------------------------------------------------------------------
def _sources(db: Session, cards: list[Flashcard]) -> dict[int, Lecture]:
    ids = {c.lecture_id for c in cards if c.lecture_id is not None}
    return {lec.id: lec for lec in db.scalars(select(Lecture).where(Lecture.id.in_(ids)))} if ids else {}


def _ref(card: Flashcard, lectures: dict[int, Lecture]) -> SourceRef | None:
    lecture = lectures.get(card.lecture_id) if card.lecture_id is not None else None
    if lecture is None or card.page_number is None:
        return None
    return SourceRef(
        lecture_id=lecture.id,
        lecture=lecture.title,
        file=lecture.filename,
        page=card.page_number,
        figure_id=card.figure_id,
    )


def export_json(*, db: Session, subject: Subject, personal: bool = True) -> DeckExport:
    """The deck as JSON. ``personal=False`` (a shared deck) leaves out scheduling and suspended cards."""
    cards = list(
        db.scalars(
            select(Flashcard)
            .where(Flashcard.subject_id == subject.id)
            .order_by(Flashcard.lecture_id, Flashcard.page_number, Flashcard.id)
        )
    )
    if not personal:
        cards = [c for c in cards if not c.suspended]
    lectures = _sources(db, cards)
    return DeckExport(
        deck=subject.name,
        exported_at=utcnow(),
        cards=[
            DeckCard(
                id=c.id,
                kind=c.kind,
                front=c.front,
                back=c.back,
                suspended=c.suspended if personal else False,
                due=c.due if personal else None,
                source=_ref(c, lectures),
                figure_id=c.figure_id,
                fsrs=dict(c.fsrs_card or {}) if personal else {},
            )
            for c in cards
        ],
    )


# Stable ids: Anki merges re-imported decks and notes by them.
BASIC_MODEL_ID = 1607392319
CLOZE_MODEL_ID = 1607392320
CSS = (
    ".card{font-family:Arial,sans-serif;font-size:20px;text-align:left}"
    ".source{color:#666;font-size:13px;margin-top:12px}img{max-width:100%}"
)


def _html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def build_apkg(*, db: Session, files: FileStore, subject: Subject, out: Path) -> dict[str, int]:
    """Write the subject's deck (suspended cards left out) as an Anki package; figures become media."""
    import genanki

    basic = genanki.Model(
        BASIC_MODEL_ID,
        "MySmartNotes Basic",
        fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Source"}, {"name": "Image"}],
        templates=[
            {
                "name": "Card 1",
                "qfmt": "{{Front}}{{#Image}}<div>{{Image}}</div>{{/Image}}",
                "afmt": '{{FrontSide}}<hr id="answer">{{Back}}<div class="source">{{Source}}</div>',
            }
        ],
        css=CSS,
    )
    cloze_model = genanki.Model(
        CLOZE_MODEL_ID,
        "MySmartNotes Cloze",
        model_type=genanki.Model.CLOZE,
        fields=[{"name": "Text"}, {"name": "Back Extra"}, {"name": "Source"}, {"name": "Image"}],
        templates=[
            {
                "name": "Cloze",
                "qfmt": "{{cloze:Text}}{{#Image}}<div>{{Image}}</div>{{/Image}}",
                "afmt": '{{cloze:Text}}<br>{{Back Extra}}<div class="source">{{Source}}</div>',
            }
        ],
        css=CSS,
    )
    deck_id = (zlib.crc32(f"smartnotes-subject-{subject.id}".encode()) & 0x3FFFFFFF) | 0x40000000
    deck = genanki.Deck(deck_id, subject.name)
    cards = list(
        db.scalars(
            select(Flashcard)
            .where(Flashcard.subject_id == subject.id, Flashcard.suspended.is_(False))
            .order_by(Flashcard.lecture_id, Flashcard.page_number, Flashcard.id)
        )
    )
    lectures = _sources(db, cards)
    figure_ids = {c.figure_id for c in cards if c.figure_id is not None}
    figures = (
        {f.id: f for f in db.scalars(select(Figure).where(Figure.id.in_(figure_ids)))} if figure_ids else {}
    )
    media_dir = Path(tempfile.mkdtemp(prefix="smartnotes-apkg-"))
    media: list[str] = []
    try:
        for card in cards:
            ref = _ref(card, lectures)
            source = _html(f"{ref.label()} ({ref.file})") if ref else ""
            image = ""
            figure = figures.get(card.figure_id) if card.figure_id is not None else None
            if figure is not None:
                src = files.path(figure.image_path)
                if src.is_file():
                    name = f"smartnotes-figure-{figure.id}{src.suffix.lower() or '.png'}"
                    target = media_dir / name
                    if not target.exists():
                        shutil.copy(src, target)
                        media.append(str(target))
                    image = f'<img src="{name}">'
            tags = ["smartnotes", f"lecture-{card.lecture_id}"] if card.lecture_id else ["smartnotes"]
            guid = genanki.guid_for("smartnotes-card", card.id)
            if card.kind == "cloze" and "{{c1::" in card.front:
                note = genanki.Note(
                    model=cloze_model,
                    fields=[html.escape(card.front), _html(card.back), source, image],
                    tags=tags,
                    guid=guid,
                )
            else:
                note = genanki.Note(
                    model=basic,
                    fields=[_html(card.front), _html(card.back), source, image],
                    tags=tags,
                    guid=guid,
                )
            deck.add_note(note)
        genanki.Package(deck, media_files=media).write_to_file(str(out))
    finally:
        shutil.rmtree(media_dir, ignore_errors=True)
    return {"notes": len(cards), "media": len(media)}
