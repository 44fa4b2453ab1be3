"""benchmarks/line_roles_llm.py, session 18: the stratified sample, the constrained pick, the fallback and
veto combinations and their scores, on items the test makes (no model, no deck)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import line_roles_llm as llm_roles
from line_roles_llm import (
    Item,
    calibrate,
    fallback,
    load_lines,
    pick,
    pick_binary,
    position,
    scores,
    stratified_sample,
    veto,
)


def item(deck: str, page: int, index: int, gold: str, rules: str = "body") -> Item:
    return Item(deck, page, index, f"{deck} {page} {index}", gold, rules, "", "", "", "line 1 of 1")


def pool() -> list[Item]:
    items = [item(f"d{d}", 1, k, "body") for d in range(3) for k in range(10)]  # 30 body lines, 3 decks
    items += [item("d0", 2, k, "footer") for k in range(4)]  # a rare role: all of it is taken
    items += [item(f"d{d}", 3, k, "title") for d in range(2) for k in range(8)]
    return items


def test_sample_caps_each_role_and_takes_every_line_of_a_rare_role() -> None:
    sample = stratified_sample(pool(), per_role=6, max_total=100, seed=1)
    roles = [i.gold for i in sample]
    assert roles.count("body") == 6 and roles.count("title") == 6 and roles.count("footer") == 4


def test_sample_draws_round_robin_over_the_decks() -> None:
    sample = stratified_sample(pool(), per_role=6, max_total=100, seed=1)
    body_decks = sorted(i.deck for i in sample if i.gold == "body")
    assert body_decks == ["d0", "d0", "d1", "d1", "d2", "d2"]
    title_decks = sorted(i.deck for i in sample if i.gold == "title")
    assert title_decks == ["d0"] * 3 + ["d1"] * 3


def test_sample_is_fixed_by_the_seed_not_by_the_input_order() -> None:
    items = pool()
    first = stratified_sample(items, per_role=5, seed=7)
    assert stratified_sample(list(reversed(items)), per_role=5, seed=7) == first
    others = [stratified_sample(items, per_role=5, seed=s) for s in range(8, 14)]
    assert any(o != first for o in others)


def test_sample_lowers_the_cap_to_the_total() -> None:
    sample = stratified_sample(pool(), per_role=12, max_total=12, seed=1)
    roles = [i.gold for i in sample]
    assert len(sample) <= 12 and roles.count("body") == roles.count("title") == roles.count("footer") == 4


def test_pick_takes_the_highest_log_probability_and_breaks_ties_by_table_order() -> None:
    assert pick({"body": -3.0, "meta": -1.0, "title": -2.0}) == "meta"
    assert pick({"meta": -1.0, "title": -1.0}) == "title"


def test_calibration_removes_an_answers_prior() -> None:
    # "table" is the model's favourite on every line; what the line moves is "body" on the second line
    lps = [{"table": -1.0, "body": -5.0}, {"table": -1.0, "body": -2.0}, {"table": -1.0, "body": -5.0}]
    assert [pick(lp) for lp in lps] == ["table", "table", "table"]
    assert [pick(lp) for lp in calibrate(lps)] == ["table", "body", "table"]


def test_the_binary_answer_becomes_body_or_a_dropped_role() -> None:
    assert pick_binary({"content": -1.0, "boilerplate": -2.0}) == "body"
    assert pick_binary({"content": -3.0, "boilerplate": -2.0}) == "footer"


def test_saved_lines_load_back_as_sample_and_log_probabilities(tmp_path: Path) -> None:
    a, b = item("d0", 1, 0, "title", "title"), item("d1", 2, 3, "footer", "footer")
    rows = [
        {**a.__dict__, "zero": {"pick": "title", "logprobs": {"title": -1.0}}},
        {**b.__dict__, "zero": None},
    ]
    path = tmp_path / "lines.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    sample, results = load_lines(path)
    assert sample == [a, b] and results == {"zero": [{"title": -1.0}, None]}


def test_fallback_changes_only_body_and_veto_only_a_drop_to_content() -> None:
    assert fallback("body", "definition") == "definition"
    assert fallback("title", "definition") == "title"
    assert veto("footer", "body") == "body"
    assert veto("footer", "meta") == "footer"
    assert veto("body", "footer") == "body"


def test_scores_macro_f1_accuracy_and_dropped_precision() -> None:
    gold = ["body", "body", "footer", "title"]
    pred = ["body", "footer", "footer", "body"]
    s = scores(gold, pred)
    # body P 1/2 R 1/2 -> 0.5; footer P 1/2 R 1 -> 2/3; title 0
    assert s["macro_f1"] == pytest.approx((0.5 + 2 / 3 + 0.0) / 3)
    assert s["accuracy"] == pytest.approx(0.5)
    assert (s["dropped"], s["content_dropped"]) == (2, 1)
    assert s["dropped_precision"] == pytest.approx(0.5) and s["dropped_recall"] == pytest.approx(1.0)


def test_position_names_the_first_and_last_lines() -> None:
    assert position(0, [0, 2, 5]) == "line 1 of 3, first"
    assert position(2, [0, 2, 5]) == "line 2 of 3"
    assert position(4, [4]) == "line 1 of 1, first and last"


def test_the_few_shot_prefix_extends_the_zero_shot_one_with_every_role() -> None:
    zero, few = llm_roles.system_prompt("zero"), llm_roles.system_prompt("few")
    assert few.startswith(zero)
    assert all(f"Role: {r}" in few for r in llm_roles.ROLES)
    assert "content or boilerplate" in llm_roles.system_prompt("binary")


def test_the_test_split_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["line_roles_llm.py", "--split", "test"])
    with pytest.raises(SystemExit) as exc:
        llm_roles.main()
    assert exc.value.code == 2
