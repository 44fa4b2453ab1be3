"""Extractive candidates: what the notes themselves say, each tied to the slide it was read from.

- definitions from "X is Y" / "X refers to Y" / "X: Y" lines (English, Spanish, Chinese patterns),
- slide groups (consecutive slides sharing a title) with their bullet points,
- formulas (lines with '=' or mathematical symbols),
- figures with their captions.

Everything the generators produce starts from these; the LLM may only rephrase them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property

from shared.schemas import SourceRef
from shared.text import (
    count_cjk,
    count_indic,
    detect_language,
    fold,
    has_cjk,
    sentences,
    stem,
    stopwords,
    words,
)
from workers.generation.formula_lines import formula_line, is_formula, labelled, lead_in_name
from workers.generation.glossary import (
    announces_list,
    head_counts,
    sibling_name,
    split_alias,
    strip_list_end,
    strip_symbol,
    title_terms,
)
from workers.generation.keyphrases import blank_out as blank_out  # re-exported
from workers.generation.keyphrases import key_phrase as key_phrase  # re-exported
from workers.generation.material import FigureInfo, LectureMaterial, Slide
from workers.generation.textutil import contains_phrase
from workers.generation.wrapping import BULLETS as BULLETS  # re-exported
from workers.generation.wrapping import continues as _continues
from workers.generation.wrapping import is_bullet as _is_bullet
from workers.generation.wrapping import strip_bullet as _strip_bullet

_PAGE_NUMBER = re.compile(r"^\s*(page\s*)?\d{1,4}(\s*(/|of)\s*\d{1,4})?\s*$", re.IGNORECASE)
_CONT_TITLE = re.compile(
    r"\s*(\((cont(inued|'d|d)?\.?|\d+)\)|cont(inued|'d|d)?\.?|\d+\s*/\s*\d+|[-–:]\s*part\s*\d+|\(?\d+\)?)\s*$",
    re.I,
)
_URL = re.compile(r"https?://|www\.", re.I)

_BAD_TERM_WORDS = """
    this that these those it its there here he she they we you i which what who whom whose one each all
    some many most such our your their his her example examples result results answer goal goals problem
    problems aim purpose idea question point key difference main first second third next last following
    reason reasons thing things way ways case today now note also however therefore so then another other
    figure table slide chapter section lecture part step steps topic summary outline agenda
    esto esta este estos estas eso ese esa ello él ella ellos nosotros aquí allí cual lo
    if when whenever although though because while since unless after before where how why whether
    once until cuando si aunque porque mientras donde como ejemplo ejemplos пример примеры
    higher lower more less larger smaller better worse greater fewer"""
_BAD_TERM_START = frozenset(_BAD_TERM_WORDS.split())
_ARTICLES = ("a ", "an ", "the ", "el ", "la ", "los ", "las ", "un ", "una ")

# English and Spanish "X is Y"-style definitions: the definition must start like a noun phrase.
_IS_DEF = re.compile(
    r"^(?P<term>[^,;:.!?()]{2,70}?)\s+(?:is|are)\s+(?:defined as\s+|known as\s+)?"
    r"(?P<def>(?:a|an|the|one|any|some|each|two|three|when|where|how|what|concerned|responsible)\b.{8,})$",
    re.I,
)
_VERB_DEF = re.compile(
    r"^(?P<term>[^,;:.!?()]{2,70}?)\s+"
    r"(?:refers? to|means|denotes|describes|is defined as|are defined as)\s+"
    r"(?P<def>.{8,})$",
    re.I,
)
_CALLED_DEF = re.compile(
    r"^(?P<def>(?:a|an|the)\b.{8,}?)\s+(?:is|are)\s+called\s+(?:an?\s+|the\s+)?(?P<term>[^,;.]{2,50})$", re.I
)
_ES_DEF = re.compile(
    r"^(?P<term>[^,;:.!?()]{2,70}?)\s+(?:es|son|se define como|se refiere a|se denomina)\s+"
    r"(?P<def>(?:un|una|el|la|los|las|lo|cuando|donde|aquel|aquella)\b.{8,})$",
    re.I,
)
_GLOSSARY = re.compile(r"^(?P<term>[^:–—|]{2,50}?)\s*(?::|\s[–—-]\s|\s\|\s)\s*(?P<def>[^|]{12,})$")
_ZH_DEF = re.compile(  # "X是Y", but not "X不是Y" / "X也是Y"...
    r"^(?P<term>[^，,。：:；;、\s]{2,12}?)(?<![不也都就还才正即总只而则便但又可并])"
    r"(?:是指|指的是|是|称为|叫做)(?P<def>[^。]{6,})。?$"
)
_ZH_BAD_START = ("这", "那", "它", "他", "她", "我", "你", "其", "此", "该", "有", "就", "也", "都", "但")
_TERM_BAD_END = frozenset(
    {"that", "which", "who", "whom", "whose", "where", "when", "and", "or", "of", "to", "for", "with"}
)
_ADVERBS = frozenset(
    {
        "usually",
        "often",
        "typically",
        "generally",
        "always",
        "never",
        "sometimes",
        "mostly",
        "normally",
        "frequently",
        "rarely",
        "commonly",
        "also",
        "still",
        "only",
        "just",
        "really",
        "actually",
    }
)
_ADVERB_ENDING = re.compile(r"(ally|ively|ately|ingly|edly|arly|ently|antly|ously|fully|lessly)$")
_ANAPHORA = frozenset(
    {"these", "those", "above", "following", "previous", "aforementioned", "estos", "estas"}
)
_FIGURE_LINE = re.compile(r"^(fig(ure|ura)?\.?|ficure|table|tabla|图|表)\s*\d", re.I)
_BOILERPLATE = re.compile(r"©|\(c\)\s*\d{4}|copyright|all rights reserved|derechos reservados|版权", re.I)
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4}"
_DATE = re.compile(
    rf"^\W*(\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}[/.-]\d{{1,2}}[/.-]\d{{1,2}}|{_MONTH}|"
    r"\d{4}年\d{1,2}月\d{1,2}日)\W*$",
    re.I,
)
_AGENDA = frozenset(
    {
        "topics covered",
        "outline",
        "agenda",
        "contents",
        "table of contents",
        "índice",
        "contenido",
        "temario",
        "目录",
        "内容",
        "提纲",
        "本章内容",
    }
)


@dataclass(frozen=True)
class Definition:
    term: str
    definition: str
    sentence: str
    ref: SourceRef


@dataclass(frozen=True)
class Point:
    text: str
    ref: SourceRef
    is_definition: bool = False  # the line only states a definition (already a key term)


@dataclass
class Group:
    """Consecutive slides under one title."""

    title: str
    points: list[Point]
    refs: list[SourceRef]


@dataclass(frozen=True)
class Formula:
    text: str
    ref: SourceRef
    name: str = (
        ""  # its lead-in ("The sigmoid function:") or label ("Sigmoid: ..."), when the slide gives one
    )


@dataclass(frozen=True)
class FigureItem:
    figure: FigureInfo
    caption: str  # its label on the sheet: its caption, else its slide title (generation/figures.py)
    ref: SourceRef
    score: float
    labelled: bool = False  # a caption of its own says what it shows (not only the slide's title)


@dataclass
class LectureCandidates:
    lecture: LectureMaterial
    definitions: list[Definition] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    formulas: list[Formula] = field(default_factory=list)
    figures: list[FigureItem] = field(default_factory=list)
    lang: str = "en"  # the language of generated phrases (i18n.PHRASES)
    text_lang: str = "en"  # the notes' own language, for sentences, stems and stop words
    generic_terms: set[str] = field(default_factory=set)  # terms on so many lines they say little

    @property
    def terms(self) -> list[str]:
        return [d.term for d in self.definitions]

    @cached_property
    def topic_words(self) -> set[str]:
        """Stemmed content words of the slide titles (the lecture's own vocabulary), less the ones on so many
        lines that blanking them tests nothing ("system" in a systems lecture)."""
        lang, stop = self.text_lang, stopwords(self.text_lang)
        vocabulary = {
            stem(w, lang)
            for g in self.groups
            for w in words(g.title)
            if w.lower() not in stop and len(w) >= 4 and not w.isdigit()
        }
        lines = [{stem(w, lang) for w in words(p.text)} for _, p in self.points]
        limit = max(3, 0.15 * len(lines))
        return {v for v in vocabulary if sum(v in line for line in lines) <= limit}

    @property
    def specific_terms(self) -> list[str]:
        return [d.term for d in self.definitions if fold(d.term) not in self.generic_terms]

    @property
    def points(self) -> list[tuple[Group, Point]]:
        return [(g, p) for g in self.groups for p in g.points]

    def is_empty(self) -> bool:
        return not (self.definitions or self.groups or self.formulas or self.figures)


# --- lines and sentences --------------------------------------------------------------------------
def _readable(line: str) -> bool:
    if len(line) < 3 or _PAGE_NUMBER.match(line) or _URL.search(line) or _DATE.match(line):
        return False
    letters = sum(ch.isalpha() for ch in line)
    return letters >= 2 and letters / max(1, len(line.replace(" ", ""))) >= 0.45


def looks_like_ocr_noise(line: str) -> bool:
    """OCR of a picture: runs of short non-words ('gun ren aun oun'), or a few stray letters of another
    script (Devanagari digits, say) inside Latin text."""
    tokens = words(line)
    if has_cjk(line):
        return False
    indic = count_indic(line)
    if indic and indic < 6 and any(c.isascii() and c.isalpha() for c in line):
        return True
    if len(tokens) < 4:
        return False
    stop = stopwords("ru") if re.search("[а-яё]", line, re.I) else stopwords()  # "и", "не", "же"
    short = [w for w in tokens if len(w) <= 3 and w.lower() not in stop and not (w.isdigit() or w.isupper())]
    return len(short) / len(tokens) >= 0.3


_SECTION_NUMBER = re.compile(r"^\d+(\.\d+)+\.?\s")  # "4.9.1. Interpretación...", "12.3 物种的灭绝"
_REFERENCE = re.compile(
    r"^\[|\b(19|20)\d\d\)?[.,]?\s.*\b(pp\.|vol\.|ed\.|edition|press|wiley|springer|pearson|mcgraw)", re.I
)
_GENERIC_TITLES = frozenset(
    {
        "overview",
        "introduction",
        "intro",
        "summary",
        "conclusion",
        "conclusions",
        "review",
        "recap",
        "questions",
        "references",
        "bibliography",
        "acknowledgements",
        "acknowledgments",
        "advertencia",
        "resumen",
        "introducción",
        "conclusiones",
        "referencias",
        "bibliografía",
        "总结",
        "小结",
        "引言",
        "参考文献",
        "key points",
        "learning objectives",
        "objectives",
        "chapter goals",
    }
)


def is_point(line: str) -> bool:
    """A line worth keeping as a point: not a caption, a copyright notice, a date, a section number,
    a bibliographic reference or OCR noise."""
    return not (
        _FIGURE_LINE.match(line)
        or _BOILERPLATE.search(line)
        or _SECTION_NUMBER.match(line)
        or _REFERENCE.search(line)
        or looks_like_ocr_noise(line)
    )


def statement_like(text: str) -> bool:
    """A line that states something on its own (for questions and cards): not a lead-in ending in ':',
    not a parenthetical, not a two-word label."""
    text = text.strip()
    if not text or text.endswith((":", "：", "?", "？")) or text[0] in "([" or " | " in text:
        return False
    if has_cjk(text):
        return count_cjk(text) >= 8
    return len(words(text)) >= 5


def logical_lines(text: str, title: str = "", *, formulas: bool = False) -> list[str]:
    """A slide's text as whole items: bullets kept apart, wrapped lines joined, the title line dropped."""
    items: list[str] = []
    starts_new = True
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            starts_new = True
            continue
        bullet = _is_bullet(line)
        clean = _strip_bullet(line)
        if not clean:
            continue
        joins = items and not bullet and not starts_new and _continues(items[-1], clean)
        joins = joins and fold(clean) != fold(title)  # the title repeated at the slide's foot
        if joins and not (formulas and formula_line(clean)):  # a formula is no prose line's wrapped rest
            joiner = "" if has_cjk(items[-1][-1]) and has_cjk(clean[0]) else " "
            items[-1] = (
                items[-1][:-1] if items[-1].endswith("-") and clean[0].islower() else items[-1] + joiner
            ) + clean
        else:
            items.append(clean)
        starts_new = False
    title_key = fold(title)
    out = []
    for item in items:
        item = " ".join(item.split())
        if fold(item) == title_key or not (_readable(item) or (formulas and formula_line(item))):
            continue
        out.append(item)
    return out


# --- definitions ------------------------------------------------------------------------------------
def _clean_term(term: str) -> str | None:
    term = strip_symbol(term.strip(" \"'“”‘’*_`"))  # "Forget gate (f)": the gate, not its letter
    low = term.lower()
    for article in _ARTICLES:
        if low.startswith(article):
            term, low = term[len(article) :], low[len(article) :]
    term = term.strip()
    if not term:
        return None
    if has_cjk(term):
        if not 2 <= len(term) <= 12 or term.startswith(_ZH_BAD_START):
            return None
        return term
    ws = words(term)
    if not 1 <= len(ws) <= 6 or len(term) > 60:
        return None
    if ws[0].lower() in _BAD_TERM_START or all(w.lower() in stopwords() for w in ws):
        return None
    if any(
        w.lower() in {"is", "are", "was", "were", "be", "can", "will", "should", "must", "es", "son"}
        for w in ws
    ):
        return None
    if not any(ch.isalpha() for ch in term) or term[0] in "([{" or ws[-1].lower() in _TERM_BAD_END:
        return None
    if any(w.lower() in _ADVERBS for w in ws):  # "factor 1 usually [means]": a clause, not a term
        return None
    if len(ws) == 1 and _ADVERB_ENDING.search(ws[0].lower()):  # "Optionally: ...", "Finally: ..."
        return None
    return term


def _clean_definition(text: str) -> str | None:
    text = strip_list_end(text.strip().rstrip(".;:。").strip())
    n = len(text) if has_cjk(text) else len(words(text))
    low, high = (6, 120) if has_cjk(text) else (3, 45)
    if not low <= n <= high:
        return None
    if any(w.lower() in _ANAPHORA for w in words(text)) or announces_list(text):  # "these goals", "2 parts"
        return None
    return text


def find_definition(sentence: str, ref: SourceRef) -> Definition | None:
    """The definition a sentence states, if it reads like one."""
    s = sentence.strip().rstrip(".。")
    if has_cjk(s):
        m = _ZH_DEF.match(s)
        if m:
            term, definition = _clean_term(m["term"]), _clean_definition(m["def"])
            if term and definition:
                return Definition(term, definition, sentence.strip(), ref)
        return None
    s, abbreviation = split_alias(s)  # "The testing set (or test set) is ...", "Data flow diagram (DFD) is"
    for pattern in (_VERB_DEF, _IS_DEF, _ES_DEF, _CALLED_DEF, _GLOSSARY):
        m = pattern.match(s)
        if not m:
            continue
        term, definition = _clean_term(m["term"]), _clean_definition(m["def"])
        if term and abbreviation:
            term = f"{term} ({abbreviation})"
        if term and definition and fold(term) not in fold(definition)[: len(term) + 2]:
            if pattern is _GLOSSARY:
                sentence = f"{term}: {definition}"
            return Definition(term, definition, sentence.strip(), ref)
    return None


def group_key(title: str) -> str:
    return fold(_CONT_TITLE.sub("", title or "")).strip(" :-–")


def _group_slides(slides: list[Slide]) -> list[list[Slide]]:
    groups: list[list[Slide]] = []
    for slide in slides:
        key = group_key(slide.title)
        if groups and key and group_key(groups[-1][0].title) == key:
            groups[-1].append(slide)
        else:
            groups.append([slide])
    return groups


def _figure_score(fig: FigureInfo) -> float:
    score = min(fig.area, 0.6) * 3
    if fig.caption.strip():
        score += 2.0
    if fig.text.strip():
        score += 0.5
    return score


_LEADING_NUMBER = re.compile(r"^\s*(\d+(\.\d+)*\.?|[IVX]+\.)\s+")


def clean_title(title: str) -> str:
    """'4.9.1. Interpretación de los gráficos (cont.)' -> 'Interpretación de los gráficos'."""
    cleaned = _CONT_TITLE.sub("", _LEADING_NUMBER.sub("", title or "")).strip()
    return cleaned or (title or "").strip()


def good_title(title: str) -> bool:
    """A slide title fit to name a topic in a question: short, and not a sentence."""
    title = title.strip()
    if (
        not title
        or title[-1] in ".;,:。；，："
        or looks_like_ocr_noise(title)
        or any(c in title for c in "[];")
    ):
        return False
    if group_key(title) in _GENERIC_TITLES or _SECTION_NUMBER.match(title + " "):
        return False
    if has_cjk(title):
        return 2 <= len(title) <= 24
    return 1 <= len(words(title)) <= 10 and len(title) <= 70


def _is_title_slide(slide: Slide, lines: list[str]) -> bool:
    """The first slide with only short lines: title, author, course, date."""
    return slide.ref.page == 1 and len(lines) <= 8 and all(len(words(x)) <= 8 for x in lines)


_FOOTER_CAPTION = re.compile(
    r"^(chapter|lecture|section|unit|cap[ií]tulo|tema|lecci[oó]n|第\S*[章讲])\s*\d*", re.I
)


def _usable_caption(caption: str) -> bool:
    if _FOOTER_CAPTION.match(caption.strip()):
        return False
    if has_cjk(caption):
        return count_cjk(caption) >= 3
    return len([w for w in words(caption) if any(c.isalpha() for c in w)]) >= 2 and not _DATE.match(caption)


def extract(lecture: LectureMaterial) -> LectureCandidates:
    """Every candidate a lecture offers, in slide order."""
    from workers.generation.figures import useful_figures
    from workers.generation.gate import gate_candidates, gate_material
    from workers.generation.i18n import PHRASES

    text_lang = detect_language("\n".join(s.text for s in lecture.slides))
    lecture = gate_material(lecture, text_lang)  # what a student cannot read never becomes an item
    out = LectureCandidates(lecture=lecture)
    out.text_lang = text_lang
    out.lang = out.text_lang if out.text_lang in PHRASES else "en"
    seen_terms: set[str] = set()
    seen_formulas: set[str] = set()
    captions = Counter(fold(f.caption) for s in lecture.slides for f in s.figures if f.caption.strip())
    for slides in _group_slides(lecture.slides):
        title = next((s.title for s in slides if s.title), "")
        group = Group(title=clean_title(title), points=[], refs=[s.ref for s in slides])
        agenda = group_key(title) in _AGENDA
        seen_points: set[str] = set()
        for slide in slides:
            titled = {fold(x) for x, role in slide.lines if role == "title"}  # each line of a 2-line title
            lines = [
                x
                for x in logical_lines(slide.text, slide.title, formulas=True)
                if (is_point(x) or formula_line(x)) and fold(x) not in titled
            ]
            if not lines and slide.notes:
                lines = [x for x in logical_lines(slide.notes) if is_point(x)][:3]
            if agenda or _is_title_slide(slide, lines):
                lines = []
            for n, line in enumerate(lines):
                if is_formula(line):
                    name, body = labelled(line)  # "Sigmoid: s(z) = ...": the formula, its name
                    key = fold(body)
                    if key not in seen_formulas:
                        seen_formulas.add(key)
                        name = name or (lead_in_name(lines[n - 1]) if n else "")
                        out.formulas.append(Formula(body, slide.ref, name))
                    continue
                parts = sentences(line, out.text_lang)
                defined = 0
                for sentence in parts:
                    found = find_definition(sentence, slide.ref)
                    if found:
                        defined += 1
                        if fold(found.term) not in seen_terms:
                            seen_terms.add(fold(found.term))
                            out.definitions.append(found)
                key = fold(line)
                if key not in seen_points and len(line) <= 400:
                    seen_points.add(key)
                    group.points.append(Point(line, slide.ref, is_definition=defined == len(parts)))
            for fig in slide.figures:
                own = fig.caption.strip()
                if own and (captions[fold(own)] >= 3 or not _usable_caption(own)):  # a repeated footer
                    own = ""
                fig = replace(fig, caption=own)
                caption = own or slide.title.strip()
                out.figures.append(
                    FigureItem(fig, caption, lecture.ref(slide.ref.page, fig.id), _figure_score(fig))
                )
        if group.points:
            out.groups.append(group)
    _title_definitions(out, seen_terms)
    out.figures = useful_figures(lecture, out.figures, out.text_lang)
    _drop_boilerplate(out)
    gate_candidates(out)
    n_points = len(out.points)
    for d in out.definitions:  # a term on many lines ("security" in a security lecture) is no key phrase
        hits = sum(contains_phrase(p.text, d.term) for _, p in out.points)
        if hits > max(3, 0.15 * n_points):
            out.generic_terms.add(fold(d.term))
    return out


def _title_definitions(out: LectureCandidates, seen: set[str]) -> None:
    """Sibling slides naming a variant in the title and explaining it in their one line (glossary.py)."""
    for i, raw_term, raw_definition in title_terms(out.groups):
        term, definition = _clean_term(raw_term), _clean_definition(raw_definition)
        point = out.groups[i].points[0]
        if term and definition and fold(term) not in seen:
            seen.add(fold(term))
            out.definitions.append(Definition(term, definition, f"{term}: {definition}", point.ref))
            out.groups[i].points[0] = replace(point, is_definition=True)  # asked through its definition
    out.definitions.sort(key=lambda d: d.ref.page)


def _drop_boilerplate(out: LectureCandidates) -> None:
    """No definition, point or section built from course material that is not subject matter (dates,
    course codes, authors, citations, logistics): nothing generated can then carry it."""
    from workers.generation.validity import agenda_title, boilerplate_reason, generic_label

    heads = head_counts(out.definitions)
    out.definitions = [
        d
        for d in out.definitions
        if not boilerplate_reason(d.sentence)
        and not boilerplate_reason(d.term)
        and (not generic_label(d.term) or sibling_name(d, heads))
        and d.term[:1].isalnum()  # "¢« Relational database", "+ Hourly_Emps": OCR debris in the term
        and not d.definition.rstrip().endswith("?")  # a question is no definition
    ]
    groups = []
    for g in out.groups:
        if agenda_title(g.title):
            continue
        g.points = [p for p in g.points if not boilerplate_reason(p.text)]
        if g.points:
            groups.append(g)
    out.groups = groups
