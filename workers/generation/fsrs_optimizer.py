"""Personal FSRS parameters: the ``fsrs`` Optimizer (torch) fitted on one user's own review history.

Needs at least ``FSRS_MIN_REVIEWS`` reviews (fewer: NOT_ENOUGH_REVIEWS). The log loss of the parameters in use
(the user's earlier ones, else FSRS's defaults) and of the optimized ones is measured on the same history; the
optimized ones are kept only when they do not predict it worse, so the loss after is never above the loss
before. The gateway's scheduler reads them from ``users.fsrs_profile``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.errors import AppError
from shared.models import ReviewLog, User, utcnow
from shared.schemas import FSRS_MIN_REVIEWS


@dataclass(frozen=True)
class Optimized:
    parameters: list[float]
    log_loss_before: float
    log_loss_after: float
    reviews: int
    improved: bool


def not_enough_reviews(count: int) -> AppError:
    return AppError(
        "NOT_ENOUGH_REVIEWS",
        f"Personal scheduling needs at least {FSRS_MIN_REVIEWS} reviews; you have {count}. "
        "Keep reviewing with the default parameters until then.",
        status_code=409,
        details={"reviews": count, "min_reviews": FSRS_MIN_REVIEWS},
    )


def optimize(logs: Sequence[Any], current: Sequence[float] | None = None) -> Optimized:
    """Fit FSRS parameters to ``logs`` (``fsrs.ReviewLog``) starting from nothing but the history itself."""
    from fsrs import Optimizer
    from fsrs.scheduler import DEFAULT_PARAMETERS

    if len(logs) < FSRS_MIN_REVIEWS:
        raise not_enough_reviews(len(logs))
    baseline = list(current or DEFAULT_PARAMETERS)
    optimizer = Optimizer(list(logs))
    # fsrs 6.3.2 has no public loss: _compute_batch_loss is the mean log loss the optimizer itself minimises.
    before = float(optimizer._compute_batch_loss(parameters=baseline))
    fitted = [float(p) for p in optimizer.compute_optimal_parameters()]
    after = float(optimizer._compute_batch_loss(parameters=fitted))
    if after > before:
        return Optimized(baseline, before, before, len(logs), improved=False)
    return Optimized(fitted, before, after, len(logs), improved=after < before)


def review_count(db: Session, user_id: int) -> int:
    return int(db.scalar(select(func.count(ReviewLog.id)).where(ReviewLog.user_id == user_id)) or 0)


def optimize_user(db: Session, *, user_id: int, now: datetime | None = None) -> dict[str, Any]:
    """Optimize and store one user's parameters from their review logs; returns what was stored."""
    from fsrs import ReviewLog as FsrsLog

    user = db.get(User, user_id)
    if user is None:
        raise AppError("USER_NOT_FOUND", "User not found.", status_code=404)
    count = review_count(db, user_id)
    if count < FSRS_MIN_REVIEWS:
        raise not_enough_reviews(count)
    rows = db.scalars(select(ReviewLog).where(ReviewLog.user_id == user_id).order_by(ReviewLog.reviewed_at))
    logs = [FsrsLog.from_dict(row.log) for row in rows if row.log]  # type: ignore[arg-type]
    current = (user.fsrs_profile or {}).get("parameters")
    result = optimize(logs, current)
    profile = {
        # not better than those in use (fsrs fits nothing below 512 reviews on later days): keep those
        "parameters": result.parameters if result.improved else current,
        "log_loss_before": round(result.log_loss_before, 6),
        "log_loss_after": round(result.log_loss_after, 6),
        "reviews": result.reviews,
        "improved": result.improved,
        "optimized_at": (now or utcnow()).isoformat(),
    }
    user.fsrs_profile = profile
    db.commit()
    return profile


def due_for_weekly(db: Session, *, now: datetime, min_age_days: float = 6.5) -> list[int]:
    """Users with enough reviews whose parameters are missing or older than about a week."""
    counts = db.execute(
        select(ReviewLog.user_id, func.count(ReviewLog.id))
        .group_by(ReviewLog.user_id)
        .having(func.count(ReviewLog.id) >= FSRS_MIN_REVIEWS)
    ).all()
    due: list[int] = []
    for user_id, _count in counts:
        user = db.get(User, user_id)
        stamp = (user.fsrs_profile or {}).get("optimized_at") if user is not None else None
        if stamp is None or (now - datetime.fromisoformat(stamp)).total_seconds() > min_age_days * 86400:
            due.append(int(user_id))
    return due
