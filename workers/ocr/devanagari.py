"""Devanagari text layers that a PDF writer mangled, and the page's scripts.

Some PDF writers (e.g. "Microsoft: Print To PDF" with Hindi fonts) store the glyphs in visual order and drop
what has no single code point: 'विकल्प' comes out as 'िवक' (the i-sign before its consonant, the conjunct
'ल्प' gone), 'प्रकार' as 'कार'. Such a layer reads as Devanagari but is not Hindi. Three signals give it away:

- orphan marks: a dependent vowel sign, virama or nukta that does not follow a consonant (a real word never
  has one; the mangled layer has one in every fourth word);
- no virama at all in a long Devanagari text (Hindi has one in every 15-30 letters: conjuncts are common);
- few words that wordfreq's Hindi list knows.

A page whose layer is broken this way keeps its layer for everything that is not Devanagari (digits, Latin,
punctuation are right), and the Devanagari words are read again from the page image (`mend_runs`).

Small and pure on purpose (``regex`` for scripts, ``wordfreq`` for plausibility): it will move into the shared
text toolkit.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, Protocol, TypeVar

import regex

_CONSONANT = regex.compile(r"[\u0915-\u0939\u0958-\u095F\u0978-\u097F]")
_LETTER_OR_SIGN = regex.compile(r"[\u0904-\u0939\u093C-\u094C\u094E\u094F\u0955-\u0961\u0972-\u097F]")
# Dependent vowel signs, virama, nukta: they follow a consonant (or its nukta).
_AFTER_CONSONANT = regex.compile(r"[\u093A\u093B\u093C\u093E-\u094D\u094E\u094F\u0955-\u0957\u0962\u0963]")
# Candrabindu, anusvara, visarga: they follow a letter or a vowel sign.
_AFTER_LETTER = regex.compile(r"[\u0900-\u0903]")
_DEVANAGARI = regex.compile(r"\p{Devanagari}")
_DEVANAGARI_WORD = regex.compile(r"[\p{Devanagari}\p{M}]+")
_VIRAMA = "\u094d"
_NUKTA = "\u093c"

MIN_WORDS = 8  # below this a layer says too little to call it broken
MAX_ORPHAN_RATE = 0.05  # orphan marks per Devanagari word; correct Hindi has none
MIN_KNOWN_SHARE = 0.5  # share of Devanagari words (2+ letters) wordfreq's Hindi list knows
VIRAMA_FREE_LETTERS = 150  # this many Devanagari letters without one virama: conjuncts were dropped


def devanagari_words(text: str) -> list[str]:
    return [w for w in _DEVANAGARI_WORD.findall(unicodedata.normalize("NFC", text)) if _DEVANAGARI.search(w)]


def orphan_marks(text: str) -> int:
    """Combining Devanagari marks that cannot be where they are (see the module docstring)."""
    count, previous = 0, " "
    for ch in unicodedata.normalize("NFC", text):
        if _AFTER_CONSONANT.match(ch):
            if not (_CONSONANT.match(previous) or (previous == _NUKTA and ch != _NUKTA)):
                count += 1
        elif _AFTER_LETTER.match(ch) and not _LETTER_OR_SIGN.match(previous):
            count += 1
        previous = ch
    return count


def known_share(words: Sequence[str]) -> float:
    """Share of the words (two letters or more) that wordfreq's Hindi word list has."""
    from wordfreq import zipf_frequency

    long = [w for w in words if len(w) >= 2]
    if not long:
        return 1.0
    return sum(zipf_frequency(w, "hi") > 0 for w in long) / len(long)


def broken_devanagari(text: str) -> bool:
    """True when the text has Devanagari words and they are not written as Hindi is (a mangled text layer)."""
    words = devanagari_words(text)
    if len(words) < MIN_WORDS:
        return False
    if orphan_marks(text) / len(words) > MAX_ORPHAN_RATE:
        return True
    letters = sum(1 for ch in text if _CONSONANT.match(ch))
    if letters >= VIRAMA_FREE_LETTERS and _VIRAMA not in text:
        return True
    return known_share(words) < MIN_KNOWN_SHARE


# --- mending a broken layer: Devanagari words read again from the image ------------------------------
class _Box(Protocol):
    @property
    def x0(self) -> float: ...
    @property
    def y0(self) -> float: ...
    @property
    def x1(self) -> float: ...
    @property
    def y1(self) -> float: ...
    @property
    def text(self) -> str: ...


R = TypeVar("R", bound=_Box)


