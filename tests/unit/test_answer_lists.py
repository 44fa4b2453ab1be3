"""List and comparison answers (workers.ai.list_answer through workers.ai.answer.extractive_answer), with
fake slides: a list question gets the lead-in and every item in the slide's order, cited; a question that
asks for no list is answered as before; a comparison names both sides. No model is involved."""

from __future__ import annotations

from workers.ai.answer import answer_units, extractive_answer, extractive_pieces
from workers.ai.list_answer import asks_for_list, compare_pieces, compared_sides, list_pieces
from workers.ai.retrieval import Evidence


def ev(page: int, text: str, title: str = "") -> Evidence:
    return Evidence(
        chunk_id=page,
        lecture_id=1,
        lecture_title="Security",
        file="sec.pdf",
        page=page,
        title=title,
        text=text,
        source="text_layer",
        figure_ids=[],
        similarity=0.6,
    )


ITEMS = [
    "Asset identification and the value each asset has for the organisation",
    "Threat assessment of the attacks the system may face",
    "Exposure assessment of the losses an attack could bring",
    "Attack assessment, splitting each threat into possible attacks",
    "Control identification of the controls that might protect an asset",
    "Feasibility assessment of the cost of each control",
]
SLIDE = "\n".join(
    [
        "Risk assessment is carried out early, when the system's requirements are still being written and "
        "the team has a first idea of what the system should protect and who might want to attack it.",
        "A security risk assessment has these stages:",
        *(f"• {item}" for item in ITEMS),
        "The assessment is repeated when the design changes, and its results feed the security requirements "
        "of the system, which are reviewed with the stakeholders before the next release.",
    ]
)


def test_a_list_question_gets_the_lead_in_and_all_six_items_in_order_cited() -> None:
    slide = ev(7, SLIDE, title="Security risk assessment")
    answer, cited = extractive_answer("What are the stages of a security risk assessment?", [slide])
    assert cited == [slide]
    assert answer.endswith(slide.label)
    positions = [answer.find(item) for item in ITEMS]
    assert all(p >= 0 for p in positions), answer
    assert positions == sorted(positions)
    assert answer.find("these stages:") < positions[0]


def test_a_list_answer_is_bounded_and_long_items_are_cut_to_their_first_clause() -> None:
    long_items = [
        f"Step {n} checks the part number {n}, and then it writes a very long explanation that goes on "
        f"and on about what the step does, why it matters and what happens when it fails badly"
        for n in range(1, 16)
    ]
    slide = ev(3, "The procedure has these steps:\n" + "\n".join(f"- {i}" for i in long_items))
    pieces = list_pieces("List the steps of the procedure.", [slide], answer_units)
    assert pieces is not None
    assert len(pieces) <= 13  # the lead-in and at most twelve items
    assert sum(len(p.split()) for p, _ in pieces) <= 150
    assert pieces[1][0] == "Step 1 checks the part number 1."


def test_a_question_that_asks_for_no_list_is_answered_as_before() -> None:
    slide = ev(7, SLIDE, title="Security risk assessment")
    question = "When is risk assessment carried out?"
    assert not asks_for_list(question)
    assert list_pieces(question, [slide], answer_units) is None
    expected = extractive_pieces(question, [slide])
    answer, _ = extractive_answer(question, [slide])
    assert answer.startswith(expected[0][0])


def test_a_list_question_on_a_slide_without_a_matching_list_keeps_the_ordinary_answer() -> None:
    slide = ev(2, "Passwords should be long.\nThey should be changed after a breach.")
    assert list_pieces("What are the four types of security threat?", [slide], answer_units) is None


def test_list_questions_are_recognised_in_several_languages() -> None:
    for question in (
        "What are the four types of security threat?",
        "Name the three gates in an LSTM.",
        "Which steps does k-fold cross validation take?",
        "¿Cuáles son las condiciones de frontera?",
        "Какие есть способы редукции молекулярного графа?",
        "Quels sont les trois niveaux ?",
        "有哪些类型？",
        "रैदास ने अपने स्वामी को किन-किन नामों से पुकारा है?",
    ):
        assert asks_for_list(question), question
    assert not asks_for_list("Why does the gradient vanish?")


def test_a_comparison_names_both_sides() -> None:
    said_of_threats = [
        f"A threat of kind {n} is a circumstance that has potential to cause loss or harm to the "
        f"organisation, its staff, its customers or its reputation when nobody watches the system closely."
        for n in range(1, 5)
    ]
    slide = ev(4, "\n".join([*said_of_threats, "A vulnerability is a weakness that may be exploited."]))
    question = "What's the difference between a threat and a vulnerability?"
    assert compared_sides(question) == ("a threat", "a vulnerability")
    answer, cited = extractive_answer(question, [slide])
    assert "threat of kind 1" in answer and "vulnerability is a weakness" in answer
    assert cited == [slide]
    assert compare_pieces("Why do attacks happen?", [slide], [], lambda e: []) is None


def test_when_the_items_do_not_fit_whole_every_item_is_still_named() -> None:
    kinds = ["Interception", "Interruption", "Modification", "Fabrication"]
    lines = ["Threat types"]
    for kind in kinds:
        lines.append(f"{kind} threats that allow an attacker to do something harmful to an asset.")
        lines.append(
            "A possible threat to the records system might be a situation where an attacker gains access "
            "to the records of an individual patient who is very well known in the town and tells others."
        )
    slide = ev(15, "\n".join(lines), title="Threat types")
    answer, cited = extractive_answer("What are the four types of security threat?", [slide])
    assert all(f"{kind} threats" in answer for kind in kinds), answer
    assert len(answer.split()) <= 160
    assert cited == [slide]


def test_a_list_continued_on_the_next_slide_under_the_same_title_cites_both_slides() -> None:
    first = ev(13, "First way: the vertices stand for ring systems.\nAn example molecule.", title="Reduction")
    second = ev(14, "Second way: the vertices stand for carbon groups.\nA reduced graph.", title="Reduction")
    other = ev(30, "Third way is not on this slide at all.\nSomething else.", title="Other")
    answer, cited = extractive_answer("What are the ways of reduction?", [second, first, other])
    assert answer.find("First way") < answer.find("Second way")
    assert "Third way" not in answer
    assert sorted(e.page for e in cited) == [13, 14]


def test_a_very_long_question_is_no_comparison_and_stays_fast() -> None:
    import time

    from workers.ai.list_answer import compared_sides

    start = time.perf_counter()
    assert compared_sides("word " * 20000 + "and more?") is None
    assert time.perf_counter() - start < 1
    assert compared_sides("What is the difference between bagging and boosting?") == ("bagging", "boosting")
