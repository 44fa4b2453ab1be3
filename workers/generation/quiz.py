"""Quizzes: questions built from the notes' own candidates, phrased by the LLM when it passes the checks,
rendered to a PDF by workers.generation.quiz_pdf (re-exported here)."""

from __future__ import annotations

import logging
import random
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import partial

from shared.errors import AppError
from shared.schemas import Difficulty, QuestionKind, QuizData, QuizQuestion, SourceRef
from shared.text import fold, has_cjk, sentences, words
from workers.generation.candidates import (
    Definition,
    Group,
    LectureCandidates,
    Point,
    blank_out,
    find_definition,
    statement_like,
)
from workers.generation.card_forms import remark
from workers.generation.cue_checks import odd_option
from workers.generation.i18n import t
from workers.generation.keyterms import ListUnit, key_terms, list_units, term_in
from workers.generation.phrasing import Phraser
from workers.generation.prompts import distractors_for, question_for_term
from workers.generation.quiz_balance import TrueFalseBalance, context_prefix, even_case, framed, interleaved
from workers.generation.quiz_checks import (
    definition_problem,
    guessable,
    same_kind,
    shares_word,
    similar,
    statement_problem,
    term_problem,
)
from workers.generation.quiz_forms import agree, form_problem, shortfall_note, subject_blank
from workers.generation.quiz_keys import parent_option, without_leaks
from workers.generation.quiz_kinds import (
    allocate,
    cause_effect_question,
    compare_prompt,
    compare_rival,
    explain_definition,
    explain_point,
    question,
    sentence_ok,
    sibling_terms,
    term_question,
    variants,
)
from workers.generation.quiz_lists import list_seeds, mc_list_question
from workers.generation.quiz_negation import negated_question
from workers.generation.quiz_pairs import pair_question, pairs
from workers.generation.quiz_pdf import render_quiz_pdf, scripts_in  # re-exported
from workers.generation.quiz_points import asked_point, names_no_term
from workers.generation.quiz_statements import (
    completion_question,
    concept_names,
    false_question,
    mc_siblings,
    statements,
    swappable,
    without_aliases,
)
from workers.generation.salience import SalienceGate, ranked, round_robin
from workers.generation.source_checks import LectureChecks
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


