"""Quiz statements and cards from slide lines the generator refused as fragments or as naming no key term
(workers/generation/quiz_points.py, card_points.py): a line's first whole sentence, a concept's name as
its key term, the slide title's concept named by a shorter name; and the fragment forms still refused."""

from __future__ import annotations

from shared.schemas import QuizQuestion
from tests.support.study import lecture
from workers.generation.candidates import LectureCandidates, extract
from workers.generation.card_points import titled
from workers.generation.flashcards import card_drafts
from workers.generation.phrasing import Phraser
from workers.generation.quiz import QuizBuilder
from workers.generation.quiz_points import first_sentence, fragment_form

DB_SLIDES = [
    (
        "Relational model",
        "Relational model\n• A relation is a table with a schema and a set of rows.\n"
        "• Integrity constraints can be specified by the administrator, based on application semantics. "
        "The system checks for violations.",
    ),
    (
        "Integrity constraints",
        "Integrity constraints\n• Integrity constraints are conditions that must be true for any instance "
        "of the database.\n• Should be checked whenever the relations are modified by a user.\n"
        "• In addition, integrity constraints protect the database against data entry errors.\n"
        "• Integrity constraints here are checked by the database management system itself.\n"
        "• Integrity constraints while the relations are modified and after the schema is defined",
    ),
]


def _tf(slides: list[tuple[str, str]], start: str) -> list[QuizQuestion | None]:
    """The true/false question of every slide line that starts with ``start``."""
    lc = extract(lecture(slides, title="Relational model"))
    builder = QuizBuilder([lc], Phraser(None), seed=0)
    return [builder._tf_point(lc, g, p) for g, p in lc.points if p.text.startswith(start)]


def test_a_line_of_several_sentences_is_asked_by_its_first_whole_sentence() -> None:
    [q] = _tf(DB_SLIDES, "Integrity constraints can be specified")
    assert q is not None
    assert q.prompt == (
        "True or false: Integrity constraints can be specified by the administrator, based on application "
        "semantics."
    )
    assert "checks for violations" not in q.prompt
    assert first_sentence("One whole sentence here. And a second one.", "en") == "One whole sentence here."
    assert first_sentence("A lead-in: Then the rest of it. More", "en") == "A lead-in: Then the rest of it."
    assert first_sentence("A line cut off... Then more text.", "en") is None
    assert first_sentence("Just one sentence", "en") == "Just one sentence"


def test_a_first_sentence_that_defines_a_term_is_not_asked_as_a_true_line() -> None:
    slides = [
        ("Data splitting", "Data splitting\n• We split the data into three parts for every model we fit."),
        (
            "Training data",
            "Training data\n• The training set is the set of data points used to fit the model. This should "
            "always be your largest subset of data",
        ),
    ]
    assert _tf(slides, "The training set") == [None]


def test_a_concept_name_the_lecture_repeats_counts_as_the_line_s_key_term() -> None:
    slides = [
        ("Data splitting", "Data splitting\n• Training set: the set of data points used to fit the model."),
        (
            "Choosing models",
            "Choosing models\n• The validation set is used to pick the best values for tunable parameters.",
        ),
        (
            "Tuning",
            "Tuning\n• Hyperparameters are tuned on the validation set after every run of the model.",
        ),
    ]
    lc: LectureCandidates = extract(lecture(slides, title="Model evaluation"))
    builder = QuizBuilder([lc], Phraser(None), seed=0)
    [(g, p)] = [(g, p) for g, p in lc.points if p.text.startswith("The validation set is used")]
    q = builder._tf_point(lc, g, p)
    assert q is not None and q.prompt.startswith("True or false: The validation set is used to pick")


