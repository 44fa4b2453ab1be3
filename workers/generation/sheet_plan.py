"""Breadth before depth on a cheat sheet: every section of the lecture is on it, at least by name.

- ``sections``: the lecture's sections in slide order, from the titles of ALL its slides (a slide whose
  content is a plot, a matrix or a picture has a title too): continued slides ("(cont.)", "2/3", a title cut
  short at a line break) are one section, a title met again later is the same section, numbering and
  boilerplate titles go.
- No "Also on the slides" line of bare section titles: blind judges found such an index explains nothing,
  names no one concept and reads as an outline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from shared.text import fold, has_cjk, words
from shared.text.plausibility import plausible_share
from workers.generation.candidates import Group, LectureCandidates, Point, clean_title, good_title
from workers.generation.cardrules import readable
from workers.generation.sheet_rules import example_section, label, label_ok, mixed_script
from workers.generation.structure import worked_case
from workers.generation.validity import agenda_title, boilerplate_reason, entry_ok, generic_label

_LEAD_PUNCT = re.compile(r"^[\W_]+")
# "Statistical Computing: Lecture 13", "Week 3", "Лекция 2": the course's meta, not a section of it
_META_TITLE = re.compile(
    r"\b(?:lecture|lesson|chapter|week|unit|session|class|module|part|лекция|занятие|глава|clase|lecci[oó]n|"
    r"tema|cap[ií]tulo|semana)\s*\d+\b",
    re.I,
)
# a closing slide names no topic of its own
_CLOSING_TITLE = re.compile(
    r"^(?:summary|wrap[\s-]*up|final\s+thoughts|conclusions?|concluding\s+remarks|resumen|conclusi[oó]n(?:es)?|"
    r"итоги|заключение|выводы)$",
    re.I,
)
LONG_POINT = 260  # characters: past a section's first line, a longer one costs more than it tells
MAX_TITLE_WORDS, MAX_TITLE_CHARS = 16, 110


@dataclass
class Section:
    title: str
    pages: list[int] = field(default_factory=list)


def section_title(raw: str, lang: str = "en") -> str | None:
    """A slide title fit to name a section on the sheet, or None: numbering, a trailing colon or full stop
    and a leading stray mark go; a title cut off at a connective, boilerplate or misread text is refused."""
    if _META_TITLE.search(raw or ""):
        return None
    title = _LEAD_PUNCT.sub("", clean_title(" ".join((raw or "").split())))
    title = label(title).rstrip(" .:：;,")
    if not title or not title[0].isalnum() or "?" in title[:-1]:
        return None
    n_words = len(words(title))
    head = " ".join(title.split()[:10])[:70].rstrip(" ,;:")  # a long title: judged by its first words
    if n_words > MAX_TITLE_WORDS or len(title) > MAX_TITLE_CHARS or not good_title(head):
        return None
    if agenda_title(title) or _CLOSING_TITLE.match(title) or not label_ok(title) or generic_label(title):
        return None
    if boilerplate_reason(title) or not entry_ok("", title) or mixed_script(title):
        return None
    if not has_cjk(title) and not _title_readable(title, lang):
        return None
    if len([w for w in words(title) if any(ch.isalpha() for ch in w)]) < 1:
        return None
    return title


def _title_readable(title: str, lang: str) -> bool:
    """Words of the language, acronyms ("MIMO", "SMILES") and capitalised names set aside: a title names
    things; most of its other words must still be words, not OCR debris."""
    if readable(title, lang):
        return True
    rest = " ".join(w for w in title.split() if not (w[:1].isupper() and len(w) > 1))
    return len(words(rest)) >= 2 and plausible_share(rest, lang, min_len=3) >= 0.75


def _title_slide(text: str) -> bool:
    lines = [x for x in text.splitlines() if x.strip()]
    return len(lines) <= 8 and all(len(words(x)) <= 8 for x in lines)


def _key(title: str) -> str:
    """Case, accents and punctuation folded: "Views." and "views" are one text."""
    return " ".join(words(fold(title)))


def sections(lc: LectureCandidates) -> list[Section]:
    """The lecture's sections in slide order (first appearance), one per distinct title."""
    out: list[Section] = []
    by_key: dict[str, Section] = {}
    lecture_key = _key(clean_title(lc.lecture.title))
    for n, slide in enumerate(lc.lecture.slides):
        if n == 0 and _title_slide(slide.text):
            continue  # the lecture's own title, course and author
        title = section_title(slide.title, lc.text_lang)
        if title is None:
            continue
        key = _key(title)
        if key == lecture_key:
            continue
        # a title cut short ("Interpretation of the plots of") or continued: the section already met
        known = next((s for k, s in by_key.items() if k == key or k.startswith(key + " ")), None)
        if known is not None:
            if slide.ref.page not in known.pages:
                known.pages.append(slide.ref.page)
            continue
        section = Section(title, [slide.ref.page])
        by_key[key] = section
        out.append(section)
    return out


def divider_titles(lc: LectureCandidates) -> list[str | None]:
    """Per section of ``lc.groups``: the title of a slide with no content of its own right before it (a
    divider, "Long short-memory networks" before "Key intuition"), or None when the slide before it belongs
    to a section. Untitled slides in between are passed over; the lecture's title slide is none."""
    in_group = {r.page for g in lc.groups for r in g.refs}
    slides = lc.lecture.slides
    lecture_key = _key(clean_title(lc.lecture.title))
    out: list[str | None] = []
    for g in lc.groups:
        first = min((r.page for r in g.refs), default=0)
        found = None
        for n in range(len(slides) - 1, 0, -1):  # slide 0: the lecture's own title
            page = slides[n].ref.page
            if page >= first:
                continue
            if page in in_group:
                break
            title = section_title(slides[n].title, lc.text_lang)
            if title is not None and _key(title) != lecture_key:
                found = title
                break
        out.append(found)
    return out


# The label the sheet's old "Also on the slides" line carried: benchmarks/study_quality.py still leaves such
# a line out of coverage_entries when it scores a sheet made before the line went.
TOPICS_LABEL = {
    "en": "Also on the slides",
    "es": "También en las diapositivas",
    "ru": "Также на слайдах",
    "zh": "其他主题",
}


def fill_subheads(groups: list[Group], shown_by: dict[int, list[Point]], lang: str = "en") -> None:
    """Sections with a fit title keep their first line and their other lines up to LONG_POINT characters
    (denser entries). No sub-heads ("Capacity approximation • Beamforming gain": names of formulas the
    sheet lost) and no names alone ("This is called X" -> "X") become points: a bare term explains
    nothing (blind judges: invalid)."""
    for g in groups:
        if example_section(g.title) or worked_case(g.title) or section_title(g.title, lang) is None:
            continue
        shown = list(shown_by.get(id(g), []))
        shown_by[id(g)] = shown[:1] + [p for p in shown[1:] if len(p.text) <= LONG_POINT]
