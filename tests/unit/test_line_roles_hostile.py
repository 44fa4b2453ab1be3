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


def test_outline_titles_are_matched_by_index_not_page_against_page() -> None:
    rng = random.Random(1)
    pages = [
        PageLines(
            lines=[f"Topic {p} {' '.join(rng.sample(WORDS, 3))}"]
            + [f"- {' '.join(rng.choices(WORDS, k=rng.randint(2, 9)))} {p}-{i}" for i in range(29)]
        )
        for p in range(600)
    ]
    roles = classify_deck(pages, rules=DEFAULT_RULES - {"agenda_echo_titles"})
    _, seconds = _timed(agenda_echo_titles, pages, roles)
    assert seconds < 3.0
    assert "agenda" not in {role for page_roles in roles for role in page_roles}
