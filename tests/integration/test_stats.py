"""GET /stats on the real databases: reviews per day, retention, due counts, recorded study sessions."""

from __future__ import annotations

from tests.integration.conftest import Stack


def test_stats_count_every_review_and_the_session(stack: Stack) -> None:
    headers, other = stack.user(), stack.user()
    subject = stack.subject(headers)
    c = stack.client
    cards = [
        c.post(
            f"/api/v1/subjects/{subject['id']}/flashcards",
            json={"front": f"Q{i}", "back": f"A{i}"},
            headers=headers,
        ).json()
        for i in range(3)
    ]
    for card, rating in ((cards[0], 1), (cards[1], 3), (cards[0], 3)):
        r = c.post(f"/api/v1/flashcards/{card['id']}/review", json={"rating": rating}, headers=headers)
        assert r.status_code == 200, r.text
    stats = c.get("/api/v1/stats", params={"subject_id": subject["id"], "days": 7}, headers=headers).json()
    assert len(stats["reviews_per_day"]) == 7
    assert stats["reviews_per_day"][-1] | {"date": None} == {"date": None, "reviews": 3, "again": 1}
    assert abs(stats["retention"] - 2 / 3) < 1e-9
    assert stats["due"]["now"] == 1  # the card never reviewed; the others were rated Good last
    assert stats["due"]["week"] >= 1
    assert [s["cards_reviewed"] for s in stats["sessions"] if s["kind"] == "flashcards"] == [3]
    assert c.get("/api/v1/stats", params={"subject_id": subject["id"]}, headers=other).status_code == 404
    assert c.get("/api/v1/stats", headers=other).json()["sessions"] == []
