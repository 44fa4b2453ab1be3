"""The readability gate on OCR'd pages: a line dropped mid-sentence takes the line that continues it, but a
title's line continues into no sentence, and a numbered line starts an item of its own."""

from __future__ import annotations

from shared.schemas import SourceRef
from workers.generation.gate import gate_slide
from workers.generation.material import Slide


def _slide(title: str, text: str) -> Slide:
    ref = SourceRef(lecture_id=1, lecture="Beams", file="beams.pdf", page=3)
    return Slide(ref=ref, title=title, text=text, source="ocr", ocr_confidence=0.9)


def _lines(slide: Slide) -> list[str]:
    return [x.strip() for x in gate_slide(slide, "en").text.split("\n") if x.strip()]


def test_a_line_after_a_refused_title_line_is_kept() -> None:
    # the title's line is refused (a symbol misread as "g,,"); the line under it is no rest of a sentence
    title = "Plots of the stresses g,, gz"
    slide = _slide(title, f"{title}\n\nNormal stress in the vertical direction of the beam")
    assert _lines(slide) == ["Normal stress in the vertical direction of the beam"]


def test_a_lone_label_or_a_wrapped_rest_after_a_refused_title_line_still_goes() -> None:
    title = "Plots of the stresses g,, gz"
    assert _lines(_slide(title, f"{title}\nActors\nDescription\nMedical receptionist")) == []
    assert _lines(_slide(title, f"{title}\nand strains in the beam\nNormal stress")) == []


def test_the_rest_of_a_refused_body_line_still_goes() -> None:
    slide = _slide(
        "Stresses",
        "Stresses\nThe stresses g,, gz in the beam depend on the\nLoad applied to the beam and its shape.",
    )
    assert _lines(slide) == ["Stresses"]


def test_a_numbered_line_after_a_refused_line_is_kept() -> None:
    slide = _slide(
        "Verb placement",
        "Verb placement\n(1) The children were recorded with g,, gz and\n"
        "(2) Summary of the data: most finite verbs appear in second position.\n"
        "Another group of the children was recorded",
    )
    assert _lines(slide) == [
        "Verb placement",
        "(2) Summary of the data: most finite verbs appear in second position.",
        "Another group of the children was recorded",
    ]


def test_an_unnumbered_line_after_a_refused_line_still_goes() -> None:
    slide = _slide(
        "Verb placement",
        "Verb placement\n(1) The children were recorded with g,, gz and\nSummary of the data for most verbs",
    )
    assert _lines(slide) == ["Verb placement"]


def test_an_equation_number_finishing_a_refused_sentence_still_goes() -> None:
    slide = _slide(
        "Beam deflection",
        "Beam deflection\nThe deflection follows from g,, gz as derived in equation\n"
        "(3) and then substituted into the moment formula.\nThe maximum deflection is at midspan.",
    )
    assert _lines(slide) == ["Beam deflection", "The maximum deflection is at midspan."]


def test_a_bulleted_line_after_a_refused_sentence_starts_an_item() -> None:
    slide = _slide(
        "Beam deflection",
        "Beam deflection\nThe deflection follows from g,, gz as derived in\n"
        "• use the moment formula at midspan",
    )
    assert _lines(slide) == ["Beam deflection", "• use the moment formula at midspan"]
