"""Reviews planned around an exam date, and readiness by that date.

With an exam date, the FSRS desired retention rises from the usual 0.9 to 0.97 over the last three weeks (so
intervals shrink as the exam nears), and a card whose next review would fall on or after the exam day is
pulled into a short cram plan: one of the last ``CRAM_DAYS`` days before the exam, spread over them by card
id. The FSRS state keeps the card's own due date (``fsrs_card["due"]``); ``Flashcard.due`` is the planned
one, so moving or removing the exam re-plans every card from its own schedule. Without an exam date nothing
changes: the same desired retention and due dates as before.

Readiness is FSRS retrievability: the probability of recalling each card on the exam day (today without an
exam date) if it is not reviewed again; new cards count 0. Per lecture, the mean over its cards.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.models import Flashcard, Lecture, Subject, User, utcnow
from shared.schemas import CramDay, LectureReadiness, StudyPlanRead

BASE_RETENTION = 0.9  # FSRS's default desired retention, used without an exam date
EXAM_RETENTION = 0.97  # the desired retention on the eve of the exam
RAMP_DAYS = 21  # the desired retention starts rising this many days before the exam
CRAM_DAYS = 3  # cards that would come back after the exam are pulled into these last days before it


@dataclass(frozen=True)
class SchedulePlan:
    """What a review of one card is scheduled with: the user's FSRS parameters (None: the defaults) and the
    exam date of the card's subject (None: no exam)."""

    parameters: tuple[float, ...] | None = None
    exam_date: date | None = None


def exam_start(exam_date: date) -> datetime:
    """The exam day's first instant (UTC): reviews planned for the exam must come before it."""
    return datetime.combine(exam_date, time(0), tzinfo=UTC)


def desired_retention(now: datetime, exam_date: date | None) -> float:
    """0.9, rising linearly to 0.97 over the ``RAMP_DAYS`` before the exam; 0.9 again once it is over."""
    if exam_date is None:
        return BASE_RETENTION
    days_left = (exam_start(exam_date) - now).total_seconds() / 86400
    if days_left <= 0 or days_left >= RAMP_DAYS:
        return BASE_RETENTION
    return round(BASE_RETENTION + (EXAM_RETENTION - BASE_RETENTION) * (1 - days_left / RAMP_DAYS), 4)


def cram_due(card_id: int, due: datetime, now: datetime, exam_date: date | None) -> datetime:
    """The planned due date: ``due`` itself, unless the exam lies ahead and ``due`` falls on or after its
    day; then one of the last ``CRAM_DAYS`` days before the exam (by card id, so the cram is spread), or the
    eve of the exam when that day has already begun. A card reviewed on the eve stays as FSRS put it: it has
    just been seen shortly before the exam."""
    if exam_date is None:
        return due
    start = exam_start(exam_date)
    if now >= start or due < start:
        return due
    slot = start - timedelta(days=1 + card_id % CRAM_DAYS)
    if slot <= now:
        slot = start - timedelta(days=1)
    if slot <= now:
        return due
    return slot


def fsrs_card(card: Flashcard) -> Any:
    """The card's FSRS state (a new card when it was never reviewed)."""
    from fsrs import Card

    if card.fsrs_card:
        return Card.from_dict(dict(card.fsrs_card))  # type: ignore[arg-type]
    return Card(card_id=card.id, due=card.due)


def fsrs_due(card: Flashcard) -> datetime:
    """The card's own FSRS due date (before any exam plan)."""
    raw = (card.fsrs_card or {}).get("due")
    if isinstance(raw, str):
        parsed = datetime.fromisoformat(raw)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return card.due


def plan_for(*, db: Session, user_id: int, subject_id: int) -> SchedulePlan:
    user = db.get(User, user_id)
    subject = db.get(Subject, subject_id)
    profile = (user.fsrs_profile if user is not None else None) or {}
    params = profile.get("parameters")
    return SchedulePlan(
        parameters=tuple(float(p) for p in params) if params else None,
        exam_date=subject.exam_date if subject is not None else None,
    )


def replan_subject(*, db: Session, subject: Subject, now: datetime | None = None) -> int:
    """Re-plan every card of the subject for its (new, moved or removed) exam date; returns how many moved."""
    now = now or utcnow()
    moved = 0
    for card in db.scalars(select(Flashcard).where(Flashcard.subject_id == subject.id)):
        planned = cram_due(card.id, fsrs_due(card), now, subject.exam_date)
        if planned != card.due:
            card.due = planned
            moved += 1
    db.flush()
    return moved


# --- readiness and the cram plan --------------------------------------------------------------------
def retrievability(scheduler: Any, card: Flashcard, at: datetime) -> float:
    """FSRS's probability of recalling the card at ``at`` without another review (0 for a new card)."""
    state = fsrs_card(card)
    if state.last_review is None or state.stability is None:
        return 0.0
    return float(scheduler.get_card_retrievability(state, at))


def study_plan(
    *, db: Session, scheduler: Any, subject: Subject, now: datetime | None = None
) -> StudyPlanRead:
    """Readiness per lecture by the exam (today without one) and, with an exam ahead, the reviews planned
    for each day until it."""
    now = now or utcnow()
    exam = subject.exam_date
    at = exam_start(exam) if exam is not None and exam_start(exam) > now else now
    cards = list(
        db.scalars(
            select(Flashcard).where(Flashcard.subject_id == subject.id, Flashcard.suspended.is_(False))
        )
    )
    titles = dict(
        (row.id, row.title)
        for row in db.execute(select(Lecture.id, Lecture.title).where(Lecture.subject_id == subject.id))
    )
    by_lecture: dict[int | None, list[float]] = {}
    for card in cards:
        by_lecture.setdefault(card.lecture_id, []).append(retrievability(scheduler, card, at))
    readiness = [
        LectureReadiness(
            lecture_id=lecture_id,
            title=titles.get(lecture_id, "Cards of no lecture") if lecture_id is not None else "Own cards",
            cards=len(values),
            expected_recall=round(sum(values) / len(values), 4),
        )
        for lecture_id, values in sorted(by_lecture.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))
    ]
    everything = [r for values in by_lecture.values() for r in values]
    cram: list[CramDay] = []
    days_left: int | None = None
    if exam is not None and exam_start(exam) > now:
        days_left = (exam - now.date()).days
        per_day = Counter(max(card.due, now).date() for card in cards if card.due < exam_start(exam))
        first = exam - timedelta(days=CRAM_DAYS)
        cram = [
            CramDay(date=first + timedelta(days=i), cards=per_day.get(first + timedelta(days=i), 0))
            for i in range(CRAM_DAYS)
            if first + timedelta(days=i) >= now.date()
        ]
    return StudyPlanRead(
        subject_id=subject.id,
        exam_date=exam,
        days_left=days_left,
        at=at,
        desired_retention=desired_retention(now, exam),
        cards=len(cards),
        due_before_exam=sum(1 for c in cards if exam is not None and c.due < exam_start(exam)),
        expected_recall=round(sum(everything) / len(everything), 4) if everything else 0.0,
        lectures=readiness,
        cram=cram,
    )
