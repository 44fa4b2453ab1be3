"""The readability gate every kind of study material passes through (cheat sheet, quiz, flashcards): what a
student cannot read, or what is no subject matter by its form, never becomes an item.

On the lecture's material, before candidates are extracted (so the sheet, the quiz, the cards and the layout
reader in structure.py all see the same gated text):
- a page read by OCR whose recognition confidence is low, or whose words are mostly not words of its
  language, gives nothing (a handwritten or photographed page misread: "ART — enn eee • GAT WT BOAT");
- on a page read by OCR, a line whose words are mostly not words of the language, or mostly rare in it,
  or that has a lower-case non-word seen once in the lecture ("dinfinitival"), is dropped;
- a bullet OCR read as a character ('" Information ...', "= The ...") becomes a bullet, a sentence OCR split
  over blank lines is joined, a line, caption or title with a symbol misread as letters and doubled marks
  ("g,, gz") and a picture's labels read as lines are dropped, and debris at a title's end ("Transfer
  data ny 4") is cut off (ocr_lines.py);
- quotations and their credit ("— Albert Einstein"), and a "quote of the day" slide, are dropped;
- two lines one sentence wraps over (a blank line between them) are joined, so a definition is not cut.

On the candidates extracted from it:
- a formula is kept only when it parses as mathematics (maths.py) as well as validity.plausible_formula;
- a definition cut off mid-sentence, read across two merged columns, or taken from a worked example's
  line (a person's name with a relation, "Emma is the mother of ...") is dropped;
- a section whose label is a line of code (an example query) is dropped, and so is an example standing
  alone under its heading without the rule it illustrates.

Thresholds were set on the dev decks' pages (see docs/benchmarks.md, "Fourth session").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from functools import lru_cache
from typing import Any

from shared.text import has_cjk, words
from shared.text.plausibility import plausible_share, word_known, zipf
from workers.generation.material import LectureMaterial, Slide
from workers.generation.ocr_lines import (
    debris_before_capital,
    debris_line,
    enumerator_debris,
    glyph_bullet,
    join_split_paragraphs,
    labels_run_together,
    misread_word,
    picture_labels,
    symbol_soup,
    title_without_debris,
)

# Dev: the handwritten and photographed pages read at 0.4-0.7, the scanned pages at 0.8-1.0.
MIN_OCR_CONFIDENCE = 0.75
# Dev: known words of 4+ letters per token, 0.00-0.21 on misread handwriting, >= 0.29 on readable scans.
MIN_PAGE_WORD_SHARE = 0.25
# Dev: a scanned page's line whose words of 3+ letters are under 85 % words of the language is OCR debris
# or a foreign example ("a. pappa schoenen wassen", "jourly Emps").
MIN_OCR_LINE_PLAUSIBLE = 0.85
# Dev: on a scanned page, a line with under half of its words of 3+ letters common in the language (Zipf
# frequency >= 3, once in a million words) is a foreign example or misread ("a. pappa schoenen wassen c. ik
# ook lezen" 0.00, "cover 1 [ Emplovees| Dependents" 0.33); prose with technical terms stays >= 0.5.
MIN_OCR_COMMON_SHARE = 0.5
COMMON_ZIPF = 3.0
# A title names people and places more often ("More Dutch (Weverink)", 0.67): only debris loses it.
MIN_OCR_TITLE_PLAUSIBLE = 0.6

_LETTERS = re.compile(r"[^\W\d_]+")
# Symbols OCR makes of bullets, underlines and diagram edges ("policy can only Cay \\ Clot > dependent!").
_BULLET_GLYPHS = "•◦▪‣●○■□►▶❖◆◇➢➤✓✔-*–—%+¢«»·~ "
_OCR_DEBRIS = re.compile(r"[\\|~¢™«»]|[<>](?!\s*=?\s*\d)")
_QUOTE_TITLE = re.compile(r"\b(?:quotes?|quotations?|quote of the (?:day|week)|words of wisdom)\b", re.I)
_QUOTED = re.compile(r"^\s*[\"“”„«‘'](?:\S+\s+){4,}\S+[\"“”»’']\s*(?:[-–—―]+\s*\S.*)?$")  # 5+ words
_CREDIT = re.compile(
    r"^\s*(?:[-–—―~]{1,2}|by)\s*[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|da|del|la)){0,4}"
    r"\s*(?:,\s*.{0,60}|\(\d{4}\))?\s*$"
)
_DANGLING_END = re.compile(
    r"(?:\b(?:a|an|the|and|or|of|to|in|on|at|by|for|per|via|with|from|into|as|than|that|which|who|whose|is|are|"
    r"be|its|their|this|these|such|when|where|if|because|y|de|la|el|en|con|por|para|que|и|в|на|с)|[,(\-–/])$",
    re.I,
)
_RELATION_WORDS = (
    r"(?:mother|father|parent|son|daughter|sister|brother|sibling|wife|husband|friend|aunt|uncle|cousin|"
    r"grandmother|grandfather|boss|colleague|roommate|neighbou?r|girlfriend|boyfriend)s?"
)
# A relation between people: "the mother of Emma", "Emma's brother"; not "parent node" nor "mother cell".
_RELATION = re.compile(
    rf"\b{_RELATION_WORDS}\s+(?:of|to)\s+[A-Z]|(?:\b[A-Z]\w*['’]s|\b(?:his|her|their|my|your))\s+{_RELATION_WORDS}\b"
)
_GENDERED = re.compile(r"\b(?:he|she|his|her|him|hers|himself|herself)\b", re.I)
_EXAMPLE_LEAD = re.compile(
    r"^\s*(?:e\.\s?g\.|eg\b|i\.\s?e\.|ex(?:ample)?s?\s*[.:)\d]|for (?:example|instance)|such as|"
    r"as (?:an(?:other)?|a further) example|"
    r"p\.\s?ej\.|por ejemplo|например|z\.\s?b\.)",
    re.I,
)
MAX_CODE_LABEL = 300  # a longer label is no line of code; the search below stays short
_CODE_LABEL = re.compile(
    r"\b(?:SELECT|FROM|WHERE|INSERT\s+INTO|CREATE\s+TABLE|UPDATE|DELETE\s+FROM|JOIN)\b.*\b(?:FROM|WHERE|SET|"
    r"VALUES|ON|TABLE)\b|\b[A-Za-z_]\w*\([^()]*\)\s*[;{]|^\s*(?:def|class|import|for|while|return|print)\b.*[:(]"
)


# --- pages and lines ---------------------------------------------------------------------------------
def page_readable(slide: Slide, lang: str) -> bool:
    """Whether a page's words can be trusted: text-layer pages always; a page read by OCR when its
    recognition confidence and its share of real words are high enough (dev thresholds above)."""
    if slide.source != "ocr":
        return True
    if slide.ocr_confidence is not None and slide.ocr_confidence < MIN_OCR_CONFIDENCE:
        return False
    text = f"{slide.title}\n{slide.text}"
    if has_cjk(text):
        return True  # no word boundaries to check
    tokens = text.split()
    if len(tokens) < 8:
        return True
    known_long = [w for w in _LETTERS.findall(text) if len(w) >= 4 and _known(w, lang)]
    return len(known_long) / len(tokens) >= MIN_PAGE_WORD_SHARE


def _known(word: str, lang: str) -> bool:
    return word_known(word, lang) or (lang != "en" and word_known(word, "en"))


def ocr_line_readable(line: str, lang: str, threshold: float = MIN_OCR_LINE_PLAUSIBLE) -> bool:
    """A line of an OCR'd page: most of its words of 3+ letters are words of the language."""
    if has_cjk(line) or len([w for w in _LETTERS.findall(line) if len(w) >= 3]) < 2:
        return True
    if plausible_share(line, lang, min_len=3) < threshold:
        return False
    found = [w for w in _LETTERS.findall(line) if len(w) >= 3]
    if len(found) < 3 or threshold < MIN_OCR_LINE_PLAUSIBLE:
        return True  # a title: people and places are rarer words
    common = sum(zipf(w, lang) >= COMMON_ZIPF for w in found)
    return common / len(found) >= MIN_OCR_COMMON_SHARE


