"""RapidOCR: the PP-OCRv4 detection, direction and recognition ONNX models bundled in the
`rapidocr-onnxruntime` package (Chinese and English; no Devanagari), run by onnxruntime. The model files ship
inside the wheel: nothing is downloaded. It reads handwriting and photographed pages far better than
Tesseract (see docs/benchmarks.md), at a few seconds a page, so the ocr worker asks it only for a second
opinion on pages Tesseract reads badly (workers/ocr/fallback.py)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from shared.errors import AppError
from workers.ocr.ports import OcrEngine, OcrResult, OcrWord

MODEL_FILES = (
    "ch_PP-OCRv4_det_infer.onnx",
    "ch_PP-OCRv4_rec_infer.onnx",
    "ch_ppocr_mobile_v2.0_cls_infer.onnx",
)
# A gap above a line this many line heights tall starts a paragraph (a blank line, as in Tesseract's text).
PARAGRAPH_GAP = 0.8
# RapidOCR scales a page's SHORT side up to 736 px for detection (and pads only very wide pages): a 1100 x 1
# strip became 736 x 800,000 pixels and the worker was killed for memory. A page is padded (white, right or
# bottom: the regions' coordinates are unchanged) so its long side is at most this many times its short one.
MAX_ASPECT = 4


class RapidOcr(OcrEngine):
    """RapidOCR behind the OCR port. The models load on the first read (a deck that never needs them never
    pays for them) and stay loaded; one ONNX session set per process, calls serialised by a lock.

    Bounded per page like Tesseract's reading: the image is shrunk to ``max_side`` pixels on its longest side
    before detection, and at most ``max_boxes`` text regions are recognised."""

    LANGUAGES = frozenset({"eng", "chi_sim"})

    def __init__(
        self,
        *,
        threads: int = 1,
        max_side: int = 1100,
        max_boxes: int = 300,
        min_score: float = 0.5,
        box_threshold: float = 0.5,
    ) -> None:
        self.threads, self.max_side, self.max_boxes = threads, max_side, max_boxes
        self.min_score, self.box_threshold = min_score, box_threshold
        self._engine: Any = None
        self._broken: AppError | None = None  # the models failed to load: every later read fails the same way
        self._lock = threading.Lock()

    def available_languages(self) -> set[str]:
        return set(self.LANGUAGES)

    def _load(self) -> Any:
        try:
            import rapidocr_onnxruntime
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as exc:
            raise AppError(
                "OCR_UNAVAILABLE",
                "RapidOCR is not installed on the worker (pip install rapidocr-onnxruntime).",
            ) from exc
        models = Path(rapidocr_onnxruntime.__file__).parent / "models"
        missing = [name for name in MODEL_FILES if not (models / name).is_file()]
        if missing:  # never let the package fetch anything: its bundled files or nothing
            raise AppError("OCR_UNAVAILABLE", f"RapidOCR's bundled models are missing: {', '.join(missing)}.")
        try:
            return RapidOCR(
                intra_op_num_threads=self.threads,
                inter_op_num_threads=1,
                text_score=self.min_score,
                det_box_thresh=self.box_threshold,
                det_max_candidates=self.max_boxes,
                det_model_path=str(models / MODEL_FILES[0]),
                rec_model_path=str(models / MODEL_FILES[1]),
                cls_model_path=str(models / MODEL_FILES[2]),
            )
        except Exception as exc:  # onnxruntime: a corrupt model, an unsupported CPU
            raise AppError("OCR_UNAVAILABLE", f"RapidOCR's models did not load: {exc!r}") from exc

    def read(self, image: Image.Image, *, languages: str = "eng", sparse: bool = False) -> OcrResult:
        if min(image.size) < 1:
            raise AppError(
                "OCR_FAILED", f"An empty image ({image.width} x {image.height}) has no text to read."
            )
        factor = min(1.0, self.max_side / max(image.size))
        small = image.convert("RGB")
        if factor < 1.0:
            small = small.resize(
                (max(1, round(image.width * factor)), max(1, round(image.height * factor))),
                Image.Resampling.BOX,
            )
        small = bounded_aspect(small)
        bgr = np.ascontiguousarray(np.asarray(small)[:, :, ::-1])
        with self._lock:
            if self._broken is not None:
                raise self._broken
            if self._engine is None:
                try:
                    self._engine = self._load()
                except Exception as exc:
                    self._broken = (
                        exc
                        if isinstance(exc, AppError)
                        else AppError("OCR_UNAVAILABLE", f"RapidOCR did not load: {exc!r}")
                    )
                    raise self._broken from exc
            try:
                found, _elapsed = self._engine(bgr)
            except Exception as exc:  # onnxruntime or OpenCV on this page
                raise AppError("OCR_FAILED", f"RapidOCR could not read the page: {exc!r}") from exc
        regions = [
            (tuple(float(v) / factor for point in box for v in point), str(text).strip(), float(score))
            for box, text, score in (found or [])
            if str(text).strip()
        ]
        return result_from_regions(regions)


def bounded_aspect(image: Image.Image) -> Image.Image:
    """``image`` padded with white on the right or at the bottom so its long side is at most ``MAX_ASPECT``
    times its short one (see ``MAX_ASPECT``)."""
    short = -(-max(image.size) // MAX_ASPECT)
    if min(image.size) >= short:
        return image
    padded = Image.new("RGB", (max(image.width, short), max(image.height, short)), (255, 255, 255))
    padded.paste(image, (0, 0))
    return padded


def result_from_regions(regions: list[tuple[tuple[float, ...], str, float]]) -> OcrResult:
    """An ``OcrResult`` like Tesseract's from text regions (4 corner points flattened, text, score): regions
    on one line joined left to right, lines top to bottom, a blank line between paragraphs; each region's
    words get a share of its box by their length."""
    boxes = [
        (min(pts[0::2]), min(pts[1::2]), max(pts[0::2]), max(pts[1::2]), text, score)
        for pts, text, score in regions
    ]
    boxes.sort(key=lambda b: ((b[1] + b[3]) / 2, b[0]))
    lines: list[list[tuple[float, float, float, float, str, float]]] = []
    for box in boxes:
        if lines:
            last = lines[-1]
            centre = sum((b[1] + b[3]) / 2 for b in last) / len(last)
            height = min(box[3] - box[1], sum(b[3] - b[1] for b in last) / len(last))
            if abs((box[1] + box[3]) / 2 - centre) <= 0.5 * max(height, 1.0):
                last.append(box)
                continue
        lines.append([box])
    words: list[OcrWord] = []
    text_lines: list[str] = []
    paragraph, last_bottom, last_height = 0, None, 0.0
    for line_no, line in enumerate(lines):
        line.sort(key=lambda b: b[0])
        top, bottom = min(b[1] for b in line), max(b[3] for b in line)
        height = bottom - top
        if last_bottom is not None and top - last_bottom > PARAGRAPH_GAP * max(min(height, last_height), 1.0):
            paragraph += 1
            text_lines.append("")
        for x0, y0, x1, y1, text, score in line:
            tokens = text.split()
            total = sum(len(t) for t in tokens) + len(tokens) - 1
            start = 0
            for token in tokens:
                left = x0 + (x1 - x0) * start / total
                right = x0 + (x1 - x0) * (start + len(token)) / total
                words.append(
                    OcrWord(
                        token,
                        round(score, 4),
                        (round(left), round(y0), round(right), round(y1)),
                        line_no,
                        paragraph,
                    )
                )
                start += len(token) + 1
        text_lines.append(" ".join(b[4] for b in line))
        last_bottom, last_height = bottom, height
    confidence = sum(w.confidence for w in words) / len(words) if words else 0.0
    return OcrResult(
        text="\n".join(text_lines).strip(),
        confidence=round(confidence, 4),
        words=len(words),
        word_boxes=tuple(words),
    )
