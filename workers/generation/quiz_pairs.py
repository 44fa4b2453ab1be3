"""Questions from a slide that sets two cases side by side as "Label: value" lines, each value a concept
name the lecture uses in several sections ("<case A>: <kind X> gain" / "<case B>: <kind Y> gain"): "According
to the slides, which gain goes with “<case A>”?", with the value as the key and its sibling names (same head
word) as the options. A comparison a lecture that explains rather than defines makes without any "X is ..."
sentence.

English only (the frame is English): a lecture in another language gets none. The key is unambiguous only when
no other line pairs the same label with a sibling, the label names a case the lecture speaks of on more than
one slide (not a lead-in such as "Example"), and the slide pairs at least two labels this way (a comparison,
not one stray caption).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from shared.schemas import QuizQuestion, SourceRef
from shared.text import fold, words
from workers.generation.candidates import LectureCandidates
from workers.generation.quiz_statements import _head, concept_names, mined_names

ENGLISH_ONLY = True
# "Label: value": a short label (no bullet, no second colon) and a short value
_PAIR = re.compile(r"^(?P<label>[^:•|;,.]{2,40}?)\s*:\s*(?P<value>[^:•|;,.()]{3,60})$")
_NEGATED = re.compile(r"^(?:no|not|without|non)\b", re.I)
MIN_LABEL_SLIDES = 2  # the label names a case spoken of on this many slides
MIN_PAIRS_ON_SLIDE = 2  # a slide compares: it pairs this many labels with sibling names


@dataclass(frozen=True)
class Pair:
    label: str
    value: str  # the key: a two-word concept name as the slide writes it
    siblings: list[str]  # names with the value's head word, none paired with this label anywhere
    head: str  # the head word as written ("gain")
    line: str
    ref: SourceRef


def _slides_naming(lc: LectureCandidates, phrase: str) -> int:
    pattern = re.compile(rf"(?<![\w-]){re.escape(fold(phrase))}(?![\w-])")
    return sum(1 for s in lc.lecture.slides if pattern.search(fold(f"{s.title}\n{s.text}")))


def pairs(lc: LectureCandidates) -> list[Pair]:
    """The "Label: value" comparisons of an English lecture whose values are sibling concept names."""
    if ENGLISH_ONLY and (lc.text_lang != "en" or lc.lang != "en"):
        return []
    lang = lc.text_lang
    names = {fold(n): n for n in [*concept_names(lc), *mined_names(lc)] if len(words(n)) == 2}
    found: list[tuple[str, str, str, SourceRef]] = []  # label, value, line, ref
    for _, p in lc.points:
        m = _PAIR.match(p.text.strip().rstrip("."))
        if not m:
            continue
        label, value = m["label"].strip(), m["value"].strip()
        if fold(value) not in names or _NEGATED.match(value) or _NEGATED.match(label):
            continue
        if (
            len(words(label)) < 2
            or fold(label) == fold(value)
            or _slides_naming(lc, label) < MIN_LABEL_SLIDES
        ):
            continue
        found.append((label, value, p.text, p.ref))
    paired: dict[str, set[str]] = defaultdict(set)  # label -> every value any slide line pairs it with
    for slide in lc.lecture.slides:  # the slides' own lines: the notes may have dropped a repeated one
        for raw in slide.text.splitlines():
            if m := _PAIR.match(raw.strip().rstrip(".")):
                paired[fold(m["label"].strip())].add(fold(m["value"].strip()))
    per_slide: dict[tuple[int, int], set[str]] = defaultdict(set)
    on_slide: dict[tuple[int, int], set[str]] = defaultdict(set)  # the values a slide pairs
    for label, value, _, ref in found:
        per_slide[(ref.lecture_id, ref.page)].add(fold(label))
        on_slide[(ref.lecture_id, ref.page)].add(fold(value))
    out: list[Pair] = []
    for label, value, line, ref in found:
        if len(per_slide[(ref.lecture_id, ref.page)]) < MIN_PAIRS_ON_SLIDE or len(paired[fold(label)]) > 1:
            continue
        head = _head(value, lang)
        kin = [
            n
            for f, n in names.items()
            if f != fold(value) and _head(n, lang) == head and f not in paired[fold(label)]
        ]
        kin.sort(
            key=lambda n: fold(n) not in on_slide[(ref.lecture_id, ref.page)]
        )  # the contrasted case first
        if len(kin) >= 2:
            out.append(Pair(label, value, kin, words(value)[-1].lower(), line, ref))
    return out


def pair_question(pair: Pair, options: int, shuffle: Callable[[list[str]], None]) -> QuizQuestion | None:
    """ "According to the slides, which gain goes with “High SNR”?" with the sibling names as options; the
    siblings the same slide pairs with another label first (``pairs`` orders them)."""
    from workers.generation.quiz_kinds import question

    kin = pair.siblings[: options - 1]
    if len(kin) < 2:
        return None
    key = pair.value[:1].upper() + pair.value[1:]
    choices = [key, *(k[:1].upper() + k[1:] for k in kin)]
    shuffle(choices)
    return question(
        "multiple_choice",
        f"According to the slides, which {pair.head} goes with “{pair.label}”?",
        "ABCDEF"[choices.index(key)],
        key,
        f"The slides pair “{pair.label}” with “{pair.value}”: {pair.line.strip()}",
        pair.ref,
        options=choices,
    )
