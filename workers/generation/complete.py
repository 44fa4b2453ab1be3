"""Whether a text a student reads (a cheat-sheet entry, a card's front or back, a quiz stem or option) is a
complete unit: not the tail of a sentence that began on another line, not a sentence cut where it goes on,
not two columns spliced together.

A statement is complete when
- it does not start in lower case as the rest of a wrapped sentence does ("was sent by the server."), unless
  it is a bullet's phrase ("reduces the variance"), and never with a connective that joins it to something
  before ("and ...", "which ...", "of ...");
- it does not end on a word that cannot end a sentence (an article, a preposition, a conjunction: the
  language's stop words less the pronouns and adverbs that may close one), nor on an opening bracket or
  quote, a comma or a hyphen; every sentence in it (pysbd's sentences) ends so;
- its brackets and quotes are balanced and closed in order;
- no word is said twice in a row ("specific specific": the last word of one column, the first of the next).

``incomplete_reason`` says why a text fails (a short code) or None. Lines a page wrapped are joined before
(candidates.logical_lines, gate._join_wrapped): what is still incomplete here could not be repaired and goes.
"""

from __future__ import annotations

import re
from functools import cache

import regex

from shared.text import has_cjk, sentences, stopwords

# Words of the stop-word lists that may close a sentence (pronouns, adverbs, quantifiers): every other
# stop word (articles, prepositions, conjunctions, auxiliaries) leaves the sentence open when it ends it.
_CAN_END = {
    "en": """it its itself them themselves us me him her hers his you yours yourself ours ours mine myself
        this that these those here there now then too up out off down over again once well more most less
        only all both each same own so yet etc else why how what who whom one not no nor above below
        further do does did done doing being been am used known called like very much just such other
        either few any some there's can could may might must should would will shall""",
    "es": """él ella ellos ellas ello esto eso esta este estos estas ese esa esos esas aquí allí así también
        más mas mucho muchos nada algo todo todos todas uno unos otro otros otras otra tanto poco nosotros
        nosotras vosotros mí ti sí no ya antes tú yo suyo suya suyos suyas mío mía tuyo tuya nuestro
        nuestra sido siendo estar ser hay está están es son fue era""",
    "fr": """eux lui moi toi soi ici cela ceci celà elle elles ils nous vous pas plus y en été eu ça là
        tous tout toutes""",
    "ru": """все всё это его её ее их них нас вас тут там здесь тоже теперь потом сейчас нет так можно
        надо нельзя больше лучше всегда никогда хорошо конечно себя него ним ней тогда раз два три много
        почти совсем сам было был была были будет есть вот уже еще ещё ничего нее мне меня тебя вам им
        ему ей другой другая другое другие других другую одной одного одну одно один одна""",
}
# Languages whose verbs or postpositions end a sentence (German, Hindi): only these words leave one open.
_NEVER_END = {
    "de": """der die das den dem des ein eine einem einen einer eines und oder aber sondern mit von zu zum
        zur für auf aus bei nach im an am über unter durch gegen ohne um vor als wie dass weil wenn""",
    "hi": "के का की में से को पर ने तक द्वारा लिये लिए और या एवं कि जो",
}
# A connective that ties what follows to something before it: a text never starts with it.
_CONNECTIVE_START = {
    "en": "and or but nor which whose whom of than whereas",
    "es": "y o u e ni pero sino cuyo cuya cuyos cuyas",
    "fr": "et ou mais dont ni car",
    "de": "und oder aber sondern dessen deren",
    "ru": "и или а но либо который которая которое которые которых которым чем",
    "hi": "और या एवं तथा लेकिन परंतु जो",
}
_WORD = regex.compile(r"[\p{L}\p{M}]+(?:['’][\p{L}\p{M}]+)*")
_LETTER_END = regex.compile(r"[\p{L}\p{M}]$")
_OPENERS = {"(": ")", "[": "]", "{": "}"}
_QUOTE_PAIRS = (("“", "”"), ("«", "»"), ("„", "“"))
_OPEN_TAIL = re.compile(r"[(\[{“‘«„,\-–—/&+=]\s*$")
_REPEATED = re.compile(r"(?<![\w-])([^\W\d_]{2,})\s+\1(?![\w-])", re.I)
_REPEAT_OK = frozenset({"that", "had", "very", "many", "bye", "no", "ha"})
_SPLICE = regex.compile(r"(?<=\p{Ll}\p{Ll}|\p{Ll}\)) +(\p{Lu}\p{Ll}+)\b")
# A lone lower-case letter (a symbol left by the maths of the slide) before a capitalised word: "O - computes
# y Static embeddings", "the data not in fold i Use the model".
_LAST_WORD = regex.compile(r"[\s.?!:;…]*$")  # nothing after a word but its sentence's end
_SYMBOL_SPLICE = regex.compile(r"(?<![\p{L}\p{M}'’.-])(\p{Ll}) +\p{Lu}\p{Ll}+\b")
_CLOZE = re.compile(r"\{\{c\d+::([^{}]*?)(?:::[^{}]*)?\}\}")  # no brace inside: linear on hostile text


def _lang(lang: str | None) -> str:
    return lang if lang in _CAN_END or lang in _NEVER_END else "en"


@cache
def _cannot_end(lang: str) -> frozenset[str]:
    if lang in _NEVER_END:
        return frozenset(_NEVER_END[lang].split())
    can = set(_CAN_END[lang].split()) | set(_CAN_END["en"].split())
    return frozenset(w for w in stopwords(lang) if w not in can and "'" not in w and "’" not in w)


@cache
def _connectives(lang: str) -> frozenset[str]:
    return frozenset(_CONNECTIVE_START.get(lang, "").split()) | frozenset(_CONNECTIVE_START["en"].split())


