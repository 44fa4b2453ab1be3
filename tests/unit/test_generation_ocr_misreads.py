"""Misreads OCR leaves in a scanned slide that the gate refuses or repairs by form (workers/generation/
ocr_lines.py through gate.gate_material): a symbol read as a dash, a quote or a euro sign; a word with a
misread accent; a number or an icon read as a short token before a list item; a logo read into a title or a
caption. A text layer's lines are left as they are."""

from __future__ import annotations

from dataclasses import replace

from tests.support.study import lecture
from workers.generation.candidates import extract
from workers.generation.gate import gate_material
from workers.generation.material import FigureInfo, LectureMaterial


def _ocr(material: LectureMaterial) -> LectureMaterial:
    slides = [replace(s, source="ocr", ocr_confidence=0.95) for s in material.slides]
    return replace(material, slides=slides)


def _points(material: LectureMaterial) -> list[str]:
    return [p.text for _, p in extract(material).points]


def test_a_line_with_a_minus_read_as_a_dash_or_a_prime_read_as_a_quote_is_refused_on_an_ocr_page() -> None:
    slides = [
        (
            "Leave one out",
            "Leave one out\n• Each model is fit on N — 1 data points to predict one observation.\n"
            "• Optionally: the input embedding vectors (x‘) are learned too.\n"
            "• For each fold,i € {1,..., k}: the model is fit on the other folds.\n"
            "• The estimate is nearly unbiased but its variance can be high.\n"
            "• A licence costs 5 € per seat and covers every student of the course.",
        )
    ]
    points = _points(_ocr(lecture(slides)))
    assert not any(("N — 1" in p or "(x‘)" in p or "€ {" in p) for p in points)
    assert "The estimate is nearly unbiased but its variance can be high." in points
    assert "A licence costs 5 € per seat and covers every student of the course." in points
    assert any("N — 1" in p for p in _points(lecture(slides)))  # a text layer's line is not judged so


def test_a_word_with_a_misread_accent_is_refused_in_an_ocr_line_caption_and_title() -> None:
    figure = FigureInfo(
        id=1, page=1, caption="Distribuciones en la seccién transversal", text="", image_path="f.png"
    )
    slides = [
        (
            "Esfuerzos en vigas",
            "Esfuerzos en vigas\n"
            "• Los esfuerzos cortantes en una seccién rectangular varian de forma parabélica.\n"
            "• El esfuerzo normal crece linealmente con la distancia al eje neutro.",
        ),
        (
            "Flejes segin la zona",
            "Flejes segin la zona\n• Los flejes se colocan cerca de los apoyos de la viga.",
        ),
    ]
    gated = gate_material(_ocr(lecture(slides, figures={1: [figure]})), "es")
    assert "seccién" not in gated.slides[0].text
    assert "El esfuerzo normal crece linealmente con la distancia al eje neutro." in gated.slides[0].text
    assert gated.slides[0].figures[0].caption == ""
    assert gated.slides[1].title == ""
    plain = gate_material(lecture(slides, figures={1: [figure]}), "es")  # a text layer is not judged so
    assert "seccién" in plain.slides[0].text and plain.slides[1].title == "Flejes segin la zona"


def test_a_misread_enumerator_before_a_list_item_becomes_a_bullet_on_an_ocr_page() -> None:
    slides = [
        (
            "Dependable programming guidelines",
            "Dependable programming guidelines\n"
            "ile Limit the visibility of information in a program.\n"
            "Bi, Provide a handler for all exceptions.\n"
            "IT Security teams review every program before release.\n"
            "New York offices review every program too.",
        )
    ]
    lines = gate_material(_ocr(lecture(slides)), "en").slides[0].text.split("\n")
    assert lines[1:] == [
        "• Limit the visibility of information in a program.",
        "• Provide a handler for all exceptions.",
        "IT Security teams review every program before release.",  # an abbreviation stays
        "New York offices review every program too.",  # a capitalised word with no mark after it stays
    ]
    assert "Bi, Provide a handler for all exceptions." in gate_material(lecture(slides), "en").slides[0].text


