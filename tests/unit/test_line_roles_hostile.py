"""Hostile decks for the line roles: long lines, thousands of pages. The structure rules must stay close to
linear in the deck's size (an uploaded deck may have 2,000 pages) and no regex may backtrack badly on a
long line. Each timing bound is far above the fixed code's time and far below the old code's."""

from __future__ import annotations

import random
import time

from workers.ocr.line_cues import PageLines
from workers.ocr.role_rules import DEFAULT_RULES, is_definition_form
from workers.ocr.role_structure import agenda_echo_titles, outline_key
from workers.ocr.roles import classify_deck

WORDS = [
    "cell",
    "energy",
    "carbon",
    "light",
    "water",
    "protein",
    "enzyme",
    "membrane",
    "oxygen",
    "sugar",
    "gene",
    "plant",
    "leaf",
    "root",
]


def _timed(fn, *args):  # type: ignore[no-untyped-def]
    """The call's result and the CPU seconds this process spent on it: not the wall clock, which a loaded
    machine stretches (a clean-clone CI run beside other work measured 3.05 s against a 3 s bound)."""
    start = time.process_time()
    result = fn(*args)
    return result, time.process_time() - start


def test_outline_key_is_linear_on_a_long_line_of_spaces() -> None:
    # a run of spaces before a non-space made the "(2/3)" / "(cont.)" tail pattern retry from every space
    key, seconds = _timed(outline_key, "a" + " " * 30_000 + "b")
    assert key == "a b"
    assert seconds < 1.0
    assert outline_key("Light reactions   (cont.)") == "light reactions"


def test_hindi_definition_form_is_linear_on_trailing_spaces() -> None:
    found, seconds = _timed(is_definition_form, "इस प्रक्रिया को प्रकाश संश्लेषण कहते हैं" + " " * 40_000 + "x")
    assert not found
    assert seconds < 1.0
    assert is_definition_form("इस प्रक्रिया को प्रकाश संश्लेषण कहते हैं ।  ")


def test_definition_form_is_linear_on_a_long_line_of_spaces() -> None:
    # the term's spaces and the spaces before "means" overlapped: every term length retried the whole run
    found, seconds = _timed(is_definition_form, "A" + " " * 200_000 + "b c d")
    assert not found
    assert seconds < 0.5
    assert is_definition_form("Photosynthesis   means making sugar from light")
    # the term is still the shortest one (a later "refers to" does not make it eight words long)
    assert is_definition_form("Osmosis means water moves across a membrane which refers to diffusion")


def _outline_deck(n: int) -> list[PageLines]:
    rng = random.Random(1)
    return [
        PageLines(
            lines=[f"Topic {p} {' '.join(rng.sample(WORDS, 3))}"]
            + [f"- {' '.join(rng.choices(WORDS, k=rng.randint(2, 9)))} {p}-{i}" for i in range(29)]
        )
        for p in range(n)
    ]


def _echo_seconds(n: int) -> tuple[float, list[list[str]]]:
    """The CPU seconds agenda_echo_titles takes on an n-page deck (the best of two runs), and the roles."""
    pages = _outline_deck(n)
    roles = classify_deck(pages, rules=DEFAULT_RULES - {"agenda_echo_titles"})
    runs = [_timed(agenda_echo_titles, pages, roles)[1] for _ in range(2)]
    return min(runs), roles


def test_outline_titles_are_matched_by_index_not_page_against_page() -> None:
    """Four times the pages take about four times as long (page against page: sixteen). A ratio of two sizes
    in one process, not a bound in seconds: coverage tracing and a loaded CI machine stretch every time (a
    clean-clone CI run measured 3.04 s of CPU against a 3 s bound), never the ratio."""
    small, _ = _echo_seconds(200)
    large, roles = _echo_seconds(800)
    assert large < 8 * max(small, 0.01)
    assert "agenda" not in {role for page_roles in roles for role in page_roles}
