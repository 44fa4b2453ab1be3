"""Validity checks every generated item passes before a student sees it: no boilerplate (dates, course codes,
authors, citations, URLs, agenda and logistics words, chapter cross-references), no truncated fragments,
quiz questions with distinct options and a key not given away by the stem, atomic cards (one fact, a back of
at most 25 words), and near-duplicate removal.

Each check returns the reason an item fails (a short code) or None: the generators drop failing items, as
fewer valid items beat more broken ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from shared.schemas import QuizQuestion
from shared.text import content_tokens, detect_language, fold, has_cjk, stem
from workers.generation.complete import incomplete_reason, sentence_like
from workers.generation.near_miss import near_miss_reason
from workers.ocr.line_cues import is_code, is_credit, is_formula, is_url

MAX_BACK_WORDS = 25

_DATE = re.compile(
    r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d{2}\b|\b(?:19|20)\d{2}[/.-]\d{1,2}[/.-]\d{1,2}\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+(?:19|20)\d{2}\b",
    re.I,
)
_CROSS_REF = re.compile(
    r"\b(?:chapter|chapters|chapitre|cap[ií]tulo|kapitel|sidebar|lecture|homework|assignment|exercise|"
    r"problem\s+set|глава|лекци[яи])\s+\d+",
    re.I,
)
_COURSE_CODE = re.compile(r"\b[A-Z]{2,6}[- ]?\d{2,5}[A-Z]?\b")
_CITATION = re.compile(
    r"\((?:[^()]*\bet al\.?|[A-Z][\w'’-]+(?:\s(?:and|&)\s[A-Z][\w'’-]+)?),?\s*(?:19|20)\d{2}[a-z]?\)"
    r"|\b[A-Z][\w'’-]+\s(?:&|and)\s[A-Z][\w'’-]+\s*(?:\(|:|,\s*(?:19|20)\d{2})"
    r"|\b(?:[A-Z]\.\s?){1,2}[A-Z][a-z]+(?:\s(?:and|&)\s(?:[A-Z]\.\s?){1,2}[A-Z][a-z]+)",
)
_AGENDA = re.compile(
    r"^\W*(?:key\s+points?|take\s*-?\s*aways?|announcements?|outline|agenda|overview|recap|summary|today|"
    r"questions\??|thank\s+you|thanks|the\s+end|contents|план(?:\s+\w+)?|содержание|résumé|resumen|"
    r"índice|contenido|temario|目录|提纲|小结|总结)\W*$",
    re.I,
)
_AGENDA_ANYWHERE = re.compile(
    r"\b(?:starting\s+with\s+chapter|(?:next|this)\s+(?:week|lecture|class|chapter)|in\s+this\s+chapter|"
    r"as\s+we\s+saw|we\s+will\s+(?:discuss|see|cover)|similar\s+to\s+what\s+we\s+saw|office\s+hours|"
    r"homework|due\s+date|deadline|midterm|final\s+exam|gradescope|syllabus|(?:available|click|see)\s+here|"
    r"to\s+be\s+continued|universit(?:y|é|ät)|universidad|университет|department\s+of|departamento\s+de|"
    r"faculty\s+of|institute\s+of|school\s+of|professor|lecturer|instructor|docente|teaching\s+assistant)\b"
    r"|大学|学院",
    re.I,
)
# Words that label a field of a form or a pros/cons slide rather than name a concept ("Upside: ...",
# "Stimulus: ...", "Первый способ: ..."): never a key term.
_LABEL_WORDS = """upside downside pros cons pro con advantage advantages disadvantage disadvantages
    description stimulus response actors actor assumption assumptions requirement requirements
    mitigation mitigations
    answer question problem solution example examples note notes remark idea goal goals input output
    result results conclusion conclusions prediction predictions comment comments observation observations
    claim claims hint hints tip tips warning caution motivation intuition summary vendors
    first second third fourth fifth step steps case option options method approach way
    первый второй третий четвертый четвёртый пятый способ пример задача ответ вопрос
    primero segundo tercero ventaja ventajas desventaja desventajas ejemplo respuesta problema"""
GENERIC_LABELS = frozenset(_LABEL_WORDS.split())
_AGENDA_TITLE = re.compile(
    r"^\W*(?:outline|overview|agenda|contents|table\s+of\s+contents|topics(?:\s+covered)?|today|"
    r"(?:learning\s+)?(?:objectives|outcomes|goals)|lecture\s+(?:plan|outline|overview|goals)|roadmap|"
    r"take\s*-?\s*aways?|key\s+points|recap|announcements?|logistics|administrivia|"
    r"reminders?|housekeeping|course\s+\w+|(?:final\s+|midterm\s+)?exam\b.*|homework.*|assignments?|"
    r"references?|bibliography|(?:further|suggested|recommended)\s+readings?|readings?|acknowledge?ments|"
    r"credits|questions\??|thank\s+you|thanks|план(?:\s+\w+)?|содержание|литература|цели|目录|提纲|"
    r"本章(?:内容|要点)|小结|总结|参考文献|contenido|índice|temario|objetivos|referencias|bibliografía|"
    r"sommaire|plan\s+du\s+cours)\W*$"
    r"|^.{0,40}\boutline\s+of\s+(?:this|the|today)",
    re.I,
)
_TRAILING_NUMBER = re.compile(r"\s\d{1,3}\s*$")
_CONNECTIVE_END = re.compile(
    r"(?:\b(?:and|or|of|the|a|an|to|in|for|with|by|on|as|that|which|is|are|from|at|y|de|la|el|en|del|"
    r"и|в|на|с|по|для|или)|[,(\-–/:;&])$",
    re.I,
)
_VAGUE_STEM = re.compile(
    r"which statement is made on the slides|what are the key points|what does the figure\b.*\bshow|"
    r"qué afirmación aparece|cuáles son los puntos clave|qué muestra la figura|幻灯片中提到了以下哪一项|"
    r"的要点是什么|展示了什么",
    re.I,
)


def word_count(text: str) -> int:
    """Words as the rubric counts them: space-separated, CJK text with no spaces 1 word per 2 characters."""
    total = 0
    for token in text.split():
        cjk = sum(1 for ch in token if "\u4e00" <= ch <= "\u9fff" or "\u3040" <= ch <= "\u30ff")
        total += max(1, (cjk + 1) // 2 + (1 if len(token) > cjk else 0)) if cjk else 1
    return total


def boilerplate_reason(text: str) -> str | None:
    """Why ``text`` carries material that is not subject matter, or None."""
    flat = " ".join(text.split())
    if not flat:
        return "empty"
    for line in text.splitlines() or [text]:
        line = line.strip(" •-*\t")
        if line and (is_credit(line) or is_url(line)):
            return "credit_or_url"
        if line and _AGENDA.match(line):
            return "agenda"
    if re.search(r"(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+\.[\w.-]+", flat):
        return "credit_or_url"
    if _DATE.search(flat):
        return "date"
    if _CROSS_REF.search(flat) or _AGENDA_ANYWHERE.search(flat):
        return "logistics"
    if _COURSE_CODE.search(flat):
        return "course_code"
    if _CITATION.search(flat):
        return "citation"
    return near_miss_reason(flat)  # a class's schedule, grading, homework; an exam's instructions


def generic_label(term: str) -> bool:
    """A form field or ordinal label ("Stimulus", "Upside", "Second way") rather than a concept's name."""
    tokens = [t for t in re.findall(r"\w+", term.casefold()) if not t.isdigit()]
    if not tokens:
        return True
    return tokens[0] in GENERIC_LABELS or (len(tokens) <= 4 and tokens[-1] in GENERIC_LABELS)


