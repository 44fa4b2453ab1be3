"""Which flashcard forms a deck keeps, and the last checks every card passes before it is stored.

Blind judges rated 186 dev cards of two rounds (benchmarks/results/session3/judged_cards_dev_{before,after}
.json with items_dev_*.json). Valid / worth keeping per form, as ``form_of`` names them:

    form             valid  keep   what the judges said of the invalid ones
    definition       38/57  38/57  a bare word that does not pin the back ("Security", "Swedish"), a remark
      (term -> its                 instead of a definition ("Exploding gradients: a serious problem because
      definition)                  ...", "IC: a statement about all possible instances!", "a business rather
                                   than a technical process"), a description for a term ("common attack on
                                   a web-based system"), example data ("3 relations", "Hourly_Emps")
    cloze_definition 19/28  19/28  OCR'd labels ("Assurption", "Ansver"), a form's field or a table row of
      ("{{Term}}: ...")            an example ("Data (assets): ...", "Attacks: A network monitor is added
                                   ..."), bullets inside the blank, a cue too short to pin one term ("a
                                   table, with rows and columns")
    cloze_subject    20/24  18/24  code keywords (SELECT, CREATE), "these goals" / "these changes" unnamed,
      (the blank is                a heading with no verb ("MISO channels with slow fading"), a sentence
      the subject)                 cut off ("... when knowledge of X and Y"), OCR words
    cloze_inner      25/56  21/56  several words fit ("From a ___ perspective"), no subject ("Only provides
      (a blank inside              an estimate of ___"), guessable ("a formal ___ specification"), a
      the line)                    fragment of code, "This is called ..."
    list (ordered    10/16   7/16  the lecture's outline, sub-headings, a list made of slide fragments
      cloze)
    figure            4/5    4/5   a figure's input label taken for what it shows

So a deck keeps definitions, definition clozes, subject clozes, lists and figures, each passing the quiz's
checks for its parts (``quiz_checks``: a name for a term, a definition that pins one term, a whole readable
sentence), and drops blanks inside a line. ``form_problem`` says why a card is dropped, or None. On the
186 judged cards it keeps 82, of which 78 were judged valid and 75 worth keeping
(benchmarks/results/session5_cards/README.md).
"""

from __future__ import annotations

import re
from collections import Counter

from shared.text import content_tokens, fold, has_cjk, stem, words
from workers.generation.cardrules import list_ok
from workers.generation.quiz_checks import (
    cut_clause,
    definition_problem,
    notation_symbol,
    statement_problem,
    term_problem,
)
from workers.generation.quiz_forms import BLANK, subject_blank

MAX_TERM_WORDS = 5  # a key term is a name, not a description ("Incorrect processing of badly formed inputs")
_CLOZE = re.compile(r"\{\{c\d+::([^{}]*)\}\}")  # no brace inside: linear on hostile text
_LIST = re.compile(r"^[^{]*\(\d+\): ")
_DEFINITION_CLOZE = re.compile(r"^\{\{c\d+::[^}]*\}\}\s*(?:[:：]|—|–|\s-\s)")
# A remark about a term, not what it is: "a serious problem because ...", "an essential pre-requisite for".
_REMARK = re.compile(
    r"^(?:a|an|the)\s+(?:(?:very|really|most|more|serious|major|big|main|key|important|essential|significant|"
    r"real|general|common|typical|particular|special|good|bad|difficult|hard)\s+)+"
    r"(?:problem|issue|cause|challenge|concern|pre-?requisite|factor|part|point|aspect|example|statement)\b",
    re.I,
)
# A reference to something the card does not name: "implementing these goals", "such a system".
_UNNAMED = re.compile(r"\b(?:these|those|such)\s+[a-z]+|\bthis\s+(?!is\b)[a-z]+", re.I)
# A lone symbol then a dash in a definition: the next glossary line merged in ("... weights w — scheme").
_MERGED_SYMBOL = re.compile(r"(?:^|\s)[^\W\d_]\s+[—–]\s")
_LIST_ITEMS = re.compile(r"^(?P<title>[^{]*?) \(\d+\): (?P<items>.*)$")


