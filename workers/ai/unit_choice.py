"""Which of the answering slide's units (sentences, bullets) an extractive answer says (workers.ai.answer).

Rules by form, each a knob measured leaving one dev deck out (benchmarks/qa_lodo.py; docs/benchmarks.md,
eighth session, branch qa-keyphrase). None won held out, so all three are OFF (the answer is as before); they
stay so the lab can measure them again on new dev decks:

- ``bare``: a unit with no word in it, only numbers, symbols and one- or two-letter fragments (a chart's axis
  "-10 0 10 20 30", "10-4", an OCR'd formula "2NZ"), says little to a student; with BARE_LAST it fills an
  answer only after the slide's worded units (it is still said first when it shares a word with the question);
- ``weights``: the question's words a unit shares, each counted once (IDF off) or by how rare it is among
  the slide's units (IDF on: a word every unit repeats, the slide's topic, tells them apart less than one
  a single unit holds; dev held out: key phrase 0.635 -> 0.624);
- ``terms_for``: words compared with English stems for every deck (NOTES_LANGUAGE off), or in the language the
  slides are written in (on; dev held out: a tie, 6 answers differ).

BARE_LAST: dev held out a tie with MAX_UNITS 16 (0.635 both).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable

from workers.ai.retrieval import Evidence, match_terms
from workers.ai.slide_choice import slides_language

BARE_LAST = False
IDF = False
NOTES_LANGUAGE = False
IDF_FLOOR = 0.5  # with IDF, a question word every unit holds still counts this much (one unit alone: 1)

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
WORD_LETTERS = 3  # a word: this many letters in a row (Devanagari marks count), or one CJK sign


def bare(unit: str) -> bool:
    """Whether a unit holds no word (only numbers, symbols, one- or two-letter fragments)."""
    if _CJK.search(unit):
        return False
    run = 0
    for ch in unicodedata.normalize("NFKC", unit):
        run = run + 1 if unicodedata.category(ch)[0] in "LM" else 0
        if run >= WORD_LETTERS:
            return False
    return True


def terms_for(evidence: list[Evidence]) -> Callable[[str], list[str]]:
    """How the answer compares words: match_terms in English stems (NOTES_LANGUAGE off), or in the
    language the slides are written in (on: Spanish notes with Spanish stems and stop words)."""
    if not NOTES_LANGUAGE or not evidence:
        return match_terms
    lang = slides_language(evidence)
    return lambda text: match_terms(text, lang)


def weights(
    wanted: set[str], units: list[str], terms: Callable[[str], list[str]] = match_terms
) -> list[float]:
    """Each unit's words in common with the question (``wanted``, ``terms``), weighted by IDF when on."""
    said = [wanted & set(terms(u)) for u in units]
    if not IDF:
        return [float(len(s)) for s in said]
    n = len(units)
    df = {t: sum(t in s for s in said) for t in wanted}

    def weight(t: str) -> float:
        rarity = math.log((n + 1) / df[t]) / math.log(n + 1) if n > 0 else 1.0
        return IDF_FLOOR + (1 - IDF_FLOOR) * rarity

    return [sum(weight(t) for t in s) for s in said]


_NUMBERED = re.compile(r"^\(?\d{1,2}[.)]\s")  # "1. Divide ...", "2) Fit ...", "(3) Test ..."


def reading_order(units: list[str], picked: list[int]) -> list[int]:
    """The picked units (those matching the question first, then the fill) in the order the answer says
    them: when two or more are numbered items, all in the slide's order, so a numbered procedure reads
    "1. 2. 3. 4. 5." and not "1. 2. 5. 3. 4." (the units said are the same, only their order changes)."""
    if sum(bool(_NUMBERED.match(units[i])) for i in picked) >= 2:
        return sorted(picked)
    return picked
