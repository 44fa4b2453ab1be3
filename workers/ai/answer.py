"""Grounded answers: retrieve, send the evidence first, stream the model's answer, cite only retrieved slides.

The bundled model is tiny, so the evidence carries the weight: prompts are short (three trimmed chunks),
retrieval decides whether the notes hold an answer at all (no model call when they do not), the model's
own citation markers are checked against what was retrieved, and an extractive answer (the best-matching
sentence of the top slide) stands in when the model returns nothing useful. With the bundled model itself
(answer_style "auto"), the answer is extractive from the start: the best sentences and bullets of the top
slides, each run cited; when the notes do not answer, the reply says so and names the closest slides.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from redis import Redis
from sqlalchemy.orm import Session

from shared.errors import AppError, not_found
from shared.events import ChatDone, ChatEvent, ChatEvidence, ChatReplace, ChatToken
from shared.llm import LLM, GenerationOptions, Message
from shared.models import Subject
from shared.settings import Settings
from shared.text import sentences as split_sentences
from shared.text import tokens
from workers.ai import unit_choice
from workers.ai.code_version import answering_code
from workers.ai.entailment import Embed
from workers.ai.entailment import check as entailment_check
from workers.ai.followups import FollowUp
from workers.ai.followups import resolve as resolve_followup
from workers.ai.list_answer import compare_pieces, list_pieces
from workers.ai.refusal import POINTERS, NotesVocabulary, VocabularyCache, coverage, notes_answer
from workers.ai.retrieval import Evidence, Retriever, match_terms, stem
from workers.ai.second_slide import also_says, budget_for, runner_up
from workers.ai.slide_choice import answer_evidence

__all__ = ["AnswerRequest", "answer_question", "coverage", "extractive_answer", "notes_answer"]

log = logging.getLogger(__name__)
Emit = Callable[[ChatEvent], None]
NOT_FOUND = "I could not find this in your notes for this subject."
CLOSEST_SLIDES = 3  # shown with a refusal, so the student can look for themselves
EVIDENCE_FOR_PROMPT = 3
WORDS_PER_EVIDENCE = 70
PROMPT_SIMILARITY_MARGIN = (
    0.2  # notes much further from the question than the best one stay out of the prompt
)
CACHE_TTL = 24 * 3600
CACHE_FORMAT = 13  # bump when answering changes, so cached answers from older code are not served
_END = (".", "!", "?", "\u3002")
_MARKER = re.compile(r"\[(\d{1,2})\]")
_HEADING = re.compile(r"[^.:\n\[\]]{0,120}, slide \d+:")  # a note's heading, echoed by the model
_WRAP = re.compile(r"(?<=[^.!?:;\n])\n(?=[a-z(])")
_BULLET = re.compile(
    r"^(?:[\s•◦▪‣●○■□►▶❖◆➢➤✓✔*«»¢§–—-]|[+~](?=\s+[^\W\d_]))+"
)  # OCR reads bullets as "+ ", "~ "


@dataclass
class AnswerRequest:
    user_id: int
    subject_id: int
    question: str
    request_id: str
    language: str = ""
    web: bool = False
    lecture_ids: list[int] = field(default_factory=list)
    history: list[Message] = field(default_factory=list)
    asked_at: float = 0.0  # epoch seconds when the student asked (for time to first token)


def retrieval_query(question: str, history: list[Message]) -> str:
    """A follow-up ("and why?", "the third one?") is searched with the previous turn (see followups)."""
    follow = resolve_followup(question, history)
    return follow.query if follow else question


def pin_previous_slide(evidence: list[Evidence], follow: FollowUp | None) -> list[Evidence]:
    """A follow-up with no words of its own ("why?", "an example?", "the third one?") is about the slide the
    previous answer cited first: that slide leads when retrieval found it."""
    if follow is None or not follow.pin_previous_slide or not follow.cited_pages:
        return evidence
    first = next((e for e in evidence if e.page in follow.cited_pages), None)
    if first is None:
        return evidence
    return [first, *(e for e in evidence if e is not first)]


def trim_words(text: str, limit: int) -> str:
    words = text.split()
    return " ".join(words[:limit]) + (" ..." if len(words) > limit else "")


def prompt_evidence(evidence: list[Evidence]) -> list[Evidence]:
    """The notes worth showing the model: the best one, and others nearly as close to the question. A tiny
    model given a loosely related slide will happily mix it in."""
    best = max(e.similarity for e in evidence)
    close = [e for e in evidence if e.similarity >= best - PROMPT_SIMILARITY_MARGIN]
    return close[:EVIDENCE_FOR_PROMPT] or evidence[:1]


def notes_vocabulary(
    db: Session, subject: Subject, vocabularies: VocabularyCache | None
) -> NotesVocabulary | None:
    """Every word of the subject's notes (cached per subject version when the worker passes its cache), for
    the refusal's missing words."""
    return (vocabularies or VocabularyCache(size=1)).get(db, subject)