def test_fragment_forms_are_not_asked_as_true_false() -> None:
    assert _tf(DB_SLIDES, "Should be checked") == [None]  # its subject was on the line before
    assert _tf(DB_SLIDES, "In addition,") == [None]  # continues the line before
    assert _tf(DB_SLIDES, "Integrity constraints here") == [None]  # points at the slide
    assert _tf(DB_SLIDES, "Integrity constraints while") == [None]  # no main clause
    assert fragment_form("The channel capacity is C = B log(1 + S/N) in bits per second", "en") == (
        "formula_piece"
    )
    instruction = "If there is no decision, you can use the test set instead"
    assert fragment_form(instruction, "en") == "addresses_reader"
    gold = "When you have no tunable parameters, the gold standard is a train/test split"
    assert fragment_form(gold, "en") is None  # "you" in a condition: no instruction
    assert fragment_form("Integrity constraints are checked when relations are modified.", "en") is None
    goals = "The security engineering process is concerned with implementing these goals."
    assert fragment_form(goals, "en") == "points_away"  # the goals of the line before
    pronoun = "Array bound checking is automatic in Java so this is not a vulnerability."
    assert fragment_form(pronoun, "en") == "points_away"
    own = "Risk avoidance requirements set out the risks that are avoided so that these risks cannot arise."
    assert fragment_form(own, "en") is None  # "these risks": the line's own
    assert fragment_form("Should be the same size as the test set", "es") is None  # English rules only


RISK_SLIDES = [
    (
        "Security risk management",
        "Security risk management\n• Risk management is concerned with assessing losses from attacks.",
    ),
    (
        "Design risk assessment",
        "Design risk assessment\n• This risk assessment takes place during the system development life cycle "
        "and is informed by the technical system design.",
    ),
    (
        "Preliminary risk assessment",
        "Preliminary risk assessment\nThe aim of this initial risk assessment is to identify generic risks "
        "that are applicable to the system.\nThe risk assessment should focus on the identification and "
        "analysis of high-level risks to the system.\nThe outcomes of the risk assessment process are used "
        "to help identify security requirements.",
    ),
    (
        "Operational risk assessment",
        "Operational risk assessment\n• This risk assessment process focuses on the use of the system and "
        "the risks that can arise from human behavior.",
    ),
    (
        "Distributed system",
        "Distributed system\n• The system is split into parts that run on separate computers in a network.",
    ),
    (
        "Introduction to risk assessment",
        "Introduction to risk assessment\n• This risk assessment reviews the records of every patient of "
        "the clinic.",
    ),
    ("Bag-of-words methods", "Bag-of-words methods\n• These methods are very effective for classification."),
    (
        "Stacked RNN methods",
        "Stacked RNN methods\n• These methods feed each layer's output to the next!",
    ),
]


def test_a_line_naming_its_slide_s_concept_by_a_shorter_name_becomes_a_cloze_of_the_title() -> None:
    lc = extract(lecture(RISK_SLIDES, title="Security engineering"))
    fronts = [c.front for c in card_drafts([lc], Phraser(None)) if c.kind == "cloze"]
    assert (
        "The {{c1::design risk assessment}} takes place during the system development life cycle and is "
        "informed by the technical system design." in fronts
    )
    assert (
        "The {{c1::preliminary risk assessment}} should focus on the identification and analysis of "
        "high-level risks to the system." in fronts
    )
    assert (  # "process" belongs to the name: the blank stays the sentence's subject
        "The {{c1::operational risk assessment process}} focuses on the use of the system and the risks that "
        "can arise from human behavior." in fronts
    )
    assert not any("distributed system" in f.lower() for f in fronts)  # "the system": any system
    assert not any("clinic" in f for f in fronts)  # "Introduction ...": no concept's name
    assert not any("bag-of-words" in f.lower() for f in fronts)  # a rating: many names fit
    assert not any("stacked" in f.lower() for f in fronts)  # an exclamation (card_forms refuses it)


def test_titled_needs_the_title_s_last_words_after_this_or_two_after_the() -> None:
    assert titled("These requirements shall be checked daily.", "Security requirements") == (
        "The security requirements shall be checked daily.",
        "security requirements",
    )
    assert titled("The system is split into parts.", "Distributed system") is None
    assert titled("This risk is high.", "Design risk assessment") is None  # not the title's last words
    assert titled("These LSTM cells forget.", "Peephole LSTM cells") == (
        "The Peephole LSTM cells forget.",
        "Peephole LSTM cells",
    )
