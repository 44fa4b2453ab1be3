"""Concept salience (workers/generation/salience.py): quiz questions and cards are filled from the concepts a
lecture is about (its titles, repeated across its slides, defined, rare in general language), an item on a
one-off term is dropped, and a floor keeps a minimum. Made-up slides only."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.support.study import lecture
from workers.generation import salience
from workers.generation.candidates import LectureCandidates, extract
from workers.generation.flashcards import CardDraft, card_drafts, salient_first
from workers.generation.phrasing import Phraser
from workers.generation.quiz import QuizBuilder
from workers.generation.salience import build_salience, floor_for, salient

SLIDES = [
    (
        "Deadlock",
        "A deadlock is a state in which every process of a set waits for a resource held by another "
        "process of the set.\nA deadlock stops every process involved until the system intervenes.",
    ),
    (
        "Conditions for deadlock",
        "Mutual exclusion: only one process may use a resource at any given time.\n"
        "Hold and wait: a process holds one resource while it waits for another resource.\n"
        "No preemption: a resource is released only by the process that holds it.\n"
        "Circular wait: a closed chain of processes in which each waits for the next.",
    ),
    (
        "Deadlock prevention",
        "Deadlock prevention removes one of the four conditions before the processes run.\n"
        "Resource ordering is a prevention scheme that numbers every resource type and requests them in "
        "order.",
    ),
    (
        "Deadlock detection",
        "A wait-for graph is a directed graph whose nodes are processes and whose edges show who waits for "
        "whom.\nDeadlock detection searches the wait-for graph of the processes for a cycle.",
    ),
    (
        "Deadlock avoidance",
        "The banker's algorithm is an avoidance method that grants a request only when the resulting state "
        "is safe.\nA safe state is a state in which the system can run every process to completion in some "
        "order.",
    ),
    (
        "Background",
        "The reading room is a quiet place on the second floor where students may borrow old printed notes.",
    ),
]


def _lecture() -> LectureCandidates:
    return extract(lecture(SLIDES, title="Deadlocks"))


def _score(lc: LectureCandidates) -> Callable[[CardDraft], float]:
    sal = build_salience(lc)
    return lambda d: sal.of(f"{d.front} {d.back}")


def test_a_term_in_titles_and_repeated_is_more_salient_than_a_one_off_term() -> None:
    sal = build_salience(_lecture())
    assert sal.term("deadlock") > sal.term("Deadlock detection") > sal.term("reading room")
    assert sal.term("deadlock") > 0.8 > 0.3 > sal.term("reading room")
    assert sal.of("What does the reading room offer?") < sal.of("What is a deadlock?")
    assert sal.of("Today we meet in a new group") < 0.2  # ordinary words, named nowhere else


def test_cards_are_filled_from_the_most_salient_concepts_first() -> None:
    lc = _lecture()
    pool = list(card_drafts([lc], Phraser(None)))
    assert any(d.front == "reading room" for d in pool)  # the generator offers the one-off term
    kept = salient_first([lc], pool, 4)
    score = _score(lc)
    assert [score(d) for d in kept] == sorted((score(d) for d in kept), reverse=True)
    assert "deadlock" in f"{kept[0].front} {kept[0].back}".lower()
    assert all(d.front != "reading room" for d in kept)


def test_the_threshold_drops_a_card_on_a_one_off_term(monkeypatch: pytest.MonkeyPatch) -> None:
    lc = _lecture()
    pool = list(card_drafts([lc], Phraser(None)))
    kept = salient_first([lc], pool, len(pool))  # room for every draft: only the threshold drops one
    assert all(d.front != "reading room" for d in kept)
    assert any("deadlock" in d.front.lower() for d in kept)
    monkeypatch.setattr(salience, "MIN_SALIENCE", 0.0)  # the rule disabled: the one-off term comes back
    assert any(d.front == "reading room" for d in salient_first([lc], pool, len(pool)))


def test_the_floor_keeps_the_most_salient_of_what_is_left(monkeypatch: pytest.MonkeyPatch) -> None:
    lc = _lecture()
    monkeypatch.setattr(salience, "FLOOR_MIN", 3)
    monkeypatch.setattr(salience, "FLOOR_SHARE", 0.25)
    pool = list(card_drafts([lc], Phraser(None)))
    monkeypatch.setattr(salience, "MIN_SALIENCE", 1.01)  # nothing reaches it
    kept = salient_first([lc], pool, 20)
    assert len(kept) == floor_for(20) == 5
    score = _score(lc)
    assert min(score(d) for d in kept) >= max(score(d) for d in pool if d not in kept)
    items = ["a", "b", "c", "d", "e", "f"]
    low: dict[str, float] = {"a": 0.1, "b": 0.3, "c": 0.2, "d": 0.9, "e": 0.05, "f": 0.25}
    assert salient(items, low.__getitem__, 12, threshold=0.5) == [
        "b",
        "d",
        "f",
    ]  # floor 3, given order
    assert salient(items, low.__getitem__, 12, threshold=0.5, floor=0) == ["d"]
    lecture_of = {"a": 1, "b": 1, "c": 1, "d": 1, "e": 2, "f": 2}.__getitem__  # each lecture keeps its floor
    assert salient(items, low.__getitem__, 12, threshold=0.5, floor=2, group=lecture_of) == [
        "b",
        "d",
        "e",
        "f",
    ]


def test_quiz_questions_below_the_threshold_only_fill_the_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    lc = _lecture()
    sal = build_salience(lc)
    monkeypatch.setattr(salience, "FLOOR_MIN", 3)
    monkeypatch.setattr(salience, "MIN_SALIENCE", 0.0)
    every = QuizBuilder([lc], Phraser(None)).build(8)
    scores = sorted((sal.of(f"{q.prompt} {q.answer_text}") for q in every), reverse=True)
    high = [s for s in scores if s >= 0.9]
    assert len(every) > floor_for(8) and 0 < len(high) < floor_for(8)  # the premise of the test
    monkeypatch.setattr(salience, "MIN_SALIENCE", 0.9)
    quiz = QuizBuilder([lc], Phraser(None)).build(8)
    got = sorted((sal.of(f"{q.prompt} {q.answer_text}") for q in quiz), reverse=True)
    assert len(quiz) == floor_for(8)  # the salient ones, and the best of the rest up to the floor
    assert got[: len(high)] == high  # every salient question is kept
    monkeypatch.setattr(salience, "FLOOR_MIN", 0)
    monkeypatch.setattr(salience, "FLOOR_SHARE", 0.0)
    assert len(QuizBuilder([lc], Phraser(None)).build(8)) == len(high)  # no floor: only the salient ones


def test_a_less_salient_lecture_is_not_crowded_out() -> None:
    items = ["a1", "a2", "a3", "b1", "b2"]
    score = {"a1": 0.9, "a2": 0.8, "a3": 0.7, "b1": 0.5, "b2": 0.4}.__getitem__
    picked = salient(items, score, 2, threshold=0.3, floor=0, group=lambda x: x[0])
    assert picked == ["a1", "b1"]  # each lecture's best in turn, not the two best of one lecture
