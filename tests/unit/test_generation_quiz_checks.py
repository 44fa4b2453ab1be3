"""Quiz items a student would keep (workers.generation.quiz_checks, quiz_kinds and the quiz builder), on
slides the tests make: every validity rule on its own, then every question kind end to end."""

from __future__ import annotations

import pytest

from shared.errors import AppError
from shared.schemas import QuizQuestion, SourceRef
from tests.support.study import BIO_SLIDES, SECURITY_LEVELS, lecture
from workers.generation.candidates import extract
from workers.generation.keyterms import ListUnit
from workers.generation.phrasing import Phraser
from workers.generation.quiz import QuizBuilder, build_quiz
from workers.generation.quiz_checks import (
    definition_problem,
    guessable,
    same_kind,
    shares_word,
    similar,
    statement_problem,
    term_problem,
)
from workers.generation.quiz_kinds import cause_effect_question, list_is_agenda, title_problem, with_article
from workers.generation.validity import quiz_problem

REF = SourceRef(lecture_id=1, lecture="L", file="l.pdf", page=3)

# --- terms: keys and distractors name concepts ----------------------------------------------------------


def test_a_term_is_a_short_name_of_real_words() -> None:
    assert term_problem("Vulnerability", "en") is None
    assert term_problem("Security risk management", "en") is None
    assert term_problem("SQL", "en") is None
    assert term_problem("Bo", "en") == "length"  # letters of a formula
    assert term_problem("3 relations", "en") == "not_a_name"
    assert term_problem("Hourly_Emps", "en") == "not_a_name"  # an identifier of an example
    assert term_problem("Singular value decomposition \U0001d48ft", "en") == "not_a_name"
    assert term_problem("Two important ICs", "en") == "not_a_name"
    assert term_problem("For each fold", "en") == "clause"


def test_an_ocr_misreading_is_no_term_but_a_recurring_rare_term_is() -> None:
    text = "Assurption, from Lightbown data\nA superkey is a set of fields.\nEvery key is a superkey."
    assert term_problem("Assurption", "en", text) == "unknown_word"
    assert term_problem("superkey", "en", text) is None


def test_a_person_named_in_mid_sentence_is_no_distractor() -> None:
    text = (
        "Negation\nPierce and Deprez predict it (see also Pierce 1989).\n"
        "Photosynthesis\nPhotosynthesis is a process"
    )
    assert term_problem("Pierce", "en", text) == "proper_name"
    assert term_problem("Photosynthesis", "en", text) is None  # capitalised only where a line starts


# --- definitions ---------------------------------------------------------------------------------------


def test_a_definition_pins_one_term() -> None:
    assert definition_problem("a weakness in a computer-based system that may be exploited", "en") is None
    assert definition_problem("ssn, name, lot, hourly_wages, hours_worked", "en") == "bare_list"
    assert definition_problem("Employees, Hourly_Emps and Contract_Emps", "en") == "not_prose"
    assert definition_problem("a table, with rows and columns", "en", min_words=4) == "too_short"
    assert definition_problem("a table of rows", "en") == "too_short"
    assert definition_problem("a table, with rows and columns", "en") == "too_short"  # a comma: a label
    assert definition_problem("the type of each column: string or integer", "en") == "not_prose"
    assert definition_problem("the organelles that produce ATP", "en") is None
    assert definition_problem("that attacks on one system do not lead to complete loss", "en") == "clause"
    assert definition_problem("Rotated noise: i.i.d. \U0001d436\U0001d441(0, N)", "en") == "fragment"


# --- statements (true/false, fill in the blank) -----------------------------------------------------------


GOOD = "Security vulnerabilities are closely related to program reliability."


def test_a_statement_is_one_whole_readable_sentence() -> None:
    assert statement_problem(GOOD, "en") is None
    assert statement_problem("A Rank is an eigenvector of the matrix if", "en") == "dangling"
    assert (
        statement_problem("Divide your training set into buckets, called folds (5 or 10) k", "en")
        == "dangling"
    )
    assert statement_problem("the schema is altered by adding a new field to it", "en") == "fragment"