def quotation(line: str, *, credit_alone: bool = True) -> bool:
    """A quotation in quote marks (with its credit), or a credit line alone ("— Albert Einstein"); with
    ``credit_alone`` False a credit line is none (a "- Hash Join" bullet looks the same)."""
    flat = " ".join(line.split())
    return bool(_QUOTED.match(flat) or (credit_alone and _CREDIT.match(flat)))


def _join_wrapped(lines: list[str | None]) -> list[str]:
    """A sentence wrapped over a blank line ("X is the number of new cases" / "" / "per unit of time")
    becomes one line again: the previous line ends on a word that cannot end it, the next starts in lower
    case and is no bullet. A dropped line (None) is a hard break: the lines around it are never joined."""
    out: list[str] = []
    blank_after = False
    barrier = 0  # no join reaches back before a dropped line
    for raw in lines:
        if raw is None:
            out.append("")
            barrier, blank_after = len(out), False
            continue
        line = raw.strip()
        if not line:
            blank_after = True
            out.append(raw)
            continue
        prev_i = next((i for i in range(len(out) - 1, barrier - 1, -1) if out[i].strip()), None)
        if (
            blank_after
            and prev_i is not None
            and _DANGLING_END.search(out[prev_i].strip())
            and line[:1].islower()
        ):
            out[prev_i] = f"{out[prev_i].rstrip()} {line}"
            del out[prev_i + 1 :]
        else:
            out.append(raw)
        blank_after = False
    return out


