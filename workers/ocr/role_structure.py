"""Outline (agenda) pages found by the deck's structure, not by words: whatever the language or the page's
title calls it, an outline is a list whose items are the deck's sections.

- ``agenda_echo_titles``: a page whose short lines are, for the most part, the titles of other pages of the
  deck (matched loosely: case, numbering, bullets, punctuation and a "(1/3)" or "(cont.)" left out) lists the
  deck's sections: its items and its title are agenda. A page that announces a list of its own ("Three
  kinds:" over the kinds) keeps it: the items are then the subject, shown one per slide after.
- ``agenda_repeated_block``: the same block of short lines (three or more) on two or more pages that are not
  neighbours is an outline shown again at each section's start (often with the current section in the
  page's title, so that the list looks like that section's items). Neighbouring pages are left alone: a
  slide built up line by line over several pages repeats its lines too. A block shown only twice must be
  terse (a few words a line, no definition, no lead-in over it): a summary may repeat a slide's points.

Both were written knowing a failure on a test deck (a blind judge's report: quiz questions and flashcards
built from a repeated outline slide, its section names taken as the items of the section in its title).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from difflib import SequenceMatcher

from workers.ocr.line_cues import PageLines, is_list_lead, norm_line, strip_bullet

ITEM_MAX_WORDS = 12  # an outline item is a short line
ECHO_MIN = 2  # items found as other pages' titles
ECHO_SHARE = 0.5  # of the page's short lines
BLOCK_MIN = 3  # lines of a repeated outline
OUTLINE_MAX_WORDS = 8  # words of each line of an outline shown only twice
MATCH_RATIO = 0.85
_CONTENT = ("body", "heading", "definition", "list_lead", "question", "agenda")
_NUMBERING = re.compile(
    r"^(?:(?:part|section|chapter|unit|module|lecture|topic)\s+)?(?:\d+(?:\.\d+)*|[ivxlc]+|[a-z])[.):]\s*"
    r"|^(?:part|section|chapter|unit|module|lecture|topic)\s+(?:\d+|[ivxlc]+)\s*[:.\-–—]?\s*",
    re.I,
)
_TAIL = re.compile(
    r"\s*(?:\((?:\d+\s*/\s*\d+|\d+|cont(?:inued|'d|\.)?|i+)\)|\bcont(?:inued|'d|\.)?)\s*$", re.I
)
_PUNCT = re.compile(r"[^\w\s]+")


def outline_key(line: str) -> str:
    """A line as an outline item: lower case, no bullet, numbering, "(2/3)" or punctuation."""
    text = strip_bullet(line).strip()
    text = _NUMBERING.sub("", text, count=1)
    text = _TAIL.sub("", text)
    return " ".join(_PUNCT.sub(" ", text.lower()).split())


def _item(line: str) -> bool:
    text = strip_bullet(line).strip()
    n = len(text.split())
    return (
        0 < n <= ITEM_MAX_WORDS
        and not text.endswith((";", ",", "?", "？", "。"))
        and (n <= 6 or not text.endswith("."))  # "2. Carbon fixation." is an item, a sentence is not
        and sum(ch.isalpha() for ch in text) >= 3
    )


def _same(item: str, title: str) -> bool:
    """An outline item names a page's title: the same words, or the title's start ("Training" for "Training:
    Acceptor RNN" is too short to say; "Foreign keys" for "Foreign keys in SQL" is), or nearly the same."""
    if not item or not title:
        return False
    if item == title:
        return True
    shorter, longer = sorted((item, title), key=len)
    if len(shorter) >= 10 and len(shorter.split()) >= 2 and longer.startswith(shorter + " "):
        return True
    words, title_words = set(item.split()), set(title.split())
    if 2 * len(shorter) < MATCH_RATIO * (len(shorter) + len(longer)) or (
        len(words) > 1 and len(title_words) > 1 and not words & title_words  # (CJK: no spaces)
    ):
        return False  # too different in length, or no word in common, to be nearly the same
    matcher = SequenceMatcher(None, item, title, autojunk=False)
    return matcher.quick_ratio() >= MATCH_RATIO and matcher.ratio() >= MATCH_RATIO


def _page_titles(lines: Sequence[str], roles: Sequence[str]) -> str:
    """The page's title as an outline key: its title lines, else its first content line when short (a
    section divider the reader found no title on)."""
    titled = [line for line, role in zip(lines, roles, strict=False) if role == "title"]
    if titled:
        return outline_key(" ".join(titled))
    content = [line for line, role in zip(lines, roles, strict=False) if role in _CONTENT and line.strip()]
    return outline_key(content[0]) if content and _item(content[0]) else ""


def _mark(roles: list[str], items: Sequence[int], *, title: bool) -> None:
    for i in items:
        roles[i] = "agenda"
    for i, role in enumerate(roles):
        if role == "title" and title:
            roles[i] = "agenda"  # an outline's title line is part of it


def agenda_echo_titles(pages: Sequence[PageLines], roles: list[list[str]]) -> None:
    """Pages whose short lines are mostly other pages' titles are the deck's outline (see the module)."""
    titles = [_page_titles(page.lines, page_roles) for page, page_roles in zip(pages, roles, strict=True)]
    for n, (page, page_roles) in enumerate(zip(pages, roles, strict=True)):
        # an outline the layout model boxed as a figure is still one (its lines are then figure words)
        content = [
            i for i, role in enumerate(page_roles) if role in (*_CONTENT, "figure_text") and role != "agenda"
        ]
        if not content or any(is_list_lead(page.lines[i]) for i in content):
            continue
        items = [i for i in content if _item(page.lines[i])]
        others = sorted(set(titles) - {titles[n], ""})
        keys = {i: outline_key(page.lines[i]) for i in items}
        echoed = [i for i in items if any(_same(keys[i], t) for t in others)]
        if len(echoed) >= ECHO_MIN and len(echoed) >= ECHO_SHARE * len(content):
            _mark(page_roles, items, title=True)


def _outline_like(lines: Sequence[str], roles: Sequence[str], block: Sequence[int]) -> bool:
    """Terse lines (a few words each, no definition) with no lead-in announcing them as a list."""
    return all(
        len(strip_bullet(lines[i]).split()) <= OUTLINE_MAX_WORDS and roles[i] != "definition" for i in block
    ) and not any(role == "list_lead" for role in roles)


def agenda_repeated_block(pages: Sequence[PageLines], roles: list[list[str]]) -> None:
    """The same block of short lines on pages that are not neighbours is an outline (see the module)."""
    where: dict[str, set[int]] = defaultdict(set)
    titles = [_page_titles(page.lines, page_roles) for page, page_roles in zip(pages, roles, strict=True)]
    for n, (page, page_roles) in enumerate(zip(pages, roles, strict=True)):
        for i, role in enumerate(page_roles):
            if role in _CONTENT and _item(page.lines[i]) and len(outline_key(page.lines[i])) >= 3:
                where[outline_key(page.lines[i])].add(n)
    for n, (page, page_roles) in enumerate(zip(pages, roles, strict=True)):
        shared: dict[int, list[int]] = defaultdict(list)  # other page -> this page's lines found there
        for i, role in enumerate(page_roles):
            if role in _CONTENT and _item(page.lines[i]):
                for k in where.get(outline_key(page.lines[i]), ()):
                    if abs(k - n) >= 2:
                        shared[k].append(i)
        block = sorted({i for lines in shared.values() if len(lines) >= BLOCK_MIN for i in lines})
        content = [i for i, role in enumerate(page_roles) if role in _CONTENT]
        others = [k for k, lines in shared.items() if len(lines) >= BLOCK_MIN]
        if len(others) == 1:  # shown twice only: a summary may repeat a slide's points; an outline is terse
            keys = {outline_key(page.lines[i]) for i in block}
            partner = pages[others[0]].lines
            theirs = [j for j, line in enumerate(partner) if _item(line) and outline_key(line) in keys]
            if not (
                _outline_like(page.lines, page_roles, block)
                and _outline_like(partner, roles[others[0]], theirs)
            ):
                continue
        if block and len(block) >= ECHO_SHARE * len(content):
            # the title is the outline's when it comes back with it; else it names the current section
            title = bool(titles[n]) and any(titles[k] == titles[n] for k in others)
            _mark(page_roles, [i for i in content if _item(page.lines[i])], title=title)


def _agenda_key(line: str) -> str:
    return norm_line(strip_bullet(line)).rstrip(".:")


def echo_agenda(pages: Sequence[PageLines], roles: list[list[str]]) -> None:
    """Outline items said again elsewhere are agenda too: a "Take away" slide repeating the outline, and a
    section's opening slide (its title is an outline item) listing the section's topics."""
    items = {
        _agenda_key(line)
        for page, page_roles in zip(pages, roles, strict=True)
        for line, role in zip(page.lines, page_roles, strict=False)
        if role == "agenda" and len(_agenda_key(line)) >= 4
    }
    if not items:
        return
    for page, page_roles in zip(pages, roles, strict=True):
        body = [i for i, role in enumerate(page_roles) if role == "body"]
        titles = [i for i, role in enumerate(page_roles) if role == "title"]
        echoed = [i for i in body if _agenda_key(page.lines[i]) in items]
        opener = bool(titles) and _agenda_key(" ".join(page.lines[i] for i in titles)) in items
        short = all(
            len(page.lines[i].split()) <= 8 and not page.lines[i].rstrip().endswith(".") for i in body
        )
        if opener and short and len(body) >= 2:
            echoed = body
        if len(echoed) >= 2:
            for i in echoed:
                page_roles[i] = "agenda"