def entailed_answer(
    raw: str, evidence: list[Evidence], question: str, embed: Embed | None
) -> tuple[str, list[Evidence]] | None:
    """The model's answer when every sentence it wrote is entailed by one sentence of the notes it was
    given (workers.ai.entailment), each cited by that sentence's slide; None otherwise. Lead-ins ("The
    answer is:") and sentences that only repeat the question are dropped first."""
    text = _HEADING.sub(" ", _MARKER.sub(" ", raw))
    asked = set(tokens(question))
    said = [" ".join(s.split()) for s in sentences(text)]
    said = [s for s in said if set(tokens(s)) - asked and not s.endswith(":")]
    sources = [(unit, e) for e in evidence for unit in [*answer_units(e), *([e.title] if e.title else [])]]
    if not said or not sources:
        return None
    verdicts = entailment_check(said, [u for u, _ in sources], question=question, embed=embed)
    if not all(v.ok for v in verdicts):
        log.info("not entailed: %s", [(v.sentence[:60], v.reason) for v in verdicts if not v.ok])
        return None
    pieces = [
        (
            v.sentence if v.sentence.endswith((".", "!", "?", "\u3002")) else v.sentence + ".",
            sources[v.source][1],
        )
        for v in verdicts
        if v.source is not None
    ]
    return compose(pieces)


def build_messages(
    question: str, evidence: list[Evidence], *, language: str, history: list[Message]
) -> list[Message]:
    notes = "\n".join(
        f"[{i}] {trim_words(' '.join(e.text.split()), WORDS_PER_EVIDENCE)}"
        for i, e in enumerate(evidence, start=1)
    )
    system = (
        "You help a student using only their lecture notes. Answer in one to three sentences, using only "
        "the notes below, and cite the note you used as [1], [2] or [3]."
    )
    if language and language.lower() not in ("en", "english"):
        system += f" Write the answer in {language}."
    messages: list[Message] = [{"role": "system", "content": system}]
    for turn in history[-4:]:
        messages.append({"role": turn["role"], "content": trim_words(turn["content"], 60)})
    messages.append({"role": "user", "content": f"Notes:\n{notes}\n\nQuestion: {question}"})
    return messages


def sentences(text: str) -> list[str]:
    """A slide's sentences: wrapped lines joined back (a line continuing in lower case), bullets and
    OCR'd bullet marks stripped."""
    joined = _WRAP.sub(" ", text)
    out = []
    for piece in split_sentences(joined):
        piece = _BULLET.sub("", piece).strip()
        if piece:
            out.append(piece)
    return out


def best_sentence(question: str, evidence: Evidence) -> str:
    """The most informative sentence of a slide for the question: the most words in common with it, then
    real sentences over headings; a short one is followed by the next."""
    wanted = set(tokens(question))
    title = evidence.title.strip().lower()
    found = [s for s in sentences(evidence.text) if s.lower() != title and len(s.split()) >= 3]
    if not found:
        topic = evidence.title or trim_words(" ".join(evidence.text.split()), 12)
        return f"Your notes name “{topic}” on this slide but do not explain it in words; open the slide."
    best = max(
        range(len(found)),
        key=lambda i: (len(wanted & set(tokens(found[i]))), len(found[i].split()) >= 6, -i),
    )
    chosen = found[best]
    if len(chosen.split()) < 12 and best + 1 < len(found):
        chosen = (
            f"{chosen.rstrip('.')}: {found[best + 1]}"
            if not chosen.endswith((".", "?", "!"))
            else (f"{chosen} {found[best + 1]}")
        )
    return trim_words(chosen, 60)


