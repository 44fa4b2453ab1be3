"""The cheat sheet's adopted form rules (workers/generation/sheet_form.py) on quiz questions and flashcards
(workers/generation/source_checks.item_form_problem): each test makes its own items, a bad one dropped beside
a good one kept, and fails when the rule is removed from the checks."""

from __future__ import annotations

from workers.generation.sheet_form import lecture_words
from workers.generation.source_checks import card_problems, quiz_problems

STEM = "Which term is defined as: new cases per person per year?"
OTHERS = ["Prevalence", "Mortality"]


def test_a_key_cut_mid_word_is_dropped_and_the_whole_word_kept() -> None:
    seen = lecture_words(["The incidence rate is high", "incidence rate per year", "Prevalence", "Mortality"])
    cut = quiz_problems(
        "multiple_choice",
        STEM,
        ["Incidence rat", *OTHERS],
        "Incidence rat",
        slide=None,
        lang="en",
        words_seen=seen,
    )
    whole = quiz_problems(
        "multiple_choice",
        STEM,
        ["Incidence rate", *OTHERS],
        "Incidence rate",
        slide=None,
        lang="en",
        words_seen=seen,
    )
    assert cut == ["form_cut_word"]
    assert whole == []


def test_a_distractor_cut_mid_word_drops_the_question() -> None:
    seen = lecture_words(["The incidence rate is high", "incidence rate", "the mortality rate"])
    options = ["Incidence rate", "Mortality rat", "Prevalence"]
    assert quiz_problems(
        "multiple_choice", STEM, options, "Incidence rate", slide=None, lang="en", words_seen=seen
    ) == ["form_cut_word"]


def test_a_statement_ending_on_a_stray_letter_is_dropped_a_name_is_not() -> None:
    stray = "True or false: Divide the training data into folds for each model k"
    name = "True or false: The vaccine protects against hepatitis B"
    assert quiz_problems("true_false", stray, [], "True", slide=None, lang="en") == ["form_stray_letter"]
    assert quiz_problems("true_false", name, [], "True", slide=None, lang="en") == []


def test_a_statement_pointing_at_what_it_never_states_is_dropped() -> None:
    away = "True or false: Similar if the model is linear."
    stated = "True or false: A linear model has one weight per feature."
    assert quiz_problems("true_false", away, [], "True", slide=None, lang="en") == ["form_points_away"]
    assert quiz_problems("true_false", stated, [], "True", slide=None, lang="en") == []


def test_a_term_cards_back_pointing_away_or_ending_on_a_stray_letter_is_dropped() -> None:
    def problems(back: str) -> list[str]:
        return card_problems("basic", "Regularization", back, slide=None, lang="en")

    assert problems("These penalties keep the weights small.") == ["form_points_away"]
    assert problems("a penalty added to the loss of each model k") == ["form_stray_letter"]
    assert problems("a penalty on large weights added to the loss.") == []


def test_a_cloze_pointing_at_the_following_is_dropped() -> None:
    away = "The {{c1::steps}} are as follows: first split, then fit."
    kept = "The {{c1::training set}} is split into folds."
    assert card_problems("cloze", away, "steps", slide=None, lang="en") == ["form_points_away"]
    assert card_problems("cloze", kept, "training set", slide=None, lang="en") == []


def test_a_term_card_whose_back_repeats_its_front_is_dropped() -> None:
    echo = card_problems(
        "basic", "Security requirement", "Define security requirements", slide=None, lang="en"
    )
    said = card_problems(
        "basic",
        "Security requirement",
        "A property the system must have to resist attacks",
        slide=None,
        lang="en",
    )
    assert echo == ["form_echo"]
    assert said == []


def test_a_figure_cards_caption_is_not_judged_by_form() -> None:
    back = "Folds of the training data for each model k"
    assert (
        card_problems("basic", "What does the figure show?", back, slide=None, lang="en", figure=True) == []
    )
    assert card_problems("basic", "Folds", back, slide=None, lang="en") == ["form_stray_letter"]
