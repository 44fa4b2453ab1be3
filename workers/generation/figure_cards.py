"""Figure cards: which figure a card may show, and what it asks.

- A figure with a caption of its own is asked "What does the figure on “<title>” show?" and answered by the
  caption (figures.figure_card_answer).
- A figure without any caption is answered by its slide's title, under strict conditions
  (``title_answer``): the figure is the slide's main content (its one picture, at least MAIN_AREA of the
  slide, no other but a logo, few words of text beside it), not on the title slide; the title names a
  concept: not a generic word ("Example", "Key intuition"), an agenda, a worked example, a course code, a
  question or a formula; no picture of the slide prints a caption of its own ("Fig. 3-12 ...": a scanned
  book's figure, which the title does not name), nor the title (the front would give its answer away). Its
  front does not name the slide: "Which concept of the lecture does this figure show?". One card per title.
- A card shows its picture only when a student can see it (``Pictures``): the file exists and is an image a
  browser shows (a PPTX's WMF/EMF drawing is not, nor a crop that failed); the same picture on several slides
  gives one card. A picture's header is read before its pixels: a decompression bomb or a damaged file is
  no picture a student can see (the card is not made; the job goes on).
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

from shared.text import content_tokens, fold, words
from workers.generation.candidates import clean_title, good_title
from workers.generation.cardrules import readable
from workers.generation.figures import figure_card_answer, title_label
from workers.generation.i18n import t
from workers.generation.structure import worked_case
from workers.generation.validity import agenda_title, boilerplate_reason, fragment_reason, generic_label

if TYPE_CHECKING:
    from shared.files import FileStore
    from workers.generation.candidates import FigureItem, LectureCandidates
    from workers.generation.material import Slide

MAIN_AREA = 0.25  # the picture covers at least this share of its slide
OTHER_AREA = 0.05  # no other picture of the slide covers this share of it (a logo may)
MAX_TEXT_WORDS = 12  # words of the slide's text beside its title: more, and the text is the content
MAX_TITLE_WORDS = 8
SHOWN_FORMATS = frozenset({"PNG", "JPEG", "GIF", "WEBP"})  # what a browser and Anki show
THUMB_SIDE = 256  # a picture's digest is taken of a thumbnail this size at most (and of its full size)
_MARK = re.compile(r"(?:^|\s)(?:fig(?:ure|ura)?\.?|рис(?:унок|\.)?|图|圖)\s*\d", re.I)
_EXAMPLE = re.compile(r"\b(?:examples?|ejemplos?|примеры?|exemples?)\b|例", re.I)
_CODE = re.compile(r"\b[A-Z]{2,5}[- ]?\d{2,4}\b")
_QUESTION = re.compile(r"^(?:why|how|what|which|when|who|por\s*qué|cómo|qué|почему|как|что)\b|[?？]", re.I)
_MATH = re.compile(r"[=<>≤≥∑∫^_]|[\U0001d400-\U0001d7ff]")


def figure_card(f: FigureItem, lc: LectureCandidates, slide: Slide | None) -> tuple[str, str] | None:
    """(front, back) of the card that shows figure ``f``, or None."""
    lang = lc.text_lang
    answer = figure_card_answer(f, slide, lang)  # its own caption, not words read off the picture
    if answer:
        where = t(lc.lang, "figure_where", title=slide.title) if slide and good_title(slide.title) else ""
        return t(lc.lang, "figure_q", where=where), answer
    titled = title_answer(f, lc, slide)
    return (t(lc.lang, "figure_title_q"), titled) if titled else None


def title_answer(f: FigureItem, lc: LectureCandidates, slide: Slide | None) -> str | None:
    """The slide's title as the answer to "which concept does this figure show?", or None."""
    if slide is None or slide.ref.page == 1:
        return None
    fig = f.figure
    if any(o.id == fig.id and o.caption.strip() for o in slide.figures):
        return None  # a caption that names nothing (a credit, a URL, "Figure 3."): a picture from elsewhere
    if f.labelled or any(_MARK.search(o.text) for o in slide.figures):
        return None  # the picture prints a caption of its own ("Fig. 3-12 ..."): not what the title names
    if fig.area < MAIN_AREA or any(o.id != fig.id and o.area >= OTHER_AREA for o in slide.figures):
        return None  # not the slide's one picture: a title names one thing, a book's page shows several
    body = [x for x in slide.text.split("\n") if x.strip() and fold(x) != fold(slide.title)]
    if len(words(" ".join(body))) > MAX_TEXT_WORDS:
        return None  # the slide says its content in words: the picture illustrates them
    title = title_label(clean_title(slide.title))
    if not title or not concept_title(title, lc.text_lang):
        return None
    same = [s for s in lc.lecture.slides if fold(clean_title(s.title)) == fold(clean_title(slide.title))]
    if len([s for s in same if s.figures]) > 1:
        return None  # several pictures under one title: which one it names is not clear
    mine = set(content_tokens(title, lc.text_lang))
    inside = set(content_tokens(fig.text, lc.text_lang))
    if mine and len(mine & inside) >= 0.5 * len(mine):
        return None  # the picture prints its answer
    return title


