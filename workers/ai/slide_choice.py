"""Which retrieved slide an extractive answer speaks from, and all of that slide's words.

Retrieval ranks slides for finding; an answer needs the slide that SAYS what was asked. On the dev split of
benchmarks/data/qa.jsonl the gold slide was among the five retrieved for 0.89 of the answerable questions but
first for only 0.71, and the extractive answer spoke from the first: a slide whose only text is a title that
repeats the question's words ("Generalized adjacency matrices") or an agenda outranked the slide holding the
definition. Two rules, measured on dev only (benchmarks/qa.py):

- the answer speaks from the slide whose words (title and text, stemmed) cover the most of the question's
  content words, a slide further down the list paying PLACE_PENALTY per place (so a later slide must cover
  clearly more of the question than the ones above it to lead);
- a figure slide whose title the question opens by naming ("In the layered protection architecture, ...")
  leads, whatever the others cover (``named_figure``; dev: cites gold 0.73 -> 0.74, figure questions 0.77 ->
  0.85, nothing lost);
- a slide is answered from all of its chunks (a long slide is cut into several, its speaker notes and the
  words in its figures are chunks of their own, and retrieval keeps only the best chunk of each slide).
"""

from __future__ import annotations

import re
from dataclasses import replace

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from shared.models import Chunk, Lecture, Subject
from shared.text import detect_language
from workers.ai.figure_questions import has_figure
from workers.ai.refusal import POINTERS
from workers.ai.retrieval import Evidence, match_terms

# Dev (158 answerable items with a gold slide in the top 5): the first slide held it for 125; the best
# coverage alone for 133, with 0.05 / 0.10 / 0.15 / 0.20 per place 134 / 132 / 135 / 130.
PLACE_PENALTY = 0.15
PageChunks = dict[
    tuple[int, int], list[tuple[int, str, str]]
]  # (lecture, page) -> [(chunk id, source, text)]
# A slide is read up to this many words (its retrieved chunk always whole): the corpus's longest pages are
# under 450 words, and a hostile slide of 5,000 chunks read whole cost an extractive answer 3-4 s.
MAX_SLIDE_WORDS = 1500
_NOTES = re.compile(r"^speaker notes:\s*", re.IGNORECASE)
# the pointer words as match_terms spells them ("figure" -> "figur", "examples" -> "exampl")
_POINTER_STEMS = frozenset(POINTERS | {t for w in POINTERS for t in match_terms(w)})


def question_terms(question: str, lang: str | None = None) -> set[str]:
    """The question's content words as the keyword index compares them, without words that only point at
    the slides ("figure", "example")."""
    return {t for t in match_terms(question, lang) if t not in POINTERS}


def coverage_of(terms: set[str], evidence: Evidence, lang: str | None = None) -> float:
    """The share of ``terms`` that the slide's title or text uses."""
    if not terms:
        return 0.0
    return len(terms & set(match_terms(f"{evidence.title}\n{evidence.text}", lang))) / len(terms)


def slides_language(evidence: list[Evidence]) -> str:
    """The language the retrieved slides are written in: the question's words and theirs are compared with
    its stems and stop words (as the keyword index compares them in the notes' language)."""
    return detect_language("\n".join(f"{e.title}\n{e.text}" for e in evidence))


def answering_order(question: str, evidence: list[Evidence]) -> list[Evidence]:
    """The retrieved slides with the one to answer from first (see the module's rule); the others keep
    their order. With no content words in the question the retrieval's order stands."""
    lang = slides_language(evidence)
    terms = question_terms(question, lang)
    if not terms or len(evidence) < 2 or names_title(terms, evidence[0], lang):
        return evidence
    named = named_figure(question, evidence[1:])
    if named is not None:
        return [named, *(e for e in evidence if e is not named)]
    scores = [coverage_of(terms, e, lang) - PLACE_PENALTY * place for place, e in enumerate(evidence)]
    best = max(range(len(evidence)), key=lambda i: (scores[i], -i))
    if best == 0:
        return evidence
    return [evidence[best], *(e for i, e in enumerate(evidence) if i != best)]


