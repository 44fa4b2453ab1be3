"""Glossary items as definitions: "Forget gate (f) - controls ...", "The testing set (or test set) is ...",
"Data flow diagram (DFD) is ...", items of one list ending on "," or "and". Used by candidates.py."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any, Protocol

from shared.schemas import SourceRef
from shared.text import fold

_SYMBOL = re.compile(r"\s*\((?![A-Z][A-Za-z0-9-]*s?\))[^()]{1,3}\)$")  # "(f)", "(x_t)"; not "(DFD)"
_LIST_END = re.compile(r"(?:[,;]\s*(?:and|or)?|\s(?:and|or))$", re.I)  # an item's tail in a list sentence
# A term followed by its other names or its abbreviation in brackets, then its defining verb.
_ALIAS = re.compile(
    r"^(?P<head>[^,;:.!?()]{2,60}?)\s*\((?P<inner>(?:or|also|aka) [^()]{2,60}|[A-Z][A-Za-z0-9-]*s?)\)\s+"
    r"(?P<rest>(?:is|are|refers? to|means|denotes)\s.*)$"
)


class _Defined(Protocol):
    @property
    def term(self) -> str: ...
    @property
    def ref(self) -> SourceRef: ...


# A "definition" that only announces the list the next lines give: "Relation: made up of 2 parts",
# "consists of three components", "has the following steps". Without its items it defines nothing.
_ANNOUNCES_LIST = re.compile(
    r"^(?:(?:is|are)\s+)?(?:made\s+up\s+of|composed\s+of|consists?\s+of|comprises?|contains?|includes?|has|have|"
    r"(?:is|are)?\s*divided\s+into|split\s+into|falls?\s+into)\s+(?:the\s+following|\d+|two|three|four|five|six|"
    r"seven|eight|nine|ten|several|many|some)(?:\s+\w+)?\s*(?:parts?|components?|elements?|types?|kinds?|steps?|"
    r"phases?|stages?|categories|classes|levels?|aspects?|pieces?|sections?|layers?|items?|properties|rules?)?"
    r"\s*[:.]?$",
    re.I,
)


def announces_list(definition: str) -> bool:
    """Whether a definition only announces a list ("made up of 2 parts"): no definition to learn."""
    return bool(_ANNOUNCES_LIST.match(" ".join(definition.split()).strip()))


def strip_symbol(term: str) -> str:
    """ "Forget gate (f)" -> "Forget gate": the concept, not the letter of its formula (an abbreviation in
    capitals stays: "Data flow diagram (DFD)")."""
    return _SYMBOL.sub("", term)


def strip_list_end(text: str) -> str:
    """ "decides how much ... to add, and" -> "decides how much ... to add": a list item's tail."""
    return _LIST_END.sub("", text).strip()


def split_alias(sentence: str) -> tuple[str, str]:
    """The sentence with the bracket after its term removed, and the abbreviation to keep with the term
    ("" for other names: "The testing set (or test set or holdout set) is ..." defines "testing set")."""
    m = _ALIAS.match(sentence)
    if m is None:
        return sentence, ""
    inner = m["inner"]
    abbreviation = "" if inner.lower().startswith(("or ", "also ", "aka ")) else inner
    return f"{m['head']} {m['rest']}", abbreviation


def head_counts(definitions: Sequence[_Defined]) -> Counter[tuple[int, str]]:
    """How many terms of several words each slide defines per last word ("... gate")."""
    return Counter((d.ref.page, fold(d.term).split()[-1]) for d in definitions if len(d.term.split()) > 1)


def sibling_name(d: _Defined, heads: Counter[tuple[int, str]]) -> bool:
    """A term named like its siblings defined on the same slide ("Input gate" beside "Forget gate" and
    "Output gate"): a concept's name whose first word only looks like a form label ("Input: ...")."""
    from workers.generation.validity import generic_label

    head = fold(d.term).split()[-1]
    return len(d.term.split()) > 1 and heads[(d.ref.page, head)] >= 2 and not generic_label(head)


_TITLE_TERM = re.compile(r"^(?P<prefix>[^:]{2,40}):\s*(?P<term>[^:]{2,50})$")  # "Training: Acceptor RNN"
_EXAMPLE_TAIL = re.compile(r",?\s*\(?\b(?:e\.g\.|i\.e\.|for example|for instance)[,:]?\s.*$", re.I)


class _Titled(Protocol):
    @property
    def title(self) -> str: ...
    @property
    def points(self) -> Sequence[Any]: ...


def title_terms(groups: Sequence[_Titled]) -> list[tuple[int, str, str]]:
    """Sibling slides that each name one variant in their title and explain it in one line ("Training:
    Acceptor RNN" / "One output neuron per class to learn for the whole text", beside "Training: Transducer
    RNN"): (group index, term, explanation). Siblings share the title's prefix and the term's last word;
    a slide with more than one line is no such definition (its lines say several things)."""
    parsed = {i: _TITLE_TERM.match(" ".join(g.title.split())) for i, g in enumerate(groups)}
    kin = Counter(
        (fold(m["prefix"]), fold(m["term"]).split()[-1]) for m in parsed.values() if m and m["term"].split()
    )
    out = []
    for i, m in parsed.items():
        if m is None or not m["term"].split() or len(groups[i].points) != 1:
            continue
        if kin[(fold(m["prefix"]), fold(m["term"]).split()[-1])] < 2:
            continue
        line = _EXAMPLE_TAIL.sub("", groups[i].points[0].text).strip().rstrip(".")
        if line and not line.endswith(("?", ":", "!")) and fold(m["term"]) not in fold(line):
            out.append((i, m["term"].strip(), line))
    return out
