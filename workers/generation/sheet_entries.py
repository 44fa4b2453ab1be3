"""Cheat-sheet entries a blind judge found invalid, refused or repaired by their form (rubric V1/V2/V9, B2).

- ``entry_runs``: a section's points become one entry each, except a line that goes on from the line
  before it on the same slide ("Then you compute some fit metric", "Things like learning rates ...",
  "Should be the same size as your test set": no subject of its own) and a run of short steps or items
  ("Fit the model to the data not in fold i" / "Use the model to predict ..."): those join the entry
  before them. Short steps join only under a label: a closing slide's lines have none, and three of them
  run together there are bullets of nothing named (a blind judge: invalid).
- ``figure_boilerplate``: a figure whose own words carry a footer date, a credit, an institution's logo
  or a sidebar label shows boilerplate in its picture.
- ``cut_title``: a title cut at a line break ("Comments on concrete: f'", "Weighting scheme example №",
  "Interpretación de los gráficos de": a phrase ending on a function word, a comma or an open bracket)
  or asking a question makes no caption.
- ``definition_reason``: a key term whose definition only repeats it ("Security requirements definition —
  Define system security requirements"), announces a list it does not give ("Relation — made up of 2
  parts"), asks a question, or runs two definitions together ("Ew — edge weights w — the scheme used").
- ``formula_labels``: a list made of the names of formulas or values the sheet lost is no entry.
- ``misread``: a caption read from a picture with a word misread ("flexidn") makes no figure entry.
- ``with_asides``: a line all in brackets explains the line before it: one point.
- ``sheet_title``: a section title up to 14 words leads an entry (a quiz topic keeps the shorter limit):
  "Interpretación de los gráficos de los esfuerzos principales y esfuerzo cortante máximo" names its slides.
- ``explained_subheads``: a short sub-heading followed on its slide by a line with no subject that explains
  it ("Esfuerzo cortante máximo (tmax)xy" / "Asociado con el esfuerzo de falla de Tresca") is one point:
  "Esfuerzo cortante máximo (tmax)xy: asociado con el esfuerzo de falla de Tresca".
- ``joined_lead_ins``: a short lead-in whose line follows it on its slide and states something on its own
  and speaks of its topic ("Esfuerzos en el interior de la viga:" / "Los esfuerzos son independientes de la
  profundidad en z.") is one point with it: the lead-in alone announced what the sheet lost, the line alone
  lacked its topic.
- ``unbulleted``: a key term read from bullets run together ("Low and high SNR • Low SNR — • Only power to
  one subchannel") is its last bullet's name, its definition without the bullet glyph it starts with
  ("Low SNR — Only power to one subchannel"); every check of a key term still applies.
- ``symbol_tail``: a line that ends with a lone letter the reader moved out of its formula ("... (5 or 10
  are commonly used) k") loses it.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

from shared.text import has_cjk, sentences, stem, stopwords, word_known, words
from workers.generation.candidates import Definition, Point, good_title
from workers.generation.sheet_rules import point_reason
from workers.generation.validity import boilerplate_reason

# A line that goes on from the one before it: a continuation word, or a verb with no subject of its own.
_CONTINUES = re.compile(
    r"^(?:then|thus|hence|therefore|also|but|however|which|things\s+like|such\s+as|e\.\s?g\.|i\.\s?e\.|"
    r"should|must|might|may|could|would|will)\b",
    re.I,
)
STEP_WORDS = 12
_COUNT_END = re.compile(
    r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|many|dos|tres|cuatro|два|две|три|"
    r"четыре)\s+[^\W\d_]+[:：]?$",
    re.I,
)
# "... edges w — the scheme used": a symbol and a dash inside a definition start another definition
_SPLICED = re.compile(r"\s[^\W\d_]{1,3}\s+[—–]\s")
_VALUE_LABEL = re.compile(r"^(?P<name>[^:：]{3,60})[:：]\s*(?:[^\w\s]|\d|\s|[\U0001d400-\U0001d7ff])*$")
_ASIDE = re.compile(r"^\([^()]{3,}\)$")
BOOK_WORD = re.compile(r"\b(?:edition|edición|édition|издание)\b", re.I)
# a source cited by its number in a reference list, printed in the picture: "(From [3-32].)", "(After [12])"
_CITED = re.compile(
    r"\(\s*(?:from|after|adapted\s+from|source:?|fuente:?|tomado\s+de|de|из)\s*\[[^\]]{1,12}\]", re.I
)
_CUT_TAIL = re.compile(r"(?:\s(?:[^\W\d_][’'′]?|№|#))$")
# a phrase cut mid-way: it ends on an article, preposition or conjunction, a comma, dash or open bracket
_CUT_WORD = re.compile(
    r"(?:\s(?:of|the|a|an|and|or|to|for|with|in|on|by|from|at|into|via|vs|de|del|la|el|los|las|y|o|en|con|"
    r"para|por|un|una|du|des|le|les|et|ou|pour|par|avec|une|au|aux|der|die|das|und|oder|mit|für|von|zu|"
    r"и|в|на|с|по|для|из|к|от)|[,(\[{/&–—-])$",
    re.I,
)
_SYMBOL_TAIL = re.compile(r"(?<=\))\s+[^\W\d_]$")


def with_asides(points: list[Point]) -> list[Point]:
    """A line that is all an aside in brackets ("(it is just backpropagation)") explains the line before it
    on its slide: the two are one point ("“Backpropagation through time” (it is just backpropagation)")."""
    out: list[Point] = []
    for p in points:
        flat = " ".join(p.text.split())
        if out and _ASIDE.match(flat) and out[-1].ref.page == p.ref.page and not out[-1].is_definition:
            out[-1] = Point(f"{' '.join(out[-1].text.split())} {flat}", out[-1].ref)
            continue
        out.append(p)
    return out


def formula_labels(items: list[str], points: list[Point]) -> bool:
    """Half or more of a list's items are the names of values or formulas the sheet lost: on the slide each
    ends with a colon and nothing, or a number or symbols after it ("Ideal capacity with MISO:",
    "Outage probability: 10-3"). Such a list explains nothing (blind judges: bare terms)."""
    names = set()
    for p in points:
        m = _VALUE_LABEL.match(" ".join(p.text.split()))
        if m:
            names.add(m["name"].casefold())
    hits = [i for i in items if " ".join(i.split()).rstrip(" :").casefold() in names]
    return bool(items) and len(hits) * 2 >= len(items)


def misread(text: str, lang: str = "en") -> bool:
    """A caption read from a picture with a misread word: a lower-case word of five letters or more that is
    no word of the language nor of English ("flexidn", "traccién")."""
    for w in words(text):
        plain = len(w) >= 5 and w.isalpha() and w.islower() and not has_cjk(w)
        if plain and not word_known(w, lang) and not word_known(w, "en"):
            return True
    return False


def _letters(text: str) -> int:
    return len([w for w in words(text) if any(ch.isalpha() for ch in w)])


def _step(text: str) -> bool:
    flat = text.rstrip()
    return _letters(flat) <= STEP_WORDS and not flat.endswith((".", "!", "?", ":", "。"))


def entry_runs(texts: list[str], pages: list[int], *, labelled: bool = True) -> list[list[int]]:
    """The points' indexes grouped into entries, in order (see the module's docstring). Short steps join
    only under a label, which says what they are steps of: with none (a closing slide's key points), each
    line is an entry of its own."""
    runs: list[list[int]] = []
    for i, text in enumerate(texts):
        flat = " ".join(text.split())
        if runs and pages[runs[-1][-1]] == pages[i]:
            prev = " ".join(texts[runs[-1][-1]].split())
            if _CONTINUES.match(flat) or (labelled and _step(flat) and _step(prev)):
                runs[-1].append(i)
                continue
        runs.append([i])
    return runs


# What the words inside a picture may carry of the slide's boilerplate. Not the kinds read from a line's
# sense ("Q1" under a chart's bar is no exam's question number, "Outline" in a diagram no agenda).
FIGURE_BOILERPLATE = frozenset({"credit_or_url", "date", "course_code", "citation"})


def cited_figure(text: str) -> bool:
    """The picture's words cite its source by a reference number ("(From [3-32].)"): a book's figure."""
    return bool(_CITED.search(text))


def figure_boilerplate(text: str) -> bool:
    """The figure's own words (read from its picture) carry boilerplate: a footer's date, a credit, a logo."""
    if BOOK_WORD.search(text) or _CITED.search(text):
        return True  # a book's cover, a book's figure cited by its reference: a credit of the source
    lines = [" ".join(x.split()) for x in text.splitlines() if x.strip()]
    pairs = [f"{a} {b}" for a, b in itertools.pairwise(lines)]
    return any(boilerplate_reason(x) in FIGURE_BOILERPLATE for x in [*lines, *pairs])


def cut_title(title: str) -> bool:
    """A title cut at a line break (ends with a lone letter or "№", on a function word, a comma or an open
    bracket, or leaves a bracket open) or one that asks a question: a student reads half a phrase."""
    flat = " ".join(title.split()).rstrip(" .:")
    if flat.count("(") > flat.count(")") or flat.count("[") > flat.count("]"):
        return True
    return "?" in flat or "？" in flat or bool(_CUT_TAIL.search(flat) or _CUT_WORD.search(flat))


def definition_reason(term: str, definition: str, lang: str = "en") -> str | None:
    """Why a key term's definition is no entry (see the module's docstring), or None."""
    flat = " ".join(definition.split())
    if flat.endswith(("?", "？")):
        return "question"
    if _COUNT_END.search(flat):
        return "announces a list"
    if spliced(flat):
        return "two definitions"
    stop = stopwords(lang)
    own = {stem(w.casefold(), lang)[:5] for w in words(term) if w.casefold() not in stop}
    said = {stem(w.casefold(), lang)[:5] for w in words(flat) if w.casefold() not in stop}
    if len(said & own) >= 2 and len(said - own) <= 1:
        return "repeats the term"  # "define" is "definition": five letters of the stem compared
    return None


def spliced(text: str) -> bool:
    """Two definitions run together: a symbol and a dash inside the text ("edge weights w — the scheme")."""
    return bool(_SPLICED.search(" ".join(text.split())))


def symbol_tail(text: str) -> str:
    """The line without a lone letter at its end that belongs to a formula the reader moved ("k")."""
    return _SYMBOL_TAIL.sub("", text)


SHEET_TITLE_WORDS = 14
SHEET_TITLE_CHARS = 100


def sheet_title(title: str) -> bool:
    """A section title fit to lead a sheet entry: a good title, or a longer one (up to 14 words) whose start
    is a good title (no sentence, debris or numbering)."""
    flat = " ".join(title.split())
    if good_title(flat):
        return True
    if len(flat) > SHEET_TITLE_CHARS or len(words(flat)) > SHEET_TITLE_WORDS or flat[-1:] in ".;,:。；，：":
        return False
    return good_title(" ".join(flat.split()[:8]))


# A line with no subject that explains the sub-heading above it: a participle or "used for" phrase.
_EXPLAINS = re.compile(
    r"^(?:associated|related|used|called|known|given|defined|based|caused|measured|linked|"
    r"asociad[oa]s?|relacionad[oa]s?|usad[oa]s?|utilizad[oa]s?|llamad[oa]s?|definid[oa]s?|basad[oa]s?|"
    r"causad[oa]s?|associée?s?|liée?s?|utilisée?s?|appelée?s?|définie?s?|basée?s?|"
    r"связан\w*|используе\w*|называе\w*|определяе\w*)\b",
    re.I,
)
SUBHEAD_WORDS = 6


def explained_subheads(points: list[Point]) -> list[Point]:
    """A short sub-heading and the subjectless line after it on its slide that explains it: one point
    ("Esfuerzo cortante máximo (tmax)xy: asociado con el esfuerzo de falla de Tresca")."""
    out: list[Point] = []
    for p in points:
        flat = " ".join(p.text.split())
        if out and _EXPLAINS.match(flat) and out[-1].ref.page == p.ref.page and not out[-1].is_definition:
            head = " ".join(out[-1].text.split())
            if _letters(head) <= SUBHEAD_WORDS and not head.endswith((".", "!", "?", ":", "。", "：")):
                out[-1] = Point(f"{head}: {flat[:1].lower()}{flat[1:]}", out[-1].ref)
                continue
        out.append(p)
    return out


LEAD_IN_WORDS = 8


def _shares_word(a: str, b: str) -> bool:
    def stems(text: str) -> set[str]:
        return {w.casefold()[:5] for w in words(text) if len(w) >= 4 and w.isalpha()}

    return bool(stems(a) & stems(b))


_SENTENCE_END = (".", "!", "。", "！")
PARALLEL_WORDS = 12


def _lone_sentence(flat: str, after: Point | None, point: Point) -> bool:
    """The line after a lead-in is a sentence of its own, not the first item of the list the lead-in opens
    ("Security requirements include:" over "Risk avoidance requirements", "Risk detection requirements"):
    it ends as a sentence, and the next line on its slide is no short parallel item of the same shape."""
    if not flat.endswith(_SENTENCE_END):
        return False
    if after is None or after.ref.page != point.ref.page:
        return True
    nxt = " ".join(after.text.split())
    return not (nxt.endswith(_SENTENCE_END) and len(words(nxt)) <= PARALLEL_WORDS)


def joined_lead_ins(points: list[Point], title: str) -> list[Point]:
    """A short lead-in ending with a colon and the line after it on its slide, when that line is a point on
    its own (no lead-in, formula debris or question) and speaks of the lead-in's topic (a word in common:
    not "Matrix form:" and a line after the formula it announced): one point."""
    out: list[Point] = []
    for i, p in enumerate(points):
        flat = " ".join(p.text.split())
        if out and out[-1].ref.page == p.ref.page and not out[-1].is_definition and not p.is_definition:
            head = " ".join(out[-1].text.split())
            short = head.endswith((":", "：")) and _letters(head) <= LEAD_IN_WORDS and ":" not in head[:-1]
            if (
                short
                and _shares_word(head, flat)
                and _lone_sentence(flat, points[i + 1] if i + 1 < len(points) else None, p)
                and not point_reason(title, flat)
            ):
                out[-1] = Point(f"{head} {flat}", out[-1].ref)
                continue
        out.append(p)
    return out


COMPACT_CHARS = 130


def compact(p: Point) -> Point:
    """A long point cut to its first sentence when that sentence is whole and short enough."""
    if len(p.text) <= COMPACT_CHARS:
        return p
    first = sentences(p.text)[0] if sentences(p.text) else p.text
    if len(first) < len(p.text) and first.rstrip().endswith((".", "!", "。")):
        return Point(first.strip(), p.ref)
    return p


# bullet glyphs only: "∙" and "◦" are also operators ("A ∙ B", "f ◦ g"), so they are left alone
_BULLETS = "•▪‣●"


def unbulleted(d: Definition) -> Definition:
    """A key term without bullets run into it: the term is its last bullet's name, the definition starts
    after its bullet glyph."""
    term = d.term
    for glyph in _BULLETS:
        term = term.rsplit(f" {glyph} ", 1)[-1]
    body = d.definition.lstrip(_BULLETS + " ")
    if term == d.term and body == d.definition:
        return d
    return replace(d, term=term.strip(), definition=body)
