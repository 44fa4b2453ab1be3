"""Review of the generation gate: hostile titles stay fast, real definitions are not taken for a worked
example about a person."""

from __future__ import annotations

import time

from workers.generation.gate import code_label, person_example


def test_code_label_is_fast_on_a_hostile_title() -> None:
    started = time.monotonic()
    assert not code_label("f(" + "x" * 100_000 + ";")
    assert not code_label("x" * 100_000)
    assert time.monotonic() - started < 1.0
    assert code_label("SELECT name FROM users WHERE id = 1")
    assert code_label("print(x):")


def test_a_term_written_in_lower_case_after_a_word_is_no_person() -> None:
    lecture = "A tree has a root at the top. Every node but the root has a parent node."
    assert not person_example("Root", "the node of the tree with no parent", lecture)
    assert not person_example(
        "Heap", "a tree where each parent is at most its children", "We use a binary heap."
    )


def test_parent_node_or_mother_cell_is_no_person() -> None:
    assert not person_example("Mitosis", "the mother cell divides into two daughter cells", "Cells divide.")
    assert not person_example("Leaf", "a node whose parent node has it as a child", "Trees.")
    # the worked example about people is still found
    assert person_example("Emma", "is the mother of Sophie and lives in Leeds", "Family data.")
    assert person_example("Tom", "is a student; he studies maths", "Students.")


def test_person_rule_scans_the_lecture_once() -> None:
    text = "\n".join(f"Line {i} about things and stuff with words" for i in range(20_000))
    started = time.monotonic()
    for i in range(200):
        person_example(f"Zed{i}", "the mother of Anna", text)
    assert time.monotonic() - started < 2.0


def test_dash_bullets_in_title_case_are_no_quotation_credit() -> None:
    from tests.support.study import lecture
    from workers.generation.gate import gate_slide

    slide = lecture(
        [("Join algorithms", "Three ways to join:\n- Hash Join\n– Sort Merge Join\n- Nested Loop")]
    ).slides[0]
    kept = gate_slide(slide, "en").text
    assert "Hash Join" in kept and "Sort Merge Join" in kept and "Nested Loop" in kept
    quote = lecture(
        [("Motto", '"Premature optimization is the root of all evil"\n— Donald Knuth\nRule one')]
    ).slides[0]
    assert gate_slide(quote, "en").text.split() == ["Rule", "one"]


def test_a_commutative_law_is_no_pair_of_merged_columns() -> None:
    from workers.generation.gate import merged_columns

    assert not merged_columns("a + b = b + a")
    assert not merged_columns("x y = y x for all x, y")
    assert merged_columns("general to specific specific to general")