def lecture_text(slides: list[tuple[str, str]]) -> str:
    """A lecture's slides (title, text), one per form feed, for the "word seen once: OCR misreading" check."""
    return "\f".join(f"{title}\n{text}" for title, text in slides)


def hidden(front: str) -> str:
    """The words a cloze hides."""
    m = _CLOZE.search(front)
    return m.group(1) if m else ""


def sentence_of(front: str) -> str:
    """A cloze's sentence with its blank shown as the quiz's blank."""
    return _CLOZE.sub(BLANK, front, count=1)


def form_of(kind: str, front: str, back: str, *, figure: bool = False) -> str:
    """The form of a card: definition, cloze_definition, cloze_subject, cloze_inner, list or figure."""
    if figure:
        return "figure"
    if kind != "cloze":
        return "definition"
    if _LIST.match(front):
        return "list"
    if _DEFINITION_CLOZE.match(front):
        return "cloze_definition"
    return "cloze_subject" if subject_blank(sentence_of(front)) else "cloze_inner"


def _term_problem(term: str, lang: str, lecture_text: str, definition: str | None = None) -> str | None:
    """A name to recall: not a description, and not a symbol of notation ("Sy", "Bo" of a formula's tuple:
    hidden in a cloze, nothing in the card says a letter of notation is asked; judged invalid 2 of 2), nor
    one its definition glosses as a set ("Vwt — набор весов вершин": quiz_checks.notation_symbol)."""
    if len(words(term)) > MAX_TERM_WORDS and not has_cjk(term):
        return "description"
    if definition is not None and notation_symbol(term, definition, lang):
        return "symbol"
    return term_problem(term, lang, lecture_text)


def remark(definition: str) -> bool:
    """A remark about a term ("a serious problem because ..."), not what it is."""
    return bool(_REMARK.match(" ".join(definition.split())))


def _definition_problem(definition: str, lang: str) -> str | None:
    flat = " ".join(definition.split())
    if lang == "en" and remark(flat):
        return "remark"
    if _MERGED_SYMBOL.search(flat):
        return "merged_lines"
    return definition_problem(flat, lang)


def circular(term: str, definition: str, lang: str = "en") -> bool:
    """A definition most of whose words are the term's own ("Security requirements definition: Define system
    security requirements"): the front gives the back away. Words match on their first five letters (define /
    definition). Half is not enough: "Operational security: concerned with the secure operation and use of
    systems" was judged a fair card."""
    if has_cjk(term) or has_cjk(definition):
        return False
    mine = {w.lower()[:5] for w in content_tokens(term, lang)}
    said = [w.lower()[:5] for w in content_tokens(definition, lang)]
    return bool(said) and sum(w in mine for w in said) * 2 > len(said)


def _list_problem(front: str, back: str, lang: str) -> str | None:
    m = _LIST_ITEMS.match(front)
    if m is None:
        return "no_list"
    shown = [i.strip() for i in m["items"].split("; ") if i.strip() and i.strip() != "…"]
    if not any(_CLOZE.search(i) is None for i in shown):
        return "no_sibling_shown"  # "Protection (3): {{c1::...}}; …": only the title, which fits every item
    return list_problem(m["title"], [_CLOZE.sub(r"\1", i) for i in shown], lang)


def list_problem(title: str, items: list[str], lang: str = "en") -> str | None:
    """Why a list is no list to learn in order: formula pieces or debris, or items that are sub-headings
    each opening with the title's first word ("Security and dependability": "Security and reliability",
    "Security and availability", ...), whose cards recall headings, not facts."""
    if not list_ok(title, items, lang):
        return "list_debris"
    head = fold(words(title)[0]) if words(title) else ""
    if len(items) >= 2 and all(words(i) and fold(words(i)[0]) == head for i in items):
        return "subheadings"
    return None


# A list whose order the slides fix: steps, stages or levels, named in its title or in every item, or
# items that count ("First ...", "1. ..."). Any other list is a set: a cloze blanking one position with
# only the items before it shown admits every item not yet shown ("Security dimensions (3):
# {{Confidentiality}}; ...": Integrity or Availability fit as well; 6 of 6 judged invalid), so a set's
# cloze shows all the other items.
_ORDER_TEXT = """step steps stage stages phase phases level levels layer layers tier tiers process procedure
    lifecycle cycle sequence order hierarchy pipeline workflow algorithm timeline history evolution
    paso pasos etapa etapas fase fases nivel niveles capa capas proceso procedimiento ciclo secuencia orden
    étape étapes niveau niveaux couche couches processus procédure séquence ordre"""
