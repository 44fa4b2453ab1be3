"""Quiz keys a student would not dispute, by the form of the item and of the whole quiz:

- an option that is the key's broader term ("Security" beside "Application security": the key's words less
  its modifiers) or the lecture's topic naming the key's words ("Security engineering", the lecture's title,
  beside "Application security") is right too: it is no distractor;
- a true/false statement that runs two lines of its slide together, the second a new item opening on a
  capital letter after a line with no end mark ("A system asset if tampered with" / "Fabrication threats"), is
  no statement of the slide;
- a question whose stem or options state another question's key together with most of that question's cue
  gives that answer away: of the two, the later one is dropped;
- two questions on one slide that ask one comparison's rows in one frame ("which gain goes with “High SNR”?" /
  "... “Low SNR”?"), each key among the other's options, or that ask one pairing both ways (each stem names
  the other's key), answer each other: a student who knows one strikes its key from the other. The later one
  is dropped, the quiz is shorter rather than self-answering.

"The later one" is the later of the built quiz (quiz.QuizBuilder.build): questions are in slide order, and on
one slide in the order they were taken, the most salient first (salience.py), so the better one is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise

from shared.schemas import QuizQuestion
from shared.text import fold, stem, stopwords, words
from workers.generation.material import Slide
from workers.generation.textutil import contains_phrase

# A later question is given away when an earlier one states its key and this share of its cue's words.
CUE_SHARE = 0.5
# ... said as the cue says it: a run of this many of the cue's words ("the set of data points used to").
CUE_RUN = 4
# One frame asked of two rows: the stems share this many words around a slot of at most SLOT_WORDS words.
FRAME_WORDS = 3
SLOT_WORDS = 4
_ENDS = (".", "!", "?", ":", ";", ",")


def _content(text: str, lang: str) -> set[str]:
    stops = stopwords(lang)
    return {stem(w.lower(), lang) for w in words(text) if w.lower() not in stops and len(w) > 1}


def broader_option(key: str, option: str, lang: str) -> bool:
    """The option is the key with its modifiers dropped: its words are some of the key's, its head too."""
    kw, ow = _content(key, lang), _content(option, lang)
    head = words(key)[-1:]
    return bool(ow) and ow < kw and bool(head) and stem(head[0].lower(), lang) in ow


def topic_option(key: str, option: str, topics: Iterable[str], lang: str) -> bool:
    """The option names the lecture's topic (a phrase of its title) and shares a word with the key."""
    if not (_content(option, lang) & _content(key, lang)):
        return False
    return any(t.strip() and contains_phrase(t, option) for t in topics)


def parent_option(key: str, option: str, topics: Iterable[str], lang: str) -> bool:
    """An option that is right too: the key's broader term or the lecture's topic (see the module)."""
    if fold(option) == fold(key):
        return False
    return broader_option(key, option, lang) or topic_option(key, option, topics, lang)


def parent_option_problem(
    kind: str, options: Sequence[str], answer: str, topics: Iterable[str], lang: str
) -> str | None:
    if kind != "multiple_choice" or len(words(answer)) > 6:
        return None
    topics = list(topics)
    if any(parent_option(answer, o, topics, lang) for o in options):
        return "parent_option"
    return None


def _tokens(text: str) -> list[str]:
    return [fold(w) for w in words(text)]


def _contains(seq: list[str], part: list[str]) -> bool:
    n = len(part)
    return any(seq[i : i + n] == part for i in range(len(seq) - n + 1))


def spliced_problem(slide: Slide | None, statement: str) -> str | None:
    """A statement that runs on from one line of its slide into the next, the next opening on a capital letter
    after a line with no end mark: two items of a list spliced into one sentence."""
    if slide is None or not slide.lines:
        return None
    said = _tokens(statement)
    lines = [line.strip() for line, role in slide.lines if role not in ("title", "footer")]
    for first, second in pairwise(lines):
        a, b = _tokens(first), _tokens(second)
        if not a or not b or first.endswith(_ENDS) or not second[:1].isupper():
            continue
        if _contains(said, a[-2:] + b[:2]):
            return "spliced_lines"
    return None


