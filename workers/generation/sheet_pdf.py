"""The cheat sheet as LibreOffice renders it: the PDF, its page count and how full its last page is."""

from __future__ import annotations

import logging
from pathlib import Path

from shared import office
from shared.errors import AppError
from workers.generation.sheet_docx import MARGIN_IN

log = logging.getLogger(__name__)


def soffice() -> str | None:
    return office.find_soffice()


def docx_to_pdf(docx: Path, *, options: office.OfficeOptions | None = None) -> Path | None:
    """Render with LibreOffice in its sandbox (shared/office.py); None when it is absent or fails."""
    if soffice() is None:
        return None
    options = options or office.OfficeOptions(timeout=120)
    try:
        return office.convert(docx, "pdf", out_dir=docx.parent / "pdf", options=options)
    except AppError as exc:
        log.warning("LibreOffice could not render the cheat sheet: %s", exc.message)
        return None


def measure_pdf(path: Path) -> tuple[int, float]:
    """Page count, and how full the last page is (0..1, both columns averaged)."""
    import pypdfium2 as pdfium

    from shared.files import PDFIUM_LOCK

    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(str(path))
        try:
            pages = len(doc)
            page = doc[pages - 1]
            width, height = page.get_size()
            top, bottom = height - MARGIN_IN * 72, MARGIN_IN * 72
            lowest = [top, top]
            for obj in page.get_objects():
                left, low, right, _high = obj.get_bounds()
                column = 0 if (left + right) / 2 < width / 2 else 1
                lowest[column] = min(lowest[column], max(low, bottom))
            fill = sum((top - y) / (top - bottom) for y in lowest) / 2
        finally:
            doc.close()
    return pages, max(0.0, min(1.0, fill))
