"""A cheat sheet that covers the lecture's key ideas across all its slides (issue #14 item 1), by reading the
lecture's structure, never a deck's own words:

- ``closing_groups``: a closing slide ("Summary", "Key points", "Recap", "Take-aways", "Conclusions") is the
  lecturer's own list of the lecture's key ideas. Its lines become points of a section of their own (shown
  without a label: a statement that stands alone), each kept only when it speaks of something the lecture
  treats elsewhere (a content word of another slide's title or of a defined term: salience), so a recap's
  logistics ("You can bring one sheet of handwritten notes") stay out. The usual point rules still apply.
- ``without_value_labels``: a section whose lines name formulas or values the sheet lost ("Ideal capacity
  with MISO:", "Outage probability: 10-3") is no list, but its other lines may still state something
  ("Diversity gain, but no beamforming gain"): the names go, the rest is judged line by line.
- ``picture_heading``: several slides share one title and each shows a picture under a heading of its own
  ("Esfuerzo normal en x, sx" on one, "Esfuerzo normal en y, sy" on the next): that heading, not the shared
  title, names the slide's picture.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Protocol, TypeVar

from shared.text import fold, stem, stopwords, word_known, words
from workers.generation.candidates import (
    Group,
    LectureCandidates,
    Point,
    clean_title,
    is_point,
    logical_lines,
    looks_like_ocr_noise,
)
from workers.generation.cardrules import readable
from workers.generation.material import Slide
from workers.generation.sheet_entries import sheet_title
from workers.generation.sheet_labels import label_reason
from workers.generation.sheet_rules import example_section, label, label_ok
from workers.generation.validity import entry_ok, generic_label

CLOSING_TITLE = re.compile(
    r"^\W*(?:(?:lecture\s+|chapter\s+)?summary|key\s+(?:points?|ideas|takeaways?)|main\s+points|recap|"
    r"take\s*-?\s*aways?|conclusions?|concluding\s+remarks|lessons\s+learn(?:ed|t)|"
    r"resumen|conclusi[oó]n(?:es)?|puntos\s+clave|r[ée]sum[ée]|[àa]\s+retenir|zusammenfassung|fazit|"
    r"итоги|выводы|заключение|резюме|小结|总结|本章要点)\W*$",
    re.I,
)
MIN_STEM = 4


def closing_title(title: str) -> bool:
    """A closing slide's title: "Summary", "Key points", "Recap", "Take away", "Conclusions" (several
    languages); "Relational Model: Summary" is a section's own summary and keeps its topic as its label."""
    return bool(CLOSING_TITLE.match(" ".join(clean_title(title or "").split())))


def _stems(text: str, lang: str) -> set[str]:
    stop = stopwords(lang)
    return {
        stem(w.casefold(), lang)
        for w in words(text)
        if len(w) >= MIN_STEM and w.isalpha() and w.casefold() not in stop
    }


def lecture_topics(lc: LectureCandidates, skip_pages: set[int]) -> set[str]:
    """The stems of the content words of every slide title and defined term, but those of ``skip_pages``."""
    out: set[str] = set()
    for slide in lc.lecture.slides:
        if slide.ref.page not in skip_pages and not closing_title(slide.title):
            out |= _stems(clean_title(slide.title), lc.text_lang)
    for d in lc.definitions:
        if d.ref.page not in skip_pages:
            out |= _stems(d.term, lc.text_lang)
    return out


def salient(text: str, topics: set[str], lang: str) -> bool:
    """The line speaks of something the lecture treats elsewhere (one content word in common)."""
    return bool(_stems(text, lang) & topics)


@dataclass
class RecapGroup(Group):
    """A section of the lecture's closing slides (a recap of the other sections: sheet_recap.py)."""


def closing_groups(lc: LectureCandidates) -> list[Group]:
    """The lecture's closing slides as sections of their own (see the module's docstring); consecutive
    closing slides with one title are one section. A short heading among a closing slide's lines ("MISO
    channels with slow fading" over "No beamforming gain, but diversity gain can be achieved") leads the
    lines under it as a section of its own: the line alone lacks its topic."""
    slides = [s for s in lc.lecture.slides if closing_title(s.title)]
    if not slides:
        return []
    topics = lecture_topics(lc, {s.ref.page for s in slides})
    out: list[Group] = []
    for slide in slides:
        title = clean_title(slide.title)
        lines = [x for x in logical_lines(slide.text, slide.title) if is_point(x)]
        for head, part in split_headings(lines):
            points = [Point(x, slide.ref) for x in part if salient(f"{head} {x}", topics, lc.text_lang)]
            if not points:
                continue
            name = head or title
            last = out[-1] if out else None
            if last and fold(last.title) == fold(name) and last.refs[-1].page + 1 == slide.ref.page:
                last.points.extend(points)
                last.refs.append(slide.ref)
            else:
                out.append(RecapGroup(title=name, points=points, refs=[slide.ref]))
    return out


HEADING_MAX_WORDS = 6
# a verb or subject that makes a line a statement, not a heading
_STATEMENT = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|can|could|must|should|will|would|may|might|does|do|we|you|"
    r"it|they|this|es|son|puede|est|sont|peut|является|можно)\b",
    re.I,
)


