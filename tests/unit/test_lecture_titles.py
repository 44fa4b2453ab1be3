"""A lecture's readable name from its title slide or its file's metadata, never boilerplate."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF
from pptx import Presentation

from workers.ocr.titles import acceptable, lecture_title, metadata_title, slide_title


def test_the_title_slide_names_the_lecture() -> None:
    text = "Query Optimization\nAndy Pavlo\nCMU 15-445 Fall 2024"
    roles = ["title", "course_meta", "course_meta"]
    first = slide_title(text, roles)
    assert first == "Query Optimization"
    assert lecture_title(first_slide=first, metadata="Microsoft Word - l13.doc", filename="l13.pdf") == (
        "Query Optimization"
    )


def test_a_two_line_title_is_one_name() -> None:
    assert slide_title("Why model\ninfectious disease?\nbody", ["title", "title", "body"]) == (
        "Why model infectious disease?"
    )


def test_metadata_stands_in_when_the_slide_has_no_title() -> None:
    assert lecture_title(first_slide="", metadata="  The Relational  Model ", filename="db.pdf") == (
        "The Relational Model"
    )


@pytest.mark.parametrize(
    "junk",
    [
        "",
        "PowerPoint Presentation",
        "Slide 1",
        "Untitled",
        "Microsoft PowerPoint - week1.pptx",
        "lecture-03",
        "lecture-03.pdf",
        "12 / 45",
        "Click to add title",
        " ".join(["word"] * 30),
    ],
)
def test_boilerplate_and_file_names_are_not_titles(junk: str) -> None:
    assert not acceptable(junk, "lecture-03.pdf")
    assert lecture_title(first_slide=junk, metadata=junk, filename="lecture-03.pdf") is None


def test_roles_that_do_not_match_the_lines_give_nothing() -> None:
    assert slide_title("One\nTwo", ["title"]) == ""


def test_pdf_and_pptx_metadata_are_read(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.set_title("Speciation and Extinction")
    pdf.add_page()
    pdf.set_font("helvetica", size=20)
    pdf.cell(text="x")
    pdf.output(str(tmp_path / "a.pdf"))
    assert metadata_title(tmp_path / "a.pdf", "pdf") == "Speciation and Extinction"

    deck = Presentation()
    deck.core_properties.title = "Process Modeling"
    deck.slides.add_slide(deck.slide_layouts[6])
    deck.save(str(tmp_path / "b.pptx"))
    assert metadata_title(tmp_path / "b.pptx", "pptx") == "Process Modeling"

    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 nothing here")
    assert metadata_title(tmp_path / "broken.pdf", "pdf") == ""
    assert metadata_title(tmp_path / "b.pptx", "image") == ""
