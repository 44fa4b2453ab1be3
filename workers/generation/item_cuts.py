"""Items cut where their slide's line wrapped, and items taken from the options of an exam question (issue
#14 items 2-3, seventeenth session): rules by form, in the item's own language, for any deck.

- ``cut_term``: a key term, a card's front or a quiz key whose last word cannot end a name: an article,
  preposition, conjunction or auxiliary of its language (complete.py's words that cannot end a sentence) or
  a subordinating word ("Consistency when there", "Modelo de", "निष्कर्ष का"). A capitalised last word is a
  name ("Vitamin A", "WHERE"); a particle that closes a phrase ("Leave one out") stays.
- ``cut_mid_word``: a quiz stem, cloze or answer whose last word is cut short where its slide goes on: its
  slide writes the same words and then, in that place, a longer word the item's last word begins ("like the
  incidence rat" where the slide says "rate"; not an inflection, "key" beside "keys"), or the reader split the
  word there and the next piece completes it into a more common word ("rat" + "e").
- ``option_lines``: the lines of a slide that are the answer options of a multiple-choice question: a run of
  four lines marked (a)-(d) or (1)-(4) in order (or the four marks in order on one line), after a line that
  asks (ends on "?" or the danda "।") or beside another such run (a paper's page). An option is
  one of four claims, three of them false: no fact for a sheet or a card.
- ``outline_like`` (cardrules.agenda_like's loose match): see there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import regex

from shared.text import fold, words
from shared.text.plausibility import word_known, zipf
from workers.generation.complete import _cannot_end

# Words after which a term goes on (subordinators, relative words, "there"): a term never ends on one.
SUBORDINATE = {
    "en": "when where while if because since although though that which who whom whose there than as",
    "fr": "quand lorsque où si parce puisque que qui dont",
    "es": "cuando donde mientras si porque aunque que quien cuyo",
    "de": "wenn wo während weil obwohl dass der die das welche welcher",
    "ru": "когда где если потому хотя что который которая которые чтобы",
    "hi": "जब जहाँ यदि अगर क्योंकि कि जो",
}
_ALPHA = regex.compile(r"[\p{L}\p{M}]")
# Endings that make another form of the same word ("key", "keys"): no sign of a cut.
_INFLECTIONS = frozenset(["s", "es", "d", "ed", "ing", "er", "ers", "ly", "'s", "’s"])
_CLOZE = re.compile(r"\{\{c\d+::([^{}]*?)(?:::[^{}]*)?\}\}")
# The marks a frame adds after a stem taken from the slides ("Which term is defined as: ...?", "“...”?").
_FRAME_END = "?？”»\"' "
_END_MARKS = (".", "!", "?", "…", "。", "！", "？", ";", "；", ":", "：", ")", "]")


def _plain(text: str) -> str:
    return " ".join(_CLOZE.sub(r"\1", text).split())


def _word_list(text: str) -> list[str]:
    return [w for w in words(text) if _ALPHA.search(w)]


def ending_words(lang: str) -> frozenset[str]:
    """The words a name cannot end on in ``lang`` (and in English, which notes of any language quote)."""
    sub = set(SUBORDINATE.get(lang, "").split()) | set(SUBORDINATE["en"].split())
    return frozenset(_cannot_end(lang) | _cannot_end("en") | sub)


def cut_term(term: str, lang: str = "en") -> bool:
    """A term (two words or more) whose last word is a function word that cannot end a name."""
    ws = _word_list(_plain(term).rstrip(" .:;,"))
    if len(ws) < 2:
        return False
    last = ws[-1]
    if last[:1].isupper():
        return False  # "Vitamin A", "Set B", "WHERE": a name or a keyword, not a function word
    return last.casefold() in ending_words(lang)


def _source_words(lines: Sequence[str]) -> list[str]:
    """The slide's words in reading order, folded (lines joined: a sentence wraps over them)."""
    return [fold(w) for line in lines for w in words(line)]


def _completes(last: str, piece: str, lang: str) -> bool:
    """``last`` + ``piece`` is a word of the language more common than ``last`` alone, and ``piece`` is no
    common word of its own (a word the reader split: "rat" + "e")."""
    joined = last + piece
    if not piece.isalpha() or (len(piece) > 3 and word_known(piece, lang)):
        return False
    if len(piece) > 1 and zipf(piece, lang) >= 3.0:
        return False
    return word_known(joined, lang) and zipf(joined, lang) > zipf(last, lang)


def cut_mid_word(text: str, lines: Sequence[str], lang: str = "en") -> bool:
    """The text (a stem with its frame's closing marks stripped, a cloze, an answer) ends on a word its slide
    writes longer at that place, or that the slide's next piece completes: the item was cut mid-word."""
    flat = _plain(text).rstrip(_FRAME_END)
    if not flat or flat.endswith(_END_MARKS):
        return False
    ws = [fold(w) for w in words(flat)]
    if len(ws) < 3 or not re.sub(r"['’-]", "", ws[-1]).isalpha() or len(ws[-1]) < 2:
        return False
    *before, last = ws[-3:]
    src = _source_words(lines)
    for i in range(len(src) - 2):
        if src[i : i + 2] != before:
            continue
        there = src[i + 2]
        if there != last and there.startswith(last) and there[len(last) :] not in _INFLECTIONS:
            return True
        if there == last and i + 3 < len(src) and _completes(last, src[i + 3], lang):
            return True
    return False


