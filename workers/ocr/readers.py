"""Reading a deck page by page: text (text layer or OCR), layout, figures, thumbnails.

Pages go through a small thread pool: pdfium calls are serialised by a lock (pdfium is not
thread-safe), while Tesseract (a subprocess) and ONNX Runtime (which releases the GIL) overlap.
Figure crops and thumbnails are written to the file store as soon as they exist, so memory stays
flat however many pages a deck has. PDFs and images are read here; slide decks in workers/ocr/slides.py;
what a reader produces (PageContent) and its options (ReadOptions) are in workers/ocr/content.py.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import layoutparser as lp
from PIL import Image, ImageOps

from shared.errors import AppError
from shared.files import (
    PDFIUM_LOCK,
    image_frames,
    image_size,
    pdf_page_count,
    render_scale,
)
from workers.ocr.content import FigureContent, PageContent, ReadOptions, TextBox
from workers.ocr.devanagari import broken_devanagari, layer_segments, mend_runs
from workers.ocr.imaging import average_hash, is_blank, png_bytes, prepare_and_angle, thumbnail_bytes, turn
from workers.ocr.line_boxes import (
    Box,
    Word,
    edge_marks,
    layer_words,
    line_pieces,
    ocr_line_hints,
    ocr_text_boxes,
    splice_fragments,
)
from workers.ocr.line_cues import LineHint
from workers.ocr.marks import ink_saturation, refine_words
from workers.ocr.scripts import AUTO, languages_for_text, latin_only
from workers.ocr.slides import read_converted, read_pptx
from workers.ocr.text import clean_text, drop_stray_script, first_line, usable_text_layer

log = logging.getLogger(__name__)
MAX_RENDER_SIDE = 2000
MAX_CROP_OCR_SIDE = 900


# --- shared page logic ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Run:
    """A run of text-layer text on one line, in the rendered image's pixel coordinates."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    pieces: tuple[tuple[float, float], ...] = ()  # x0, x1 of the line's parts apart by wide gaps

    @property
    def center(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2


def _inside(run: Run, box: tuple[float, float, float, float]) -> bool:
    cx, cy = run.center
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def _line_groups(runs: list[Run]) -> list[list[Run]]:
    """Runs grouped into lines (similar vertical centre), top to bottom, each left to right."""
    ordered = sorted(runs, key=lambda r: (r.center[1], r.x0))
    lines: list[list[Run]] = []
    for run in ordered:
        if lines:
            last = lines[-1][-1]
            tolerance = max(2.0, 0.5 * min(run.y1 - run.y0, last.y1 - last.y0))
            if abs(run.center[1] - last.center[1]) <= tolerance:
                lines[-1].append(run)
                continue
        lines.append([run])
    return [sorted(line, key=lambda r: r.x0) for line in lines]


def _lines(runs: list[Run]) -> str:
    """Runs grouped into lines (similar vertical centre), top to bottom, left to right."""
    return "\n".join(" ".join(r.text for r in line) for line in _line_groups(runs))


def _reading_order(blocks: list[lp.TextBlock], page_width: float) -> list[lp.TextBlock]:
    """Top-to-bottom, and left column before right column when blocks sit side by side."""

    def key(block: lp.TextBlock) -> tuple[int, float, float]:
        x0, y0, x1, _y1 = block.coordinates
        column = 0 if x1 <= page_width * 0.55 or (x1 - x0) > page_width * 0.6 else 1
        return (column if (x1 - x0) < page_width * 0.6 else 0, y0, x0)

    spanning = [b for b in blocks if (b.coordinates[2] - b.coordinates[0]) >= page_width * 0.6]
    if not spanning and any(key(b)[0] == 1 for b in blocks) and any(key(b)[0] == 0 for b in blocks):
        return sorted(blocks, key=key)
    return sorted(blocks, key=lambda b: (b.coordinates[1], b.coordinates[0]))


def _iou(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    inter_w = min(a[2], b[2]) - max(a[0], b[0])
    inter_h = min(a[3], b[3]) - max(a[1], b[1])
    if inter_w <= 0 or inter_h <= 0:
        return 0.0
    inter = inter_w * inter_h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def _nearest_caption(
    fig: lp.TextBlock, captions: list[lp.TextBlock], page_height: float
) -> lp.TextBlock | None:
    fx0, fy0, fx1, fy1 = fig.coordinates
    best, best_distance = None, page_height * 0.15
    for cap in captions:
        cx0, cy0, cx1, cy1 = cap.coordinates
        if min(fx1, cx1) - max(fx0, cx0) <= 0:  # no horizontal overlap
            continue
        distance = cy0 - fy1 if cy0 >= fy1 else fy0 - cy1 if cy1 <= fy0 else 0.0
        if 0 <= distance < best_distance:
            best, best_distance = cap, distance
    return best


class PageWork:
    """Layout, text and figures for one rendered page image."""

    def __init__(
        self,
        opts: ReadOptions,
        *,
        number: int,
        image: Image.Image,
        scale: float,
        scan: bool,
        runs: list[Run] | None = None,
        image_boxes: list[tuple[float, float, float, float]] | None = None,
        photo: bool = False,
    ) -> None:
        self.opts, self.number, self.image, self.scale, self.scan = opts, number, image, scale, scan
        self.runs = runs  # None: no usable text layer, read with OCR
        self.photo = photo
        self.image_boxes = image_boxes or []  # pictures embedded in the page (PDF image objects)
        self.layout = opts.layout.detect(image) if opts.layout is not None else lp.Layout([])
        self.languages = opts.languages  # "auto": decided by the text layer's scripts, else by the first OCR
        if opts.languages == AUTO and runs:
            self.languages = languages_for_text(" ".join(r.text for r in runs), opts.auto.available())
        self.hints: list[LineHint] = []
        self.text_boxes: list[
            TextBox
        ] = []  # where each line is (figure_trim cuts boilerplate out of figures)

    def lookup(self, box: tuple[float, float, float, float]) -> str:
        """Text-layer text inside a box; OCR of the box when the page has no usable text layer."""
        if self.runs is None:
            return self.ocr(box)[0]
        return clean_text(_lines([r for r in self.runs if _inside(r, box)]))

    def blocks(self, *types: str) -> list[lp.TextBlock]:
        return [b for b in self.layout if b.type in types]

    def ocr(
        self, box: tuple[float, float, float, float] | None = None, *, sparse: bool = False
    ) -> tuple[str, float]:
        image = (
            self.image
            if box is None
            else self.image.crop((int(box[0]), int(box[1]), int(box[2]), int(box[3])))
        )
        if image.width < 8 or image.height < 8:
            return "", 0.0
        if box is not None and max(image.size) > MAX_CROP_OCR_SIDE:  # labels stay legible, OCR gets cheaper
            image.thumbnail((MAX_CROP_OCR_SIDE, MAX_CROP_OCR_SIDE))
        gray, angle = prepare_and_angle(image, scan=self.scan, photo=self.photo)
        result, self.languages = self.opts.read(gray, languages=self.languages, sparse=sparse)
        second = self.opts.second_opinion
        if box is None and second is not None:  # the whole page: handwriting may need the second engine
            chosen = second.choose(gray, result, self.languages, tally=self.opts.tally)
            if chosen.engine != "tesseract":
                return drop_stray_script(clean_text(chosen.result.text)), chosen.result.confidence
        text = result.text
        if box is None and not angle:  # words in the page's own pixels
            self.text_boxes = ocr_text_boxes(result.word_boxes, gray.width, gray.height)
            regions = [(b.type, tuple(b.coordinates)) for b in self.layout]
            self.hints = ocr_line_hints(result.word_boxes, gray.width, gray.height, regions)
        if box is None and result.word_boxes and not latin_only(self.languages):
            # Non-Latin pages: answer-key crosses and ticks read as "X", "J", "%" dropped, unsure words read
            # again on their own (workers/ocr/marks.py). English pages keep their one pass.
            languages = self.languages
            text = refine_words(
                result,
                gray,
                turn(ink_saturation(image), angle) if image.mode == "RGB" else None,
                lambda crop: self.opts.ocr.read_line(crop, languages=languages),
            )
        return drop_stray_script(clean_text(text)), result.confidence

    def text(self) -> tuple[str, float | None]:
        """The page's text in reading order: layout blocks ordered top to bottom (and by column), the
        text-layer lines inside each; short header/footer blocks dropped. OCR when there is no layer."""
        if self.runs is None:
            return self.ocr()
        blocks = [b for b in self.layout if b.type not in ("header", "footer")]
        edges = [b for b in self.layout if b.type in ("header", "footer")]
        remaining = list(self.runs)
        parts: list[tuple[lp.TextBlock | None, list[Run]]] = []
        for block in _reading_order(blocks, self.image.width):
            inside = [r for r in remaining if _inside(r, block.coordinates)]
            remaining = [r for r in remaining if r not in inside]
            if inside:
                parts.append((block, inside))
        # Header/footer runs stay in the text (the role pass marks them footer); remember their class.
        edge_of = {id(r): b for b in edges for r in remaining if _inside(r, b.coordinates)}
        # Runs no block covered keep their place by height among the blocks.
        for run in sorted(remaining, key=lambda r: r.center[1]):
            index = next(
                (
                    i
                    for i, (block, _) in enumerate(parts)
                    if block is not None and block.coordinates[1] > run.center[1]
                ),
                len(parts),
            )
            if index > 0 and parts[index - 1][0] is None:
                parts[index - 1][1].append(run)
            else:
                parts.insert(index, (None, [run]))
        height = max(self.image.height, 1)
        placed = any(r.y1 - r.y0 > 1 for r in self.runs)  # the 1-pixel runs of a layer without boxes are not
        self.hints = [
            LineHint(
                text=" ".join(r.text for r in line),
                kind=block.type
                if block is not None
                else (edge_of[id(line[0])].type if id(line[0]) in edge_of else ""),
                top=min(r.y0 for r in line) / height if placed else None,
                bottom=max(r.y1 for r in line) / height if placed else None,
                size=max(r.y1 - r.y0 for r in line) / height if placed else None,
            )
            for block, runs in parts
            for line in _line_groups(runs)
        ]
        if placed:
            width = max(self.image.width, 1)
            self.text_boxes = [
                TextBox(
                    text=" ".join(r.text for r in line),
                    boxes=[
                        [
                            round(x0 / width, 4),
                            round(r.y0 / height, 4),
                            round(x1 / width, 4),
                            round(r.y1 / height, 4),
                        ]
                        for r in line
                        for x0, x1 in (r.pieces or ((r.x0, r.x1),))
                    ],
                )
                for _, runs in parts
                for line in _line_groups(runs)
            ]
        return clean_text("\n".join(_lines(runs) for _, runs in parts)), None

    def title(self, text: str) -> str:
        titles = sorted(self.blocks("title"), key=lambda b: (b.coordinates[1], b.coordinates[0]))
        for block in titles[:1]:
            found = self.lookup(block.coordinates)
            if found:
                return first_line(found.replace("\n", " "))
        return first_line(text)

    def figures(self) -> list[FigureContent]:
        area = self.image.width * self.image.height
        captions = self.blocks("figure_caption", "table_caption")
        found: list[FigureContent] = []
        candidates = self.blocks("figure")
        for box in self.image_boxes:  # embedded pictures the model missed
            if all(_iou(box, b.coordinates) < 0.5 for b in candidates):
                candidates.append(lp.TextBlock(lp.Rectangle(*box), type="figure", score=1.0))
        for index, block in enumerate(candidates):
            x0, y0, x1, y1 = (max(0.0, v) for v in block.coordinates)
            x1, y1 = min(x1, self.image.width), min(y1, self.image.height)
            if x1 - x0 < 8 or y1 - y0 < 8:  # boxes off the page or degenerate
                continue
            share = (x1 - x0) * (y1 - y0) / area
            # Tiny marks are not figures; nor is a "figure" that is the whole page (an image-only slide:
            # its thumbnail already shows it).
            if share < self.opts.figure_min_area or share > 0.8:
                continue
            crop = self.image.crop((int(x0), int(y0), int(x1), int(y1)))
            if is_blank(crop):
                continue
            caption_block = _nearest_caption(block, captions, self.image.height)
            caption = self.lookup(caption_block.coordinates) if caption_block is not None else ""
            # Words inside: the text layer's, else OCR of the crop (raster diagrams) when it is big enough.
            inner = self.lookup((x0, y0, x1, y1)) if self.runs is not None else ""
            if not inner and share >= 0.04:
                text, confidence = self.ocr((x0, y0, x1, y1), sparse=True)
                inner = text if confidence >= 0.5 else ""
            key = self.opts.save(self.opts.key("figures", f"p{self.number:04d}-{index}.png"), png_bytes(crop))
            found.append(
                FigureContent(
                    bbox=[round(v / self.scale, 2) for v in (x0, y0, x1, y1)],
                    image_key=key,
                    caption=caption.replace("\n", " ")[:1000],
                    text=inner[:4000],
                    hash=average_hash(crop),
                )
            )
        return found

    def content(self, *, width: float, height: float) -> PageContent:
        text, confidence = self.text()
        return PageContent(
            number=self.number,
            width=width,
            height=height,
            text=text,
            title=self.title(text),
            source="ocr" if self.runs is None else "text_layer",
            confidence=confidence,
            figures=self.figures(),
            thumbnail_key=self.thumbnail(),
            hints=self.hints,
            text_boxes=self.text_boxes,
            edge_marks=edge_marks(self.image),
        )

    def thumbnail(self) -> str:
        return self.opts.save(self.opts.key("pages", f"{self.number:04d}.jpg"), thumbnail_bytes(self.image))


def _ordered(
    pool: ThreadPoolExecutor, jobs: Iterator[Callable[[], PageContent]], window: int
) -> Iterator[PageContent]:
    """Run page jobs on the pool, at most ``window`` ahead, yielding results in page order."""
    pending: list[Future[PageContent]] = []
    for job in jobs:
        pending.append(pool.submit(job))
        if len(pending) >= window:
            yield pending.pop(0).result()
    for future in pending:
        yield future.result()


# --- PDF ------------------------------------------------------------------------------------------
def read_pdf(path: Path, opts: ReadOptions) -> Iterator[PageContent]:
    import pypdfium2 as pdfium

    pdf_page_count(path)  # maps corrupt / encrypted files to their error codes
    lock = PDFIUM_LOCK
    with lock:
        doc = pdfium.PdfDocument(str(path))

    def job(index: int) -> Callable[[], PageContent]:
        return lambda: _pdf_page(doc, lock, index, opts)

    try:
        with ThreadPoolExecutor(max_workers=opts.parallel, thread_name_prefix="page") as pool:
            yield from _ordered(pool, (job(i) for i in range(len(doc))), window=opts.parallel * 2)
    finally:
        with lock:
            doc.close()


def _text_lines(textpage: Any, page_height: float, scale: float) -> list[Run] | None:
    """The text layer's own lines (content order), each with the box of its characters in pixels.
    None when characters and text do not line up (then the plain text layer is used as it is)."""
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count)
    # pdfium counts a character outside the BMP (maths italic, emoji) as two: map text to char indexes.
    index = [0] * (len(text) + 1)
    for i, ch in enumerate(text):
        index[i + 1] = index[i] + (2 if ord(ch) > 0xFFFF else 1)
    if index[-1] != count:
        return None
    lines: list[tuple[str, list[Word]]] = []
    start = 0
    for end in [*(i for i, ch in enumerate(text) if ch in "\r\n"), len(text)]:
        line = clean_text(text[start:end])
        if line:
            chars = [None if text[i].isspace() else textpage.get_charbox(index[i]) for i in range(start, end)]
            words = layer_words(text[start:end], chars)
            if words:
                lines.append((line, words))
        start = end + 1
    runs: list[Run] = []
    for line, words in splice_fragments(lines):  # a line's maths written after it: back in its place
        boxes: list[Box] = [box for _, box in words]
        left = min(b[0] for b in boxes)
        bottom = min(b[1] for b in boxes)
        right = max(b[2] for b in boxes)
        top = max(b[3] for b in boxes)
        runs.append(
            Run(
                left * scale,
                (page_height - top) * scale,
                right * scale,
                (page_height - bottom) * scale,
                clean_text(line),
                tuple((a * scale, b * scale) for a, b in line_pieces(boxes, top - bottom)),
            )
        )
    return runs


def _pdf_page(doc: Any, lock: threading.RLock, index: int, opts: ReadOptions) -> PageContent:
    import pypdfium2.raw as pdfium_raw

    with lock:  # everything pdfium does for this page, at once
        page = doc[index]
        try:
            width, height = page.get_size()
            scale = render_scale(width, height, opts.dpi / 72, min(MAX_RENDER_SIDE, opts.max_render_px))
            textpage = page.get_textpage()
            raw = textpage.get_text_range()
            full_text = clean_text(raw)
            good = usable_text_layer(raw)  # judged before clean-up: garbage layers show control characters
            runs = _text_lines(textpage, height, scale) if good else None
            if runs is None and good:
                # Lines without boxes: far enough apart that _lines keeps them apart.
                runs = [
                    Run(0, 10 * i, width * scale, 10 * i + 1, line)
                    for i, line in enumerate(full_text.split("\n"))
                ]
            mend = good and broken_devanagari(raw) and "hin" in opts.auto.available()
            if mend:  # keep the layer's Latin and digits, read its mangled Devanagari words from the image
                runs = layer_segments(textpage, height, scale, Run)
            textpage.close()
            image = page.render(scale=scale).to_pil().convert("RGB")
            image_boxes = [
                (left * scale, (height - top) * scale, right * scale, (height - bottom) * scale)
                for left, bottom, right, top in (
                    obj.get_bounds() for obj in page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_IMAGE])
                )
            ]
        finally:
            page.close()
    if mend and runs is not None:
        gray = ImageOps.grayscale(image)
        runs = mend_runs(runs, gray, lambda crop: opts.ocr.read(crop, languages="hin").text)
    work = PageWork(
        opts,
        number=index + 1,
        image=image,
        scale=scale,
        scan=not full_text.strip(),
        runs=runs,
        image_boxes=image_boxes,
    )
    return work.content(width=width, height=height)


