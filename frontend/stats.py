"""Study statistics computed from what the gateway answers about flashcards (pure functions).

Recall is estimated with the FSRS-6 forgetting curve and its default decay, the same model the gateway
schedules with: R(t) = (1 + FACTOR * t / S) ** -DECAY, where S is the card's stability in days.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from frontend.formatting import parse_time

DECAY = 0.1542
FACTOR = 0.9 ** (1 / -DECAY) - 1

Card = dict[str, Any]


def recall(card: Card, now: datetime) -> float | None:
    """The chance the card is remembered now (None for a card never reviewed)."""
    last = parse_time(card.get("last_review"))
    stability = card.get("stability")
    if last is None or not stability:
        return None
    days = max((now - last).total_seconds() / 86400, 0.0)
    return float((1 + FACTOR * days / float(stability)) ** -DECAY)


def estimated_recall(cards: list[Card], now: datetime) -> float | None:
    values = [r for c in cards if not c.get("suspended") and (r := recall(c, now)) is not None]
    return sum(values) / len(values) if values else None


def due_forecast(cards: list[Card], now: datetime, days: int = 14) -> dict[date, int]:
    """Cards due per day from today (overdue ones count for today); suspended cards never."""
    today = now.date()
    counts = {today + timedelta(days=n): 0 for n in range(days)}
    for card in cards:
        due = parse_time(card.get("due"))
        if card.get("suspended") or due is None:
            continue
        day = max(due.date(), today)
        if day in counts:
            counts[day] += 1
    return counts


def due_within(cards: list[Card], now: datetime, delta: timedelta) -> int:
    limit = now + delta
    return sum(
        1
        for c in cards
        if not c.get("suspended") and (d := parse_time(c.get("due"))) is not None and d <= limit
    )


def reviewed_on(cards: list[Card], day: date) -> int:
    return sum(1 for c in cards if (d := parse_time(c.get("last_review"))) is not None and d.date() == day)
