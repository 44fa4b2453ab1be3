"""Pictures of a PPTX slide that Pillow cannot open (the WMF/EMF drawings of publisher decks), cropped from
the slide's own rendering.

The reader already has LibreOffice turn the deck into a PDF for the page thumbnails; LibreOffice draws WMF and
EMF there. A picture Pillow cannot decode is rendered from that PDF at the picture's box on its slide, so the
figure is a PNG a browser and Anki show, as the slide shows it: with the picture's own crop (``srcRect``),
rotation and group placement applied, and with whatever the slide draws over that box (a callout, a footer).
Converting the WMF alone (``soffice --convert-to png``) was the other way: one more LibreOffice start per deck
(~2.5 s), the drawing on an A4 page at 96 dpi, and the slide's crop of the picture lost.

Bounds: the PDF comes from ``shared.office`` (sandbox, timeout, memory limit); a crop is rendered at
``FIGURE_DPI`` with its longest side at most ``max_px`` pixels (pdfium renders only the crop's pixels); any
failure gives None and the caller keeps the picture as it was.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from shared.files import PDFIUM_LOCK, render_scale

log = logging.getLogger(__name__)

FIGURE_DPI = 150  # a slide's 720 pt width is 1500 px; diagram labels stay legible
FIGURE_MAX_PX = 2000


def slide_pages(hidden: list[bool], page_count: int) -> dict[int, int]:
    """Slide number (1-based) -> page index of LibreOffice's PDF, which leaves hidden slides out. Empty when
    the PDF's page count fits neither every slide nor the shown ones (nothing is cropped from a wrong
    page)."""
    if page_count == len(hidden):
        return {n: n - 1 for n in range(1, len(hidden) + 1)}
    shown = [n for n, h in enumerate(hidden, start=1) if not h]
    if page_count == len(shown):
        return {n: i for i, n in enumerate(shown)}
    return {}


def is_hidden(slide: Any) -> bool:
    return str(slide._element.get("show", "1")).lower() in ("0", "false")


def _xfrm(group: Any) -> tuple[float, float, float, float, float, float, float, float] | None:
    """A group's (off x, off y, ext cx, ext cy, child off x, child off y, child ext cx, child ext cy)."""
    for element in group.iter():
        if isinstance(element.tag, str) and element.tag.endswith("}xfrm"):
            parts: dict[str, tuple[float, float]] = {}
            for child in element:
                if not isinstance(child.tag, str):
                    continue
                name = child.tag.rsplit("}", 1)[-1]
                a, b = ("x", "y") if name in ("off", "chOff") else ("cx", "cy")
                parts[name] = (float(child.get(a, 0)), float(child.get(b, 0)))
            if {"off", "ext", "chOff", "chExt"} <= parts.keys():
                return (*parts["off"], *parts["ext"], *parts["chOff"], *parts["chExt"])
            return None
    return None


def picture_box(pic: Any) -> tuple[float, float, float, float]:
    """The picture's box on its slide in EMU (left, top, right, bottom): a picture in a group has its offsets
    in the group's child space, mapped out through every enclosing group; a rotated picture gets the box its
    rotated frame covers."""
    left, top = float(pic.left or 0), float(pic.top or 0)
    right, bottom = left + float(pic.width or 0), top + float(pic.height or 0)
    parent = pic._element.getparent()
    while parent is not None and isinstance(parent.tag, str) and parent.tag.endswith("}grpSp"):
        props = parent.find("{*}grpSpPr")
        xfrm = _xfrm(props) if props is not None else None
        if xfrm is not None:
            ox, oy, cx, cy, chx, chy, chcx, chcy = xfrm
            sx, sy = (cx / chcx if chcx else 1.0), (cy / chcy if chcy else 1.0)
            left, right = ox + (left - chx) * sx, ox + (right - chx) * sx
            top, bottom = oy + (top - chy) * sy, oy + (bottom - chy) * sy
        parent = parent.getparent()
    angle = math.radians(float(getattr(pic, "rotation", 0.0) or 0.0))
    if angle:
        w, h = right - left, bottom - top
        cx, cy = (left + right) / 2, (top + bottom) / 2
        rw = abs(w * math.cos(angle)) + abs(h * math.sin(angle))
        rh = abs(w * math.sin(angle)) + abs(h * math.cos(angle))
        left, right, top, bottom = cx - rw / 2, cx + rw / 2, cy - rh / 2, cy + rh / 2
    return left, top, right, bottom


@dataclass(frozen=True)
class SlideRendering:
    """The deck's PDF from LibreOffice, its pages mapped to slide numbers."""

    pdf: Path
    pages: dict[int, int]  # slide number -> page index
    slide_w: float  # EMU
    slide_h: float
    max_px: int = FIGURE_MAX_PX

    @classmethod
    def open(
        cls, pdf: Path, hidden: list[bool], slide_w: float, slide_h: float, max_px: int = FIGURE_MAX_PX
    ) -> SlideRendering:
        """``hidden``: whether each slide of the deck is hidden (``is_hidden``), in order."""
        import pypdfium2 as pdfium

        with PDFIUM_LOCK:
            doc = pdfium.PdfDocument(str(pdf))
            try:
                count = len(doc)
            finally:
                doc.close()
        return cls(pdf, slide_pages(hidden, count), slide_w, slide_h, max_px)

    def crop(self, number: int, box: tuple[float, float, float, float]) -> Image.Image | None:
        """The slide's rendering inside ``box`` (EMU, slide space) as RGB, or None (no page for the slide, a
        box off the page, a rendering error)."""
        index = self.pages.get(number)
        if index is None or self.slide_w <= 0 or self.slide_h <= 0:
            return None
        try:
            return self._crop(index, box)
        except Exception as exc:  # a damaged PDF, pdfium running out of memory: no picture, as before
            log.warning("slide %d: picture not rendered (%s)", number, exc)
            return None

    def _crop(self, index: int, box: tuple[float, float, float, float]) -> Image.Image | None:
        import pypdfium2 as pdfium

        with PDFIUM_LOCK:
            doc = pdfium.PdfDocument(str(self.pdf))
            try:
                if index >= len(doc):
                    return None
                page = doc[index]
                try:
                    width, height = page.get_size()
                    x0 = max(0.0, box[0] / self.slide_w * width)
                    y0 = max(0.0, box[1] / self.slide_h * height)
                    x1 = min(width, box[2] / self.slide_w * width)
                    y1 = min(height, box[3] / self.slide_h * height)
                    if x1 - x0 < 4 or y1 - y0 < 4:
                        return None
                    scale = render_scale(x1 - x0, y1 - y0, FIGURE_DPI / 72, self.max_px)
                    # crop: points cut off the left, bottom, right and top edges (PDF space, origin at the
                    # bottom left)
                    bitmap = page.render(scale=scale, crop=(x0, height - y1, width - x1, y0))
                    image = bitmap.to_pil().convert("RGB")
                finally:
                    page.close()
            finally:
                doc.close()
        return image
