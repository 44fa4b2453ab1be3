"""Questions from what a lecture explains rather than defines: a line whose subject is one of the lecture's
concept names ("The test set should be as small as possible ...") asked with that name blanked and its
siblings as the options ("training set", "validation set"), or, when the lecture names one sibling only,
as a false statement with the sibling swapped in (the form judges found valid for definitions: a plausible
mistake, not a nonsense line).

Concept names are the terms the lecture defines, the short parts of its slide titles, and the two-word names
it repeats in several sections ("validation set" beside "training set"). Siblings share the head word
("... set", "... gate", "... security") and differ in a modifier that is not a synonym the slides give in
brackets ("testing set (or test set or holdout set)") nor a form of the key's own modifier (test/testing).
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from shared.schemas import QuizQuestion, SourceRef
from shared.text import fold, has_cjk, sentences, stem, stopwords, words
from workers.generation.candidates import (
    Definition,
    LectureCandidates,
    Point,
    blank_out,
    find_definition,
    statement_like,
)
from workers.generation.quiz_checks import cut_clause, similar, statement_problem, term_problem
from workers.generation.quiz_forms import agree, main_verb, subject_blank
from workers.generation.quiz_kinds import ANAPHORIC, kind_of, sentence_ok
from workers.generation.textutil import contains_phrase

_SEGMENT = re.compile(r"[,.;:!?()\[\]“”\"'’‘|•–—/]|\s-\s")
_ALIASES = re.compile(r"\((?:or|also|aka|also called)\s+(?P<inner>[^()]{2,80})\)", re.I)
_WORD = re.compile(r"^[^\W\d_][\w-]*$")
# Lines that contrast or explain (the kind a lecture without definitions is made of): asked first.
MIN_SECTIONS = 2  # a mined two-word name is a concept when the lecture uses it in this many sections


@dataclass(frozen=True)
class Statement:
    """A line of the slides whose subject is ``term``, with the sibling names that could replace it."""

    sentence: str
    term: str  # as written in the sentence
    siblings: list[str]
    line: str  # the slide's line it was read from (a quiz asks one question per line)
    ref: SourceRef


def _head(term: str, lang: str) -> str:
    ws = words(term)
    return stem(ws[-1].lower(), lang) if ws else ""


def _modifier(term: str, lang: str) -> str:
    ws = words(term)
    return " ".join(stem(w.lower(), lang) for w in ws[:-1])


def mined_names(lc: LectureCandidates) -> list[str]:
    """Two-word names ("validation set", "forget gate") the lecture uses in several sections: a modifier of
    3+ letters that is no stop word, then a head noun, both words of letters."""
    lang = lc.text_lang
    stop = stopwords(lang) | stopwords("en")
    sections: dict[str, set[int]] = defaultdict(set)
    written: dict[str, str] = {}
    for gi, g in enumerate(lc.groups):
        for p in [g.title, *(pt.text for pt in g.points)]:
            for segment in _SEGMENT.split(p):
                ws = segment.split()
                for a, b in itertools.pairwise(ws):
                    if not (_WORD.match(a) and _WORD.match(b)) or len(a) < 3 or len(b) < 3:
                        continue
                    if a.lower() in stop or b.lower() in stop or a.isupper() or b.isupper():
                        continue
                    key = f"{a.lower()} {b.lower()}"
                    sections[key].add(gi)
                    written.setdefault(key, f"{a} {b}" if a[0].isupper() and gi == 0 else key)
    return [written[k] for k, seen in sections.items() if len(seen) >= MIN_SECTIONS]


def concept_names(lc: LectureCandidates, extra: list[str] | None = None) -> list[str]:
    """The names a blank may hide and its options may offer: defined terms, title parts of 2-4 words, and
    the names mined from the lecture's lines that share their head word with one of those ("test set"
    beside the defined "training set"); each a clean name (quiz_checks.term_problem)."""
    from workers.generation.keyterms import key_terms

    lang = lc.text_lang
    text = "\f".join(f"{s.title}\n{s.text}" for s in lc.lecture.slides)
    key = [d.term for d in lc.definitions] + list(extra or []) + key_terms(lc)
    heads = {_head(x, lang) for x in key if len(words(x)) >= 2}
    pool = key + [x for x in mined_names(lc) if _head(x, lang) in heads]
    for group in synonyms(lc):  # "validation set (or eval set, development set, or dev set)"
        if any(fold(x) in group for x in pool):
            pool += sorted(x for x in group if len(words(x)) == 2)
    out: list[str] = []
    seen: set[str] = set()
    for name in pool:
        name = re.sub(r"^(?:the|a|an)\s+", "", name.strip(), flags=re.I)
        n = len(words(name))
        if not 1 <= n <= 4 or fold(name) in seen or has_cjk(name):
            continue
        if fold(name) in lc.generic_terms or term_problem(name, lc.text_lang, text):
            continue
        seen.add(fold(name))
        out.append(name)
    return out


_EXAMPLE = re.compile(
    r"\b(?:e\.\s?g\.|for example|for instance|such as|including)[,:]?\s+(?P<rest>.+)$", re.I
)


def examples(lc: LectureCandidates) -> str:
    """What the slides give as examples ("IC: condition that must be true ...; e.g., domain constraints"): a
    name there is an instance of another, no sibling (a domain constraint is an integrity constraint)."""
    return " \n ".join(m["rest"] for _, p in lc.points if (m := _EXAMPLE.search(p.text)))


def synonyms(lc: LectureCandidates) -> list[set[str]]:
    """Names the slides give as one: "The testing set (or test set or holdout set) is ..."."""
    groups: list[set[str]] = []
    for _, p in lc.points:
        for m in _ALIASES.finditer(p.text):
            before = words(p.text[: m.start()])
            names = {fold(x) for x in re.split(r",\s*|\s+or\s+", m["inner"]) if x.strip()}
            if len(before) >= 2:
                names.add(fold(" ".join(before[-2:])))
            groups.append({re.sub(r"^(?:or|and)\s+", "", x).strip() for x in names})
    return groups


_WORDS_ONLY = re.compile(r"^[^\W\d_][\w-]*(?:\s+[^\W\d_][\w-]*){1,3}$")


def siblings(
    term: str,
    names: list[str],
    same: list[set[str]],
    lang: str,
    generic: set[str] | frozenset[str] = frozenset(),
    text: str = "",
) -> list[str]:
    """Names of the same kind as ``term``: the same head word, another modifier (not a synonym, not a form
    of the term's own modifier), not inside the term nor containing it, of the same number, and no name
    of an example's system or person (a word ``text``, the lecture, only ever writes capitalised)."""
    if len(words(term)) < 2:
        return []
    head, mod = _head(term, lang), _modifier(term, lang)
    alias = set().union(*(g for g in same if fold(term) in g)) if same else set()
    out: list[str] = []
    for name in names:
        if not _WORDS_ONLY.match(name) or any(fold(w) in generic for w in words(name)):
            continue  # "Review: Key Constraints", "Types of security requirement"; "Security risk assessment"
        if len(words(name)) < 2 or _head(name, lang) != head or _modifier(name, lang) == mod:
            continue
        if fold(name) in alias or _within(name, term, lang) or _within(term, name, lang):
            continue
        if _plural(name) != _plural(term) or (text and _proper(name, text)):
            continue  # "Mentcare use case" for "Misuse cases": an example's name, and one, not several
        if any(_modifier(o, lang) == _modifier(name, lang) or _alike(o, name, same) for o in out):
            continue  # "test set" beside "testing set": one option, said twice
        out.append(name)
    return out


def _plural(name: str) -> bool:
    last = words(name)[-1].lower() if words(name) else ""
    return last.endswith("s") and not last.endswith(("ss", "is", "us"))


def _proper(name: str, text: str) -> bool:
    """A word of the name the lecture never writes in lower case but capitalises mid-sentence ("the Mentcare
    system"): an example's proper name."""
    return any(
        w[:1].isupper()
        and not w.isupper()
        and len(w) > 2
        and not re.search(rf"(?<![\w-]){re.escape(w.lower())}(?![\w-])", text)
        and re.search(rf"[a-z,] +{re.escape(w)}(?!\w)", text) is not None  # capitalised mid-sentence too
        for w in words(name)
    )


def _alike(a: str, b: str, same: list[set[str]]) -> bool:
    return any(fold(a) in g and fold(b) in g for g in same)


def _within(a: str, b: str, lang: str) -> bool:
    """Whether name ``a``'s words (stems) all stand in ``b``: "misuse case" in "Mentcare misuse cases"."""
    sa = [stem(w.lower(), lang) for w in words(a)]
    sb = [stem(w.lower(), lang) for w in words(b)]
    return any(sb[i : i + len(sa)] == sa for i in range(len(sb) - len(sa) + 1))


def _subject(sentence: str, names: list[str]) -> str | None:
    """The concept name the sentence opens with (after an article), as written there."""
    for name in sorted(names, key=len, reverse=True):
        m = re.match(rf"^(?:the\s+|a\s+|an\s+)?({re.escape(name)})(?!\w)", sentence, re.I)
        if m and subject_blank(blank_out(sentence, m.group(1))):
            return m.group(1)
    return None


_THIS = re.compile(
    r"^this\s+(?=(?:should|must|needs?\s+to)\b)", re.I
)  # not "It is possible", "This is worse"
_ALIAS_NOTE = re.compile(r"\s*\((?:or|also|aka|also called)\s+[^()]{2,80}\)", re.I)


def without_aliases(sentence: str) -> str:
    """The sentence without the synonyms the slides give in brackets ("The testing set (or test set) is ..."):
    they name the sentence's own term, so a sibling swapped in must not keep them."""
    return _ALIAS_NOTE.sub("", sentence)


def resolved(line: str, names: list[str], lang: str) -> list[str]:
    """A line's sentences, a "This should ..." after a sentence about a named concept given that name ("The
    training set is ... . This should always be your largest subset" -> "The training set should always be
    ..."), and the synonyms the slides give in brackets left out ("The testing set (or test set) is ...")."""
    out: list[str] = []
    subject: str | None = None
    for raw in sentences(without_aliases(line), lang):
        sentence = raw.strip()
        if subject and _THIS.match(sentence):
            sentence = f"The {subject} " + _THIS.sub("", sentence, count=1)
        found = _subject(sentence, names)
        subject = None if found is None or len(words(found)) < 2 else found.lower()
        out.append(sentence)
    return out


def statements(lc: LectureCandidates, extra_terms: list[str] | None = None) -> list[Statement]:
    """English sentences that state something of a concept the lecture names, with its siblings (2 or more
    for a multiple-choice question; 1 for a false statement)."""
    if lc.text_lang != "en":
        return []
    names = concept_names(lc, extra_terms)
    same = synonyms(lc)
    text = "\f".join(f"{s.title}\n{s.text}" for s in lc.lecture.slides)
    out: list[Statement] = []
    seen: set[str] = set()
    sections = [" ".join([g.title, *(p.text for p in g.points)]) for g in lc.groups]
    instances = examples(lc)
    for gi, g in enumerate(lc.groups):
        near = " ".join(sections[max(0, gi - 2) : gi + 3])  # its section and two on each side
        for p in g.points:
            if not p.is_definition:
                out += _line_statements(lc, p, instances, names, same, text, near, seen)
    return out


def _line_statements(
    lc: LectureCandidates,
    p: Point,
    instances: str,
    names: list[str],
    same: list[set[str]],
    text: str,
    near: str,
    seen: set[str],
) -> list[Statement]:
    """The statements of one line; a sibling counts when its section or a neighbouring one names it (the
    siblings a slide sets side by side, not a general name for the same thing: "Key constraints" are
    "Integrity constraints" too)."""
    out: list[Statement] = []
    for said in resolved(p.text, names, "en"):
        sentence = said.rstrip(".")
        if fold(sentence) in seen or not sentence_ok(sentence) or not statement_like(sentence):
            continue
        if ANAPHORIC.match(sentence) or sentence.endswith("!") or not main_verb(sentence):
            continue
        if (
            statement_problem(sentence, "en", text)
            or find_definition(sentence, p.ref)
            or cut_clause(sentence)
        ):
            continue  # a definition is asked through it; a line cut off is no statement
        term = _subject(sentence, names)
        if term is None:
            continue
        kin = [
            s
            for s in siblings(term, names, same, "en", lc.generic_terms, text)
            if not contains_phrase(sentence, s)
            and contains_phrase(near, s)
            and not contains_phrase(instances, s)
            and not _said_of(s, sentence, term, lc)
        ]
        seen.add(fold(sentence))
        out.append(Statement(sentence, term, kin, p.text, p.ref))
    return out


def _said_of(sibling: str, sentence: str, term: str, lc: LectureCandidates) -> bool:
    """Whether the lecture says much the same of the sibling somewhere (then it is no wrong answer)."""
    rest = re.sub(re.escape(term), " ", sentence, flags=re.I)
    for _, p in lc.points:
        if contains_phrase(p.text, sibling) and similar(p.text, rest, lc.text_lang, threshold=0.4):
            return True
    return False


def swappable(d: Definition, others: list[str], lc: LectureCandidates) -> list[str]:
    """The terms of ``others`` that make "<other> <d's definition>" a clear "False": no kind of what d's
    term is about (quiz_kinds.kind_of), none the lecture says much the same of (_said_of)."""
    return [
        x for x in others if not kind_of(x, d.term, lc.text_lang) and not _said_of(x, d.sentence, d.term, lc)
    ]


def swapped(sentence: str, term: str, other: str) -> str:
    """The sentence with the sibling in place of its subject, the verb agreeing."""
    out = re.sub(rf"(?<!\w){re.escape(term)}(?!\w)", other, sentence, count=1)
    if sentence[:1].isupper() and out.startswith(other):
        out = out[:1].upper() + out[1:]
    return agree(out, other)


def mc_siblings(st: Statement, options: int) -> list[str]:
    """The siblings a completion question offers: of the term's length in words, so none stands out."""
    return [s for s in st.siblings if len(words(s)) == len(words(st.term))][: options - 1]


def false_question(st: Statement, lang: str) -> QuizQuestion | None:
    """ "True or false: The dev set should always be your largest subset of data" (the slides say it of the
    training set): a sibling swapped in, the plausible mistake."""
    from workers.generation.i18n import t
    from workers.generation.quiz_kinds import question
    from workers.generation.textutil import shorten

    if not st.siblings:
        return None
    other = st.siblings[0]
    statement = swapped(st.sentence, st.term, other)
    if fold(statement) == fold(st.sentence):
        return None
    explanation = f"{t(lang, 'false')}. {t(lang, 'swapped', term=st.term, other=other)} "
    explanation += t(lang, "slides_say", point=st.sentence)
    return question(
        "true_false",
        t(lang, "tf", statement=statement),
        "false",
        t(lang, "false"),
        shorten(explanation, 240),
        st.ref,
    )


def completion_question(
    st: Statement, lang: str, options: int, shuffle: Callable[[list[str]], None]
) -> QuizQuestion | None:
    """ "Which term completes the statement: “The _____ should always be your largest subset of data”?" with
    the term and its siblings as options (same number of words, so none stands out)."""
    from workers.generation.i18n import t
    from workers.generation.quiz_kinds import explain_point, question, variants

    kin = mc_siblings(st, options)
    if len(kin) < 2:
        return None
    blanked = blank_out(st.sentence, st.term)
    key = st.term
    choices = [key, *kin]
    shuffle(choices)
    letter = "ABCDEF"[choices.index(key)]
    return question(
        "multiple_choice",
        t(lang, "mc_complete", sentence=blanked),
        letter,
        key,
        explain_point(lang, st.sentence),
        st.ref,
        options=choices,
        accepted=variants(key),
    )
