"""Figure entries of a cheat sheet whose caption fits the picture (issue #14: judges who opened the pictures).

A figure entry is a picture and a caption "Figure: <caption> (s. N)". A student reads the caption as the
picture's heading, so:
- ``caption_fault``: a caption must read as one. Not a single word or letter printed inside the picture (a
  box label: "Application", "E": it names one part, not what the picture shows), not code ("SELECT
  ARTIST.NAME": a line of the example, the detectors of cardrules/sheet_rules/line roles), not cut
  mid-phrase (``cut_title``: "Interpretación de los gráficos de").
- ``content_slide``: no figure entry from the lecture's title slide (photos of the speakers, a crest, a
  banner) nor from a slide that is about the course rather than the subject: an outline, agenda or closing
  slide by its title, or a page whose lines the line roles mark agenda, meta or credit.
- ``section_title_only``: a title several slides share names their section; a slide that says no heading of
  its own for its picture but announces several things ("Condiciones de frontera:", "Fuerza axial:") shows
  those in its pictures, and the section title under the largest one does not say what it shows.
- ``figure_entry_ok``: the checks of a figure with a caption of its own (its caption, its slide), including
  a caption that names one of two things the slide labels side by side (``figures.sibling_label``: "Gate
  with real-valued elements" beside "Binary gate"). When the figure's own caption fails, the slide keeps
  its chance under its title through ``sheet_figures.slide_pictures``, which names a picture by the slide
  title only when that is a content title (``good_title``, not agenda nor closing) and passes these checks.
"""

from __future__ import annotations

import re

from shared.text import fold, words
from shared.text.plausibility import zipf
from workers.generation.candidates import (
    FigureItem,
    LectureCandidates,
    _is_title_slide,
    clean_title,
    is_point,
    logical_lines,
)
from workers.generation.cardrules import looks_like_code
from workers.generation.material import Slide
from workers.generation.sheet_entries import BOOK_WORD, cut_title, figure_boilerplate, misread
from workers.generation.sheet_rules import code_line
from workers.generation.validity import GENERIC_LABELS, agenda_title, entry_ok, generic_label
from workers.generation.wrapping import strip_bullet
from workers.ocr.line_cues import is_code

# line roles of a page about the course, not the subject (workers/ocr/roles.py)
COURSE_ROLES = frozenset({"agenda", "meta", "credit"})
COMMON_ZIPF = 5.0  # a word this common ("key", "text", "main") names no concept beside a generic one
COVER_WORDS = 4  # a cover's line: "FIFTH EDITION", "Third edition"
COVER_REPEATS = 3  # ... on this many slides it is a running footer, not a cover
SIBLING_WORDS = 4  # a label beside the caption in a figure entry: "Binary gate", "Gate with real values"
_PROGRAM = re.compile(r"[;{}]|==|:=|!=|->|\w\(\)|\b[A-Z]{2,}\.[A-Z]{2,}\b")


def code_caption(caption: str) -> bool:
    """A line of example code or a query: keywords in capitals, operators, calls, braces, semicolons."""
    flat = " ".join(caption.split())
    return looks_like_code(flat) or code_line(flat) or is_code(flat) or bool(_PROGRAM.search(flat))


def inside_label(caption: str, picture_text: str) -> bool:
    """One letter, or one word that the picture prints among its labels: a part's name, not a caption."""
    tokens = [w for w in words(caption) if any(ch.isalnum() for ch in w)]
    if len(tokens) != 1:
        return False
    token = tokens[0]
    if len(token) <= 2:
        return True
    return fold(token) in {fold(w) for w in words(picture_text)}


def text_crop(picture_text: str, slide: Slide) -> bool:
    """The picture's words are all the slide's own lines, one of them a lead-in or a question ("• Consider
    two time slots:", "Can we select X in a clever way?"): the crop is a block of the slide's text around a
    formula, cut from what the lead-in announces, not a figure (judged: "only the dangling lead-in, its
    equation and an empty box"). A picture with words of its own (a plot's legend) is a figure."""
    said = {" ".join(fold(strip_bullet(x.strip())).split()) for x in slide.text.split("\n") if x.strip()}
    lines = [" ".join(strip_bullet(x.strip()).split()) for x in picture_text.split("\n")]
    lines = [x for x in lines if any(ch.isalpha() for ch in x)]
    if not lines or any(" ".join(fold(x).split()) not in said for x in lines):
        return False
    return any(len(words(x)) >= 3 and x.endswith((":", "?", "：", "？")) for x in lines)


