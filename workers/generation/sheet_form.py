"""Cheat-sheet entries refused by their form (issue #14, ninth session): what blind judges of unseen decks
called invalid, told by its shape, in any language, with no deck's words. Adopted (``ADOPTED``: drop precision
>= 0.7 on the blind dev judgments of sheet entries, or for ``cut_word`` of quiz questions and cards, none
losing a valid entry: ``benchmarks/sheet_form.py``), applied to key terms and points alike:

- ``cut_word``: the entry ends with no terminal punctuation on a lower-case word the lecture writes only
  there, which is no word of the language nor of English ("... the English infinitval"), or (English) which
  begins a more common word the lecture writes ("the incidence rat" where the slides say "rate"; not
  "column" beside "columns").
- ``stray_letter``: the entry ends on a lone lower-case letter after a word ("... into each model k",
  "... compresión l"; not "hepatitis B"): a symbol of a formula the reader moved, or OCR debris.
- ``points_away``: the entry's first sentence points at what the entry never states: it opens on a
  demonstrative or a comparison ("This ...", "These ...", "Similar if ...", "Consider ...", "Ces ...",
  "Esto ...", "Эти ...", "这些 ..."), or names "the following", "as shown", "above/below", "one of these".
- ``echo``: the content says nothing the label does not ("Security requirement: Define security
  requirements"): at most one content word besides the label's (stems, five letters); or it is a list
  whose every item is the label with one word changed in its place, the slide's sub-headings whose
  explanations the sheet does not carry ("Security and dependability: Security and reliability • Security
  and availability"; not a list of kinds, "Threat types: Interception threats • ...").
- ``cut_clause`` (English): a sentence whose last subordinate clause has no verb ("... may be generated
  when knowledge of information representation and system distribution"): the line was cut where it went
  on (quiz_checks.cut_clause, which cards and quiz statements already used).

``cut_clause`` and the list form of ``echo`` were adopted in the thirteenth session from a blind judge's
dev verdicts (benchmarks/results/session13/judged_dev_sheet.json: s120, s104), so the dev figures after
them are not blind.

Measured and not adopted (no judged dev item has their form, or their drop precision is below 0.7):

- ``fragment_term``: a key term or label that ends where a clause goes on ("Consistency when there").
- ``run_on``: two sentences spliced without punctuation ("... the data in hand The fatal flaw").
- ``bare_names``: the content is only short names ("Capacity approximation • Beamforming gain").

``form_reason(label, body, lang, vocab)`` returns the first rule an entry fails, or None; ``FormGate`` holds
one lecture's language and words for the sheet (cheatsheet.plan_items).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

import regex

from shared.text import fold, sentences, stem, stopwords, words
from shared.text.plausibility import word_known, zipf
from workers.generation.quiz_checks import cut_clause

_TERMINAL = (".", "!", "?", "…", "。", "！", "？", ")", "]", "»", "”", '"', "'", ";", "；")
_LAST_WORD = regex.compile(r"([\p{L}\p{M}]+)\W*$")
_STRAY = regex.compile(r"[\p{L}\p{M}]{2,}[\p{P}]?\s+\p{Ll}$")  # lower case: "hepatitis B" is a name
_SCRIPTS_CHECKED = regex.compile(r"^[\p{Latin}\p{Cyrillic}\p{Greek}\p{M}]+$")

# Opening words that point back or forward at what the entry does not state: a demonstrative or
# comparison standing as the subject ("This is ...", "These ...", "Similar if ...", "Consider ...").
_POINTER_START = re.compile(
    r"^(?:this|these|those|such|similar(?:ly)?|likewise|consider|here|"
    r"ceci|cela|ça|ce|ces|ceux|celle|celles|celui|ici|considérons|de\s+même|"
    r"esto|esta|este|estos|estas|eso|esa|ese|esos|esas|aquí|considere|consideremos|igualmente|"
    r"этот|эта|эти|этого|этих|такой|такие|здесь|рассмотрим|аналогично)\b|"  # not "это": "X — это Y" defines
    r"^(?:这|那|此|上述|如上|如下|以下)",  # Chinese has no spaces: no word boundary after the pointer
    re.I,
)
# Anywhere in the entry: a pointer at a figure, a list or a passage the entry does not carry.
_POINTER_ANY = re.compile(
    r"\b(?:the\s+following|as\s+(?:shown|seen|follows|above|below)|(?:shown|see|seen)\s+(?:above|below)|"
    r"(?:one|some|each|all|any|none)\s+of\s+these|this\s+(?:figure|slide|diagram|picture|example)|"
    r"ci-dessous|ci-dessus|suivante?s?\s*:|comme\s+(?:indiqué|montré)|"
    r"lo\s+siguiente|como\s+se\s+(?:muestra|ve)|a\s+continuación|"
    r"как\s+показано|см\.\s*(?:ниже|выше))\b|如下图?|如图|下图|上图",
    re.I,
)
# Words after which a term or label goes on: subordinators and relative words, besides the stop words that
# cannot end a phrase (complete.py).
_SUBORDINATE = {
    "en": "when where while if because since although though that which who whom whose there than as",
    "fr": "quand lorsque où si parce puisque bien que qui dont",
    "es": "cuando donde mientras si porque aunque que quien cuyo",
    "ru": "когда где если потому хотя что который которая которые чтобы",
}


def _flat(text: str) -> str:
    return " ".join(text.split())


Vocab = Counter[str] | None
# Endings that make another form of the same word ("column", "columns"): no sign of a cut.
_INFLECTIONS = frozenset(["s", "es", "d", "ed", "ing", "er", "ers", "ly", "'s", "’s"])
_ANY_WORD = regex.compile(r"[\p{L}\p{M}]+")


def lecture_words(texts: Iterable[str]) -> Counter[str]:
    """How often the lecture writes each word (folded), short words included."""
    return Counter(fold(w) for t in texts for w in _ANY_WORD.findall(t))


def cut_word(label: str, body: str, lang: str = "en", vocab: Vocab = None) -> bool:
    """Ends with no terminal punctuation on a word cut short: a word the lecture writes only there, which is
    no word of the language nor of English, or which begins a longer word the lecture writes ("rat" where
    the slides say "rate"). Acronyms are not judged."""
    flat = _flat(body)
    if not flat or flat.endswith(_TERMINAL):
        return False
    m = _LAST_WORD.search(flat)
    if m is None or m.end(1) != len(flat.rstrip()) or not flat[: m.start(1)].endswith(" "):
        return False  # no word of its own at the end ("Au=λu" is a formula); a name is no cut
    w = m.group(1)
    if len(w) < 2 or not w[0].islower() or not _SCRIPTS_CHECKED.match(w):
        return False
    key = fold(w)
    if vocab is not None and vocab[key] > 1:
        return False  # the lecture writes it elsewhere: a word of its own
    if not (word_known(w, lang) or word_known(w, "en")):
        return True
    if lang != "en" or vocab is None or len(key) < 3:
        return False  # inflected languages write a word inside its longer case forms
    common = zipf(key, lang)
    return any(
        v.startswith(key) and v[len(key) :] not in _INFLECTIONS and zipf(v, lang) > common
        for v in vocab
        if len(v) > len(key)
    )


def stray_letter(label: str, body: str, lang: str = "en", vocab: Vocab = None) -> bool:
    """Ends on a lone lower-case letter after a word: a formula's symbol or OCR debris left at the end."""
    flat = _flat(body)
    return bool(_STRAY.search(flat)) and flat[-1:] not in {
        "a",
        "i",
        "y",
        "o",
        "e",
        "и",
        "в",
        "с",
        "к",
    }


