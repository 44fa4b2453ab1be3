"""Questions from what a lecture explains rather than defines (workers/generation/quiz_statements.py), and
the rules blind judges' verdicts on dev items asked for: false statements only with a sibling swapped in,
definitions as options only of sibling terms."""

from __future__ import annotations

import random

from tests.support.study import lecture
from workers.generation.candidates import extract
from workers.generation.phrasing import Phraser
from workers.generation.quiz import QuizBuilder
from workers.generation.quiz_forms import form_problem
from workers.generation.quiz_lists import lists_to_name, name_items_question
from workers.generation.quiz_statements import (
    completion_question,
    concept_names,
    false_question,
    resolved,
    siblings,
    statements,
)
from workers.generation.validity import quiz_problem

SPLITTING = [
    ("Evaluation", "Evaluation\nHow do we know that a model is any good?\nWe fit models on the data in hand"),
    (
        "Data splitting",
        "Data splitting\n"
        "The training set is the set of data points used to fit the model. This should always be your largest"
        " subset of data\n"
        "The testing set (or test set or holdout set) is the set of data points used to make your final"
        " evaluation\n"
        "The validation set (or eval set, development set, or dev set) is not used to train the model,"
        " but used to pick the best values for user-tunable parameters\n"
        "The test set should be kept apart until the very end of the project",
    ),
    (
        "Cross validation",
        "Cross validation\n"
        "Instead of holding out your dev set, you divide your training set into chunks\n"
        "If there are no modeling decisions, you can also use cross validation instead of a test set",
    ),
]


def _statements() -> dict[str, list[str]]:
    lc = extract(lecture(SPLITTING))
    return {st.sentence: [st.term, *st.siblings] for st in statements(lc)}


def test_a_this_after_a_sentence_about_a_named_concept_gets_its_name() -> None:
    names = ["training set", "testing set"]
    line = "The training set is the set of points used to fit the model. This should always be the largest"
    assert resolved(line, names, "en")[1] == "The training set should always be the largest"
    assert resolved("It is hard. This should always be the largest", names, "en")[1].startswith("This")


def test_a_concept_explained_not_defined_is_asked_with_its_siblings_as_options() -> None:
    found = _statements()
    largest = found["The training set should always be your largest subset of data"]
    assert largest[0] == "training set"
    assert "testing set" in largest or "test set" in largest
    assert not {"testing set", "test set"} <= set(largest)  # one name of the test set, not two options
    validation = found[
        "The validation set is not used to train the model, but used to pick the best values for "
        "user-tunable parameters"
    ]
    assert validation[0] == "validation set" and "dev set" not in validation  # its synonym is no distractor
    assert "training set" in validation
    test = found["The test set should be kept apart until the very end of the project"]
    assert test[0] == "test set" and not {"holdout set", "testing set"} & set(test)  # its other names


def test_the_completion_question_passes_the_checks_and_blanks_only_the_concept() -> None:
    lc = extract(lecture(SPLITTING))
    st = next(s for s in statements(lc) if s.term == "validation set")
    q = completion_question(st, "en", 4, random.Random(1).shuffle)
    assert q is not None and q.kind == "multiple_choice"
    assert q.prompt.startswith("Which term completes the statement: “The _____ is not used to train")
    assert q.answer_text == "validation set" and len(q.options) >= 3
    assert quiz_problem(q) is None and form_problem(q, "en") is None
    quiz = QuizBuilder([lc], Phraser(None), seed=3).build(20)
    assert any(x.prompt == q.prompt for x in quiz)


def test_names_mined_from_lines_join_only_a_family_of_a_key_term() -> None:
    names = {n.lower() for n in concept_names(extract(lecture(SPLITTING)))}
    assert {"training set", "test set", "dev set", "validation set"} <= names
    assert "modeling decisions" not in names  # repeated, but no sibling of a term the lecture defines


