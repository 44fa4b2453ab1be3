"""False statements by negating a slide line's one strong claim (workers/generation/quiz_negation.py): a
lecture with no sibling terms to swap still gets "False" keys, so its true lines can be asked."""

from __future__ import annotations

from tests.support.study import lecture
from workers.generation.candidates import extract
from workers.generation.phrasing import Phraser
from workers.generation.quiz import QuizBuilder
from workers.generation.quiz_forms import form_problem
from workers.generation.quiz_negation import negated, negated_question
from workers.generation.validity import quiz_problem


def test_the_main_claim_is_negated() -> None:
    assert negated("Views can be dropped by their owner after a backup.") == (
        "Views cannot be dropped by their owner after a backup."
    )
    assert negated("Risk management should be driven by an organisational security policy") == (
        "Risk management should not be driven by an organisational security policy."
    )
    assert negated("When the owner entity is deleted, every owned weak entity must be deleted") == (
        "When the owner entity is deleted, every owned weak entity need not be deleted."
    )


def test_a_line_whose_negation_is_no_clear_falsehood_is_left_alone() -> None:
    for line in (
        "Security risk analysis is a business rather than a technical process",  # a contrast
        "Exploding gradients is a serious problem because it leads to unstable training",  # a reason
        "Access to the data may not be possible for some users",  # a hedge, a negation already
        "The level of protection that is required for different types of asset",  # a relative clause
        "Organizations use a risk-based approach and should have a security policy",  # two verbs
        "The testing set (or test set) is the set of data points used to make your final evaluation",
        "Short line is",
        # its own words prove it: the negation is false to anyone (judged not worth keeping)
        "Views can be dropped using the DROP VIEW command.",
        "Encryption can encrypt the data stored on a laptop",
        "A database schema must describe the tables of the database",
    ):
        assert negated(line) is None, line


SLIDES = [
    ("Databases", "Databases\nA database holds the data of an organisation in tables of rows"),
    (
        "Keys",
        "Keys\n"
        "Primary key: a set of fields that identifies exactly one tuple of a relation\n"
        "Foreign key: a set of fields that refers to the primary key of another relation\n"
        "Candidate key: a minimal set of fields that could serve as the primary key\n",
    ),
    (
        "Integrity constraints",
        "Integrity constraints\n"
        "Integrity constraints are stored in the system catalog.\n"  # negated (every other line)
        "Integrity constraints are enforced by the DBMS on every update.\n"
        "Integrity constraints can be checked at the end of a transaction.\n"
        "Integrity constraints should be kept simple to check.\n",  # negated
    ),
]


def test_a_true_line_becomes_a_valid_false_question() -> None:
    lc = extract(lecture(SLIDES))
    group, point = next((g, p) for g, p in lc.points if "transaction" in p.text)
    builder = QuizBuilder([lc], Phraser(None))
    q = negated_question("en", lambda: builder._tf_point(lc, group, point))
    assert q is not None and q.answer == "false" and q.answer_text == "False"
    assert q.prompt == "True or false: Integrity constraints cannot be checked at the end of a transaction."
    assert "Integrity constraints can be checked" in q.explanation
    assert quiz_problem(q) is None and form_problem(q, "en") is None


def test_a_line_its_own_words_prove_stays_true() -> None:
    slides = [*SLIDES[:2], ("Views", "Views\nViews can be dropped using the DROP VIEW command.\n")]
    lc = extract(lecture(slides))
    group, point = next((g, p) for g, p in lc.points if "DROP" in p.text)
    builder = QuizBuilder([lc], Phraser(None))
    q = negated_question("en", lambda: builder._tf_point(lc, group, point))
    assert q is None or q.answer == "true"  # never "Views cannot be dropped using the DROP VIEW command"


def test_a_lecture_of_true_lines_and_no_sibling_terms_gets_false_keys() -> None:
    lc = extract(lecture(SLIDES))
    quizzes = [QuizBuilder([lc], Phraser(None), seed=seed).build(10) for seed in range(4)]
    false = [q for quiz in quizzes for q in quiz if q.kind == "true_false" and q.answer == "false"]
    assert any(
        q.prompt.startswith("True or false: Integrity constraints") and " not " in q.prompt for q in false
    )


def test_spanish_and_french_claims_are_negated_in_their_own_words() -> None:
    assert negated("Los esfuerzos son independientes de la profundidad en z.", "es") == (
        "Los esfuerzos no son independientes de la profundidad en z."
    )
    assert negated("Les contraintes sont indépendantes de la profondeur en z.", "fr") == (
        "Les contraintes ne sont pas indépendantes de la profondeur en z."
    )
    assert negated("Le béton doit résister à la compression du bâtiment", "fr") == (
        "Le béton ne doit pas résister à la compression du bâtiment."
    )
    for line, lang in (
        ("Los esfuerzos pueden ser independientes de la profundidad", "es"),  # can or may: no claim
        ("Los esfuerzos son a menudo independientes de la profundidad", "es"),  # a hedge of two words
        ("Les contraintes qui sont mesurées sont indépendantes de la profondeur", "fr"),  # relative clause
        ("Les vues sont supprimées par la commande de suppression des vues", "fr"),  # its own words prove it
        ("Die Spannungen sind unabhängig von der Tiefe in z", "de"),  # no rule for the language
        ("The tensile strength of concrete is relatively low", "en"),  # a hedge
    ):
        assert negated(line, lang) is None, line


def test_a_spanish_line_gets_a_false_question_in_the_quiz_language() -> None:
    slides = [
        ("Esfuerzos", "Esfuerzos\nLos esfuerzos son independientes de la profundidad de la viga\n"),
        ("Vigas", "Vigas\nLa viga soporta la carga distribuida en el borde superior\n"),
    ]
    lc = extract(lecture(slides))
    group, point = next((g, p) for g, p in lc.points if "profundidad" in p.text)
    q = negated_question("es", lambda: QuizBuilder([lc], Phraser(None))._tf_point(lc, group, point), "es")
    assert lc.text_lang == "es"
    assert q is not None and q.answer == "false" and q.answer_text == "Falso"
    assert q.prompt == "Verdadero o falso: Los esfuerzos no son independientes de la profundidad de la viga."
