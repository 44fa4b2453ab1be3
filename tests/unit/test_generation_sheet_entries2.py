"""Cheat-sheet entries of the second judged round: lines pointing to what they never state, a count of
items never named, a formula's legend, a symbol moved out of its line refused; long section titles and a
sub-heading's explaining line kept (workers/generation/sheet_entries.py, sheet_rules.py)."""

from __future__ import annotations

import time
from pathlib import Path

from workers.generation.candidates import Group, Point, SourceRef
from workers.generation.cheatsheet import _shown_points
from workers.generation.sheet_entries import explained_subheads, joined_lead_ins, sheet_title
from workers.generation.sheet_rules import label, list_items_ok, point_reason


def _ref(page: int) -> SourceRef:
    return SourceRef(lecture_id=1, lecture="L", file=str(Path("deck.pdf")), page=page)


def test_lines_pointing_to_what_the_sheet_does_not_show_are_refused() -> None:
    title = "Back to Models"
    for text in [
        "Implementing one of these evaluation schemes requires splitting up the data you have.",
        "If you have a huge amount of data, you can push this to a 90/10 split or even smaller",
        "Each employee must be in one of these two subclasses.",
        "Similar if primary key of Students tuple is updated.",
        "Like a ‘logical pointer’.",
        "The problem is that you want to have as much data as possible inside your model",
        "The key: precise semantics for relational queries.",
        "Queries involving all employees easy, those involving just Hourly_Emps require a join.",
        "Destroys the relation Students. The schema information and the tuples are deleted.",
        "We have gone through a German transcript and found many infinitival matrix verbs.",
    ]:
        assert point_reason(title, text) == "dangling", text
    # a statement naming its own subject stays, "this" before a noun included
    assert point_reason(title, "In this approach the test set is used once, at the very end.") is None
    assert point_reason(title, "The test set estimates the error on new data.") is None
    # "those" naming a noun of its own sentence, "these" deep in a step: no referent lost
    fit = "Once you have decided, you fit a final model using those parameters on your training set"
    assert point_reason(title, fit) is None
    assert point_reason(title, "Evaluate performance on these CV predictions") is None


def test_a_noun_phrase_whose_only_verb_is_its_relative_clause_is_a_fragment() -> None:
    assert point_reason("Security policies", "The assets that must be protected") == "fragment"
    assert point_reason("Keys", "A key that must be unique is a candidate key") is None


def test_a_count_of_items_never_named_a_legend_and_a_moved_symbol_are_refused() -> None:
    reason = point_reason(
        "Architectural design",
        "Two fundamental issues have to be considered when designing an architecture for security.",
    )
    assert reason == "announces a list"
    assert point_reason("Eigenvalue decomposition", "𝐔 contains (unit-norm) eigenvectors as columns")
    assert point_reason("Матрицы молекулярных графов", "V — набор вершин графа") == "symbol legend"
    assert list_items_ok(["V — набор вершин графа", "E — набор ребер графа"]) == []
    moved = "Higher values of put fewer observations into each test fold, and more into each model k"
    assert point_reason("Selecting and Tradeoffs k", moved) == "cut off"
    assert label("Selecting and Tradeoffs k") == "Selecting and Tradeoffs"
    assert label("Vitamin K") == "Vitamin K"


def test_a_long_section_title_leads_entries_and_a_subheading_joins_its_explaining_line() -> None:
    title = "Interpretación de los gráficos de los esfuerzos principales y esfuerzo cortante máximo"
    assert sheet_title(title)
    assert not sheet_title("This sentence is far too long to be a title, it goes on and on and on.")
    points = [
        Point("Trayectorias de esfuerzos", _ref(34)),
        Point("Posición del refuerzo", _ref(36)),
        Point("Esfuerzo cortante máximo (tmax)xy", _ref(37)),
        Point("Asociado con el esfuerzo de falla de Tresca", _ref(37)),
    ]
    joined = explained_subheads(points)
    assert [p.text for p in joined][-1] == (
        "Esfuerzo cortante máximo (tmax)xy: asociado con el esfuerzo de falla de Tresca"
    )
    # not across slides
    assert len(explained_subheads([points[1], Point(points[3].text, _ref(38))])) == 2
    shown = _shown_points(Group(title, points, [_ref(34)]), [], None, "es")
    assert [p.text for p in shown] == [
        "Esfuerzo cortante máximo (tmax)xy: asociado con el esfuerzo de falla de Tresca"
    ]


def test_a_short_lead_in_joins_the_statement_after_it_on_its_slide() -> None:
    title = "Interpretación de los gráficos de esfuerzos y deformaciones"
    lines = [
        ("Fuerza axial en toda su longitud:", 5),
        ("Esfuerzos en el interior de la viga:", 6),
        ("Los esfuerzos son independientes de la profundidad en z.", 6),
    ]
    points = [Point(t, _ref(p)) for t, p in lines]
    joined = joined_lead_ins(points, title)
    assert [p.text for p in joined] == [
        "Fuerza axial en toda su longitud:",
        "Esfuerzos en el interior de la viga: Los esfuerzos son independientes de la profundidad en z.",
    ]
    shown = _shown_points(Group(title, points, [_ref(5)]), [], None, "es")
    assert [p.text for p in shown] == [joined[1].text]
    # not across slides, not onto a formula's debris or another lead-in
    assert len(joined_lead_ins([points[0], points[2]], title)) == 2
    debris = [Point("Capacity of subchannel k:", _ref(12)), Point("S q)", _ref(12))]
    assert len(joined_lead_ins(debris, "S parallel channels")) == 2
    # a lead-in whose formula was lost does not take the next line on another topic
    other = [Point("Matrix form:", _ref(1)), Point("Deeper stacks learn more abstract features.", _ref(1))]
    assert len(joined_lead_ins(other, "Stacked networks")) == 2


def test_a_lead_in_over_list_items_keeps_its_list() -> None:
    """The lead-in is not glued to its list's first item, whether the items are names or short sentences."""
    lines = ("Security requirements include:", "Risk avoidance requirements", "Risk detection requirements")
    names = [Point(t, _ref(3)) for t in lines]
    assert joined_lead_ins(names, "Security requirements") == names
    sentences = [
        Point(t, _ref(4))
        for t in ("Threat types:", "Interception threats allow access.", "Interruption threats stop service.")
    ]
    assert joined_lead_ins(sentences, "Threats") == sentences


def test_hostile_long_lines_are_judged_in_bounded_time() -> None:
    """A 100k-character line or title (a hostile deck) is refused or labelled at once, not after minutes of
    regex backtracking (the end-anchored patterns took 183 s and 131 s on these before)."""
    start = time.perf_counter()
    assert point_reason("Title", "a" * 100_000) == "too long"
    assert label(" " * 100_000 + "Key constraints (1/").endswith("Key constraints")
    assert time.perf_counter() - start < 2.0
