"""Repeated lines that OCR changes from page to page: running headers/footers and watermarks found by
near-identity, not exact repetition.

On OCR'd pages the same footer comes out differently on each page ("Ma55achusetts lnstitute", a letter lost
or doubled, split in two or glued to a neighbour), so ``roles.repeated_keys``'s exact keys miss it. Here a
line is folded (OCR's confusable characters to one letter, doubled letters single, punctuation and spaces
out, digits one '#') and lines are clustered by ``SequenceMatcher`` ratio >= FUZZY_RATIO across pages:

- at a page's edge (the top/bottom band or first/last lines), a cluster on REPEAT_SHARE of the pages (and at
  least 3) is a running header/footer; two edge lines that joined are alike to it (a split) are one too,
  but on the first two pages (a title slide's name and course lines are its meta);
- anywhere on the page, a short line (<= WATERMARK_WORDS words) whose cluster is on ANYWHERE_SHARE of the
  pages is a stamp or watermark (footer at the edge, meta elsewhere).

Guards (``repeat_runs``), for both and for the exact repeats (``continued_run``): a line found only on one run
of consecutive pages covering less than half the deck (a slide title continued over a section, the bullets of
a build-up or recap) is content, not a running line; so are lines the same but for numbers inside them
that differ on most pages ("Proof 1 relies on ...", "Proof 2 relies on ..."), and a cluster whose lines open
with two or more different section numbers ("4.9.1. Interpretación ...", "4.9.2. Interpretación ...").
Such lines may still be running lines by an exact key. A cluster where most members have another word in
place of one of its rep's is lines of one template, content ("Worked example with {stacks, trees}", CJK lines
one character apart), not OCR noise, which changes a word on some pages only.

Every file is hostile, so the cost is bounded: ``fold`` is linear; a line folding to more than FUZZY_MAX_CHARS
is never compared; identical keys skip ``alike``; a trigram on more than STOP_GRAM clusters does not vote; a
deck with more than FUZZY_BUDGET_LINES comparable lines gets no fuzzy marks (logged; exact repeats apply).
"""

from __future__ import annotations

import heapq
import logging
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from difflib import SequenceMatcher

from workers.ocr.line_cues import LineHint, PageLines, edge_key, strip_end_numbers

FUZZY_RATIO = 0.8  # folded lines this alike are one line (chosen on footer_noise.py damage runs, dev)
FUZZY_GAP = 4  # at most this many folded characters differ in one place (or FUZZY_GAP_SHARE of the line)
FUZZY_GAP_SHARE = 0.2
FUZZY_MIN_CHARS = 10  # folded characters a line needs to be compared at all
WATERMARK_WORDS = 8
REPEAT_SHARE = 0.3
ANYWHERE_SHARE = 0.5
ANYWHERE_MIN = 4
CANDIDATES = 8  # clusters, most trigrams shared first, a line is compared with
VOTING_GRAMS = 12  # a line's rarest trigrams that find its candidate clusters (speed on long decks)
RUN_SHARE = 0.5  # a run of consecutive pages shorter than this share of the deck is a continued section
# bounds, every file being hostile: running lines are short, so a longer line is never compared (difflib is
# quadratic in length); a trigram on more clusters than STOP_GRAM names none; a deck with more comparable
# lines than FUZZY_BUDGET_LINES gets no fuzzy marks (exact repeats still apply)
FUZZY_MAX_CHARS = 200
STOP_GRAM = 64
FUZZY_BUDGET_LINES = 20_000
TEMPLATE_SHARE = 0.5  # a cluster whose members have a word replaced more often is a template's lines
WORD_RATIO = 0.7  # a word this alike to one of the rep's is the same word OCR changed
CJK_GAP = 2  # folded characters a CJK line may differ by in one place (a CJK character is a word)
CJK_WORD_CHARS = 2  # CJK characters counted as one word (WATERMARK_WORDS)

log = logging.getLogger(__name__)

_FOLD = str.maketrans({"i": "l", "|": "l", "!": "l", "c": "e", "u": "v"})
_DIGIT_AS_LETTER = str.maketrans({"1": "l", "0": "o", "5": "s", "8": "b", "9": "g"})
_IN_WORD = re.compile(r"(?<=[^\W\d_])\d+|(?<!\d)\d+(?=[^\W\d_])")  # digits touching a letter: "Ma55achusetts"
_PAIRS = (("rn", "m"), ("cl", "d"), ("vv", "w"))
_DIGITS = re.compile(r"\d+")
_DROP = re.compile(r"[^\w#]+|_")
_RUNS = re.compile(r"(.)\1+")
_NUMBER = re.compile(r"\d+")
_SECTION = re.compile(r"^\s*(\d+(?:\.\d+)+)\.?\s")  # "4.9.2. Interpretación ..."