def names_title(terms: set[str], evidence: Evidence, lang: str | None = None) -> bool:
    """The slide says nothing but its title (its content is a figure) and the question names that whole
    title ("In the bidirectional RNN figure, ..." on the slide "Bidirectional RNN"): the student asks about
    that slide, whatever the others say."""
    title = question_terms(evidence.title, lang)
    title_only = not set(match_terms(evidence.text, lang)) - set(match_terms(evidence.title, lang))
    return title_only and bool(title) and title <= terms


# "In the layered protection architecture, what ...": a question that opens by naming what it is about.
_LEAD = re.compile(
    r"^\s*(in|on|from|for|at|according to|según|segun|en|dans|sur|selon|на|в|во|по)\s+([^,;:?]{3,120})[,;:]",
    re.IGNORECASE,
)


def named_figure(question: str, evidence: list[Evidence]) -> Evidence | None:
    """The slide with a figure whose title the question's opening phrase names exactly, pointer words aside
    ("In the layered protection architecture, what's at the record level?" and the figure slide "A layered
    protection architecture"): the student asks about that figure, even when a neighbour's prose repeats
    more of the question's words. At least two words must name it (one is a topic, not a figure); None
    when no retrieved figure slide is named so."""
    lead = _LEAD.match(question)
    if lead is None:
        return None
    named = set(match_terms(lead.group(2))) - _POINTER_STEMS
    if len(named) < 2:
        return None
    return next(
        (e for e in evidence if has_figure(e) and named == set(match_terms(e.title)) - _POINTER_STEMS), None
    )


def page_chunks(db: Session, evidence: list[Evidence], subject: Subject) -> PageChunks:
    """Every chunk of the retrieved slides, in the order they were stored (one query), only from lectures of
    the asker's ``subject`` (as retrieval reads: never another user's notes, whatever the evidence names)."""
    if not evidence:
        return {}
    wanted = {(e.lecture_id, e.page) for e in evidence}
    rows = db.execute(
        select(Chunk.id, Chunk.lecture_id, Chunk.page_number, Chunk.source, Chunk.text)
        .join(Lecture, Lecture.id == Chunk.lecture_id)
        .where(Lecture.subject_id == subject.id, Lecture.user_id == subject.user_id)
        .where(or_(*(and_(Chunk.lecture_id == lec, Chunk.page_number == page) for lec, page in wanted)))
        .order_by(Chunk.id)
    ).all()
    found: PageChunks = {}
    for chunk_id, lecture_id, page, source, text in rows:
        found.setdefault((lecture_id, page), []).append((chunk_id, source, text))
    return found


def whole_slides(evidence: list[Evidence], chunks: PageChunks) -> list[Evidence]:
    """Each slide with the text of all its chunks: the retrieved chunk first, then the others in stored
    order (speaker notes without their "Speaker notes:" mark). Copies; the retrieved evidence is unchanged."""
    out = []
    for e in evidence:
        first = _NOTES.sub("", e.text).strip()
        words, others = len(first.split()), []
        for chunk_id, source, text in chunks.get((e.lecture_id, e.page), []):
            more = _NOTES.sub("", text).strip()
            if chunk_id == e.chunk_id or not more:
                continue
            words += len(more.split())
            if words > MAX_SLIDE_WORDS:
                break
            others.append((source, more))
        if not others:
            out.append(e)
            continue
        parts = ((e.source, first), *others)
        out.append(replace(e, text="\n\n".join(t for _, t in parts), parts=parts))
    return out


def answer_evidence(
    db: Session, question: str, evidence: list[Evidence], *, keep_first: bool, subject: Subject
) -> list[Evidence]:
    """The slides an extractive answer is written from: the answering slide first (unless ``keep_first``: a
    follow-up pinned to the slide the previous answer cited), each with all its chunks' text."""
    ordered = evidence if keep_first else answering_order(question, evidence)
    return whole_slides(ordered, page_chunks(db, ordered, subject))
