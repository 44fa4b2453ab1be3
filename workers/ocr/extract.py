"""Reading pages out of an uploaded file. Each reader yields one PageContent per page, lazily, so memory
stays flat however long the deck is."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from shared.errors import AppError
from shared.files import check_zip, image_size, pdf_page_count


@dataclass
class PageContent:
    number: int
    width: float
    height: float
    text: str
    title: str = ""
    source: str = "text_layer"
    confidence: float | None = None
    notes: str = ""
    figure_ids: list[int] = field(default_factory=list)


_WS = re.compile(r"[ \t\u00a0]+")


def clean_text(text: str) -> str:
    lines = [
        _WS.sub(" ", line).strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    ]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def first_line(text: str) -> str:
    for line in text.split("\n"):
        if line.strip():
            return line.strip()[:300]
    return ""


def count_pages(path: Path, file_type: str) -> int:
    if file_type == "pdf":
        return pdf_page_count(path)
    if file_type == "pptx":
        check_zip(path)
        from pptx import Presentation

        return len(Presentation(str(path)).slides)
    if file_type == "image":
        image_size(path)
        return 1
    raise AppError("UNSUPPORTED_FORMAT", f"Cannot read {file_type} files.")


def read_pdf(path: Path) -> Iterator[PageContent]:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        pdf_page_count(path)  # raises the right code
        raise
    try:
        for index in range(len(doc)):
            page = doc[index]
            try:
                width, height = page.get_size()
                textpage = page.get_textpage()
                text = clean_text(textpage.get_text_range())
                textpage.close()
            finally:
                page.close()
            yield PageContent(number=index + 1, width=width, height=height, text=text, title=first_line(text))
    finally:
        doc.close()


def read_pptx(path: Path) -> Iterator[PageContent]:
    from pptx import Presentation
    from pptx.util import Emu

    check_zip(path)
    try:
        prs = Presentation(str(path))
    except Exception as exc:
        raise AppError("PPTX_CORRUPT", "The presentation is damaged and cannot be read.") from exc
    width = Emu(prs.slide_width or 0).pt
    height = Emu(prs.slide_height or 0).pt
    for index, slide in enumerate(prs.slides, start=1):
        title = ""
        parts: list[str] = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                text = clean_text(shape.text_frame.text)
                if not text:
                    continue
                if shape == slide.shapes.title:
                    title = first_line(text)
                parts.append(text)
            elif getattr(shape, "has_table", False) and shape.has_table:
                rows = [" | ".join(clean_text(c.text) for c in row.cells) for row in shape.table.rows]
                parts.append("\n".join(rows))
        notes = ""
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
            notes = clean_text(slide.notes_slide.notes_text_frame.text)
        text = "\n".join(parts)
        yield PageContent(
            number=index, width=width, height=height, text=text, title=title or first_line(text), notes=notes
        )


def read_image(path: Path) -> Iterator[PageContent]:
    width, height = image_size(path)
    yield PageContent(number=1, width=float(width), height=float(height), text="", source="none")


def read_pages(path: Path, file_type: str) -> Iterator[PageContent]:
    readers = {"pdf": read_pdf, "pptx": read_pptx, "image": read_image}
    reader = readers.get(file_type)
    if reader is None:
        raise AppError("UNSUPPORTED_FORMAT", f"Cannot read {file_type} files.")
    return reader(path)


def chunk_page(page: PageContent, *, max_words: int = 160) -> list[str]:
    """Split one page's text into chunks of about ``max_words``, on line boundaries; never across pages."""
    body = page.text if not page.notes else f"{page.text}\nNotes: {page.notes}"
    lines = [line for line in body.split("\n") if line.strip()]
    chunks: list[str] = []
    current: list[str] = []
    words = 0
    for line in lines:
        n = len(line.split())
        if current and words + n > max_words:
            chunks.append("\n".join(current))
            current, words = [], 0
        current.append(line)
        words += n
    if current:
        chunks.append("\n".join(current))
    return chunks
