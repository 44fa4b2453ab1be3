"""A PPTX table row with one filled cell is a text box drawn as a table: its paragraphs stay lines
(workers/ocr/slides.py table_lines); a real table's rows stay one line each."""

from __future__ import annotations

from typing import Any

from pptx import Presentation
from pptx.util import Inches

from workers.ocr.slides import table_lines


def make_table(rows: list[list[str]]) -> Any:
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    shape = slide.shapes.add_table(len(rows), len(rows[0]), Inches(1), Inches(1), Inches(6), Inches(3))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            shape.table.cell(r, c).text = text
    return shape.table


def test_a_single_filled_cell_keeps_its_paragraphs_apart() -> None:
    table = make_table([["Programming guidelines\n1. Limit the visibility\n2. Check all inputs", ""]])
    assert table_lines(table) == ["Programming guidelines", "1. Limit the visibility", "2. Check all inputs"]


def test_a_real_table_row_is_one_line() -> None:
    table = make_table([["Term", "Definition"], ["Asset", "Something of value\nthat is protected"]])
    assert table_lines(table) == ["Term | Definition", "Asset | Something of value that is protected"]