def agenda_title(title: str) -> bool:
    """A section that is about the course, not the subject: outline, announcements, exam, references..."""
    return bool(_AGENDA_TITLE.search(" ".join(title.split())))


def entry_ok(label: str, content: str) -> bool:
    """A cheat-sheet entry (label + content) with no boilerplate and no broken fragment."""
    if label and (boilerplate_reason(label) or agenda_title(label)):
        return False
    if boilerplate_reason(content) is not None:
        return False
    cells = [c.strip() for c in content.split("|")]
    if len(cells) >= 2 and all(len(c.split()) <= 2 for c in cells):  # a table's header row
        return False
    reason = fragment_reason(content)
    return reason is None or (reason == "dangling" and content.rstrip().endswith(":"))  # a lead-in line


def plausible_formula(text: str) -> bool:
    """Mathematics a student can read: the line is a formula (not code, not prose, not OCR debris), its
    brackets balance and it relates two sides or uses maths symbols."""
    flat = " ".join(text.split())
    if not 3 <= len(flat) <= 160 or boilerplate_reason(flat) or is_code(flat):
        return False
    if not is_formula(flat) or re.search(r"[A-Za-z_]\w*\[\w*\]|==|^\d+\s+[a-z_]\w*\s*=", flat):
        return False  # code: indexing, comparison, a listing's line number
    for pair in ("()", "[]", "{}"):
        if flat.count(pair[0]) != flat.count(pair[1]):
            return False
    if "=" in flat:
        left, _, right = flat.partition("=")
        return any(ch.isalnum() for ch in left) and any(ch.isalnum() for ch in right)
    return sum(ch.isalnum() for ch in flat) >= 2


def fragment_reason(text: str, *, sentence: bool = False) -> str | None:
    """Why ``text`` is a cut-off or broken fragment, or None. ``sentence``: the text must be a whole
    sentence (a cloze's sentence), so it may not start in lower case as the tail of a cut one does."""
    flat = " ".join(text.split())
    if not flat:
        return "empty"
    if flat.endswith(("…", "...")):
        return "truncated"
    for pair in ("()", "[]", "{}"):
        if flat.count(pair[0]) != flat.count(pair[1]):
            return "unbalanced"
    if _CONNECTIVE_END.search(flat):
        return "dangling"
    if "\ufffd" in flat:
        return "broken_text"
    first = flat[0]
    if not (first.isalnum() or first in "\"'“‘(¿¡[{$\\") and not ("\U0001d400" <= first <= "\U0001d7ff"):
        return "leading_debris"  # "«+ A weak entity", ". since DATE": a bullet glyph or a cut sentence
    if sentence and first.islower() and first.isascii() and len(flat.split()) >= 4:
        return "starts_mid_sentence"
    if _TRAILING_NUMBER.search(flat) and not re.search(r"[=<>≤≥]", flat):
        return "page_number"
    letters = sum(ch.isalpha() for ch in flat)
    if letters < 0.5 * len(flat.replace(" ", "")) and not re.search(r"[=<>≤≥+^]", flat):
        return "not_words"
    return None