def test_a_general_name_far_from_the_line_is_no_sibling() -> None:
    """ "Key constraints" are integrity constraints too: a name the slides use far from the line is not
    offered beside it, only the siblings set side by side."""
    far = [
        (t, f"{t}\nThis slide says nothing at all about them")
        for t in ("Tables", "Rows", "Columns", "Indexes")
    ]
    slides = [
        ("Databases", "Databases\nA database holds the data of an organisation in tables of rows"),
        (
            "Integrity constraints",
            "Integrity constraints\nIntegrity constraints are checked when data changes",
        ),
        *far,
        ("Key constraints", "Key constraints\nKey constraints are checked when a row is added"),
        ("Domain constraints", "Domain constraints\nDomain constraints limit the values of a column"),
    ]
    lc = extract(lecture(slides))
    found = {st.sentence: st.siblings for st in statements(lc)}
    assert found["Integrity constraints are checked when data changes"] == []
    assert found["Key constraints are checked when a row is added"] == ["Domain constraints"]


# --- rules from the blind judges' verdicts on dev items --------------------------------------------------
GATES = [
    ("Recurrent networks", "Recurrent networks\nA recurrent network reads a text one word after another"),
    (
        "LSTM gates",
        "LSTM gates\n"
        "Forget gate: controls how much of the content on the conveyor belt to keep in the current cell\n"
        "Input gate: decides how much of the input of the current cell to add to the conveyor belt\n",
    ),
    (
        "Gradients",
        "Gradients\nExploding gradients is a serious problem because it leads to unstable training.\n",
    ),
    (
        "Dropout",
        "Dropout\nDropout: a regularisation method that switches off random neurons during training\n",
    ),
]


def test_a_false_statement_swaps_in_a_sibling_first_never_into_a_remark() -> None:
    """ "Input gate is a serious problem because it leads to unstable training": false to anyone, judged
    worth nothing. A remark gets no false version; a gate is swapped for a gate."""
    lc = extract(lecture(GATES))
    terms = [(d.term, d.ref) for d in lc.definitions]
    by_term = {d.term: d for d in lc.definitions}
    for seed in range(6):
        builder = QuizBuilder([lc], Phraser(None), seed=seed)
        assert builder._tf_definition(lc, by_term["Exploding gradients"], terms) is None
        forget = builder._tf_definition(lc, by_term["Forget gate"], terms)
        assert forget is not None and forget.prompt.startswith("True or false: Input gate: controls")


TERMS_SLIDE = [
    ("Security", "Security\nSecurity engineering: concerned with how to develop systems that resist attacks"),
    (
        "Security terminology",
        "Security terminology\n"
        "Asset: something of value which has to be protected\n"
        "Attack: an exploitation of a system's vulnerability\n"
        "Threat: circumstances that have potential to cause loss or harm\n"
        "Exposure: possible loss or harm to a computing system\n",
    ),
    (
        "Resilience",
        "Resilience\nResilience: a system characteristic to resist and recover from damaging events",
    ),
]


def test_definitions_offered_as_options_are_the_siblings_ones() -> None:
    """ "What is Threat?" with a discipline's and a system property's definitions beside it: the everyday
    meaning gives the key away (judged so). The options are the definitions of the terms set beside it."""
    lc = extract(lecture(TERMS_SLIDE))
    defs = lc.definitions
    threat = next(d for d in defs if d.term == "Threat")
    index = next(i for i, d in enumerate(defs) if d is threat)
    siblings = {fold_def(d.definition) for d in defs if d.ref.page == threat.ref.page}
    for seed in range(8):
        builder = QuizBuilder([lc], Phraser(None), seed=seed)
        q = builder._mc_definition(lc, threat, index | 1, [(d.term, d.ref) for d in defs], defs)
        assert q is not None
        assert all(fold_def(o) in siblings for o in q.options), q.options


def fold_def(text: str) -> str:
    return " ".join(text.lower().rstrip(".").split())


