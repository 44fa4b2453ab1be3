"""Outline (agenda) pages found by the deck's structure, not by words: whatever the language or the page's
title calls it, an outline is a list whose items are the deck's sections.

- ``agenda_echo_titles``: a page whose short lines are, for the most part, the titles of other pages of the
  deck (matched loosely: case, numbering, bullets, punctuation and a "(1/3)" or "(cont.)" left out) lists the
  deck's sections: its items and its title are agenda. A page that announces a list of its own ("Three
  kinds:" over the kinds, or titled "The four stages of mitosis", "Types of RNA") keeps it: the items are
  then the subject, shown one per slide after.
- ``agenda_repeated_block``: the same block of short lines (three or more) on two or more pages that are not
  neighbours is an outline shown again at each section's start (often with the current section in the
  page's title, so that the list looks like that section's items). Neighbouring pages are left alone: a
  slide built up line by line over several pages repeats its lines too. A block shown only twice must be
  terse (a few words a line, no definition, no lead-in over it) and name other pages' titles: a summary
  may repeat a slide's points.

Both were written knowing a failure on a test deck (a blind judge's report: quiz questions and flashcards
built from a repeated outline slide, its section names taken as the items of the section in its title).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from difflib import SequenceMatcher

from workers.ocr.line_cues import PageLines, is_list_lead, norm_line, strip_bullet

ITEM_MAX_WORDS = 12  # an outline item is a short line
ITEM_MAX_CHARS = 160  # in characters too (a line of few but very long "words", or of CJK, is no item)
EXTRA_WORDS = 3  # words an item may add to the title it names
FUZZY_CANDIDATES = 16  # titles an item is compared with letter by letter (most words shared first)
FUZZY_BUDGET = 20_000  # such comparisons in a deck (about a second); beyond, items match titles exactly or
# by their start only (a deck of thousands of pages)
ECHO_MIN = 2  # items found as other pages' titles
ECHO_SHARE = 0.5  # of the page's short lines
BLOCK_MIN = 3  # lines of a repeated outline
BLOCK_MAX_PAGES = 60  # pages an outline is shown on at most (each section's start)
OUTLINE_MAX_WORDS = 8  # words of each line of an outline shown only twice
MATCH_RATIO = 0.85
_CONTENT = ("body", "heading", "definition", "list_lead", "question", "agenda")
_NUMBERING = re.compile(
    r"^(?:(?:part|section|chapter|unit|module|lecture|topic)\s+)?(?:\d+(?:\.\d+)*|[ivxlc]+|[a-z])[.):]\s*"
    r"|^(?:part|section|chapter|unit|module|lecture|topic)\s+(?:\d+|[ivxlc]+)\s*[:.\-–—]?\s*",
    re.I,
)
# no leading "\s*": searched from every space of a long run of spaces, it made a long line quadratic (the
# spaces before the tail go with the final split/join of ``outline_key``)
_TAIL = re.compile(r"(?:\((?:\d+\s*/\s*\d+|\d+|cont(?:inued|'d|\.)?|i+)\)|\bcont(?:inued|'d|\.)?)\s*$", re.I)
_PUNCT = re.compile(r"[^\w\s]+")
# a title announcing a list of its own ("The four stages of mitosis", "Types of RNA"), as a lead-in does
_ANNOUNCED = re.compile(
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+(?:\w+\s+)?(?:kinds|types|stages|steps|"
    r"phases|classes|forms|categories|levels|principles|conditions|properties|laws|components)\b"
    r"|\b(?:kinds|types|classes|categories|stages|phases|forms)\s+of\b",
    re.I,
)


def outline_key(line: str) -> str:
    """A line as an outline item: lower case, no bullet, numbering, "(2/3)" or punctuation."""
    text = strip_bullet(line).strip()
    text = _NUMBERING.sub("", text, count=1)
    tail = _TAIL.search(text)
    if tail:
        text = text[: tail.start()]
    return " ".join(_PUNCT.sub(" ", text.lower()).split())


def _item(line: str) -> bool:
    text = strip_bullet(line).strip()
    n = len(text.split())
    return (
        0 < n <= ITEM_MAX_WORDS
        and len(text) <= ITEM_MAX_CHARS
        and not text.endswith((";", ",", "?", "？", "。"))
        and (n <= 6 or not text.endswith("."))  # "2. Carbon fixation." is an item, a sentence is not
        and len(list(itertools.islice((ch for ch in text if ch.isalpha()), 3))) >= 3  # stops at the third
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


class _Titles:
    """The deck's page titles indexed so that an item is compared with the few titles it may name (``_same``)
    instead of every page with every page: exact titles and their word-prefixes by hash, and for the loose
    match only titles of a near length sharing a word with it (or of one word: CJK), at most
    FUZZY_CANDIDATES of them and FUZZY_BUDGET in all. ``named(key)``: up to two distinct titles the key
    names (memoised)."""

    def __init__(self, titles: Sequence[str]) -> None:
        self.titles = sorted(set(titles) - {""})
        self.exact = set(self.titles)
        self.prefixes: dict[str, list[str]] = defaultdict(list)  # a title's start -> titles starting so
        self.by_word: dict[str, set[str]] = defaultdict(set)
        self.one_word: list[str] = []
        for title in self.titles:
            words = title.split()
            for k in range(2, len(words)):
                start = " ".join(words[:k])
                if len(start) > ITEM_MAX_CHARS:
                    break
                if len(start) >= 10 and len(self.prefixes[start]) < 2:
                    self.prefixes[start].append(title)
            if len(words) == 1:
                self.one_word.append(title)
            for word in set(words):
                self.by_word[word].add(title)
        self.memo: dict[str, frozenset[str]] = {}
        self.budget = FUZZY_BUDGET

    def named(self, key: str) -> frozenset[str]:
        if key not in self.memo:
            self.memo[key] = frozenset(self._named(key))
        return self.memo[key]

    def _named(self, key: str) -> list[str]:
        found = [key] if key in self.exact else []
        found += self.prefixes.get(key, []) if len(key.split()) >= 2 else []  # the title starts so
        words = key.split()
        # the item starts with a title and adds a few words ("Light reactions in the thylakoid"); more make a
        # sentence about the section ("Light reactions make ATP and NADPH from water"): a summary's point
        for k in range(max(2, len(words) - EXTRA_WORDS), len(words)):
            start = " ".join(words[:k])
            if len(start) >= 10 and start in self.exact:
                found.append(start)
        if len(set(found)) >= 2:
            return found
        for title in self._candidates(key):
            if title not in found and _same(key, title):
                found.append(title)
                if len(set(found)) >= 2:
                    break
        return found

    def _candidates(self, key: str) -> list[str]:
        """Titles of a near length that share a word with the key (the most shared words first), or that
        are one word (CJK) when the key is one word or the title is."""
        if self.budget <= 0:
            return []
        words = sorted(set(key.split()), key=lambda w: len(self.by_word.get(w, ())))  # rarest words first
        shared: Counter[str] = Counter()
        for word in words:
            postings = self.by_word.get(word, set())
            shared.update([t for t in shared if t in postings])
            room = 2 * FUZZY_CANDIDATES - len(shared)
            if room > 0:
                shared.update(itertools.islice((t for t in postings if t not in shared), room))
        pool = [*shared, *(self.titles if len(words) <= 1 else self.one_word)]
        fits = {t for t in pool if 2 * min(len(t), len(key)) >= MATCH_RATIO * (len(t) + len(key))}
        ranked = sorted(fits, key=lambda t: (-shared[t], abs(len(t) - len(key)), t))[:FUZZY_CANDIDATES]
        if len(ranked) > self.budget:
            ranked = ranked[: self.budget]
        self.budget -= len(ranked)
        return ranked


def agenda_echo_titles(pages: Sequence[PageLines], roles: list[list[str]]) -> None:
    """Pages whose short lines are mostly other pages' titles are the deck's outline (see the module)."""
    titles = [_page_titles(page.lines, page_roles) for page, page_roles in zip(pages, roles, strict=True)]
    index = _Titles(titles)
    for n, (page, page_roles) in enumerate(zip(pages, roles, strict=True)):
        # an outline the layout model boxed as a figure is still one (its lines are then figure words)
        content = [
            i for i, role in enumerate(page_roles) if role in (*_CONTENT, "figure_text") and role != "agenda"
        ]
        title = " ".join(line for line, role in zip(page.lines, page_roles, strict=False) if role == "title")
        if not content or any(is_list_lead(page.lines[i]) for i in content) or _ANNOUNCED.search(title):
            continue
        items = [i for i in content if _item(page.lines[i])]
        need = max(ECHO_MIN, ECHO_SHARE * len(content))
        echoed: list[int] = []
        for m, i in enumerate(items):
            if len(echoed) + len(items) - m < need:
                break  # no outline whatever the rest name
            if page_roles[i] == "definition":
                continue  # "Carbon fixation: RuBisCO adds ...": a summary explains, an outline names
            if index.named(outline_key(page.lines[i])) - {titles[n]}:
                echoed.append(i)
        if len(echoed) >= ECHO_MIN and len(echoed) >= ECHO_SHARE * len(content):
            _mark(page_roles, items, title=True)


def _outline_like(lines: Sequence[str], roles: Sequence[str], block: Sequence[int]) -> bool:
    """Terse lines (a few words each, no definition) with no lead-in announcing them as a list."""
    return all(
        len(strip_bullet(lines[i]).split()) <= OUTLINE_MAX_WORDS and roles[i] != "definition" for i in block
    ) and not any(role == "list_lead" for role in roles)


def _names_sections(index: _Titles, keys: set[str], own: set[str]) -> bool:
    """Lines naming (ECHO_MIN or more) titles of pages other than ``own``: an outline's; a slide's points
    recapped on a summary name no other page."""
    return sum(bool(index.named(key) - own) for key in keys) >= ECHO_MIN


def agenda_repeated_block(pages: Sequence[PageLines], roles: list[list[str]], *, runs: bool = True) -> None:
    """The same block of short lines on pages that are not neighbours is an outline (see the module). With
    ``runs`` (rule ``build_up_runs``), pages that carry a line on every page between them are one slide
    built up over a run of pages, not an outline shown again."""
    where: dict[str, set[int]] = defaultdict(set)
    titles = [_page_titles(page.lines, page_roles) for page, page_roles in zip(pages, roles, strict=True)]
    index = _Titles(titles)
    keys: list[dict[int, str]] = []  # each page's short content lines as outline keys
    for n, (page, page_roles) in enumerate(zip(pages, roles, strict=True)):
        keys.append(
            {
                i: outline_key(page.lines[i])
                for i, role in enumerate(page_roles)
                if role in _CONTENT and _item(page.lines[i])
            }
        )
        for key in keys[n].values():
            if len(key) >= 3:
                where[key].add(n)
    run_start: dict[str, dict[int, int]] = {}  # key -> page -> first page of its run of consecutive pages
    for key, found_on in where.items():
        starts: dict[int, int] = {}
        for k in sorted(found_on):
            starts[k] = starts.get(k - 1, k)
        run_start[key] = starts
    for n, (page, page_roles) in enumerate(zip(pages, roles, strict=True)):
        shared: dict[int, list[int]] = defaultdict(list)  # other page -> this page's lines found there
        for i, key in keys[n].items():
            found = where.get(key, ())
            if len(found) > BLOCK_MAX_PAGES:
                continue  # on that many pages a line is the deck's template, not an outline shown again
            for k in found:
                if abs(k - n) >= 2 and not (runs and run_start[key][k] == run_start[key][n]):
                    shared[k].append(i)
        block = sorted({i for lines in shared.values() if len(lines) >= BLOCK_MIN for i in lines})
        content = [i for i, role in enumerate(page_roles) if role in _CONTENT]
        others = [k for k, lines in shared.items() if len(lines) >= BLOCK_MIN]
        if len(others) == 1:  # shown twice only: a summary may repeat a slide's points; an outline is terse
            block_keys = {keys[n][i] for i in block}
            partner = pages[others[0]].lines
            theirs = [j for j, line in enumerate(partner) if _item(line) and outline_key(line) in block_keys]
            if not (
                _outline_like(page.lines, page_roles, block)
                and _outline_like(partner, roles[others[0]], theirs)
                and _names_sections(index, block_keys, {titles[n], titles[others[0]]})
            ):
                continue
        if block and len(block) >= ECHO_SHARE * len(content):
            # the title is the outline's when it comes back with it; else it names the current section
            title = bool(titles[n]) and any(titles[k] == titles[n] for k in others)
            _mark(page_roles, [i for i in content if _item(page.lines[i])], title=title)


def _agenda_key(line: str) -> str:
    return norm_line(strip_bullet(line)).rstrip(".:")


def agenda_items(pages: Sequence[PageLines], roles: list[list[str]]) -> set[str]:
    """The deck's outline lines so far, as ``echo_agenda`` compares them."""
    return {
        _agenda_key(line)
        for page, page_roles in zip(pages, roles, strict=True)
        for line, role in zip(page.lines, page_roles, strict=False)
        if role == "agenda" and len(_agenda_key(line)) >= 4
    }


def echo_agenda(
    pages: Sequence[PageLines], roles: list[list[str]], *, openers: set[str] | None = None
) -> None:
    """Outline items said again elsewhere are agenda too: a "Take away" slide repeating the outline, and a
    section's opening slide (its title is one of ``openers``, by default any outline item) listing the
    section's topics. Outlines found by structure are lists of other pages' titles: every page they name
    would be an "opening slide", its short bullets taken for topics; ``classify_deck`` passes the items of
    outlines named by words only."""
    items = agenda_items(pages, roles)
    if not items:
        return
    openers = items if openers is None else openers
    for page, page_roles in zip(pages, roles, strict=True):
        body = [i for i, role in enumerate(page_roles) if role == "body"]
        titles = [i for i, role in enumerate(page_roles) if role == "title"]
        echoed = [i for i in body if _agenda_key(page.lines[i]) in items]
        opener = bool(titles) and _agenda_key(" ".join(page.lines[i] for i in titles)) in openers
        short = all(
            len(page.lines[i].split()) <= 8 and not page.lines[i].rstrip().endswith(".") for i in body
        )
        if opener and short and len(body) >= 2:
            echoed = body
        if len(echoed) >= 2:
            for i in echoed:
                page_roles[i] = "agenda"