# Extractive answers (the bundled model is too small to write reliable ones): the slide's own sentences and
# bullets that share the most words with the question, never a credit, URL, footer or bare heading alone.
EXTRACT_WORDS = 90  # a short paragraph of the slide (dev: 60 words gave key phrases 0.43, 90 gave 0.47)
EXTRACT_UNITS = 3  # sentences chosen for their words in common with the question
# At most this many sentences or bullets in all (a list slide's bullets are short; the word budget
# still bounds the answer). Dev, held out (qa_lodo.py, eighth session): 8 -> 16, key phrase 0.614 -> 0.635.
MAX_UNITS = 16
FILL_FROM_SLIDE = True
MIN_EXTRACT_WORDS = 15  # fewer from the best slide: add the next slides' matching sentences
EXTRACT_SLIDES = 2
# A unit that starts with a word of the question ("Threat | Circumstances that...", "Vulnerability: a
# weakness...") is that term's definition: it counts as DEFINES_BONUS more words in common.
DEFINED_WORDS = 3
DEFINES_BONUS = 1
MIN_TOP_UP_TERMS = 2  # question words a later slide's sentence must add to be topped up with
_CREDIT = re.compile(
    r"https?://|www\.|\S+@\S+\.\w|©|\(c\)\s*\d{4}|copyright|all rights reserved|creative commons|"
    r"\blicen[cs]ed?\b|\buniversit|университет|\bslide \d+\b|\bpage \d+\b|^\d+(\s*/\s*\d+)?$",
    re.IGNORECASE,
)
_NOTES = re.compile(r"^speaker notes:\s*", re.IGNORECASE)


def answer_units(evidence: Evidence) -> list[str]:
    """A slide's sentences and bullets that can stand in an answer: not its title nor a piece of it (two
    words or more, all of them the title's, unless it leads into what follows with a colon; a one-word
    header such as "Disadvantages" heads a list and stays), not a credit, URL, footer or slide number,
    not a bare mark."""
    title = " ".join(evidence.title.split()).lower()
    title_terms = set(match_terms(title))
    units = []
    for piece in sentences(_NOTES.sub("", evidence.text)):
        piece = " ".join(piece.split())
        if piece.lower() == title or _CREDIT.search(piece) or not tokens(piece):
            continue
        said = set(match_terms(piece))
        if len(said) >= 2 and said <= title_terms and not piece.endswith(":"):
            continue  # a piece of the title (wrapped over two lines, or read again inside a figure)
        units.append(piece)
    return units


def imaged(slide: Evidence) -> set[str]:
    """The slide's units read from an image (OCR, a figure's words): the only ones that can be debris."""
    return unit_choice.image_units(slide, answer_units)


