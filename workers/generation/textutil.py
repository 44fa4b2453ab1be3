"""Text helpers of the generators that the shared toolkit (shared.text) does not have: the grounding check
that keeps every LLM output tied to the notes it was given, whole-phrase search, and shortening."""

from __future__ import annotations

import re
from functools import lru_cache

from shared.text import content_tokens, detect_language, has_cjk, stem, word_known, words


def grounded_share(text: str, sources: list[str] | str, lang: str | None = None) -> float:
    """The share of ``text``'s content words that occur in the sources (1.0 for text with none). Both are
    stemmed in ``lang``, by default the sources' language."""
    pool_text = " ".join([sources] if isinstance(sources, str) else sources)
    lang = lang or detect_language(pool_text)
    pool = set(content_tokens(pool_text, lang))
    tokens = content_tokens(text, lang)
    if not tokens:
        return 1.0
    return sum(t in pool for t in tokens) / len(tokens)


def invented_words(text: str, sources: list[str] | str, lang: str | None = None) -> list[str]:
    """``text``'s words that are neither in the sources (stemmed) nor words of the language or of English:
    what a small model makes up ("Алгоритм Флойда-Уоршела: Бизнера и графия" from a lecture's slide titles).
    A share of grounded words cannot catch one such word among four; a paraphrase's ordinary words pass."""
    pool_text = " ".join([sources] if isinstance(sources, str) else sources)
    lang = lang or detect_language(pool_text)
    pool = {stem(w.casefold(), lang) for w in words(pool_text)}
    out = []
    for word in words(text):
        if has_cjk(word) or any(c.isdigit() for c in word) or stem(word.casefold(), lang) in pool:
            continue
        if not (word_known(word, lang) or word_known(word, "en")):
            out.append(word)
    return out


def contains_phrase(text: str, phrase: str) -> bool:
    """Whether ``phrase`` occurs in ``text`` as whole words (any case); CJK: as a substring."""
    if not phrase.strip():
        return False
    if has_cjk(phrase):
        return phrase in text
    return _phrase_pattern(phrase).search(text) is not None


@lru_cache(maxsize=4096)
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    # Our own cache: a lecture's terms would otherwise crowd re's 512 patterns (and pysbd's with them).
    return re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)", re.IGNORECASE)


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary, adding an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-") + "…"
