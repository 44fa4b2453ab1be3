"""Quizzes: questions built from the notes' own candidates, phrased by the LLM when it passes the checks,
rendered to a PDF by workers.generation.quiz_pdf (re-exported here)."""

from __future__ import annotations

import logging
import random
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from shared.errors import AppError
from shared.schemas import Difficulty, QuestionKind, QuizData, QuizQuestion, SourceRef
from shared.text import count_cjk, fold, has_cjk, sentences, words
from workers.generation.candidates import (
    Definition,
    Group,
    LectureCandidates,
    Point,
    blank_out,
    good_title,
    statement_like,
)
from workers.generation.i18n import t
from workers.generation.keyterms import ListUnit, key_terms, list_units, term_in
from workers.generation.phrasing import Phraser
from workers.generation.prompts import distractors_for, question_for_term
from workers.generation.quiz_pdf import render_quiz_pdf, scripts_in  # re-exported
from workers.generation.textutil import contains_phrase, shorten
from workers.generation.validity import quiz_problem

log = logging.getLogger(__name__)
LETTERS = "ABCDEF"

MIX: dict[str, dict[QuestionKind, float]] = {
    "easy": {"multiple_choice": 0.4, "true_false": 0.4, "fill_blank": 0.2, "short_answer": 0.0},
    "medium": {"multiple_choice": 0.4, "true_false": 0.2, "fill_blank": 0.2, "short_answer": 0.2},
    "hard": {"multiple_choice": 0.3, "true_false": 0.1, "fill_blank": 0.3, "short_answer": 0.3},
}
OPTIONS = {"easy": 3, "medium": 4, "hard": 4}

Builder = Callable[[], QuizQuestion | None]
# A statement that leans on the slide before it ("These all have one flaw") is no self-contained question.
_ANAPHORIC = re.compile(
    r"^(?:these|those|this|that|they|it|its|then|there|here|such|both|the\s+problem\s+is|however|but|also|"
    r"estos|estas|esto|ellos|это|эти|он|она|они|这|那|它|他们)\b",
    re.I,
)


@dataclass
class _Seed:
    """One possible question: built lazily (it may call the LLM), keyed so one fact is asked once."""

    kind: QuestionKind
    key: str
    order: tuple[int, int]
    build: Builder