def concept_title(title: str, lang: str) -> bool:
    """A slide title that names a concept a student can recall from a picture."""
    n = len(words(title))
    if not 1 <= n <= MAX_TITLE_WORDS or not good_title(title) or agenda_title(title) or generic_label(title):
        return False
    if boilerplate_reason(title) or fragment_reason(title) or worked_case(title) or _EXAMPLE.search(title):
        return False
    if (
        _CODE.search(title)
        or _QUESTION.search(title)
        or _MATH.search(title)
        or any(c.isdigit() for c in title)
    ):
        return False
    return readable(title, lang)


class Pictures:
    """What a card may show: a picture a student can see, each picture once."""

    def __init__(self, files: FileStore | None, paths: dict[int, str]) -> None:
        self.files = files
        self.paths = paths  # figure id -> its image's storage key
        self._digests: dict[int, str | None] = {}
        self.shown: set[str] = set()

    def digest(self, figure_id: int) -> str | None:
        """A digest of the picture's pixels, None when it cannot be shown."""
        if figure_id not in self._digests:
            self._digests[figure_id] = self._read(figure_id)
        return self._digests[figure_id]

    def _read(self, figure_id: int) -> str | None:
        """The digest of a small thumbnail of the picture (and of its size), None when it cannot be shown:
        not a file, not a format a browser shows, tiny, damaged, or larger than shared.files'
        MAX_IMAGE_PIXELS (a decompression bomb: refused from its header, before any pixel is decoded)."""
        from PIL import Image, UnidentifiedImageError

        from shared.errors import AppError
        from shared.files import image_size

        key = self.paths.get(figure_id)
        if not key or self.files is None:
            return None
        try:
            path = self.files.path(key)
            if not path.is_file():
                return None
            width, height = image_size(path)  # IMAGE_TOO_LARGE / IMAGE_CORRUPT from the header alone
            if Image.MAX_IMAGE_PIXELS and width * height > Image.MAX_IMAGE_PIXELS:
                return None  # over Pillow's own bound, where it warns of a bomb (DecompressionBombWarning)
            with Image.open(path) as img:
                if img.format not in SHOWN_FORMATS or img.width < 16 or img.height < 16:
                    return None
                img.draft("RGB", (THUMB_SIDE, THUMB_SIDE))  # a JPEG is decoded at a reduced scale
                img.thumbnail((THUMB_SIDE, THUMB_SIDE))
                pixels = img.convert("RGB").tobytes()
        except (
            AppError,
            Image.DecompressionBombError,
            Image.DecompressionBombWarning,
            UnidentifiedImageError,
            OSError,
            SyntaxError,
            ValueError,
        ):
            return None  # the card is not made; the job goes on
        return hashlib.sha1(f"{width}x{height}:".encode() + pixels, usedforsecurity=False).hexdigest()

    def admit(self, figure_id: int | None) -> bool:
        """The card may be made: it shows no picture, or one that can be shown and no card showed yet."""
        if figure_id is None or self.files is None:
            return True  # no store to look in (a caller that shows no pictures)
        digest = self.digest(figure_id)
        if digest is None or digest in self.shown:
            return False
        self.shown.add(digest)
        return True