def points_away(label: str, body: str, lang: str = "en", vocab: Vocab = None) -> bool:
    """Points at what it never states (see the module's docstring)."""
    items = _flat(body).lstrip("\"'“‘«(•- ").split(" • ")
    said = sentences(items[0], lang)
    first = said[0] if said else items[0]  # what follows has the first sentence before it
    return bool(_POINTER_START.match(first) or _POINTER_ANY.search(first))


def fragment_term(label: str, body: str, lang: str = "en", vocab: Vocab = None) -> bool:
    """The label (a key term or a section title) ends where a clause goes on."""
    toks = [w.casefold() for w in words(_flat(label).rstrip(" .:;,")) if any(ch.isalpha() for ch in w)]
    if len(toks) < 2:
        return False
    last = toks[-1]
    if not words(_flat(label).rstrip(" .:;,"))[-1].islower():
        return False  # "Vitamin A", "Set B": a name, not a function word
    sub = set(_SUBORDINATE.get(lang, "").split()) | set(_SUBORDINATE["en"].split())
    return last in sub or (last in stopwords(lang) and len(last) <= 3 and last not in {"it", "me", "us"})


def _stems(text: str, lang: str) -> set[str]:
    stop = stopwords(lang)
    return {
        stem(w.casefold(), lang)[:5]
        for w in words(text)
        if w.casefold() not in stop and any(c.isalpha() for c in w)
    }


