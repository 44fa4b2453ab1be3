"""Validity checks of generated study material (workers.generation.validity), on slides the tests make:
boilerplate never reaches an item, quiz questions are well formed, cards are atomic, lists become ordered
clozes, near-duplicates are removed."""

from __future__ import annotations

from pathlib import Path

from shared.schemas import SourceRef
from tests.support.study import lecture
from tests.support.study import quiz_question as _q
from workers.generation.candidates import extract
from workers.generation.cheatsheet import plan_items
from workers.generation.flashcards import _drafts, card_drafts
from workers.generation.keyterms import key_terms, list_units
from workers.generation.phrasing import Phraser
from workers.generation.quiz import build_quiz
from workers.generation.validity import (
    boilerplate_reason,
    card_problem,
    fragment_reason,
    near_duplicates,
    plausible_formula,
    quiz_problem,
    word_count,
)

REF = SourceRef(lecture_id=1, lecture="L", file="l.pdf", page=2)

SECURITY: list[tuple[str, str]] = [
    ("Security engineering", "Security engineering\nCS 4510 Software Engineering, Fall 2024\nProf. Ann Lee"),
    (
        "Security dimensions",
        "Security dimensions\n• Confidentiality\n• Integrity\n• Availability",
    ),
    (
        "Threat types",
        "Threat types\n• Interception threats\n• Interruption threats\n• Modification threats\n"
        "• Fabrication threats",
    ),
    (
        "Security terminology",
        "Security terminology\nAn asset is a thing of value which has to be protected.\n"
        "A vulnerability is a weakness in a computer-based system that may be exploited.\n"
        "An attack is an exploitation of a system's vulnerability by an outsider.\n"
        "• Security engineering is a sub-field of the broader field of computer security\n"
        "• Starting with chapter 14, we will discuss transformer networks\n"
        "• Sommerville & Sawyer: 10/25/2022 13",
    ),
    ("Announcements", "Announcements\n• Final exam review next week\n• Homework 3 due Friday"),
]


def test_boilerplate_kinds_are_recognised_and_subject_matter_is_not() -> None:
    for text in [
        "Esfuerzo normal en x, sx 10/25/2022 13",
        "TSKS14 Multiple Antenna Communications",
        "Starting with chapter 14, we will discuss transformer networks.",
        "“Fuzzy far away” (Khandelwal et al., 2018)",
        "Database Management Systems, R. Ramakrishnan and J. Gehrke",
        "Slides at https://example.org/course",
        "Key points",
        "Image courtesy of NASA",
    ]:
        assert boilerplate_reason(text), text
    for text in [
        "A stack returns elements in last-in, first-out order.",
        "The Krebs cycle releases carbon dioxide",
        "Capacity grows with the number of antennas",
    ]:
        assert boilerplate_reason(text) is None, text


def test_fragments_are_recognised() -> None:
    assert fragment_reason("R0(1") == "unbalanced"
    assert fragment_reason("Multiple instances of a resource type and") == "dangling"
    assert fragment_reason("Security is expensive and it is importan…") == "truncated"
    assert fragment_reason("Water is split to release oxygen") is None


def test_a_valid_question_passes_and_each_broken_one_fails() -> None:
    assert quiz_problem(_q()) is None
    assert quiz_problem(_q(options=["stack", "Stack", "heap", "queue"])) == "options_not_distinct"
    assert quiz_problem(_q(options=["stack", "heap"])) == "too_few_options"
    assert quiz_problem(_q(prompt="Which stack returns elements last-in, first-out?")) == "answer_in_stem"
    assert quiz_problem(_q(options=["stack", "queue", "R0(1", "heap"])) == "fragment_option"
    assert quiz_problem(_q(options=["stack", "queue", "Simon 10/25/2022", "heap"])).startswith("boilerplate")
    assert quiz_problem(_q(prompt="Which statement is made on the slides about Stacks??")) == "vague_stem"
    fill = _q(
        kind="fill_blank", options=[], prompt="Fill in the blank: Starting with chapter _____", answer="14"
    )
    assert quiz_problem(fill) is not None


def test_cards_are_atomic_and_clean() -> None:
    assert card_problem("Asset", "A thing of value which has to be protected", "basic") is None
    long_back = " ".join(["word"] * 26)
    assert word_count(long_back) == 26
    assert card_problem("Explain bagging and boosting", long_back, "basic") == "not_atomic"
    assert card_problem("Overfitting: fitting the training data too closely", "Overfitting", "basic") == (
        "front_contains_back"
    )
    assert card_problem("Security dimensions: what are the key points?", "• Integrity", "qa") == "vague_front"
    assert (
        card_problem("What does the figure show?", "Figure 3: Carbon fixed per hour", "basic", figure=True)
        is None
    )
    assert word_count("光合作用是植物利用光能") == 6  # CJK: one word per two characters


