"""A figure's crop is the figure: its box trimmed of the slide's boilerplate after the deck's line roles.

The reader crops a figure where the layout model (or a PDF picture) puts it, before any line has a role; a
layout "figure" often spans the slide's running footer ("10/25/2022 13"), its header line or the page title
that the box cuts in two. After ``assign_roles`` (roles come from repetition across the deck, position and
text cues), ``trim_figures`` takes each figure's box and cuts off, by the cut that keeps the most of the box,
every line piece (``TextBox``: a text line's parts, apart by wide gaps, in page fractions) of a footer, meta,
credit or URL line that lies in it, the title when the box cuts through it (a title wholly inside stays: it
may share its line with the figure's labels; other lines wholly inside are labels no cut may lose), and the
slide template's logos (the same ink at the same place in the top or bottom band of most pages:
``decorations``). A box left with less than ``MIN_KEEP`` of its area (or below the reader's smallest figure)
is dropped, not cut: what is left of it would not be the figure. The stored crop is cropped again, the
figure's words and caption lose the boilerplate lines.

The title and the boilerplate are cut here; other text lines the box cuts through, and slices of other
figures, are workers/ocr/figure_fit.py's (after the cut): the box grows to take them whole or shrinks to the
gap beside them. A crop that grew past the stored one is cut from the page drawn again (``render``; PDFs).

PPTX pictures (the picture itself, holding no slide text) are left as they are.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from workers.ocr.content import FigureContent, PageContent
from workers.ocr.figure_fit import Obstacle, area, fit_box, neighbours, overlap
from workers.ocr.line_boxes import GRID
from workers.ocr.line_cues import DROPPED, LineHint, align_hints, norm_line

log = logging.getLogger(__name__)

MIN_KEEP = 0.35  # a figure left with less of its box than this is dropped rather than cut
TITLE_MAX_CUT = 0.4  # the page title is cut off a box only when that keeps this much of it
CUT_THROUGH = 0.03  # a text line with this share of its width (and half its height) outside the box is cut
# through by it
MIN_OVERLAP = 0.3  # a piece counts as in the box when this share of its area is
EDGE_BAND = 0.15  # boilerplate in the page's top or bottom band is cut off across the box, never beside it
DECORATION_SHARE = (
    0.4  # as workers/ocr/pipeline.py's drop_decorations: ink on this share of pages is template
)
DECORATION_MAX_WIDTH = 0.5  # wider template ink is a band or a running line, not a logo
PAD = 0.004  # cuts leave this share of the page between the box and the line

Box = tuple[float, float, float, float]
Render = Callable[[int, float], Any]  # page number, pixels per point -> the page drawn (PIL image)


class Store(Protocol):
    def path(self, key: str) -> Any: ...


# --- trimming (the pipeline, after roles) ---------------------------------------------------------
@dataclass(frozen=True)
class Blocker:
    box: Box  # page points
    sides: str  # the cuts allowed: "tblr" (any side) or "tb" (a line the box holds across its width)
    boilerplate: bool  # a footer/meta/credit/URL line: cut whatever it costs, or drop the figure
    through: bool = False  # only when the box cuts through it (a line of text the box holds in part)
    cut: bool = True  # False: never cut off here (figure_fit's), only a label whole cuts must spare


def _cuts(box: Box, line: Box, sides: str, pad: float) -> list[Box]:
    x0, y0, x1, y1 = box
    out = []
    if "t" in sides:
        out.append((x0, max(y0, line[3] + pad), x1, y1))
    if "b" in sides:
        out.append((x0, y0, x1, min(y1, line[1] - pad)))
    if "l" in sides:
        out.append((max(x0, line[2] + pad), y0, x1, y1))
    if "r" in sides:
        out.append((x0, y0, min(x1, line[0] - pad), y1))
    return [c for c in out if c[2] > c[0] and c[3] > c[1]]


def trim_box(box: Box, blockers: Sequence[Blocker], *, pad: float = 0.0) -> Box:
    """``box`` without the blockers in it, one cut at a time: each step takes the cut after which cutting on
    greedily (always the cut keeping the most) ends with the largest box. A title is cut off only when that
    keeps 1 - TITLE_MAX_CUT of the box; boilerplate always is (a box that boilerplate spans whole comes back
    empty)."""
    return _cut_down(box, list(blockers), pad, lambda cut, rest: area(_greedy(cut, rest, pad)))


def _cut_down(
    current: Box, pending: list[Blocker], pad: float, worth: Callable[[Box, list[Blocker]], float]
) -> Box:
    """Cut blockers off ``current`` until none is left in it, each step taking the first cut of most
    ``worth`` (of the cut box and the blockers still pending after it); an empty box at ``current``'s corner
    when boilerplate is in it and no cut removes it."""
    while True:
        options = _options(current, pending, pad)
        if options is None:
            return (current[0], current[1], current[0], current[1])
        if not options:
            return current
        scores = [worth(cut, [b for b in pending if b is not used]) for cut, used in options]
        current, used = options[scores.index(max(scores))]
        pending = [b for b in pending if b is not used]


def _options(current: Box, pending: Sequence[Blocker], pad: float) -> list[tuple[Box, Blocker]] | None:
    """The cuts allowed now, with the blocker each removes; None when boilerplate is in the box and no cut
    removes it."""
    hits = [
        b
        for b in pending
        if overlap(current, b.box) >= max(MIN_OVERLAP * area(b.box), 1e-9)
        and (not b.through or _cut_through(current, b.box))
        and b.cut
    ]
    # text wholly inside the box is the figure's (its labels): a cut for a line it cuts through spares it
    labels = [b.box for b in pending if b.through and _inside(current, b.box)]
    out = []
    for blocker in hits:
        for cut in _cuts(current, blocker.box, blocker.sides, pad):
            if blocker.boilerplate or (
                area(cut) >= (1 - TITLE_MAX_CUT) * area(current)
                and not any(overlap(label, current) > overlap(label, cut) for label in labels)
            ):
                out.append((cut, blocker))
    if not out and any(b.boilerplate for b in hits):
        return None
    return out


def _inside(box: Box, line: Box) -> bool:
    return box[0] <= line[0] and line[2] <= box[2] and box[1] <= line[1] and line[3] <= box[3]


def _cut_through(box: Box, line: Box) -> bool:
    """The box holds part of the line and leaves CUT_THROUGH of its width, and at least half a character,
    outside ("rpretación de los gráficos de esfuer" in a crop)."""
    outside = max(0.0, box[0] - line[0]) + max(0.0, line[2] - box[2])
    return outside >= max(CUT_THROUGH * (line[2] - line[0]), 0.5 * (line[3] - line[1]), 1e-9)


def _greedy(current: Box, pending: list[Blocker], pad: float) -> Box:
    """Always the cut keeping the most."""
    return _cut_down(current, pending, pad, lambda cut, _rest: area(cut))


def _pieces(page: PageContent) -> list[tuple[Box, str]]:
    """The page's line pieces in page points, with their line's role."""
    if not page.text_boxes or not page.roles:
        return []
    lines = page.text.split("\n")
    probes = [LineHint(text=b.text) for b in page.text_boxes]
    index = {id(p): j for j, p in enumerate(probes)}
    out = []
    for i, probe in enumerate(align_hints(lines, probes)):
        if probe is None or i >= len(page.roles):
            continue
        for x0, y0, x1, y1 in page.text_boxes[index[id(probe)]].boxes:
            box = (x0 * page.width, y0 * page.height, x1 * page.width, y1 * page.height)
            out.append((box, page.roles[i]))
    return out


def _blockers(page: PageContent, *, lines: bool = True) -> list[Blocker]:
    """The page's line pieces that do not belong in a figure, in page points (without ``lines``: only the
    title and boilerplate are cut off, other lines are figure_fit's and only labels a cut must spare)."""
    out = []
    for box, role in _pieces(page):
        cut = lines or role in DROPPED or role == "title"
        boilerplate = role in DROPPED
        band = box[3] <= EDGE_BAND * page.height or box[1] >= (1 - EDGE_BAND) * page.height
        sides = "tblr" if boilerplate and not band else "tb"  # a running header's or footer's band: across
        out.append(Blocker(box, sides, boilerplate, through=not boilerplate, cut=cut))
    return out


