"""The words of a non-Latin (Hindi) page read again where OCR is unsure of them, and coloured marks dropped.

Coloured marks that OCR reads as letters: the red cross and green tick beside the options of an exam
paper's answer key come out as "X", "XK", "J", "%", "#(", "३९" in front of each option.

They are told apart by what they are made of: a short "word" (three characters at most, no digit) that
Tesseract reads with low confidence, or reads as symbols only ("><", "%"), and whose ink is coloured, not
black or grey. Coloured text stays: it
reads as longer words, digits or confidently (the paper's options are red and green too). Used on pages read
with a non-Latin pack (Hindi) only, where the measured gain is (page 4 and 12 of the Hindi paper); English
pages keep their one plain pass.

Unsure words: a word of the page pass read with less than ``REREAD_BELOW`` confidence is read again on its own
(its box, a little margin, as one line) and the new reading kept when it is more confident: "७.9" -> "Q.9",
"GERI" -> "दूसरा". Tuning pages 4 and 12: CER 5.10 % -> 4.67 % (-> 4.76 % rereading below 0.7 instead).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
from PIL import Image

from workers.ocr.ports import OcrResult, OcrWord

MAX_LENGTH = 3  # characters of a mark's reading
MAX_CONFIDENCE = 0.8  # a mark is read with less
MIN_SATURATION = 80  # mean HSV saturation (0-255) of its ink: coloured, not black or grey
INK = 160  # grey level below which a pixel is ink
REREAD_BELOW = 0.85  # words read with less confidence are read again on their own
MARGIN = 0.15  # of the word's height, around its box, when it is read again


def ink_saturation(image: Image.Image) -> Image.Image:
    """Saturation (0-255) of each pixel of an RGB image, as a greyscale image of the same size."""
    return image.convert("RGB").convert("HSV").getchannel("S")


def is_mark(word: OcrWord, gray: np.ndarray, saturation: np.ndarray) -> bool:
    symbols = not any(ch.isalnum() for ch in word.text)  # "><", "%": no reading of text, however confident
    if len(word.text) > MAX_LENGTH or (word.confidence >= MAX_CONFIDENCE and not symbols):
        return False
    if any(ch.isdigit() for ch in word.text):  # "1.", "2." of coloured options
        return False
    x0, y0, x1, y1 = word.box
    ink = gray[y0:y1, x0:x1] < INK
    return bool(ink.any()) and float(saturation[y0:y1, x0:x1][ink].mean()) >= MIN_SATURATION


def words_text(words: list[OcrWord]) -> str:
    """Words back to text: a line per line, a blank line between paragraphs."""
    lines: list[str] = []
    last: OcrWord | None = None
    for word in words:
        if last is not None and word.line == last.line:
            lines[-1] += " " + word.text
        else:
            if last is not None and word.paragraph != last.paragraph:
                lines.append("")
            lines.append(word.text)
        last = word
    return "\n".join(lines)


def refine_words(
    result: OcrResult,
    gray: Image.Image,
    saturation: Image.Image | None,
    read_line: Callable[[Image.Image], OcrResult],
) -> str:
    """The page's text with its coloured marks dropped (when ``saturation`` is given, the same size as
    ``gray``) and its unsure words read again with ``read_line`` (see the module docstring); the text as it is
    when the engine gave no word boxes. ``gray`` is the image the engine read."""
    if not result.word_boxes:
        return result.text
    gray_px = np.asarray(gray.convert("L"))
    sat_px = np.asarray(saturation) if saturation is not None and saturation.size == gray.size else None
    words: list[OcrWord] = []
    for word in result.word_boxes:
        if sat_px is not None and is_mark(word, gray_px, sat_px):
            continue
        if word.confidence < REREAD_BELOW:
            x0, y0, x1, y1 = word.box
            pad = int(MARGIN * (y1 - y0)) + 2
            crop = gray.crop(
                (max(0, x0 - pad), max(0, y0 - pad), min(gray.width, x1 + pad), min(gray.height, y1 + pad))
            )
            again = read_line(crop)
            text = " ".join(again.text.split())
            if text and again.confidence > word.confidence:
                word = replace(word, text=text, confidence=again.confidence)
        words.append(word)
    return words_text(words)


def drop_coloured_marks(result: OcrResult, gray: Image.Image, saturation: Image.Image) -> str:
    """The result's text without the words that are coloured marks; the text as it is when there is none or
    the engine gave no word boxes. ``gray`` is the image that was read, ``saturation`` its saturation."""
    if not result.word_boxes or gray.size != saturation.size:
        return result.text
    gray_px, sat_px = np.asarray(gray.convert("L")), np.asarray(saturation)
    kept = [w for w in result.word_boxes if not is_mark(w, gray_px, sat_px)]
    return result.text if len(kept) == len(result.word_boxes) else words_text(kept)