def test_a_name_the_slides_give_as_an_example_is_no_sibling() -> None:
    """ "IC: ...; e.g., domain constraints": a domain constraint is an integrity constraint, so "Domain
    constraints can be specified by the DBA" is no false statement."""
    slides = [
        ("Databases", "Databases\nA database holds the data of an organisation in tables of rows"),
        (
            "Integrity constraints",
            "Integrity constraints\n"
            "Integrity constraints must hold for every instance; e.g., domain constraints.\n"
            "Integrity constraints can be specified by the DBA, based on application semantics",
        ),
        ("Domain constraints", "Domain constraints\nDomain constraints are checked when a value is stored"),
    ]
    lc = extract(lecture(slides))
    found = {st.sentence: st.siblings for st in statements(lc)}
    assert found["Integrity constraints can be specified by the DBA, based on application semantics"] == []


def test_one_sibling_makes_a_false_statement_two_a_completion_question() -> None:
    lc = extract(lecture(SPLITTING))
    by_term = {st.term: st for st in statements(lc)}
    st = by_term["training set"]
    q = false_question(st, "en")
    assert q is not None and q.answer == "false"
    assert q.prompt.startswith("True or false: The ") and "training set" not in q.prompt
    assert "should always be your largest subset of data" in q.prompt
    assert quiz_problem(q) is None and form_problem(q, "en") is None
    assert "training set" in q.explanation  # the slide's own line


LISTS = [
    ("Security", "Security\nSecurity engineering is concerned with systems that resist malicious attacks"),
    ("Security dimensions", "Security dimensions\nConfidentiality\nIntegrity\nAvailability"),
    ("Agenda items", "Agenda items\nIntroduction\nSecurity dimensions\nSummary"),
    (
        "Security and dependability",
        "Security and dependability\n"
        "Security and reliability\nSecurity and availability\nSecurity and safety",
    ),
]


def test_a_list_with_its_lead_in_is_asked_whole_not_an_outline_nor_sub_headings() -> None:
    lc = extract(lecture(LISTS))
    named = {u.title: u.items for u in lists_to_name(lc)}
    assert named == {"Security dimensions": ["Confidentiality", "Integrity", "Availability"]}
    q = name_items_question(lists_to_name(lc)[0], "en", "en")
    assert q is not None and q.prompt == "What are the 3 items of “Security dimensions”?"
    assert q.answer_text == "Confidentiality; Integrity; Availability"
    assert quiz_problem(q) is None and form_problem(q, "en") is None
    assert any(x.prompt == q.prompt for x in QuizBuilder([lc], Phraser(None), seed=2).build(10))


def test_an_example_systems_name_or_a_name_of_another_number_is_no_sibling() -> None:
    """ "Mentcare use case is instances of threats to a system": a use case of the example system, one where
    the slide speaks of several, is no plausible mistake."""
    names = ["Misuse cases", "Mentcare use case", "Abuse cases", "Test case"]
    text = "Misuse cases are instances of threats\nThe Mentcare system keeps patient records\nabuse cases"
    assert siblings("Misuse cases", names, [], "en", text=text) == ["Abuse cases"]


def test_a_list_is_asked_whole_in_its_own_language_where_the_quiz_has_the_phrase() -> None:
    slides = [
        (
            "Introducción",
            "Introducción\nLa seguridad de un sistema protege sus datos de los ataques externos",
        ),
        (
            "Dimensiones de la seguridad",
            "Dimensiones de la seguridad\nConfidencialidad\nIntegridad\nDisponibilidad",
        ),
    ]
    lc = extract(lecture(slides))
    assert lc.text_lang == "es" and lc.lang == "es"
    unit = next(u for u in lists_to_name(lc) if u.title == "Dimensiones de la seguridad")
    q = name_items_question(unit, lc.lang, lc.text_lang)
    assert q is not None and q.prompt == "¿Cuáles son los 3 elementos de «Dimensiones de la seguridad»?"
    assert q.answer_text == "Confidencialidad; Integridad; Disponibilidad"
    assert quiz_problem(q) is None
    assert name_items_question(unit, "en", "de") is None  # no phrase in the items' language: not asked