def test_no_statement_on_examples_code_or_analogies() -> None:
    assert (
        statement_problem("Integrity constraints are checked, e.g. a student id is unique.", "en")
        == "example"
    )
    assert (
        statement_problem("Students(sid: string, name: string, login: string) is a schema.", "en") == "code"
    )
    assert statement_problem("You are evaluating course learning on new observations today.", "en") == (
        "second_person"
    )
    assert statement_problem("Swedish is a verb second language. Kid data shows it early.", "en") == (
        "several_sentences"
    )


def test_a_statement_has_a_verb() -> None:
    assert statement_problem("Generalization of the SIMO and the MISO radio channels", "en") == "no_verb"
    assert statement_problem("Only provides an estimate of out-of-sample performance", "en") == "no_verb"
    assert statement_problem("Attackers gained access to the patient records of the clinic.", "en") is None


def test_no_statement_from_merged_columns_or_ocr_debris() -> None:
    merged = (
        "Test performance is measured by k fold cross validation in practice with k fold cross validation"
    )
    assert statement_problem(merged, "en") == "merged_columns"
    text = "If we declare A ISA B, every A jourly Emps entity is also a B entity."
    assert statement_problem(text, "en", text) == "ocr_noise"


# --- options of one kind, blanks nobody can guess ------------------------------------------------------


def test_distractors_are_of_the_key_s_kind() -> None:
    assert same_kind("Vulnerability", "Exposure")
    assert not same_kind("Exploding gradients", "Word order is important for the meaning of a sentence")
    assert not same_kind("Степень вершины", "Bo")  # another script
    assert shares_word("Security", "security of a system", "en")
    assert not shares_word("Threat", "Vulnerability", "en")


def test_a_blank_that_its_stem_or_the_whole_lecture_gives_away_is_guessable() -> None:
    assert guessable("Cross Validation", "This is called Leave One Out _____ (LOO-CV)", "", 1)
    pages = "\f".join(f"MIMO slide {i}\nThe MIMO channel has gain {i}." for i in range(10))
    assert guessable("MIMO", "This is like a 2x2 _____ channel!", pages, 10)
    pages = "\f".join(["A threat is a circumstance.", *[f"slide {i}" for i in range(9)]])
    assert not guessable("threat", "A _____ is a circumstance that may cause harm.", pages, 10)


# --- lists ---------------------------------------------------------------------------------------------


def test_an_agenda_list_is_no_list_question() -> None:
    slides = [
        ("Query optimization", "• Heuristics (3)\n• Cost-based search (5)\n• Nested sub-queries (2)"),
        ("Heuristics", "Heuristics rewrite the query plan using rules about predicates."),
        ("Cost-based search", "A cost model estimates how expensive each plan is."),
    ]
    lc = extract(lecture(slides))
    agenda = ListUnit(
        "Query optimization", ["Heuristics (3)", "Cost-based search (5)", "Nested sub-queries"], REF
    )
    real = ListUnit("Security dimensions", ["Confidentiality", "Integrity", "Availability"], REF)
    assert list_is_agenda(agenda, lc)
    assert not list_is_agenda(real, lc)
    assert title_problem("Capacity comparison with g =", "en") is not None
    assert title_problem("Outline", "en") is not None
    assert title_problem("Security dimensions", "en") is None


# --- cause and effect ----------------------------------------------------------------------------------


def test_cause_and_effect_are_asked_from_the_slide_s_own_sentence() -> None:
    why = cause_effect_question(
        "Vanilla RNNs suffer from vanishing gradients because of the long chain of multiplications.",
        "en",
        REF,
    )
    assert why is not None and why.kind == "short_answer"
    assert (
        why.prompt
        == "According to the slides, why is this so: “Vanilla RNNs suffer from vanishing gradients”?"
    )
    assert why.answer_text == "the long chain of multiplications"
    effect = cause_effect_question(
        "The results of the assessment may lead to changes to the security requirements.", "en", REF
    )
    assert effect is not None
    assert effect.prompt == "According to the slides, what may the results of the assessment lead to?"
    assert effect.answer_text == "changes to the security requirements"
    assert cause_effect_question("It leads to unstable training of the whole network.", "en", REF) is None
    assert quiz_problem(why) is None and quiz_problem(effect) is None


# --- the builder end to end ----------------------------------------------------------------------------

