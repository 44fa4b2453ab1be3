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
    # nor is an example's enumerator ("c ...* ne comprendre pas", its period lost) a sentence's rest
    example = _ocr(lecture([("French", "Children seem not to understand it\n\nc ...* ne comprendre pas")]))
    assert "c ...* ne comprendre pas" in gate_slide(example.slides[0], "en").text.split("\n")


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
    # nor is a title with such a symbol kept on an OCR page (the figure under it is then no "Figure: O,, Oy")
    titled = _ocr(
        lecture([("Stress plots O,, Oy, Txy", "Stress plots O,, Oy, Txy\n• Each plot shows one stress.")])
    )
    assert gate_slide(titled.slides[0], "en").title == ""


def test_the_labels_of_a_picture_read_into_a_scanned_page_are_no_lines() -> None:
    from workers.generation.material import FigureInfo

    diagram = FigureInfo(
        id=1, page=1, caption="", text="Application\n\nMiddleware\n\nOperating\nSystem", image_path="f.png"
    )
    text = (
        "System layers\nApplication\n\nMiddleware\n\nOperating\nSystem\n"
        "• Security may be compromised at every layer of the system.\n"
        "Application code\nis written by the\ndevelopers of the system!"
    )
    scan = _ocr(lecture([("System layers", text)], figures={1: [diagram]})).slides[0]
    kept = gate_slide(scan, "en").text
    assert "Middleware" not in kept and "Operating" not in kept
    # a bullet, and a sentence wrapped over short lines inside the picture, are kept
    assert "• Security may be compromised at every layer of the system." in kept
    assert "developers of the system!" in kept and "Application code" in kept
    # a text layer's lines are not judged so
    assert (
        "Middleware"
        in gate_slide(lecture([("System layers", text)], figures={1: [diagram]}).slides[0], "en").text
    )


def test_debris_at_the_end_of_a_scanned_title_is_cut_off() -> None:
    from workers.generation.gate import gate_material

    slides = [
        (
            "Mentcare use case - Transfer data ny 4",
            "Mentcare use case - Transfer data ny 4\n"
            "• The receptionist transfers the patient's personal data to the records system.",
        ),
        ("Queries in SQL", "Queries in SQL\n• A query in SQL names the relations it reads from."),
        ("Numerals Part II", "Numerals Part II\n• The second part of the numerals lecture follows here."),
    ]
    titles = [s.title for s in gate_material(_ocr(lecture(slides)), "en").slides]
    assert titles == ["Mentcare use case - Transfer data", "Queries in SQL", "Numerals Part II"]
    assert gate_material(lecture(slides), "en").slides[0].title.endswith("ny 4")  # a text layer's title


def test_a_sentence_whose_misread_tail_is_dropped_goes_whole_on_an_ocr_page() -> None:
    text = (
        "Key intuition\n• Replace the multiplicative architecture\n"
        "of the vanilla RNN with an additive one\n\nthat is less prone to the vanishing\naradiant nrahlem:\n"
        "• The cell state works like a conveyor belt.\n"
        "• Each cell removes some old information and adds some new information."
    )
    points = _points(_ocr(lecture([("Key intuition", text)])))
    assert points == [  # no cut "Replace ... with an additive one"
        "The cell state works like a conveyor belt.",
        "Each cell removes some old information and adds some new information.",
    ]