def test_a_logo_read_into_a_scanned_title_or_caption_is_cut_off() -> None:
    figure = FigureInfo(
        id=1, page=1, caption="Behaviour of concrete under load wie REINFORCED", text="", image_path="f.png"
    )
    slides = [
        (
            "Misuse cases re Engineering",
            "Misuse cases re Engineering\n• A misuse case describes an attack on the system by an attacker.",
        ),
        ("Software Engineering", "Software Engineering\n• Engineering a system means building it to a plan."),
    ]
    gated = gate_material(_ocr(lecture(slides, figures={1: [figure]})), "en")
    assert gated.slides[0].title == "Misuse cases"
    assert gated.slides[0].figures[0].caption == "Behaviour of concrete under load"
    assert gated.slides[1].title == "Software Engineering"
    assert gate_material(lecture(slides), "en").slides[0].title == "Misuse cases re Engineering"


def test_a_pictures_labels_read_across_as_one_line_are_refused_on_an_ocr_page() -> None:
    slides = [
        (
            "Point-to-point MIMO channel",
            "Point-to-point MIMO channel\n"
            "• Deterministic channel Transmitter Y Y. Receiver\n"
            "Euro. ay Euro. equity data\n\nequity prices\n"
            "• Data from New York and London reach the Mentcare system\n"
            "• Generalization of SIMO and MISO channels",
        )
    ]
    lines = [x for x in gate_material(_ocr(lecture(slides)), "en").slides[0].text.split("\n") if x.strip()]
    assert lines == [
        "Point-to-point MIMO channel",
        "• Data from New York and London reach the Mentcare system",  # names after function words
        "• Generalization of SIMO and MISO channels",
    ]
    assert "Transmitter Y Y." in gate_material(lecture(slides), "en").slides[0].text  # a text layer's line


def test_a_table_read_across_its_rows_leaves_only_its_bullets_and_a_title_takes_no_rest() -> None:
    text = (
        "Threat and control analysis\n\n"
        "An unauthorized user Low Only allow system Low cost of implementation\n"
        "gains access as management from but care must be taken\n\n"
        "An unauthorized user High Require all users to Technically feasible\n\n"
        "accesses confidential biometric mechanism.\n\n"
        "• Controls are chosen by the cost of a threat and its likelihood."
    )
    kept = [
        x
        for x in gate_material(_ocr(lecture([("Threat and control analysis", text)])), "en")
        .slides[0]
        .text.split("\n")
        if x.strip()
    ]
    assert kept == [
        "Threat and control analysis",
        "• Controls are chosen by the cost of a threat and its likelihood.",
    ]
    # a cover's debris under the title is not joined to it as a sentence's rest
    cover = (
        "Comments on concrete\n\nwie REINFORCED\n\n• Concrete is strong in compression and weak in tension."
    )
    gated = gate_material(_ocr(lecture([("Comments on concrete", cover)])), "en").slides[0].text
    assert "wie" not in gated and "• Concrete is strong in compression and weak in tension." in gated


def test_with_labels_read_across_on_a_page_its_other_short_labels_go_too() -> None:
    text = (
        "Authentication and authorization\n\nNew York trading system\n\nLondon trading system\n\n"
        "Euro. ay Euro. equity data\n\n"
        "• Each office checks who its users are before they reach the equity data.\n\n"
        "Distributed assets are harder to protect\nthan assets kept in one place."
    )
    slides = [("Authentication and authorization", text)]
    kept = [x for x in gate_material(_ocr(lecture(slides)), "en").slides[0].text.split("\n") if x.strip()]
    assert kept == [
        "Authentication and authorization",
        "• Each office checks who its users are before they reach the equity data.",
        "Distributed assets are harder to protect",
        "than assets kept in one place.",
    ]
    # without a line of labels read across, short lines stay (only a picture's own words are its labels)
    plain = text.replace("Euro. ay Euro. equity data\n\n", "")
    assert (
        "New York trading system"
        in gate_material(_ocr(lecture([(slides[0][0], plain)])), "en").slides[0].text
    )
