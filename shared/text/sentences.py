"""Sentences, by pysbd's language-aware rules ("e.g.", "3.5", "U.S." do not end a sentence), with a simple
splitter for languages pysbd lacks. pysbd is asked only about lines where a full stop follows a possible
abbreviation; elsewhere a stop, "!" or "?" before a capital ends a sentence, as pysbd would say. Line
breaks always end a sentence; CJK full stops and marks do too."""

from __future__ import annotations

import itertools
import threading
from functools import lru_cache
from typing import Any

import regex

# The languages pysbd has rules for (pysbd.languages.LANGUAGE_CODES).
PYSBD_LANGS = frozenset(
    "en hi mr zh es am ar hy bg ur ru pl fa nl da fr my el it ja de kk sk".split()  # noqa: SIM905
)
# Where a sentence may end: . ! ? (and the Devanagari danda) before a space and a capital or a letter of a
# caseless script, or after a CJK full stop or mark.
_BOUNDARY = regex.compile(
    r"(?<=[.!?…।॥][\"'”’)\]]*)\s+(?=[\"'“‘(¿¡]*[\p{Lu}\p{Lo}])|(?<=[。！？][”」』）]?)(?=\S)"
)
# The word before a "." that may be an abbreviation ("Dr.", "e.g.", "U.S.", "Fig.", "No.", "3."): there
# pysbd decides, with its language's abbreviation lists.
_ABBREVIATION = regex.compile(r"(?:^|\s)[(\[\"'“]?(?:\p{L}{1,3}|\p{Lu}\p{Ll}{0,4}|\w+(?:\.\w+)+|\d+)\.$")
PYSBD_MAX_CHARS = 5000  # longer lines (no slide has one) are split by the simple rule alone
_CJK_END = regex.compile(r"(?<=[。！？][”」』）]?)(?=\S)")
_segmenters: dict[str, Any] = {}
_lock = threading.Lock()


def _segmenter(lang: str) -> Any:
    with _lock:
        if lang not in _segmenters:
            import pysbd

            _segmenters[lang] = pysbd.Segmenter(language=lang, clean=False)
        return _segmenters[lang]


@lru_cache(maxsize=8192)
def _split_line(line: str, lang: str | None) -> tuple[str, ...]:
    cuts = [m.start() for m in _BOUNDARY.finditer(line)]
    if not cuts:
        return (line,)
    code = lang if lang in PYSBD_LANGS else ("en" if lang is None else None)
    if len(line) > PYSBD_MAX_CHARS:  # pysbd's time grows faster than the line: a hostile line is cut simply
        code = None
    # the word before each boundary is looked for in a window (a search from 0 to every cut was quadratic)
    if code is not None and any(_ABBREVIATION.search(line, max(0, cut - 64), cut) for cut in cuts):
        segmenter = _segmenter(code)
        with _lock:  # a pysbd Segmenter keeps the text it is working on
            parts = segmenter.segment(line)
        return tuple(piece for part in parts for piece in _CJK_END.split(part))
    # No abbreviation before any boundary: pysbd would cut exactly there (and it is slow: about 1 ms a line).
    bounds = [0, *cuts, len(line)]
    return tuple(line[a:b] for a, b in itertools.pairwise(bounds))


def sentences(text: str, lang: str | None = None) -> list[str]:
    """The sentences of ``text`` in order, stripped; ``lang`` is an ISO 639-1 code (None: English rules)."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            out.extend(s for s in (p.strip() for p in _split_line(line, lang)) if s)
    return out