def extractive_pieces(
    question: str, evidence: list[Evidence], budget: int | None = None
) -> list[tuple[str, Evidence]]:
    """The best slide's units that share the most words with the question, then (FILL_FROM_SLIDE) its
    other units while the answer is short, each group in the slide's order; topped up
    from the next slide's units when that says little, but only with units that match at least two question
    words the chosen ones do not already contain (a shared "cell" or "happens" does not bring meiosis into a
    mitosis answer).
    Each with the slide it comes from; ``budget``: words in all (EXTRACT_WORDS by default)."""
    budget = EXTRACT_WORDS if budget is None else budget
    terms = unit_choice.terms_for(evidence)  # match_terms, in the notes' language with NOTES_LANGUAGE
    wanted = set(terms(question))
    pieces: list[tuple[str, Evidence]] = []
    words = 0
    pointer = figure_pointer(question, evidence[0]) if evidence else None
    for rank, e in enumerate(evidence):
        units = answer_units(e)
        if pieces:  # a later slide only for what the question asks that the chosen sentences do not say
            wanted -= {t for piece, _ in pieces for t in terms(piece)}
        overlap = [len(wanted & set(terms(u))) for u in units]
        if pieces:  # and with two of them at least: one shared word ("happens") is not a second answer
            overlap = [n if n >= MIN_TOP_UP_TERMS else 0 for n in overlap]
        defines = [bool(wanted & set(terms(" ".join(u.split()[:DEFINED_WORDS])))) for u in units]
        weight = unit_choice.weights(wanted, units, terms)  # the shared words, by rarity with IDF
        order = sorted(
            (i for i in range(len(units)) if overlap[i]),
            key=lambda i: (-weight[i] - DEFINES_BONUS * defines[i], -(len(units[i].split()) >= 5), i),
        )[:EXTRACT_UNITS]
        if not pieces and (FILL_FROM_SLIDE or not order):  # the slide's other units, in order
            order += fill_order(units, order)
        chosen: list[int] = []
        ocr = imaged(e)  # the units read from an image: debris and OCR noise only there
        for i in unit_choice.worded(units, order, overlap, question, ocr, e, bool(pointer)):  # no debris
            if words >= budget or len(chosen) >= MAX_UNITS:
                break
            earlier = [p for p, _ in pieces] + [units[j] for j in chosen]
            if unit_choice.says_again(units[i], earlier, units[i] in ocr):
                continue
            chosen.append(i)
            words += len(units[i].split())
        matched = sorted(i for i in chosen if overlap[i])  # the matching ones first, in slide order
        said = unit_choice.reading_order(
            units, matched + [i for i in chosen if not overlap[i]]
        )  # then the fill
        pieces += [(units[i], e) for i in said]
        if words >= MIN_EXTRACT_WORDS or rank + 1 >= EXTRACT_SLIDES:
            break
    if pointer:
        return [(pointer, evidence[0]), *pieces]  # the top slide leads, cited, before what the next one says
    return pieces


# A short answer fills first with the units right after a chosen one (a lead-in's list, the sentence a short
# one leads into). Dev key phrase: in slide order 0.561; the 1 / 2 / 3 / 5 following first 0.571 / 0.577 /
# 0.571 / 0.571.
FILL_FOLLOWING = 2


def fill_order(units: list[str], chosen: list[int]) -> list[int]:
    """The units that fill a short answer: the FILL_FOLLOWING right after a chosen one first (a lead-in's
    list, the sentence a short one leads into), then the slide's others in order."""
    rest = [i for i in range(len(units)) if i not in chosen]
    last = unit_choice.BARE_LAST
    return sorted(
        rest,
        key=lambda i: (
            last and unit_choice.bare(units[i]),
            not any(0 < i - j <= FILL_FOLLOWING for j in chosen),
            i,
        ),
    )


def figure_pointer(question: str, top: Evidence) -> str | None:
    """The top slide says nothing but its title (its content is a figure, a picture, a chart): when that
    title shares a content word with the question, the answer names it and points at the slide, cited,
    before anything a later slide adds; otherwise None. Without this the next slide (often an agenda or a
    neighbour) answered alone and the slide the student asked about went uncited."""
    if not unit_choice.all_debris(answer_units(top), question, imaged(top), top):  # labels alone point too
        return None
    topic = " ".join(top.title.split()) or trim_words(" ".join(top.text.split()), 12)
    asked = {stem(t) for t in match_terms(question) if t not in POINTERS}
    if not topic or not asked & {stem(t) for t in match_terms(topic)}:
        return None
    topic = topic.rstrip(".:")
    if top.figure_ids or top.source == "figure":
        return f"“{topic}” is shown in a figure on this slide; open it for the details."
    return f"Your notes name “{topic}” on this slide but do not explain it in words; open the slide."


