"""Sentences, by pysbd's language-aware rules ("e.g.", "3.5", "U.S." do not end a sentence), with a simple
splitter for languages pysbd lacks. Line breaks always end a sentence; CJK full stops and marks do too."""

from __future__ import annotations

import threading
from typing import Any

import regex

# The languages pysbd has rules for (pysbd.languages.LANGUAGE_CODES).
PYSBD_LANGS = frozenset(
    "en hi mr zh es am ar hy bg ur ru pl fa nl da fr my el it ja de kk sk".split()  # noqa: SIM905
)
# Somewhere a sentence could end inside the line: only then is pysbd asked (most slide lines are one).
_MAYBE_END = regex.compile(r"[.!?;…।॥](?=[\s\"'”’)\]]*\s\S)|[。！？]\s*\S")
_CJK_END = regex.compile(r"(?<=[。！？][”」』）]?)(?=\S)")
_SIMPLE_END = regex.compile(r"(?<=[.!?।॥])\s+(?=[\"'“‘(¿¡]?\p{Lu}|\p{Lo})")
_segmenters: dict[str, Any] = {}
_lock = threading.Lock()


def _segmenter(lang: str) -> Any:
    with _lock:
        if lang not in _segmenters:
            import pysbd

            _segmenters[lang] = pysbd.Segmenter(language=lang, clean=False)
        return _segmenters[lang]


def _split_line(line: str, lang: str | None) -> list[str]:
    if not _MAYBE_END.search(line):
        return [line]
    code = lang if lang in PYSBD_LANGS else ("en" if lang is None else None)
    if code is None:
        parts = _SIMPLE_END.split(line)
    else:
        segmenter = _segmenter(code)
        with _lock:  # a pysbd Segmenter keeps the text it is working on
            parts = segmenter.segment(line)
    out: list[str] = []
    for part in parts:
        out.extend(_CJK_END.split(part))
    return out


def sentences(text: str, lang: str | None = None) -> list[str]:
    """The sentences of ``text`` in order, stripped; ``lang`` is an ISO 639-1 code (None: English rules)."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            out.extend(s for s in (p.strip() for p in _split_line(line, lang)) if s)
    return out
