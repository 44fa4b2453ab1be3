"""Reading slide decks: PPTX with python-pptx (text, notes, pictures, placeholders as line hints, page
thumbnails through LibreOffice, and WMF/EMF pictures cropped from that rendering: slide_render.py), and
.ppt/.odp converted to PPTX by LibreOffice first."""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from PIL import Image

from shared import office
from shared.errors import AppError
from shared.files import (
    PDFIUM_LOCK,
    check_zip,
    render_scale,
)
from workers.ocr.content import FigureContent, PageContent, ReadOptions
from workers.ocr.imaging import is_blank, png_bytes, prepare_for_ocr, thumbnail_bytes
from workers.ocr.line_cues import LineHint
from workers.ocr.scripts import AUTO, languages_for_text
from workers.ocr.slide_render import FIGURE_MAX_PX, SlideRendering, is_hidden, picture_box
from workers.ocr.text import clean_text, first_line

log = logging.getLogger(__name__)


def table_lines(table: Any) -> list[str]:
    """A table's rows as lines, cells apart by " | ", a cell's paragraphs joined; a row with one non-empty
    cell is a text box drawn as a table: each of that cell's paragraphs is a line of its own (a heading and
    a numbered list in one cell are not one sentence)."""
    lines: list[str] = []
    for row in table.rows:
        cells = [clean_text(c.text) for c in row.cells]
        filled = [c for c in cells if c]
        if len(filled) == 1:
            lines.extend(x for x in filled[0].split("\n") if x.strip())
        else:
            lines.append(" | ".join(c.replace("\n", " ") for c in cells))
    return lines


def _shape_text(shape: Any) -> list[tuple[float, float, str]]:
    """(top, left, text) for a shape and, for groups, its children."""
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    out: list[tuple[float, float, str]] = []
    top, left = float(shape.top or 0), float(shape.left or 0)
    if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
        for child in shape.shapes:
            out.extend(_shape_text(child))
    elif shape.has_text_frame:
        text = clean_text("\n".join(p.text for p in shape.text_frame.paragraphs))
        if text:
            out.append((top, left, text))
    elif getattr(shape, "has_table", False) and shape.has_table:
        out.append((top, left, "\n".join(table_lines(shape.table))))
    return out


_PLACEHOLDER_KIND = {
    "TITLE": "title",
    "CENTER_TITLE": "title",
    "VERTICAL_TITLE": "title",
    "SUBTITLE": "subtitle",
    "FOOTER": "footer",
    "SLIDE_NUMBER": "footer",
    "DATE": "footer",
}


def _pptx_hints(slide: Any, slide_w: float, slide_h: float) -> list[LineHint]:
    """A hint per text line of a slide: the placeholder kind (title, subtitle, footer, body), table, figure
    (a short text beside or on a picture), and the position on the slide. Placeholders get no position:
    python-pptx looks theirs up in the layout, which costs more than the rest of the slide (~25 ms)."""
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    pictures = [
        (
            float(p.left or 0),
            float(p.top or 0),
            float(p.left or 0) + float(p.width or 0),
            float(p.top or 0) + float(p.height or 0),
        )
        for p in _pictures_of(slide)
        if float(p.width or 0) * float(p.height or 0) >= 0.05 * slide_w * slide_h  # not a logo
    ]
    found: list[LineHint] = []

    def box_of(shape: Any) -> tuple[float, float, float, float]:
        left, top = float(shape.left or 0), float(shape.top or 0)
        return left, top, left + float(shape.width or 0), top + float(shape.height or 0)

    def near_picture(box: tuple[float, float, float, float]) -> bool:
        """Beside or on a picture: a label of the diagram (callouts, "Input text" under a chart)."""
        return any(
            max(0.0, p[0] - box[2], box[0] - p[2]) <= 0.05 * slide_w
            and max(0.0, p[1] - box[3], box[1] - p[3]) <= 0.06 * slide_h
            for p in pictures
        )

    def visit(shape: Any, group_box: tuple[float, float, float, float] | None = None) -> None:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            for child in shape.shapes:
                visit(child, group_box or box_of(shape))  # children's own offsets are in the group's space
            return
        kind = ""
        placeholder = getattr(shape, "is_placeholder", False)
        box = None if placeholder else box_of(shape)
        label = box is not None and near_picture(group_box or box)
        if placeholder:
            try:
                kind = _PLACEHOLDER_KIND.get(shape.placeholder_format.type.name, "body")
            except (AttributeError, ValueError):
                kind = "body"
        if getattr(shape, "has_table", False) and shape.has_table:
            lines = table_lines(shape.table)
            kind = "table"
        elif shape.has_text_frame:
            lines = [
                line
                for line in clean_text("\n".join(p.text for p in shape.text_frame.paragraphs)).split("\n")
            ]
        else:
            return
        lines = [line for line in lines if line.strip()]
        if not lines:
            return
        step = (box[3] - box[1]) / len(lines) if box is not None else 0.0
        found.extend(
            LineHint(
                text=line,
                kind="figure" if label and not kind and len(line.split()) <= 6 else kind,
                top=(box[1] + k * step) / slide_h if box is not None else None,
                bottom=(box[1] + (k + 1) * step) / slide_h if box is not None else None,
                size=step / slide_h if box is not None else None,
            )
            for k, line in enumerate(lines)
        )

    for shape in slide.shapes:
        visit(shape)
    return found  # in shape order: align_hints pairs them with the text's lines by their words


