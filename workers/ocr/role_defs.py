"""Definitions that are no definitions, by their form (issue 12, session 18). ``split_definition`` takes any
"Label: ...", "X - ..." or "X is a ..." for a term and its explanation; a definition becomes a knowledge unit
(a flashcard, a cheat-sheet entry), so a false one is a bad card. Each rule below reads the SHAPE of the
pair, not a deck's words, and has a name in ``role_rules.RULES``:

- ``remark_labels``: the text after "Label:" is a remark, not an explanation: it opens a quoted passage that
  runs on past the line (a speaker quoted: 'Pierce: "Negative pas is placed ...'), opens with a first- or
  second-person pronoun (the slide talking to the class: "Downside: You don't have a good estimate ..."),
  or, with its wrapped lines, ends in a question mark ("Big idea: What if ... your modeling decisions?").
- ``count_labels``: the "term" opens with a count or an ordinal (digits, a number word, or a numbered
  example's "(10)"): "Two important ICs: primary and foreign keys", "3 relations: Employees, ...",
  "Первый способ: ...", "(13) Summary of German data: ...": it announces or numbers items, it names no
  concept.
- ``clause_terms``: the "term" is itself a clause: it opens with a subordinating conjunction ("If a system
  is a networked system ...", "If input formats are known then ...") or carries a finite copula that does
  not name what follows ("Safety problems are accidental - the software ...", "ICs are specified when
  schema is defined"; kept: "If so, this is a participation constraint: ...").
- ``single_item_leads`` (list lead-ins): lead-ins that alternate with one line each head those lines.
- ``relative_refers``: the only defining phrase is "refer(s) to" inside a relative clause or with a pronoun
  object ("... Enrolled tuples that refer to it"): nothing is defined.

A definition line a rule rejects becomes body, and so do its wrapped continuations. The closed word
classes (pronouns, number words, subordinators, copulas) are listed for English, Spanish and Russian;
other languages (Chinese, Hindi) keep the old behaviour.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from workers.ocr.line_cues import split_definition, strip_bullet
from workers.ocr.role_forms import definition_runs
from workers.ocr.role_rules import is_definition_form

DEFINITION_RULES = ("remark_labels", "count_labels", "clause_terms", "relative_refers")

_SEPARATOR_AFTER = re.compile(r"^\s*(?:[:：]|[–—-])\s*")
_QUOTE_OPEN = re.compile(r"^[\"“”„«‘’'`]")
_PERSON = re.compile(
    r"^(?:you|we|you['’]\w+|we['’]\w+|usted|ustedes|nosotros|tú|yo|вы|мы|ты|я)\b(?!\.)", re.I
)
# "I" the pronoun ("I think ...", "I'm"), not the symbol ("I = V/R", "I/O", "I is the identity matrix")
_I_PRONOUN = re.compile(r"^I(?:['’][a-z]+\b|\s+(?:was\b|(?!is\b|are\b|has\b)[a-z]+(?<!s)\b))")
_CARDINAL = (
    r"two|three|four|five|six|seven|eight|nine|ten|dos|tres|cuatro|cinco|seis|два|две|три|четыре|пять|шесть"
)
_ORDINAL = (
    r"first|second|third|fourth|fifth|primer|primera|primero|segundo|segunda|tercer|tercera|tercero|cuarto|"
    r"cuarta|первый|первая|первое|второй|вторая|второе|третий|третья|третье|четвертый|четвёртый|четвертая|"
    r"четвёртая|пятый|пятая"
)
# the nouns an ordinal enumerates with ("Second way", "Первый способ"); "Second law", "First Amendment",
# "Second messenger" name things
_STEP_NOUN = (
    r"ways?|steps?|methods?|approach(?:es)?|examples?|cases?|options?|reasons?|points?|stages?|attempts?|"
    r"способы?|шаги?|шаг|методы?|пример|примеры|случаи?|варианты?|этапы?|подходы?|"
    r"pasos?|métodos?|ejemplos?|casos?|formas?|maneras?|opciones?|opción|enfoques?|etapas?"
)
# a count of things over their list ("Two important ICs: primary and foreign keys", "3 relations: Employees,
# Hourly_Emps and Contract_Emps"), an ordinal over a noun of steps ("Первый способ: ..."), or a numbered
# example's "(10)"; "Six Sigma: a set of techniques ...", "Second law: ..." are terms
_COUNTED = re.compile(rf"^(?:\d+|{_CARDINAL})\s+[^\W\d]", re.I)
_ORDINAL_STEP = re.compile(rf"^(?:{_ORDINAL})\s+(?:{_STEP_NOUN})$", re.I)
_EXAMPLE_NUMBER = re.compile(r"^\(\d{1,3}[a-z]?\)\s*\S")
_LIST_JOIN = re.compile(r"\s(?:and|or|y|o|и|или|et|ou|und|oder)\s", re.I)


def _is_list(text: str) -> bool:
    """An explanation that is a list: two or more commas, or a short phrase joined by "and"/"or"."""
    text = text.strip()
    return text.count(",") >= 2 or (bool(_LIST_JOIN.search(f" {text} ")) and len(text.split()) <= 6)


_SUBORDINATOR = re.compile(  # "while" and "once" name things too ("While loop", "Once-only")
    r"^(?:if|when|whenever|although|though|because|unless|cuando|aunque|porque|если|когда|хотя)\s", re.I
)
# (not "son": French for "sound", "his")
_COPULA = re.compile(r"\s(?:is|are|was|were|es|está|están)\s+(?P<after>\S+)", re.I)
_ARTICLE = re.compile(r"^(?:a|an|the|un|una|el|la|le|les|der|die|das|ein|eine)$", re.I)
_RELATIVE_REFERS = re.compile(
    r"\b(?:that|which|who|whose|que|cual)\s+refers?\s+to\b|\brefers?\s+to\s+(?:it|them|this|these|that)\b",
    re.I,
)

_REFERS = re.compile(r"\brefers?\s+to\b", re.I)


def _pair(line: str) -> tuple[str, str, str] | None:
    """(term, explanation, how): how the line splits ("label": a separator, "verb": "X is a ...",
    "phrase": a defining phrase and no term)."""
    pair = split_definition(line)
    if pair is None:
        return None
    term, expl = pair
    if not term:
        return term, expl, "phrase"
    text = strip_bullet(line)
    at = text.find(term)
    rest = text[at + len(term) :] if at >= 0 else ""
    return term, expl, "label" if _SEPARATOR_AFTER.match(rest) and not rest.startswith(" is") else "verb"


def remark_label(term: str, expl: str, how: str, run: str) -> bool:
    """``remark_labels``: "Label: <a quotation | a sentence to the class | a question>"."""
    if how != "label":
        return False
    text = expl.strip()
    person = _PERSON.match(text) or _I_PRONOUN.match(text)
    return bool(_passage(text, run) or person) or run.rstrip().endswith(("?", "？"))


def _passage(text: str, run: str) -> bool:
    """A quoted passage: a quotation mark, a capital, and no closing mark on the line ('Pierce: "Negative
    pas is placed ...' over its next lines); a short quoted definition ('Ontology: "A formal specification
    of a conceptualization"') closes on its line, and a longer one that opens with an article and closes on
    its wrapped lines ('Ontology: "An explicit, formal specification of a shared' / 'conceptualization of a
    domain" (Gruber 1993)') is a definition too."""
    opening = _QUOTE_OPEN.match(text)
    if not opening:
        return False
    rest = text[opening.end() :].lstrip("\"“”„«‘’'`")
    if not rest[:1].isupper() or re.search(r"[\"“”»’']", rest):
        return False
    at = run.find(rest)
    closes_later = at >= 0 and bool(re.search(r"[\"“”»’']", run[at + len(rest) :]))
    return not (closes_later and _ARTICLE.match(rest.split()[0]))


def count_label(term: str, expl: str, how: str) -> bool:
    """``count_labels``: a term that is a numbered example's mark, an ordinal over a noun of steps, or a count
    over the list it counts."""
    if how not in ("label", "verb"):
        return False
    text = strip_bullet(term).strip()
    words = text.split()
    if len(words) >= 2 and all(w[:1].isupper() or w[:1].isdigit() for w in words):
        return bool(_EXAMPLE_NUMBER.match(text))  # a name: "Four Noble Truths", "Seven Years' War"
    return bool(
        _EXAMPLE_NUMBER.match(text)
        or _ORDINAL_STEP.match(text)
        or (_COUNTED.match(text) and (not expl.strip() or _is_list(expl)))
    )


def clause_term(term: str, how: str) -> bool:
    """``clause_terms``: a term that opens with a subordinator or holds a copula; a copula with an article
    after it names what the separator explains ("If so, this is a participation constraint: ...")."""
    if how not in ("label", "verb"):
        return False
    text = strip_bullet(term)
    copula = _COPULA.search(f" {text}")
    if copula is not None:
        return not _ARTICLE.match(copula["after"])
    return bool(_SUBORDINATOR.match(text)) and len(text.split()) >= 3


def relative_refers(line: str, how: str) -> bool:
    """``relative_refers``: the defining phrase is "that refer to ..." / "refers to it"."""
    if how != "phrase" or not _RELATIVE_REFERS.search(line):
        return False
    return not _REFERS.search(_RELATIVE_REFERS.sub("", line))


def false_definition(line: str, run: str, rules: frozenset[str]) -> str:
    """The name of the rule that finds ``line`` (a line that ``split_definition`` splits; ``run``: the line
    with its wrapped continuations) no definition, or ""."""
    parts = _pair(line)
    if parts is None or ("definition_form" in rules and is_definition_form(line)):
        return ""
    term, expl, how = parts
    if "remark_labels" in rules and remark_label(term, expl, how, run):
        return "remark_labels"
    if "count_labels" in rules and count_label(term, expl, how):
        return "count_labels"
    if "clause_terms" in rules and clause_term(term, how):
        return "clause_terms"
    if "relative_refers" in rules and relative_refers(line, how):
        return "relative_refers"
    return ""


def definition_shapes(
    lines: Sequence[str], roles: list[str], content: Sequence[int], rules: frozenset[str]
) -> None:
    """Definition lines (and their wrapped continuations) that a rule above finds no definition: body."""
    if not any(rule in rules for rule in DEFINITION_RULES):
        return
    for run in definition_runs(lines, roles, content):
        joined = " ".join(lines[j].strip() for j in run)
        if false_definition(lines[run[0]], joined, rules):
            for j in run:
                roles[j] = "body"


# --- lead-ins over one line each ------------------------------------------------------------------
def single_item_leads(lines: Sequence[str], roles: list[str], content: Sequence[int]) -> None:
    """``single_item_leads``: lead-ins that alternate with ONE line each ("Left singular vectors:" / "U is an
    M x M unitary matrix ..." / "Right singular vectors:" / "V is ...", twice or more in a row) head those
    lines; no list follows them: heading."""
    leads = [n for n, i in enumerate(content) if roles[i] == "list_lead"]
    chain: list[int] = []
    for n in [*leads, -10]:
        if chain and n == chain[-1] + 2 and roles[content[chain[-1] + 1]] not in ("list_lead", "heading"):
            chain.append(n)
            continue
        if len(chain) >= 2:
            for k in chain:
                roles[content[k]] = "heading"
        chain = [n]


__all__ = ["DEFINITION_RULES", "definition_shapes", "false_definition", "single_item_leads"]
