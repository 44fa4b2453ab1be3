"""Stemming with the Snowball stemmers (snowballstemmer) in the text's own language."""

from __future__ import annotations

import threading
from functools import lru_cache
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


@lru_cache(maxsize=100_000)
def _stem(algorithm: str, word: str) -> str:
    return str(_stemmer(algorithm).stemWord(word))


def stem(word: str, lang: str | None = "en") -> str:
    """The Snowball stem of a lower-cased word in ``lang`` (English when None: the language of most
    slides and of the technical words in the others); unchanged in a language without a stemmer."""
    low = word.lower()
    algorithm = SNOWBALL.get(lang or "en")
    return _stem(algorithm, low) if algorithm else low