def _marks_only(found: re.Match[str]) -> str:
    return "".join(ch for ch in found.group() if unicodedata.category(ch).startswith("M"))


def fold(line: str) -> str:
    """The line as OCR's variants of it agree: "Ma55achusetts lnstitute 7" -> "masaehvsetslnstltvte"
    (confusable letters one letter, digits inside a word the letter they stand for, other digits '#')."""
    text = _IN_WORD.sub(lambda m: m.group().translate(_DIGIT_AS_LETTER), line.strip().lower())
    text = text.translate(_FOLD)
    for a, b in _PAIRS:
        text = text.replace(a, b)
    text = _DIGITS.sub("#", text)
    text = _DROP.sub(_marks_only, text)  # combining marks stay: Devanagari's vowel signs and viramas
    text = _RUNS.sub(r"\1", text)
    return text.strip("#")


_AS_DIGIT = str.maketrans(
    {"o": "0", "O": "0", "l": "1", "I": "1", "i": "1", "|": "1", "S": "5", "s": "5", "B": "8"}
)
_NUMERIC_TOKEN = re.compile(r"(?<!\S)(?=[^\s]*\d)[\doOlIi|SsB/.,:\-–]+(?=\s|$)")


def digits_restored(line: str) -> str:
    """OCR's letters put back as digits in a token of digits ("1O/25/2O22 l2" -> "10/25/2022 12"); a token
    with any other letter ("TSKS14", "DS5110") stays as it is."""
    return _NUMERIC_TOKEN.sub(lambda m: m.group().translate(_AS_DIGIT), line)


def numeric_key(line: str) -> str:
    """``edge_key`` of the line with its digit tokens restored: "1O/25/2022 3" and "10/25/2022 4" agree."""
    return edge_key(digits_restored(line))


def _grams(text: str) -> set[str]:
    return {text[i : i + 3] for i in range(max(len(text) - 2, 1))}


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def _is_cjk(text: str) -> bool:
    return len(_CJK.findall(text)) * 2 > len(text)