def extractive_answer(
    question: str, evidence: list[Evidence], second: Evidence | None = None
) -> tuple[str, list[Evidence]]:
    """The answer from the slides' own words, each sentence followed by its slide's label. ``second``: a
    runner-up slide nearly tied with the first (workers.ai.second_slide): its best sentence is added with its
    own citation (not to a list answer), the first slide's words shortened to keep the same budget."""
    listed = list_pieces(question, evidence, answer_units)
    extra = also_says(question, second, answer_units) if second is not None and not listed else None
    pieces = listed or extractive_pieces(question, evidence, budget_for(extra, EXTRACT_WORDS))
    pieces = compare_pieces(question, evidence, pieces, answer_units) or pieces  # workers.ai.list_answer
    if not pieces:
        return cite_sentences(best_sentence(question, evidence[0]), evidence[:1], "")
    if (
        extra
        and second is not None
        and all(e.page != second.page or e.lecture_id != second.lecture_id for _, e in pieces)
    ):
        pieces = [*pieces, (extra, second)]
    return compose([(p if p.endswith((".", "!", "?", "\u3002", ":")) else p + ".", e) for p, e in pieces])


def item_answer(item: str, evidence: list[Evidence]) -> tuple[str, list[Evidence]]:
    """For "the third one?": the slide sentence that is the previous answer's n-th item, cited."""
    wanted = set(match_terms(item))
    for e in evidence:
        units = answer_units(e)
        if units:
            best = max(units, key=lambda u: len(wanted & set(match_terms(u))))
            if len(wanted & set(match_terms(best))) >= min(2, len(wanted)):
                return compose([(best if best.endswith(_END) else best + ".", e)])
    return compose([(item if item.endswith(_END) else item + ".", evidence[0])])


def compose(pieces: list[tuple[str, Evidence]]) -> tuple[str, list[Evidence]]:
    """Sentences with their slide's label after each run of sentences from the same slide; a sentence that
    repeats an earlier one (near-duplicate words) is left out."""
    pieces = without_repeats(pieces)
    parts: list[str] = []
    cited: list[Evidence] = []
    for index, (sentence, source) in enumerate(pieces):
        last_of_run = index == len(pieces) - 1 or pieces[index + 1][1] is not source
        parts.append(f"{sentence} {source.label}" if last_of_run else sentence)
        if source not in cited:
            cited.append(source)
    return re.sub(r"\s+([.,;:])", r"\1", " ".join(parts)), cited


REPEAT = 0.8  # words in common (Jaccard) with an earlier sentence that make a sentence a repeat


def without_repeats(pieces: list[tuple[str, Evidence]]) -> list[tuple[str, Evidence]]:
    """The sentences, each said once: one with nearly the same words (numbers included) as an earlier one,
    or all of whose three or more words an earlier one says, goes. Parallel bullets ("Low SNR: power to one
    subchannel", "High SNR: the same power to all subchannels") differ in a word or two and stay."""
    kept: list[tuple[str, Evidence]] = []
    seen: list[set[str]] = []
    for sentence, source in pieces:
        words = set(match_terms(sentence)) or {sentence.strip().lower()}
        if any(
            len(words & other) >= REPEAT * len(words | other) or (len(words) >= 3 and words <= other)
            for other in seen
        ):
            continue
        kept.append((sentence, source))
        seen.append(words)
    return kept


def cite_sentences(raw: str, evidence: list[Evidence], question: str) -> tuple[str, list[Evidence]]:
    """Attribute each sentence of the model's answer to the retrieved note it shares the most words with,
    and write that slide's label after it. The model's own [n] markers and any note headings it echoed are
    dropped: a tiny model misplaces them. Sentences that say nothing (no words of their own) go. Returns
    the answer and the slides it cites, in order; never a slide that was not retrieved."""
    text = _HEADING.sub(" ", _MARKER.sub(" ", raw))
    asked = set(tokens(question))
    pieces: list[tuple[str, Evidence]] = []
    for sentence in (" ".join(s.split()) for s in sentences(text)):
        words = set(tokens(sentence))
        if not words - asked or sentence.endswith(":"):  # says nothing new, or a lead-in ("The answer is:")
            continue
        best = max(evidence, key=lambda e: len(words & set(tokens(e.text + " " + e.title))))
        if len(words & set(tokens(best.text + " " + best.title))) < 2:  # too little to tell: as before
            best = pieces[-1][1] if pieces else evidence[0]
        pieces.append((sentence if sentence.endswith((".", "!", "?", "\u3002")) else sentence + ".", best))
    return compose(pieces)