def _obstacles(page: PageContent) -> list[Obstacle]:
    """The page's line pieces as figure_fit's obstacles: the title and boilerplate are walls."""
    out = []
    for box, role in _pieces(page):
        wall = role in DROPPED or role == "title"
        band = box[3] <= EDGE_BAND * page.height or box[1] >= (1 - EDGE_BAND) * page.height
        label = role == "figure_text"
        out.append(Obstacle(box, wall=wall, label=label, band=wall and (band or role == "title")))
    return out


def decorations(pages: Sequence[PageContent]) -> dict[int, list[Box]]:
    """Per page number, the boxes (page points) of ink found at the same place with the same pixels on
    DECORATION_SHARE of the deck's pages (at least 3), in the top and bottom bands (``edge_marks``): logos
    and header marks of the slide template. Runs one cell high (rules, text lines: those have roles) and
    runs across most of the page (a coloured band behind the title) are left out."""
    if len(pages) < 3:
        return {}
    counts = Counter((cell, mark) for page in pages for cell, mark in {(m[0], m[1]) for m in page.edge_marks})
    limit = max(3, math.ceil(len(pages) * DECORATION_SHARE))
    template = {key for key, n in counts.items() if n >= limit}
    cols, rows = GRID
    out: dict[int, list[Box]] = {}
    for page in pages:
        cells = {cell for cell, mark in page.edge_marks if (cell, mark) in template}
        for component in _components(cells, cols):
            r0, c0 = min(c // cols for c in component), min(c % cols for c in component)
            r1, c1 = max(c // cols for c in component) + 1, max(c % cols for c in component) + 1
            if r1 - r0 < 2 or (c1 - c0) > DECORATION_MAX_WIDTH * cols:
                continue
            box = (
                c0 / cols * page.width,
                r0 / rows * page.height,
                c1 / cols * page.width,
                r1 / rows * page.height,
            )
            out.setdefault(page.number, []).append(box)
    return out


def _components(cells: set[int], cols: int) -> list[list[int]]:
    """Groups of cells touching (8 neighbours) one another."""
    seen: set[int] = set()
    groups = []
    for start in sorted(cells):
        if start in seen:
            continue
        stack, group = [start], []
        seen.add(start)
        while stack:
            cell = stack.pop()
            group.append(cell)
            r, c = divmod(cell, cols)
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    n = (r + dr) * cols + (c + dc)
                    if 0 <= c + dc < cols and n in cells and n not in seen:
                        seen.add(n)
                        stack.append(n)
        groups.append(group)
    return groups


def _dropped_lines(page: PageContent) -> set[str]:
    lines = page.text.split("\n")
    return {norm_line(line) for line, role in zip(lines, page.roles, strict=False) if role in DROPPED}


def trim_figures(
    pages: Sequence[PageContent],
    files: Store | None,
    *,
    min_area: float = 0.015,
    render: Render | None = None,
) -> dict[str, int]:
    """Fit and trim every figure of ``pages`` (roles assigned) in place: its edges moved off the text lines
    and figures they cut through (workers/ocr/figure_fit.py), then the boilerplate cut off. Its stored crop
    (``files``) is cut to the new box; a box that grew past the stored crop is cut from the page drawn again
    by ``render`` (page number, pixels per point), and without ``render`` it does not grow. Returns counts:
    trimmed, dropped."""
    counts = {"trimmed": 0, "dropped": 0}
    marks = decorations(pages)
    for page in pages:
        blockers = _blockers(page, lines=False) + [
            Blocker(box, "tb", True) for box in marks.get(page.number, [])
        ]
        lines = _obstacles(page) + [Obstacle(box, wall=True, band=True) for box in marks.get(page.number, [])]
        others: list[Box] = [
            (f.bbox[0], f.bbox[1], f.bbox[2], f.bbox[3]) for f in page.figures if len(f.bbox) == 4
        ]
        dropped = _dropped_lines(page) if page.roles else set()
        kept: list[FigureContent] = []
        for fig in page.figures:
            if dropped:
                fig.text = "\n".join(
                    line
                    for line in fig.text.split("\n")
                    if not line.strip() or norm_line(line) not in dropped
                ).strip()
                if norm_line(fig.caption) in dropped:
                    fig.caption = ""
            if fig.source == "pptx" or len(fig.bbox) != 4:
                kept.append(fig)
                continue
            old: Box = (fig.bbox[0], fig.bbox[1], fig.bbox[2], fig.bbox[3])
            pad = PAD * page.height
            obstacles = lines + neighbours(old, others)
            whole = (0.0, 0.0, page.width, page.height)
            # boilerplate and the title cut off, then the edges moved off the lines and figures they cross
            new = fit_box(trim_box(old, blockers, pad=pad), obstacles, whole, pad=pad)
            if render is None and files is not None:  # the stored crop cannot grow: only its cuts are kept
                new = _within(new, old)
            if new == old:
                kept.append(fig)
                continue
            page_area = max(page.width * page.height, 1e-9)
            if area(new) < MIN_KEEP * area(old) or area(new) < min_area * page_area:
                counts["dropped"] += 1
                continue
            fig.bbox = [round(v, 2) for v in new]
            if files is not None:
                _recrop(files, fig, old, new, render, page.number)
            counts["trimmed"] += 1
            kept.append(fig)
        page.figures[:] = kept
    return counts


def _within(new: Box, old: Box) -> Box:
    return (max(new[0], old[0]), max(new[1], old[1]), min(new[2], old[2]), min(new[3], old[3]))


def _recrop(
    files: Store, fig: FigureContent, old: Box, new: Box, render: Render | None = None, number: int = 0
) -> None:
    """Cut the stored crop of ``old`` down to ``new`` (a missing or unreadable file is left alone); a ``new``
    reaching past ``old`` is cut from the page ``render`` draws at the stored crop's scale."""
    from PIL import Image

    from workers.ocr.imaging import png_bytes

    try:
        path = files.path(fig.image_key)
        if not path.is_file():
            return
        with Image.open(path) as img:
            sx = img.width / max(old[2] - old[0], 1e-9)
            sy = img.height / max(old[3] - old[1], 1e-9)
            box = (
                max(0, round((new[0] - old[0]) * sx)),
                max(0, round((new[1] - old[1]) * sy)),
                min(img.width, round((new[2] - old[0]) * sx)),
                min(img.height, round((new[3] - old[1]) * sy)),
            )
            if render is not None and _within(new, old) != new:  # grown: cut from the page drawn again
                drawn = render(number, sx)
                box = (round(new[0] * sx), round(new[1] * sx), round(new[2] * sx), round(new[3] * sx))
                crop = drawn.crop(box)
            else:
                crop = img.crop(box)  # the hash stays: decorations were dropped by it before the trim
        data = png_bytes(crop)
    except (OSError, RuntimeError, ValueError) as exc:  # Pillow/pdfium cannot: keep the picture and new box
        log.warning("figure %s not cropped again: %s", fig.image_key, exc)
        return
    path.write_bytes(data)
