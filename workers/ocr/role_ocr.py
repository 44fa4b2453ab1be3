"""Line forms that OCR changes: bullets read as other glyphs, and a running footer's pieces read as one line.

A text layer gives a slide's bullets as "•" (or no glyph at all, PPTX); Tesseract reads the same bullet as
"©", "¢", "°", "*", "=", "+", "«", a straight quote or a lone "e", depending on its shape and size. The role
cues then misread the line: "© Confidentiality" is a credit (the copyright sign), "= Exam schedule:" a
formula.
On scanned copies of the dev decks (benchmarks/line_roles_scan.py), 147 of the 390 labelled lines dropped
were content, nearly all "© <item>" lines of a PPTX deck taken as credits.

- ``ocr_bullets``: a glyph OCR makes of a bullet (OCR_BULLETS, or a lone "e" or "c" before a capital) that
  opens prose lines ("<glyph> <Letter>..." with a word of 3+ letters after it) BULLET_PAGE_LINES times on one
  page, or BULLET_DECK_LINES times over BULLET_DECK_PAGES pages of the deck, is a bullet there, and so is any
  other such glyph (but "©") opening a prose line of a page that has bullets so: the role pass reads such
  lines with a "•" instead (the page text is not changed). A glyph opening lines on one page once or twice
  stays what it is ("© 2019 Pearson", "© Springer" under a figure).
- ``date_page_footer``: a line at a page's edge made of a date and a page number only ("2020-04-15 3",
  "12/11/2014 60"; the text layer gave the two as separate lines) is a footer.
- OCR'd lines' hints (from the engine's boxes) keep only the layout classes in OCR_HINT_CLASSES
  (``ocr_hint_classes``), their position and height always.
- ``wrapped_lines``: on a page without classed text-layer line hints (an OCR'd page's are not), a bulleted
  line and the lines that continue it are classified as one line (``join_wrapped``).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace

from workers.ocr.line_cues import (
    DATE,
    PAGE_NUMBER,
    LineHint,
    PageLines,
    is_continuation,
    strip_bullet,
)

OCR_BULLETS = frozenset('©®¢°=+«»"“”„>~')
BULLET_PAGE_LINES = 3
BULLET_DECK_LINES = 5
BULLET_DECK_PAGES = 3
BULLET_AS = "• "
SIBLING_EXCLUDED = frozenset("©")  # a credit under a bulleted slide ("© Springer") keeps its sign
WRAP_MAX_LINES = 3  # a slide's bullet wraps over 2-3 lines; longer runs are prose paragraphs, left as read
WRAP_MAX_WORDS = 40
# The layout classes an OCR'd line's hint keeps for the role pass. Its position and height always count. On
# the scanned dev copies "table" and "figure" helped (macro-F1 0.518 -> 0.581) but on the dev decks read by
# OCR (a typed handout) the layout model boxes whole pages of prose as a table or a figure (0.799 -> 0.771);
# "header"/"footer" made 30 slide titles footers (OCR line heights do not tell a title from a running header).
OCR_HINT_CLASSES = frozenset({"title"})
_OPENING = re.compile(r"^\s*(\S{1,2})\s+(?=[^\W\d_])")
_WORD3 = re.compile(r"[^\W\d_]{3,}")


def _glyph(line: str) -> str:
    """The glyph a line opens with when it could be OCR's reading of a bullet before prose, else ''."""
    found = _OPENING.match(line)
    if not found:
        return ""
    glyph = found.group(1)
    rest = line[found.end() :]
    if not _WORD3.search(rest.split(" ", 2)[0] if glyph.isalpha() else rest):
        return ""  # no prose after it ("= a + b", "e x")
    if all(ch in OCR_BULLETS for ch in glyph):
        return glyph
    if glyph in ("e", "c") and rest[:1].isupper():
        return glyph  # "e Esfuerzos en ...", "c Condiciones ..." (a round bullet read as a letter)
    return ""


def ocr_bullets(pages: Sequence[PageLines]) -> list[PageLines]:
    """The pages as the role pass should read them: lines that open with a glyph OCR made of a bullet get
    "•" in its place (see the module's docstring); pages without such lines are returned as they are."""
    per_page: list[dict[str, list[int]]] = []
    deck_lines: Counter[str] = Counter()
    deck_pages: dict[str, set[int]] = defaultdict(set)
    for p, page in enumerate(pages):
        found: dict[str, list[int]] = defaultdict(list)
        for i, line in enumerate(page.lines):
            glyph = _glyph(line)
            if glyph:
                found[glyph].append(i)
        per_page.append(found)
        for glyph, where in found.items():
            deck_lines[glyph] += len(where)
            deck_pages[glyph].add(p)
    deck = {
        g for g, n in deck_lines.items() if n >= BULLET_DECK_LINES and len(deck_pages[g]) >= BULLET_DECK_PAGES
    }
    out = []
    for page, found in zip(pages, per_page, strict=True):
        sure = {g for g, where in found.items() if g in deck or len(where) >= BULLET_PAGE_LINES}
        if sure:  # a sub-bullet read as another glyph beside them ("° Asset value" among "© ..." items)
            sure |= {g for g in found if g not in SIBLING_EXCLUDED}
        bullets = [i for glyph in sure for i in found[glyph]]
        if not bullets:
            out.append(page)
            continue
        lines = list(page.lines)
        for i in bullets:
            opening = _OPENING.match(lines[i])
            assert opening is not None
            lines[i] = BULLET_AS + lines[i][opening.end() :]
        out.append(replace(page, lines=lines))
    return out


