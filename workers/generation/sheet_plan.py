"""Breadth before depth on a cheat sheet: every section of the lecture is on it, at least by name.

- ``sections``: the lecture's sections in slide order, from the titles of ALL its slides (a slide whose
  content is a plot, a matrix or a picture has a title too): continued slides ("(cont.)", "2/3", a title cut
  short at a line break) are one section, a title met again later is the same section, numbering and
  boilerplate titles go.
- ``topics_line``: the sections that have no entry of their own, in one compact line ("Chemical graphs:
  molecules, Markush structures • SMILES (s. 23)"), titles sharing a "Prefix:" joined under it.
- ``subheads_point``: a section none of whose lines stands as an entry on its own may still name its parts
  ("Adjacency matrix:" / "Edge list:", each followed by a matrix): its short sub-heads become one point
  ("Adjacency matrix • Edge list").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from shared.text import fold, has_cjk, words
from shared.text.plausibility import plausible_share
from workers.generation.candidates import Group, LectureCandidates, Point, clean_title, good_title
from workers.generation.cardrules import looks_like_code, readable
from workers.generation.sheet_rules import broken_symbols, example_section, label, label_ok, mixed_script
from workers.generation.structure import worked_case
from workers.generation.validity import agenda_title, boilerplate_reason, entry_ok, generic_label

_CONNECTIVE_END = re.compile(
    r"\b(?:and|or|of|the|a|an|to|in|for|with|by|on|as|y|de|del|la|el|en|los|las|и|в|на|с|для|по)$", re.I
)
_LEAD_PUNCT = re.compile(r"^[\W_]+")
_MIXED_TOKEN = re.compile(r"\b(?=\w*\d)(?=\w*[^\W\d_])\w+\b")
MAX_SUBHEAD_WORDS = 8
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
# "This is called Leave One Out Cross Validation (LOO-CV)": the line names the concept of the lines before
_NAMING = re.compile(
    r"^(?:(?:this|that|it)\s+is\s+(?:called|known\s+as|referred\s+to\s+as)|think\s+of\s+(?:this|it)\s+as)"
    r"\s+(?P<name>[^.,;:!?]{3,60}?)\.?$",
    re.I,
)
LONG_POINT = 260  # characters: past a section's first line, a longer one costs more than it tells
MAX_TITLE_WORDS, MAX_TITLE_CHARS = 16, 110
MAX_SUBHEADS = 6


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


def _pages(pages: list[int]) -> str:
    pages = sorted(set(pages))
    if len(pages) == 1:
        return f"s. {pages[0]}"
    if pages == list(range(pages[0], pages[-1] + 1)):
        return f"s. {pages[0]}–{pages[-1]}"
    return "s. " + ", ".join(str(p) for p in pages[:3])


def topics_line(secs: list[Section]) -> str:
    """The sections in one line, in slide order; consecutive "Prefix: part" titles joined under the prefix."""
    parts: list[str] = []
    i = 0
    while i < len(secs):
        head, sep, rest = secs[i].title.partition(":")
        j = i + 1
        if sep and rest.strip():
            tails = [rest.strip()]
            pages = list(secs[i].pages)
            while j < len(secs):
                h2, s2, r2 = secs[j].title.partition(":")
                if not (s2 and r2.strip() and fold(h2) == fold(head)):
                    break
                tails.append(r2.strip())
                pages += secs[j].pages
                j += 1
            if len(tails) >= 2:
                parts.append(f"{head.strip()}: {', '.join(tails)} ({_pages(pages)})")
                i = j
                continue
        parts.append(f"{secs[i].title} ({_pages(secs[i].pages)})")
        i += 1
    return " • ".join(parts)


def _subhead(text: str, lang: str) -> str | None:
    flat = " ".join(text.split()).rstrip(" :：.")
    if flat.endswith(("?", "？", "!")):
        return None  # a question to the audience, an exclamation: no name of a part
    if len(words(flat)) >= 2 and flat.isupper():
        return None  # "LANGUAGE ACQUISITION": a running head, the course's name
    tokens = words(flat)
    letters = [w for w in tokens if any(ch.isalpha() for ch in w)]
    if not flat or not flat[0].isalpha() or (not has_cjk(flat) and not flat[0].isupper()):
        return None
    if not 1 <= len(tokens) <= MAX_SUBHEAD_WORDS or len(letters) < len(tokens) - 1:
        return None
    if len(tokens) > 1 and len(tokens[-1]) == 1:
        return None  # "German a.": an example's label
    if _MIXED_TOKEN.search(flat) or broken_symbols(flat) or looks_like_code(flat) or "|" in flat:
        return None
    if _CONNECTIVE_END.search(flat) or any(c in flat for c in '[]{}=<>;"“”'):
        return None
    if boilerplate_reason(flat) or mixed_script(flat) or not readable(flat, lang):
        return None
    return flat


def subheads_point(g: Group, lang: str = "en", *, least: int = 2, shown: str = "") -> Point | None:
    """The section's short sub-heads ("Adjacency matrix:" before a matrix) in one point, when it has
    ``least`` of them not already in the ``shown`` text."""
    prose = sum(len(words(p.text)) > MAX_SUBHEAD_WORDS for p in g.points)
    if prose * 3 > len(g.points):
        return None  # a page of prose (a handout): its short lines are examples, not the names of parts
    heads: list[str] = []
    shown = f" {_key(shown)} "
    ref = None
    lead_ins = [p for p in g.points if p.text.rstrip().endswith((":", "："))]
    for p in lead_ins if len(lead_ins) >= least else g.points:  # "X:" names a part; without, an example may
        if p.is_definition:
            continue  # a key term
        head = _subhead(p.text, lang)
        if head is None or fold(head) in fold(g.title) or fold(head) in {fold(h) for h in heads}:
            continue
        if f" {_key(head)} " in shown:
            continue
        heads.append(head)
        ref = ref or p.ref
        if len(heads) >= MAX_SUBHEADS:
            break
    if len(heads) < least or ref is None:
        return None
    return Point(" • ".join(heads), ref)


TOPICS_LABEL = {
    "en": "Also on the slides",
    "es": "También en las diapositivas",
    "ru": "Также на слайдах",
    "zh": "其他主题",
}


def unshown(secs: list[Section], printed: list[str]) -> list[Section]:
    """The sections whose title the sheet does not print elsewhere (as an entry's label or a caption)."""
    text = " " + " ".join(_key(x) for x in printed) + " "
    return [s for s in secs if f" {_key(s.title)} " not in text]


def add_topics(doc: object, secs: list[Section], lang: str) -> int:
    """The topics line as the last paragraph of the main points; the number of sections it names."""
    from workers.generation.sheet_docx import add_text

    if not secs:
        return 0
    p = doc.add_paragraph()  # type: ignore[attr-defined]
    add_text(p, f"{TOPICS_LABEL.get(lang, TOPICS_LABEL['en'])}: ", bold=True)
    add_text(p, topics_line(secs))
    return len(secs)


def named_point(p: Point) -> Point | None:
    """ "This is called X." -> "X": the name a section gives to what its lines describe."""
    m = _NAMING.match(" ".join(p.text.split()))
    if m is None or len(words(m["name"])) > MAX_SUBHEAD_WORDS or boilerplate_reason(m["name"]):
        return None
    return Point(m["name"].strip(), p.ref)


def fill_subheads(groups: list[Group], shown_by: dict[int, list[Point]], lang: str = "en") -> None:
    """Sections with a fit title: one that shows no line gets its sub-heads as its point; one that shows
    lines keeps its first and its other lines up to LONG_POINT characters (denser entries). Both get the
    names their lines give ("This is called X") as their last points, the first to go when the page is
    full."""
    for g in groups:
        if example_section(g.title) or worked_case(g.title) or section_title(g.title, lang) is None:
            continue
        shown = list(shown_by.get(id(g), []))
        shown = shown[:1] + [p for p in shown[1:] if len(p.text) <= LONG_POINT]
        text = " ".join(p.text for p in shown)
        extra = [n for n in map(named_point, g.points) if n is not None and _key(n.text) not in _key(text)]
        sub = None if shown else subheads_point(g, lang, least=1)  # beside lines, a lead-in says nothing
        shown_by[id(g)] = shown + ([sub] if sub is not None else []) + extra
