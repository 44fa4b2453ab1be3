"""The readability gate every kind of study material passes through (workers/generation/gate.py): OCR
debris, quotations, cut-off or merged definitions, worked-example lines, code labels and lone examples never
reach a cheat sheet, a quiz or a card; formulas must parse as mathematics."""

from __future__ import annotations

from dataclasses import replace

from shared.schemas import SourceRef
from tests.support.study import lecture
from workers.generation.candidates import Group, Point, extract
from workers.generation.cheatsheet import _shown_points
from workers.generation.material import LectureMaterial
from workers.generation.maths import parses_as_maths
from workers.generation.sheet_lists import with_lead_in_lists

RULE = (
    "Photosynthesis",
    "Photosynthesis is the process by which plants turn light into chemical energy.\n"
    "• Chlorophyll absorbs red and blue light\n• Oxygen is released as a by-product",
)


def _ocr(material: LectureMaterial, page: int, confidence: float) -> LectureMaterial:
    slides = [
        replace(s, source="ocr", ocr_confidence=confidence) if s.ref.page == page else s
        for s in material.slides
    ]
    return replace(material, slides=slides)


def _all_text(material: LectureMaterial) -> str:
    lc = extract(material)
    parts = [f"{d.term} {d.definition}" for d in lc.definitions] + [f.text for f in lc.formulas]
    parts += [f"{g.title}: {p.text}" for g in lc.groups for p in g.points]
    return "\n".join(parts)


def test_a_page_read_by_ocr_with_low_confidence_gives_nothing() -> None:
    handwritten = ("Notes", "Mitosis is the division of a cell into two identical daughter cells.")
    assert "Mitosis" in _all_text(_ocr(lecture([RULE, handwritten]), 2, 0.9))
    assert "Mitosis" not in _all_text(_ocr(lecture([RULE, handwritten]), 2, 0.6))


def test_a_misread_page_of_short_non_words_gives_nothing_even_when_confident() -> None:
    debris = ("Page", "ART enn eee GAT WT BOAT ay ae\nsar le oy ere ile aq Ye ra Sy ar\nMitosis is division")
    assert "Mitosis" not in _all_text(_ocr(lecture([RULE, debris]), 2, 0.9))


def test_an_ocr_line_of_non_words_is_dropped_but_the_same_line_in_a_text_layer_is_kept() -> None:
    slide = (
        "Cells",
        "Mitosis is the division of a cell into two daughter cells.\n• Emptovesst bependents Heneticiany",
    )
    assert "Emptovesst" in _all_text(lecture([RULE, slide]))
    scanned = _all_text(_ocr(lecture([RULE, slide]), 2, 0.9))
    assert "Emptovesst" not in scanned and "Mitosis" in scanned


def test_a_foreign_example_on_a_scanned_page_is_dropped() -> None:
    slide = (
        "Word order",
        "Children place finite verbs second in the clause.\n• Papa nieuwe scooter kopen en kranten weg doen",
    )
    assert "scooter" in _all_text(lecture([RULE, slide]))  # its words are in the word list, if rare
    scanned = _all_text(_ocr(lecture([RULE, slide]), 2, 0.9))
    assert "scooter" not in scanned and "finite verbs" in scanned


def test_a_scanned_line_with_a_word_misread_once_is_dropped() -> None:
    slide = (
        "Verbs",
        "English derives the dinfinitival form via zero morphology.\n• Children place finite verbs second.",
    )
    assert "dinfinitival" in _all_text(lecture([RULE, slide]))
    scanned = _all_text(_ocr(lecture([RULE, slide]), 2, 0.9))
    assert "dinfinitival" not in scanned and "finite verbs" in scanned


def test_formulas_must_parse_as_mathematics() -> None:
    assert parses_as_maths("C = log2(1 + SNR)")
    assert parses_as_maths("P(A|B) = P(B|A) P(A) / P(B)")
    assert parses_as_maths("H = −∑ p log p")
    assert not parses_as_maths("f(x) = x + * y")  # two operators in a row
    assert not parses_as_maths("R = (a + b)) (c")  # brackets closed out of order
    assert not parses_as_maths("The cost = the number of pages we read")  # prose with "="
    maths = (
        "Capacity",
        "• C = log2(1 + SNR)\n• f(x) = x + * y\nThe capacity grows with the signal to noise ratio.",
    )
    text = _all_text(lecture([RULE, maths]))
    assert "C = log2(1 + SNR)" in text and "x + * y" not in text


def test_quotations_and_their_credit_are_dropped() -> None:
    quote = (
        "Energy",
        "“Nothing in biology makes sense except in the light of evolution.”\n— Theodosius Dobzhansky\n"
        "ATP is the molecule that stores energy in the cell.",
    )
    text = _all_text(lecture([RULE, quote]))
    assert "Dobzhansky" not in text and "Nothing in biology" not in text and "ATP" in text
    day = ("Quote of the day", "Science is organized knowledge in the form of testable explanations.")
    assert "organized knowledge" not in _all_text(lecture([RULE, day]))


