"""Where a page's text lines are (``TextBox``: a line's parts apart by wide gaps, in page fractions), from the
text layer's character boxes or the OCR engine's words. workers/ocr/figure_trim.py uses them, after the line
roles, to cut footers and titles out of figure boxes; and what ink a page has in its top and bottom bands
(``edge_marks``: a logo repeated on most pages at the same place is cut out of figures too). And a text
layer's lines with the fragments drawn inside them (maths written after its line) put back in place
(``splice_fragments``)."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence

import numpy as np
import regex
from PIL import Image, ImageOps

from workers.ocr.content import TextBox
from workers.ocr.line_cues import LineHint
from workers.ocr.ports import OcrWord

GAP_HEIGHTS = 2.0  # a gap wider than this many line heights splits a line into pieces ("10/25/2022 ... 13")


def line_pieces(
    boxes: Sequence[tuple[float, float, float, float]], height: float
) -> list[tuple[float, float]]:
    """The horizontal extents of a text line's parts: its character boxes (left, bottom, right, top) grouped
    left to right, a new part after a gap wider than GAP_HEIGHTS line heights."""
    limit = max(height, 1e-6) * GAP_HEIGHTS
    pieces: list[list[float]] = []
    for left, _bottom, right, _top in sorted(boxes, key=lambda b: b[0]):
        if pieces and left - pieces[-1][1] <= limit:
            pieces[-1][1] = max(pieces[-1][1], right)
        else:
            pieces.append([left, right])
    return [(a, b) for a, b in pieces]


def ocr_text_boxes(words: Iterable[OcrWord], width: int, height: int) -> list[TextBox]:
    """Text boxes of a page read by OCR: the engine's words grouped by line, split at wide gaps."""
    lines: dict[int, list[OcrWord]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    out = []
    w, h = max(width, 1), max(height, 1)
    for line in lines.values():
        line.sort(key=lambda word: word.box[0])
        top = min(word.box[1] for word in line)
        bottom = max(word.box[3] for word in line)
        pieces = line_pieces([(b[0], 0.0, b[2], 0.0) for b in (word.box for word in line)], bottom - top)
        out.append(
            TextBox(
                text=" ".join(word.text for word in line),
                boxes=[
                    [round(a / w, 4), round(top / h, 4), round(b / w, 4), round(bottom / h, 4)]
                    for a, b in pieces
                ],
            )
        )
    return out


Region = tuple[str, tuple[float, float, float, float]]  # a layout box's class and x0, y0, x1, y1 in pixels
EDGE_CLASSES = ("header", "footer")


def _region_of(x: float, y: float, regions: Sequence[Region]) -> str:
    """The class of the layout box a point is in, as the text-layer path gives a run its block's class: the
    first box in reading order (top, then left) other than a header or footer, else a header or footer box."""
    inside = sorted(
        (r for r in regions if r[1][0] <= x <= r[1][2] and r[1][1] <= y <= r[1][3]),
        key=lambda r: (r[0] in EDGE_CLASSES, r[1][1], r[1][0]),
    )
    return inside[0][0] if inside else ""


def ocr_line_hints(
    words: Iterable[OcrWord], width: int, height: int, regions: Sequence[Region] = ()
) -> list[LineHint]:
    """LineHints of a page read by OCR, in the form text-layer lines get them (readers.PageWork.text): one per
    engine line, in reading order, its top, bottom and height (the union of its words' boxes) as fractions of
    the page height and the class of the layout box its middle is in. Words and regions are in the same
    pixels (the image the engine read)."""
    lines: dict[int, list[OcrWord]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    h = max(height, 1)
    out = []
    for line in lines.values():
        line.sort(key=lambda word: word.box[0])
        x0, x1 = min(w.box[0] for w in line), max(w.box[2] for w in line)
        top, bottom = min(w.box[1] for w in line), max(w.box[3] for w in line)
        out.append(
            LineHint(
                text=" ".join(word.text for word in line),
                kind=_region_of((x0 + x1) / 2, (top + bottom) / 2, regions),
                top=round(top / h, 4),
                bottom=round(bottom / h, 4),
                size=round((bottom - top) / h, 4),
                ocr=True,
            )
        )
    return out


GRID = (96, 54)  # columns, rows of the cells a page's edge bands are cut into (about 10 pt on a 16:9 slide)
CELL_PX = 4  # each cell shrunk to this many pixels a side before its pattern is hashed
EDGE_ROWS = 8  # the top and bottom rows looked at (15% of the page: where logos and running lines sit)


def edge_marks(image: Image.Image) -> list[list[int]]:
    """[cell, hash] for every cell with ink in the page's top and bottom bands: the same logo or header at
    the same place on most pages of a deck has the same hashes there (figure_trim cuts it out of figures)."""
    cols, rows = GRID
    small = np.asarray(
        ImageOps.grayscale(image).resize((cols * CELL_PX, rows * CELL_PX), Image.Resampling.BOX),
        dtype=np.uint8,
    )
    levels = (small >> 5).astype(np.uint8)  # 8 grey levels: identical renders give identical cells
    out = []
    for row in [*range(EDGE_ROWS), *range(rows - EDGE_ROWS, rows)]:
        band = levels[row * CELL_PX : (row + 1) * CELL_PX]
        for col in range(cols):
            cell = band[:, col * CELL_PX : (col + 1) * CELL_PX]
            if int(cell.min()) >= 7:  # paper white
                continue
            out.append([row * cols + col, zlib.crc32(cell.tobytes())])
    return out


Box = tuple[float, float, float, float]  # left, bottom, right, top (PDF points, y up)
Word = tuple[str, Box]
_RTL = regex.compile(r"[\p{Hebrew}\p{Arabic}\p{Syriac}\p{Thaana}]")


def layer_words(text: str, boxes: Sequence[Box | None]) -> list[Word]:
    """A text-layer line's words (split at whitespace), each with the union of its characters' boxes."""
    words: list[Word] = []
    chars: list[str] = []
    spans: list[Box] = []
    for ch, box in [*zip(text, boxes, strict=True), (" ", None)]:
        if ch.isspace() or box is None:
            if chars:
                words.append(("".join(chars), _union(spans)))
            chars, spans = [], []
        else:
            chars.append(ch)
            spans.append(box)
    return words


def _union(boxes: Sequence[Box]) -> Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _same_line(a: Box, b: Box) -> bool:
    """Two lines' boxes on one visual line, overlapping left to right: one's middle inside the other."""
    if a[0] >= b[2] or b[0] >= a[2]:
        return False
    return a[1] <= (b[1] + b[3]) / 2 <= a[3] or b[1] <= (a[1] + a[3]) / 2 <= b[3]


MAX_SPLICE_LINES = 2000  # a page of more text-layer lines is left as it is (bounded work per page)


def _maths_like(words: list[Word]) -> bool:
    """A fragment of symbols, digits and one- or two-letter names (``k``, ``N - 1``, ``i ∈ {1,…, k}``), not
    words: a diagram's labels on one row ("Application", "System Catalog") are separate lines, not maths."""
    return all(len(w) <= 2 or not w.isalpha() for w, _ in words)


def splice_fragments(lines: list[tuple[str, list[Word]]]) -> list[tuple[str, list[Word]]]:
    """Text-layer lines with the fragments of the same visual line put back in place, left to right.

    A PDF's text layer is in content order: LaTeX slides write a line's maths (``k``, ``N - 1``, ``i ∈ {1,…,
    k}``) after its words, so the layer reads "If you have observations, what happens if ?" and then
    "N k = N". A line that overlaps an earlier line of the same visual line is merged into it, its words
    placed by position ("If you have N observations, what happens if k = N ?"). Lines in right-to-left
    scripts are left as they are; so is a line that does not overlap another (a column, a trailing ``i``),
    and a line of words rather than maths (``_maths_like``: a diagram's labels on one row stay apart)."""
    if len(lines) > MAX_SPLICE_LINES:  # no slide: a hostile page's many lines are not searched pairwise
        return lines
    out: list[tuple[str, list[Word]]] = []
    spans: list[Box | None] = []  # each kept line's box, kept up to date as fragments join it
    for text, words in lines:
        box = _union([w[1] for w in words]) if words else None
        host = None
        if box is not None and not _RTL.search(text) and _maths_like(words):
            host = next(
                (
                    i
                    for i, ((other, _), span) in enumerate(zip(out, spans, strict=True))
                    if span is not None and not _RTL.search(other) and _same_line(span, box)
                ),
                None,
            )
        if host is None:
            out.append((text, words))
            spans.append(box)
            continue
        merged = sorted([*out[host][1], *words], key=lambda w: (w[1][0], -w[1][1]))
        out[host] = (" ".join(w[0] for w in merged), merged)
        spans[host] = _union([w[1] for w in merged])
    return out