def _pictures(shape: Any) -> Iterator[Any]:
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
        for child in shape.shapes:
            yield from _pictures(child)
    elif shape.shape_type == MSO_SHAPE_TYPE.PICTURE or (
        getattr(shape, "is_placeholder", False) and hasattr(shape, "image")
    ):
        yield shape


def libreoffice() -> str | None:
    return office.find_soffice()


def convert_with_libreoffice(path: Path, target: str, opts: ReadOptions) -> Path:
    """LibreOffice in its sandbox (shared/office.py); the result lies alone in a temp dir that the caller
    removes."""
    out_dir = Path(tempfile.mkdtemp(prefix="smartnotes-lo-"))
    try:
        return office.convert(path, target, out_dir=out_dir, options=opts.office)
    except BaseException:
        shutil.rmtree(out_dir, ignore_errors=True)
        raise


def _render_thumbnails(pdf: Path, opts: ReadOptions, pages: dict[int, int] | None = None) -> dict[int, str]:
    """The slides' thumbnails by slide number; ``pages`` maps slide numbers to the PDF's pages (LibreOffice
    leaves hidden slides out of it), page by page when it is empty or missing."""
    import pypdfium2 as pdfium

    keys: dict[int, str] = {}
    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(str(pdf))
        try:
            numbers = {i: n for n, i in (pages or {}).items()} or {i: i + 1 for i in range(len(doc))}
            for index in range(len(doc)):
                if index not in numbers:
                    continue
                page = doc[index]
                try:
                    width, height = page.get_size()
                    # 480 px wide, but a very tall slide stays within the render cap.
                    scale = render_scale(width, height, 480 / max(width, 1), opts.max_render_px)
                    image = page.render(scale=scale).to_pil()
                finally:
                    page.close()
                number = numbers[index]
                keys[number] = opts.save(opts.key("pages", f"{number:04d}.jpg"), thumbnail_bytes(image))
                del image
        finally:
            doc.close()
    return keys


def read_pptx(path: Path, opts: ReadOptions) -> Iterator[PageContent]:
    from pptx import Presentation

    check_zip(path, opts.archive)
    try:
        prs = Presentation(str(path))
    except Exception as exc:
        raise AppError("PPTX_CORRUPT", "The presentation is damaged and cannot be read.") from exc
    slide_w, slide_h = float(prs.slide_width or 12192000), float(prs.slide_height or 6858000)
    thumbs: dict[int, str] = {}
    rendering: SlideRendering | None = None  # the slides as LibreOffice draws them, for WMF/EMF pictures
    if libreoffice() is not None:
        try:
            pdf = convert_with_libreoffice(path, "pdf", opts)
        except AppError as exc:
            log.warning("no thumbnails for this deck: %s", exc.message)
        else:
            try:
                max_px = min(opts.max_render_px, FIGURE_MAX_PX)
                hidden = [is_hidden(s) for s in prs.slides]
                rendering = SlideRendering.open(pdf, hidden, slide_w, slide_h, max_px)
                thumbs = _render_thumbnails(pdf, opts, rendering.pages)
            except BaseException:
                shutil.rmtree(pdf.parent, ignore_errors=True)
                raise
    try:
        yield from _read_slides(prs, slide_w, slide_h, thumbs, rendering, opts)
    finally:
        if rendering is not None:
            shutil.rmtree(rendering.pdf.parent, ignore_errors=True)


