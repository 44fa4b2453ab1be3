"""Cause and effect from a slide's own conditional (quiz_kinds.condition_question): "If/When
<condition>, <consequence>" asked as "what happens if/when <condition>?", the consequence the key; never an
instruction, a line about "you" or one leaning on its slide."""

from __future__ import annotations

from shared.schemas import SourceRef
from tests.support.study import lecture
from workers.generation.candidates import extract
from workers.generation.phrasing import Phraser
from workers.generation.quiz import QuizBuilder
from workers.generation.quiz_kinds import cause_effect_question

REF = SourceRef(lecture_id=1, lecture="Enzymes", file="bio.pdf", page=2)


def test_a_conditional_line_is_asked_for_its_consequence() -> None:
    heated = "If the enzyme is heated too far, the active site can no longer bind the substrate."
    q = cause_effect_question(heated, "en", REF)
    assert q is not None and q.kind == "short_answer"
    assert q.prompt == "According to the slides, what happens if the enzyme is heated too far?"
    assert q.answer == "the active site can no longer bind the substrate"
    q = cause_effect_question("When the substrate runs out, the reaction rate must fall to zero.", "en", REF)
    assert q is not None and q.prompt.endswith("what happens when the substrate runs out?")
    q = cause_effect_question("If a cell is starved then glycogen stores are broken down quickly.", "en", REF)
    assert q is not None and q.answer == "glycogen stores are broken down quickly"


def test_no_instruction_no_you_no_line_leaning_on_its_slide() -> None:
    for line in [
        "When samples are stored, ensure that they are kept cold at all times.",
        "If you have too little substrate, the measured rate is very low.",
        "If so, this is a competitive inhibitor of the enzyme.",
        "If the pH is known then you can check that the enzyme works at that pH.",
        "When heated, denatured.",
        "If the enzyme is heated too far, it stops working altogether.",
        "If the enzyme is heated too far, the active site loses its shape.",  # no auxiliary: subject unclear
    ]:
        assert cause_effect_question(line, "en", REF) is None, line
    assert cause_effect_question("Si la enzima se calienta, su sitio activo se deforma.", "es", REF) is None


def test_the_quiz_asks_a_conditional_line_as_a_short_answer() -> None:
    slides = [
        ("Enzymes", "Enzymes\nAn enzyme is a protein that speeds up a chemical reaction in the cell"),
        (
            "Enzyme activity",
            "Enzyme activity\n"
            "If the enzyme is heated too far, the active site can no longer bind the substrate.\n"
            "The active site binds the substrate of the enzyme",
        ),
    ]
    lc = extract(lecture(slides))
    built = [s.build() for s in QuizBuilder([lc], Phraser(None)).seeds() if s.kind == "short_answer"]
    prompts = {q.prompt for q in built if q is not None}
    assert "According to the slides, what happens if the enzyme is heated too far?" in prompts