def _cue(q: QuizQuestion) -> str:
    from workers.generation.quiz_forms import FILL_FRAMES, TF_FRAMES, body

    return body(body(q.prompt, TF_FRAMES), FILL_FRAMES)


def reveals(shown: QuizQuestion, asked: QuizQuestion, lang: str) -> bool:
    """``shown``'s stem or one of its options (never its hidden key) states ``asked``'s key with most of the
    words of ``asked``'s cue."""
    if asked.kind == "true_false" or not asked.answer_text.strip() or shown is asked:
        return False
    cue = _content(_cue(asked), lang) - _content(asked.answer_text, lang)
    if len(cue) < 2:
        return False
    for part in [_cue(shown), *shown.options]:  # the key and its cue said together, in one sentence
        if not contains_phrase(part, asked.answer_text):
            continue
        if len(cue & _content(part, lang)) >= CUE_SHARE * len(cue) and _run(_cue(asked), part) >= CUE_RUN:
            return True
    return False


def _run(a: str, b: str) -> int:
    """The longest run of words two texts share (whole words, case folded)."""
    x, y = _tokens(a), _tokens(b)
    best = 0
    prev = [0] * (len(y) + 1)
    for i in range(len(x)):
        cur = [0] * (len(y) + 1)
        for j in range(len(y)):
            if x[i] == y[j]:
                cur[j + 1] = prev[j] + 1
                best = max(best, cur[j + 1])
        prev = cur
    return best


def _slot(a: str, b: str) -> tuple[int, int, int]:
    """Two stems as one frame: the words they share before and after the part that differs, and the longer
    of the two differing parts (in words)."""
    x, y = _tokens(a), _tokens(b)
    head = 0
    while head < min(len(x), len(y)) and x[head] == y[head]:
        head += 1
    tail = 0
    while tail < min(len(x), len(y)) - head and x[-1 - tail] == y[-1 - tail]:
        tail += 1
    return head, tail, max(len(x), len(y)) - head - tail


def _has_option(q: QuizQuestion, text: str) -> bool:
    return fold(text) in {fold(o) for o in q.options}


def answer_each_other(a: QuizQuestion, b: QuizQuestion) -> bool:
    """Two questions on one slide that answer each other (see the module): one comparison's rows asked in one
    frame with each key among the other's options, or one pairing asked both ways."""
    if a is b or a.source.lecture_id != b.source.lecture_id or a.source.page != b.source.page:
        return False
    if "true_false" in (a.kind, b.kind) or not (a.answer_text.strip() and b.answer_text.strip()):
        return False
    if fold(a.answer_text) == fold(b.answer_text):
        return False  # one key asked twice: not this rule's case
    if contains_phrase(_cue(a), b.answer_text) and contains_phrase(_cue(b), a.answer_text):
        return True  # "which gain goes with High SNR?" / "which case goes with multiplexing gain?"
    if a.kind != "multiple_choice" or b.kind != "multiple_choice":
        return False
    if not (_has_option(a, b.answer_text) and _has_option(b, a.answer_text)):
        return False
    head, tail, slot = _slot(_cue(a), _cue(b))
    return head + tail >= FRAME_WORDS and 1 <= slot <= SLOT_WORDS


def without_leaks(questions: list[QuizQuestion], lang: str) -> list[QuizQuestion]:
    """The quiz less each question that gives away an earlier one's key or whose key an earlier one gives
    away, or that answers an earlier one as its mirror (the earlier question is kept)."""
    kept: list[QuizQuestion] = []
    for q in questions:
        if any(reveals(q, k, lang) or reveals(k, q, lang) or answer_each_other(q, k) for k in kept):
            continue
        kept.append(q)
    return kept
