"""Stemming with the Snowball stemmers (snowballstemmer) in the text's own language."""

from __future__ import annotations

import threading
from typing import Any

# ISO 639-1 -> Snowball algorithm. Chinese and Japanese have no stemmer (and need none: no inflection).
SNOWBALL = {
    "en": "english",
    "es": "spanish",
    "fr": "french",
    "de": "german",
    "ru": "russian",
    "hi": "hindi",
    "it": "italian",
    "pt": "portuguese",
    "nl": "dutch",
    "ca": "catalan",
    "ar": "arabic",
    "tr": "turkish",
}
_local = threading.local()  # Snowball stemmer objects keep state while stemming: one per thread


def _stemmer(algorithm: str) -> Any:
    stemmers: dict[str, Any] = _local.__dict__.setdefault("stemmers", {})
    if algorithm not in stemmers:
        import snowballstemmer

        stemmers[algorithm] = snowballstemmer.stemmer(algorithm)
    return stemmers[algorithm]


_cache: dict[str, dict[str, str]] = {}  # per algorithm: word -> stem (dict reads are atomic)
CACHE_LIMIT = 200_000


def stem(word: str, lang: str | None = "en") -> str:
    """The Snowball stem of a lower-cased word in ``lang`` (English when None: the language of most
    slides and of the technical words in the others); unchanged in a language without a stemmer."""
    low = word.lower()
    algorithm = SNOWBALL.get(lang or "en")
    if algorithm is None:
        return low
    cache = _cache.setdefault(algorithm, {})
    found = cache.get(low)
    if found is None:
        if len(cache) > CACHE_LIMIT:
            cache.clear()
        found = cache[low] = str(_stemmer(algorithm).stemWord(low))
    return found