def _distinctive(text: str) -> set[str]:
    lang = "zh" if has_cjk(text) else "en"
    return {stem(t, lang) for t in content_tokens(text, lang) if len(t) > 2 or has_cjk(t)}


def gives_away(stem_text: str, answer: str) -> bool:
    """The stem contains the answer, or every distinctive word of it (their stems)."""
    if fold(answer) and fold(answer) in fold(stem_text):
        return True
    answer_words = _distinctive(answer)
    return bool(answer_words) and answer_words <= _distinctive(stem_text)


def quiz_problem(q: QuizQuestion) -> str | None:
    """Why a quiz question is not valid, or None."""
    fields = [q.prompt, q.answer_text, q.explanation, *q.options]
    for text in fields:
        reason = boilerplate_reason(text)
        if reason:
            return f"boilerplate:{reason}"
    if _VAGUE_STEM.search(q.prompt):
        return "vague_stem"
    if q.kind == "multiple_choice":
        if len(q.options) < 3:
            return "too_few_options"
        folded = [fold(o) for o in q.options]
        if len(set(folded)) < len(folded) or any(
            a != b and (a in b or b in a) and min(len(a), len(b)) > 3 for a in folded for b in folded
        ):
            return "options_not_distinct"
        for option in q.options:
            if fragment_reason(option):
                return "fragment_option"
        if gives_away(q.prompt, q.answer_text):
            return "answer_in_stem"
    elif q.kind in ("fill_blank", "short_answer"):
        if fragment_reason(q.answer_text) or gives_away(q.prompt.replace("_____", " "), q.answer_text):
            return "answer_in_stem"
        if re.fullmatch(r"[\d.,%]+", q.answer_text.strip()):
            return "number_blank"
    if q.kind == "true_false" and fragment_reason(q.prompt.rstrip("?")):
        return "fragment_stem"
    lang = detect_language(" ".join([q.prompt, *q.options]))
    if incomplete_reason(q.prompt, lang, phrase=not sentence_like(q.prompt)):
        return "incomplete_stem"  # the statement in it was cut, spliced or begun mid-sentence
    if any(incomplete_reason(o, lang, phrase=True) for o in [*q.options, q.answer_text] if o.strip()):
        return "incomplete_option"
    return None


def card_problem(
    front: str, back: str, kind: str, *, figure: bool = False, lang: str | None = None
) -> str | None:
    """Why a flashcard is not valid or not atomic, or None (a figure card's front is asked beside the
    cropped figure, so "what does this figure show?" is a fair question there). ``lang``: the notes'
    language, for the completeness check of what the card says."""
    for text in (front, back):
        reason = boilerplate_reason(text)
        if reason:
            return f"boilerplate:{reason}"
    if _VAGUE_STEM.search(front) and not figure:
        return "vague_front"
    if word_count(back) > MAX_BACK_WORDS:
        return "not_atomic"
    if kind != "cloze":
        if fold(back) and fold(back) in fold(front):
            return "front_contains_back"
        if fragment_reason(back):
            return "fragment_back"
    elif fragment_reason(back, sentence=True):
        return "fragment_back"
    sides = [back] if figure else [front, back]  # a figure card's front is our own question
    for text in sides:
        if incomplete_reason(text, lang, phrase=not sentence_like(text)):
            return "incomplete"
    return None


def _jaccard(a: str, b: str) -> float:
    sa, sb = _distinctive(a), _distinctive(b)
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


def near_duplicates(
    texts: Sequence[str],
    *,
    embed: Callable[[list[str]], list[list[float]]] | None = None,
    threshold: float = 0.9,
    word_threshold: float = 0.8,
) -> set[int]:
    """Indexes of texts that repeat an earlier one: cosine similarity of their embeddings >= threshold
    (when an embedder is given), or a word-stem Jaccard >= word_threshold."""
    vectors: list[list[float]] | None = None
    if embed is not None and texts:
        try:
            vectors = [_unit(v) for v in embed(list(texts))]
        except Exception:  # an embedder failure must not lose the cards: fall back to words
            vectors = None
    dropped: set[int] = set()
    for i in range(len(texts)):
        for j in range(i):
            if j in dropped:
                continue
            if (
                vectors is not None
                and sum(x * y for x, y in zip(vectors[i], vectors[j], strict=False)) >= threshold
            ):
                dropped.add(i)
                break
            if _jaccard(texts[i], texts[j]) >= word_threshold:
                dropped.add(i)
                break
    return dropped


def _unit(vector: Sequence[float]) -> list[float]:
    norm = sum(x * x for x in vector) ** 0.5 or 1.0
    return [x / norm for x in vector]
