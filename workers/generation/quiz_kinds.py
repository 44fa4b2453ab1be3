"""Question kinds and their phrasing: the question record, "which term is defined as" from a definition,
cause and effect read off a slide's own sentence, and the checks a list must pass before "which of these
is one of the items of <lead-in>" is asked."""

from __future__ import annotations

import re

from shared.schemas import QuestionKind, QuizQuestion, SourceRef
from shared.text import content_tokens, count_cjk, fold, has_cjk, stem, words
from workers.generation.candidates import Definition, LectureCandidates, good_title
from workers.generation.i18n import t
from workers.generation.keyterms import ListUnit
from workers.generation.quiz_checks import statement_problem
from workers.generation.textutil import shorten
from workers.generation.validity import agenda_title, boilerplate_reason, fragment_reason

_MATH = re.compile(r"[=<>≤≥∑∫%^]|[\U0001d400-\U0001d7ff]")
_CAUSE = re.compile(
    r"^(?P<effect>[A-Z][^,;:]{12,160}?)\s*,?\s+(?P<via>because(?:\s+of)?|due\s+to|as\s+a\s+result\s+of)\s+"
    r"(?P<cause>[^,;:]{6,120}?)\.?$"
)
# "because of / due to <noun phrase>": a cause of fewer words than this names a thing ("the sequential
# cells") without saying how it brings the effect about, so it is no answer to "why?" (a fuller, right
# answer would not match it; judged invalid on dev). A "because <clause>" states the reason itself.
MIN_NOUN_CAUSE_WORDS = 4
_EFFECT = re.compile(
    r"^(?P<cause>[A-Z][^,;:]{4,80}?)\s+(?:leads?\s+to|causes?|results?\s+in)\s+(?P<effect>[^,;:]{6,120}?)\.?$"
)
# A statement that leans on the slide before it ("These all have one flaw") is no self-contained question.
ANAPHORIC = re.compile(
    r"^(?:these|those|this|that|they|it|its|then|there|here|such|both|the\s+problem\s+is|however|but|also|"
    r"estos|estas|esto|ellos|это|эти|он|она|они|这|那|它|他们)\b",
    re.I,
)


def question(
    kind: QuestionKind,
    prompt: str,
    answer: str,
    answer_text: str,
    explanation: str,
    source: SourceRef,
    *,
    options: list[str] | None = None,
    accepted: list[str] | None = None,
    llm: bool = False,
) -> QuizQuestion:
    return QuizQuestion(
        number=0,
        kind=kind,
        prompt=prompt,
        options=options or [],
        answer=answer,
        answer_text=answer_text,
        accepted=accepted or [],
        explanation=explanation,
        source=source,
        phrased_by="llm" if llm else "extractive",
    )


def variants(term: str) -> list[str]:
    """Other spellings a typed answer may use: plural/singular, without or only the abbreviation."""
    out = {term}
    low = term.lower()
    if not has_cjk(term):
        out.add(low[:-1] if low.endswith("s") and len(low) > 4 else low + "s")
        out.add(re.sub(r"\s*\([^)]*\)", "", term).strip())  # "Data flow diagram (DFD)" -> without
        paren = re.search(r"\(([^)]{2,12})\)", term)
        if paren:
            out.add(paren.group(1))
    return sorted(x for x in out if x and x != term)


_WHICH = re.compile(
    r"^(?:a|an|the)\s+(?P<head>[^,;:()]{2,40}?)\s+(?:that|which|who)\s+(?P<rest>\S.{4,})$", re.I
)


_PREPOSITIONS = frozenset({"by", "in", "of", "through", "for", "with", "to", "from", "on", "at", "under"})


def term_question(d: Definition, lang: str) -> str:
    """The notes' own definition turned into a question whose answer is the term:
    "RuBisCO is the enzyme that fixes CO2" -> "Which enzyme fixes CO2?"."""
    definition = d.definition.rstrip(" .。")
    if lang == "en":
        m = _WHICH.match(definition)
        head = words(m["head"]) if m else []
        if m and 1 <= len(head) <= 4 and head[-1].lower() not in _PREPOSITIONS and len(words(m["rest"])) >= 2:
            return f"Which {m['head']} {m['rest']}?"
        if re.match(r"(a|an|the)\b", definition, re.I):
            definition = definition[0].lower() + definition[1:]
            verb = "are" if re.search(rf"{re.escape(d.term)}\s+are\b", d.sentence, re.I) else "is"
            return f"What {verb} {definition}?"
    elif lang == "es" and re.match(r"(un|una|el|la|los|las)\b", definition, re.I):
        return f"¿Qué es {definition}?"
    elif lang == "zh":
        return f"什么是{definition}？"
    return t(lang, "mc_term", definition=shorten(definition, 220))


