"""Gates a blind judge questioned on dev (session 14, refused-items audit), narrowed to the defect each was
written for: a term's own definition is no guessable blank however often the lecture names the term; "i.e."
restates (it gives no example) and a bracketed plural "relation(s)" is no lone symbol of the next line."""

from __future__ import annotations

from tests.support.study import lecture
from workers.generation.candidates import extract
from workers.generation.card_forms import form_problem
from workers.generation.phrasing import Phraser
from workers.generation.quiz import QuizBuilder
from workers.generation.quiz_checks import guessable, statement_problem

# Two terms the lecture names on every slide: one defined, one only remarked on.
_NAMED_EVERYWHERE = [
    (
        "Keys",
        "Keys\n• Foreign key: Set of fields in one relation that is used to refer to a tuple in another "
        "relation",
    ),
    (
        "Security",
        "Security\n• Security is an essential pre-requisite for availability, reliability and safety",
    ),
] + [
    (
        f"Topic {i}",
        f"Topic {i}\n• A foreign key links tables number {i}.\n• Security matters for systems number {i}.",
    )
    for i in range(8)
]


def test_a_term_s_own_definition_is_no_guessable_blank_however_often_the_lecture_names_it() -> None:
    pages = "\f".join(f"The foreign key of slide {i} refers to a tuple." for i in range(10))
    stem = "_____: Set of fields in one relation that is used to refer to a tuple in another relation"
    assert not guessable("Foreign key", stem, pages, 10, defined=True)
    assert guessable(
        "Foreign key", "Every _____ refers to a tuple.", pages, 10
    )  # a mention, not its definition
    assert guessable("Cross Validation", "Leave One Out _____ (LOO-CV): one point left out", "", 1, True)


def test_the_fill_in_asks_a_defined_term_the_lecture_names_often_but_not_a_remark_on_it() -> None:
    lc = extract(lecture(_NAMED_EVERYWHERE))
    builder = QuizBuilder([lc], Phraser(None), difficulty="medium", seed=0)
    by_term = {d.term: d for d in lc.definitions}
    q = builder._fill_definition(lc, by_term["Foreign key"])
    assert q is not None and q.answer_text == "Foreign key"
    assert q.prompt.endswith(
        "_____: Set of fields in one relation that is used to refer to a tuple in another relation"
    )
    # "Security is an essential pre-requisite for ...": a remark, filled from the lecture's topic alone
    assert builder._fill_definition(lc, by_term["Security"]) is None


def test_i_e_restates_and_a_bracketed_plural_ends_a_whole_sentence() -> None:
    restated = "Security requirements are 'shall not' requirements i.e. they specify what should not happen."
    assert statement_problem(restated, "en") is None
    plural = (
        "Views can be used to present necessary information, while hiding details in underlying relation(s)."
    )
    assert statement_problem(plural, "en") is None
    # what the checks were written for stays refused
    assert (
        statement_problem("Integrity constraints are checked, e.g. a student id is unique.", "en")
        == "example"
    )
    assert (
        statement_problem("For example, a network monitor is added to the system today.", "en") == "example"
    )
    assert (
        statement_problem("Divide your training set into buckets, called folds (5 or 10) k", "en")
        == "dangling"
    )


def test_a_subject_cloze_on_such_a_line_is_kept() -> None:
    front = (
        "{{c1::Security requirements}} are 'shall not' requirements i.e. they specify what should not happen."
    )
    back = "Security requirements are 'shall not' requirements i.e. they specify what should not happen."
    assert form_problem("cloze", front, back) is None
    example = "{{c1::Integrity constraints}} are checked, e.g. a student id is unique."
    assert (
        form_problem("cloze", example, example.replace("{{c1::", "").replace("}}", "")) == "sentence:example"
    )
