"""Words and search tokens: one definition of a word for every worker.

- ``words(text)``: the words as written ("cross-validation" and "don't" stay whole), in any script; the
  `regex` module's \\w keeps Devanagari vowel signs inside their word (Python's `re` splits there).
- ``tokens(text)``: what keyword search and word overlap compare: lower-case, split at hyphens and
  apostrophes, stop words dropped, optionally stemmed in the text's language; CJK runs (no spaces between
  words) become characters and character pairs.
"""

from __future__ import annotations

import unicodedata
from itertools import pairwise
from typing import Literal

import regex

from shared.text.scripts import CJK, CJK_CLASS
from shared.text.stems import stem as _stem
from shared.text.stopwords import stopwords

WORD = regex.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
# A CJK run, or a run of word characters of any other script.
_PIECE = regex.compile(rf"([{CJK_CLASS}]+)|([[^\W_]--[{CJK_CLASS}]]+)", flags=regex.V1)
_PART = regex.compile(r"[^\W_]+")

CjkMode = Literal["chars+bigrams", "bigrams"]


def words(text: str) -> list[str]:
    found: list[str] = WORD.findall(text)
    return found


def fold(text: str) -> str:
    """Lower-case, accents kept, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


def cjk_grams(run: str, mode: CjkMode = "chars+bigrams") -> list[str]:
    """A CJK run's characters then its character pairs; "bigrams": the pairs only (a lone character
    stands for itself)."""
    pairs = [a + b for a, b in pairwise(run)]
    if mode == "bigrams":
        return pairs or [run]
    return [*run, *pairs]


def tokens(
    text: str,
    *,
    lang: str | None = None,
    stem: bool = False,
    min_len: int = 2,
    cjk: CjkMode = "chars+bigrams",
) -> list[str]:
    """Search tokens: lower-case words of at least ``min_len`` letters (numbers of any length), stop words
    of ``lang`` dropped (English and Spanish ones when it is None), stemmed in ``lang`` when ``stem``."""
    stop = stopwords(lang)
    low = text.lower()
    if CJK.search(low) is None:  # most slides: the plain word pattern is faster
        found = [w for w in _PART.findall(low) if w not in stop and (len(w) >= min_len or w.isdigit())]
        return [_stem(w, lang) for w in found] if stem else found
    out: list[str] = []
    for run, word in _PIECE.findall(low):  # (CJK run, word) pairs
        if run:
            out.extend(cjk_grams(run, cjk))
        elif word not in stop and (len(word) >= min_len or word.isdigit()):
            out.append(_stem(word, lang) if stem else word)
    return out


def content_tokens(text: str, lang: str | None = None) -> list[str]:
    """Stemmed content words (three letters or more) and CJK character pairs: what grounding checks and
    the generators' slide search compare."""
    return tokens(text, lang=lang, stem=True, min_len=3, cjk="bigrams")