def test_near_duplicates_by_embedding_and_by_words() -> None:
    texts = ["stack: last in first out", "queue: first in first out", "Stack - last in, first out!"]
    assert near_duplicates(texts) == {2}

    def embed(batch: list[str]) -> list[list[float]]:  # a fake embedder: 'stack' and 'LIFO' mean the same
        return [[1.0, 0.0] if ("stack" in t.lower() or "lifo" in t.lower()) else [0.0, 1.0] for t in batch]

    assert near_duplicates(["stack order", "queue order", "LIFO structure"], embed=embed) == {2}

    def broken(batch: list[str]) -> list[list[float]]:
        raise RuntimeError("no model")

    assert near_duplicates(["a stack", "a queue"], embed=broken) == set()


def test_lists_become_clozes_and_list_questions() -> None:
    lc = extract(lecture(SECURITY, title="Security"))
    units = {u.title: u.items for u in list_units(lc)}
    assert units["Security dimensions"] == ["Confidentiality", "Integrity", "Availability"]
    cards = [d for d in _drafts(lc, Phraser(None))["list"] if d.front.startswith("Security dimensions")]
    assert [c.front for c in cards] == [  # a set: the other items shown, so one item fits the blank
        "Security dimensions (3): {{c1::Confidentiality}}; Integrity; Availability",
        "Security dimensions (3): Confidentiality; Integrity; {{c1::Availability}}",
    ]
    assert cards[1].back == "Availability" and all(c.kind == "cloze" for c in cards)
    quiz = build_quiz([lc], Phraser(None), questions=10, difficulty="medium", title="Q", seed=1)
    listed = [q for q in quiz.questions if q.prompt.startswith("Which of these is one of the items of")]
    # the lecture's other list (threat types) is of another kind than security dimensions: no list question
    # (quiz_kinds.sibling_lists; tests/unit/test_generation_quiz_checks.py asks one from sibling lists)
    assert not listed


def test_no_boilerplate_reaches_cards_quiz_or_cheat_sheet(tmp_path: Path) -> None:
    lc = extract(lecture(SECURITY, title="Security"))
    assert not any(boilerplate_reason(t) for t in key_terms(lc))
    cards = list(card_drafts([lc], Phraser(None)))
    quiz = build_quiz([lc], Phraser(None), questions=20, difficulty="medium", title="Q", seed=2)
    plans = plan_items([lc], files=None, workdir=tmp_path, summaries={})  # type: ignore[arg-type]
    texts = [f"{c.front} {c.back}" for c in cards]
    texts += [" ".join([q.prompt, q.answer_text, q.explanation, *q.options]) for q in quiz.questions]
    for item in plans[0]:
        texts.append(
            " ".join(
                filter(None, [item.group.title if item.group else "", item.point.text if item.point else ""])
            )
        )
    assert cards and quiz.questions
    for text in texts:
        for banned in (
            "chapter 14",
            "10/25/2022",
            "Sawyer",
            "CS 4510",
            "Homework",
            "Final exam",
            "Announcements",
        ):
            assert banned.lower() not in text.lower(), text
    for q in quiz.questions:
        assert quiz_problem(q) is None
    for c in cards:
        assert word_count(c.back) <= 25


def test_only_plausible_formulas_reach_the_cheat_sheet() -> None:
    assert plausible_formula("Rate = k × [CO2] × light intensity") is False  # prose words: not a formula
    assert plausible_formula("C = log2(1 + SNR)")
    assert not plausible_formula("5 pivot = array[0]")
    assert not plausible_formula("R0(1 =")
    assert not plausible_formula("https://youtube.com/watch?v=abc")


def test_cheat_sheet_shows_a_list_in_one_entry_and_leaves_logistics_out(tmp_path: Path) -> None:
    import docx

    from workers.generation.cheatsheet import render_docx, select_items

    lc = extract(lecture(SECURITY, title="Security"))
    plans = plan_items([lc], files=None, workdir=tmp_path, summaries={})  # type: ignore[arg-type]
    out = tmp_path / "sheet.docx"
    render_docx(out, title="Sheet", lectures=[lc], items=select_items(plans, 500))
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Confidentiality • Integrity • Availability" in text
    assert "Interception threats • Interruption threats • Modification threats • Fabrication threats" in text
    for banned in ("Announcements", "Homework", "CS 4510", "10/25/2022", "chapter 14"):
        assert banned not in text