def misread_once(line: str, lang: str, counts: Counter[str]) -> bool:
    """A lower-case word of 5+ letters that is no word of the language and occurs once in the lecture:
    OCR misread it ("dinfinitival", "jourly Emps") or it is a foreign example ("schoenen wassen")."""
    return any(
        len(w) >= 5 and w.islower() and counts[w] <= 1 and not _known(w, lang) for w in _LETTERS.findall(line)
    )


def _drop_cut_head(kept: list[str | None], *, whole: bool = False) -> None:
    """Drop the last kept line when its sentence went on in the line just dropped (no full stop). With
    ``whole`` (an OCR'd page), a dropped line that itself continues a sentence (it starts in lower case)
    takes the lines before it too, up to the sentence's first line: "Replace the ... architecture" / "of the
    vanilla RNN with an additive one" / "that is less prone to the vanishing" before a misread "aradiant
    nrahlem:" go together, no cut "Replace ... with an additive one" is left."""
    for i in range(len(kept) - 1, -1, -1):
        line = kept[i]
        if line is None:
            return
        if line.strip():
            if line.rstrip().endswith((".", "!", "?", ":", ";", "。")):
                return
            kept[i] = None
            if not (whole and line.strip()[:1].islower()):
                return


def ocr_title_readable(title: str, lang: str) -> bool:
    """An OCR'd title with a word of the language or an abbreviation in it, and not mostly debris."""
    if has_cjk(title) or not title.strip():
        return True
    found = _LETTERS.findall(title)
    if not any((len(w) >= 4 and _known(w, lang)) or (len(w) >= 2 and w.isupper()) for w in found):
        return False  # no word of four letters or more, no abbreviation: "C ssn 2"
    return ocr_line_readable(title, lang, MIN_OCR_TITLE_PLAUSIBLE)


