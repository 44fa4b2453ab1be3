"""Questions from "Label: value" lines a slide sets side by side (workers/generation/quiz_pairs.py)."""

from __future__ import annotations

import dataclasses
import random

from tests.support.study import lecture
from workers.generation.candidates import extract
from workers.generation.phrasing import Phraser
from workers.generation.quiz import QuizBuilder
from workers.generation.quiz_forms import form_problem
from workers.generation.quiz_pairs import pair_question, pairs
from workers.generation.validity import quiz_problem

SLIDES = [
    (
        "Behaviour with a warm cache",
        "Reads are served from memory, so the speed gain is large\nLatency falls",
    ),
    ("Behaviour with a cold cache", "The disk stays idle most of the time, so the energy gain is large"),
    ("Shared storage", "One copy serves many readers, so the storage gain grows with readers"),
    ("Summary", "Warm cache: Speed gain\nCold cache: Energy gain\nShared storage: Storage gain"),
]
OVERVIEW = (
    "Kinds of gain",
    "We compare the speed gain, the energy gain, the memory gain and the storage gain",
)
MEMORY = ("Memory", "The memory gain is small when the cache is warm")


def _lc(slides: list[tuple[str, str]] = SLIDES):  # type: ignore[no-untyped-def]
    return extract(lecture(slides))


def test_a_slide_that_pairs_cases_with_sibling_names_gives_one_question_per_case() -> None:
    found = {p.label: p for p in pairs(_lc())}
    assert set(found) == {"Warm cache", "Cold cache", "Shared storage"}
    warm = found["Warm cache"]
    assert warm.value == "Speed gain" and {"energy gain", "storage gain"} <= {
        s.lower() for s in warm.siblings
    }
    q = pair_question(warm, 4, random.Random(0).shuffle)
    assert q is not None and q.kind == "multiple_choice"
    assert q.prompt == "According to the slides, which gain goes with “Warm cache”?"
    assert q.answer_text == "Speed gain" and q.options[ord(q.answer) - ord("A")] == "Speed gain"
    assert sorted(q.options) == ["Energy gain", "Speed gain", "Storage gain"]
    assert "speed" not in q.prompt.lower()  # the stem does not give the key away
    assert quiz_problem(q) is None and form_problem(q, "en") is None


def test_a_label_paired_with_two_values_is_not_asked() -> None:
    recap = ("Recap", "Warm cache: Energy gain\nCold cache: Speed gain")
    slides = [*SLIDES, OVERVIEW, MEMORY, recap]
    labels = {p.label for p in pairs(_lc(slides))}
    assert "Warm cache" not in labels and "Cold cache" not in labels  # two keys: ambiguous
    assert "Shared storage" in labels  # one value: still asked


def test_a_single_caption_and_a_lead_in_label_are_not_asked() -> None:
    one = [*SLIDES[:3], ("Summary", "Warm cache: Speed gain\nThe rest is left to the reader"), OVERVIEW]
    assert pairs(_lc(one)) == []  # one pair on its slide: a caption, not a comparison
    lead = [*SLIDES[:3], ("Summary", "Main result: Speed gain\nOther result: Energy gain"), OVERVIEW]
    assert pairs(_lc(lead)) == []  # labels the lecture names on no other slide


def test_only_english_lectures_are_asked() -> None:
    lc = _lc()
    assert pairs(dataclasses.replace(lc, text_lang="es")) == []
    assert pairs(dataclasses.replace(lc, lang="fr")) == []


def test_the_quiz_asks_the_pairs() -> None:
    quiz = QuizBuilder([_lc()], Phraser(None), difficulty="medium", seed=3).build(20)
    asked = [q for q in quiz if "goes with" in q.prompt]
    assert asked and all(q.kind == "multiple_choice" for q in asked)
