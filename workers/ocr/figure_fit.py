"""A figure's crop edges fall in gaps: a crop edge never cuts through a text line or a neighbouring figure.

The layout model's figure boxes are loose: a box's edge often runs through a line of the slide's text ("mación
longitudinal en x" at a crop's left edge), through the labels of a plot beside it, or through a slice of the
next figure (half its legend in the crop). After workers/ocr/figure_trim.py has cut the title and the
boilerplate off, ``fit_box`` moves each edge into a gap, one obstacle at a time (text lines' pieces first, in
page points, then the other figures' boxes):

- a line of the slide's body (not figure text) that a cut keeping ``HELD_KEEP`` of the box leaves out is left
  out (a heading at the top of a loose box);
- an obstacle the box holds most of (``GROW_HELD`` of its area) is taken whole: the box grows to it, by no
  more than ``MAX_GROW`` of the page a side, never past the page, never onto a wall (the title, a footer,
  meta, credit or URL line, a template logo; the title and the top and bottom bands' walls reach across the
  page, so growth never takes in the title or the footer band);
- otherwise it is left out, the box shrinks to the gap beside it: a text line when that keeps ``LINE_KEEP``
  of the box (``HELD_KEEP`` for one it holds most of), a figure it holds nearly all of (``CHILD``: its own,
  cut by the footer's cut) only when that keeps ``HELD_KEEP``, one it holds most of when that keeps
  ``FIGURE_KEEP``, a slice of a figure when that keeps ``MIN_SHRINK_KEEP``. Leaving a line out never cuts
  off a line wholly in the box (its labels, or a title it holds whole) nor cuts deeper into one it cuts.
  A wall the box holds only a sliver of (``SLIVER``) is left out.

Only smaller figure boxes are neighbours: a larger one overlapping the box is a layout box around a group of
figures, fitted on its own. ``render_pdf_page`` draws a page again so that a crop that grew past the reader's
box can be cut from the page (the stored crop holds only the reader's box).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Box = tuple[float, float, float, float]

GROW_HELD = 0.5  # an obstacle the box holds this share of (by area) is taken whole, a smaller share left out
MAX_GROW = 0.12  # a side moves out at most this share of the page's width (left, right) or height
MIN_SHRINK_KEEP = 0.4  # leaving an obstacle out must keep this share of the box, or the edge stays
HELD_KEEP = 0.85  # ... and this share for an obstacle the box holds most of (but cannot grow to)
LINE_KEEP = 0.6  # ... and this share for a text line it holds less of (figure_trim's TITLE_MAX_CUT)
FIGURE_KEEP = 0.6  # ... and this share for a figure it holds most of, not nearly all (half the box is it)
CHILD = 0.9  # a figure the box holds this share of is its own (cut by a footer); less of it is a slice
SLIVER = 0.3  # a wall the box holds less than this share of is left out (more: figure_trim cuts it)
PARENT = 0.5  # a figure box holding this share of the box is around it, not beside it
TOL = 0.004  # an obstacle sticking out by less than this share of the page is in the box
ROUNDS = 8  # passes over the obstacles (each pass moves edges; the box settles in two or three)


@dataclass(frozen=True)
class Obstacle:
    box: Box  # page points
    wall: bool = False  # the title or boilerplate: never grown onto
    figure: bool = False  # another figure's box (a line is text)
    label: bool = False  # a line the roles call figure text: taken whole rather than cut off
    band: bool = False  # a wall across the page (the title, a running header or footer): no growth past it


def overlap(a: Box, b: Box) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def area(b: Box) -> float:
    return max(0.0, b[2] - b[0]) * max(0.0, b[3] - b[1])


def inside(outer: Box, b: Box) -> bool:
    return outer[0] <= b[0] and b[2] <= outer[2] and outer[1] <= b[1] and b[3] <= outer[3]


def crosses(box: Box, b: Box, tol: float = 0.0) -> bool:
    """The box holds part of ``b``, not all of it: one of its edges runs through ``b`` (``b`` sticks out by
    more than ``tol``)."""
    out = max(box[0] - b[0], b[2] - box[2], box[1] - b[1], b[3] - box[3])
    return overlap(box, b) > 0 and out > tol


def _union(a: Box, b: Box) -> Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _leave_out(box: Box, b: Box, pad: float, keep: float, labels: Sequence[Box] = ()) -> Box | None:
    """The box with one edge moved to the gap beside ``b``, out of it (the cut keeping the most)."""
    x0, y0, x1, y1 = box
    cuts = [
        (x0, max(y0, b[3] + pad), x1, y1),  # the top edge below it
        (x0, y0, x1, min(y1, b[1] - pad)),  # the bottom edge above it
        (max(x0, b[2] + pad), y0, x1, y1),
        (x0, y0, min(x1, b[0] - pad), y1),
    ]
    cuts = [
        c
        for c in cuts
        if c[2] > c[0]
        and c[3] > c[1]
        and overlap(c, b) <= 0
        and not any(_cuts_into(box, c, x) for x in labels)
    ]
    if not cuts:
        return None
    best = max(cuts, key=area)
    return best if area(best) >= keep * area(box) else None


def _cuts_into(box: Box, cut: Box, line: Box) -> bool:
    """``cut`` loses a line ``box`` holds whole (a label) or cuts deeper into one it holds part of."""
    if inside(box, line):
        return not inside(cut, line)
    return 0 < overlap(cut, line) < overlap(box, line) - 1e-6


def fit_box(box: Box, obstacles: Sequence[Obstacle], page: Box, *, pad: float = 0.0) -> Box:
    """``box`` with its edges moved off every obstacle they cut through (see the module's docstring)."""
    gx, gy = MAX_GROW * (page[2] - page[0]), MAX_GROW * (page[3] - page[1])
    limit = (
        max(page[0], box[0] - gx),
        max(page[1], box[1] - gy),
        min(page[2], box[2] + gx),
        min(page[3], box[3] + gy),
    )
    tol = TOL * max(page[2] - page[0], page[3] - page[1])
    labels = [o.box for o in obstacles if not o.figure]
    walls = [(page[0], o.box[1], page[2], o.box[3]) if o.band else o.box for o in obstacles if o.wall]
    current = box
    for _ in range(ROUNDS):
        moved = False
        for obstacle in sorted(obstacles, key=lambda o: (o.figure, -area(o.box))):  # lines, then figures
            if not crosses(current, obstacle.box, tol):
                continue
            held = overlap(current, obstacle.box) / max(area(obstacle.box), 1e-9)
            new = _move(current, obstacle, held, limit, walls, pad, labels)
            if new is not None and new != current:
                current, moved = new, True
        if not moved:
            break
    return current


def _move(
    current: Box,
    obstacle: Obstacle,
    held: float,
    limit: Box,
    walls: list[Box],
    pad: float,
    labels: Sequence[Box] = (),
) -> Box | None:
    """The box with one obstacle it crosses taken whole or left out; None when neither is allowed. Leaving a
    line out never cuts off a line wholly in the box (its labels); a neighbour figure's slice goes anyway."""
    if obstacle.wall:  # a sliver of the title or boilerplate is left out, more of it is figure_trim's
        return _leave_out(current, obstacle.box, pad, MIN_SHRINK_KEEP, labels) if held < SLIVER else None
    if not obstacle.figure and not obstacle.label:  # a heading at the box's top: leaving it out is cheap
        cheap = _leave_out(current, obstacle.box, pad, HELD_KEEP, labels)
        if cheap is not None:
            return cheap
    if held >= GROW_HELD:
        grown = _union(current, obstacle.box)
        if inside(limit, grown) and not any(overlap(grown, w) > overlap(current, w) + 1e-6 for w in walls):
            return grown
    # a line the box holds most of, a figure it holds nearly all of (a child the footer's cut went through),
    # that it cannot take whole: left out only when that is cheap; a figure it holds most of when that keeps
    # FIGURE_KEEP; a slice of a figure whatever it costs
    if held >= (CHILD if obstacle.figure else GROW_HELD):
        return _leave_out(current, obstacle.box, pad, HELD_KEEP, () if obstacle.figure else labels)
    if obstacle.figure:
        keep = FIGURE_KEEP if held >= GROW_HELD else MIN_SHRINK_KEEP
        return _leave_out(current, obstacle.box, pad, keep)
    return _leave_out(current, obstacle.box, pad, LINE_KEEP, labels)


def neighbours(box: Box, others: Sequence[Box]) -> list[Obstacle]:
    """The other figure boxes of the page that are beside ``box``: smaller than it (a larger box overlapping
    it is a layout box around a group of figures, fitted on its own) and not around it."""
    return [
        Obstacle(o, figure=True)
        for o in others
        if o != box and 0 < area(o) < area(box) and overlap(o, box) < PARENT * max(area(box), 1e-9)
    ]


def render_pdf_page(path: Path) -> Callable[[int, float], Any]:
    """A function drawing page ``number`` (1-based) of the PDF at ``scale`` pixels per point (PIL image)."""

    def render(number: int, scale: float) -> Any:
        import pypdfium2 as pdfium

        from shared.files import PDFIUM_LOCK

        with PDFIUM_LOCK:
            doc = pdfium.PdfDocument(str(path))
            try:
                page = doc[number - 1]
                try:
                    return page.render(scale=scale).to_pil().convert("RGB")
                finally:
                    page.close()
            finally:
                doc.close()

    return render