SECURITY = [
    (
        "Security",
        "Security\nSecurity is a system property that reflects its ability to resist external attack.",
    ),
    (
        "Terminology",
        "Terminology\n"
        "• Vulnerability: a weakness in a computer-based system that may be exploited to cause harm\n"
        "• Threat: circumstances that have potential to cause loss or harm to a system\n"
        "• Exposure: possible loss or harm to a computing system after a successful attack\n"
        "• Control: a protective measure that reduces the vulnerability of a system\n"
        "• Pierce: When V raises, we have V adjoined to I, so I head selects finite verbs",
    ),
    (
        "Security dimensions",
        "Security dimensions\n• Confidentiality\n• Integrity\n• Availability",
    ),
    ("Threat types", "Threat types\n• Interception\n• Interruption\n• Modification\n• Fabrication"),
    (
        "Risk assessment",
        "Risk assessment\nThe results of the assessment may lead to changes to the security requirements.\n"
        "• Security vulnerabilities are closely related to program reliability.\n"
        "• Design the system to simplify recoverability after a successful attack.\n"
        "• You are evaluating the system on new, novel observations of attacks.\n"
        "• Pierce and Deprez (see also Pierce 1989) find this in children's French.",
    ),
]


def _quiz(slides: list[tuple[str, str]], n: int = 20, seed: int = 3) -> list[QuizQuestion]:
    lc = extract(lecture(slides))
    return QuizBuilder([lc], Phraser(None), difficulty="medium", seed=seed).build(n)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_every_question_is_valid_and_its_options_are_concepts_of_the_lecture(seed: int) -> None:
    questions = _quiz(SECURITY, seed=seed)
    assert 4 <= len(questions) <= 20
    names = {"Security", "Vulnerability", "Threat", "Exposure", "Control"}
    for q in questions:
        assert quiz_problem(q) is None, q.prompt
        assert "On the slides about" not in q.prompt  # no section label that need not hold
        assert "The slides on" not in q.explanation or "items of" in q.prompt  # a list's lead-in holds
        assert "Pierce" not in q.prompt + q.answer_text + " ".join(q.options)  # a name from an example
        assert not q.prompt.startswith("True or false: You")
        if q.kind == "multiple_choice" and q.answer_text in names:
            assert set(q.options) <= names, q.options  # terms beside terms, never a slide title or list item
        assert "Terminology" not in q.prompt  # a glossary is asked through its definitions, not as a list


ATTACKS = [
    ("Attacks", "Attacks\nAn attack is an exploitation of a weakness in a computer-based system."),
    (
        "Passive attacks",
        "Passive attacks\n• Eavesdropping\n• Traffic analysis\n• Message interception",
    ),
    ("Active attacks", "Active attacks\n• Masquerade\n• Replay\n• Denial of service\n• Message forgery"),
]


def test_a_list_question_takes_its_distractors_from_a_sibling_list_only() -> None:
    # "Security dimensions" and "Threat types" are lists of different things: a threat type beside
    # security dimensions is no plausible answer (judges: 0 of 2 such questions valid)
    def mc(q: QuizQuestion) -> bool:  # (a short answer names all items of a list: quiz_lists)
        return q.kind == "multiple_choice" and "items of" in q.prompt

    assert not [q for seed in range(6) for q in _quiz(SECURITY, seed=seed) if mc(q)]
    found = [q for seed in range(6) for q in _quiz(ATTACKS, seed=seed) if mc(q)]
    assert found
    passive = {"Eavesdropping", "Traffic analysis", "Message interception"}
    active = {"Masquerade", "Replay", "Denial of service", "Message forgery"}
    for q in found:
        own, other = (passive, active) if "Passive attacks" in q.prompt else (active, passive)
        assert q.answer_text in own
        assert set(q.options) - {q.answer_text} <= other and len(q.options) >= 3


def test_the_cause_and_effect_question_is_built_from_the_notes() -> None:
    found = [q for seed in range(8) for q in _quiz(SECURITY, seed=seed) if "According to" in q.prompt]
    assert any(q.answer_text == "changes to the security requirements" for q in found)
    # "the assessment" is the risk assessment its slide's title names: the title makes it self-contained
    assert all(q.prompt.startswith("In Risk assessment: According to the slides") for q in found)


