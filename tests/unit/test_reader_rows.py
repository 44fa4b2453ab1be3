"""The text layer's lines as the reader makes them: a line the layer did not break at a row change is cut
there, and runs of one row that touch are one word's pieces (workers/ocr/line_boxes.py, readers.py)."""

from __future__ import annotations

from workers.ocr.line_boxes import join_runs, row_starts
from workers.ocr.readers import Run, _lines, _text_lines

CHAR_W, CHAR_H = 6.0, 10.0


class FakeTextPage:
    """A pdfium text page whose characters are placed by (x, baseline) per character; spaces have boxes
    too, as pdfium gives them."""

    def __init__(self, text: str, places: list[tuple[float, float]]) -> None:
        assert len(text) == len(places)
        self.text, self.places = text, places

    def count_chars(self) -> int:
        return len(self.text)

    def get_text_range(self, start: int = 0, count: int = -1) -> str:
        return self.text

    def get_charbox(self, i: int) -> tuple[float, float, float, float]:
        x, y = self.places[i]
        return (x, y, x + CHAR_W, y + CHAR_H)


def placed(rows: list[tuple[str, float, float]]) -> tuple[str, list[tuple[float, float]]]:
    """Rows of (text, left, baseline) written one after the other with no line end between them."""
    text, places = "", []
    for words, left, baseline in rows:
        for k, ch in enumerate(words):
            text += ch
            places.append((left + k * CHAR_W, baseline))
    return text, places


def test_a_title_and_the_bullet_under_it_read_as_one_layer_line_are_two_lines() -> None:
    text, places = placed([("Low and high rate ", 20, 300), ("- Low rate: one", 20, 280)])
    runs = _text_lines(FakeTextPage(text, places), page_height=400, scale=1.0)
    assert runs is not None
    assert [r.text for r in runs] == ["Low and high rate", "- Low rate: one"]
    assert _lines(runs) == "Low and high rate\n- Low rate: one"


def test_a_lower_row_starting_left_of_where_the_row_above_ends_is_a_new_line() -> None:
    # the second row starts left of where the first row ends: a row change
    text, places = placed([("Low SNR:", 20, 300), ("Only power to one", 30, 285)])
    runs = _text_lines(FakeTextPage(text, places), page_height=400, scale=1.0)
    assert runs is not None and [r.text for r in runs] == ["Low SNR:", "Only power to one"]


def test_sub_and_superscripts_stay_on_their_line() -> None:
    # "x2 + y" with the 2 raised wholly above the x's box: it moves right, so it is no row change
    text = "x2 + y"
    places: list[tuple[float, float]] = [(20, 300), (26, 311), (32, 300), (38, 300), (44, 300), (50, 300)]
    runs = _text_lines(FakeTextPage(text, places), page_height=400, scale=1.0)
    assert runs is not None and [r.text for r in runs] == ["x2 + y"]


def test_row_starts_on_boxes() -> None:
    boxes = [(0.0, 100.0, 6.0, 110.0), (6.0, 100.0, 12.0, 110.0), (0.0, 80.0, 6.0, 90.0)]
    assert row_starts(boxes) == [2]
    assert row_starts(boxes[:2]) == []


def test_touching_runs_of_one_row_are_one_word_apart_runs_are_two() -> None:
    runs = [
        Run(10, 100, 34, 110, "2020"),
        Run(34.5, 100, 52, 110, "-04"),
        Run(52.2, 100, 70, 110, "-15"),
        Run(90, 100, 96, 110, "14"),
    ]
    assert _lines(runs) == "2020-04-15 14"
    assert join_runs([(0, 10, 10, "incidence"), (13, 30, 10, "rate")]) == "incidence rate"
    assert join_runs([(0, 10, 10, "rat"), (10.5, 16, 10, "e")]) == "rate"
    # a letter drawn inside the sentence's extent (a formula's variable in a gap) is no piece of its last word
    inside = join_runs([(0, 100, 10, "1. -Fold cross validation"), (12, 16, 10, "k")])
    assert inside == "1. -Fold cross validation k"


def test_labels_side_by_side_are_separate_lines_but_a_table_row_stays_one() -> None:
    runs = [
        Run(10, 100, 60, 110, "Notation"),
        Run(300, 100, 400, 110, "Channel responses"),
        Run(10, 130, 40, 140, "Term"),
        Run(60, 130, 200, 140, "a thing of value"),  # 2 line heights apart: one line
    ]
    assert _lines(runs) == "Notation\nChannel responses\nTerm a thing of value"
    assert _lines(runs, table=True) == "Notation Channel responses\nTerm a thing of value"


def test_labels_the_layer_reads_as_one_line_are_separate_lines_but_a_table_row_is_joined_again() -> None:
    text, places = placed([("Notation ", 20, 300), ("Channel responses", 300, 300)])
    runs = _text_lines(FakeTextPage(text, places), page_height=400, scale=1.0)
    assert runs is not None and [r.text for r in runs] == ["Notation", "Channel responses"]
    assert _lines(runs) == "Notation\nChannel responses"
    assert _lines(runs, table=True) == "Notation Channel responses"
    # an ordinary word gap is no wide gap
    text, places = placed([("Term ", 20, 300), ("a thing of value", 60, 300)])
    runs = _text_lines(FakeTextPage(text, places), page_height=400, scale=1.0)
    assert runs is not None and [r.text for r in runs] == ["Term a thing of value"]


def test_a_pdf_made_here_labels_side_by_side_and_a_broken_number() -> None:
    import pypdfium2 as pdfium
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="pt", format=(405, 720))
    pdf.add_page()
    pdf.set_font("Helvetica", size=14)
    pdf.text(40, 80, "Notation")
    pdf.text(300, 80, "Channel responses")
    pdf.text(40, 170, "- Low rate: one channel")
    doc = pdfium.PdfDocument(bytes(pdf.output()))
    page = doc[0]
    runs = _text_lines(page.get_textpage(), page.get_size()[1], 1.0)
    assert runs is not None
    assert _lines(runs) == "Notation\nChannel responses\n- Low rate: one channel"


def test_axis_ticks_far_apart_stay_one_line() -> None:
    text, places = placed([("-10 ", 20, 300), ("0 ", 120, 300), ("10", 220, 300)])
    runs = _text_lines(FakeTextPage(text, places), page_height=400, scale=1.0)
    assert runs is not None and [r.text for r in runs] == ["-10 0 10"]
    apart = [Run(20, 100, 38, 110, "-10"), Run(120, 100, 126, 110, "0"), Run(220, 100, 232, 110, "10")]
    assert _lines(apart) == "-10 0 10"
