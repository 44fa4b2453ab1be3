"""A PDF text layer in content order puts a line's maths after the line (LaTeX slides: "If you have
observations, what happens if ?" then "N k = N"); the reader puts each fragment back where it sits."""

from __future__ import annotations

from workers.ocr.line_boxes import MAX_SPLICE_LINES, Box, layer_words, splice_fragments
from workers.ocr.readers import _text_lines

CHAR_W = 5.0


class FakeTextPage:
    """A pdfium text page: the text in content order, one line per piece, and a box per character.

    Each piece is drawn as a ``layout`` string on a baseline: its characters at their columns, ``~`` where
    another piece draws (CHAR_W points a column)."""

    def __init__(self, pieces: list[tuple[str, float]]) -> None:
        texts: list[str] = []
        self.boxes: list[Box] = []
        for layout, y in pieces:
            text = ""
            for column, ch in enumerate(layout):
                if ch == "~" or (ch == " " and (not text or text.endswith(" "))):
                    continue
                text += ch
                self.boxes.append((column * CHAR_W, y, (column + 1) * CHAR_W, y + 10))
            if text.endswith(" "):
                text, self.boxes = text[:-1], self.boxes[:-1]
            texts.append(text)
            self.boxes += [(0, 0, 0, 0), (0, 0, 0, 0)]  # the \r\n after the line
        self.text = "\r\n".join(texts)

    def count_chars(self) -> int:
        return len(self.text)

    def get_text_range(self, start: int = 0, count: int = -1) -> str:
        return self.text[start : start + count] if count >= 0 else self.text[start:]

    def get_charbox(self, index: int) -> Box:
        return self.boxes[index]


def test_maths_written_after_a_line_goes_back_between_its_words() -> None:
    page = FakeTextPage(
        [
            ("Selecting ~ and Tradeoffs", 700),
            ("If you have ~ observations, what happens if ~~~~~ ?", 600),
            ("Each model is fit on data points", 560),
            ("~~~~~~~~~~~~N", 600),
            ("~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~k = N", 600),
            ("~~~~~~~~~~k", 700),  # "Selecting k and": the title's own fragment
            ("~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ i", 560),  # after the end of its line, not inside it
        ]
    )
    runs = _text_lines(page, 800, 1.0)
    assert runs is not None
    lines = [run.text for run in runs]
    assert lines == [
        "Selecting k and Tradeoffs",
        "If you have N observations, what happens if k = N ?",
        "Each model is fit on data points",
        "i",  # left to the line grouping, which puts it last on its line as before
    ]


def line(text: str, x: float, y: float) -> tuple[str, list[tuple[str, Box]]]:
    """A text-layer line of CHAR_W-wide characters from x on the baseline y, with its words' boxes."""
    boxes: list[Box | None] = [
        None if ch == " " else (x + i * CHAR_W, y, x + (i + 1) * CHAR_W, y + 10) for i, ch in enumerate(text)
    ]
    return text, layer_words(text, boxes)


def test_lines_that_do_not_overlap_or_are_right_to_left_stay_as_they_are() -> None:
    left, right = line("left column", 0, 100), line("right column", 300, 100)
    below = line("next line", 20, 80)  # overlaps left to right, but on the line below
    arabic, fragment = line("النص العربي هنا", 0, 50), line("x", 20, 50)
    assert splice_fragments([left, right, below, arabic, fragment]) == [left, right, below, arabic, fragment]
    words = layer_words("a  bc d", [(0, 0, 1, 1), None, None, (3, 0, 4, 1), (4, 0, 5, 1), None, (6, 0, 7, 1)])
    assert words == [("a", (0, 0, 1, 1)), ("bc", (3, 0, 5, 1)), ("d", (6, 0, 7, 1))]


def test_a_row_of_diagram_labels_is_not_spliced_into_another_line() -> None:
    # a diagram: a long label row, then boxes' labels drawn over the same row, written later in the layer
    row = line("Application                    Binder", 0, 100)
    labels = line("System Catalog", 40, 100)
    maths = line("k = N", 80, 100)
    spliced = splice_fragments([row, labels, maths])
    assert [text for text, _ in spliced] == [
        "Application k = N Binder",  # the maths fragment goes back in its place
        "System Catalog",  # words stay a line of their own
    ]


def test_a_page_of_more_lines_than_a_slide_is_left_as_it_is() -> None:
    """Pairwise search is bounded: a page of more than MAX_SPLICE_LINES text-layer lines (no slide; a hostile
    PDF) comes back unspliced, even where a fragment would fit."""
    host, fragment = line("what happens if      ?", 0, 100), line("k", 80, 100)
    assert splice_fragments([host, fragment]) != [host, fragment]  # spliced on an ordinary page
    filler = [line(f"row {n}", 0, 200 + 20 * n) for n in range(MAX_SPLICE_LINES)]
    page = [host, fragment, *filler]
    assert splice_fragments(page) == page
