"""Flashcard scheduling is the fsrs package's: for every rating the card's state and due date are exactly
what fsrs.Scheduler computes; reviews are logged and grouped into study sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fsrs import Card, Rating, Scheduler, State
from sqlalchemy import select

from gateway.services import flashcards as service
from shared.errors import AppError
from shared.models import Flashcard, ReviewLog, StudySession, utcnow
from shared.schemas import FlashcardCreate, FlashcardUpdate
from tests.support.study import StudyDb, study_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _card(sdb: StudyDb) -> int:
    with sdb.session_factory() as db:
        card = service.create_card(
            db=db,
            user_id=sdb.user_id,
            subject_id=sdb.subject_id,
            data=FlashcardCreate(front="RuBisCO", back="the enzyme that fixes CO2"),
        )
        db.commit()
        return card.id


@pytest.mark.parametrize("rating", [1, 2, 3, 4])
def test_first_review_matches_the_fsrs_scheduler(tmp_path: Path, rating: int) -> None:
    sdb = study_db(tmp_path)
    card_id = _card(sdb)
    expected, expected_log = Scheduler(enable_fuzzing=False).review_card(
        Card(card_id=card_id, due=T0), Rating(rating), T0, 1500
    )
    with sdb.session_factory() as db:
        card, log, session = service.review_card(
            db=db,
            settings=sdb.settings,
            user_id=sdb.user_id,
            card_id=card_id,
            rating=rating,
            duration_ms=1500,
            now=T0,
        )
        db.commit()
        assert card.due == expected.due
        assert card.fsrs_card == expected.to_dict()
        assert log.rating == rating and log.review_duration_ms == 1500 and log.reviewed_at == T0
        assert log.log == expected_log.to_dict()
        assert session.cards_reviewed == 1
    with sdb.session_factory() as db:
        stored = db.get(Flashcard, card_id)
        assert stored is not None and stored.due == expected.due  # persisted, timezone-aware


def test_due_dates_move_as_fsrs_says_over_a_sequence_of_reviews(tmp_path: Path) -> None:
    sdb = study_db(tmp_path)
    card_id = _card(sdb)
    scheduler = Scheduler(enable_fuzzing=False)
    reference = Card(card_id=card_id, due=T0)
    now = T0
    dues = []
    for rating in [3, 3, 4, 1, 2, 3]:
        reference, _ = scheduler.review_card(reference, Rating(rating), now)
        with sdb.session_factory() as db:
            card, _, _ = service.review_card(
                db=db, settings=sdb.settings, user_id=sdb.user_id, card_id=card_id, rating=rating, now=now
            )
            db.commit()
            assert card.due == reference.due
            assert card.fsrs_card["stability"] == pytest.approx(reference.stability)
            assert card.fsrs_card["difficulty"] == pytest.approx(reference.difficulty)
            assert card.fsrs_card["state"] == reference.state.value
        dues.append(reference.due)
        now = reference.due  # reviewed when due
    assert reference.state in (State.Review, State.Relearning)
    assert dues[2] - T0 > timedelta(days=1)  # Easy after two Goods: days, not minutes
    with sdb.session_factory() as db:
        logs = list(db.scalars(select(ReviewLog).where(ReviewLog.flashcard_id == card_id)))
        assert [entry.rating for entry in logs] == [3, 3, 4, 1, 2, 3]


def test_next_due_preview_is_what_each_rating_then_applies(tmp_path: Path) -> None:
    sdb = study_db(tmp_path)
    card_id = _card(sdb)
    with sdb.session_factory() as db:
        card = service.get_card(db=db, user_id=sdb.user_id, card_id=card_id)
        read = service.to_read(sdb.settings, card, T0)
        assert read.state == "new" and read.next_due is not None
        preview = read.next_due.model_dump()
        assert preview["again"] < preview["hard"] < preview["good"] < preview["easy"]
    for rating, name in enumerate(["again", "hard", "good", "easy"], start=1):
        other = _card(sdb)
        with sdb.session_factory() as db:
            card, _, _ = service.review_card(
                db=db, settings=sdb.settings, user_id=sdb.user_id, card_id=other, rating=rating, now=T0
            )
            assert card.due == preview[name]
            db.rollback()


def test_reviews_close_together_share_a_study_session(tmp_path: Path) -> None:
    sdb = study_db(tmp_path)
    a, b = _card(sdb), _card(sdb)
    with sdb.session_factory() as db:
        _, _, s1 = service.review_card(
            db=db, settings=sdb.settings, user_id=sdb.user_id, card_id=a, rating=3, now=T0
        )
        _, _, s2 = service.review_card(
            db=db,
            settings=sdb.settings,
            user_id=sdb.user_id,
            card_id=b,
            rating=1,
            now=T0 + timedelta(minutes=5),
        )
        _, _, s3 = service.review_card(
            db=db,
            settings=sdb.settings,
            user_id=sdb.user_id,
            card_id=a,
            rating=4,
            now=T0 + timedelta(hours=3),
        )
        db.commit()
        assert s1.id == s2.id != s3.id
        session = db.get(StudySession, s1.id)
        assert session is not None
        assert session.cards_reviewed == 2 and session.ended_at == T0 + timedelta(minutes=5)
        assert session.details["ratings"] == {"good": 1, "again": 1}


def test_suspended_cards_are_not_due_and_cannot_be_reviewed(tmp_path: Path) -> None:
    sdb = study_db(tmp_path)
    card_id = _card(sdb)
    with sdb.session_factory() as db:
        due = service.list_cards(
            db=db, user_id=sdb.user_id, subject_id=sdb.subject_id, due=True, now=utcnow() + timedelta(days=1)
        )
        assert [c.id for c in due] == [card_id]
        service.update_card(db=db, user_id=sdb.user_id, card_id=card_id, data=FlashcardUpdate(suspended=True))
        db.commit()
        due = service.list_cards(
            db=db, user_id=sdb.user_id, subject_id=sdb.subject_id, due=True, now=utcnow() + timedelta(days=1)
        )
        assert due == []
        with pytest.raises(AppError) as err:
            service.review_card(db=db, settings=sdb.settings, user_id=sdb.user_id, card_id=card_id, rating=3)
        assert err.value.code == "CARD_SUSPENDED"
        with pytest.raises(AppError) as err:
            service.get_card(db=db, user_id=sdb.user_id + 1, card_id=card_id)  # someone else's: not found
        assert err.value.code == "FLASHCARD_NOT_FOUND" and err.value.status_code == 404