def generic_caption(caption: str, lang: str = "en") -> bool:
    """A label of a kind, not of a concept: a generic word ("intuition", "input", "example") and otherwise
    only common words ("Key intuition", "Input text"); a rarer word names the thing ("Vector-Matrix
    Description", "Neural gate")."""
    if not generic_label(caption):
        return False
    tokens = [t for t in re.findall(r"\w+", caption.casefold()) if not t.isdigit()]
    return all(t in GENERIC_LABELS or zipf(t, lang) >= COMMON_ZIPF for t in tokens)


def caption_fault(caption: str, picture_text: str, lang: str = "en") -> str | None:
    """Why a caption does not read as the heading of its picture, or None."""
    if inside_label(caption, picture_text):
        return "a label inside the picture"
    if generic_caption(caption, lang):
        return "a generic label"  # "Key intuition", "Input text", "Example": names no concept
    if code_caption(caption):
        return "code"
    if cut_title(caption):
        return "cut mid-phrase or a question"
    return None


def _cover_line(lc: LectureCandidates, slide: Slide, line: str) -> bool:
    """A short line naming a book's edition that is not a running footer ("Hibbeler Statics, 14th Edition" on
    every slide of a publisher's deck is not a cover: its figures stay)."""
    if len(words(line)) > COVER_WORDS or not BOOK_WORD.search(line):
        return False
    key = fold(line)
    if any(role == "footer" and fold(text) == key for text, role in slide.lines):
        return False
    on = sum(
        any(fold(x) == key for x in [*s.text.split("\n"), *(text for text, _ in s.lines)])
        for s in lc.lecture.slides
    )
    return on < COVER_REPEATS


def content_slide(lc: LectureCandidates, slide: Slide) -> bool:
    """A slide about the subject: not the lecture's title slide, not an outline, agenda or closing slide."""
    from workers.generation.sheet_cover import closing_title

    title = clean_title(slide.title)
    if title and (agenda_title(title) or closing_title(title)):
        return False
    slides = lc.lecture.slides
    if len(slides) > 1 and slide is slides[0]:
        lines = [x for x in logical_lines(slide.text, slide.title) if is_point(x)]
        if _is_title_slide(slide, lines):
            return False  # the lecture's title slide: its pictures are people, crests, banners
    body = [x.strip() for x in slide.text.split("\n") if x.strip() and fold(x) != fold(slide.title)]
    if body and all(not any(ch.isalnum() for ch in x) and "?" in x for x in body):
        return (
            False  # the slide asks "?" of its picture (a puzzle): the title names the answer, not the picture
        )
    read = [*body, *(text for text, _ in slide.lines)]  # the lines the reader dropped too (a cover's words)
    if any(_cover_line(lc, slide, x) for x in read):
        return False  # a book's cover ("FIFTH EDITION"): a credit, read on the slide when not in the picture
    roles = [role for text, role in slide.lines if text.strip() and role not in ("footer", "blank", "")]
    if roles and 2 * sum(r in COURSE_ROLES for r in roles) > len(roles):
        return False  # an outline, a reading list, course logistics
    titled = [role for text, role in slide.lines if fold(text) == fold(slide.title)]
    return not any(r in COURSE_ROLES for r in titled)


def section_title_only(slide: Slide, title_count: int) -> bool:
    """The title names a section several slides share, and the slide announces several things of its own
    ("Condiciones de frontera:", "Fuerza axial en toda su longitud:"): its pictures show those, not the
    section."""
    if title_count < 2:
        return False
    lines = [x for x in logical_lines(slide.text, slide.title) if is_point(x)]
    return sum(x.rstrip().endswith((":", "：")) for x in lines) >= 2


def figure_entry_ok(fig: FigureItem, lc: LectureCandidates) -> bool:
    """A figure with a caption of its own makes an entry: a key figure, its caption a heading that fits the
    whole picture, on a content slide, with no boilerplate in the picture."""
    from workers.generation.figures import sibling_label

    if fig.score < 0.3 or not fig.labelled or not entry_ok("", fig.caption):
        return False  # a key figure has a caption of its own; the slide title alone explains nothing
    if figure_boilerplate(fig.figure.text) or misread(fig.caption, lc.text_lang):
        return False  # a footer, credit or logo in the picture; a caption misread
    if caption_fault(fig.caption, fig.figure.text, lc.text_lang):
        return False
    slide = next((s for s in lc.lecture.slides if s.ref.page == fig.ref.page), None)
    if slide is None:
        return True
    if text_crop(fig.figure.text, slide):
        return False
    if not content_slide(lc, slide):
        return False
    own = fig.figure.caption
    # one of two pictures labelled side by side ("Binary gate"); a bullet of five words or more is a statement
    # about the picture ("Yield rose in every quarter", whose irregular verb has_verb does not know), no label
    return not (own and sibling_label(own, slide, lc.text_lang, max_words=SIBLING_WORDS))
