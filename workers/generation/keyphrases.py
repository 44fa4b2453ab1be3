"""Key phrases of a sentence: what a cloze card or a fill-in-the-blank question hides (a known term, else a
number, else a word of the lecture's titles), and the blanking itself."""

from __future__ import annotations

import re

from shared.text import fold, has_cjk, stem, stopwords, words
from workers.generation.textutil import contains_phrase

# --- key phrases (cloze, fill in the blank) -----------------------------------------------------------
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?\s?%?(?![\w.])")


def key_phrase(
    sentence: str,
    terms: list[str],
    topic_words: set[str] | frozenset[str] = frozenset(),
    lang: str | None = None,
) -> str | None:
    """What to blank out of a sentence: a known term, else a number, else a word the lecture's slide titles
    use (or a capitalised technical word). Ordinary words ("becomes", "consider") are never blanked."""
    for term in sorted(terms, key=len, reverse=True):
        if contains_phrase(sentence, term) and fold(term) != fold(sentence):
            m = re.search(re.escape(term), sentence, re.IGNORECASE) if not has_cjk(term) else None
            return m.group(0) if m else term
    if has_cjk(sentence):
        return None
    if len(words(sentence)) < 6:
        return None
    numbers = [m.group(0).strip() for m in _NUMBER.finditer(sentence)]
    if numbers:
        return max(numbers, key=len)
    best, best_score = None, 0.0
    stop = stopwords(lang)
    for i, w in enumerate(words(sentence)):
        low = w.lower()
        if low in stop or len(w) < 5 or has_cjk(w) or w.isdigit():
            continue
        topical = stem(low, lang) in topic_words
        technical = (i > 0 and w[0].isupper()) or "-" in w
        if not (topical or technical):
            continue
        score = len(w) + (6 if topical else 0) + (3 if technical else 0) - (5 if i == 0 else 0)
        if score > best_score:
            best, best_score = w, score
    return best


def blank_out(sentence: str, phrase: str, blank: str = "_____") -> str:
    if has_cjk(phrase):
        return sentence.replace(phrase, blank, 1)
    return re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", blank, sentence, count=1, flags=re.IGNORECASE)
