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

Two rules by form that are ON (tenth session, branch answer-repeat; thresholds fixed before measuring):

- ``says_again``: a unit whose tokens (as written, stop words included) are, for REPEAT_SHARE of them or
  more, inside a unit the answer already says (this slide or an earlier one), the rest being OCR noise (no
  number, no known word), is not said again ("Even unbounded activations ..." read twice);
- ``debris``: a unit of which fewer than DEBRIS_SHARE of its letters lie in words of three letters or more
  (an OCR'd formula "so = R(si, Xo) =.", a diagram's labels "yi y2 y3."), or fewer than DEBRIS_SHARE of those
  words are known (wordfreq), only fills an answer when the slide has nothing else to say; one that shares a
  word with the question is still said.

Reverted once (it dropped answers on final main), back in session 12 (branch answer-debris) with the losses'
causes fixed (``junk``, ``debris_rule``): only text read from an image (a page's OCR, a figure's words) can be
debris, never a text layer's line ("... bit/s/Hz"); a figure question's answer keeps the figure's labels
("Sn"); a numbers-only unit ("0.143") is kept for a question that asks for a number; a unit the question's own
words name is never debris.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace

import regex

from shared.text.language import detect_language
from shared.text.plausibility import word_known
from shared.text.tokens import tokens
from workers.ai.figure_questions import points_at_figure
from workers.ai.refusal import POINTERS
from workers.ai.retrieval import Evidence, match_terms
from workers.ai.slide_choice import slides_language

BARE_LAST = False
IDF = False
NOTES_LANGUAGE = False
REPEAT_SHARE = 0.8  # a unit's content words inside one already said that make it a repeat (fixed a priori)
DEBRIS_SHARE = 0.5  # tokens holding a known word below which a unit is debris (fixed a priori)
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


_TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}]+")
REPEAT_TOKENS = 3  # a unit of fewer distinct tokens ("Protection.", "1, 5, 4, 6.") is never a repeat


def _tokens(text: str) -> set[str]:
    return set(_TOKEN.findall(unicodedata.normalize("NFKC", text).casefold()))


def says_again(unit: str, said: list[str], read: bool = True) -> bool:
    """Whether REPEAT_SHARE or more of the unit's tokens -- every word as written, stop words and numbers
    included, so "If there are no decisions ..." is not a repeat of "Once you made a decision ..." and
    "V is a K x K matrix" not one of "U is an M x M matrix" -- are inside one unit already said, the rest
    being OCR noise. ``read``: the unit was read from an image; a typed one (text layer) has no OCR noise,
    so it is a repeat only when it adds nothing ("C = log(1 + βMK SNR)" after "C = log(1 + βM SNR)" is
    not)."""
    words = _tokens(unit)
    if len(words) < REPEAT_TOKENS or numbers_only(unit):  # numbers in their order: a route, a table's row
        return False
    for other in map(_tokens, said):
        rest = words - other  # what it adds: only OCR noise (no number, no known word) for a repeat
        noise = read and not any(_says(t) for t in rest)
        if len(words & other) >= REPEAT_SHARE * len(words) and (noise or not rest):
            return True
    return False


def _says(token: str) -> bool:
    """Whether a token carries something: a number, or a word (wordfreq) in English or its own language."""
    return any(ch.isdigit() for ch in token) or word_known(token) or word_known(token, detect_language(token))


_LETTERS = regex.compile(r"[\p{L}\p{M}]+")  # a run of letters (Devanagari's vowel signs count)


def debris(unit: str, lang: str = "en") -> bool:
    """Whether a unit is mostly not words: fewer than DEBRIS_SHARE of its letters lie in runs of three
    letters or more (a formula's or a diagram's fragments: "so = R(si, Xo) =.", "yi y2 y3."), or fewer than
    DEBRIS_SHARE of those runs are known words (wordfreq, in the slides' language, the unit's own or
    English: OCR'd noise "_--—— aa —- ae eae a."). Numbers and symbols do not count ("Test error 0.25"
    reads); a term wordfreq lacks beside a known word ("Called waterfilling.") is not debris; CJK never is."""
    if _CJK.search(unit):
        return False
    runs = _LETTERS.findall(unit)
    words = [w for w in runs if len(w) >= 3]
    if sum(len(w) for w in words) < DEBRIS_SHARE * sum(len(w) for w in runs) or not words:
        return True
    langs = [lang, "en"]
    if _known(words, langs) >= DEBRIS_SHARE * len(words):
        return False
    own = detect_language(unit)  # only when needed (lingua takes a while on Latin text)
    return own in langs or _known(words, [*langs, own]) < DEBRIS_SHARE * len(words)


