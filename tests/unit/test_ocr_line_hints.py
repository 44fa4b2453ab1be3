"""OCR'd pages carry line hints made from the OCR engine's own boxes (workers/ocr/line_boxes.ocr_line_hints):
position, height and the layout class, as text-layer lines carry them, so the role rules read tables by
class, headings by size and footers by position on scans too. Pages, OCR results and layout boxes are made
here."""

from __future__ import annotations

from pathlib import Path

import layoutparser as lp
from PIL import Image, ImageDraw

from shared.files import LocalFileStore
from tests.unit.test_line_roles_ocr import WRAPPED  # the security slide wrapped as OCR reads it
from workers.ocr.content import PageContent, ReadOptions
from workers.ocr.line_boxes import ocr_line_hints
from workers.ocr.line_cues import LineHint, PageLines
from workers.ocr.pipeline import assign_roles
from workers.ocr.ports import LayoutDetector, OcrEngine, OcrResult, OcrWord
from workers.ocr.readers import read_document
from workers.ocr.role_rules import DEFAULT_RULES
from workers.ocr.roles import classify_deck

W, H = 1000, 750

# (text, top, bottom) of each OCR line, in the page image's pixels
LINES = [
    ("Sorting algorithms", 40, 100),
    ("Quicksort picks a pivot and splits the array around it.", 160, 182),
    ("Stable sorts", 230, 270),
    ("Merge sort keeps equal keys in the order they came in.", 300, 322),
    ("Alice Bob Carol", 420, 442),
    ("Dave Erin Frank", 460, 482),
    ("Grace Heidi Ivan", 500, 522),
]
TABLE = (80.0, 410.0, 700.0, 530.0)


def _words() -> list[OcrWord]:
    words = []
    for line_no, (text, top, bottom) in enumerate(LINES):
        x = 100
        for word in text.split():
            words.append(OcrWord(word, 0.95, (x, top, x + 12 * len(word), bottom), line_no, line_no))
            x += 12 * len(word) + 10
    return words


class FakeOcr(OcrEngine):
    def read(self, image: Image.Image, *, languages: str, sparse: bool = False) -> OcrResult:
        if image.size != (W, H):  # a crop (title or figure box): nothing there
            return OcrResult(text="", confidence=0.0, words=0)
        words = _words()
        return OcrResult(
            text="\n".join(text for text, _, _ in LINES),
            confidence=0.95,
            words=len(words),
            word_boxes=tuple(words),
        )

    def available_languages(self) -> set[str]:
        return {"eng"}


class TableLayout(LayoutDetector):
    def detect(self, image: Image.Image) -> lp.Layout:
        return lp.Layout([lp.TextBlock(lp.Rectangle(*TABLE), type="table", score=0.9)])


def _read(tmp_path: Path) -> list[PageContent]:
    path = tmp_path / "scan.png"
    image = Image.new("RGB", (W, H), "white")
    draw = ImageDraw.Draw(image)
    for word in _words():  # ink where the words are: a straight page, no skew to undo
        draw.rectangle(word.box, fill="black")
    image.save(path)
    opts = ReadOptions(
        store=LocalFileStore(tmp_path / "store"),
        prefix="u",
        languages="eng",
        layout=TableLayout(),
        ocr=FakeOcr(),
    )
    return list(read_document(path, "image", opts))


def test_ocr_line_hints_give_position_height_and_the_layout_class() -> None:
    hints = ocr_line_hints(_words(), W, H, [("table", TABLE), ("footer", (0.0, 0.0, 1000.0, 120.0))])
    assert [h.text for h in hints] == [text for text, _, _ in LINES]
    assert all(h.ocr for h in hints)
    first = hints[0]
    assert first.top == round(40 / H, 4) and first.bottom == round(100 / H, 4)
    assert first.size == round(60 / H, 4)
    assert first.kind == "footer"  # only an edge box holds it
    assert [h.kind for h in hints[4:]] == ["table"] * 3
    assert hints[1].kind == ""  # in no box