def echo(label: str, body: str, lang: str = "en", vocab: Vocab = None) -> bool:
    """The content is the label again with at most one word more, or a list whose every item is the label
    with one word changed: the sub-headings of its slide ("Security and dependability: Security and
    reliability • Security and availability"), which name what the slide explains and say none of it."""
    own, said = _stems(label, lang), _stems(body, lang)
    if len(said & own) >= 2 and len(said - own) <= 1:
        return True
    items = _flat(body).split(" • ")
    return len(items) >= 2 and all(_sibling(label, item, lang) for item in items)


def _sibling(label: str, item: str, lang: str) -> bool:
    """The item is the label word for word but one, in the same places ("Security and reliability" beside
    "Security and dependability"; not "Interception threats" under "Threat types", a kind of it)."""
    a = [stem(w.casefold(), lang) for w in words(_flat(label).rstrip(" .:")) if any(c.isalpha() for c in w)]
    b = [stem(w.casefold(), lang) for w in words(_flat(item).rstrip(" .")) if any(c.isalpha() for c in w)]
    if len(a) < 2 or len(a) != len(b):
        return False
    same = [x == y for x, y in zip(a, b, strict=True)]
    stop = stopwords(lang)
    return same.count(False) == 1 and any(s and x not in stop for s, x in zip(same, a, strict=True))


def cut_clause_end(label: str, body: str, lang: str = "en", vocab: Vocab = None) -> bool:
    """(English) A sentence of the content whose last subordinate clause has no verb ("... may be generated
    when knowledge of information representation and system distribution"): cut where it went on."""
    return lang == "en" and any(
        cut_clause(s) for item in _flat(body).split(" • ") for s in sentences(item, lang)
    )


# A sentence begun inside another with no punctuation between: a lower-case word, then a capitalised stop
# word ("... the data in hand The fatal flaw", "... lo que El modelo").
_RUN_ON = regex.compile(r"(?<![\p{L}\p{M}\d])[\p{Ll}\p{M}]{2,}\)? (\p{Lu}\p{Ll}*)\b")


def run_on(label: str, body: str, lang: str = "en", vocab: Vocab = None) -> bool:
    """Two sentences spliced without punctuation: a capitalised stop word right after a lower-case word."""
    stop = stopwords(lang) | stopwords("en")
    for item in body.split(" • "):
        for m in _RUN_ON.finditer(_flat(item)):
            if m.group(1).casefold() in stop and m.group(1) not in {"I", "A"}:
                return True
    return False


BARE_WORDS = 3


def bare_names(label: str, body: str, lang: str = "en", vocab: Vocab = None) -> bool:
    """The content is only names: one or more short phrases (at most three words each), none a sentence
    ("Capacity approximation • Beamforming gain"): sub-headings whose content the sheet lost."""
    items = [_flat(x) for x in body.split(" • ")]
    return all(
        not x.endswith(_TERMINAL) and len([w for w in words(x) if any(c.isalpha() for c in w)]) <= BARE_WORDS
        for x in items
    )


RULES: dict[str, Callable[[str, str, str, Vocab], bool]] = {
    "cut_word": cut_word,
    "stray_letter": stray_letter,
    "points_away": points_away,
    "fragment_term": fragment_term,
    "echo": echo,
    "cut_clause": cut_clause_end,
    "bare_names": bare_names,
    "run_on": run_on,
}
ADOPTED: tuple[str, ...] = ("cut_word", "stray_letter", "points_away", "echo", "cut_clause")


def form_reason(
    label: str, body: str, lang: str = "en", vocab: Vocab = None, rules: tuple[str, ...] = ADOPTED
) -> str | None:
    """The first rule of ``rules`` the entry (its label and its content) fails, or None. ``vocab``: how often
    the lecture writes each folded word (``lecture_words``)."""
    for name in rules:
        if RULES[name](label, body, lang, vocab):
            return name
    return None


class FormGate:
    """The adopted form rules for one lecture: its language and how often it writes each word."""

    def __init__(self, texts: Iterable[str], lang: str = "en") -> None:
        self.lang = lang
        self.vocab = lecture_words(texts)

    def refuses(self, label: str, body: str) -> bool:
        return form_reason(label, body, self.lang, self.vocab) is not None
