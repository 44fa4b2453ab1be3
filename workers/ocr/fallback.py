"""A second OCR engine for pages Tesseract reads badly (handwriting, phone photos), and which reading to keep.

Tesseract reads printed pages well and fast; on handwritten notes it returns a handful of low-confidence
fragments. RapidOCR (workers/ocr/rapid_ocr.py) reads handwriting far better but costs seconds a page and knows
only Latin and Chinese script. So a whole page is read by Tesseract first, as always; only when that reading
does not fit its languages (``workers.ocr.scripts.fits``: low confidence, or few words) and the page's script
(as read) is one the second engine reads, the second engine reads it too, and its reading is kept when it is
clearly more plausible: recognised with some confidence, and with clearly more real words (wordfreq's lists)
or Chinese characters than Tesseract's. Pages that fit (printed scans, every text-layer page) never reach it.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

import regex
from PIL import Image

from shared.errors import AppError
from shared.text.plausibility import word_known
from workers.ocr.ports import OcrEngine, OcrResult
from workers.ocr.scripts import OTHER_SCRIPT_SHARE, fits, script_counts, script_of

log = logging.getLogger(__name__)

# Tuned on the dev pages (docs/benchmarks.md, "OCR of handwritten and photographed pages"): on the handwritten
# PageRank notes RapidOCR's mean region score is 0.81-0.84; on the handwritten Hindi notebook, whose
# Devanagari it cannot read, 0.64-0.72.
MIN_CONFIDENCE = 0.75
MIN_GAIN, GAIN_SHARE = 8, 0.25  # at least this many more plausible units, and this share more
MAX_UNKEPT = 3
_LATIN_WORD = regex.compile(r"\p{Latin}{3,}")
_HAN = regex.compile(r"\p{Han}")


def page_script(languages: str, text: str) -> str:
    """The script of the page as read: its language set's (``script_of``), unless the reading has few of that
    script's letters (an English page read with "eng+hin" is Latin)."""
    script = script_of(languages)
    if script == "Latin":
        return script
    counts = script_counts(text)
    total = sum(counts.values())
    return script if total and counts[script] / total >= OTHER_SCRIPT_SHARE else "Latin"


def plausible_units(text: str) -> float:
    """Words of three or more Latin letters that wordfreq's English list knows, plus Chinese characters
    (two to a word): what a reading gives a student to search and learn from."""
    words = sum(word_known(w, "en") for w in _LATIN_WORD.findall(text))
    return words + len(_HAN.findall(text)) / 2


@dataclass
class Tally:
    """Per deck (one read): how often the second engine was asked and its reading kept. A deck where it was
    asked ``MAX_UNKEPT`` times and never kept (a handwritten Hindi notebook: it cannot read Devanagari) stops
    asking it, so such a deck pays for it on a few pages, not on all. Pages are read in parallel: a page
    reserves its ask (``reserve``) before the engine runs, so two pages cannot both take the last one."""

    asked: int = 0
    kept: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def worth_asking(self) -> bool:
        return self.kept > 0 or self.asked < MAX_UNKEPT

    def reserve(self) -> bool:
        """Count an ask now if one is still worth it (a failed ask counts as a miss)."""
        with self._lock:
            if not self.worth_asking():
                return False
            self.asked += 1
            return True

    def record(self, kept: bool) -> None:
        with self._lock:
            self.kept += kept


@dataclass(frozen=True)
class Choice:
    result: OcrResult
    engine: str  # "tesseract" or the second engine's name


class SecondOpinion:
    """Reads a page with a second engine when the first reading is implausible; keeps the better one."""

    SCRIPTS = frozenset({"Latin", "Han"})

    def __init__(self, engine: OcrEngine, *, name: str = "rapidocr") -> None:
        self.engine, self.name = engine, name

    def needed(self, result: OcrResult, languages: str) -> bool:
        script = page_script(languages, result.text)
        # An English page read with "eng+hin" is judged as English (it never has Devanagari enough to fit).
        judged = languages if script == script_of(languages) else "eng"
        return script in self.SCRIPTS and not fits(judged, result)

    def choose(
        self, image: Image.Image, result: OcrResult, languages: str, *, tally: Tally | None = None
    ) -> Choice:
        """Tesseract's ``result`` for the page ``image`` (read with ``languages``), or the second engine's
        reading when that is clearly more plausible; ``tally`` is the deck's record (see ``Tally``)."""
        if not self.needed(result, languages) or (tally is not None and not tally.reserve()):
            return Choice(result, "tesseract")
        try:
            other = self.engine.read(image, languages=languages)
        except AppError as exc:  # not installed, models missing: Tesseract's reading stands
            log.warning("second OCR engine unavailable: %s", exc.message)
            return Choice(result, "tesseract")
        except Exception:  # any other failure on this page: the same, and the lecture is read
            log.warning("second OCR engine failed on a page; Tesseract's reading kept", exc_info=True)
            return Choice(result, "tesseract")
        kept = better(other, result)
        if tally is not None:
            tally.record(kept)
        return Choice(other, self.name) if kept else Choice(result, "tesseract")


def better(other: OcrResult, first: OcrResult) -> bool:
    """``other`` is confident enough and has clearly more plausible words than ``first``."""
    if other.confidence < MIN_CONFIDENCE:
        return False
    mine, theirs = plausible_units(other.text), plausible_units(first.text)
    return mine >= theirs + max(MIN_GAIN, GAIN_SHARE * theirs)