# An option's mark at a line's start: "(a)", "a)", "(1)", "1)" (not "a." nor "1.": numbered examples and
# steps of a lecture).
_MARK = re.compile(r"^\s*\(?([a-dA-D1-4])\)\s*\S")
_MARK_PREFIX = re.compile(r"^\s*\(?[a-dA-D1-4]\)\s*")
_INLINE = re.compile(r"\(([a-dA-D1-4])\)")
_ORDERS = ("abcd", "1234")
_ASKS = ("?", "？", "।")


def _mark(line: str) -> str | None:
    m = _MARK.match(line)
    return m.group(1).lower() if m else None


def _inline_options(line: str) -> bool:
    marks = "".join(m.lower() for m in _INLINE.findall(line))
    return any(order in marks for order in _ORDERS)


def option_lines(lines: Sequence[str]) -> set[int]:
    """The indices of the lines that are the options of a multiple-choice question (see the module)."""
    runs: list[tuple[int, list[int]]] = []  # (index of the line before the run, the run's lines)
    k = 0
    while k < len(lines):
        mark = _mark(lines[k])
        order = next((o for o in _ORDERS if mark == o[0]), None)
        if order is None:
            k += 1
            continue
        run, want, j, wrapped = [k], 1, k + 1, 0
        while j < len(lines) and want < 4 and wrapped <= 2:
            m = _mark(lines[j])
            if m == order[want]:
                run.append(j)
                want, wrapped = want + 1, 0
            elif m is not None:
                break
            else:
                wrapped += 1  # an unmarked line: the option before it wrapped
            j += 1
        after = _mark(lines[j]) if j < len(lines) else None
        if want == 4 and after not in ("e", "5"):
            runs.append((k - 1, list(range(run[0], j))))
            k = j
        else:
            k += 1
    out: set[int] = set()
    for before, run in runs:
        asks = before >= 0 and lines[before].rstrip().endswith(_ASKS)
        if asks or len(runs) >= 2:
            out.update(run)
    out.update(n for n, line in enumerate(lines) if _inline_options(line))
    return out


def from_options(text: str, lines: Sequence[str]) -> bool:
    """The text is taken from an option of a multiple-choice question on its slide: most of an option
    line's words (its mark left out) are in it, or it is most of an option line."""
    opts = option_lines(lines)
    if not opts:
        return False
    item = [fold(w) for w in words(_plain(text))]
    mine = set(item)
    if not mine:
        return False
    for n in opts:
        body = [fold(w) for w in words(_MARK_PREFIX.sub("", lines[n], count=1))]
        if not body:
            continue
        share = sum(w in mine for w in body) / len(body)
        back = sum(w in set(body) for w in item) / len(item)
        if share >= 0.6 or back >= 0.6:
            return True
    return False


_SENTENCE_END = re.compile(r"[.!?。！？](?:\s|$)")
# At most this many words before a full stop at the start of the next line: the rest of a wrapped sentence
# ("... the same results for another" / "Dutch kid. In his data ...").
TAIL_WORDS = 3
_LIST_MARK = re.compile(r"^\W*(?:\d{1,3}|[A-Za-z]|[ivxIVX]{1,4})[.)]\s")


def _tail_sentence(line: str) -> list[str] | None:
    """The words of a line before its first sentence end when they are at most ``TAIL_WORDS`` and another
    sentence follows on the line: the end of a sentence begun on the line before ("Dutch kid. In his ...")."""
    m = _SENTENCE_END.search(line)
    if m is None or not line[m.end() :].strip() or _LIST_MARK.match(line):
        return None  # "2. Check all inputs": a numbered item, no sentence's end
    before = line[: m.start()]
    head = words(before)
    if "." in before or not any(len(w) >= 2 and _ALPHA.search(w) for w in head):
        return None  # "E.g. Tell others ...": an abbreviation, no sentence's end
    return head if 1 <= len(head) <= TAIL_WORDS else None


def wrapped_cut(text: str, lines: Sequence[str]) -> bool:
    """The text ends where a line of its slide ends with no end mark while the next line finishes the
    sentence in a few words ("... the same results for another" / "Dutch kid. In his data ..."), or it
    begins with those few words (the sentence began on the line before, which has no end mark)."""
    flat = _plain(text)
    ws = [fold(w) for w in words(flat)]
    if len(ws) < 2:
        return False
    for n in range(len(lines) - 1):
        line, nxt = lines[n].rstrip(), lines[n + 1]
        if not line or line.endswith(_END_MARKS):
            continue
        lw = [fold(w) for w in words(line)]
        tail = _tail_sentence(nxt)
        if tail is None or len(lw) < 2:
            continue
        k = min(3, len(ws), len(lw))
        if not flat.endswith(_END_MARKS) and ws[-k:] == lw[-k:]:
            return True  # cut at the line's end: the next line holds the sentence's last words
        first = _tail_sentence(flat)
        if first is not None and [fold(w) for w in first] == [fold(w) for w in tail]:
            return True  # begins with the last words of the sentence of the line before
    return False


def sheet_source_problem(text: str, lines: Sequence[str]) -> str | None:
    """Why an entry's text cannot stand on the sheet by its slide: an exam option, or cut where it wrapped."""
    if from_options(text, lines):
        return "exam_option"
    if wrapped_cut(text, lines):
        return "wrapped_cut"
    return None