@dataclass
class _Seed:
    """One possible question: built lazily (it may call the LLM), keyed so one fact is asked once."""

    kind: QuestionKind
    key: str
    order: tuple[int, int]
    build: Builder


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
        self._pages: dict[int, str] = {}
        self._names: dict[tuple[int, str], bool] = {}
        self._terms: list[str] | None = None
        self._text_langs = {lc.lecture.id: lc.text_lang for lc in self.lectures}
        # the last checks, by the item's source slide and words (source_checks)
        self._checks = {lc.lecture.id: LectureChecks(lc.lecture, lc.text_lang) for lc in self.lectures}

    @property
    def language(self) -> str:
        votes = Counter(lc.lang for lc in self.lectures for _ in range(len(lc.definitions) + len(lc.points)))
        return votes.most_common(1)[0][0] if votes else "en"

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
        """Sibling terms first ("Infrastructure security" beside "Application security"), then same-lecture
        terms, then the model's proposals found in the lecture's text; never another lecture's terms (a
        concept of another subject is no plausible answer)."""
        taken = {fold(d.term)}
        siblings = {fold(x.term) for x in sibling_terms(d, lc.definitions, lc.text_lang)}

        def fits(item: str) -> bool:  # a concept's name of the same shape, not a variant of the key
            return (
                same_kind(d.term, item)
                and (fold(item) in siblings or not shares_word(item, d.term, lc.text_lang))
                and self._name_ok(lc, item)
                and not self._badly_defined(lc, item)
                and not contains_phrase(d.definition, item)
                and not parent_option(d.term, item, self._checks[lc.lecture.id].topics, lc.text_lang)
            )

        def add(items: list[str]) -> None:
            for item in items:
                fresh = fold(item) not in taken and not contains_phrase(item, d.term)
                if len(picked) < need and fresh and fits(item):
                    picked.append(item)
                    taken.add(fold(item))

        picked: list[str] = []
        same = [(x, r) for x, r in terms if r.lecture_id == d.ref.lecture_id]
        add([x for x, _ in same if fold(x) in siblings])
        add(self._near(d.ref, same, taken, len(same)))
        if len(picked) < need:
            text = self._page_text(lc)
            add(distractors_for(self.phraser, d.term, d.definition, need - len(picked), text))
        return picked

    def _page_text(self, lc: LectureCandidates) -> str:
        """The lecture's slides, one per form feed (for "on how many slides" and "in lower case" checks)."""
        if lc.lecture.id not in self._pages:
            self._pages[lc.lecture.id] = "\f".join(f"{s.title}\n{s.text}" for s in lc.lecture.slides)
        return self._pages[lc.lecture.id]

    def _name_ok(self, lc: LectureCandidates, term: str) -> bool:
        """quiz_checks.term_problem, once per lecture and term (distractor searches ask it often)."""
        key = (lc.lecture.id, term)
        if key not in self._names:
            self._names[key] = term_problem(term, lc.text_lang, self._page_text(lc)) is None
        return self._names[key]

    def _badly_defined(self, lc: LectureCandidates, term: str) -> bool:
        """A term the lecture "defines" by no real definition ("login: string" of an example's schema)."""
        return any(fold(d.term) == fold(term) and not self._term_ok(lc, d) for d in lc.definitions)

    def _term_ok(self, lc: LectureCandidates, d: Definition) -> bool:
        """A definition worth asking: its term names a concept and its definition pins that term alone."""
        return self._name_ok(lc, d.term) and definition_problem(d.definition, lc.text_lang) is None

    def _options(self, correct: str, distractors: list[str]) -> tuple[list[str], str]:
        options = [correct, *distractors]
        self.rng.shuffle(options)
        return options, LETTERS[options.index(correct)]

    # --- seeds ------------------------------------------------------------------------------------
    def seeds(self) -> Iterator[_Seed]:
        all_terms = [(d.term, d.ref) for lc in self.lectures for d in lc.definitions]
        all_defs = [d for lc in self.lectures for d in lc.definitions]
        units = [(li, u) for li, lc in enumerate(self.lectures) for u in list_units(lc)]
        for li, unit in units:
            siblings = [u for lj, u in units if lj == li and u is not unit]
            yield _Seed(
                "multiple_choice",
                f"l:{fold(unit.title)}",
                (li, unit.ref.page),
                partial(self._mc_list, self.lectures[li], unit, siblings),
            )
        for li, lc in enumerate(self.lectures):  # "What are the 4 items of “Threat types”?", kinds named
            for form, key, page, build in list_seeds(lc, self.n_options, self.rng.shuffle):  # quiz_lists
                yield _Seed(form, key, (li, page), build)
        for li, lc in enumerate(self.lectures):
            usable = [d for d in lc.definitions if self._term_ok(lc, d)]
            # every third usable definition (the second of two) is kept for a false statement, a sibling
            # swapped in; the rest for multiple choice: true/false is asked first and would otherwise take
            # them all. A lecture defining two terms had no "False" key, so its true lines were all cut.
            kept_for_false = {id(d) for d in usable[2::3] or usable[1:2]}
            for di, d in enumerate(lc.definitions):
                order = (li, d.ref.page)
                key = f"d:{fold(d.term)}"
                if id(d) in kept_for_false:
                    yield _Seed("true_false", key, order, partial(self._tf_definition, lc, d, all_terms))
                else:
                    yield _Seed(
                        "multiple_choice",
                        key,
                        order,
                        partial(self._mc_definition, lc, d, di, all_terms, all_defs),
                    )
                yield _Seed("short_answer", key, order, partial(self._short_answer, lc, d))
                yield _Seed("fill_blank", key, order, partial(self._fill_definition, lc, d))
            for group, point in lc.points:
                if point.is_definition:
                    continue  # asked through its definition
                order = (li, point.ref.page)
                key = f"p:{fold(point.text)}"
                cause = cause_effect_question(point.text, lc.text_lang, point.ref)
                if cause is not None:  # a "why?" tests more than a true/false of the same line
                    prefix = context_prefix(point.text, group.title, key_terms(lc), lc.text_lang)
                    if prefix is not None:
                        cause.prompt = prefix + cause.prompt
                        yield _Seed("short_answer", key, order, partial(lambda q: q, cause))
                    continue
                true = partial(self._tf_point, lc, group, point)  # every other line negated: its false form
                flip = zlib.crc32(key.encode()) % 2 == 1
                yield _Seed(
                    "true_false",
                    key,
                    order,
                    partial(negated_question, lc.lang, true, lc.text_lang) if flip else true,
                )
                yield _Seed("fill_blank", key, order, partial(self._fill_point, lc, group, point))
            for st in statements(lc):  # what the lecture explains: the concept blanked, siblings as options
                kind: QuestionKind = "multiple_choice"
                make: Builder = partial(completion_question, st, lc.lang, self.n_options, self.rng.shuffle)
                if len(mc_siblings(st, self.n_options)) < 2:  # too few options: a sibling swapped in, false
                    kind, make = "true_false", partial(false_question, st, lc.lang)
                yield _Seed(kind, f"p:{fold(st.line)}", (li, st.ref.page), make)
            for pair in pairs(lc):  # "Label: value" cases a slide compares (quiz_pairs; English only)
                make = partial(pair_question, pair, self.n_options, self.rng.shuffle)
                yield _Seed("multiple_choice", f"p:{fold(pair.line)}", (li, pair.ref.page), make)

    def _mc_definition(
        self,
        lc: LectureCandidates,
        d: Definition,
        index: int,
        terms: list[tuple[str, SourceRef]],
        defs: list[Definition],
    ) -> QuizQuestion | None:
        need = self.n_options - 1
        if not self._term_ok(lc, d):
            return None
        if index % 2 == 0:  # which term is defined as ...?
            distractors = self._term_distractors(lc, d, terms, need)
            if not distractors:
                return None
            phrased = question_for_term(self.phraser, d)
            prompt = phrased or term_question(d, lc.lang)
            options, letter = self._options(d.term, distractors)
            return question(
                "multiple_choice",
                prompt,
                letter,
                d.term,
                explain_definition(d),
                d.ref,
                options=options,
                llm=phrased is not None,
            )
        pool = [
            (x.definition, x.ref)
            for x in defs
            if x.ref.lecture_id == d.ref.lecture_id
            and not shares_word(x.term, d.term, lc.text_lang)
            and not contains_phrase(x.definition, d.term)
            and self._term_ok(lc, x)
            and not similar(x.definition, d.definition, lc.text_lang)
        ]
        rival = compare_rival(d, [x for x in defs if self._term_ok(lc, x)], lc.text_lang)
        contrast = compare_prompt(d, rival, lc.lang) if rival else None
        usable = rival is not None and contrast is not None and not contains_phrase(rival.definition, d.term)
        first = [rival.definition] if rival and usable else []
        # "What is X?" with siblings' definitions when it has two (a discipline's beside terms' is too easy)
        kin = {fold(x.definition) for x in sibling_terms(d, defs, lc.text_lang)}
        if not first and len([x for x, _ in pool if fold(x) in kin]) >= 2:
            pool = [(x, r) for x, r in pool if fold(x) in kin]
        distractors = first + self._near(d.ref, pool, {fold(d.definition)}, need - len(first))
        if len(distractors) < 2:
            return None
        options, letter = self._options(shorten(d.definition, 200), [shorten(x, 200) for x in distractors])
        explanation = explain_definition(d)
        if first and rival:  # compare two concepts: the sibling's definition is the closest distractor
            explanation = shorten(f"{explanation} {rival.term}: {rival.definition}.", 240)
        return question(
            "multiple_choice",
            contrast if first and contrast else t(lc.lang, "mc_def", term=d.term),
            letter,
            shorten(d.definition, 200),
            explanation,
            d.ref,
            options=options,
        )

    def _mc_list(
        self, lc: LectureCandidates, unit: ListUnit, siblings: list[ListUnit]
    ) -> QuizQuestion | None:
        """Name an item of a list: the distractors are items of the lecture's other lists (quiz_lists)."""
        return mc_list_question(
            lc, unit, siblings, n_options=self.n_options, shuffle=self.rng.shuffle, name_ok=self._name_ok
        )

    def _tf_definition(
        self, lc: LectureCandidates, d: Definition, terms: list[tuple[str, SourceRef]]
    ) -> QuizQuestion | None:
        lang = lc.lang
        if not self._term_ok(lc, d) or statement_problem(d.sentence, lc.text_lang, self._page_text(lc)):
            return None
        if not contains_phrase(d.sentence, d.term):
            return None
        if context_prefix(d.sentence, "", key_terms(lc), lc.text_lang) is None:
            return None
        if remark(d.definition):  # "Input gate is a serious problem ...": absurd, so false to anyone
            return None
        kin = [x.term for x in sibling_terms(d, lc.definitions, lc.text_lang) if self._term_ok(lc, x)]
        terms = [
            (x, r)
            for x, r in terms
            if r.lecture_id == d.ref.lecture_id
            and same_kind(d.term, x)
            and not shares_word(x, d.term, lc.text_lang)
            and self._name_ok(lc, x)
            and not self._badly_defined(lc, x)
        ]
        # Only the false version: a sibling ("Application security" for "Infrastructure security") is the
        # plausible mistake, else another term of the lecture. True keys come from the slides' own lines.
        other = swappable(d, kin, lc)[:1] or swappable(d, self._near(d.ref, terms, {fold(d.term)}, 1), lc)
        if not other:  # none the lecture does not say it of too
            return None
        if not has_cjk(d.term):  # the key's synonyms in brackets dropped: they would name it again
            sentence = without_aliases(d.sentence)
            statement = re.sub(re.escape(d.term), other[0], sentence, count=1, flags=re.IGNORECASE)
            if lc.text_lang == "en":  # "The thylakoid is ..." -> "RuBisCO is ...", verb agreeing
                if other[0][:1].isupper():
                    statement = re.sub(
                        rf"^(?:the|a|an)\s+(?={re.escape(other[0])})", "", statement, flags=re.I
                    )
                statement = agree(statement, other[0])
        else:
            statement = d.sentence.replace(d.term, other[0], 1)
        explanation = f"{t(lang, 'false')}. {t(lang, 'swapped', term=d.term, other=other[0])} "
        explanation += explain_definition(d)
        return question(
            "true_false",
            t(lang, "tf", statement=shorten(statement, 260)),
            "false",
            t(lang, "false"),
            shorten(explanation, 240),
            d.ref,
        )

    def _tf_point(self, lc: LectureCandidates, group: Group, point: Point) -> QuizQuestion | None:
        if (said := asked_point(lc, point)) is None:  # its first whole sentence, no fragment (quiz_points)
            return None
        if statement_problem(said.text, lc.text_lang, self._page_text(lc)):
            return None
        if len(words(group.title)) >= 3 and contains_phrase(said.text, group.title):
            return None  # the slide's title read into the line: two text boxes merged
        if names_no_term(said.text, lc, group):  # the statement itself names a key term or concept
            return None
        lang = lc.lang
        # Only a line that stands on its own (no "In <title>: " label, judged valid 15 of 29 times), asked as
        # the slide says it: a line made false by a swapped number or word read as nonsense (0 of 6 valid);
        # false keys come from definitions with a sibling term swapped in (_tf_definition).
        if context_prefix(said.text, group.title, key_terms(lc), lc.text_lang) != "":
            return None
        return question(
            "true_false",
            t(lang, "tf", statement=said.text),
            "true",
            t(lang, "true"),
            shorten(f"{t(lang, 'true')}. " + explain_point(lang, said.text), 240),
            said.ref,
        )

    def _short_answer(self, lc: LectureCandidates, d: Definition) -> QuizQuestion | None:
        # with no options to narrow it down, the definition must pin the term on its own
        if not self._term_ok(lc, d) or definition_problem(d.definition, lc.text_lang, min_words=4):
            return None
        phrased = question_for_term(self.phraser, d)
        prompt = phrased or term_question(d, lc.lang)
        return question(
            "short_answer",
            prompt,
            d.term,
            d.term,
            explain_definition(d),
            d.ref,
            accepted=variants(d.term),
            llm=phrased is not None,
        )

    def _fill_definition(self, lc: LectureCandidates, d: Definition) -> QuizQuestion | None:
        if not self._term_ok(lc, d):
            return None
        sentence = d.sentence if contains_phrase(d.sentence, d.term) else f"{d.term}: {d.definition}."
        if statement_problem(sentence, lc.text_lang, self._page_text(lc)):
            return None
        if guessable(d.term, sentence, self._page_text(lc), len(lc.lecture.slides), not remark(d.definition)):
            return None
        blanked = blank_out(sentence, d.term)
        if blanked == sentence or context_prefix(blanked, "", key_terms(lc), lc.text_lang) != "":
            return None
        if not subject_blank(blanked):  # a blank inside a line fits several words (4 of 21 valid)
            return None
        return question(
            "fill_blank",
            t(lc.lang, "fill", sentence=shorten(blanked, 260)),
            d.term,
            d.term,
            explain_definition(d),
            d.ref,
            accepted=variants(d.term),
        )

    def _fill_point(self, lc: LectureCandidates, group: Group, point: Point) -> QuizQuestion | None:
        for sentence in sentences(point.text, lc.text_lang):
            if not sentence_ok(sentence) or not statement_like(sentence):
                continue
            if statement_problem(sentence, lc.text_lang, self._page_text(lc)):
                continue
            if find_definition(sentence, point.ref) is not None:
                continue  # a definition: asked through it, not twice
            pages = self._page_text(lc)
            terms = [  # blanks only on the concepts the lecture defines well, never on a guessable word
                d.term
                for d in sorted(lc.definitions, key=lambda d: len(d.term), reverse=True)
                if fold(d.term) not in lc.generic_terms and self._term_ok(lc, d)
            ]
            phrase = term_in(sentence, terms)
            if not phrase or fold(phrase) == fold(sentence):
                continue
            if guessable(phrase, sentence, pages, len(lc.lecture.slides)):
                continue
            blanked = blank_out(sentence, phrase)
            prefix = context_prefix(blanked, group.title, key_terms(lc), lc.text_lang)
            if blanked != sentence and prefix == "" and subject_blank(blanked):
                return question(
                    "fill_blank",
                    t(lc.lang, "fill", sentence=blanked),
                    phrase,
                    phrase,
                    explain_point(lc.lang, point.text),
                    point.ref,
                    accepted=variants(phrase),
                )
        return None

    # --- assembly ---------------------------------------------------------------------------------
    def _keep(self, question: QuizQuestion) -> bool:
        """Valid (validity.quiz_problem) and about one of the lecture's key terms."""
        lang = self._text_langs.get(question.source.lecture_id, "en")
        problem = quiz_problem(question) or form_problem(question, lang)
        if not framed(lang):
            problem = "unframed_language"
        if not problem and (checks := self._checks.get(question.source.lecture_id)):
            q = question
            problem = next(iter(checks.quiz(q.kind, q.prompt, q.options, q.answer_text, q.source.page)), None)
        if not problem and question.kind == "multiple_choice":
            problem = odd_option(question.options, question.answer_text)  # a key of another kind (cue_checks)
        if problem:
            log.debug("quiz question dropped (%s): %s", problem, question.prompt)
            return False
        if self._terms is None:
            names = {t for lc in self.lectures for t in [*key_terms(lc), *concept_names(lc)]}
            self._terms = sorted(names, key=len, reverse=True)
        return term_in(f"{question.prompt} {question.answer_text}", self._terms) is not None

    def build(self, count: int, progress: Callable[[int, int], None] | None = None) -> list[QuizQuestion]:
        by_kind: dict[QuestionKind, list[_Seed]] = {k: [] for k in MIX[self.difficulty]}
        for seed in self.seeds():
            by_kind[seed.kind].append(seed)
        gate = SalienceGate(self.lectures)  # the most salient concepts first (salience.py)
        for kind, seeds in by_kind.items():
            by_kind[kind] = round_robin(ranked(interleaved(seeds, self.rng), gate.seed), lambda s: s.order[0])
        reserve: list[_Seed] = []  # valid questions on less salient concepts: asked only to reach the floor
        targets = allocate(count, MIX[self.difficulty])
        used: set[str] = set()
        prompts: set[str] = set()
        made: list[QuizQuestion] = []
        order: dict[int, tuple[int, int]] = {}
        balance = TrueFalseBalance(count)

        def take(pool: list[_Seed], limit: int, low: bool = False) -> None:
            got = 0
            while pool and got < limit and len(made) < count:
                seed = pool.pop(0)
                if seed.key in used:
                    continue
                question = seed.build()
                if (
                    question is None
                    or fold(question.prompt) in prompts
                    or not self._keep(even_case(question))
                ):
                    continue
                if not low and gate.low(question, seed):
                    reserve.append(replace(seed, build=partial(lambda q: q, question)))
                    continue
                if not balance.admits(question):
                    balance.hold(question, seed)  # a "True" asked once a "False" is
                    continue
                balance.add(question)
                if (waiting := balance.release()) is not None:
                    pool.insert(0, replace(waiting[1], build=partial(lambda q: q, waiting[0])))
                used.add(seed.key)
                prompts.add(fold(question.prompt))
                order[id(question)] = seed.order
                made.append(question)
                got += 1
                if progress:
                    progress(len(made), count)

        # True/false first: its False keys are definitions with a sibling term swapped in, and every "True"
        # waits for a "False"; asked after multiple choice, the definitions would all be taken already.
        for kind in sorted(targets, key=lambda k: k != "true_false"):
            take(by_kind[kind], targets[kind])
        for kind in sorted(by_kind, key=lambda k: -MIX[self.difficulty][k]):  # top up from what is left
            if len(made) >= count:
                break
            take(by_kind[kind], count - len(made))
        for li in range(len(self.lectures)):  # each lecture's floor, from its most salient questions left
            have = sum(order[id(q)][0] == li for q in made)
            take(ranked([s for s in reserve if s.order[0] == li], gate.built), gate.floor(count) - have, True)
        made = balance.trim(made)
        made.sort(key=lambda q: order[id(q)])
        made = without_leaks(made, self.language)  # one question giving another's key away (quiz_keys)
        for n, q in enumerate(made, start=1):
            q.number = n
        return made


def build_quiz(
    lectures: list[LectureCandidates],
    phraser: Phraser,
    *,
    questions: int,
    difficulty: Difficulty,
    title: str,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
    named: bool = True,  # the student asked for `questions` (else the default count: see shortfall_note)
) -> QuizData:
    builder = QuizBuilder(lectures, phraser, difficulty=difficulty, seed=seed)
    built = builder.build(questions, progress)
    if not built:
        raise AppError(
            "NOT_ENOUGH_MATERIAL",
            "No question passed the quality checks: the notes have too little readable text to ask about "
            "(no clear definitions, lists or statements; scanned or photographed pages may be OCR noise).",
            status_code=422,
        )
    lectures_asked = [(lc.lecture.id, lc.lecture.title) for lc in lectures]
    note = shortfall_note(builder.language, questions, built, lectures_asked, named=named)
    return QuizData(title=title, difficulty=difficulty, language=builder.language, questions=built, note=note)


__all__ = ["QuizBuilder", "build_quiz", "render_quiz_pdf", "scripts_in", "term_question"]