def heading_line(text: str) -> bool:
    """A short topic heading in a closing slide's list: up to six words, no colon, no sentence end, no verb
    or subject of a statement ("MISO channels with slow fading", "k-fold cross validation")."""
    flat = " ".join(text.split())
    n = len([w for w in words(flat) if any(ch.isalpha() for ch in w)])
    if not 1 <= n <= HEADING_MAX_WORDS or ":" in flat or flat.endswith((".", "!", "?", ";", ",")):
        return False
    return not _STATEMENT.search(flat)


def split_headings(lines: list[str]) -> list[tuple[str, list[str]]]:
    """A closing slide's lines cut at its headings: (heading or "", the lines under it). A heading is a
    heading_line followed by a line that is not one."""
    out: list[tuple[str, list[str]]] = [("", [])]
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if heading_line(line) and nxt is not None and not heading_line(nxt):
            out.append((" ".join(line.split()), []))
        else:
            out[-1][1].append(line)
    return [(h, part) for h, part in out if part]


# "Ideal capacity with MISO:", "Outage probability: 10-3": the name of a value or formula the sheet lost
_VALUE_LABEL = re.compile(r"^[^:：]{3,60}[:：]\s*(?:[^\w\s]|\d|\s|[\U0001d400-\U0001d7ff])*$")


def without_value_labels(points: list[Point]) -> list[Point]:
    """The section's lines but the names of values or formulas the sheet lost."""
    return [p for p in points if not _VALUE_LABEL.match(" ".join(p.text.split()))]


def label_fit(title: str, lang: str) -> bool:
    """A section title that can lead its entries, judged as the sheet shows it (no cut-off part number:
    "Design guidelines 1-"): not debris, a sentence, an example or a title that names no topic."""
    shown = label(title)
    if not sheet_title(shown) or example_section(shown) or not label_ok(shown):
        return False
    return label_reason(shown, lang) is None


HEADING_WORDS = 8


def picture_heading(slide: Slide, title_count: Counter[str], lang: str) -> str | None:
    """The heading a slide gives its picture when its title is shared with other slides: its one short
    line besides the title (a phrase of up to eight words, not a sentence, not a lead-in, readable)."""
    if title_count[fold(clean_title(slide.title))] < 2:
        return None
    lines = [x for x in logical_lines(slide.text, slide.title) if is_point(x)]
    lines = [x for x in lines if any(ch.isalpha() for ch in x) and len(words(x)) >= 2]
    if len(lines) != 1:
        return None  # no heading, or several lines (labels of a diagram, a list)
    line = label(" ".join(lines[0].split()))
    if len(words(line)) > HEADING_WORDS or line.endswith((".", "!", "?", ":", "。")):
        return None
    if looks_like_ocr_noise(line) or not entry_ok("", line) or not readable(line, lang):
        return None
    return line


class _Entry(Protocol):
    page: int


E = TypeVar("E", bound=_Entry)


def form_section(g: Group) -> bool:
    """A section that is a form, not a glossary: a table whose rows are mostly labelled by form fields
    ("Actors | ...", "Description | ...", "Stimulus | ..."): its other cells read as terms ("Data — Patient's
    personal information") are a worked case's fields, not definitions the slide states. A glossary table
    ("Asset | Something of value ...", "Threat | ...") names concepts in its first column."""
    firsts = [p.text.split("|")[0].strip() for p in g.points if "|" in p.text]
    firsts = [x for x in firsts if x]
    return len(firsts) >= 2 and sum(generic_label(x) for x in firsts) * 2 >= len(firsts)


def first_entries(
    first_points: list[E], terms: list[E], section_of: dict[int, int], fit: set[int]
) -> tuple[list[E], list[E]]:
    """Every section's first entry, in slide order: its first point, or, for a section with no point of its
    own whose title can lead an entry (``fit``: a slide of definitions, not an example's table), its first
    key term; and those key terms. A key term of a section that has a point waits for the second round: on
    a page too small for everything, no section gets a second entry before every section has its first."""
    with_point = {section_of.get(i.page) for i in first_points}
    lone: list[E] = []
    seen: set[int] = set()
    for term in sorted(terms, key=lambda i: i.page):
        section = section_of.get(term.page)
        if section is None or section in with_point or section in seen or section not in fit:
            continue
        seen.add(section)
        lone.append(term)
    return sorted([*first_points, *lone], key=lambda i: i.page), lone


def case_names(titles: list[str], lang: str = "en") -> set[str]:
    """The names of the lecture's worked cases, read from its example sections' titles ("Examples of security
    terminology (Mentcare)" -> "mentcare"): a capitalised word past the title's first that is no word of the
    language (a product, a company, a person)."""
    out: set[str] = set()
    for title in titles:
        if not example_section(title):
            continue
        for w in words(title)[1:]:
            name = w[:1].isupper() and w.isalpha() and len(w) >= 3 and not w.isupper()
            if name and not word_known(w.casefold(), lang):
                out.add(fold(w))
    return out


def names_case(title: str, cases: set[str]) -> bool:
    """A section about one of the worked cases ("Security requirements for the Mentcare system"): its lines
    are the case's details, not the lecture's ideas."""
    return bool(cases) and any(fold(w) in cases for w in words(title))
