"""A lecture's readable name: the title on its first slide, else the title in the file's own metadata.

A title slide whose title repeats as the deck's running header ("Multiple Antenna Communications" on slide 1
and in "TSKS14 Multiple Antenna Communications 2020-04-15 3" above every slide) has no line the role pass
calls a title: the line roles make it course meta there and a header elsewhere, and it stays so (never
indexed). The lecture is still named by it: the most prominent such line of the title slide, with the
lecture's number when the slide gives one ("Multiple Antenna Communications, Lecture 4").

Only when it reads like a title: not empty, not the file's name, not what an editor writes by default
("PowerPoint Presentation", "Slide 1", "Microsoft Word - notes.doc"), not a bare "Lecture 4" or a course
code ("TSKS14"), and with a real word in it. A title the
student typed is never replaced (``Lecture.title_source == "user"``).
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence
from pathlib import Path

import regex

from workers.ocr.content import PageContent
from workers.ocr.line_cues import DATE, META_CUE, PAGE_NUMBER, LineHint, align_hints, is_credit, is_url

log = logging.getLogger(__name__)

MAX_TITLE = 300
MAX_TITLE_WORDS = 20  # a "title" longer than this is body text the reader could not tell apart
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[^\W\d_]{3,}")
_FILE_NAME = re.compile(r"\.(pdf|pptx?|odp|docx?|key|png|jpe?g|tiff?)$", re.IGNORECASE)
_CODE = regex.compile(r"^[\p{Lu}\d\s./-]*\d[\p{Lu}\d\s./-]*$")  # "TSKS14", "CS 229", "15-445": a course code
_DEFAULTS = re.compile(
    r"^(?:(?:microsoft )?(?:power ?point|word|keynote)(?: presentation)?(?: - .*)?|presentation ?\d*|"
    r"slide ?\d*|untitled(?: \d+)?|title(?: slide)?|click to (?:add|edit) title|document ?\d*|"
    r"lecture|slides?|new presentation|<?no title>?)$"
    r"|^(?:lecture|lec\.|class|session|lesson|week|chapter|unit|part|module|vorlesung|lektion|clase|cours|"
    r"лекция|занятие|урок)\s*(?:no\.?|nr\.?|#|№)?\s*\d{1,3}[a-z]?[.:]?$",  # "Lecture 4" alone: no name
    re.IGNORECASE,
)


def _says_nothing(title: str) -> bool:
    """What an editor writes by default, a bare "Lecture 4", or a course code ("TSKS14", "CS 229")."""
    return bool(_DEFAULTS.match(title) or _CODE.match(title))


def clean(text: str | None) -> str:
    return _SPACES.sub(" ", text or "").strip(" -–—:|·•")[:MAX_TITLE].strip()


def acceptable(title: str, filename: str) -> bool:
    """Does ``title`` read like a lecture title (rather than boilerplate or the file name)?"""
    if len(title) < 3 or len(title.split()) > MAX_TITLE_WORDS or not _WORD.search(title):
        return False
    if _says_nothing(title) or _FILE_NAME.search(title):
        return False
    stem = Path(filename).stem.lower()
    return title.lower() not in {stem, filename.lower()}


def slide_title(text: str, roles: Sequence[str]) -> str:
    """The lines the roles mark as the title on a slide ("" when there are none)."""
    lines = text.split("\n")
    if len(lines) != len(roles):
        return ""
    return clean(" ".join(line.strip() for line, role in zip(lines, roles, strict=True) if role == "title"))


# --- the title slide's title set aside as the running header -------------------------------------------
HEADER_ROLES = frozenset({"meta", "footer"})  # what the role pass makes of a repeated course name
REPEAT_SHARE = 0.3  # the share of the other pages (and at least 2) whose header carries the line
_NOT_WORD = regex.compile(r"[^\p{L}\p{N}]+")
_LECTURE_NUMBER = regex.compile(
    r"^\s*((?:lecture|lec\.|class|session|lesson|week|chapter|unit|part|module|topic|vorlesung|lektion|"
    r"clase|lección|tema|cours|séance|leçon|лекция|занятие|урок)\s*(?:no\.?|nr\.?|#|№)?\s*\d{1,3}[a-z]?)"
    r"(?![\p{L}\p{N}])",
    regex.IGNORECASE,
)


def _plain(text: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def _size(hint: LineHint | None) -> float:
    return hint.size or 0.0 if hint is not None else 0.0


def header_title(pages: Sequence[PageContent]) -> str:
    """The title slide's name when the role pass found no title on it because the name repeats as the
    deck's running header: the biggest line of slide 1 that the roles set aside (course meta, header) and
    that other pages' headers carry, with its wrapped neighbours when the header carries them too; not a
    course code, an institution, a term, a date, a page number, a credit or a URL. A "Lecture 4" line of
    the slide is added: every lecture of the course has the course's name. "" when there is none."""
    if len(pages) < 3:
        return ""
    first = pages[0]
    lines = first.text.split("\n")
    if len(lines) != len(first.roles):
        return ""
    headers = [  # each later page's header lines, as _plain makes them
        [
            _plain(text)
            for text, role in zip(p.text.split("\n"), p.roles, strict=False)
            if role in HEADER_ROLES
        ]
        for p in pages[1:]
    ]
    need = max(2, math.ceil(REPEAT_SHARE * len(headers)))

    def repeats(text: str) -> bool:
        key = f" {_plain(text)} "
        return key.strip() != "" and sum(any(key in f" {h} " for h in page) for page in headers) >= need

    def plausible(i: int) -> bool:
        text = lines[i].strip()
        return (
            first.roles[i] in HEADER_ROLES
            and _WORD.search(text) is not None
            and not (
                META_CUE.search(text) or DATE.match(text) or PAGE_NUMBER.match(text) or _CODE.match(text)
            )
            and not (is_url(text) or is_credit(text))
        )

    hints = align_hints(lines, first.hints)
    found = [i for i in range(len(lines)) if plausible(i) and repeats(lines[i])]
    if not found:
        return ""
    best = max(found, key=lambda i: (_size(hints[i]), -i))
    run = [best]
    for step in (-1, 1):  # the title's other lines, when the header carries them joined
        while 0 <= (j := run[0 if step < 0 else -1] + step) < len(lines) and plausible(j):
            joined = [j, *run] if step < 0 else [*run, j]
            if not repeats(" ".join(lines[k] for k in joined)):
                break
            run = joined
    name = clean(" ".join(lines[i].strip() for i in run))
    numbers = [m.group(1) for line in lines if (m := _LECTURE_NUMBER.match(line))]
    if numbers and not any(ch.isdigit() for ch in name):
        name = f"{name}, {clean(numbers[0])}"
    return name


