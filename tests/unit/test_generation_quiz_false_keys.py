"""False keys for lectures that define few terms (workers/generation/quiz.py): a lecture defining two terms
keeps one for a false statement with its sibling swapped in, and that statement drops the synonyms the
slides give in brackets for the key (they would name the key again)."""

from __future__ import annotations

from tests.support.study import lecture
from workers.generation.candidates import LectureCandidates, extract
from workers.generation.phrasing import Phraser
from workers.generation.quiz import QuizBuilder
from workers.generation.quiz_statements import without_aliases

TWO_TERMS = [
    ("Evaluation", "Evaluation\nHow do we know that a model is any good?\nWe fit models on the data in hand"),
    (
        "Data splitting",
        "Data splitting\n"
        "The training set is the set of data points used to fit the model\n"
        "The testing set (or test set or holdout set) is the set of data points used to make your final"
        " evaluation\n"
        "The model fit on the training set makes new predictions for the data in the testing set",
    ),
    (
        "In practice",
        "In practice\n"
        "Most of the data should go to the training set when data is scarce\n"
        "Fitted models are compared by their error on data they have not seen",
    ),
]


def _builder() -> tuple[QuizBuilder, LectureCandidates]:
    lc = extract(lecture(TWO_TERMS))
    return QuizBuilder([lc], Phraser(None), seed=0), lc


def test_a_lecture_defining_two_terms_keeps_one_for_a_false_statement() -> None:
    builder, lc = _builder()
    usable = [d for d in lc.definitions if builder._term_ok(lc, d)]
    assert len(usable) == 2
    kinds = [s.kind for s in builder.seeds() if s.key.startswith("d:")]
    assert kinds.count("true_false") == 1  # one definition asked true/false, the other multiple choice
    quiz = QuizBuilder([lc], Phraser(None), seed=0).build(10)
    assert any(q.kind == "true_false" and q.answer == "false" for q in quiz)


def test_a_false_statement_drops_the_keys_synonyms_in_brackets() -> None:
    builder, lc = _builder()
    terms = [(d.term, d.ref) for d in lc.definitions]
    testing = next(d for d in lc.definitions if d.term.lower() == "testing set")
    q = builder._tf_definition(lc, testing, terms)
    assert q is not None and q.answer == "false"
    assert "training set" in q.prompt.lower() and "(or" not in q.prompt
    assert "holdout" not in q.prompt


def test_without_aliases_keeps_other_brackets() -> None:
    assert without_aliases("The test set (or holdout set) is small") == "The test set is small"
    assert without_aliases("A split (80/20) is common") == "A split (80/20) is common"