def test_a_definition_wrapped_over_a_blank_line_is_whole_and_a_cut_one_is_dropped() -> None:
    wrapped = (
        "Rates",
        "Incidence rate is the number of new cases of a disease per\n\nunit of person-time at risk.",
    )
    lc = extract(lecture([RULE, wrapped]))
    found = {d.term: d.definition for d in lc.definitions}
    assert found["Incidence rate"].endswith("person-time at risk")
    cut = ("Rates", "Incidence rate is the number of new cases of a disease per\n\n• Prevalence is common")
    assert "Incidence rate" not in {d.term for d in extract(lecture([RULE, cut])).definitions}


def test_two_columns_read_across_as_one_line_make_no_definition() -> None:
    merged = ("Reasoning", "Deduction is a method from general to specific specific to general")
    assert "Deduction" not in {d.term for d in extract(lecture([RULE, merged])).definitions}


def test_a_worked_example_line_about_a_person_is_no_definition() -> None:
    example = ("Family data", "Emma is the mother of Sophie and lives in Leeds with her family.")
    assert "Emma" not in {d.term for d in extract(lecture([RULE, example])).definitions}


def test_a_section_labelled_with_a_query_and_a_lone_example_are_dropped() -> None:
    query = (
        "SELECT S.name FROM Sailors S WHERE S.rating > 7",
        "Finds the names of sailors with a high rating",
    )
    lone = ("Osmosis", "e.g. a raisin left in water swells up overnight")
    titles = {g.title for g in extract(lecture([RULE, query, lone])).groups}
    assert titles == {"Photosynthesis"}


def _ref(page: int = 2) -> SourceRef:
    return SourceRef(lecture_id=1, lecture="L1", file="l1.pdf", page=page)


def test_a_lead_in_and_its_short_items_are_one_sheet_entry() -> None:
    points = [
        Point(t, _ref())
        for t in (
            "Security requirements include:",
            "Risk avoidance requirements",
            "Risk detection requirements",
            "Risk mitigation requirements",
            "Each kind is specified separately.",
        )
    ]
    group = Group(title="Security requirements", points=points, refs=[_ref()])
    shown = [p.text for p in _shown_points(group, [], None, "en")]
    assert shown[0] == (
        "Security requirements include: Risk avoidance requirements • Risk detection requirements • "
        "Risk mitigation requirements"
    )
    maths = [
        Point(t, _ref()) for t in ("Let S denote the rank:", "Useful subchannels", "Useless subchannels")
    ]
    assert with_lead_in_lists(maths) == maths  # a lead-in to maths is no list


def test_a_section_that_is_no_readable_list_still_shows_its_statements() -> None:
    points = [Point(t, _ref()) for t in ("SELECT S.name FROM Students S", "Views are stored queries.")]
    group = Group(title="Views", points=points, refs=[_ref()])
    shown = [p.text for p in _shown_points(group, [], None, "en")]
    assert shown == ["Views are stored queries."]


def test_ocr_debris_a_titleless_ocr_heading_and_example_lines_are_dropped() -> None:
    slide = (
        "C ssn 2",
        "« A weak entity is identified by the key of its owner entity.\n"
        "• policy can only Cay \\ Clot > dependent!\n"
        "• As another example, the CREATE TABLE Enrolled",
    )
    lc = extract(_ocr(lecture([RULE, slide]), 2, 0.9))
    text = "\n".join(f"{g.title}: {p.text}" for g in lc.groups for p in g.points)
    assert "weak entity" in text and "Clot" not in text and "another example" not in text
    assert "ssn" not in text


def test_a_sentence_whose_middle_line_is_dropped_is_dropped_whole() -> None:
    slide = (
        "Verbs",
        "English is the only Germanic language which derives\n"
        "the dinfinitival form via zero morphology and\n"
        "nothing else in the paradigm.\n"
        "• Children place finite verbs second.",
    )
    lc = extract(_ocr(lecture([RULE, slide]), 2, 0.9))
    text = "\n".join(p.text for g in lc.groups for p in g.points) + "\n".join(d.term for d in lc.definitions)
    assert "finite verbs" in text
    assert "derives" not in text and "paradigm" not in text and "English" not in text


def test_an_ocr_line_of_latin_words_on_a_chinese_lecture_is_judged_in_english() -> None:
    """wordfreq cannot look up Chinese without jieba: Latin words on a Chinese OCR page are read as English
    (the Chinese biology deck failed every document with ModuleNotFoundError before)."""
    from workers.generation.gate import ocr_line_readable

    assert ocr_line_readable("allopatric speciation happens when populations become separated", "zh")
    assert not ocr_line_readable("xqzt vbrmp kwjd flarbn gzzt", "zh")
