"""Cues that determine the answer (workers/generation/cue_checks.py): a multiple-choice key of another kind
than its distractors, and a term card whose back is a remark on a class rather than a definition."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import workers.generation.flashcards as flashcards
from tests.support.study import lecture
from workers.generation.candidates import LectureCandidates, extract
from workers.generation.cue_checks import class_remark, odd_option
from workers.generation.flashcards import CardDraft, card_drafts
from workers.generation.phrasing import Phraser
from workers.generation.quiz import QuizBuilder

TERMS = [
    (
        "Security terminology",
        "Asset: Something of value which has to be protected.\n"
        "Attack: An exploitation of a system's vulnerability.\n"
        "Control: A protective measure that reduces a system's vulnerability.\n"
        "Threat: Circumstances that have potential to cause loss or harm.",
    )
]


def test_options_of_one_kind_pass() -> None:
    assert odd_option(["Asset", "Attack", "Control", "Threat"], "Control") is None
    assert odd_option(["Степень вершины", "Расстояние", "Матрица смежности"], "Расстояние") is None
    definitions = [
        "A protective measure that reduces a system's vulnerability",
        "An exploitation of a system's vulnerability",
        "Circumstances that have potential to cause loss or harm",
    ]
    assert odd_option(definitions, definitions[1]) is None


def test_a_key_in_another_script_than_a_distractor_stands_out() -> None:
    assert odd_option(["Степень вершины", "Sy", "Bo", "Vw"], "Степень вершины") == "odd_option_script"
    assert (
        odd_option(["SISO channel", "Ideal capacity with MISO", "2𝑁Z"], "SISO channel") == "odd_option_script"
    )


def test_a_key_much_longer_than_every_distractor_stands_out() -> None:
    key = "Obviously conclusion from our generalization"
    assert odd_option([key, "Swedish", "English", "Pierce"], key) == "odd_option_length"


def test_a_sentence_or_a_titled_line_among_terms_stands_out() -> None:
    options = ["Control", "Distributing assets", "common attack on a web-based system", "Vulnerability"]
    assert odd_option(options, "Control") == "odd_option_words"
    options = ["Exploding gradients", "Word order", "Training: Acceptor RNN"]
    assert odd_option(options, "Exploding gradients") == "odd_option_colon"


def test_a_term_card_whose_back_rates_or_contrasts_does_not_determine_it() -> None:
    assert class_remark("basic", "Security", "an essential pre-requisite for availability and safety")
    assert class_remark(
        "basic", "Incorrect processing of inputs", "a common cause of security vulnerabilities"
    )
    assert class_remark("basic", "Security risk analysis", "a business rather than a technical process")
    assert class_remark("basic", "Perceptron", "a simple algorithm for binary classification") is None
    assert class_remark("basic", "Threat", "Circumstances that have potential to cause loss or harm") is None
    # a cloze shows its whole sentence: the remark is a fact about the named term
    assert class_remark("cloze", "{{c1::Security}} is an essential pre-requisite", "Security is ...") is None


def test_the_quiz_drops_a_question_whose_key_stands_out_by_its_form() -> None:
    builder = QuizBuilder([extract(lecture(TERMS, title="Security engineering"))], Phraser(None))
    asked = [q for q in builder.build(10) if q.kind == "multiple_choice" and len(q.answer_text.split()) == 1]
    assert asked
    question = asked[0]  # "Which term is defined as: ...?" with four terms as options
    assert builder._keep(question)
    distractor = next(o for o in question.options if o != question.answer_text)
    for other in ("Word order is important in every language", "Training: Acceptor RNN"):
        swapped = [(other if o == distractor else o) for o in question.options]
        assert not builder._keep(question.model_copy(update={"options": swapped}))
    swapped = [("Vulnerability" if o == distractor else o) for o in question.options]
    odd = question.model_copy(update={"options": swapped})
    assert builder._keep(odd)  # a term of the same kind passes


def test_the_cards_drop_a_term_card_whose_back_is_a_remark(monkeypatch: pytest.MonkeyPatch) -> None:
    material = lecture(TERMS, title="Security engineering")
    ref = material.ref(1)
    drafts = [
        CardDraft("basic", "Security", "an essential pre-requisite for availability, reliability", ref, "a"),
        CardDraft("basic", "Threat", "Circumstances that have potential to cause loss or harm", ref, "b"),
    ]

    def fake(lc: LectureCandidates, phraser: Phraser) -> dict[str, list[CardDraft]]:
        return {"term": list(drafts), "list": [], "point": [], "cloze": [], "figure": []}

    monkeypatch.setattr(flashcards, "_drafts", fake)
    made: Iterator[CardDraft] = card_drafts([extract(material)], Phraser(None))
    assert [c.front for c in made] == ["Threat"]
