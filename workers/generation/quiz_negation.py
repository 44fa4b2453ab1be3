"""False statements from a slide's own true line, by negating its one strong claim: "When the owner entity is
deleted, all owned weak entities must also be deleted" -> "... need not also be deleted". A lecture that
explains rather than defines has no sibling terms to swap, so without this its true lines could never be
asked (a quiz admits a "True" only after a "False", quiz_balance).

Only a claim whose negation contradicts it: must / should / can / cannot / will / is / are in the main
clause, in an English line with no hedge (may, often, usually, some ...), no negation already, one clause
(no "but", "because", "rather than", ";", brackets; no relative clause or "and" before the verb), so the
negated line is clearly false by the slides, not a nonsense line (a swapped number or word was: 0 of 6
judged valid). Never a claim its own words prove (``restates``): its negation is false to anyone."""

from __future__ import annotations

import re
from collections.abc import Callable

from shared.schemas import QuizQuestion
from shared.text import is_stopword, stem, words
from workers.generation.i18n import t
from workers.generation.textutil import shorten

_HEDGE_WORDS = """may might could would often usually sometimes typically generally mostly most some many
    several few likely possibly probably perhaps cannot not no never none nothing neither nor only just also
    either unless except although though but whereas however rather than because due so therefore thus
    relatively fairly quite somewhat"""
_HEDGE = frozenset(_HEDGE_WORDS.split())
_SUBORDINATE_START = re.compile(r"^(?:if|when|whenever|once|after|before|since|because|as|while)\b", re.I)
_FLIP = {"must": "need not", "should": "should not", "can": "cannot", "will": "will not", "is": "is not"}
_FLIP["are"] = "are not"
_BE = frozenset(["be", "been", "being", "not"])
_AUX = re.compile(r"\b(must|should|can|will|is|are)\b")


# Spanish and French: the same one strong claim (is / are / must), the same hedges in their words. "puede"
# and "peut" (can or may) are left alone: their negation need not contradict the line.
_HEDGES_OTHER = {
    "es": """puede pueden podría podrían suele suelen a_menudo generalmente normalmente algunos algunas
        varios varias pocos pocas muchos muchas probablemente quizás quizá no nunca ni ningún ninguna nada
        solo sólo solamente también aunque pero sino porque ya_que sin_embargo mientras excepto salvo""",
    "fr": """peut peuvent pourrait pourraient souvent généralement habituellement certains certaines
        plusieurs quelques beaucoup probablement peut-être ne pas jamais ni aucun aucune rien seulement
        aussi bien_que mais car parce puisque cependant pourtant tandis sauf""",
}
_HEDGES = {"en": _HEDGE, **{k: frozenset(v.split()) for k, v in _HEDGES_OTHER.items()}}
_SUBORDINATE = {
    "en": _SUBORDINATE_START,
    "es": re.compile(r"^(?:si|cuando|una vez que|después de|antes de|porque|mientras)\b", re.I),
    "fr": re.compile(r"^(?:si|quand|lorsqu(?:e|')|une fois|après|avant|parce|pendant)\b", re.I),
}
_RELATIVE = {
    "en": r"\b(?:that|which|who|whom|whose|and|or)\b",
    "es": r"\b(?:que|cual|cuales|quien|quienes|cuyo|cuya|y|e|o|u)\b",
    "fr": r"\b(?:que|qui|dont|lequel|laquelle|lesquels|et|ou)\b|\bqu'",
}
_FLIPS = {
    "en": _FLIP,
    "es": {"es": "no es", "son": "no son", "debe": "no debe", "deben": "no deben", "está": "no está"}
    | {"están": "no están"},
    "fr": {"est": "n'est pas", "sont": "ne sont pas", "doit": "ne doit pas", "doivent": "ne doivent pas"},
}
_AUXES = {lang: re.compile(r"(?<![\w'’])(" + "|".join(f) + r")(?![\w'’])") for lang, f in _FLIPS.items()}
NEGATION_LANGS = frozenset(_FLIPS)


def negated(sentence: str, lang: str = "en") -> str | None:
    """The line with its main claim negated, or None when it has no single strong claim to negate (or its
    language has no rule: English, Spanish, French)."""
    if lang not in _FLIPS:
        return None
    flat = " ".join(sentence.split()).rstrip(" .")
    low = [w.lower() for w in words(flat)]
    joined = " ".join(low)
    hedges = _HEDGES[lang]
    if not 5 <= len(low) <= 24 or any(w in hedges for w in low) or "n't" in flat.lower():
        return None
    if any("_" in h and h.replace("_", " ") in joined for h in hedges):
        return None  # a hedge of two words ("a menudo", "sin embargo")
    if re.search(r"[;?!()\[\]]|\s[–-]\s", flat):
        return None
    start = 0
    if _SUBORDINATE[lang].match(flat):  # "When the owner is deleted, all ... must ...": the main clause
        if flat.count(",") != 1:
            return None
        start = flat.index(",") + 1
    elif "," in flat:
        return None  # a list or a second clause: which claim is negated?
    aux = _AUXES[lang]
    m = aux.search(flat, start)
    if m is None or m.start() == start or len(aux.findall(flat[start:])) != 1:
        return None
    if re.search(_RELATIVE[lang], flat[start : m.start()], re.I):
        return None  # a relative clause's verb ("the level of protection that is required"), a second verb
    if restates(flat[start : m.start()], flat[m.end() :], lang):
        return None
    return flat[: m.start()] + _FLIPS[lang][m.group(1)] + flat[m.end() :] + "."


def restates(subject: str, predicate: str, lang: str = "en") -> bool:
    """The claim follows from its own words, so its negation is false to anyone who has not studied: the
    predicate names its subject again ("Views can be dropped using the DROP VIEW command", judged not worth
    keeping), its verb is the subject's name ("Encryption can encrypt ...") or a word it names
    ("dropped" / "DROP")."""
    be = _BE | {"ser", "sido", "être", "été", "pas"}
    said = [w for w in words(predicate) if w.lower() not in be and not is_stopword(w.lower(), lang)]
    if not said:
        return False
    named = {stem(w.lower(), lang) for w in words(subject) if not is_stopword(w.lower(), lang)}
    verb = stem(said[0].lower(), lang)
    rest = {stem(w.lower(), lang) for w in said[1:]}
    return bool(named & {verb, *rest}) or verb in rest


def negated_question(
    lang: str, build: Callable[[], QuizQuestion | None], text_lang: str | None = None
) -> QuizQuestion | None:
    """The false version of a true/false question ``build`` makes of a slide's line (its true version when the
    line has no claim to negate); ``lang`` is the quiz's language, ``text_lang`` the line's."""
    q = build()
    if q is None or q.answer != "true":
        return q
    statement = q.prompt.removeprefix(t(lang, "tf", statement=""))
    false = negated(statement, text_lang or lang)
    if false is None:
        return q
    explanation = f"{t(lang, 'false')}. " + t(lang, "slides_say", point=statement)
    return q.model_copy(
        update={
            "prompt": t(lang, "tf", statement=false),
            "answer": "false",
            "answer_text": t(lang, "false"),
            "explanation": shorten(explanation, 240),
        }
    )
