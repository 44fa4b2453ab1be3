"""Reviews planned around an exam date: every card comes back before the exam, the desired retention rises
toward it, the last days hold a cram plan, readiness is FSRS retrievability at the exam; without an exam date
scheduling is exactly as before."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fsrs import Card, Rating, Scheduler

from gateway.services import flashcards as service
from gateway.services import study_plan as plan
from gateway.services.subjects import update_subject
from shared.models import Flashcard, Lecture, Subject
from shared.schemas import FlashcardCreate, SubjectUpdate
from tests.support.study import StudyDb, study_db

# Cards are created at the real time, and setting an exam re-plans them from the real time: the test's "now"
# is this hour.
T0 = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
EXAM = T0.date() + timedelta(days=10)


def _cards(sdb: StudyDb, n: int, lecture_id: int | None = None) -> list[int]:
    with sdb.session_factory() as db:
        ids = []
        for i in range(n):
            card = service.create_card(
                db=db,
                user_id=sdb.user_id,
                subject_id=sdb.subject_id,
                data=FlashcardCreate(front=f"term {i}", back=f"definition {i}", lecture_id=lecture_id),
            )
            ids.append(card.id)
        db.commit()
        return ids


def _review(sdb: StudyDb, card_id: int, rating: int, now: datetime) -> Flashcard:
    with sdb.session_factory() as db:
        card, _, _ = service.review_card(
            db=db, settings=sdb.settings, user_id=sdb.user_id, card_id=card_id, rating=rating, now=now
        )
        db.commit()
        db.expunge(card)
        return card


def _set_exam(sdb: StudyDb, exam: date | None) -> None:
    with sdb.session_factory() as db:
        update_subject(
            db=db, user_id=sdb.user_id, subject_id=sdb.subject_id, data=SubjectUpdate(exam_date=exam)
        )
        db.commit()


def test_retention_rises_toward_the_exam_and_falls_back_after_it() -> None:
    exam_start = plan.exam_start(EXAM)
    assert plan.desired_retention(T0, None) == 0.9
    assert plan.desired_retention(exam_start - timedelta(days=40), EXAM) == 0.9
    ramp = [plan.desired_retention(exam_start - timedelta(days=d), EXAM) for d in (20, 14, 7, 3, 1)]
    assert ramp == sorted(ramp) and len(set(ramp)) == len(ramp)  # strictly rising
    assert 0.9 < ramp[0] < ramp[-1] <= 0.97
    assert plan.desired_retention(exam_start + timedelta(hours=1), EXAM) == 0.9


def test_a_shorter_interval_near_the_exam_than_without_one(tmp_path: Path) -> None:
    sdb = study_db(tmp_path)
    a, b = _cards(sdb, 2)
    # both cards well learnt over a month, then one subject gets an exam 20 days away
    for sdb_card in (a, b):
        now = T0 - timedelta(days=60)
        for step in (0, 1, 4, 12):
            _review(sdb, sdb_card, 3, now + timedelta(days=step))
    far_exam = (T0 + timedelta(days=20)).date()
    with_exam = service.scheduler(sdb.settings, plan.SchedulePlan(exam_date=far_exam), T0)
    without = service.scheduler(sdb.settings, None, T0)
    assert with_exam.desired_retention > without.desired_retention == 0.9
    with sdb.session_factory() as db:
        card = db.get(Flashcard, a)
        assert card is not None
        state = service.fsrs_card(card)
    due_exam = with_exam.review_card(state, Rating.Good, T0)[0].due
    due_plain = without.review_card(state, Rating.Good, T0)[0].due
    assert due_exam < due_plain


def test_every_card_is_due_before_the_exam(tmp_path: Path) -> None:
    sdb = study_db(tmp_path)
    ids = _cards(sdb, 12)
    _set_exam(sdb, EXAM)
    exam_start = plan.exam_start(EXAM)
    for card_id in ids:  # learnt a month ago, easy each time: FSRS alone would wait beyond the exam
        _review(sdb, card_id, 4, T0 - timedelta(days=30))
        _review(sdb, card_id, 4, T0 - timedelta(days=20))
        card = _review(sdb, card_id, 4, T0)
        natural = datetime.fromisoformat(card.fsrs_card["due"])
        assert natural >= exam_start
        assert T0 < card.due < exam_start
        assert card.due >= exam_start - timedelta(days=plan.CRAM_DAYS)  # in the cram days
    with sdb.session_factory() as db:
        dues = {c.due for c in db.query(Flashcard).all()}
    assert len({d.date() for d in dues}) == plan.CRAM_DAYS  # spread over the cram days, not one pile


def test_setting_an_exam_pulls_cards_already_scheduled_and_removing_it_restores_them(tmp_path: Path) -> None:
    sdb = study_db(tmp_path)
    ids = _cards(sdb, 4)
    natural = {}
    for card_id in ids:
        for step in (0, 3, 12):
            card = _review(sdb, card_id, 4, T0 - timedelta(days=20 - step))
        natural[card_id] = card.due
    assert all(d > plan.exam_start(EXAM) for d in natural.values())
    _set_exam(sdb, EXAM)
    with sdb.session_factory() as db:
        for card_id in ids:
            card = db.get(Flashcard, card_id)
            assert card is not None and card.due < plan.exam_start(EXAM)
    _set_exam(sdb, None)
    with sdb.session_factory() as db:
        for card_id in ids:
            card = db.get(Flashcard, card_id)
            assert card is not None and card.due == natural[card_id]


def test_cram_slots_on_the_last_days() -> None:
    exam_start = plan.exam_start(EXAM)
    far = exam_start + timedelta(days=30)
    slots = {plan.cram_due(i, far, T0, EXAM) for i in range(9)}
    assert slots == {exam_start - timedelta(days=d) for d in (1, 2, 3)}
    # already inside the cram window: the eve of the exam
    late = exam_start - timedelta(days=2, hours=6)
    assert plan.cram_due(2, far, late, EXAM) == exam_start - timedelta(days=1)
    # on the eve itself the card has just been seen: left as FSRS put it
    eve = exam_start - timedelta(hours=10)
    assert plan.cram_due(2, far, eve, EXAM) == far
    # due before the exam anyway, no exam, or the exam is over: unchanged
    soon = T0 + timedelta(days=2)
    assert plan.cram_due(1, soon, T0, EXAM) == soon
    assert plan.cram_due(1, far, T0, None) == far
    assert plan.cram_due(1, far, exam_start + timedelta(days=1), EXAM) == far


def test_without_an_exam_date_reviews_are_exactly_fsrs_defaults(tmp_path: Path) -> None:
    sdb = study_db(tmp_path)
    (card_id,) = _cards(sdb, 1)
    reference = Card(card_id=card_id, due=T0)
    scheduler = Scheduler(enable_fuzzing=False)
    now = T0
    for rating in (3, 4, 3, 1, 3):
        reference, _ = scheduler.review_card(reference, Rating(rating), now)
        card = _review(sdb, card_id, rating, now)
        assert card.due == reference.due
        now = reference.due
    with sdb.session_factory() as db:
        subject = db.get(Subject, sdb.subject_id)
        assert subject is not None and subject.exam_date is None


def test_readiness_is_fsrs_retrievability_at_the_exam_per_lecture(tmp_path: Path) -> None:
    sdb = study_db(tmp_path)
    with sdb.session_factory() as db:
        lectures = []
        for title in ("Cells", "Genes"):
            lec = Lecture(
                user_id=sdb.user_id,
                subject_id=sdb.subject_id,
                title=title,
                filename=f"{title}.pdf",
                file_type="pdf",
                media_type="application/pdf",
                size_bytes=1,
                sha256="0" * 64,
                storage_path="x",
                status="done",
            )
            db.add(lec)
            db.flush()
            lectures.append(lec.id)
        db.commit()
    cells = _cards(sdb, 2, lectures[0])
    genes = _cards(sdb, 2, lectures[1])
    for card_id in cells:
        _review(sdb, card_id, 3, T0)
    _review(sdb, genes[0], 1, T0)  # one forgotten card; genes[1] never reviewed (counts 0)
    _set_exam(sdb, EXAM)
    sched = Scheduler(enable_fuzzing=False)
    with sdb.session_factory() as db:
        subject = db.get(Subject, sdb.subject_id)
        assert subject is not None
        result = plan.study_plan(db=db, scheduler=sched, subject=subject, now=T0)
        expected = {}
        for lecture_id, ids in ((lectures[0], cells), (lectures[1], genes)):
            values = []
            for card_id in ids:
                card = db.get(Flashcard, card_id)
                assert card is not None
                values.append(plan.retrievability(sched, card, plan.exam_start(EXAM)))
            expected[lecture_id] = sum(values) / len(values)
    by_id = {r.lecture_id: r for r in result.lectures}
    assert by_id[lectures[0]].expected_recall == pytest.approx(expected[lectures[0]], abs=1e-4)
    assert by_id[lectures[1]].expected_recall == pytest.approx(expected[lectures[1]], abs=1e-4)
    assert 0 < by_id[lectures[1]].expected_recall < by_id[lectures[0]].expected_recall < 1
    assert by_id[lectures[0]].title == "Cells" and by_id[lectures[0]].cards == 2
    assert result.exam_date == EXAM and result.days_left == 10
    assert result.at == plan.exam_start(EXAM)
    assert result.due_before_exam == result.cards == 4
    assert [d.date for d in result.cram] == [EXAM - timedelta(days=d) for d in (3, 2, 1)]


def test_the_subject_api_carries_the_exam_date(tmp_path: Path) -> None:
    sdb = study_db(tmp_path)
    _set_exam(sdb, EXAM)
    with sdb.session_factory() as db:
        subject = db.get(Subject, sdb.subject_id)
        assert subject is not None and subject.exam_date == EXAM
        # a PATCH without exam_date leaves it alone
        update_subject(db=db, user_id=sdb.user_id, subject_id=sdb.subject_id, data=SubjectUpdate(name="Bio"))
        db.commit()
        db.refresh(subject)
        assert subject.exam_date == EXAM and subject.name == "Bio"
