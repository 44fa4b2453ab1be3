"""Cheat-sheet entries blind judges found invalid, refused or repaired by their form
(workers/generation/sheet_entries.py, sheet_rules.label and point_reason)."""

from __future__ import annotations

from pathlib import Path

from workers.generation.sheet_entries import (
    cut_title,
    definition_reason,
    entry_runs,
    figure_boilerplate,
    spliced,
    symbol_tail,
    with_asides,
)
from workers.generation.sheet_rules import label, point_reason


def test_lines_that_go_on_and_runs_of_steps_join_the_entry_before_them() -> None:
    texts = [
        "The model fit on the training set makes new predictions for the test data",
        "Then you compute some fit metric (like MSE or accuracy)",
        "The validation set is used to pick the best values for tunable parameters",
        "Things like learning rates in gradient descent, or amounts of regularization",
        "Should be the same size as your test set",
        "Fit the model to the data not in fold i",
        "Use the model to predict outcomes for the data in fold i",
        "Cross validation only provides an estimate of out-of-sample performance.",
    ]
    pages = [16, 16, 17, 17, 17, 21, 21, 21]
    assert entry_runs(texts, pages) == [[0, 1], [2, 3, 4], [5, 6], [7]]
    # a line that goes on, on another slide, is an entry of its own
    assert entry_runs(texts[:2], [16, 17]) == [[0], [1]]


def test_a_figure_with_a_footer_credit_or_book_cover_in_its_picture_is_boilerplate() -> None:
    assert figure_boilerplate("Esfuerzo normal en x, sx\n10/25/2022 13")
    assert figure_boilerplate("Wight & MacGregor:\nl\n10/25/2022 32")
    assert figure_boilerplate(
        "REINFORCED\n\nCONCRETE\n\nA FUNDAMENTAL APPROACH\n\nFIFTH EDITION\n\nEDWARD G. NAWY"
    )
    assert not figure_boilerplate("Useful subchannels\nUseless subchannels")
    assert not figure_boilerplate("Crop yield\nQ1 Q2 Q3 Q4")  # a chart's bars, no exam's question numbers
    assert not figure_boilerplate("")


def test_a_cut_or_asking_title_makes_no_caption() -> None:
    assert cut_title("Comentarios sobre el concreto: f’")
    assert cut_title("Пример весовой схемы №")
    assert cut_title('What happens in English? Why is "s" deleted?')
    assert not cut_title("Criterio de falla de Mohr-Coulomb")
    assert not cut_title("Vitamin B12 deficiency")


def test_definitions_that_repeat_announce_ask_or_splice_are_no_key_terms() -> None:
    assert definition_reason("Security requirements definition", "Define system security requirements")
    assert definition_reason("Relation", "made up of 2 parts")
    assert definition_reason("Distribution", "How should system assets be distributed?")
    assert (
        definition_reason("Ew", "набор весов ребер w — используемая весовая схема", "ru") == "two definitions"
    )
    assert (
        definition_reason("Threat identification", "Identify the most probable threats to the system assets")
        is None
    )
    assert definition_reason("Relational database", "a set of relations") is None
    assert definition_reason("Vw", "набор весов вершин", "ru") is None
    assert spliced("Ew — набор весов ребер w — используемая весовая схема")
    assert not spliced("Bo — набор типов ребер (связи — одинарная, двойная, ароматическая, …)")


def test_a_lone_letter_moved_out_of_its_formula_goes() -> None:
    assert symbol_tail("Divide your training set into buckets, called folds (5 or 10 are used) k") == (
        "Divide your training set into buckets, called folds (5 or 10 are used)"
    )
    assert symbol_tail("Fit the model to the data not in fold i") == "Fit the model to the data not in fold i"


def test_agenda_words_leave_labels() -> None:
    assert label("Review: Key Constraints") == "Key Constraints"
    assert label("Relational Model: Summary") == "Relational Model"
    assert label("Summary") == "Summary"  # nothing else to keep: agenda_title refuses the section
    assert label("Security review process") == "Security review process"


def test_questions_cut_before_their_mark_and_course_narrative_are_no_points() -> None:
    assert (
        point_reason("Swedish", "Do the non-finite forms indicate that a modal has been left") == "question"
    )
    assert point_reason("Bag of words", "Up to this point, we have only discussed neural approaches") == (
        "dangling"
    )
    assert point_reason("Bag of words", "Does not capture the order of the words in a sentence.") is None


def test_an_aside_in_brackets_explains_the_line_before_it() -> None:
    from shared.schemas import SourceRef
    from workers.generation.candidates import Group, Point
    from workers.generation.cheatsheet import _shown_points

    ref = SourceRef(lecture_id=1, lecture="RNN", file="r.pptx", page=9)
    g = Group(
        "Training",
        [Point("“Backpropagation through time”", ref), Point("(it is just backpropagation)", ref)],
        [ref],
    )
    assert [p.text for p in _shown_points(g, [], None, "en")] == [
        "“Backpropagation through time” (it is just backpropagation)"
    ]
    other = SourceRef(lecture_id=1, lecture="RNN", file="r.pptx", page=10)
    assert len(with_asides([Point("Gates", ref), Point("(three of them)", other)])) == 2