_ORDER_WORDS = frozenset(_ORDER_TEXT.split())
_COUNTING = re.compile(
    r"^(?:\d+[.)]|first|second|third|fourth|fifth|then|finally|next|primero|segundo|tercero|luego|"
    r"finalmente|premier|première|deuxième|troisième|ensuite|enfin)\b",
    re.I,
)


def ordered_list(title: str, items: list[str]) -> bool:
    """The slides fix the list's order: an order word in its title ("Steps of ...", "Security levels"), in
    every item ("Platform-level protection", ...) or items that count ("First ...", "Then ...")."""

    def named(text: str) -> bool:
        return any(fold(w) in _ORDER_WORDS for w in re.split(r"[\W_]+", text) if w)

    if named(title) or (items and all(named(i) for i in items)):
        return True
    return len(items) >= 2 and sum(bool(_COUNTING.match(i.strip())) for i in items) >= len(items) - 1


# A set's cards all show the same items: two of them, not one per item crowding the lecture's definitions
# out of a deck's cards (dev: 8 cards of one list took the place of 5 definitions).
MAX_SET_CARDS = 2


def asked_items(title: str, items: list[str]) -> list[int]:
    """The positions a list's cards ask: every item of an ordered list (recalled in order), at most
    ``MAX_SET_CARDS`` of a set, spread over it (first and last)."""
    n = len(items)
    if ordered_list(title, items) or n <= MAX_SET_CARDS:
        return list(range(n))
    return sorted({round(i * (n - 1) / (MAX_SET_CARDS - 1)) for i in range(MAX_SET_CARDS)})


def list_cloze(title: str, items: list[str], k: int) -> str:
    """The front of the cloze on item ``k``: an ordered list shows the items before it (recall in order), a
    set shows all the other items, so only one item fits the blank. The first item of an ordered list has
    none before it: it shows the ones after it, as a set would ("Protection (3): {{c1::...}}; …" left the
    title alone to pin the first level; judged invalid on dev)."""
    blank = "{{c1::" + items[k].replace("}", ")") + "}}"
    if ordered_list(title, items) and k > 0:
        shown = [*items[:k], blank]
        return f"{title} ({len(items)}): " + "; ".join(shown) + ("; …" if k < len(items) - 1 else "")
    return f"{title} ({len(items)}): " + "; ".join([*items[:k], blank, *items[k + 1 :]])


def form_problem(
    kind: str, front: str, back: str, lang: str = "en", *, figure: bool = False, lecture_text: str = ""
) -> str | None:
    """Why a card of this form is not kept (a short code), or None."""
    form = form_of(kind, front, back, figure=figure)
    if form == "figure":
        return None  # built from the figure's own numbered caption (cardrules.figure_answer)
    if form == "list":
        return _list_problem(front, back, lang)
    if form == "cloze_inner":
        return "inner_blank"
    if form == "definition":
        reason = _term_problem(front, lang, lecture_text, back)
        if reason:
            return f"term:{reason}"
        if circular(front, back, lang):
            return "definition:circular"
        reason = _definition_problem(back, lang)
        if reason == "sentence" and len(words(front)) >= 2:
            reason = None  # "Vulnerability avoidance: The system is designed so that ...": a precise name
        return f"definition:{reason}" if reason else None
    term = hidden(front)
    sentence = sentence_of(front)
    rest = re.split(r"[:：—–]|\s-\s", sentence.split(BLANK, 1)[-1], maxsplit=1)[-1]
    reason = _term_problem(term, lang, lecture_text, rest if form == "cloze_definition" else None)
    if reason:
        return f"term:{reason}"
    if form == "cloze_definition":
        if circular(term, rest, lang):
            return "definition:circular"
        reason = _definition_problem(rest, lang)
        return f"definition:{reason}" if reason else None
    if _UNNAMED.search(sentence) and not has_cjk(sentence):
        return "unnamed_reference"
    if lang == "en" and part_fits(term, sentence, lecture_text):
        return "part_fits"
    if lang == "en" and cut_clause(sentence):
        return "sentence:cut_off"
    filled = sentence.replace(BLANK, term, 1)
    reason = statement_problem(filled, lang, lecture_text)
    return f"sentence:{reason}" if reason else None


