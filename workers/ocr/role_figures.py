"""Figure words by form, issue 12 (read from the dev decks' figure lines only): a figure's axis ticks are
figure words even where they look like a page number or a table row, a line the layout model boxed in a
figure but set as tall as the page's title is a heading (or the title's wrapped end), not a label, and a
slide's short free text box on a slide with a picture is one of the picture's labels. Each rule has a name
in ``role_rules.RULES`` and can be switched off:

- ``tick_labels``: lines of a figure's box made only of numbers ("40", "0", "10-2", "-10 0 10 20 30"), when
  the box holds TICK_MIN or more of them, are the chart's tick labels: figure words, also where the page
  rules called one a page number (a footer) or a numeric row (a table). A lone page number is no ladder,
  and a page whose figure the reader dropped (a whole-page "figure") keeps its number rows as they are.
- ``figure_size``: a line of a figure's box (text layer) at least FIGURE_HEADING_SHARE as tall as the
  page's title above it and starting at most TITLE_GAP under it is set as a heading, not as a label: the
  title's wrapped end when it goes on in lower case right under the title, a heading when it is shaped like
  one, else body. The title here: a line the roles or the layout call a title, a layout "header" (the roles
  may have taken it for a running header), or the page's first kept line when it starts in the top
  TITLE_BAND.
- ``free_box_labels``: on a slide whose placeholders carry no position (PowerPoint: python-pptx gives
  positions only to free shapes) and that holds a picture, a free text box's short line (FREE_LABEL_WORDS
  words or fewer, not a lead-in, not a bullet; one or two such lines in a row, FREE_LABEL_RUN: more are a
  list set in a text box) is one of the picture's labels or callouts. The reader marks
  such lines "figure" only near a picture; a label set farther off (under a picture's caption area, between
  two pictures) kept no class.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from workers.ocr.line_cues import DROPPED, LineHint, PageLines, is_continuation, is_list_lead, strip_bullet

__all__ = ["figure_words", "tick_lines"]

TICK_MIN = 3  # number-only lines of a figure's box that make an axis (a lone number is a page number)
FIGURE_HEADING_SHARE = 0.75  # a figure-box line this share as tall as the page's title is no label
TITLE_GAP = 0.15  # ... and starting at most this share of the page's height under it
TITLE_BAND = 0.25  # the page's first line starting above this share of its height sets its title's size
FREE_LABEL_WORDS = 6  # a free text box's line of at most this many words is a label (the reader's own bound)
FREE_LABEL_RUN = 2  # more short free-box lines in a row than this are a list, not labels
HEADING_MAX_WORDS = 8

# "40", "-10", "0.5", "10-2" (10⁻² with its exponent read flat), "-10 0 10 20 30", "25%"
_TICK = re.compile(r"^[-+−–]?\d+(?:[.,]\d+)?%?(?:\s*[-−–]\s*\d+)?(?:\s+[-+−–]?\d+(?:[.,]\d+)?%?)*$")


def _hint(page: PageLines, i: int) -> LineHint | None:
    return page.hints[i] if i < len(page.hints) else None


def tick_lines(page: PageLines, nonblank: Sequence[int]) -> list[int]:
    """The page's lines in a figure's box that are only numbers, when there are TICK_MIN or more of them."""
    found = [
        i
        for i in nonblank
        if (hint := _hint(page, i)) is not None
        and hint.kind == "figure"
        and len(page.lines[i].strip()) <= 40
        and _TICK.match(page.lines[i].strip())
    ]
    return found if len(found) >= TICK_MIN else []


def _placeholder_slide(page: PageLines) -> bool:
    """A PowerPoint slide as the reader hints it: a placeholder's line has its class and no position."""
    return any(
        h is not None and h.kind in ("title", "body", "subtitle") and h.top is None for h in page.hints
    )