def citation_dict(e: Evidence, question: str) -> dict[str, Any]:
    return {
        "lecture": e.lecture_id,
        "lecture_title": e.lecture_title,
        "file": e.file,
        "page": e.page,
        "quote": best_sentence(question, e),
        "figure_ids": e.figure_ids,
    }


def evidence_dict(e: Evidence) -> dict[str, Any]:
    return {
        "lecture": e.lecture_id,
        "lecture_title": e.lecture_title,
        "file": e.file,
        "page": e.page,
        "title": e.title,
        "text": e.text,
        "source": e.source,
        "figure_ids": e.figure_ids,
        "score": round(e.score, 5),
        "similarity": round(e.similarity, 4),
        "thumbnail": f"/api/v1/lectures/{e.lecture_id}/pages/{e.page}/thumbnail",
    }


def cache_key(req: AnswerRequest, version: int, code: str | None = None) -> str:
    """The answer cache's key: the request, the subject's version and the answering code's digest."""
    raw = json.dumps(
        [req.question.strip().lower(), req.language, req.web, sorted(req.lecture_ids), req.history[-4:]],
        sort_keys=True,
    )
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    code = answering_code() if code is None else code
    return f"smartnotes:answer:v{CACHE_FORMAT}:{code}:{req.user_id}:{req.subject_id}:{version}:{digest}"


def web_search(query: str, *, timeout: float = 4.0, results: int = 3) -> tuple[list[dict[str, str]], str]:
    """DuckDuckGo results, or a notice when the web is unreachable (the answer still comes from the notes)."""
    try:
        from ddgs import DDGS

        found = DDGS(timeout=int(timeout)).text(query, max_results=results) or []
        items = [
            {"title": r.get("title", ""), "url": r.get("href", ""), "snippet": r.get("body", "")}
            for r in found
        ]
        return items, "" if items else "Web search found nothing; this answer comes from your notes only."
    except Exception as exc:
        log.info("web search unavailable: %r", exc)
        return [], "Web search is unavailable right now (offline?); this answer comes from your notes only."