def test_a_form_word_sub_heading_leads_its_short_items() -> None:
    """ "Disadvantages" then two short lines: one point, where the sub-heading alone would be dropped as a
    short phrase and its items with it."""
    from shared.schemas import SourceRef
    from workers.generation.candidates import Group, Point
    from workers.generation.cheatsheet import _shown_points

    ref = SourceRef(lecture_id=1, lecture="RNN", file="r.pptx", page=28)
    lines = [
        "Additive recurrent architectures are (more) resistant to vanishing gradients.",
        "Disadvantages",
        "Hard to parallelize",
        "Exploding gradient",
    ]
    g = Group("LSTM advantages/disadvantages", [Point(x, ref) for x in lines], [ref])
    assert [p.text for p in _shown_points(g, [], None, "en")] == [
        lines[0],
        "Disadvantages: Hard to parallelize • Exploding gradient",
    ]
    labels = Group("Encoder-decoder RNN", [Point("Input text", ref), Point("Output text", ref)], [ref])
    assert _shown_points(labels, [], None, "en") == []


def test_a_list_of_the_names_of_lost_formulas_is_no_entry() -> None:
    from shared.schemas import SourceRef
    from workers.generation.candidates import Group, Point
    from workers.generation.cheatsheet import _shown_points

    ref = SourceRef(lecture_id=1, lecture="MIMO", file="m.pdf", page=22)
    lines = [
        "Ideal capacity with MISO:",
        "Ideal capacity with SIMO:",
        "Outage probability: 10-3",
        "Same behavior but half the SNR",
        "Diversity gain, but no beamforming gain",
    ]
    g = Group("Transmit diversity versus receive diversity", [Point(x, ref) for x in lines], [ref])
    # no list of the names; the one line that states something on its own stays (seventh session)
    assert [p.text for p in _shown_points(g, [], None, "en")] == ["Diversity gain, but no beamforming gain"]
    kinds = Group(
        "Security dimensions",
        [Point(x, ref) for x in ["Confidentiality", "Integrity", "Availability"]],
        [ref],
    )
    assert [p.text for p in _shown_points(kinds, [], None, "en")] == [
        "Confidentiality • Integrity • Availability"
    ]


def test_a_heading_of_what_is_lost_is_no_statement() -> None:
    from workers.generation.sheet_rules import lead_in_text

    assert lead_in_text("Significado físico del signo de la fuerza cortante:") is None
    assert lead_in_text("Fuerza cortante V y momento flector M en los extremos:") is None
    long = "Intuition: we introduce as much new information on the belt as what we forget:"
    assert lead_in_text(long) == long[:-1] + "."
    assert lead_in_text("Los esfuerzos son independientes de la profundidad en la viga:") == (
        "Los esfuerzos son independientes de la profundidad en la viga."
    )


def test_misread_captions_and_example_requirements_are_no_entries() -> None:
    from workers.generation.sheet_entries import misread

    caption = "Un momento de flexidn positivo es aquel que produce traccién en la fibra inferior de la viga."
    assert misread(caption, "es")
    assert not misread(
        "Un momento de flexión positivo produce tracción en la fibra inferior de la viga.", "es"
    )
    assert not misread("Criterio de falla de Mohr-Coulomb", "es")
    req = "A password checker shall be made available and shall be run daily."
    assert point_reason("Security requirements", req) == "example requirement"


def test_a_slide_with_a_footer_in_one_of_its_pictures_gets_no_figure(tmp_path: Path) -> None:
    from shared.files import LocalFileStore
    from tests.support.factories import make_chart_png
    from tests.support.study import lecture
    from workers.generation.candidates import extract
    from workers.generation.cheatsheet import plan_items
    from workers.generation.material import FigureInfo

    files = LocalFileStore(tmp_path / "data")
    key = "uploads/1/1/figures/p0002-0.png"
    files.path(key).parent.mkdir(parents=True, exist_ok=True)
    files.path(key).write_bytes(make_chart_png(tmp_path / "chart.png").read_bytes())
    chart = FigureInfo(id=9, page=2, caption="", text="", image_path=key, area=0.6)
    footer = FigureInfo(id=10, page=2, caption="", text="10/25/2022 29", image_path=key, area=0.1)
    slides = [
        ("Beams", "Beams\nA beam carries loads across a span between its supports."),
        ("Mohr-Coulomb failure criterion", "Mohr-Coulomb failure criterion"),
    ]
    (tmp_path / "work").mkdir()
    clean = plan_items(
        [extract(lecture(slides, figures={2: [chart]}))], files, tmp_path / "work", summaries={}
    )
    assert [i.page for i in clean[0] if i.kind == "figure"] == [2]
    dirty = extract(lecture(slides, figures={2: [chart, footer]}))
    assert not [
        i for i in plan_items([dirty], files, tmp_path / "work", summaries={})[0] if i.kind == "figure"
    ]


def test_a_lead_in_announcing_a_lost_list_is_no_statement() -> None:
    from workers.generation.sheet_rules import lead_in_text

    assert (
        lead_in_text("Two fundamental issues have to be considered when designing a secure architecture:")
        is None
    )
    assert (
        lead_in_text("Security specification has four major differences from safety specification:") is None
    )
    long = "Intuition: we introduce as much new information on the belt as what we forget:"
    assert lead_in_text(long) == long[:-1] + "."