def test_true_false_never_swaps_a_number_into_nonsense() -> None:
    slides = [
        (
            "Data splitting",
            "Data splitting\nThe training set is the set of data points used to fit the model.",
        ),
        (
            "In practice",
            "In practice\n"
            "• A train/test split often keeps 80 percent of the data in the training set (an 80/20 split).\n"
            "• If there is more than 1 candidate key for a relation, one is chosen as the primary key.",
        ),
    ]
    for seed in range(6):
        for q in _quiz(slides, seed=seed):
            assert "160/20" not in q.prompt and "than 4 candidate" not in q.prompt


def test_a_deck_of_ocr_noise_gets_no_quiz_and_a_clear_message() -> None:
    noise = [
        (
            f"Slide {i}",
            f"Assurption {i}: Ansver dinfinitival grosen alle beide\nKid doesnt knowv jourly Emps {i}",
        )
        for i in range(1, 5)
    ]
    with pytest.raises(AppError) as err:
        build_quiz([extract(lecture(noise))], Phraser(None), questions=10, difficulty="medium", title="Q")
    assert err.value.code == "NOT_ENOUGH_MATERIAL"
    assert "quality checks" in err.value.message


def test_the_bio_notes_still_make_a_quiz_of_valid_questions() -> None:
    questions = _quiz(BIO_SLIDES, n=14)
    assert len(questions) >= 5
    assert all(quiz_problem(q) is None for q in questions)


def test_two_sibling_concepts_are_compared_with_each_other_s_definition_as_distractor() -> None:
    lc = extract(lecture(SECURITY_LEVELS))
    builder = QuizBuilder([lc], Phraser(None), difficulty="medium", seed=0)
    app = next(d for d in lc.definitions if d.term == "Application security")
    infra = next(d for d in lc.definitions if d.term == "Infrastructure security")
    q = builder._mc_definition(lc, app, 1, [(d.term, d.ref) for d in lc.definitions], lc.definitions)
    assert q is not None and quiz_problem(q) is None
    assert q.prompt == "Which of these describes Application security, as opposed to Infrastructure security?"
    assert q.answer_text == app.definition and infra.definition in q.options
    assert "Infrastructure security:" in q.explanation
    vulnerability = next(d for d in lc.definitions if d.term == "Vulnerability")
    plain = builder._mc_definition(
        lc, vulnerability, 1, [(d.term, d.ref) for d in lc.definitions], lc.definitions
    )
    assert plain is not None and plain.prompt == "What is Vulnerability?"  # no sibling: the plain question


def test_an_example_s_event_or_a_form_field_is_no_definition_or_term() -> None:
    assert definition_problem(
        "A network monitor is added to the system and packets are intercepted", "en"
    ) == ("sentence")
    assert (
        definition_problem("a system property that reflects the system's ability to protect itself", "en")
        is None
    )
    assert term_problem("Data (assets)", "en") == "not_a_name"
    assert term_problem("Data flow diagram (DFD)", "en") is None


def test_a_description_with_an_article_inside_is_no_term() -> None:
    assert term_problem("common attack on a web-based system", "en") == "phrase"
    assert term_problem("Bag of words", "en") is None


def test_term_distractors_start_with_sibling_concepts() -> None:
    lc = extract(lecture(SECURITY_LEVELS))
    builder = QuizBuilder([lc], Phraser(None), difficulty="medium", seed=0)
    app = next(d for d in lc.definitions if d.term == "Application security")
    picked = builder._term_distractors(lc, app, [(d.term, d.ref) for d in lc.definitions], 3)
    assert picked[0] == "Infrastructure security" and "Application security" not in picked


def test_a_swapped_in_word_gets_its_article() -> None:
    assert (
        with_article("Attacker gains access to an security", "security")
        == "Attacker gains access to a security"
    )
    assert (
        definition_problem("FOREIGN KEY (ssn) REFERENCES Employees as foreign keys of it", "en") is not None
    )


def test_two_definitions_that_say_much_the_same_are_not_key_and_distractor() -> None:
    assert similar(
        "a protective measure that reduces a system's vulnerability",
        "an example of a control that reduces a vulnerability of a weak access control system",
        "en",
    )
    assert not similar("possible loss or harm to a computing system", "something of value", "en")
