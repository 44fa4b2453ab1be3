"""Whether words are real words of a language (wordfreq's word lists, shipped in its wheel): a text layer
with mis-mapped glyphs ("Uif rvjdl cspxo gpy") or OCR of a picture is mostly made of non-words."""

from __future__ import annotations

import threading
import unicodedata
from typing import Any

import regex

# Alphabetic words of the scripts wordfreq lists word by word (CJK text has no word boundaries to check).
_WORD = regex.compile(r"[\p{Latin}\p{Cyrillic}\p{Greek}\p{Devanagari}\p{M}]+(?:['’][\p{Latin}]+)?")
_SEGMENTED = frozenset({"zh", "ja", "ko"})  # languages whose wordfreq lookup needs a word segmenter
_frequencies: dict[str, dict[str, float]] = {}
_lock = threading.Lock()


def _frequency_dict(lang: str) -> dict[str, float]:
    with _lock:
        if lang not in _frequencies:
            from wordfreq import available_languages, get_frequency_dict

            code = lang if lang in available_languages() else "en"
            _frequencies[lang] = get_frequency_dict(code, wordlist="best")
        return _frequencies[lang]


def word_known(word: str, lang: str = "en") -> bool:
    """Whether ``word`` is in wordfreq's list for ``lang`` (lists go down to words seen about once in a
    hundred million: technical terms are in, garbage is not)."""
    freq: Any = _frequency_dict(lang)
    key = unicodedata.normalize("NFC", word).casefold().replace("’", "'")
    return key in freq


def zipf(word: str, lang: str = "en") -> float:
    """How common ``word`` is in ``lang`` (wordfreq's Zipf scale, 0 when unknown). wordfreq needs extra
    tokenizers (jieba, MeCab) for Chinese, Japanese and Korean: for those languages the word is looked up in
    English instead of failing (callers ask about the Latin words of such slides; a CJK word scores 0)."""
    from wordfreq import zipf_frequency

    if lang in _SEGMENTED:
        lang = "en"
    return float(zipf_frequency(word, lang))


def plausible_share(text: str, lang: str = "en", *, min_len: int = 2) -> float:
    """The share of the text's alphabetic words (``min_len`` letters or more) that are words of ``lang``
    or of English (slides in any language quote English terms); 0.0 when it has no such word."""
    found = [w for w in _WORD.findall(text) if len(w) >= min_len]
    if not found:
        return 0.0
    known = sum(word_known(w, lang) or (lang != "en" and word_known(w, "en")) for w in found)
    return known / len(found)
