"""Which language a text is in: CJK, Devanagari and Cyrillic by their script, Latin-script languages by
lingua-language-detector (restricted to the languages we support, built once, lazily, thread-safe)."""

from __future__ import annotations

import threading
from typing import Any

from shared.text.scripts import script_of

# ISO 639-1 codes we tell apart. Latin-script ones go to lingua; the others are told by their script.
LATIN_LANGUAGES = ("en", "es", "fr", "de", "it", "pt", "nl")
SUPPORTED = (*LATIN_LANGUAGES, "ru", "zh", "ja", "ko", "hi")
SAMPLE_CHARS = 500
_lock = threading.Lock()
_built: dict[str, Any] = {}  # "lingua": the detector, built on first use


def _lingua() -> Any:
    detector = _built.get("lingua")
    if detector is None:
        with _lock:
            detector = _built.get("lingua")
            if detector is None:
                from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

                languages = [
                    Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in LATIN_LANGUAGES
                ]
                # Low accuracy: trigram models only (about 0.2 s to load, about 1 ms a page); high accuracy
                # loads every n-gram model the first time a short text comes, several seconds.
                detector = LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()
                _built["lingua"] = detector
    return detector


def sample(text: str, size: int = SAMPLE_CHARS, windows: int = 5) -> str:
    """Up to ``size`` characters from across the text (``windows`` pieces, cut at spaces): a deck's first
    slide is often names and a course code in another language than the rest."""
    text = " ".join(text.split())
    if len(text) <= size:
        return text
    width = size // windows
    step = (len(text) - width) // (windows - 1)
    pieces = []
    for i in range(windows):
        piece = text[i * step : i * step + width]
        start, end = piece.find(" "), piece.rfind(" ")
        pieces.append(piece[start + 1 : end] if 0 <= start < end else piece)
    return " ".join(pieces)


def detect_language(text: str, default: str = "en") -> str:
    """An ISO 639-1 code from SUPPORTED, or ``default`` when the text says too little (no letters, a
    script we do not support, a Latin text lingua cannot place)."""
    part = sample(text)
    shares = script_of(part)
    if not shares:
        return default
    cjk = shares.get("Han", 0.0) + shares.get("Hiragana", 0.0) + shares.get("Katakana", 0.0)
    if shares.get("Hiragana", 0.0) + shares.get("Katakana", 0.0) > 0.1:
        return "ja"
    if cjk > 0.3:
        return "zh"
    if shares.get("Hangul", 0.0) > 0.3:
        return "ko"
    if shares.get("Devanagari", 0.0) > 0.3:
        return "hi"
    if shares.get("Cyrillic", 0.0) > 0.5:
        return "ru"
    if shares.get("Latin", 0.0) < 0.5:
        return default
    found = _lingua().detect_language_of(part)
    if found is None:
        return default
    return str(found.iso_code_639_1.name.lower())