def _known(words: list[str], langs: list[str]) -> int:
    return sum(any(word_known(w, g) for g in langs) for w in words)


# Text read from images: a page's OCR ("ocr": a scan, a photographed or image-only page) and the words
# inside a figure ("figure": its caption and labels). Only these can be debris; a text layer's, a PPTX's
# typed text or speaker notes are what the author wrote, formulas included ("... = log2 det(...) bit/s/Hz").
IMAGE_SOURCES = frozenset({"ocr", "figure"})
# A question that asks for a number: a unit of numbers only ("0.143") may be its answer.
_NUMBER_QUESTION = regex.compile(
    r"\b(how\s+(many|much|long|large|big|small|often|far|fast)|values?|numbers?\s+of|calculat\w*|comput\w*|"
    r"percent\w*|fraction|ratio|entry|entries|amount|total|count|"
    r"сколько|значени\w*|вычисл\w*|посчита\w*|cu[aá]nt[oa]s?|valor(es)?|calcul\w*)\b"
    r"|कितन",
    regex.IGNORECASE,
)


def image_units(slide: Evidence, units_of: Callable[[Evidence], list[str]]) -> set[str]:
    """The slide's units (``units_of``: answer.answer_units) read from an image: those of its chunks whose
    source is one of IMAGE_SOURCES (slide_choice.whole_slides joins a slide's chunks: ``Evidence.parts``),
    less those its other chunks hold too (a figure's box over typed text: the text layer's words)."""
    parts = slide.parts or ((slide.source, slide.text),)
    found: dict[bool, set[str]] = {True: set(), False: set()}
    for source, text in parts:
        found[source in IMAGE_SOURCES].update(units_of(replace(slide, text=text, parts=())))
    return found[True] - found[False]


def asks_number(question: str) -> bool:
    """The question asks for a number (how many, what value, calculate ...)."""
    return _NUMBER_QUESTION.search(question) is not None


def numbers_only(unit: str) -> bool:
    """A unit of numbers (and symbols) with no letter at all: "0.143", "1 0 0.5"."""
    return not _LETTERS.search(unit) and any(ch.isdigit() for ch in unit)


def named(unit: str, question: str) -> bool:
    """The question's own words name the unit: a word of the question (two letters or more, stop words and
    the words that point at a slide or figure left out) is one of the unit's ("Sn-1." for "what is Sn?")."""
    asked = {t for t in tokens(question) if t not in POINTERS and not t.isdigit()}
    return bool(asked & set(tokens(unit)))


def junk(unit: str, question: str, lang: str = "en") -> bool:
    """Whether a unit of a slide read from an image (``from_image``) is debris for this question: debris by
    form, unless the question names it or asks for a number and it is numbers only."""
    if not debris(unit, lang) or named(unit, question):
        return False
    return not (numbers_only(unit) and asks_number(question))


def all_debris(units: list[str], question: str, imaged: set[str], slide: Evidence) -> bool:
    """Whether a slide's units are all debris for the question (or it has none): its content is a figure's
    labels. ``imaged``: its units read from an image (``image_units``), the only ones that can be debris; a
    question that asks what a figure or diagram shows is answered by its labels (none is debris)."""
    if not units or points_at_figure(question):
        return not units
    lang = slides_language([slide])
    return all(u in imaged and junk(u, question, lang) for u in units)


def worded(
    units: list[str],
    order: list[int],
    overlap: list[int],
    question: str,
    imaged: set[str],
    slide: Evidence,
    pointed: bool = False,
) -> list[int]:
    """``order`` without the debris units chosen only to fill (``overlap`` 0: no word of the question): units
    read from an image (``imaged``) that are ``junk`` for the question; none for a question that asks what a
    figure shows. When every unit in it is debris, all stay unless the answer points at the slide's figure
    (``pointed``: answer.figure_pointer) -- a slide of a figure's labels must still answer, cited (eighth
    session)."""
    filler = [i for i in order if not overlap[i]]
    if not filler or points_at_figure(question):
        return order
    lang = slides_language([slide])
    bad = {i for i in order if units[i] in imaged and junk(units[i], question, lang)}
    if len(bad) == len(order) and not pointed:
        return order
    return [i for i in order if overlap[i] or i not in bad]