def words(line: str) -> int:
    """Words of the line, CJK_WORD_CHARS CJK characters (written without spaces) counted as one."""
    cjk = len(_CJK.findall(line))
    return len(_CJK.sub(" ", line).split()) + -(-cjk // CJK_WORD_CHARS)


def alike(a: str, b: str, ratio: float | None = None, *, gap_share: float | None = None) -> bool:
    if a == b:
        return True
    limit = FUZZY_RATIO if ratio is None else ratio
    share = FUZZY_GAP_SHARE if gap_share is None else gap_share
    if min(len(a), len(b)) < limit * max(len(a), len(b)) or max(len(a), len(b)) > 2 * FUZZY_MAX_CHARS:
        return False
    gap = CJK_GAP if _is_cjk(a) or _is_cjk(b) else max(FUZZY_GAP, share * min(len(a), len(b)))
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < limit or matcher.quick_ratio() < limit or matcher.ratio() < limit:
        return False
    # OCR changes a few characters at a time; a whole word replaced ("Hint: start from the bounds", "... the
    # class") is another line made from one template
    return all(max(i2 - i1, j2 - j1) <= gap for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal")


_TOKEN = re.compile(r"[^\W_]+")


def _tokens(line: str) -> Counter[str]:
    # a short capital token stays as it is ("part A", "part C": whole words); the rest lower case
    found = _TOKEN.findall(_CJK.sub(lambda m: f" {m.group()} ", line))
    return Counter(t if len(t) < 3 and t.isupper() else t.lower() for t in found if not t.isdigit())


def _word(token: str) -> bool:
    """A word that a template may replace: not a number or code, which OCR changes ("202o", "TSKS14")."""
    if any(ch.isdigit() for ch in token):
        return False
    return len(token) >= 3 or token.isupper() or bool(_CJK.match(token))


def _similar(a: str, b: str) -> bool:
    fa, fb = fold(a), fold(b)
    if fa == fb or (min(len(fa), len(fb)) >= 2 and (fa in fb or fb in fa)):
        return True
    return not _CJK.match(a) and SequenceMatcher(None, fa, fb, autojunk=False).ratio() >= WORD_RATIO


def replaced_words(line: str, rep: str) -> set[str]:
    """The rep's words that ``line`` has another word in place of ("Worked example with trees" for "... with
    stacks": {"stacks"}; a CJK character is a word); not a word OCR changed (a letter changed, lost or
    doubled, two words glued or one split)."""
    left, right = _tokens(line) - _tokens(rep), _tokens(rep) - _tokens(line)
    whole = [t for t in left if _word(t)]
    if not whole or len(left) + len(right) > 12:
        return set()
    return {r for r in right if _word(r) and not any(_similar(t, r) for t in left)}


class _Clusters:
    """Greedy clusters of folded lines; a trigram index finds the candidates, identical keys skip it."""

    def __init__(self) -> None:
        self.reps: list[str] = []
        self.rep_lines: list[str] = []
        self.pages: list[set[int]] = []
        self.sections: list[set[str]] = []  # the members' section numbers ("4.9.1", "4.9.2")
        self.numbers: list[Counter[str]] = []  # the members' numbers inside the line ("Point 2 about")
        self.members: list[int] = []
        self.replaced: list[Counter[str]] = []  # the rep's words members have another in place of
        self.index: dict[str, set[int]] = defaultdict(set)
        self.exact: dict[str, int] = {}

    def add(self, key: str, page: int, line: str = "") -> int:
        c = self.exact.get(key)
        if c is None:
            c = self.find(key)
        if c is None:
            c = self.new(key, line)
        self.exact.setdefault(key, c)
        self.pages[c].add(page)
        self.members[c] += 1
        if key != self.reps[c]:
            self.replaced[c].update(replaced_words(line, self.rep_lines[c]))
        self._section(c, line)
        return c

    def new(self, key: str, line: str = "") -> int:
        """A new cluster of rep ``key`` (no member yet)."""
        c = len(self.reps)
        self.reps.append(key)
        self.rep_lines.append(line)
        self.pages.append(set())
        self.sections.append(set())
        self.numbers.append(Counter())
        self.members.append(0)
        self.replaced.append(Counter())
        for gram in _grams(key):
            self.index[gram].add(c)
        return c

    def find(self, key: str, gap_share: float | None = None) -> int | None:
        posted = ((len(self.index[g]), g) for g in _grams(key) if g in self.index)
        # the key's rarest trigrams vote: common ones name many clusters, tell little; stop-grams none
        rare = heapq.nsmallest(VOTING_GRAMS, (x for x in posted if x[0] <= STOP_GRAM))
        votes: Counter[int] = Counter()
        for _, gram in rare:
            votes.update(self.index[gram])
        least = 0.3 * len(rare)
        eligible = ((v, -c) for c, v in votes.items() if v >= least)
        for _, c in heapq.nlargest(CANDIDATES, eligible):  # ties: the older cluster
            if alike(key, self.reps[-c], gap_share=gap_share):
                return -c
        return None

    def templated(self, c: int) -> bool:
        """Most members have another word in place of one of the rep's: lines of one template ("Worked
        example with {stacks, trees, ...}"), not OCR noise (which changes a word on some pages only)."""
        return any(n > TEMPLATE_SHARE * self.members[c] for n in self.replaced[c].values())

    def _section(self, c: int, line: str) -> None:
        self.numbers[c][" ".join(_NUMBER.findall(strip_end_numbers(line)))] += 1
        found = _SECTION.match(line)
        if found:
            self.sections[c].add(found.group(1))


def numbered_content(numbers: Counter[str]) -> bool:
    """The numbers inside a cluster's lines (one string per line) differ on most of them: "Proof 1 relies
    on ...", "Proof 2 relies on ..." are content made from a template. OCR changes a digit here and there
    ("2020-04-15" -> "2020-o4-115"), so a line sharing a number with the commonest numbers agrees."""
    if len(numbers) <= 1:
        return False
    common = set(max(numbers, key=lambda k: numbers[k]).split())
    agree = sum(n for k, n in numbers.items() if set(k.split()) == common or set(k.split()) & common)
    return agree < 0.5 * sum(numbers.values())


def continued_run(pages: Iterable[int], deck_pages: int) -> bool:
    """Pages that form one run of consecutive pages covering less than RUN_SHARE of the deck: a section's
    title continued over its slides, a build-up's bullets, not a running header."""
    found = sorted(set(pages))
    return bool(found) and found[-1] - found[0] + 1 == len(found) and len(found) < RUN_SHARE * deck_pages


def fuzzy_marks(
    pages: Sequence[PageLines], edges: Sequence[set[int]], *, guard: bool = True
) -> list[dict[int, str]]:
    """Per page, line index -> role ("footer" at an edge, "meta" elsewhere) for lines repeated by near
    identity. ``edges``: each page's edge line indices (top/bottom band or first/last lines)."""
    n = len(pages)
    out: list[dict[int, str]] = [{} for _ in pages]
    if n < 3:
        return out
    folded = [dict(enumerate(map(fold, page.lines))) for page in pages]
    keys = [{i: k for i, k in f.items() if FUZZY_MIN_CHARS <= len(k) <= FUZZY_MAX_CHARS} for f in folded]
    if sum(map(len, keys)) > FUZZY_BUDGET_LINES:
        log.info(
            "fuzzy repeats skipped: %d lines to compare (budget %d)", sum(map(len, keys)), FUZZY_BUDGET_LINES
        )
        return out
    edge_clusters, any_clusters = _Clusters(), _Clusters()
    edge_of: list[dict[int, int]] = []
    any_of: list[dict[int, int]] = []
    for p, page in enumerate(pages):
        e_map, a_map = {}, {}
        for i, key in keys[p].items():
            line = page.lines[i]
            if i in edges[p]:
                e_map[i] = edge_clusters.add(key, p, line)
            if words(line) <= WATERMARK_WORDS:
                a_map[i] = any_clusters.add(key, p, line)
        edge_of.append(e_map)
        any_of.append(a_map)
    edge_min = max(3, int(n * REPEAT_SHARE + 0.999))
    any_min = max(ANYWHERE_MIN, int(n * ANYWHERE_SHARE + 0.999))

    def running(clusters: _Clusters, c: int, least: int) -> bool:
        found = clusters.pages[c]
        if len(found) < least or (guard and continued_run(found, n)):
            return False
        if not guard:
            return True
        if numbered_content(clusters.numbers[c]) or clusters.templated(c):
            return False
        return len(clusters.sections[c]) < 2  # numbered sections' titles are content

    edge_ok = {c for c in range(len(edge_clusters.reps)) if running(edge_clusters, c, edge_min)}
    any_ok = {c for c in range(len(any_clusters.reps)) if running(any_clusters, c, any_min)}
    running_reps = _Clusters()  # the running lines' reps, indexed: a split line is compared with a few
    for c in sorted(edge_ok):
        running_reps.new(edge_clusters.reps[c])
    for p, page in enumerate(pages):
        for i, c in edge_of[p].items():
            if c in edge_ok:
                out[p][i] = "footer"
        for i in sorted(edges[p]) if p > 1 else ():  # a title slide's name + course lines are its meta
            if i in out[p] or i + 1 in out[p] or i + 1 >= len(page.lines) or i + 1 not in edges[p]:
                continue  # a line beside a running line is not half of it
            halves = fold(page.lines[i]), fold(page.lines[i + 1])
            joined = fold(f"{page.lines[i]} {page.lines[i + 1]}")
            if min(map(len, halves)) < 3 or len(joined) > FUZZY_MAX_CHARS:
                continue
            if running_reps.find(joined, gap_share=0) is not None:
                out[p][i] = out[p][i + 1] = "footer"  # a running line OCR split in two
        for i, c in any_of[p].items():
            if c in any_ok and i not in out[p]:
                out[p][i] = "footer" if i in edges[p] else "meta"
    return out


def apply_marks(
    page: PageLines,
    roles: list[str],
    nonblank: Sequence[int],
    marks: dict[int, str],
    *,
    big: Callable[[LineHint | None], bool],
) -> None:
    """Give ``fuzzy_marks``'s roles to the page's lines that have none yet; title-class and big lines stay,
    and a page is never left with nothing (its only lines are then its content)."""
    found = []
    for i, role in marks.items():
        hint = page.hints[i] if i < len(page.hints) else None
        if roles[i] or (hint is not None and hint.kind in ("title", "subtitle")) or big(hint):
            continue
        found.append((i, role))
    left = sum(1 for i in nonblank if not roles[i])
    if not found or len(found) == left:  # footer or meta, they would empty the page
        return
    for i, role in found:
        roles[i] = role


def is_repeated(key: str, repeated: set[str]) -> bool:
    """Repeated as it is, or as the start of a repeated line (OCR splits "Course name  date  7" in pieces)."""
    if key in repeated:
        return True
    return len(key) >= 15 and any(r.startswith(key) or (len(r) >= 15 and key.startswith(r)) for r in repeated)


def running_variants(lines: set[str]) -> bool:
    """The same line on every page but for a page number or date at its start or end ("Y. Cheng UVA DS5110
    Spring '25 7"), or a line of mostly digits ("10/25/2022 14", "Page 3 of 20"). "Point 1 about cells",
    "Point 2 about cells" are content, numbered."""
    if len(lines) <= 1:
        return True
    if len({strip_end_numbers(line) for line in lines}) == 1:
        return True
    return all(_numeric_line(digits_restored(line).lower()) for line in sorted(lines))


def _numeric_line(line: str) -> bool:
    letters = sum(ch.isalpha() for ch in line)
    return "page" in line or "slide" in line or letters < 0.5 * len(line.replace(" ", ""))


__all__ = [
    "alike",
    "apply_marks",
    "continued_run",
    "digits_restored",
    "fold",
    "fuzzy_marks",
    "is_repeated",
    "numeric_key",
    "running_variants",
]