def sentence_ok(sentence: str) -> bool:
    """Long enough to be a statement, short enough for a question."""
    if has_cjk(sentence):
        return count_cjk(sentence) >= 8 and len(sentence) <= 160
    return len(words(sentence)) >= 6 and len(sentence) <= 260


_PRONOUN_START = re.compile(r"^(?:it|this|that|these|those|they|there|which|he|she|we|you)\b", re.I)


def title_problem(title: str, lang: str) -> str | None:
    """Why a list's lead-in cannot head a question: not a clean short title, a formula, or an agenda."""
    if not good_title(title) or boilerplate_reason(title) or agenda_title(title):
        return "bad_title"
    if _MATH.search(title) or fragment_reason(title):
        return "fragment"
    return None


def list_is_agenda(unit: ListUnit, lc: LectureCandidates) -> bool:
    """A list whose items are the titles of the lecture's other sections ("Split Conjunctive Predicates (3)")
    is a table of contents, not a list of the subject's items."""
    titles = {fold(re.sub(r"\s*\(\d+\)\s*$", "", g.title)) for g in lc.groups if g.title != unit.title}
    items = [fold(re.sub(r"\s*\(\d+\)\s*$", "", i)) for i in unit.items]
    hits = sum(i in titles for i in items)
    numbered = sum(bool(re.search(r"\(\d+\)\s*$", i)) for i in unit.items)
    return hits >= max(2, len(items) // 2) or numbered >= 2


def cause_effect_question(text: str, lang: str, ref: SourceRef) -> QuizQuestion | None:
    """A slide's own "X because Y" / "X leads to Y" sentence asked as "why?" / "what does X lead to?": the
    student recalls the cause or the effect the slide gives (English sentences only)."""
    if lang != "en" or has_cjk(text) or statement_problem(text, lang):
        return None
    flat = " ".join(text.split()).rstrip(" .")
    m = _CAUSE.match(flat)
    if m and not _PRONOUN_START.match(m["effect"]):
        effect, cause = m["effect"].strip(), m["cause"].strip()
        if m["via"] != "because" and len(words(cause)) < MIN_NOUN_CAUSE_WORDS:
            return None
        prompt = f"According to the slides, why is this so: “{effect}”?"
        answer, explanation = cause, f"{effect} because of {cause}."
    else:
        m = _EFFECT.match(flat)
        if not m or _PRONOUN_START.match(m["cause"]):
            return None
        cause, effect = m["cause"].strip(), m["effect"].strip()
        modal = re.search(r"\s+(may|can|could|might|will|would|should|must)$", cause)
        subject = cause[: modal.start()] if modal else cause
        if len(words(subject)) > 10 or re.search(r"\b(?:is|are|was|were|has|have|not)\b", subject):
            return None
        first = subject.split()[0]
        keep_case = first.isupper() or any(c.isupper() for c in first[1:])
        named = subject if keep_case else subject[0].lower() + subject[1:]
        plural = subject.split()[-1].endswith("s") and not subject.split()[-1].endswith("ss")
        verb = modal.group(1) if modal else ("do" if plural else "does")
        prompt = f"According to the slides, what {verb} {named} lead to?"
        answer, explanation = effect, f"{cause} leads to {effect}."
    if fragment_reason(answer) or len(words(answer)) < 2:
        return None
    return QuizQuestion(
        number=0,
        kind="short_answer",
        prompt=prompt,
        options=[],
        answer=answer,
        answer_text=answer,
        accepted=[],
        explanation=f"The slides say: {explanation}",
        source=ref,
        phrased_by="extractive",
    )


def sibling_terms(d: Definition, others: list[Definition], lang: str) -> list[Definition]:
    """Other terms of the lecture with a head word in common that are not variants of ``d``'s term
    ("Application security", "Infrastructure security"), or the other items of a glossary list on the same
    slide ("Chloroplast - ...", "Vacuole - ..."): the closest distractors, of the same kind."""
    own = {stem(w, lang) for w in content_tokens(d.term, lang)}
    out = []
    for x in others:
        theirs = {stem(w, lang) for w in content_tokens(x.term, lang)}
        kin = bool(own & theirs) or (x.ref.page == d.ref.page and x.ref.file == d.ref.file)
        if x.ref.lecture_id == d.ref.lecture_id and kin and not (own <= theirs or theirs <= own):
            out.append(x)
    return out


def kind_of(a: str, b: str, lang: str) -> bool:
    """Whether one term names a kind of what the other is about: the head word of one is a modifier in the
    other ("Application security" and "Security engineering"). What the lecture says of security engineering
    holds of application security, so "Application security is concerned with how to develop systems that
    can resist malicious attacks" is no clear "False" (judged invalid on dev); siblings share the head
    ("Application security", "Infrastructure security"). The head is the last word in English, the first in
    Spanish and Russian ("Seguridad de aplicaciones", "Степень вершины")."""
    if has_cjk(a) or has_cjk(b):
        return False
    sa = [stem(w, lang) for w in content_tokens(a, lang)]
    sb = [stem(w, lang) for w in content_tokens(b, lang)]
    if not sa or not sb:
        return False
    (ha, *ma), (hb, *mb) = (sa[::-1], sb[::-1]) if lang == "en" else (sa, sb)
    return ha in mb or hb in ma


def sibling_lists(unit: ListUnit, others: list[ListUnit], lang: str) -> list[ListUnit]:
    """The lecture's other lists of the same kind as ``unit``: their titles end on the same head noun
    ("Passive attacks" and "Active attacks", "Security dimensions" and "Dependability dimensions"). Items of
    an unrelated list ("Threat types" beside "Security dimensions") are no plausible answer: judges found
    every such question invalid (0 of 2 on dev)."""

    def head(title: str) -> str | None:
        tokens = content_tokens(title, lang)
        return tokens[-1] if tokens and not has_cjk(title) else None

    own = head(unit.title)
    return [u for u in others if u is not unit and own is not None and head(u.title) == own]


def compare_rival(d: Definition, others: list[Definition], lang: str) -> Definition | None:
    """A sibling concept to contrast ``d`` with: another term the lecture defines on the same or the next
    slide that shares a head word but is not a variant of it ("Application security" and "Infrastructure
    security"; "training set" and "test set"; not "Security" and "security of a system")."""
    own = {stem(w, lang) for w in content_tokens(d.term, lang)}
    for x in others:
        near = x.ref.lecture_id == d.ref.lecture_id and abs(x.ref.page - d.ref.page) <= 1
        if not near or fold(x.term) == fold(d.term):
            continue
        theirs = {stem(w, lang) for w in content_tokens(x.term, lang)}
        if own & theirs and not (own <= theirs or theirs <= own) and fold(x.definition) != fold(d.definition):
            return x
    return None


def compare_prompt(d: Definition, rival: Definition, lang: str) -> str | None:
    """ "Which of these describes X, as opposed to Y?" (English phrasing only; None elsewhere)."""
    return f"Which of these describes {d.term}, as opposed to {rival.term}?" if lang == "en" else None


def is_glossary(lc: LectureCandidates, unit: ListUnit) -> bool:
    """A list of "Term: definition" lines: asked through its definitions, and its terms are no items."""
    points = [p for g in lc.groups if g.title == unit.title for p in g.points]
    return sum(p.is_definition for p in points) * 2 > len(points)


def allocate(count: int, mix: dict[QuestionKind, float]) -> dict[QuestionKind, int]:
    """How many questions of each kind: ``count`` split by the difficulty's mix, largest remainders first."""
    raw = {k: count * share for k, share in mix.items()}
    out = {k: int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: raw[k] - out[k], reverse=True)[: count - sum(out.values())]:
        out[k] += 1
    return out


def explain_definition(d: Definition) -> str:
    return shorten(f"{d.term}: {d.definition}.", 200)


def explain_point(lang: str, point: str) -> str:
    """The slide's own line (the source names the slide; a section title need not hold for the line)."""
    return shorten(t(lang, "slides_say", point=point), 200)


def with_article(text: str, word: str) -> str:
    """ "an security" -> "a security" after ``word`` was swapped into ``text``."""
    article = "an" if word[:1].lower() in "aeiou" else "a"
    return re.sub(rf"\b(?:a|an)\s+(?={re.escape(word)}\b)", f"{article} ", text, count=1, flags=re.I)
