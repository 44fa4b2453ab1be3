"""Which units of the answering slide an extractive answer says (workers.ai.answer.extractive_pieces with
workers.ai.unit_choice), with fake slides; no model is involved."""

from __future__ import annotations

import pytest

from workers.ai import answer, unit_choice
from workers.ai.answer import extractive_pieces
from workers.ai.retrieval import Evidence, match_terms


def ev(text: str, title: str = "Training") -> Evidence:
    return Evidence(
        chunk_id=1,
        lecture_id=1,
        lecture_title="Course",
        file="c.pdf",
        page=3,
        title=title,
        text=text,
        source="text_layer",
        figure_ids=[],
        similarity=0.6,
    )


QUESTION = "When does early stopping end training?"


def said(pieces: list[tuple[str, Evidence]]) -> list[str]:
    return [p for p, _ in pieces]


def test_a_slide_of_short_bullets_is_said_up_to_the_word_budget_not_cut_at_eight_units() -> None:
    bullets = [f"Epoch {n}: loss {n / 10}." for n in range(1, 11)]
    last = "Keep the weights of the best epoch."  # shares no word with the question: said only as fill
    slide = ev("\n".join(["Early stopping ends training when validation loss rises.", *bullets, last]))
    out = said(extractive_pieces(QUESTION, [slide]))
    assert last in out  # the twelfth unit, reached within the word budget
    assert sum(len(p.split()) for p in out) <= answer.EXTRACT_WORDS


def test_the_word_budget_still_bounds_a_slide_of_short_bullets() -> None:
    bullets = [f"Step {n} updates the weights of layer {n} once more." for n in range(1, 30)]
    slide = ev("\n".join(["Early stopping watches the validation loss.", *bullets]))
    out = said(extractive_pieces(QUESTION, [slide]))
    words = sum(len(p.split()) for p in out)
    assert words <= answer.EXTRACT_WORDS + 12  # the last unit may cross the budget, never by more than itself
    assert len(out) < 1 + len(bullets)


CHART = ["10-4", "-10 0 10 20 30", "2.5", "x1", "(a)", "0.01 0.02", "1 2 3", "y2", "10-1", "=", "S1", "4/2"]
LAST = "Keep the weights of the best epoch."  # shares no word with the question: said only as fill
SLIDE_WITH_CHART = "\n".join(
    ["Early stopping ends training when validation loss rises.", *CHART, *CHART, LAST]
)


def test_with_bare_last_a_chart_s_numbers_fill_the_answer_after_the_worded_units(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Tried, not adopted (held out on dev it ties main): BARE_LAST is off, this checks the lab's knob.
    monkeypatch.setattr(unit_choice, "BARE_LAST", True)
    # Debris no longer fills an answer at all (unit_choice.worded): the knob is checked without that rule.
    monkeypatch.setattr(unit_choice, "worded", lambda units, order, *args: order)
    out = said(extractive_pieces(QUESTION, [ev(SLIDE_WITH_CHART)]))
    assert LAST in out
    worded = [i for i, p in enumerate(out) if not unit_choice.bare(p)]
    bare = [i for i, p in enumerate(out) if unit_choice.bare(p)]
    assert max(worded) < min(bare)


def test_with_idf_a_question_word_every_unit_holds_weighs_less(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tried, not adopted (held out on dev it loses 0.016 key phrase): IDF is off, this checks the lab's knob.
    units = ["Stopping rules for training.", "Stopping early saves time.", "Stopping when loss rises."]
    wanted = {"stop", "loss"}
    assert unit_choice.weights(wanted, units) == [1.0, 1.0, 2.0]
    monkeypatch.setattr(unit_choice, "IDF", True)
    weighted = unit_choice.weights(wanted, units)
    assert weighted[0] == weighted[1] < 1.0 < weighted[2] < 2.0


def test_bare_means_no_word_in_any_script() -> None:
    for text in ("10-4", "-10 0 10 20 30", "0.143", "2NZ", "x1", "a;", "4/2"):
        assert unit_choice.bare(text), text
    for text in ("Smith", "SQL-92", "साँप", "数据", "вес", "logS 1 + q"):
        assert not unit_choice.bare(text), text


def test_with_notes_language_words_are_compared_in_the_notes_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Tried, not adopted (held out on dev it ties main): NOTES_LANGUAGE is off, this checks the lab's knob.
    slide = ev(
        "Las vigas de concreto tienen resistencias muy bajas a la tracción y por eso llevan acero "
        "de refuerzo en la zona donde la viga se estira bajo la carga.",
        title="Resistencias del concreto",
    )
    assert unit_choice.terms_for([slide]) is match_terms
    monkeypatch.setattr(unit_choice, "NOTES_LANGUAGE", True)
    terms = unit_choice.terms_for([slide])
    assert terms("las resistencias") == match_terms("las resistencias", "es")
    assert terms("las resistencias") != match_terms("las resistencias")


def test_a_numbered_procedure_is_said_in_its_own_order() -> None:
    """The units matching the question come first; when they are numbered steps, the answer still reads
    1, 2, 3, 4, 5 (a student following "5. Test performance" before step 3 would do the steps wrong)."""
    steps = [
        "1. Divide your training set into k buckets, called folds.",
        "2. For each fold, fit the model to the data not in the fold.",
        "3. Evaluate performance on these predictions.",
        "4. Fit a model to the entire training set.",
        "5. Test the model's performance on the test set.",
    ]
    slide = ev("\n".join(steps), title="Cross validation in practice")
    out = said(extractive_pieces("How do I test the model with k folds?", [slide]))
    assert sorted(out) == out and set(out) == set(steps)
    # Unnumbered units keep the order that puts the matching ones first.
    plain = [s.split(" ", 1)[1] for s in steps]
    out = said(extractive_pieces("How do I test the model with k folds?", [ev("\n".join(plain))]))
    assert set(out) == set(plain) and out != plain
