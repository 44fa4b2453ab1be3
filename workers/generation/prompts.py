"""The few LLM requests the generators make: short few-shot prompts (a small model copies the pattern;
llama.cpp reuses the shared prefix between calls) and the check each output must pass."""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise

from shared.llm import Message
from shared.text import content_tokens, fold, has_cjk, words
from workers.generation.candidates import Definition
from workers.generation.phrasing import AnswerOut, DistractorsOut, Phraser, QuestionOut, SummaryOut
from workers.generation.textutil import contains_phrase, grounded_share, invented_words

_QUESTION_SYSTEM = "Rewrite the fact as a question whose answer is the hidden word. Reply with JSON."
_QUESTION_SHOTS: list[Message] = [
    {"role": "user", "content": "Fact: ___ produce ATP for the cell.\nHidden: Mitochondria"},
    {"role": "assistant", "content": '{"question": "Which organelle produces ATP for the cell?"}'},
    {
        "role": "user",
        "content": "Fact: ___ states that current is proportional to voltage.\nHidden: Ohm's law",
    },
    {
        "role": "assistant",
        "content": '{"question": "Which law states that current is proportional to voltage?"}',
    },
]


def _length(text: str) -> int:
    return len(text) // 2 if has_cjk(text) else len(words(text))


def _is_question(text: str) -> bool:
    return text.rstrip().endswith(("?", "？", "¿"))


def degenerate(text: str) -> bool:
    """The loops a small model falls into: a content word three times, or a phrase said twice."""
    tokens = content_tokens(text)
    counts = Counter(tokens)
    if counts and counts.most_common(1)[0][1] >= 3:
        return True
    pairs = list(pairwise(tokens))
    return len(pairs) != len(set(pairs))


def question_for_term(phraser: Phraser, d: Definition) -> str | None:
    """A question whose answer is the defined term, phrased from the defining sentence with the term
    blanked out (a small model then cannot simply copy it into the question)."""
    blanked = (
        re.sub(re.escape(d.term), "___", d.sentence, flags=re.IGNORECASE)
        if not has_cjk(d.term)
        else (d.sentence.replace(d.term, "___"))
    )
    if "___" not in blanked:
        blanked = f"___: {d.definition}."
    messages: list[Message] = [
        {"role": "system", "content": _QUESTION_SYSTEM},
        *_QUESTION_SHOTS,
        {"role": "user", "content": f"Fact: {blanked[:300]}\nHidden: {d.term}"},
    ]

    def check(out: QuestionOut) -> str | None:
        q = out.question.strip()
        if not _is_question(q):
            return "not a question"
        if contains_phrase(q, d.term) or any(
            contains_phrase(q, w) for w in words(d.term) if len(w) > 4 and fold(w) not in fold(d.definition)
        ):
            return "gives the answer away"
        if not 4 <= _length(q) <= 35:
            return "length"
        if degenerate(q):
            return "repeats itself"
        if grounded_share(q, [d.sentence, d.definition]) < 0.75:
            return "not grounded"
        return None

    out = phraser.ask(messages, QuestionOut, check, max_tokens=60)
    return out.question.strip() if out else None


def question_for_points(phraser: Phraser, title: str, points: list[str]) -> str | None:
    """A flashcard question whose answer is the slide group's points."""
    body = "; ".join(points)[:400]
    messages: list[Message] = [
        {
            "role": "system",
            "content": "You write one flashcard question answered by the given slide. Use the slide's words. "
            "Reply with JSON only.",
        },
        {
            "role": "user",
            "content": 'Slide "Light reactions": happen in the thylakoid membrane; water is split to release '
            "oxygen",
        },
        {
            "role": "assistant",
            "content": '{"question": "Where do the light reactions happen, and what do they release?"}',
        },
        {"role": "user", "content": f'Slide "{title[:120]}": {body}'},
    ]

    def check(out: QuestionOut) -> str | None:
        q = out.question.strip()
        if not _is_question(q):
            return "not a question"
        if not 4 <= _length(q) <= 22:
            return "length"
        if degenerate(q):
            return "repeats itself"
        if grounded_share(q, [title, body]) < 0.75:
            return "not grounded"
        if fold(q).rstrip("?") in fold(body):
            return "copies the answer"
        return None

    out = phraser.ask(messages, QuestionOut, check, max_tokens=60)
    return out.question.strip() if out else None