def answer_question(
    *,
    db: Session,
    retriever: Retriever,
    llm_factory: Callable[[], LLM],
    redis: Redis | None,
    req: AnswerRequest,
    emit: Emit,
    persist: Callable[[dict[str, Any]], None] | None = None,
    extractive: bool = False,
    vocabularies: VocabularyCache | None = None,
) -> dict[str, Any]:
    """Answer one question: evidence event, token events, done event. Returns the final result.
    ``extractive``: answer with the slides' own sentences instead of the model's (see extractive_answers)."""
    subject = db.get(Subject, req.subject_id)
    if subject is None or subject.user_id != req.user_id:
        raise not_found("subject")
    base: dict[str, Any] = {"request_id": req.request_id, "subject_id": subject.id}
    key = cache_key(req, subject.version)
    if redis is not None and (hit := redis.get(key)):
        result = dict(json.loads(hit), cached=True, seconds_to_first_token=_since(req.asked_at))
        emit(ChatEvidence(**base, evidence=result["evidence"]))
        emit(ChatToken(**base, text=result["answer"]))
        if persist is not None:
            persist(result)
        emit(ChatDone(**base, **result))
        return result

    follow = resolve_followup(req.question, req.history)
    query = follow.query if follow else req.question
    asked = follow.question if follow else req.question  # what the answer's sentences are chosen for
    evidence = retriever.search(db, subject=subject, query=query, k=5, lecture_ids=req.lecture_ids or None)
    evidence = pin_previous_slide(evidence, follow)
    found = notes_answer(query, evidence, notes_vocabulary(db, subject, vocabularies))
    shown = evidence if found else []
    emit(ChatEvidence(**base, evidence=[evidence_dict(e) for e in shown]))
    web_items, notice = web_search(req.question) if req.web else ([], "")

    closest = [] if found else evidence[:CLOSEST_SLIDES]
    if not found:
        cited: list[Evidence] = []
        answer, first_token = not_found_answer(closest), _since(req.asked_at)
        emit(ChatToken(**base, text=answer))
    elif extractive and follow is not None and follow.kind == "ordinal":
        answer, cited = item_answer(follow.item, evidence)
        first_token = _since(req.asked_at)
        emit(ChatToken(**base, text=answer))
    elif extractive:  # from the slide that covers the question best, all of its text (slide_choice)
        pinned = follow is not None and follow.pin_previous_slide
        slides = answer_evidence(db, asked, evidence, keep_first=pinned, subject=subject)
        answer, cited = extractive_answer(asked, slides, None if pinned else runner_up(asked, slides))
        first_token = _since(req.asked_at)
        for piece in re.findall(r"\S+(?:\s+\S+){0,3}\s*", answer):  # streamed as the model's words would be
            emit(ChatToken(**base, text=piece))
    else:
        top = prompt_evidence(evidence)
        messages = build_messages(req.question, top, language=req.language, history=req.history)
        raw, first_token = "", None
        for piece in llm_factory().stream(messages, GenerationOptions(max_tokens=160, temperature=0.1)):
            if first_token is None:
                first_token = _since(req.asked_at)
            raw += piece
            emit(ChatToken(**base, text=piece))
        embedder = getattr(retriever, "embedder", None)
        gated = entailed_answer(raw, top, asked, embedder.embed if embedder is not None else None)
        if gated is None:
            # A sentence no source sentence entails (or nothing said): the slides' own sentences stand.
            log.info("model answer not entailed by the notes; answering extractively: %r", raw[:200])
            answer, cited = extractive_answer(asked, top)
            emit(ChatReplace(**base, text=answer))
        else:
            answer, cited = gated
    if notice:
        answer = f"{answer}\n\n{notice}"
    result = {
        "answer": answer,
        "citations": [citation_dict(e, req.question) for e in cited],
        "closest": [citation_dict(e, req.question) for e in closest],
        "evidence": [evidence_dict(e) for e in shown],
        "web": web_items,
        "notice": notice,
        "seconds_to_first_token": first_token,
        "cached": False,
        "answered_from_notes": found,
    }
    if redis is not None and not req.web:
        redis.set(
            key, json.dumps({k: v for k, v in result.items() if k != "seconds_to_first_token"}), ex=CACHE_TTL
        )
    if persist is not None:  # stored before "done", so a client reloading the session on done sees it
        persist(result)
    emit(ChatDone(**base, **result))
    return result


def not_found_answer(closest: list[Evidence]) -> str:
    """Say the notes do not answer, and name the closest slides (shown, never cited as the answer)."""
    if not closest:
        return NOT_FOUND
    return f"{NOT_FOUND} The closest slides: {'; '.join(e.label for e in closest)}."


def extractive_answers(settings: Settings) -> bool:
    """Whether answers are the slides' own sentences: "auto" does so for the bundled tiny model, whose
    own answers are too often wrong; a real model (Ollama, an OpenAI-compatible server, a GGUF) writes."""
    if settings.answer_style != "auto":
        return settings.answer_style == "extractive"
    return settings.llm_provider == "llamacpp" and not settings.llm_model


def _since(asked_at: float) -> float | None:
    return round(time.time() - asked_at, 3) if asked_at else None


def check_question(question: str) -> str:
    question = question.strip()
    if not question:
        raise AppError("VALIDATION_ERROR", "Ask a question first.", status_code=422)
    if len(question) > 2000:
        raise AppError(
            "VALIDATION_ERROR", "The question is too long (2000 characters at most).", status_code=422
        )
    return question