def _char_class(ch: str) -> str:
    """L: ASCII letters and digits (a broken layer keeps them right); D: Devanagari, marks and other non-ASCII
    letters (broken layers put Latin-extended letters where conjuncts were); N: anything else."""
    if ch.isascii():
        return "L" if ch.isalnum() else "N"
    return "D" if ch.isalpha() or unicodedata.category(ch)[0] == "M" or _DEVANAGARI.match(ch) else "N"


def split_segments(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, devanagari) spans of a line: maximal runs of Devanagari words, and the runs of Latin
    words, digits and symbols between them; a word that mixes both ("में'TABLE'") is split where the script
    changes. Punctuation goes with the letters before it in its word, else after it; whitespace ends spans."""
    classes = [_char_class(ch) for ch in text]
    for i, ch in enumerate(text):
        if classes[i] != "N" or ch.isspace():
            continue
        j = i - 1
        while j >= 0 and not text[j].isspace() and classes[j] == "N":
            j -= 1
        if j >= 0 and not text[j].isspace():
            classes[i] = classes[j]
            continue
        k = i + 1
        while k < len(text) and not text[k].isspace() and classes[k] == "N":
            k += 1
        classes[i] = classes[k] if k < len(text) and not text[k].isspace() else "L"
    spans: list[tuple[int, int, bool]] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            continue
        dev = classes[i] == "D"
        if spans and spans[-1][2] == dev:
            spans[-1] = (spans[-1][0], i + 1, dev)
        else:
            spans.append((i, i + 1, dev))
    return spans


def segment_boxes(
    text: str, boxes: Sequence[tuple[float, float, float, float] | None]
) -> list[tuple[tuple[float, float, float, float], str, bool]]:
    """Segments of one text-layer line with the union of their characters' boxes (``boxes[i]`` is the box of
    ``text[i]``, None for characters without one)."""
    out = []
    for start, end, dev in split_segments(text):
        own = [b for b in boxes[start:end] if b is not None]
        if not own:
            continue
        box = (min(b[0] for b in own), min(b[1] for b in own), max(b[2] for b in own), max(b[3] for b in own))
        out.append((box, text[start:end], dev))
    return out


def mend_runs(runs: Sequence[R], image: Any, read: Callable[[Any], str]) -> list[R]:
    """Runs whose text has Devanagari get the text ``read`` finds in their box of ``image`` (a PIL image);
    the others are kept. The box is widened a little (vowel signs stand outside the characters' boxes broken
    layers report), not so much that it takes in the lines above and below (then Tesseract reads nothing)."""
    mended: list[R] = []
    for run in runs:
        if not _DEVANAGARI.search(run.text):
            mended.append(run)
            continue
        height = run.y1 - run.y0
        box = (
            max(0, int(run.x0 - 0.3 * height)),
            max(0, int(run.y0 - 0.2 * height)),
            min(image.width, int(run.x1 + 0.3 * height + 1)),
            min(image.height, int(run.y1 + 0.2 * height + 1)),
        )
        text = read(image.crop(box)).strip() if box[2] - box[0] >= 4 and box[3] - box[1] >= 4 else ""
        mended.append(replace(run, text=" ".join(text.split()) or run.text))  # type: ignore[type-var]
    return mended


def layer_segments(
    textpage: Any, page_height: float, scale: float, make: Callable[[float, float, float, float, str], R]
) -> list[R]:
    """The text layer of a pdfium text page as segments (see ``split_segments``) with pixel boxes (origin
    top-left, ``scale`` pixels per point); ``make(x0, y0, x1, y1, text)`` builds each run. Characters are read
    one by one: broken layers hold characters that the page's text range folds away."""
    import pypdfium2.raw as pdfium_raw

    count = textpage.count_chars()
    chars = "".join(chr(pdfium_raw.FPDFText_GetUnicode(textpage.raw, i)) for i in range(count))
    runs: list[R] = []
    start = 0
    for end in [*(i for i, ch in enumerate(chars) if ch in "\r\n"), count]:
        boxes: list[tuple[float, float, float, float] | None] = []
        for i in range(start, end):
            if chars[i].isspace() or not chars[i].isprintable():
                boxes.append(None)
                continue
            left, bottom, right, top = textpage.get_charbox(i)
            boxes.append(
                (left * scale, (page_height - top) * scale, right * scale, (page_height - bottom) * scale)
            )
        for (x0, y0, x1, y1), text, _dev in segment_boxes(chars[start:end], boxes):
            runs.append(make(x0, y0, x1, y1, text))
        start = end + 1
    return runs
