"""Small text tools the generators share: words, a light stemmer, and the grounding check that keeps every
LLM output tied to the notes it was given."""

from __future__ import annotations

import re
import unicodedata

WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")

_STOPWORDS = """
    a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each either else etc few for from further
    had has have having he her here hers him his how i if in into is it its itself just less let like may
    me might more most much must my no nor not now of off on once one only or other our ours out over own
    per same shall she should so some such than that the their theirs them then there these they this those
    through thus to too under until up upon us use used using very via was we well were what when where
    whether which while who whom whose why will with within without would yet you your yours
    el la los las un una unos unas de del al y o u en es son que se por para con sin su sus lo le les como
    mas más pero este esta estos estas ese esa eso ser fue han hay entre sobre cuando donde muy también
    le la les des du et ou est sont une pour dans par sur avec der die das und ist sind ein eine
"""
STOPWORDS = frozenset(_STOPWORDS.split())


def fold(text: str) -> str:
    """Lowercase, accents kept, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


def stem(word: str) -> str:
    w = word.lower()
    for suffix in ("ations", "ation", "ingly", "ings", "ing", "edly", "ies", "es", "ed", "ly", "s"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


def words(text: str) -> list[str]:
    return WORD.findall(text)


def content_tokens(text: str) -> list[str]:
    """Stemmed content words; CJK text becomes character bigrams (it has no spaces between words)."""
    tokens: list[str] = []
    for w in words(text):
        if CJK.search(w):
            chars = [c for c in w if CJK.match(c)]
            tokens.extend(chars[i] + chars[i + 1] for i in range(len(chars) - 1))
            if len(chars) == 1:
                tokens.append(chars[0])
            continue
        low = w.lower()
        if low in STOPWORDS or (len(low) < 3 and not low.isdigit()):
            continue
        tokens.append(stem(low))
    return tokens


def grounded_share(text: str, sources: list[str] | str) -> float:
    """The share of ``text``'s content words that occur in the sources (1.0 for text with none)."""
    pool = set(content_tokens(" ".join([sources] if isinstance(sources, str) else sources)))
    tokens = content_tokens(text)
    if not tokens:
        return 1.0
    return sum(t in pool for t in tokens) / len(tokens)


def has_cjk(text: str) -> bool:
    return bool(CJK.search(text))


def contains_phrase(text: str, phrase: str) -> bool:
    """Whether ``phrase`` occurs in ``text`` as whole words (any case); CJK: as a substring."""
    if not phrase.strip():
        return False
    if has_cjk(phrase):
        return phrase in text
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE) is not None


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary, adding an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-") + "…"
