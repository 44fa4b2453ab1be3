"""Lists of defined kinds: a slide that names the kinds of something, each with a short definition ("LSTM
uses 3 gates": "Forget gate (f) - controls how much ...", "Input gate (i) - decides ...", "Output gate (o) -
controls ..."; "Threat types": "Interception threats that allow an attacker to ...").

A group of slides is such a list when it defines 3 to 6 terms of one kind: their names end on the same head
noun ("... gate", "... threats", "... security"), or its title says it lists kinds ("Security dimensions",
"Types of ...", "LSTM uses 3 gates": the number is the count of its terms). A glossary of unrelated terms
("Security terminology": Asset, Attack, Control) is no such list.

What a student is asked about it:
- "What are the 3 kinds of gate in “LSTM uses 3 gates”?" (short answer: the kinds);
- each kind from its definition, the sibling kinds as the options: "Which kind of gate decides how much of
  the input local to the current cell to add to the conveyor belt?" (Forget gate / Input gate / Output gate);
- cards: the list as clozes (flashcards' list cards), one card per kind.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from shared.schemas import QuizQuestion, SourceRef
from shared.text import fold, has_cjk, stem, words
from workers.generation.candidates import Definition, Group, LectureCandidates
from workers.generation.cardrules import good_definition
from workers.generation.keyterms import ListUnit
from workers.generation.quiz_checks import term_problem
from workers.generation.quiz_kinds import question, title_problem
from workers.generation.structure import _named, _pairs, worked_case
from workers.generation.textutil import contains_phrase, shorten
from workers.generation.validity import agenda_title, boilerplate_reason

MIN_KINDS, MAX_KINDS = 3, 6
MAX_TERM_WORDS = 4
MAX_DEFINITION_WORDS = 30
_KIND_WORD = re.compile(
    r"\b(?:types?|kinds?|classes|categories|levels|dimensions|varieties|tipos|clases|categorías|niveles|"
    r"виды|типы|классы|уровни)\b",
    re.I,
)
_NUMBER = re.compile(r"\b(\d|two|three|four|five|six)\b", re.I)
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_SYMBOL = re.compile(r"\s*\([^)]{1,12}\)\s*$")  # "Forget gate (f)" -> "Forget gate"
# what a kind does: "controls how much ...", "is concerned with ..."
_VERB_START = re.compile(r"^(?:is|are|has|have|can|may|must|will)\b|^[a-z]+[^s\W]s\b")
_ARTICLE_START = re.compile(r"^(?:a|an|the)\s", re.I)


@dataclass(frozen=True)
class KindList:
    title: str
    kinds: list[Definition]  # in slide order
    head: str  # the head noun they share ("gate"), "" when only the title says they are kinds
    ref: SourceRef
    verbal: bool  # each definition is what the kind does ("controls how much ...") or is ("a set of ...")

    def unit(self) -> ListUnit:
        return ListUnit(title=self.title, items=[d.term for d in self.kinds], ref=self.ref)


def _bare(term: str) -> str:
    return _SYMBOL.sub("", term).strip()


def _head(term: str, lang: str) -> str | None:
    tokens = words(_bare(term))
    if len(tokens) < 2 or has_cjk(term):
        return None
    return stem(tokens[-1].lower(), lang)


def _counted(title: str, n: int) -> bool:
    found = _NUMBER.search(title)
    if found is None:
        return False
    value = found.group(1).lower()
    return (int(value) if value.isdigit() else _NUMBERS[value]) == n


def _group_definitions(lc: LectureCandidates, g: Group) -> list[tuple[Definition, bool]]:
    """The terms the group defines line by line, each with whether its definition says what the kind does
    ("controls how much ...", "allow an attacker to ..."): "Term - definition" lines read as definitions,
    and the kinds its layout names (a name on its line and its explanation on the next; "X, which ...")."""
    pages = {(r.file, r.page) for r in g.refs}
    starts = [fold(p.text) for p in g.points]
    out: list[tuple[Definition, bool]] = [
        (d, _does(d.definition))
        for d in lc.definitions
        if (d.ref.file, d.ref.page) in pages and any(x.startswith(fold(d.term)) for x in starts)
    ]
    pairs = _pairs(g)
    for term, definition, index in pairs or _named(g) or _headed(g):
        d = Definition(term, definition, f"{term}: {definition}.", g.points[index].ref)
        out.append((d, not pairs or _does(definition)))
    seen: set[str] = set()
    unique = []
    for d, verbal in out:
        if fold(d.term) not in seen:
            seen.add(fold(d.term))
            unique.append((d, verbal))
    return unique


_LINE_HEAD = re.compile(r"^(?P<term>[A-Z][\w\-]*(?:\s+[\w\-]+){1,3}?)\s+(?P<rest>[a-z]\w*\s.{8,})$")
_NOT_A_VERB = frozenset(
    [
        "of",
        "for",
        "in",
        "on",
        "to",
        "with",
        "and",
        "or",
        "the",
        "a",
        "an",
        "by",
        "from",
        "as",
        "at",
        "is",
        "are",
        "that",
        "which",
        "who",
    ]
)


def _headed(g: Group) -> list[tuple[str, str, int]]:
    """(name, what it does, index) for 3+ lines that each start with a kind ending on one head noun and go on
    with what it does: "Risk avoidance requirements set out the risks ...", "Risk detection requirements
    define mechanisms ..." (the other lines, an example under each, are left alone)."""
    found: dict[str, list[tuple[str, str, int]]] = {}
    for i, p in enumerate(g.points):
        text = p.text.strip().rstrip(".")
        for m in re.finditer(r"\s+", text):  # every split after 2-4 words: the term, then a verb
            term, rest = text[: m.start()], text[m.end() :]
            n = len(term.split())
            if n > MAX_TERM_WORDS:
                break
            head, words_after = term.split()[-1], rest.split()
            verb = words_after[0] if words_after else ""
            named = n >= 2 and term[:1].isupper() and head.islower() and head.isalpha()
            acts = verb.islower() and verb.isalpha() and verb not in _NOT_A_VERB and len(words_after) >= 4
            if named and acts and _LINE_HEAD.match(text):
                found.setdefault(head.lower(), []).append((term, rest, i))
    best = max(found.values(), key=len, default=[])
    terms = {fold(t) for t, _, _ in best}
    lines = {i for _, _, i in best}
    return best if len(best) >= MIN_KINDS and len(terms) == len(best) == len(lines) else []


