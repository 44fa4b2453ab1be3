"""A synthetic review history for FSRS tests: a student who forgets new cards faster than FSRS assumes."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from fsrs import Card, Rating, Scheduler
from fsrs import ReviewLog as FsrsLog
from fsrs.scheduler import DEFAULT_PARAMETERS

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def synthetic_history(cards: int, reviews: int, seed: int = 7) -> list[FsrsLog]:
    """Reviews scheduled by default FSRS, recalled (Good) or not (Again) with the probability a 'true'
    memory model gives: this student's initial stabilities are a quarter of the defaults."""
    rng = random.Random(seed)
    true_params = list(DEFAULT_PARAMETERS)
    for i in range(4):
        true_params[i] *= 0.25
    truth = Scheduler(parameters=true_params, enable_fuzzing=False)
    app = Scheduler(enable_fuzzing=False)
    logs = []
    for card_id in range(1, cards + 1):
        seen, remembered = Card(card_id=card_id, due=T0), Card(card_id=card_id, due=T0)
        now = T0 + timedelta(minutes=card_id)
        for k in range(reviews):
            recalled = k == 0 or rng.random() < truth.get_card_retrievability(remembered, now)
            rating = Rating.Good if recalled else Rating.Again
            seen, log = app.review_card(seen, rating, now)
            remembered, _ = truth.review_card(remembered, rating, now)
            logs.append(log)
            now = max(seen.due, now + timedelta(days=1))
    return logs