_DATE_PAGE = re.compile(r"^\s*(\S+(?:\s+\S+){0,2}?)\s+(\d{1,4})\s*$|^\s*(\d{1,4})\s+(\S+(?:\s+\S+){0,2})\s*$")


def is_date_page(line: str) -> bool:
    """A date and a page number, in either order, and nothing else ("2020-04-15 3", "60 12/11/2014")."""
    found = _DATE_PAGE.match(line)
    if not found:
        return False
    date, number = (found.group(1), found.group(2)) if found.group(1) else (found.group(4), found.group(3))
    return bool(DATE.match(date)) and bool(PAGE_NUMBER.match(number))


def join_wrapped(pages: Sequence[PageLines]) -> tuple[list[PageLines], list[list[int]]]:
    """The pages with every bulleted line joined with the lines that continue it (``is_continuation``: the
    line above, with no blank line between, did not end a sentence and this one starts in lower case), and for
    each page the joined line each of its lines went into. OCR wraps a slide's paragraph over several lines
    where a PPTX text layer gives it whole; the role cues read a paragraph's first line without its end.
    Only pages whose text-layer hints carry no layout or placeholder class are joined: an OCR'd page's
    hints (``LineHint.ocr``, from the engine's boxes, with the layout class) do not stop it, nor do hints of
    position and size alone."""
    joined_pages: list[PageLines] = []
    maps: list[list[int]] = []
    for page in pages:
        if any(
            h is not None and h.kind and not h.ocr for h in page.hints
        ):  # a text layer's lines (layout/placeholder class); OCR'd lines' classed hints do not count
            joined_pages.append(page)
            maps.append(list(range(len(page.lines))))
            continue
        groups: list[list[int]] = []
        for i, line in enumerate(page.lines):
            if (
                groups
                and i == groups[-1][-1] + 1
                and page.lines[i - 1].strip()
                and strip_bullet(page.lines[groups[-1][0]]) != page.lines[groups[-1][0]].strip()
                and line.strip()[:1].islower()
                and is_continuation(line, page.lines[i - 1])
            ):
                groups[-1].append(i)
            else:
                groups.append([i])
        lines: list[str] = []
        hints: list[LineHint | None] = []
        where: list[int] = []
        for group in groups:
            text = " ".join(page.lines[i].strip() for i in group)
            if len(group) > WRAP_MAX_LINES or len(text.split()) > WRAP_MAX_WORDS:
                parts = [[i] for i in group]  # a paragraph of prose, not a slide's wrapped bullet: as read
            else:
                parts = [group]
            for part in parts:
                lines.append(
                    " ".join(page.lines[i].strip() for i in part) if len(part) > 1 else page.lines[part[0]]
                )
                hints.append(page.hints[part[0]] if part[0] < len(page.hints) else None)
                where.extend([len(lines) - 1] * len(part))
        joined_pages.append(replace(page, lines=lines, hints=hints) if len(lines) < len(page.lines) else page)
        maps.append(where)
    return joined_pages, maps


FOOT_BAND = 0.85  # an OCR'd line starting below this share of the page is no title nor heading


def _for_roles(hint: LineHint | None) -> LineHint | None:
    """An OCR'd line's hint as the role pass reads it: only the classes in OCR_HINT_CLASSES; at the page's
    foot neither class nor height (a logo's big letters read as a line, "ln LINKOPING", called a title)."""
    if hint is None or not hint.ocr:
        return hint
    if hint.top is not None and hint.top >= FOOT_BAND:
        return replace(hint, kind="", size=None) if hint.kind or hint.size else hint
    return replace(hint, kind="") if hint.kind and hint.kind not in OCR_HINT_CLASSES else hint


def ocr_hint_classes(pages: Sequence[PageLines]) -> list[PageLines]:
    """The pages with their OCR'd lines' hints as ``_for_roles`` reads them (text-layer hints as they are)."""
    out = []
    for page in pages:
        hints = [_for_roles(h) for h in page.hints]
        changed = any(a is not b for a, b in zip(hints, page.hints, strict=True))
        out.append(replace(page, hints=hints) if changed else page)
    return out
