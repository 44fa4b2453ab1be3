"""What makes a card (and a cheat-sheet term) worth a student's time: the rules the flashcard and cheat-sheet
builders share on top of validity.py's checks.

- A definition is a concept's name and what it is: not "Let A" / "Note that", not an identifier from a
  worked example ("Hourly_Emps", "3 relations"), not a quote, not a clause cut before its end ("... if").
- A cloze hides a key term in a readable sentence of prose: never a bare abbreviation anyone can guess
  (DBMS, SNR), never a keyword of a code listing (SELECT, CHAR), never the label in front of a colon, and
  never in a sentence whose words are OCR debris.
- A list is a real enumeration: not the lecture's agenda (items that are the titles of its other sections),
  not a title or items made of formula pieces.
- A figure card's answer is the figure's own numbered caption ("Figure 3: ..."), never words read off the
  picture or text that happens to sit below it.
"""

from __future__ import annotations

import re

from shared.text import content_tokens, fold, has_cjk, has_indic, stem, words
from shared.text.plausibility import plausible_share, word_known
from workers.generation.quiz_checks import notation_symbol
from workers.generation.validity import boilerplate_reason, fragment_reason, gives_away

_LEAD_WORDS = {
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "several", "many",
    "let", "note", "suppose", "assume", "where", "here", "then", "thus", "hence", "so", "also", "e.g",
    "пусть", "тогда", "где", "soit", "sea", "donde", "sean", "where's", "today",
}  # fmt: skip
OPEN_END = re.compile(
    r"\b(?:if|when|whether|where|while|because|than|so|such|e\.g|i\.e|если|когда|что|si|cuando|que)\W*$", re.I
)
_MATH_ALNUM = re.compile("[\U0001d400-\U0001d7ff]")
_CODE_TOKEN = re.compile(r"\b[A-Za-z]+_[A-Za-z_]+\b|\b[A-Z]{2,}\(\d+\)|\w+\.\w+\(|\b[A-Z]\.[a-z_]{2,}")
_CODE_WORDS = re.compile(
    r"\b(?:SELECT|FROM|WHERE|CREATE|TABLE|DROP|INSERT|INTO|VALUES|PRIMARY|KEY|FOREIGN|REFERENCES|NULL|CHAR|"
    r"VARCHAR|INTEGER|REAL|VIEW|JOIN|UPDATE|DELETE|SET|GROUP|ORDER|BY)\b"
)
_CAPTION_MARK = re.compile(
    r"^\s*(?:fig(?:ure|ura)?\.?|рис(?:унок|\.)?|abb(?:ildung|\.)?|图|圖)\s*\d+(?:[.\-]\d+)*\s*[.:：—–-]?\s*",
    re.I,
)


def looks_like_code(text: str) -> bool:
    """A line of a listing or an identifier: snake_case names, CHAR(20)-like types, S.name columns, calls,
    two keywords of a query or program (SELECT ... FROM, CREATE TABLE)."""
    return bool(_CODE_TOKEN.search(text)) or len(_CODE_WORDS.findall(text)) >= 2


_LATIN_WORD = re.compile(r"\b[A-Za-z][a-z]+\b")
_PRONOUN = re.compile(r"\b(?:our|we|you|your|my|i|this|these|those)\b", re.I)
_ANAPHORA = re.compile(r"^(?:this|these|those|it|they|that|then|so|here|there|such)\b", re.I)


def readable(text: str, lang: str) -> bool:
    """Most of its words are words of the language (not OCR debris, not two columns merged)."""
    if has_indic(text) and len(_LATIN_WORD.findall(text)) >= 2:
        return False  # Devanagari with Latin letters around it: a photographed page read badly
    if lang == "hi" and not has_indic(text):
        return plausible_share(text, "en") >= 0.85  # Latin letters in Hindi notes: English, or misread
    if has_cjk(text) or lang not in ("en", "es", "fr", "de", "it", "pt", "ru", "nl"):
        return True  # no reliable word list: do not judge
    if len([w for w in words(text) if any(ch.isalpha() for ch in w)]) < 3:
        return True
    return plausible_share(text, lang) >= 0.85


def good_definition(term: str, definition: str, lang: str = "en") -> bool:
    """A term/definition pair a student would keep on a card or a cheat sheet."""
    head = term.strip()
    first = fold(head.split()[0]).rstrip(".,:") if head.split() else ""
    if not head or first in _LEAD_WORDS or _PRONOUN.search(head):
        return False  # "Let A", "Note that", "conclusion from our generalization": not a concept's name
    if head[0].isdigit() or "_" in head or _MATH_ALNUM.search(head):
        return False  # "3 relations", "Hourly_Emps", a symbol in maths italics: example data or notation
    if sum(head.count(q) for q in '"“”') % 2 or head.count("(") != head.count(")"):
        return False  # a piece cut out of a quotation
    body = definition.strip()
    if not known_term(head, lang) or notation_symbol(head, body, lang):
        return False  # a misread word, or a letter of notation glossed as a set ("Sy — набор символов ...")
    if not body or body[0] in "\"'‘’“”«`":
        return False  # a quotation is not a definition
    if fold(body.split()[0]) in {"that", "что", "que", "qui", "dass"}:
        return False  # "X means that ...": a statement, not what X is
    if OPEN_END.search(body) or fragment_reason(body):
        return False
    if looks_like_code(body) or looks_like_code(head):
        return False
    return readable(f"{head} {body}", lang)


