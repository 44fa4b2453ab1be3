"""Test fixtures drawn on the fly: PDFs, decks and images with known text (never the shared corpus)."""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF


def make_pdf(path: Path, pages: list[str], *, figure: bool = True) -> Path:
    """A landscape slide deck: each page has a title line, body lines, and (optionally) a drawn figure."""
    pdf = FPDF(orientation="L", unit="pt", format=(540, 960))
    pdf.set_auto_page_break(False)
    for text in pages:
        pdf.add_page()
        lines = text.split("\n")
        pdf.set_font("Helvetica", "B", 28)
        pdf.set_xy(40, 40)
        pdf.cell(0, 34, lines[0])
        pdf.set_font("Helvetica", "", 18)
        y = 100.0
        for line in lines[1:]:
            pdf.set_xy(40, y)
            pdf.cell(0, 22, line)
            y += 26
        if figure:
            pdf.set_fill_color(40, 110, 200)
            pdf.rect(560, 140, 320, 220, style="F")
    pdf.output(str(path))
    return path


def pdf_bytes(pages: list[str]) -> bytes:
    pdf = FPDF()
    for text in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", "", 14)
        pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def make_png(width: int = 64, height: int = 48, color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buf, format="PNG")
    return buf.getvalue()


def make_pptx(path: Path, slides: list[tuple[str, str, str]]) -> Path:
    """(title, body, notes) per slide."""
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    for title, body, notes in slides:
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        slide.shapes.title.text = title
        slide.placeholders[1].text = body
        if notes:
            slide.notes_slide.notes_text_frame.text = notes
    prs.save(str(path))
    return path
