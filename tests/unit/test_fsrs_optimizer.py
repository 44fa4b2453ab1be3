"""Personal FSRS parameters: the fsrs Optimizer fitted on a synthetic review history of a student who forgets
new cards faster than FSRS's defaults assume lowers the log loss; the parameters are stored for the user and
scheduling uses them afterwards; fewer than 400 reviews is a clear error."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from fsrs import Card, Rating, Scheduler
from fsrs import ReviewLog as FsrsLog
from fsrs.scheduler import DEFAULT_PARAMETERS

from gateway.services import flashcards as service
from shared.celery_app import TASK_OPTIMIZE_FSRS_ALL, beat_schedule
from shared.errors import AppError
from shared.models import Flashcard, ReviewLog, User
from shared.schemas import FSRS_MIN_REVIEWS, FlashcardCreate
from shared.settings import Settings
from tests.support.fsrs_history import T0, synthetic_history
from tests.support.study import StudyDb, study_db
from workers.generation.fsrs_optimizer import due_for_weekly, optimize, optimize_user


def _store_history(sdb: StudyDb, logs: list[FsrsLog]) -> None:
    with sdb.session_factory() as db:
        ids: dict[int, int] = {}
        for log in logs:
            if log.card_id not in ids:
                card = Flashcard(
                    user_id=sdb.user_id, subject_id=sdb.subject_id, front="f", back="b", due=T0, fsrs_card={}
                )
                db.add(card)
                db.flush()
                ids[log.card_id] = card.id
            db.add(
                ReviewLog(
                    user_id=sdb.user_id,
                    flashcard_id=ids[log.card_id],
                    rating=int(log.rating),
                    reviewed_at=log.review_datetime,
                    log=dict(log.to_dict()),
                )
            )
        db.commit()


@pytest.fixture(scope="module")
def optimized(tmp_path_factory: pytest.TempPathFactory) -> tuple[StudyDb, dict[str, object]]:
    sdb = study_db(tmp_path_factory.mktemp("fsrs"))
    _store_history(sdb, synthetic_history(cards=90, reviews=7))  # 630 reviews, 540 on later days
    with sdb.session_factory() as db:
        profile = optimize_user(db, user_id=sdb.user_id, now=T0 + timedelta(days=200))
    return sdb, profile


def test_the_optimizer_lowers_the_log_loss_on_the_students_history(
    optimized: tuple[StudyDb, dict[str, object]],
) -> None:
    sdb, profile = optimized
    before, after = profile["log_loss_before"], profile["log_loss_after"]
    assert isinstance(before, float) and isinstance(after, float)
    assert after < before
    assert profile["improved"] is True and profile["reviews"] == 630
    params = profile["parameters"]
    assert isinstance(params, list) and len(params) == len(DEFAULT_PARAMETERS)
    assert params != [float(p) for p in DEFAULT_PARAMETERS]
    with sdb.session_factory() as db:
        user = db.get(User, sdb.user_id)
        assert user is not None and user.fsrs_profile == profile  # stored per user


def test_scheduling_uses_the_personal_parameters_afterwards(
    optimized: tuple[StudyDb, dict[str, object]],
) -> None:
    sdb, profile = optimized
    params = profile["parameters"]
    assert isinstance(params, list)
    personal = Scheduler(parameters=params, enable_fuzzing=False)
    default = Scheduler(enable_fuzzing=False)
    with sdb.session_factory() as db:
        card = service.create_card(
            db=db, user_id=sdb.user_id, subject_id=sdb.subject_id, data=FlashcardCreate(front="q", back="a")
        )
        now = T0 + timedelta(days=201)
        mine, theirs = Card(card_id=card.id, due=now), Card(card_id=card.id, due=now)
        for rating in (Rating.Good, Rating.Good, Rating.Again, Rating.Good):
            mine, _ = personal.review_card(mine, rating, now)
            theirs, _ = default.review_card(theirs, rating, now)
            card, _, _ = service.review_card(
                db=db,
                settings=sdb.settings,
                user_id=sdb.user_id,
                card_id=card.id,
                rating=int(rating),
                now=now,
            )
            assert card.fsrs_card["stability"] == pytest.approx(mine.stability)
            now = mine.due + timedelta(days=1)
        assert mine.stability != pytest.approx(
            theirs.stability
        )  # the defaults would have scheduled otherwise
        db.rollback()


def test_kept_parameters_never_predict_worse_than_the_ones_in_use() -> None:
    logs = synthetic_history(cards=60, reviews=7, seed=3)  # 420 reviews: fsrs itself needs 512 to fit
    result = optimize(logs)
    assert result.log_loss_after <= result.log_loss_before
    assert result.improved is False and result.parameters == [float(p) for p in DEFAULT_PARAMETERS]


def test_fewer_than_400_reviews_is_a_clear_error(tmp_path: Path) -> None:
    sdb = study_db(tmp_path)
    _store_history(sdb, synthetic_history(cards=30, reviews=5))  # 150 reviews
    with sdb.session_factory() as db, pytest.raises(AppError) as err:
        optimize_user(db, user_id=sdb.user_id)
    assert err.value.code == "NOT_ENOUGH_REVIEWS" and err.value.status_code == 409
    assert err.value.details == {"reviews": 150, "min_reviews": FSRS_MIN_REVIEWS}
    assert "400" in err.value.message
    with sdb.session_factory() as db:
        user = db.get(User, sdb.user_id)
        assert user is not None and user.fsrs_profile is None
        assert due_for_weekly(db, now=T0) == []


def test_weekly_runs_pick_users_with_enough_reviews_and_old_parameters(
    optimized: tuple[StudyDb, dict[str, object]],
) -> None:
    sdb, _profile = optimized
    with sdb.session_factory() as db:
        assert due_for_weekly(db, now=T0 + timedelta(days=203)) == []  # optimized three days ago
        assert due_for_weekly(db, now=T0 + timedelta(days=208)) == [sdb.user_id]
    schedule = beat_schedule(Settings(_env_file=None, environment="test"))  # type: ignore[call-arg]
    weekly = [entry for entry in schedule.values() if entry["task"] == TASK_OPTIMIZE_FSRS_ALL]
    assert len(weekly) == 1 and weekly[0]["schedule"] == 7 * 24 * 3600.0


def test_a_fit_no_better_than_the_defaults_keeps_the_defaults(tmp_path: Path) -> None:
    sdb = study_db(tmp_path)
    _store_history(sdb, synthetic_history(cards=60, reviews=7, seed=3))  # 420 reviews: fsrs fits nothing
    with sdb.session_factory() as db:
        profile = optimize_user(db, user_id=sdb.user_id)
        assert profile["improved"] is False and profile["parameters"] is None
        assert profile["log_loss_after"] == profile["log_loss_before"]
        card = service.create_card(
            db=db, user_id=sdb.user_id, subject_id=sdb.subject_id, data=FlashcardCreate(front="q", back="a")
        )
        card, _, _ = service.review_card(
            db=db, settings=sdb.settings, user_id=sdb.user_id, card_id=card.id, rating=3, now=T0
        )
        expected, _ = Scheduler(enable_fuzzing=False).review_card(
            Card(card_id=card.id, due=T0), Rating.Good, T0
        )
        assert card.fsrs_card["stability"] == pytest.approx(expected.stability)