def _heading_shape(text: str) -> bool:
    body = text.strip()
    return (
        strip_bullet(body) == body
        and 0 < len(body.split()) <= HEADING_MAX_WORDS
        and not body.endswith((".", ",", ";", "?", ":", "："))
        and body[:1].isupper()
    )


def _title_sizes(
    page: PageLines, roles: list[str], content: Sequence[int]
) -> list[tuple[float, float, float]]:
    """(top, bottom, height) of the page's title lines: a line the roles or the layout call a title, a layout
    "header" (the roles may have taken it for a running header), the first kept line in the TITLE_BAND."""
    kept = [i for i in content if roles[i] not in DROPPED]
    first = kept[0] if kept else -1
    return [
        (h.top, h.bottom if h.bottom is not None else h.top, h.size)
        for i in content
        if (h := _hint(page, i)) is not None
        and h.top is not None
        and h.size
        and (roles[i] == "title" or h.kind in ("title", "header") or (i == first and h.top < TITLE_BAND))
    ]


def _figure_size(page: PageLines, roles: list[str], content: Sequence[int]) -> None:
    if _placeholder_slide(page):
        return  # a text box's "size" is its box's height over its lines, not its letters'
    titles = _title_sizes(page, roles, content)
    previous = -1
    for i in content:
        hint = _hint(page, i)
        if (
            titles
            and roles[i] == "figure_text"
            and hint is not None
            and hint.kind == "figure"
            and not hint.ocr
            and hint.top is not None
            and hint.size
        ):
            above = [t for t in titles if t[0] < hint.top]
            tallest = max(above, key=lambda t: t[2]) if above else None
            if (
                tallest is not None
                and hint.size >= FIGURE_HEADING_SHARE * tallest[2]
                and hint.top - tallest[1] <= TITLE_GAP
            ):
                text = page.lines[i]
                if (
                    previous >= 0
                    and roles[previous] == "title"
                    and is_continuation(text, page.lines[previous])
                ):
                    roles[i] = "title"  # "... si la viga estuviera hecha con" + "concreto reforzado"
                elif _heading_shape(text):
                    roles[i] = "heading"
                else:
                    roles[i] = "body"
        if roles[i] not in DROPPED:
            previous = i


def _free_box_labels(page: PageLines, roles: list[str], content: Sequence[int]) -> None:
    """Short lines of free text boxes on a slide with a picture, one or two in a row: labels. Three or more
    in a row are a list in a text box (a slide's bullets set outside the placeholder; session 18 review)."""
    if not page.has_figures or not _placeholder_slide(page):
        return
    runs: list[list[int]] = []
    for n, i in enumerate(content):
        hint = _hint(page, i)
        text = page.lines[i].strip()
        if (
            roles[i] == "body"
            and hint is not None
            and not hint.kind
            and not hint.ocr
            and hint.top is not None
            and 0 < len(text.split()) <= FREE_LABEL_WORDS
            and strip_bullet(text) == text
            and not is_list_lead(text)
            and not text.endswith((":", "："))
        ):
            if runs and runs[-1][-1] == content[n - 1]:
                runs[-1].append(i)
            else:
                runs.append([i])
    for run in runs:
        if len(run) <= FREE_LABEL_RUN:
            for i in run:
                roles[i] = "figure_text"


def figure_words(
    page: PageLines, roles: list[str], nonblank: Sequence[int], rules: frozenset[str] | set[str]
) -> None:
    """The figure rules above, on a page whose roles are otherwise assigned (``nonblank``: its lines)."""
    content = [i for i in nonblank if roles[i]]
    if "tick_labels" in rules and page.has_figures:  # no figure kept: its box's lines are the page's text
        for i in tick_lines(page, nonblank):
            if roles[i] in ("body", "footer", "table", "formula", "heading"):
                roles[i] = "figure_text"
    if "figure_size" in rules:
        _figure_size(page, roles, content)
    if "free_box_labels" in rules:
        _free_box_labels(page, roles, content)