def _does(definition: str) -> bool:
    """A definition that says what its term does or is, to follow "Which gate ...": "controls how much
    ...", "is concerned with ...", "the set of data points ..." (not a sentence of its own)."""
    return bool(_VERB_START.match(definition) or _ARTICLE_START.match(definition))


def defined_kinds(lc: LectureCandidates) -> list[KindList]:
    """The lecture's lists of defined kinds, one per slide group at most."""
    lang = lc.text_lang
    out: list[KindList] = []
    for g in lc.groups:
        if title_problem(g.title, lang) or agenda_title(g.title) or worked_case(g.title):
            continue
        found = _group_definitions(lc, g)
        kinds = [d for d, _ in found]
        if not MIN_KINDS <= len(kinds) <= MAX_KINDS:
            continue
        if any(not _fit(d, lc) for d in kinds):
            continue
        heads = {_head(d.term, lang) for d in kinds}
        head = next(iter(heads)) if len(heads) == 1 else None
        if head is None and not (_KIND_WORD.search(g.title) or _counted(g.title, len(kinds))):
            continue  # a glossary of unrelated terms, not the kinds of one thing
        if len({fold(d.definition) for d in kinds}) < len(kinds):
            continue
        name = words(_bare(kinds[0].term))[-1].lower() if head else ""
        verbal = all(v for _, v in found)
        out.append(KindList(g.title, kinds, name, kinds[0].ref, verbal))
    return out


EXPLANATION_CHARS = 240  # a quiz key's explanation, as the other forms keep it


def _fit(d: Definition, lc: LectureCandidates) -> bool:
    """A kind's name and definition a student can be asked about."""
    lang = lc.text_lang
    if len(words(d.term)) > MAX_TERM_WORDS or len(words(d.definition)) > MAX_DEFINITION_WORDS:
        return False
    if not good_definition(d.term, d.definition, lang) or boilerplate_reason(d.definition):
        return False
    if term_problem(_bare(d.term), lang) is not None:
        return False
    return not contains_phrase(d.definition, _bare(d.term))  # its definition names it


def kind_lists(lc: LectureCandidates) -> list[ListUnit]:
    """The lists of defined kinds as list units (flashcards' list clozes)."""
    return [k.unit() for k in defined_kinds(lc)]


# --- quiz ---------------------------------------------------------------------------------------------


def name_kinds_question(kl: KindList, lang: str, text_lang: str) -> QuizQuestion | None:
    """ "What are the 3 kinds of gate in “LSTM uses 3 gates”?" (English only; the key lists the kinds)."""
    if lang != "en" or text_lang != "en":
        return None
    listed = "; ".join(d.term for d in kl.kinds)  # as the slide names them ("Forget gate (f)")
    n = len(kl.kinds)
    if kl.head and kl.head.casefold() == kl.title.strip().casefold():  # "Protection": kinds of protection
        prompt = f"What are the {n} kinds of {kl.head} the slides list?"
    elif kl.head:
        prompt = f"What are the {n} kinds of {kl.head} listed on the slide “{kl.title}”?"
    else:
        prompt = f"What are the {n} items listed on the slide “{kl.title}”?"
    explanation = f"The slides list: {'; '.join(f'{_bare(d.term)}: {d.definition}' for d in kl.kinds)}."
    if len(explanation) > EXPLANATION_CHARS:  # never cut a definition off mid-sentence: the kinds alone
        explanation = f"The slides list: {listed}."
    return question("short_answer", prompt, listed, listed, shorten(explanation, EXPLANATION_CHARS), kl.ref)


def which_kind_question(
    kl: KindList, d: Definition, lang: str, n_options: int, shuffle: Callable[[list[str]], None]
) -> QuizQuestion | None:
    """One kind from its definition, its sibling kinds as the options: "Which kind of gate decides how much
    of the input ...?" or "Which of “Security dimensions” does this describe: “Information ...”?"."""
    if lang != "en":
        return None
    definition = d.definition.strip().rstrip(" .;,")
    if kl.head and kl.verbal:
        verb = ("are " if kl.head.endswith("s") else "is ") if _ARTICLE_START.match(definition) else ""
        which = "Which" if kl.head.endswith("s") else "Which kind of"  # "Which threats allow ..."
        prompt = f"{which} {kl.head} {verb}{definition}?"
    elif kl.head:
        prompt = f"Which kind of {kl.head} does this describe: “{definition}”?"
    else:
        prompt = f"Which of the “{kl.title}” does this describe: “{definition}”?"
    if any(contains_phrase(prompt, _bare(x.term)) for x in kl.kinds):
        return None  # the stem names an option
    key = _bare(d.term)
    others = [_bare(x.term) for x in kl.kinds if x is not d]
    shuffle(others)
    options = [key, *others[: n_options - 1]]
    shuffle(options)
    return question(
        "multiple_choice",
        shorten(prompt, 260),
        "ABCDEF"[options.index(key)],
        key,
        shorten(f"{key}: {definition}.", 240),
        d.ref,
        options=options,
    )