def known_term(term: str, lang: str) -> bool:
    """A one-word Latin-script term is a word of the language (or English), an abbreviation or a name
    written with inner capitals (RuBisCO); a misread word ("Assurption") or a stray name is not."""
    parts = words(term)
    if len(parts) != 1 or has_cjk(term) or not term.isascii() or not term.isalpha():
        return True
    if any(ch.isupper() for ch in term[1:]):
        return True
    return word_known(term, lang) or word_known(term, "en")


def named_precisely(term: str) -> bool:
    """A name that points at one thing on its own (several words, an abbreviation, inner capitals, CJK);
    a single ordinary word ("Security", "English") does not determine which of its facts a card wants."""
    return len(words(term)) >= 2 or any(ch.isupper() for ch in term[1:]) or has_cjk(term)


def cloze_ok(sentence: str, phrase: str, lang: str = "en", *, definition: bool = False) -> bool:
    """Whether hiding ``phrase`` in ``sentence`` makes a fair cloze. In a ``definition`` sentence the
    term may be an abbreviation or stand before a colon: the definition determines it."""
    flat = sentence.strip()
    if _ANAPHORA.match(flat):
        return False  # "This is called ...": not self-contained
    last = flat.rstrip(".!?)").split()[-1] if flat.rstrip(".!?)").split() else ""
    if len(last) == 1 and last.isalpha() and not has_cjk(last):
        return False  # a stray letter at the end: a formula or a label merged into the line
    if not definition and not has_cjk(phrase) and re.fullmatch(r"[A-Z0-9\-/]{2,8}s?", phrase.strip()):
        return False  # a bare abbreviation: guessable, or a keyword of a listing
    found = re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", sentence, re.IGNORECASE)
    if found is None:
        return False
    after = sentence[found.end() :].lstrip()
    if not definition and after.startswith((":", "：", "|")):
        return False  # a label in front of its content ("Attacks: ..."): the card would ask for a heading
    if looks_like_code(sentence):
        return False
    rest = (sentence[: found.start()] + " " + sentence[found.end() :]).strip()
    if len(words(rest)) < 4 and not has_cjk(rest):
        return False  # too little left to point at the term
    if gives_away(rest, phrase):
        return False  # "weak entity set ... many {{weak entities}}": the rest says it
    return readable(sentence, lang)


def _stems(text: str, lang: str) -> set[str]:
    return {stem(w, lang) for w in content_tokens(text, lang)}


def agenda_like(items: list[str], other_titles: list[str], lang: str = "en") -> bool:
    """A list whose items are mostly (the words of) the titles of the lecture's other sections is its
    outline."""
    titles = [_stems(t, lang) for t in other_titles if t]
    hits = 0
    for item in items:
        mine = _stems(item, lang)
        if mine and any(mine <= t for t in titles):
            hits += 1
    return hits * 2 >= len(items)


def list_ok(title: str, items: list[str], lang: str = "en") -> bool:
    """A list card's lead-in and items are words, not formula pieces or a garbled title."""
    if _MATH_ALNUM.search(title) or "=" in title or fragment_reason(title.rstrip(":")):
        return False
    if not readable(" ".join([title, *items]), lang):
        return False
    return not any(_MATH_ALNUM.search(i) or sum(ch.isalpha() for ch in i) < 3 for i in items)


def figure_answer(caption: str, lang: str = "en") -> str | None:
    """The answer of a figure card: the figure's own numbered caption without its number, or None when
    the text is no such caption (words near the picture, OCR'd labels, credits)."""
    flat = " ".join(caption.split())
    mark = _CAPTION_MARK.match(flat)
    if mark is None:
        return None
    text = flat[mark.end() :].strip()
    if has_cjk(text):
        return text if len(text) >= 4 else None
    if len(words(text)) < 3 or fragment_reason(text) or boilerplate_reason(text) or not readable(text, lang):
        return None
    return text


_SYMBOL = re.compile(r"\d+(?:[.,]\d+)?|[^\W\d_]")
_PROSE_START = re.compile(r"^(?:we|let|then|so|here|for|if|where|note|thus|hence|since|with)\b", re.I)


def sheet_formula(text: str) -> bool:
    """A formula line worth a line of the sheet: not a lead-in ("We have S = 1:") whose formula is lost,
    nor a trivial identity with one symbol on each side ("q+ = q", "k = 5"; "F = ma" is no identity)."""
    flat = " ".join(text.split())
    if flat.endswith((":", "：")) or _PROSE_START.match(flat):
        return False
    left, eq, right = flat.partition("=")
    sides = (left.strip(), right.strip())
    return not (eq and all(len(x) <= 3 and len(_SYMBOL.findall(x)) <= 1 for x in sides))
