"""A learned validity score for study items (quiz questions, cards, cheat-sheet entries), issue #14.

Deck-independent features of an item (no deck name, no word list of any deck): its length, how many of its
words are words of the lecture's language (wordfreq), digits and symbols, whether it starts and ends like a
sentence, its share of function words, the salience of what it names (salience.py), how much of it is in
the slide titles and on its own slide, whether that slide was OCR'd, and a few kind-specific fields.
``ITEM_FEATURES`` names them in order; benchmarks/item_validity.py trains a logistic regression on the
blind dev verdicts.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shared.text import fold, plausible_share, stem, stopwords, words

if TYPE_CHECKING:
    from workers.generation.candidates import LectureCandidates

ITEM_FEATURES = (
    "log_words",
    "plausible",
    "digits",
    "symbols",
    "ends_sentence",
    "starts_upper",
    "function_words",
    "salience",
    "in_titles",
    "on_slide",
    "ocr",
    "is_quiz",
    "is_card",
    "options",
    "cloze",
    "figure",
    "word_length",
)
_SLIDE_REF = re.compile(r"\s*\((?:s|p|slide|diapositiva|幻灯片)\.?\s*[\d\s,–-]+\)\s*$", re.I)
_ENDS = tuple(".!?。！？…")


@dataclass(frozen=True)
class ItemView:
    """What the score reads of an item: its kind ("quiz", "card", "sheet"), the text a student reads (quiz:
    stem and key; card: front and back; sheet: the entry), its core line (quiz: the explanation; card: the
    back; sheet: the entry), its slide, options count, cloze and figure flags."""

    kind: str
    text: str
    core: str
    page: int | None = None
    options: int = 0
    cloze: bool = False
    figure: bool = False


def quiz_view(stem_text: str, key: str, explanation: str, options: int, page: int | None) -> ItemView:
    return ItemView("quiz", f"{stem_text} {key}", explanation or key, page, options=options)


def card_view(front: str, back: str, cloze: bool, figure: bool, page: int | None) -> ItemView:
    return ItemView("card", f"{front} {back}", back, page, cloze=cloze, figure=figure)


def sheet_view(text: str, figure: bool, page: int | None) -> ItemView:
    body = _SLIDE_REF.sub("", text)
    return ItemView("sheet", body, body, page, figure=figure)


def _stems(text: str, lang: str) -> set[str]:
    stop = stopwords(lang)
    return {
        stem(w.lower(), lang)
        for w in words(text)
        if w.lower() not in stop and len(w) >= 2 and not w.isdigit()
    }


def features(item: ItemView, lc: LectureCandidates) -> list[float]:
    """The item's features, in ``ITEM_FEATURES`` order."""
    from workers.generation.salience import build_salience

    lang = lc.text_lang
    text = item.text
    ws = words(text)
    chars = [c for c in text if not c.isspace()]
    n_chars = max(1, len(chars))
    stop = stopwords(lang)
    core = item.core.strip()
    letter = next((c for c in core if c.isalpha()), "")
    stems = _stems(text, lang)
    titles: set[str] = set()
    for s in lc.lecture.slides:
        titles |= _stems(s.title, lang)
    slide = next((s for s in lc.lecture.slides if s.ref.page == item.page), None)
    on_slide = 0.0
    if slide is not None and stems:
        on_slide = len(stems & _stems(f"{slide.title}\n{slide.text}", lang)) / len(stems)
    elif slide is not None and fold(core) and fold(core) in fold(f"{slide.title}\n{slide.text}"):
        on_slide = 1.0  # CJK text: no stems
    return [
        math.log1p(len(ws)),
        plausible_share(text, lang),
        sum(c.isdigit() for c in chars) / n_chars,
        sum(not c.isalnum() for c in chars) / n_chars,
        float(core.endswith(_ENDS)),
        float(not letter or not letter.islower()),
        sum(w.lower() in stop for w in ws) / max(1, len(ws)),
        build_salience(lc).of(text),
        len(stems & titles) / len(stems) if stems else 0.0,
        on_slide,
        float(slide is not None and slide.source != "text_layer"),
        float(item.kind == "quiz"),
        float(item.kind == "card"),
        item.options / 4,
        float(item.cloze),
        float(item.figure),
        min(12.0, sum(len(w) for w in ws) / max(1, len(ws))) / 12,
    ]
