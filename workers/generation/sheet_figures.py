"""A figure's picture made fit for a cheat sheet: a PNG copy no wider than MAX_FIGURE_PX, not a tiny icon
nor a tall strip that would eat a column, with its height/width ratio; and the pictures of slides whose text
does not reach the sheet (``slide_pictures``)."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from shared.files import FileStore
from shared.text import fold
from workers.generation.candidates import FigureItem, LectureCandidates, clean_title, good_title
from workers.generation.figures import title_label
from workers.generation.sheet_entries import cited_figure, cut_title, figure_boilerplate
from workers.generation.sheet_rules import label
from workers.generation.validity import agenda_title, entry_ok

log = logging.getLogger(__name__)

MAX_FIGURE_PX = 900


def prepare_figure(fig: FigureItem, files: FileStore, workdir: Path) -> tuple[Path, float] | None:
    """A PNG/JPEG copy of the figure small enough for the sheet, and its height/width ratio."""
    from PIL import Image, UnidentifiedImageError

    try:
        src = files.path(fig.figure.image_path)
        with Image.open(src) as img:
            img.load()
            if img.width < 40 or img.height < 40:
                return None
            ratio = img.height / img.width
            if ratio > 1.6:  # a tall strip would eat a column
                return None
            picture = img.convert("RGB") if img.mode not in ("RGB", "L") else img.copy()
        if picture.width > MAX_FIGURE_PX:
            picture = picture.resize((MAX_FIGURE_PX, max(1, round(MAX_FIGURE_PX * ratio))))
        out = workdir / f"figure-{fig.figure.id}.png"
        picture.save(out, format="PNG", optimize=True)
        return out, ratio
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        log.info("figure %s skipped: %r", fig.figure.id, exc)
        return None


@dataclass
class SlidePicture:
    """The main picture of a slide whose text does not reach the sheet, and the words that name it."""

    figure: FigureItem
    image: Path
    ratio: float
    name: str
    page: int


SLIDE_FIGURE_MIN_AREA = 0.12


def slide_pictures(
    lc: LectureCandidates, shown_pages: set[int], files: FileStore, workdir: Path
) -> list[SlidePicture]:
    """For each slide that says what it says in a picture (no text line of that slide reaches the sheet),
    its main figure, named by the slide's title, or by the heading the slide gives its picture when several
    slides share the title (sheet_cover.picture_heading): every slide has its share, not only the first of a
    section."""
    from workers.generation.sheet_captions import caption_fault, content_slide, section_title_only, text_crop
    from workers.generation.sheet_cover import picture_heading

    out: list[SlidePicture] = []
    seen: set[str] = set()
    by_page: dict[int, list[FigureItem]] = {}
    for f in lc.figures:
        by_page.setdefault(f.ref.page, []).append(f)
    titles = Counter(fold(clean_title(s.title)) for s in lc.lecture.slides)
    for slide in lc.lecture.slides:
        page = slide.ref.page
        if page in shown_pages:
            continue
        key = fold(clean_title(slide.title))
        title = label(title_label(clean_title(slide.title)) or "")  # up to a bullet, no cut-off "(M ="
        heading = picture_heading(slide, titles, lc.text_lang)
        name = heading or title
        if heading is None and (not good_title(title) or agenda_title(title)):
            continue
        if not entry_ok("", name) or fold(name) in seen or cut_title(name):
            continue  # boilerplate; named already; cut at a line break, or a question: no caption
        if not content_slide(lc, slide) or (heading is None and section_title_only(slide, titles[key])):
            continue  # the title slide, an outline or closing slide; a section's title over what it lists
        figs = [f for f in by_page.get(page, []) if f.figure.area >= SLIDE_FIGURE_MIN_AREA]
        if any(figure_boilerplate(f.figure.text) for f in by_page.get(page, [])):
            continue  # a footer, credit, logo or book cover among the slide's pictures
        if any(cited_figure(f.text) for f in slide.figures):
            continue  # a book's figure: its caption's strip (not a figure itself) cites its source
        if not figs:
            continue
        fig = max(figs, key=lambda f: f.figure.area)
        if caption_fault(name, fig.figure.text, lc.text_lang) or text_crop(fig.figure.text, slide):
            continue  # a label inside the picture, code, a phrase cut: no heading of the picture
        prepared = prepare_figure(fig, files, workdir)
        if prepared is None:
            continue
        seen.add(fold(name))
        out.append(SlidePicture(fig, prepared[0], prepared[1], name, page))
    return out
