"""An OCR'd slide's bullets read as "+ " or "~ " (the scan's round bullets): an extractive answer says the
bullet's words, not the mark; a sign that belongs to the text ("+5 V", "~ 3 ms") stays."""

from __future__ import annotations

from tests.unit.test_answer_rules import ev
from workers.ai.answer import extractive_answer, sentences

SLIDE = (
    "Caching: Summary\n\n"
    "+ A cache keeps recently used pages in memory.\n\n"
    "« Reads that hit the cache skip the disk entirely.\n\n"
    "+ Eviction policies decide which cached page is dropped.\n\n"
    "~ Write-back caches delay writes to the disk."
)


def test_ocr_bullet_marks_are_not_said_in_the_answer() -> None:
    answer, cited = extractive_answer(
        "Why does a cache make reads faster?", [ev(7, SLIDE, 0.7, "Caching: Summary")]
    )
    assert [e.page for e in cited] == [7]
    assert "A cache keeps recently used pages in memory" in answer
    assert "+ " not in answer and "~ " not in answer, answer


def test_a_sign_that_is_part_of_the_text_stays() -> None:
    said = sentences("+5 V powers the board.\n~ 3 ms is the latency.\n+ Eviction drops a page.")
    assert said == ["+5 V powers the board.", "~ 3 ms is the latency.", "Eviction drops a page."]
