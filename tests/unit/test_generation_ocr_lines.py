"""What OCR does to a slide's lines (workers/generation/ocr_lines.py through the gate): a bullet read as a
quotation mark or "=" is a bullet, a sentence split over a blank line is one point, a line with a symbol
misread as letters and doubled commas is refused; a text layer's lines are left as they are."""

from __future__ import annotations

from dataclasses import replace

from tests.support.study import lecture
from workers.generation.candidates import extract
from workers.generation.gate import gate_slide
from workers.generation.material import LectureMaterial


def _ocr(material: LectureMaterial) -> LectureMaterial:
    slides = [replace(s, source="ocr", ocr_confidence=0.95) for s in material.slides]
    return replace(material, slides=slides)


def _points(material: LectureMaterial) -> list[str]:
    return [p.text for _, p in extract(material).points]


SECURITY = [
    (
        "Security dimensions",
        "Security dimensions\n"
        '" Information in a system may be disclosed to people who are not authorized to read it.\n'
        '" Information in a system may be damaged or corrupted, making it unreliable.\n'
        "= Access to a system or its data that is normally available may not be possible.",
    ),
    (
        "Security and availability",
        "Security and availability\n"
        "• A common attack on a web-based system is a denial of service attack, where a web server is "
        "flooded with service\n\n"
        "requests from a range of different sources.\n"
        "• The aim of this attack is to make the system unavailable.",
    ),
]


def test_a_bullet_read_as_a_quotation_mark_or_equals_sign_is_a_bullet_on_an_ocr_page() -> None:
    points = _points(_ocr(lecture(SECURITY[:1])))
    assert points == [
        "Information in a system may be disclosed to people who are not authorized to read it.",
        "Information in a system may be damaged or corrupted, making it unreliable.",
        "Access to a system or its data that is normally available may not be possible.",
    ]
    # a quotation mark closed on its line opens a quotation, not a bullet
    quote = _ocr(lecture([("Motto", '" Premature optimization is the root of all evil"\nRule one applies')]))
    assert '" Premature optimization' in gate_slide(quote.slides[0], "en").text
    # "= x + y" (no capitalised word) is a formula's rest, not a bullet
    formula = _ocr(lecture([("Sum", "The total is\n= x + y for every pair of inputs")])).slides[0]
    assert "= x + y" in gate_slide(formula, "en").text


def test_a_sentence_ocr_split_over_a_blank_line_is_one_point() -> None:
    points = _points(_ocr(lecture(SECURITY[1:])))
    assert points[0] == (
        "A common attack on a web-based system is a denial of service attack, where a web server is flooded "
        "with service requests from a range of different sources."
    )
    assert not any(p.startswith("requests") for p in points)
    # a sentence that ends before the blank line is not joined to a lower-case line after it
    done = _ocr(lecture([("Notes", "The attack is over.\n\nmany attacks follow later in the week")])).slides[
        0
    ]
    assert gate_slide(done, "en").text.split("\n") == [
        "The attack is over.",
        "",
        "many attacks follow later in the week",
    ]


def test_a_text_layer_keeps_its_quotation_marks_and_blank_line_breaks() -> None:
    points = _points(lecture(SECURITY))  # source text_layer: nothing of ocr_lines applies
    assert any(p.startswith('" Information in a system') for p in points)
    assert any(p.startswith("requests from a range") for p in points)


def test_a_line_with_a_symbol_misread_as_letters_and_doubled_commas_is_refused_on_an_ocr_page() -> None:
    slides = [
        (
            "Slow fading",
            "Slow fading\n• Fixed channel g,, gz for the entire transmission\n"
            "• The receiver knows the channel but the transmitter does not",
        )
    ]
    points = _points(_ocr(lecture(slides)))
    assert points == ["The receiver knows the channel but the transmitter does not"]
    assert any("g,, gz" in p for p in _points(lecture(slides)))  # a text layer's line is not judged so