def first_slide_title(pages: Sequence[PageContent]) -> str:
    """The title slide's title lines; without any (or when they say no more than "Lecture 4"), its name
    set aside as the running header."""
    if not pages:
        return ""
    found = slide_title(pages[0].text, pages[0].roles)
    if not found or _says_nothing(found):  # none, or "Lecture 4" or "TSKS14" alone: the course's name
        return header_title(pages) or found
    return found


def metadata_title(path: Path, file_type: str) -> str:
    """The title the file itself records (PDF info dictionary, PPTX core properties); "" otherwise."""
    try:
        if file_type == "pdf":
            import pypdfium2

            pdf = pypdfium2.PdfDocument(str(path))
            try:
                return clean(pdf.get_metadata_dict().get("Title"))
            finally:
                pdf.close()
        if file_type == "pptx":
            from pptx import Presentation

            return clean(Presentation(str(path)).core_properties.title)
    except Exception:  # an unreadable header is no reason to fail the lecture: the file name stays
        log.info("no metadata title", exc_info=True)
    return ""


def lecture_title(*, first_slide: str, metadata: str, filename: str) -> str | None:
    """The first acceptable of the title slide's title and the metadata title; None keeps the current."""
    for candidate in (clean(first_slide), clean(metadata)):
        if acceptable(candidate, filename):
            return candidate
    return None