def test_a_scanned_page_carries_hints_and_its_roles_use_them(tmp_path: Path) -> None:
    (page,) = _read(tmp_path)
    assert page.source == "ocr"
    assert len(page.hints) == len(LINES) and all(h.ocr and h.size for h in page.hints)
    assert [h.kind for h in page.hints[4:]] == ["table"] * 3
    assign_roles([page])
    roles = dict(zip(page.text.split("\n"), page.roles, strict=True))
    assert roles["Stable sorts"] == "heading"  # by its size against the page's text
    assert roles["Quicksort picks a pivot and splits the array around it."] == "body"
    # the layout's "table" on an OCR'd page is not used (it boxes whole pages of typed prose so)
    assert roles["Alice Bob Carol"] == "body"


def test_an_ocr_line_the_layout_calls_a_title_is_read_as_one_and_a_header_class_is_not_used() -> None:
    lines = ["Key points", "Security is a business issue.", "Misuse cases", "They help to find threats.", "7"]
    kinds = ["header", "text", "title", "text", ""]
    hints: list[LineHint | None] = [
        LineHint(text=line, kind=kind, top=0.1 + 0.2 * i, bottom=0.14 + 0.2 * i, size=0.04, ocr=True)
        for i, (line, kind) in enumerate(zip(lines, kinds, strict=True))
    ]
    roles = classify_deck([PageLines(lines=lines, hints=hints)])[0]
    assert roles[0] != "footer"  # a slide title the layout calls "header", no bigger than the text
    assert roles[2] == "heading"  # the layout's title away from the top
    unclassed = [h if h is None else LineHint(h.text, "", h.top, h.bottom, h.size, ocr=True) for h in hints]
    assert classify_deck([PageLines(lines=lines, hints=unclassed)])[0][2] != "heading"
    text_layer = [h if h is None else LineHint(h.text, h.kind, h.top, h.bottom, h.size) for h in hints]
    assert classify_deck([PageLines(lines=lines, hints=text_layer)])[0][0] == "footer"


def test_text_layer_hints_are_not_marked_ocr() -> None:
    assert LineHint(text="x", kind="text").ocr is False


def test_wrapped_bullets_of_an_ocr_page_with_classed_hints_are_still_joined() -> None:
    # the layout's class on an OCR'd page's hints does not make it a text layer (wrapped_lines stays on)
    hints: list[LineHint | None] = [
        LineHint(text=line, kind="text", top=0.1 + 0.05 * i, bottom=0.14 + 0.05 * i, size=0.04, ocr=True)
        for i, line in enumerate(WRAPPED)
    ]
    page = PageLines(lines=WRAPPED, hints=hints)
    roles = classify_deck([page])[0]
    assert [roles[i] for i in (1, 5, 8)] == ["heading"] * 3
    assert roles[2] == roles[3] == roles[4]
    assert classify_deck([page]) != classify_deck([page], rules=DEFAULT_RULES - {"wrapped_lines"})


def test_a_logo_read_at_the_foot_of_ocr_pages_is_a_footer_however_big() -> None:
    # a university logo's big letters, read as a line at the foot of every slide and called a title
    pages = []
    for n in range(4):
        lines = [
            f"Channel model part {n}",
            f"The receiver knows the channel gain {n} times.",
            "The transmitter does not know it.",
            "Noise is white and Gaussian.",
            "ln LINKOPING",
        ]
        sizes, tops = [0.05, 0.03, 0.03, 0.03, 0.052], [0.1, 0.3, 0.4, 0.5, 0.92]
        kinds = ["title", "text", "text", "text", "title"]
        hints: list[LineHint | None] = [
            LineHint(text=t, kind=k, top=top, bottom=top + s, size=s, ocr=True)
            for t, k, top, s in zip(lines, kinds, tops, sizes, strict=True)
        ]
        pages.append(PageLines(lines=lines, hints=hints))
    assert all(roles[4] == "footer" for roles in classify_deck(pages))