# --- images ---------------------------------------------------------------------------------------
def read_image(path: Path, opts: ReadOptions) -> Iterator[PageContent]:
    """One page per frame (a multi-page TIFF), decoded one at a time: each frame's size is checked from
    its header before its pixels are decoded, and only the current frame is in memory."""
    image_size(path)  # refuses bombs before decoding
    with Image.open(path) as img:
        for index in image_frames(img, max_frames=opts.max_pages):
            width, height = img.size
            scale = render_scale(width, height, 1.0, min(MAX_RENDER_SIDE, opts.max_render_px))
            try:
                frame = _upright(_decoded_frame(img, scale))
            except (OSError, SyntaxError, ValueError) as exc:
                raise AppError(
                    "IMAGE_CORRUPT", f"Page {index + 1} of the image is damaged and cannot be read."
                ) from exc
            work = PageWork(opts, number=index + 1, image=frame, scale=scale, scan=True, photo=True)
            yield work.content(width=width, height=height)
            del frame, work


def _decoded_frame(img: Image.Image, scale: float) -> Image.Image:
    """The current frame as RGB at ``scale``, shrunk before it is widened to RGB: a large bilevel or grey
    frame never exists at full size in three channels (an 8900x8900 fax page: 79 MB grey, not 238 MB)."""
    base = img.convert("L") if img.mode == "1" else img if img.mode in ("L", "RGB") else img.convert("RGB")
    if scale < 1.0:
        width, height = base.size
        # Area averaging (BOX), not Pillow's default bicubic: the Hindi paper's 200 dpi scans shrunk to
        # 2000 px read with CER 5.1 % (box) vs 6.5 % (bicubic) on the tuning pages; thin strokes stay whole.
        base = base.resize(
            (max(1, round(width * scale)), max(1, round(height * scale))),
            Image.Resampling.BOX,
            reducing_gap=2.0,
        )
    return base.convert("RGB")


def _upright(image: Image.Image) -> Image.Image:
    """Photos carry their rotation in EXIF; apply it so text is upright for OCR."""
    return ImageOps.exif_transpose(image) or image


# --- PPTX -----------------------------------------------------------------------------------------


READERS: dict[str, Callable[[Path, ReadOptions], Iterator[PageContent]]] = {
    "pdf": read_pdf,
    "pptx": read_pptx,
    "image": read_image,
    "ppt": read_converted,
    "odp": read_converted,
}


def read_document(path: Path, file_type: str, opts: ReadOptions) -> Iterator[PageContent]:
    reader = READERS.get(file_type)
    if reader is None:
        raise AppError("UNSUPPORTED_FORMAT", f"Cannot read {file_type} files.")
    return reader(path, opts)
