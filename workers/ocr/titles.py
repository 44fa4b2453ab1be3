"""A lecture's readable name: the title on its first slide, else the title in the file's own metadata.

Only when it reads like a title: not empty, not the file's name, not what an editor writes by default
("PowerPoint Presentation", "Slide 1", "Microsoft Word - notes.doc"), and with a real word in it. A title the
student typed is never replaced (``Lecture.title_source == "user"``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path

log = logging.getLogger(__name__)

MAX_TITLE = 300
MAX_TITLE_WORDS = 20  # a "title" longer than this is body text the reader could not tell apart
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[^\W\d_]{3,}")
_FILE_NAME = re.compile(r"\.(pdf|pptx?|odp|docx?|key|png|jpe?g|tiff?)$", re.IGNORECASE)
_DEFAULTS = re.compile(
    r"^(?:(?:microsoft )?(?:power ?point|word|keynote)(?: presentation)?(?: - .*)?|presentation ?\d*|"
    r"slide ?\d*|untitled(?: \d+)?|title(?: slide)?|click to (?:add|edit) title|document ?\d*|"
    r"lecture|slides?|new presentation|<?no title>?)$",
    re.IGNORECASE,
)


def clean(text: str | None) -> str:
    return _SPACES.sub(" ", text or "").strip(" -–—:|·•")[:MAX_TITLE].strip()


def acceptable(title: str, filename: str) -> bool:
    """Does ``title`` read like a lecture title (rather than boilerplate or the file name)?"""
    if len(title) < 3 or len(title.split()) > MAX_TITLE_WORDS or not _WORD.search(title):
        return False
    if _DEFAULTS.match(title) or _FILE_NAME.search(title):
        return False
    stem = Path(filename).stem.lower()
    return title.lower() not in {stem, filename.lower()}


def slide_title(text: str, roles: Sequence[str]) -> str:
    """The lines the roles mark as the title on a slide ("" when there are none)."""
    lines = text.split("\n")
    if len(lines) != len(roles):
        return ""
    return clean(" ".join(line.strip() for line, role in zip(lines, roles, strict=True) if role == "title"))


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