_LINE_VERB = r"(?:is|are|should|must|can|may|will|has|have)\b"


def part_fits(term: str, sentence: str, lecture_text: str, lang: str = "en") -> bool:
    """A shorter name inside the hidden term would fill the blank as well: "_____ is a business rather than
    a technical process" hides "Security risk analysis", but the slide "Security is a business issue" says
    it of "Security" (judged ambiguous). True when a line or title opens with a part of the term and a
    verb and says what the sentence says: two content words in common, or one for a short line (a title's
    claim); words on many of the lecture's lines ("system") do not count."""
    ws = words(term)
    if len(ws) < 2 or not lecture_text:
        return False
    lines = [x.strip() for x in lecture_text.replace("\f", "\n").split("\n") if x.strip()]
    seen = Counter(w for x in lines for w in {stem(t, lang) for t in content_tokens(x, lang)})
    common = {w for w, n in seen.items() if n > max(3, 0.05 * len(lines))}
    rest = {stem(w, lang) for w in content_tokens(sentence.replace(BLANK, " "), lang) if len(w) >= 4} - common
    parts = {" ".join(ws[i:j]) for i in range(len(ws)) for j in range(i + 1, len(ws) + 1)} - {term}
    for flat in lines:
        for part in parts:
            if len(part) < 4 or not re.match(rf"(?i)(?:the\s+)?{re.escape(part)}\s+{_LINE_VERB}", flat):
                continue
            said = {stem(w, lang) for w in content_tokens(flat, lang) if len(w) >= 4}
            shared = rest & (said - {stem(w, lang) for w in content_tokens(part, lang)})
            if len(shared) >= 2 or (shared and len(words(flat)) <= 6):
                return True
    return False


def fact_of(kind: str, front: str, back: str) -> str:
    """What a card teaches, folded: a definition card's back, a cloze's sentence without its "Term:" label
    (a list's item and a figure's caption teach their own)."""
    if kind != "cloze" or _LIST.match(front):
        return fold(back) if kind != "cloze" else ""
    sentence = _CLOZE.sub(r"\1", front)
    if _DEFINITION_CLOZE.match(front):
        sentence = re.split(r"[:：—–]|\s-\s", sentence, maxsplit=1)[-1]
    return fold(sentence)


def same_sentence(a: str, b: str) -> bool:
    """Two cards teaching one sentence: a term card "Threat" / "Circumstances that ..." and a cloze of the
    line "Threat: Circumstances that ..." (one of them is enough)."""
    a, b = a.strip(" ."), b.strip(" .")
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    return short == long or (len(short.split()) >= 5 and short in long)


def asks(kind: str, front: str) -> str:
    """The term a card asks for (a cloze's hidden words, a definition card's front), folded."""
    return fold(hidden(front) if kind == "cloze" else front)


def same_fact(a: tuple[str, str, str], b: tuple[str, str, str], lang: str = "en") -> bool:
    """Two cards (kind, front, back) asking the same term with mostly the same other words: "Additive
    architectures such as the LSTM mitigate the vanishing gradient problem" and "Additive recurrent
    architectures are (more) resistant to vanishing gradient"."""
    if asks(a[0], a[1]) != asks(b[0], b[1]) or not asks(a[0], a[1]):
        return False
    if a[0] != b[0]:
        return False  # a definition card and a cloze of the same term ask different things
    term = {stem(w, lang) for w in content_tokens(asks(a[0], a[1]), lang)}

    def rest(card: tuple[str, str, str]) -> set[str]:
        text = _CLOZE.sub(" ", card[1]) + " " + card[2]
        return {stem(w, lang) for w in content_tokens(text, lang)} - term

    ra, rb = rest(a), rest(b)
    return bool(ra and rb) and len(ra & rb) / min(len(ra), len(rb)) >= 0.5
