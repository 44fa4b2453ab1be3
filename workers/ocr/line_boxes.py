"""Where a page's text lines are (``TextBox``: a line's parts apart by wide gaps, in page fractions), from the
text layer's character boxes or the OCR engine's words. workers/ocr/figure_trim.py uses them, after the line
roles, to cut footers and titles out of figure boxes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from workers.ocr.content import TextBox
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