def gate_slide(
    slide: Slide, lang: str, counts: Counter[str] | None = None, body_words: Counter[str] | None = None
) -> Slide:
    """The slide with only what a student can read and what is subject matter by its form."""
    if not page_readable(slide, lang) or _QUOTE_TITLE.search(slide.title):
        figures = [replace(f, caption="", text="") for f in slide.figures]
        return replace(slide, title="" if slide.source == "ocr" else slide.title, text="", figures=figures)
    ocr = slide.source == "ocr"

    def known(word: str) -> bool:
        return _known(word, lang)

    kept: list[str | None] = []
    read_across = 0  # lines that are a picture's or a table's labels read across
    open_cut: bool | str = False  # the last line was dropped mid-sentence ("title": a title's line)
    after_quote = False  # a credit line ("— Donald Knuth") is one only right after a quotation
    titles = _title_lines(slide)
    for line in slide.text.split("\n"):
        cover = ocr and body_words is not None and debris_line(line.strip(), body_words)
        if ocr:
            line = glyph_bullet(line)  # '" Information in ...': a bullet OCR read as a quotation mark
            if body_words is not None:
                line = enumerator_debris(line, body_words)  # "Bi, Provide a handler ...": a misread number
        flat = line.strip()
        body = flat.lstrip(_BULLET_GLYPHS)
        quoted = bool(flat) and quotation(line, credit_alone=after_quote)
        if flat:
            after_quote = quoted or flat.endswith(('"', "”", "»", "’"))
        dropped = bool(flat) and (quoted or (ocr and not ocr_line_readable(line, lang)))
        if (
            ocr
            and flat
            and (
                _OCR_DEBRIS.search(body)
                or symbol_soup(body)
                or (counts and misread_once(line, lang, counts))
                or misread_word(body, known)
            )
        ):
            dropped = True
        if cover:
            dropped = True  # "wie REINFORCED", "re Engineering": a cover or a logo read as a line
        if ocr and flat and labels_run_together(body, lambda w: zipf(w, lang)):
            dropped, read_across = True, read_across + 1
        if (
            flat
            and not dropped
            and open_cut
            and (flat[:1].islower() or (body == flat and not _new_item(flat)))
        ):
            # "chosen (by DBA) to be the primary key.": the tail of a dropped sentence; a numbered line,
            # "(13) Summary of ...", starts an item of its own. After a dropped title's line only its
            # wrapped rest (lower case) or a lone word (a table's row label, "Actors") goes: "One output
            # neuron per class to learn" under the title is no title's rest.
            dropped = open_cut != "title" or flat[:1].islower() or len(flat.split()) == 1
        if dropped and flat[:1].islower():
            _drop_cut_head(kept, whole=ocr)  # "... which derives" before a dropped continuation
        if flat:  # a quotation ends where its credit does; an OCR line dropped mid-sentence leaves a tail
            cut = dropped and ocr and not quoted and not flat.endswith((".", "!", "?", ";", "。"))
            open_cut = ("title" if flat in titles else True) if cut else False
        kept.append(None if dropped else line)  # a dropped line leaves a break: no false join around it
    title = slide.title if not ocr or ocr_title_readable(slide.title, lang) else ""
    if ocr and (symbol_soup(title) or misread_word(title, known, ascii_too=True)):
        title = ""  # "... esfuerzos O,, Oy, Txy", "Flejes segin la zona": its symbols or a word are misread
    if ocr and title and body_words is not None:
        title = title_without_debris(title, body_words)  # "Transfer data ny 4": an icon read into it
        title = debris_before_capital(title, body_words)  # "Misuse cases re Engineering": a logo read into it
    figures = slide.figures
    if ocr:
        figures = [
            replace(f, caption=_ocr_caption(f.caption, lang, known, body_words))
            if f.caption != _ocr_caption(f.caption, lang, known, body_words)
            else f
            for f in figures
        ]
    if ocr:
        kept = picture_labels(kept, [f.text for f in slide.figures])  # a diagram's words read as lines
        if read_across >= MIN_READ_ACROSS:  # a table read across its rows: its other lines are its cells
            kept = [x if x is None or _bullet(x) or x.strip() == slide.title.strip() else None for x in kept]
        kept = join_split_paragraphs(kept, slide.title)  # a sentence OCR split over a blank line
        if read_across:  # labels read across as one line: the page's other short labels are labels too
            labels = picture_labels(
                kept, [], any_words=True
            )  # after the joins: "... might get" / "zero power"
            kept = [
                x if x is not None and x.strip() == slide.title.strip() else y
                for x, y in zip(kept, labels, strict=True)
            ]
    return replace(slide, title=title, text="\n".join(_join_wrapped(kept)), figures=figures)


def _ocr_caption(caption: str, lang: str, known: Any, body_words: Counter[str] | None) -> str:
    """An OCR'd figure caption, or "" when a word or symbol in it is misread; debris from a logo cut off."""
    if (
        not ocr_line_readable(caption, lang)
        or symbol_soup(caption)
        or misread_word(caption, known, ascii_too=True)
    ):
        return ""
    if body_words is not None and caption:
        caption = debris_before_capital(title_without_debris(caption, body_words), body_words)
    return caption


MIN_READ_ACROSS = 2  # lines of labels read across on one page: a table read row by row, not one label


def _new_item(line: str) -> bool:
    """A numbered line whose text starts in upper case ("(13) Summary of ...") starts an item of its own;
    "(3) and then substituted ..." is an equation's number finishing the sentence before it."""
    from workers.generation.wrapping import BULLETS, strip_bullet

    if not _bullet(line):
        return False
    line = line.strip()
    return line[0] in BULLETS or not strip_bullet(line)[:1].islower()  # a glyph bullet always starts one


def _bullet(line: str) -> bool:
    from workers.generation.wrapping import is_bullet

    return is_bullet(line.strip())