def distractors_for(phraser: Phraser, term: str, definition: str, need: int, lecture_text: str) -> list[str]:
    """Wrong but plausible terms when the candidates run short: the model proposes, and only proposals that
    occur in the same lecture's text are kept (never the answer, nothing from outside the notes)."""
    messages: list[Message] = [
        {"role": "system", "content": "You give wrong answer options for a quiz. Reply with JSON only."},
        {
            "role": "user",
            "content": "Term: mitochondria\nMeaning: the organelle that produces ATP\nGive 3 other terms.",
        },
        {"role": "assistant", "content": '{"distractors": ["ribosome", "chloroplast", "Golgi apparatus"]}'},
        {"role": "user", "content": f"Term: {term}\nMeaning: {definition[:200]}\nGive {need} other terms."},
    ]

    def clean(out: DistractorsOut) -> list[str]:
        found: list[str] = []
        for d in out.distractors:
            d = d.strip().strip(".")
            if not d or not 1 <= _length(d) <= 6 or fold(d) == fold(term):
                continue
            if contains_phrase(d, term) or contains_phrase(term, d) or fold(d) in {fold(x) for x in found}:
                continue
            if not contains_phrase(lecture_text, d):
                continue
            found.append(d)
        return found

    out = phraser.ask(
        messages, DistractorsOut, lambda o: None if clean(o) else "no usable distractor", max_tokens=60
    )
    return clean(out) if out else []  # the caller takes what it needs


def lecture_summary(phraser: Phraser, lecture: str, topics: list[str]) -> str | None:
    """One sentence on what a lecture covers, from its slide titles (checked against them)."""
    listed = "; ".join(topics)[:350]
    messages: list[Message] = [
        {
            "role": "system",
            "content": "You summarise a lecture in one sentence using only its topic list. "
            "Reply with JSON only.",
        },
        {
            "role": "user",
            "content": "Lecture: Photosynthesis\nTopics: Light reactions; Calvin cycle; Limiting factors",
        },
        {
            "role": "assistant",
            "content": '{"summary": "Photosynthesis: the light reactions, the Calvin cycle '
            'and its limiting factors."}',
        },
        {"role": "user", "content": f"Lecture: {lecture[:100]}\nTopics: {listed}"},
    ]

    def check(out: SummaryOut) -> str | None:
        s = out.summary.strip()
        if not 5 <= _length(s) <= 35:
            return "length"
        if degenerate(s):
            return "repeats itself"
        if grounded_share(s, [lecture, listed]) < 0.8:
            return "not grounded"
        if invented_words(s, [lecture, listed]):
            return "a made-up word"
        return None

    out = phraser.ask(messages, SummaryOut, check, max_tokens=70)
    return out.summary.strip() if out else None


def answer_from_passages(phraser: Phraser, question: str, passages: list[str]) -> AnswerOut | None:
    """An answer written from numbered passages; it must cite only those and stay within their words."""
    numbered = "\n".join(f"[{i}] {p[:500]}" for i, p in enumerate(passages, start=1))
    messages: list[Message] = [
        {
            "role": "system",
            "content": "Answer the exam question using only the numbered notes. "
            "Cite the note numbers you used. "
            'Reply with JSON only: {"answer": "...", "sources": [1]}',
        },
        {"role": "user", "content": f"Notes:\n{numbered}\n\nQuestion: {question[:400]}"},
    ]

    def check(out: AnswerOut) -> str | None:
        if any(not 1 <= n <= len(passages) for n in out.sources):
            return "cites a note it was not given"
        cited = [passages[n - 1] for n in set(out.sources)]
        if not 3 <= _length(out.answer) <= 250:
            return "length"
        if degenerate(out.answer) and _length(out.answer) < 40:
            return "repeats itself"
        if grounded_share(out.answer, cited) < 0.7:
            return "not grounded in the cited notes"
        return None

    return phraser.ask(messages, AnswerOut, check, max_tokens=200)
