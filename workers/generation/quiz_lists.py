"""Lists with a lead-in asked as "name the items": "What are the 3 items of “Security dimensions”?"
with the items as the key (a student recalls the whole list; a multiple-choice list question needs a sibling
list for its distractors, which few lectures have).

A list is asked when its lead-in is a clean title (no agenda, no formula), it has 3 to 5 items (more is no
one fact to recall), each a short clean name (quiz_checks.term_problem), and its items are no sub-headings
that repeat the title's first word (card_forms.list_problem)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from shared.schemas import QuestionKind, QuizQuestion
from shared.text import fold, has_cjk, words
from workers.generation.candidates import LectureCandidates
from workers.generation.card_forms import list_problem
from workers.generation.cardrules import agenda_like
from workers.generation.i18n import PHRASES, t
from workers.generation.keyterms import ListUnit, list_units
from workers.generation.quiz_checks import term_problem
from workers.generation.quiz_kinds import is_glossary, list_is_agenda, title_problem
from workers.generation.textutil import shorten

MIN_NAMED, MAX_NAMED = 3, 5
MAX_ITEM_WORDS = 4


def lists_to_name(lc: LectureCandidates) -> list[ListUnit]:
    """The lecture's lists fit to be named whole: its item lists and the kinds its layout names."""
    from workers.generation.structure import structured

    lang = lc.text_lang
    text = "\f".join(f"{s.title}\n{s.text}" for s in lc.lecture.slides)
    units = list_units(lc)
    units += [u for u in structured(lc).lists if fold(u.title) not in {fold(x.title) for x in units}]
    titles = [g.title for g in lc.groups]
    out = []
    for unit in units:
        if not MIN_NAMED <= len(unit.items) <= MAX_NAMED or title_problem(unit.title, lang):
            continue
        if list_is_agenda(unit, lc) or agenda_like(unit.items, [x for x in titles if x != unit.title], lang):
            continue
        if is_glossary(lc, unit):
            continue  # "Terminology": terms each defined on its line, asked through their definitions
        if list_problem(unit.title, unit.items, lang):
            continue
        if any(len(words(i)) > MAX_ITEM_WORDS or term_problem(i, lang, text) for i in unit.items):
            continue
        if any(has_cjk(i) for i in unit.items) or len({fold(i) for i in unit.items}) < len(unit.items):
            continue
        out.append(unit)
    return out


def list_seeds(
    lc: LectureCandidates, n_options: int, shuffle: Callable[[list[str]], None]
) -> list[tuple[QuestionKind, str, int, Callable[[], QuizQuestion | None]]]:
    """(kind, key, page, build) of the questions on the lecture's lists: "name the items" of each list fit to
    be named, then its lists of defined kinds (kinds.py): name them, and each kind from its definition."""
    from workers.generation.kinds import defined_kinds, name_kinds_question, which_kind_question

    out: list[tuple[QuestionKind, str, int, Callable[[], QuizQuestion | None]]] = []
    for unit in lists_to_name(lc):
        build = partial(name_items_question, unit, lc.lang, lc.text_lang)
        out.append(("short_answer", f"l:{fold(unit.title)}", unit.ref.page, build))
    for kl in defined_kinds(lc):
        build = partial(name_kinds_question, kl, lc.lang, lc.text_lang)
        out.append(("short_answer", f"l:{fold(kl.title)}", kl.ref.page, build))
        for d in kl.kinds:
            build = partial(which_kind_question, kl, d, lc.lang, n_options, shuffle)
            out.append(("multiple_choice", f"d:{fold(d.term)}", d.ref.page, build))
    return out


def name_items_question(unit: ListUnit, lang: str, text_lang: str) -> QuizQuestion | None:
    from workers.generation.quiz_kinds import question

    if text_lang != lang or "name_items" not in PHRASES.get(lang, {}):
        return None  # asked in the items' own language, where it has the phrase (en, es, ru)
    listed = "; ".join(unit.items)
    return question(
        "short_answer",
        t(lang, "name_items", n=len(unit.items), title=unit.title),
        listed,
        listed,
        shorten(t(lang, "slides_on_say", title=unit.title, point=listed), 240),
        unit.ref,
    )


def mc_list_question(
    lc: LectureCandidates,
    unit: ListUnit,
    siblings: list[ListUnit],
    *,
    n_options: int,
    shuffle: Callable[[list[str]], None],
    name_ok: Callable[[LectureCandidates, str], bool],
) -> QuizQuestion | None:
    """ "Which of these is one of the items of <title>?": the distractors are items of the lecture's other
    lists of the same kind ("Types of threats" beside "Types of controls"), never of an unrelated list."""
    from workers.generation.quiz_kinds import question, sibling_lists
    from workers.generation.textutil import contains_phrase

    lang = lc.text_lang
    if title_problem(unit.title, lang) or list_is_agenda(unit, lc) or is_glossary(lc, unit):
        return None
    if any(term_problem(i, lang) for i in unit.items):
        return None
    own = {fold(i) for i in unit.items}
    group_text = " ".join(p.text for g in lc.groups if g.title == unit.title for p in g.points)
    pool = [
        i
        for u in sibling_lists(unit, siblings, lang)
        for i in u.items
        if fold(i) not in own
        and not contains_phrase(unit.title, i)
        and not contains_phrase(group_text, i)
        and name_ok(lc, i)
        and not list_is_agenda(u, lc)
        and not is_glossary(lc, u)
    ]
    shuffle(pool)
    distractors: list[str] = []
    for item in pool:
        if fold(item) not in {fold(x) for x in distractors}:
            distractors.append(item)
        if len(distractors) == n_options - 1:
            break
    if len(distractors) < 2:
        return None
    key = next((i for i in unit.items if not contains_phrase(unit.title, i)), None)
    if key is None:
        return None
    options = [key, *distractors]
    shuffle(options)
    listed = "; ".join(unit.items)
    return question(
        "multiple_choice",
        t(lc.lang, "mc_point", title=unit.title),
        "ABCDEF"[options.index(key)],
        key,
        shorten(t(lc.lang, "slides_on_say", title=unit.title, point=listed), 240),
        unit.ref,
        options=options,
    )