def gate_material(lecture: LectureMaterial, lang: str) -> LectureMaterial:
    counts, body = word_counts(lecture)
    return replace(lecture, slides=[gate_slide(s, lang, counts, body) for s in lecture.slides])


def word_counts(lecture: LectureMaterial) -> tuple[Counter[str], Counter[str]]:
    """The lecture's words, counted over its slides' text and over their text without title lines (what
    gate_slide takes as `counts` and `body_words`)."""
    counts = Counter(w.casefold() for s in lecture.slides for w in _LETTERS.findall(s.text))
    body = Counter(w.casefold() for s in lecture.slides for w in _LETTERS.findall(_untitled(s)))
    return counts, body


def _title_lines(slide: Slide) -> set[str]:
    """The slide's title and the lines the reader marked as title, stripped."""
    return ({x.strip() for x, role in slide.lines if role == "title"} | {slide.title.strip()}) - {""}


def _untitled(slide: Slide) -> str:
    """The slide's text without its title lines (the title's own words are no evidence for it)."""
    titled = _title_lines(slide)
    return "\n".join(x for x in slide.text.split("\n") if x.strip() not in titled)


# --- candidates --------------------------------------------------------------------------------------
def truncated(text: str) -> bool:
    """A definition that stops where its sentence goes on ("the number of new cases per")."""
    flat = " ".join(text.split()).rstrip(" .;")
    return bool(_DANGLING_END.search(flat)) if flat and not has_cjk(flat[-1]) else False


def merged_columns(text: str) -> bool:
    """Two columns read across as one line: its two halves say the same words in another order
    ("general to specific specific to general"), or one column's last word is the next one's first."""
    # words of 2+ characters: single letters are symbols ("a + b = b + a" is a law, not two columns)
    ws = [w.lower() for w in words(text) if len(w) >= 2 and any(ch.isalpha() for ch in w)]
    if len(ws) < 4:
        return False
    if re.search(r"\b([^\W\d_]{4,})\s+\1\b", text, re.I):
        return True  # "specific specific": one column's last word, the next column's first
    half = len(ws) // 2
    left, right = ws[:half], ws[half:]
    return len(left) >= 2 and left != right and sorted(left) == sorted(right[: len(left)])


@lru_cache(maxsize=4)
def _lower_words(text: str) -> frozenset[str]:
    """The words written in lower case in the lecture (one scan per lecture, not one per definition)."""
    return frozenset(w for w in _LETTERS.findall(text) if w.islower())


def person_example(term: str, definition: str, lecture_text: str) -> bool:
    """A worked example's line about a person: the term is a capitalised name never written in lower case
    in the lecture, and the definition relates it to people ("the mother of Emma") or says he/she."""
    ws = words(term)
    if not ws or not all(w[:1].isupper() and w[1:].islower() for w in ws if w.isalpha()):
        return False
    if any(w.lower() in _lower_words(lecture_text) for w in ws):
        return False  # the word is a common noun of the lecture too
    return bool(_RELATION.search(definition) or _GENDERED.search(definition))


def example_line(text: str) -> bool:
    return bool(_EXAMPLE_LEAD.match(text))


def code_label(title: str) -> bool:
    """A section label that is a line of code (an example query), not a topic."""
    return len(title) <= MAX_CODE_LABEL and bool(_CODE_LABEL.search(title))


def gate_candidates(out: Any) -> None:
    """Drop what the candidate gate above refuses (``out`` is a candidates.LectureCandidates; not imported
    here, since candidates calls this module)."""
    from workers.generation.maths import parses_as_maths
    from workers.generation.validity import plausible_formula

    text = "\n".join(s.text for s in out.lecture.slides)
    out.formulas = [f for f in out.formulas if plausible_formula(f.text) and parses_as_maths(f.text)]
    out.definitions = [
        d
        for d in out.definitions
        if not truncated(d.definition)
        and not merged_columns(d.sentence)
        and not merged_columns(d.definition)
        and not person_example(d.term, d.definition, text)
    ]
    groups = []
    for g in out.groups:
        if code_label(g.title):
            continue
        g.points = [p for p in g.points if not merged_columns(p.text)]
        if g.points and all(example_line(p.text) for p in g.points):
            continue  # an example alone under its heading: the rule it illustrates is not there
        g.points = [p for p in g.points if not example_line(p.text)]  # an example is no point of its own
        if g.points:
            groups.append(g)
    out.groups = groups
    out.figures = [f for f in out.figures if not quotation(f.caption)]