def plain(text: str) -> str:
    """The text as a student reads it: cloze marks shown as their words, spaces collapsed."""
    return " ".join(_CLOZE.sub(r"\1", text).split())


def _first_word(text: str) -> str:
    m = _WORD.search(text)
    return m.group(0) if m and m.start() <= 3 else ""


def lower_start(text: str) -> bool:
    """Starts as the lower-case rest of a wrapped sentence: not a symbol ("x = 2", "k-fold", a Greek
    letter), not an identifier with digits or inner capitals ("iPhone", "mRNA", "l2"), not notation or an
    abbreviation ("exp(x)", "e.g.", "my_var")."""
    m = re.match(r"\S+", text.lstrip(" \"'“‘(¿¡"))
    if not m or not m.group(0)[:1].isalpha() or not m.group(0)[:1].islower():
        return False
    token = m.group(0)
    word = _WORD.match(token)
    if word is None or len(word.group(0)) == 1:
        return False
    if any(ch.isdigit() for ch in token) or any(ch.isupper() for ch in token[1:]):
        return False
    return not any(ch in token for ch in "_()=.")


def balanced(text: str) -> bool:
    """Brackets closed in order, curly and angle quotes paired, straight double quotes even."""
    stack: list[str] = []
    for ch in text:
        if ch in _OPENERS:
            stack.append(_OPENERS[ch])
        elif ch in _OPENERS.values() and (not stack or stack.pop() != ch):
            return False
    if stack:
        return False
    for a, b in _QUOTE_PAIRS:
        if a != "„" and text.count(a) != text.count(b):
            return False
    return text.count('"') % 2 == 0


_STRANDED = frozenset("to at on for with from about of in into upon by".split())  # noqa: SIM905


def open_end(text: str, lang: str | None = None) -> bool:
    """Ends where its sentence goes on: on a function word, an opening bracket or quote, a comma, a
    hyphen or an operator. A question may end on its preposition ("What does it lead to?"), and so may a
    statement after a participle ("a tuple that is referred to.")."""
    stripped = text.rstrip()
    flat = stripped.rstrip(" .;!?。")
    if not flat:
        return False
    if _OPEN_TAIL.search(flat):
        return True
    if has_cjk(flat[-1]) or stripped.endswith(("?", "？")):
        return False  # no word to judge; a question's last word is free
    words = _WORD.findall(flat[-40:])
    if not words or not _LETTER_END.search(flat):
        return False
    last = words[-1].casefold()
    if last == "i" and words[-1] == "i":
        return False  # a symbol ("the data not in fold i"), not the pronoun
    if (
        stripped.endswith(".")
        and last in _STRANDED
        and len(words) >= 2
        and words[-2].casefold().endswith(("ed", "en"))
    ):
        return False
    return last in _cannot_end(_lang(lang))


def repeated_word(text: str, lang: str | None = None) -> str | None:
    """A word said twice in a row ("the the", "specific specific"), or None. Hindi doubles words on
    purpose ("बार बार"), and so does Chinese: not judged."""
    if lang in ("hi", "zh") or has_cjk(text):
        return None
    for m in _REPEATED.finditer(text):
        if m.group(1).casefold() not in _REPEAT_OK:
            return m.group(1)
    return None


def connective_start(text: str, lang: str | None = None) -> bool:
    """Starts with a connective that ties it to something before: in lower case ("and ...", "which
    ...", "of ..."), or a capital And/Or/But/Nor."""
    word = _first_word(text)
    if not word:
        return False
    if not word[:1].isupper():  # lower case, or a script without case (Devanagari)
        return word in _connectives(_lang(lang))
    return word in ("And", "Or", "But", "Nor") and len(text.split()) > 1


def spliced(text: str, lang: str | None = None) -> str | None:
    """Two lines run together where one sentence ended without its full stop and the next began: a
    capitalised function word right after a lower-case word ("... a sample of points to evaluate on If you
    have ..."), or None. Names and titles capitalise content words, not "If", "The", "This"."""
    stop = stopwords(_lang(lang))
    for m in _SPLICE.finditer(text):
        word = m.group(1)
        if word.casefold() in stop and len(word) > 1 and _LAST_WORD.match(text, m.end()) is None:
            return word  # a function word last ("Where do ICs Come From?") starts no second sentence
    for m in _SYMBOL_SPLICE.finditer(text):
        if m.group(1) == "i" or m.group(1) not in stop:  # "a Markov chain", "y Castilla" are words
            return m.group(1)
    return None


def sentence_like(text: str) -> bool:
    """Reads as a sentence (four words or more ending with a full stop), not a bullet's phrase."""
    flat = plain(text)
    return flat.endswith((".", "!")) and len(flat.split()) >= 4


def incomplete_reason(text: str, lang: str | None = None, *, phrase: bool = False) -> str | None:
    """Why ``text`` is no complete unit, or None. ``phrase``: a bullet's phrase or a list item, which may
    start in lower case ("reduces the variance"); it still may not start with a connective."""
    flat = plain(text)
    if not flat:
        return "empty"
    if connective_start(flat, lang):
        return "connective_start"  # "and the mean", "which derives": the rest of a sentence
    if not phrase and lower_start(flat):
        return "lower_start"
    if not balanced(flat):
        return "unbalanced"
    if repeated_word(flat, lang):
        return "repeated_word"
    if spliced(flat, lang):
        return "spliced"
    parts = sentences(flat, lang) if not has_cjk(flat) else [flat]
    for part in parts or [flat]:
        if open_end(part, lang):
            return "open_end"
    return None


def complete(text: str, lang: str | None = None, *, phrase: bool = False) -> bool:
    return incomplete_reason(text, lang, phrase=phrase) is None