def _read_slides(
    prs: Any,
    slide_w: float,
    slide_h: float,
    thumbs: dict[int, str],
    rendering: SlideRendering | None,
    opts: ReadOptions,
) -> Iterator[PageContent]:
    from pptx.util import Emu

    with ThreadPoolExecutor(max_workers=opts.parallel, thread_name_prefix="pic") as pool:
        for number, slide in enumerate(prs.slides, start=1):
            pieces: list[tuple[float, float, str]] = []
            for shape in slide.shapes:
                pieces.extend(_shape_text(shape))
            title = ""
            if slide.shapes.title is not None and slide.shapes.title.has_text_frame:
                title = first_line(clean_text(slide.shapes.title.text_frame.text))
            pieces.sort(key=lambda p: (round(p[0] / (slide_h / 40)), p[1]))
            text = clean_text("\n".join(p[2] for p in pieces))
            notes = ""
            if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
                notes = clean_text(slide.notes_slide.notes_text_frame.text)
            futures = [
                pool.submit(_pptx_figure, pic, number, i, slide_w, slide_h, pieces, opts, rendering)
                for i, pic in enumerate(_pictures_of(slide))
            ]
            figures = [f for f in (fut.result() for fut in futures) if f is not None]
            yield PageContent(
                number=number,
                width=Emu(int(slide_w)).pt,
                height=Emu(int(slide_h)).pt,
                text=text,
                title=title or first_line(text),
                notes=notes,
                figures=figures,
                thumbnail_key=thumbs.get(number),
                hints=_pptx_hints(slide, slide_w, slide_h),
            )


def _pictures_of(slide: Any) -> list[Any]:
    return [pic for shape in slide.shapes for pic in _pictures(shape)]


def _pptx_figure(
    pic: Any,
    number: int,
    index: int,
    slide_w: float,
    slide_h: float,
    pieces: list[tuple[float, float, str]],
    opts: ReadOptions,
    rendering: SlideRendering | None = None,
) -> FigureContent | None:
    from pptx.util import Emu

    try:
        blob, ext = pic.image.blob, pic.image.ext
    except Exception:  # linked or missing image parts
        return None
    left, top = float(pic.left or 0), float(pic.top or 0)
    width, height = float(pic.width or 0), float(pic.height or 0)
    if width * height < slide_w * slide_h * opts.figure_min_area:
        return None
    digest = hashlib.sha1(blob, usedforsecurity=False).hexdigest()
    try:
        from io import BytesIO

        with Image.open(BytesIO(blob)) as img:
            if img.width * img.height > 60_000_000:
                return None
            image = img.convert("RGB")
    except Exception:  # EMF/WMF and other formats Pillow cannot open: as the slide's rendering shows it
        image = None
        if rendering is not None:
            try:
                box = picture_box(pic)
            except Exception:  # a transform python-pptx cannot read (rot="abc", chOff="1in"): no crop
                log.warning("slide %d: picture %d has a box we cannot read", number, index)
                box = None
            image = rendering.crop(number, box) if box is not None else None
            if image is not None and is_blank(image):
                image = None  # LibreOffice drew nothing there: the original bytes, as before
    if image is not None and is_blank(image):
        return None
    key = opts.save(
        opts.key("figures", f"p{number:04d}-{index}.{ext if image is None else 'png'}"),
        blob if image is None else png_bytes(image),
    )
    inner = ""
    if image is not None and width * height >= slide_w * slide_h * 0.08:
        languages = languages_for_text(" ".join(p[2] for p in pieces), opts.auto.available())
        result, _ = opts.read(
            prepare_for_ocr(image, scan=False),
            languages=languages if opts.languages == AUTO and pieces else opts.languages,
            sparse=True,
        )
        inner = clean_text(result.text) if result.confidence >= 0.5 else ""
    bottom = top + height
    caption = ""
    for t_top, t_left, t_text in pieces:  # a short text right below the picture, overlapping it
        if (
            0 <= t_top - bottom < slide_h * 0.12
            and left - slide_w * 0.05 <= t_left <= left + width
            and len(t_text) < 200
        ):
            caption = t_text.replace("\n", " ")
            break
    return FigureContent(
        bbox=[round(Emu(int(v)).pt, 2) for v in (left, top, left + width, bottom)],
        image_key=key,
        caption=caption,
        text=inner[:4000],
        source="pptx",
        hash=digest,
    )


def read_converted(path: Path, opts: ReadOptions) -> Iterator[PageContent]:
    """.ppt and .odp: LibreOffice turns them into PPTX, read like any deck."""
    converted = convert_with_libreoffice(path, "pptx", opts)
    try:
        yield from read_pptx(converted, opts)
    finally:
        shutil.rmtree(converted.parent, ignore_errors=True)
