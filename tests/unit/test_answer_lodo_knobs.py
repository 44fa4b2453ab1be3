"""The answer pipeline's knobs re-chosen leaving one dev deck out (seventh session), with fakes: the refusal's
similarity floor for Latin-script questions, and a runner-up slide that covers clearly more of the question
than the slide answered from, named with its own citation. No model; no wording of a model asserted."""

from __future__ import annotations

import re

from tests.unit.test_answer_rules import ev
from tests.unit.test_answer_slide_choice import ask
from workers.ai.answer import EXTRACT_WORDS, answer_units, extractive_answer
from workers.ai.refusal import Features, decide
from workers.ai.second_slide import also_says, budget_for, runner_up
from workers.ai.slide_choice import answering_order

QUESTION = "How does the optimizer update the weights from the loss gradient and the learning rate?"
# Covers 5 of the question's 7 content words, and comes first.
FIRST = ev(
    3,
    "The optimizer updates the weights after each batch. Each step moves the weights against the loss "
    "gradient. Momentum smooths the steps.",
    0.6,
    "Optimizers",
)
# Covers 6 of 7: clearly more (0.14 >= 0.1), but not enough to overcome its place (0.15 per place).
MORE = ev(
    8,
    "Each update scales the gradient step on the weights by the learning rate. A large learning rate makes "
    "the loss oscillate.",
    0.5,
    "Learning rate",
)
# Covers 3 of 7: less than the first.
LESS = ev(8, "A large learning rate makes training unstable.", 0.5, "Learning rate")
TOPICS = [
    "momentum",
    "nesterov",
    "adagrad",
    "rmsprop",
    "adam",
    "warmup",
    "decay",
    "clipping",
    "batches",
    "epochs",
    "shuffling",
    "schedules",
]


def strip_labels(answer: str) -> str:
    return re.sub(r"\[[^\]]*, slide \d+\]", " ", answer)


def test_a_latin_question_with_no_words_on_the_slides_answers_from_similarity_0_35() -> None:
    question = "What's the trade-off when you choose a larger k?"  # "Tradeoffs" on the slide: no shared word
    assert decide(Features(coverage=0.0, similarity=0.38, missing=[], language="en"), question)
    assert not decide(Features(coverage=0.0, similarity=0.33, missing=[], language="en"), question)
    # a rare word the notes never use still refuses at that similarity
    assert not decide(Features(coverage=0.0, similarity=0.38, missing=[("stratified", 2.9)]), question)


def test_the_slide_choice_keeps_the_first_slide_and_the_runner_up_covering_more_is_named() -> None:
    assert [e.page for e in answering_order(QUESTION, [FIRST, MORE])] == [3, 8]
    assert runner_up(QUESTION, [FIRST, MORE]) is MORE
    assert runner_up(QUESTION, [FIRST, LESS]) is None
    assert runner_up(QUESTION, [FIRST]) is None and runner_up(QUESTION, [FIRST, FIRST]) is None
    answer, cited = extractive_answer(QUESTION, [FIRST, MORE], MORE)
    assert [e.page for e in cited] == [3, 8]
    assert "Slide 8 also says: " in answer and answer.rstrip().endswith(MORE.label)
    assert "learning rate" in answer.split("Slide 8 also says: ", 1)[1]


def test_the_answer_cites_both_slides_through_the_pipeline() -> None:
    result = ask([FIRST, MORE], QUESTION)
    assert [c["page"] for c in result["citations"]] == [3, 8]
    assert "Slide 8 also says:" in result["answer"]
    result = ask([FIRST, LESS], QUESTION)
    assert [c["page"] for c in result["citations"]] == [3]


def test_the_added_sentence_is_taken_from_the_first_slides_word_budget() -> None:
    long_first = ev(
        3,
        " ".join(f"With {t}, the optimizer moves the weights against the loss gradient." for t in TOPICS),
        0.6,
        "Optimizers",
    )
    extra = also_says(QUESTION, MORE, answer_units)
    assert extra is not None and budget_for(extra, EXTRACT_WORDS) == EXTRACT_WORDS - len(extra.split())
    alone, _ = extractive_answer(QUESTION, [long_first, MORE])
    both, _ = extractive_answer(QUESTION, [long_first, MORE], MORE)
    first_part = both.split("Slide 8 also says:", 1)[0]
    assert len(strip_labels(first_part).split()) < len(strip_labels(alone).split())
    unit = max(len(u.split()) for u in answer_units(long_first))
    assert len(strip_labels(both).split()) <= EXTRACT_WORDS + unit  # a unit may end past the budget
