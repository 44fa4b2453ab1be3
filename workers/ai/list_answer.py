"""Answers to questions that ask for a list ("What are the four types of ...", "List the steps ...",
"¿Cuáles son ...?", "Какие ...?", "哪些 ...?", "किन-किन ...?") and to comparisons ("the difference between A
and B", "A versus B").

The ordinary extractive answer (workers.ai.answer) picks the chosen slide's units with the most words in
common with the question and fills up to a word budget: a list's items share no words with the question
("What are the three gates in an LSTM?" -> "Forget gate ...", "Input gate ...", "Output gate ..."), so the
lead-in was chosen and the items were cut by the budget or came after unrelated sentences. Here, when the
question asks for a list, the answer is the chosen slide's lead-in (or its title) and ALL the units after it
in the slide's order (each cut to its first clause when long), up to MAX_ITEMS items and MAX_WORDS words,
cited by the slide. A comparison keeps the ordinary answer and adds, for each side it does not name yet, the
slide unit that best says what that side is. Both return None (the ordinary answer stands) when the slides
give nothing of the kind.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from workers.ai.refusal import POINTERS
from workers.ai.retrieval import Evidence, match_terms

MAX_ITEMS = 12
MAX_WORDS = 150
ITEM_WORDS = 22  # an item longer than this is cut to its first clause
MIN_ITEMS = 2
ITEM_CUTS = (1000, ITEM_WORDS, 14, 10)  # item lengths tried in turn until the whole list fits MAX_WORDS
CONTINUED_PAGES = 3  # a list continued on the next slides under the same title, this many pages away at most
Pieces = list[tuple[str, Evidence]]

_NUMBER_WORDS = (
    r"two|three|four|five|six|seven|eight|nine|ten|twelve|several|"
    r"dos|tres|cuatro|cinco|seis|siete|ocho|"
    r"deux|trois|quatre|cinq|sept|huit|"
    r"\d{1,2}"
)
_LIST_NOUNS = (
    r"types?|kinds?|steps?|stages?|phases?|conditions?|parts?|components?|options?|ways?|levels?|"
    r"approaches|methods?|gates?|parameters?|properties|advantages?|disadvantages?|downsides?|benefits?|"
    r"features?|principles?|categories|elements?|rules?|dimensions?|movements?|attacks?|topics?|"
    r"factors?|reasons?|examples?|forms?|classes|requirements?|causes?|consequences?|operations?|"
    r"tipos?|pasos?|etapas?|fases?|condiciones|partes|componentes|niveles|subtemas|maneras|formas|"
    r"étapes?|niveaux|composantes"
)
_LIST_QUESTION = re.compile(
    r"\b(?:list|enumerate|name the|name all|which are the)\b"
    rf"|\b(?:what|which)\s+(?:\w+\s+){{0,4}}?(?:{_LIST_NOUNS})\b"
    rf"|\b(?:{_NUMBER_WORDS})\s+(?:\w+\s+)?(?:{_LIST_NOUNS})\b"
    r"|cu[aá]les son|qu[eé] (?:tipos|subtemas|pasos|etapas|condiciones)|enumer[ae]"
    r"|quels sont|quelles sont|citez|énumérez"
    r"|какие|каких|какими|перечисл\w*|из чего состоит"
    r"|哪些|哪几|几种|列出|有什么"
    r"|क्या-क्या|किन-किन|कौन-कौन|कौन से|कौन-से",
    re.IGNORECASE,
)
MAX_COMPARE_CHARS = 500
_COMPARE = [
    re.compile(r"difference between (.+?) and (.+?)[?.]*$", re.IGNORECASE),
    re.compile(r"(?:how|in what way) (?:is|are) (.+?) different from (.+?)[?.]*$", re.IGNORECASE),
    re.compile(r"(?:how|in what way) (?:does|do) (.+?) differ from (.+?)[?.]*$", re.IGNORECASE),
    re.compile(r"(?:compare|contrast) (.+?) (?:and|with|to) (.+?)[?.]*$", re.IGNORECASE),
    re.compile(r"(.+?) (?:versus|vs\.?|compared (?:with|to)) (.+?)[?.]*$", re.IGNORECASE),
    re.compile(r"diferencia entre (.+?) y (.+?)[?.]*$", re.IGNORECASE),
    re.compile(r"différence entre (.+?) et (.+?)[?.]*$", re.IGNORECASE),
    re.compile(r"чем (.+?) отличается от (.+?)[?.]*$", re.IGNORECASE),
    re.compile(r"(.+?)\s*और\s*(.+?) में क्या अंतर"),
    re.compile(r"(.+?)和(.+?)(?:有什么|的)?(?:区别|不同)"),
]
_END = (".", "!", "?", "。", ":", "：")
_ASKING = frozenset(
    match_terms(
        "what which are is the name list main key types type kinds kind steps step stages stage ways way "
        "parts part there does do involve involved include different"
    )
)


def asks_for_list(question: str) -> bool:
    """Whether the question asks for a list of things (its wording, in en/es/fr/ru/zh/hi)."""
    return bool(_LIST_QUESTION.search(" ".join(question.split())))


def compared_sides(question: str) -> tuple[str, str] | None:
    """The two things a comparison question sets side by side, or None."""
    text = " ".join(question.split())
    if len(text) > MAX_COMPARE_CHARS:  # the lazy patterns are quadratic; no comparison is this long
        return None
    for pattern in _COMPARE:
        if m := pattern.search(text):
            return m.group(1).strip(" ,"), m.group(2).strip(" ,")
    return None


def _terms(text: str) -> set[str]:
    return {t for t in match_terms(text) if t not in POINTERS and t not in _ASKING}


def compact(item: str, limit: int = ITEM_WORDS) -> str:
    """A list item as said in the answer: whole when short, else its first clause (or its first
    ITEM_WORDS words)."""
    words = item.split()
    if len(words) <= limit:
        return item
    m = re.search(r"[.;:!?。；]\s|\s[—–-]\s|,\s", item)
    if m and 2 <= len(item[: m.start()].split()) <= limit:
        return item[: m.start()]
    return " ".join(words[:limit]) + " ..."


LEAD_BONUS = 1.5  # a lead-in ("Risk management involves", "Four conditions:") over a sentence as the anchor


def _lead_like(unit: str) -> bool:
    words = unit.split()
    return unit.endswith((":", "：")) or (len(words) <= 8 and not unit.endswith((".", "!", "?", "。")))


def list_pieces(
    question: str, evidence: list[Evidence], units: Callable[[Evidence], list[str]]
) -> Pieces | None:
    """A list question's answer from the chosen slide (``units``: its sentences and bullets, the answer
    module's answer_units): the anchor (the unit sharing the most words with the question, a lead-in
    counting LEAD_BONUS more; the slide's title when no unit beats it) and every unit after it in the
    slide's order, each cut to its first clause when long, up to MAX_ITEMS items and MAX_WORDS words; None
    when the question asks for no list or the slide has fewer than MIN_ITEMS units after an anchor that
    shares a word with the question. Slides' lists often lose their bullets and colons in the text layer
    ("LSTM uses 3 gates" over three lines), so the anchor is found by words, not marks."""
    if not evidence or not asks_for_list(question):
        return None
    top = evidence[0]
    found = units(top)
    asked = _terms(question)
    if not asked or len(found) < MIN_ITEMS:
        return None
    scores = [
        len(asked & _terms(u)) + (LEAD_BONUS if _lead_like(u) and len(found) - i > MIN_ITEMS else 0)
        for i, u in enumerate(found)
    ]
    best = max(range(len(found)), key=lambda i: (scores[i], -i))
    title = " ".join(top.title.split())
    if len(asked & _terms(title)) >= len(asked & _terms(found[best])) and asked & _terms(title):
        lead, items = title.rstrip(".:") + ":", found
    elif asked & _terms(found[best]):
        lead, items = found[best], found[best + 1 :]
    else:
        return None
    if len(items) < MIN_ITEMS:
        return None
    said = [(lead, top), *((item, top) for item in items[:MAX_ITEMS])]
    said = continued(question, top, evidence, said, units)
    return fitted(said)


def continued(
    question: str,
    top: Evidence,
    evidence: list[Evidence],
    said: Pieces,
    units: Callable[[Evidence], list[str]],
) -> Pieces:
    """A list that runs over several slides ("First way: ..." on one slide, "Second way: ..." on the next,
    all under one title): each retrieved slide of the same lecture with the same title within
    CONTINUED_PAGES of the chosen one adds its first unit, cited by its slide, in page order; then, while
    the list stays within MAX_ITEMS and MAX_WORDS, its other units that use a word of the question."""
    title = " ".join(top.title.split()).lower()
    if not title:
        return said
    more = sorted(
        (
            e
            for e in evidence[1:]
            if e.lecture_id == top.lecture_id
            and e.page != top.page
            and abs(e.page - top.page) <= CONTINUED_PAGES
            and " ".join(e.title.split()).lower() == title
        ),
        key=lambda e: e.page,
    )
    asked = _terms(question)
    firsts = [(e, found[0]) for e in more if (found := units(e))]
    words = sum(len(compact(p).split()) for p, _ in said) + sum(len(compact(u).split()) for _, u in firsts)
    count = len(said) - 1 + len(firsts)
    extra: dict[int, list[str]] = {}
    for e in more:  # then the slides' other units that use a word of the question, while the list fits
        for u in units(e)[1:]:
            size = len(compact(u).split())
            if asked & _terms(u) and count < MAX_ITEMS and words + size <= MAX_WORDS:
                extra.setdefault(e.page, []).append(u)
                words, count = words + size, count + 1
    pages = {e.page: [(u, e) for u in [first, *extra.get(e.page, [])]] for e, first in firsts}
    before = [piece for page in sorted(pages) if page < top.page for piece in pages[page]]
    after = [piece for page in sorted(pages) if page > top.page for piece in pages[page]]
    return [said[0], *before, *said[1:], *after][: MAX_ITEMS + 1]


def fitted(said: Pieces) -> Pieces:
    """The lead-in and items within MAX_WORDS: every item whole when they fit, else each cut to its first
    clause of at most ITEM_WORDS, then fewer words (ITEM_CUTS), so that all items are named; items are
    dropped from the end only when even the shortest cut does not fit."""
    lead, items = said[0], said[1:]
    for limit in ITEM_CUTS:
        short = [(compact(p, limit), e) for p, e in items]
        if len(lead[0].split()) + sum(len(p.split()) for p, _ in short) <= MAX_WORDS:
            break
    kept, words = [lead], len(lead[0].split())
    for p, e in short:
        if words + len(p.split()) > MAX_WORDS:
            break
        kept.append((p, e))
        words += len(p.split())
    return [(p if p.endswith(_END) else p.rstrip(",;") + ".", e) for p, e in kept]


def compare_pieces(
    question: str, evidence: list[Evidence], pieces: Pieces, units: Callable[[Evidence], list[str]]
) -> Pieces | None:
    """For a comparison, the ordinary answer's ``pieces`` and, for each side it does not name, the unit of
    the first three retrieved slides (``units``: the answer module's answer_units) that names that side and
    most of the question's words; None when the question compares nothing or nothing needs adding."""
    sides = compared_sides(question)
    if not sides or not evidence:
        return None
    said = set(match_terms(" ".join(p for p, _ in pieces)))
    asked = _terms(question)
    added: Pieces = []
    for side in sides:
        side_terms = _terms(side)
        if not side_terms or side_terms <= said:
            continue
        best: tuple[float, str, Evidence] | None = None
        for rank, e in enumerate(evidence[:3]):
            for unit in units(e):
                terms = set(match_terms(unit))
                if not side_terms <= terms or any(unit == p for p, _ in pieces + added):
                    continue
                score = len(asked & terms) - 0.5 * rank
                if best is None or score > best[0]:
                    best = (score, unit, e)
        if best is not None:
            added.append((best[1] if best[1].endswith(_END) else best[1] + ".", best[2]))
            said |= set(match_terms(best[1]))
    return pieces + added if added else None