def _question(
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


def _variants(term: str) -> list[str]:
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
            verb = "are" if re.search(rf"{re.escape(d.term)}\s+are\b", d.sentence, re.I) else "is"
            return f"What {verb} {definition}?"
    elif lang == "es" and re.match(r"(un|una|el|la|los|las)\b", definition, re.I):
        return f"¿Qué es {definition}?"
    elif lang == "zh":
        return f"什么是{definition}？"
    return t(lang, "mc_term", definition=shorten(definition, 220))


def _sentence_ok(sentence: str) -> bool:
    """Long enough to be a statement, short enough for a question."""
    if has_cjk(sentence):
        return count_cjk(sentence) >= 8 and len(sentence) <= 160
    return len(words(sentence)) >= 6 and len(sentence) <= 260


class QuizBuilder:
    def __init__(
        self,
        lectures: list[LectureCandidates],
        phraser: Phraser,
        *,
        difficulty: Difficulty = "medium",
        seed: int = 0,
    ) -> None:
        self.lectures = [lc for lc in lectures if not lc.is_empty()]
        self.phraser = phraser
        self.difficulty = difficulty
        self.rng = random.Random(seed)  # noqa: S311  (shuffling options, not security)
        self.n_options = OPTIONS[difficulty]
        self._groups_asked: set[int] = set()
        self._texts: dict[int, str] = {}
        self._terms: list[str] | None = None

    @property
    def language(self) -> str:
        votes = Counter(lc.lang for lc in self.lectures for _ in range(len(lc.definitions) + len(lc.points)))
        return votes.most_common(1)[0][0] if votes else "en"

    # --- explanations -------------------------------------------------------------------------------
    @staticmethod
    def _explain_definition(d: Definition) -> str:
        return shorten(f"{d.term}: {d.definition}.", 200)

    @staticmethod
    def _explain_point(lang: str, title: str, point: str) -> str:
        if good_title(title):
            return shorten(t(lang, "slides_on_say", title=title, point=point), 200)
        return shorten(t(lang, "slides_say", point=point), 200)

    # --- distractors ------------------------------------------------------------------------------
    def _near(
        self, ref: SourceRef, items: list[tuple[str, SourceRef]], exclude: set[str], n: int
    ) -> list[str]:
        """Other items, same lecture first; on 'hard' the nearest slides first, else shuffled."""
        same = [(x, r) for x, r in items if r.lecture_id == ref.lecture_id and fold(x) not in exclude]
        other = [(x, r) for x, r in items if r.lecture_id != ref.lecture_id and fold(x) not in exclude]
        if self.difficulty == "hard":
            same.sort(key=lambda x: abs(x[1].page - ref.page))
        else:
            self.rng.shuffle(same)
        self.rng.shuffle(other)
        picked: list[str] = []
        for text, _ in same + other:
            if fold(text) not in {fold(p) for p in picked}:
                picked.append(text)
            if len(picked) == n:
                break
        return picked

    def _term_distractors(
        self, lc: LectureCandidates, d: Definition, terms: list[tuple[str, SourceRef]], need: int
    ) -> list[str]:
        """Same-lecture terms, then same-lecture slide titles, then the model's proposals found in the
        lecture's text; other lectures' terms only as a last resort."""
        taken = {fold(d.term)}

        def add(items: list[str]) -> None:
            for item in items:
                if len(picked) < need and fold(item) not in taken and not contains_phrase(item, d.term):
                    picked.append(item)
                    taken.add(fold(item))

        picked: list[str] = []
        same = [(x, r) for x, r in terms if r.lecture_id == d.ref.lecture_id]
        add(self._near(d.ref, same, taken, need))
        titles = [(g.title, g.refs[0]) for g in lc.groups if good_title(g.title) and len(words(g.title)) <= 6]
        if len(picked) < need:
            add(self._near(d.ref, titles, taken | {fold(d.term)}, need))
        if len(picked) < need:
            text = self._lecture_text(lc)
            add(distractors_for(self.phraser, d.term, d.definition, need - len(picked), text))
        if len(picked) < need:
            add(self._near(d.ref, terms, taken, need))
        return picked

    def _lecture_text(self, lc: LectureCandidates) -> str:
        if lc.lecture.id not in self._texts:
            self._texts[lc.lecture.id] = "\n".join(f"{s.title}\n{s.text}" for s in lc.lecture.slides)
        return self._texts[lc.lecture.id]

    def _options(self, correct: str, distractors: list[str]) -> tuple[list[str], str]:
        options = [correct, *distractors]
        self.rng.shuffle(options)
        return options, LETTERS[options.index(correct)]

    # --- seeds ------------------------------------------------------------------------------------
    def seeds(self) -> Iterator[_Seed]:
        all_terms = [(d.term, d.ref) for lc in self.lectures for d in lc.definitions]
        all_defs = [(d.definition, d.ref) for lc in self.lectures for d in lc.definitions]
        units = [(li, u) for li, lc in enumerate(self.lectures) for u in list_units(lc)]
        for li, unit in units:
            siblings = [u for lj, u in units if lj == li and u is not unit]
            yield _Seed(
                "multiple_choice",
                f"l:{fold(unit.title)}",
                (li, unit.ref.page),
                partial(self._mc_list, self.lectures[li], unit, siblings),
            )
        for li, lc in enumerate(self.lectures):
            for di, d in enumerate(lc.definitions):
                order = (li, d.ref.page)
                key = f"d:{fold(d.term)}"
                yield _Seed(
                    "multiple_choice",
                    key,
                    order,
                    partial(self._mc_definition, lc, d, di, all_terms, all_defs),
                )
                yield _Seed("true_false", key, order, partial(self._tf_definition, lc, d, all_terms))
                yield _Seed("short_answer", key, order, partial(self._short_answer, lc, d))
                yield _Seed("fill_blank", key, order, partial(self._fill_definition, lc, d))
            for group, point in lc.points:
                if point.is_definition:
                    continue  # asked through its definition
                order = (li, point.ref.page)
                key = f"p:{fold(point.text)}"
                yield _Seed("true_false", key, order, partial(self._tf_point, lc, group, point, all_terms))
                yield _Seed("fill_blank", key, order, partial(self._fill_point, lc, group, point))

    def _mc_definition(
        self,
        lc: LectureCandidates,
        d: Definition,
        index: int,
        terms: list[tuple[str, SourceRef]],
        defs: list[tuple[str, SourceRef]],
    ) -> QuizQuestion | None:
        need = self.n_options - 1
        if index % 2 == 0:  # which term is defined as ...?
            distractors = self._term_distractors(lc, d, terms, need)
            if not distractors:
                return None
            phrased = question_for_term(self.phraser, d)
            prompt = phrased or term_question(d, lc.lang)
            options, letter = self._options(d.term, distractors)
            return _question(
                "multiple_choice",
                prompt,
                letter,
                d.term,
                self._explain_definition(d),
                d.ref,
                options=options,
                llm=phrased is not None,
            )
        distractors = self._near(d.ref, defs, {fold(d.definition)}, need)
        if not distractors:
            return None
        options, letter = self._options(shorten(d.definition, 200), [shorten(x, 200) for x in distractors])
        return _question(
            "multiple_choice",
            t(lc.lang, "mc_def", term=d.term),
            letter,
            shorten(d.definition, 200),
            self._explain_definition(d),
            d.ref,
            options=options,
        )

    def _mc_list(
        self, lc: LectureCandidates, unit: ListUnit, siblings: list[ListUnit]
    ) -> QuizQuestion | None:
        """Name an item of a list: the distractors are items of the lecture's other lists (the same kind)."""
        own = {fold(i) for i in unit.items}
        pool = [
            i for u in siblings for i in u.items if fold(i) not in own and not contains_phrase(unit.title, i)
        ]
        self.rng.shuffle(pool)
        distractors: list[str] = []
        for item in pool:
            if fold(item) not in {fold(x) for x in distractors}:
                distractors.append(item)
            if len(distractors) == self.n_options - 1:
                break
        if len(distractors) < 2:
            return None
        key = next((i for i in unit.items if not contains_phrase(unit.title, i)), None)
        if key is None:
            return None
        options, letter = self._options(key, distractors)
        listed = "; ".join(unit.items)
        return _question(
            "multiple_choice",
            t(lc.lang, "mc_point", title=unit.title),
            letter,
            key,
            shorten(t(lc.lang, "slides_on_say", title=unit.title, point=listed), 240),
            unit.ref,
            options=options,
        )

    def _tf_definition(
        self, lc: LectureCandidates, d: Definition, terms: list[tuple[str, SourceRef]]
    ) -> QuizQuestion | None:
        lang = lc.lang
        truth = self.rng.random() < 0.5
        if truth:
            statement = d.sentence if contains_phrase(d.sentence, d.term) else f"{d.term}: {d.definition}."
            explanation = f"{t(lang, 'true')}. " + self._explain_definition(d)
        else:
            other = self._near(d.ref, terms, {fold(d.term)}, 1)
            if not other:
                return None
            if contains_phrase(d.sentence, d.term) and not has_cjk(d.term):
                statement = re.sub(re.escape(d.term), other[0], d.sentence, count=1, flags=re.IGNORECASE)
            elif contains_phrase(d.sentence, d.term):
                statement = d.sentence.replace(d.term, other[0], 1)
            else:
                statement = f"{other[0]}: {d.definition}."
            explanation = f"{t(lang, 'false')}. {t(lang, 'swapped', term=d.term, other=other[0])} "
            explanation += self._explain_definition(d)
        return _question(
            "true_false",
            t(lang, "tf", statement=shorten(statement, 260)),
            "true" if truth else "false",
            t(lang, "true" if truth else "false"),
            shorten(explanation, 240),
            d.ref,
        )

    def _tf_point(
        self, lc: LectureCandidates, group: Group, point: Point, all_terms: list[tuple[str, SourceRef]]
    ) -> QuizQuestion | None:
        if not _sentence_ok(point.text) or not statement_like(point.text) or _ANAPHORIC.match(point.text):
            return None
        if term_in(point.text, key_terms(lc)) is None:  # the statement itself names a key term
            return None
        lang = lc.lang
        context = t(lang, "on_slides", title=group.title) if good_title(group.title) else ""
        falsified = self._falsify(point.text, lc.specific_terms, all_terms, point.ref)
        if falsified is not None and self.rng.random() < 0.6:
            explanation = f"{t(lang, 'false')}. {t(lang, 'slides_say', point=point.text)}"
            return _question(
                "true_false",
                t(lang, "tf", statement=context + falsified),
                "false",
                t(lang, "false"),
                shorten(explanation, 240),
                point.ref,
            )
        return _question(
            "true_false",
            t(lang, "tf", statement=context + point.text),
            "true",
            t(lang, "true"),
            shorten(f"{t(lang, 'true')}. " + self._explain_point(lang, group.title, point.text), 240),
            point.ref,
        )

    def _falsify(
        self, text: str, terms: list[str], all_terms: list[tuple[str, SourceRef]], ref: SourceRef
    ) -> str | None:
        """A false version of a true line: a number changed, or one known term swapped for another."""
        m = re.search(r"(?<![\w.])(\d{1,6})(?![\w.%])", text)
        if m and not re.match(r"(19|20)\d\d$", m.group(1)):  # years are too easy to get wrong both ways
            value = int(m.group(1))
            new = value * 2 if value > 2 else value + 3
            return text[: m.start()] + str(new) + text[m.end() :]
        for term in sorted(terms, key=len, reverse=True):
            if contains_phrase(text, term) and not has_cjk(term):
                other = self._near(ref, all_terms, {fold(term)}, 1)
                if other and not contains_phrase(text, other[0]):
                    return re.sub(re.escape(term), other[0], text, count=1, flags=re.IGNORECASE)
        return None

    def _short_answer(self, lc: LectureCandidates, d: Definition) -> QuizQuestion | None:
        phrased = question_for_term(self.phraser, d)
        prompt = phrased or term_question(d, lc.lang)
        return _question(
            "short_answer",
            prompt,
            d.term,
            d.term,
            self._explain_definition(d),
            d.ref,
            accepted=_variants(d.term),
            llm=phrased is not None,
        )

    def _fill_definition(self, lc: LectureCandidates, d: Definition) -> QuizQuestion | None:
        sentence = d.sentence if contains_phrase(d.sentence, d.term) else f"{d.term}: {d.definition}."
        blanked = blank_out(sentence, d.term)
        if blanked == sentence:
            return None
        return _question(
            "fill_blank",
            t(lc.lang, "fill", sentence=shorten(blanked, 260)),
            d.term,
            d.term,
            self._explain_definition(d),
            d.ref,
            accepted=_variants(d.term),
        )

    def _fill_point(self, lc: LectureCandidates, group: Group, point: Point) -> QuizQuestion | None:
        for sentence in sentences(point.text, lc.text_lang):
            if not _sentence_ok(sentence) or not statement_like(sentence):
                continue
            terms = [x for x in key_terms(lc) if len(x.split()) >= 2 or x.isupper() or has_cjk(x)]
            phrase = term_in(sentence, terms)  # blanks only on key terms
            if not phrase or fold(phrase) == fold(sentence):
                continue
            blanked = blank_out(sentence, phrase)
            if blanked != sentence:
                return _question(
                    "fill_blank",
                    t(lc.lang, "fill", sentence=blanked),
                    phrase,
                    phrase,
                    self._explain_point(lc.lang, group.title, point.text),
                    point.ref,
                    accepted=_variants(phrase),
                )
        return None

    # --- assembly ---------------------------------------------------------------------------------
    def _keep(self, question: QuizQuestion) -> bool:
        """Valid (validity.quiz_problem) and about one of the lecture's key terms."""
        problem = quiz_problem(question)
        if problem:
            log.debug("quiz question dropped (%s): %s", problem, question.prompt)
            return False
        if self._terms is None:
            self._terms = sorted({t for lc in self.lectures for t in key_terms(lc)}, key=len, reverse=True)
        return term_in(f"{question.prompt} {question.answer_text}", self._terms) is not None

    def _interleaved(self, seeds: list[_Seed]) -> list[_Seed]:
        """Shuffled within each lecture, then round-robin across lectures (every lecture gets asked)."""
        by_lecture: dict[int, list[_Seed]] = {}
        for s in seeds:
            by_lecture.setdefault(s.order[0], []).append(s)
        for lst in by_lecture.values():
            self.rng.shuffle(lst)
        mixed: list[_Seed] = []
        while any(by_lecture.values()):
            for lst in by_lecture.values():
                if lst:
                    mixed.append(lst.pop(0))
        return mixed

    def build(self, count: int, progress: Callable[[int, int], None] | None = None) -> list[QuizQuestion]:
        by_kind: dict[QuestionKind, list[_Seed]] = {k: [] for k in MIX[self.difficulty]}
        for seed in self.seeds():
            by_kind[seed.kind].append(seed)
        for kind, seeds in by_kind.items():
            by_kind[kind] = self._interleaved(seeds)
        targets = _allocate(count, MIX[self.difficulty])
        used: set[str] = set()
        prompts: set[str] = set()
        made: list[QuizQuestion] = []
        order: dict[int, tuple[int, int]] = {}

        def take(kind: QuestionKind, limit: int) -> None:
            got = 0
            pool = by_kind[kind]
            while pool and got < limit and len(made) < count:
                seed = pool.pop(0)
                if seed.key in used:
                    continue
                question = seed.build()
                if question is None or fold(question.prompt) in prompts or not self._keep(question):
                    continue
                used.add(seed.key)
                prompts.add(fold(question.prompt))
                order[id(question)] = seed.order
                made.append(question)
                got += 1
                if progress:
                    progress(len(made), count)

        for kind, target in targets.items():
            take(kind, target)
        for kind in sorted(by_kind, key=lambda k: -MIX[self.difficulty][k]):  # top up from what is left
            if len(made) >= count:
                break
            take(kind, count - len(made))
        made.sort(key=lambda q: order[id(q)])
        for n, q in enumerate(made, start=1):
            q.number = n
        return made


def _allocate(count: int, mix: dict[QuestionKind, float]) -> dict[QuestionKind, int]:
    raw = {k: count * share for k, share in mix.items()}
    out = {k: int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: raw[k] - out[k], reverse=True)[: count - sum(out.values())]:
        out[k] += 1
    return out


def build_quiz(
    lectures: list[LectureCandidates],
    phraser: Phraser,
    *,
    questions: int,
    difficulty: Difficulty,
    title: str,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> QuizData:
    builder = QuizBuilder(lectures, phraser, difficulty=difficulty, seed=seed)
    built = builder.build(questions, progress)
    if not built:
        raise AppError(
            "NOT_ENOUGH_MATERIAL",
            "The notes have too little text to ask questions about (no definitions or bullet points found).",
            status_code=422,
        )
    return QuizData(title=title, difficulty=difficulty, language=builder.language, questions=built)


# --- PDF ------------------------------------------------------------------------------------------------


__all__ = ["QuizBuilder", "build_quiz", "render_quiz_pdf", "scripts_in", "term_question"]
