"""Study statistics: reviews per day, retention, due counts and the recorded study sessions."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.deps import CurrentUser, DbSession, QueryId
from gateway.services.subjects import get_subject
from shared.models import Flashcard, ReviewLog, StudySession, utcnow

router = APIRouter(tags=["progress"])
AGAIN = 1


def study_stats(*, db: Session, user_id: int, subject_id: int | None, days: int) -> dict[str, Any]:
    now = utcnow()
    since = now - timedelta(days=days)
    reviews_q = select(ReviewLog.reviewed_at, ReviewLog.rating).where(
        ReviewLog.user_id == user_id, ReviewLog.reviewed_at >= since
    )
    cards_q = select(Flashcard.due).where(Flashcard.user_id == user_id, Flashcard.suspended.is_(False))
    sessions_q = select(StudySession).where(StudySession.user_id == user_id)
    if subject_id is not None:
        get_subject(db=db, user_id=user_id, subject_id=subject_id)
        reviews_q = reviews_q.join(Flashcard, Flashcard.id == ReviewLog.flashcard_id).where(
            Flashcard.subject_id == subject_id
        )
        cards_q = cards_q.where(Flashcard.subject_id == subject_id)
        sessions_q = sessions_q.where(StudySession.subject_id == subject_id)
    per_day: dict[date, dict[str, int]] = {
        (now - timedelta(days=n)).date(): {"reviews": 0, "again": 0} for n in reversed(range(days))
    }
    ratings = []
    for reviewed_at, rating in db.execute(reviews_q):
        ratings.append(rating)
        day = per_day.setdefault(reviewed_at.date(), {"reviews": 0, "again": 0})
        day["reviews"] += 1
        day["again"] += rating == AGAIN
    dues = [d for (d,) in db.execute(cards_q)]
    end_of_today = now.replace(hour=23, minute=59, second=59)
    sessions = db.scalars(sessions_q.order_by(StudySession.started_at.desc()).limit(100)).all()
    return {
        "days": days,
        "reviews_per_day": [{"date": d.isoformat(), **v} for d, v in sorted(per_day.items())],
        "retention": (sum(r > AGAIN for r in ratings) / len(ratings)) if ratings else None,
        "due": {
            "now": sum(d <= now for d in dues),
            "today": sum(d <= end_of_today for d in dues),
            "week": sum(d <= now + timedelta(days=7) for d in dues),
        },
        "sessions": [
            {
                "id": s.id,
                "subject_id": s.subject_id,
                "kind": s.kind,
                "started_at": s.started_at.isoformat(),
                "ended_at": s.ended_at.isoformat() if s.ended_at else None,
                "cards_reviewed": s.cards_reviewed,
                "quiz_score": s.quiz_score,
            }
            for s in sessions
        ],
    }


@router.get("/stats")
def stats(
    user: CurrentUser,
    db: DbSession,
    subject_id: QueryId = None,
    days: int = Query(default=30, ge=1, le=365),
) -> dict[str, Any]:
    """Reviews per day (and how many were Again), retention over the window, due counts, study sessions."""
    return study_stats(db=db, user_id=user.id, subject_id=subject_id, days=days)
