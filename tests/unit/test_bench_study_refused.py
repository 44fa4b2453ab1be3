"""benchmarks/study_refused.py: the judge sample's quotas per gate and its cap per deck."""

from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from study_refused import quotas, spread, stratified, stratum


def _records(spec: dict[tuple[str, str], int], rendered: bool = True) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for (gate, deck), n in spec.items():
        for i in range(n):
            item = {"type": "card", "front": f"{gate} {deck} {i}", "back": "b"} if rendered else None
            out.append({"deck": deck, "gate": gate, "item": item})
    return out


def test_quotas_give_each_gate_its_least_and_the_rest_in_proportion() -> None:
    got = quotas({"big": 200, "mid": 40, "small": 5, "rare": 2}, 30, 4)
    assert got["small"] == 4 and got["rare"] == 0  # 4 from a gate with 4 or more, none promised below
    assert sum(got.values()) == 30
    assert got["big"] > got["mid"] > got["small"]  # the rest follows what each gate has beyond its 4


def test_quotas_never_ask_a_gate_for_more_than_it_has() -> None:
    got = quotas({"a": 4, "b": 5}, 90, 4)
    assert got == {"a": 4, "b": 5}


def test_quotas_keep_the_least_when_the_gates_outnumber_the_sample() -> None:
    got = quotas({f"g{i}": 10 for i in range(30)}, 90, 4)
    assert all(v == 4 for v in got.values())  # 120: the least per gate wins over the total


def test_sample_meets_quotas_and_caps_each_deck() -> None:
    records = _records({("big", "d1"): 300, ("big", "d2"): 20, ("mid", "d1"): 30, ("small", "d3"): 6})
    sample = stratified(records, 40, random.Random(1), least=4, per_deck=15)
    decks = Counter(r["deck"] for r in sample)
    gates = Counter(r["gate"] for r in sample)
    assert max(decks.values()) <= 15
    assert gates["small"] >= 4 and gates["mid"] >= 4  # a deck's big gate does not crowd out the others
    assert len({id(r) for r in sample}) == len(sample)  # no item twice


def test_sample_leaves_out_what_cannot_be_shown_and_is_reproducible() -> None:
    records = _records({("g", "d1"): 10, ("h", "d2"): 10}) + _records({("x", "d1"): 50}, rendered=False)
    first = stratified(records, 8, random.Random(3))
    again = stratified(records, 8, random.Random(3))
    assert all(r["item"] is not None for r in first)
    assert [r["item"] for r in first] == [r["item"] for r in again]


def test_stratum_groups_a_quiz_check_across_builders_and_cuts_card_stages() -> None:
    assert stratum("quiz", "build:tf_point", ["statement_problem"]) == "quiz:build:statement_problem"
    assert stratum("quiz", "build:fill_point", []) == "quiz:build:fill_point"  # nothing shown: by builder
    assert stratum("card", "def:term_form:term:phrase", []) == "card:def:term_form:term"
    assert stratum("quiz", "keep:key_in_stem", []) == "quiz:keep:key_in_stem"


def test_spread_gives_a_deck_to_the_gate_that_has_no_other() -> None:
    records = _records({("only_x", "x"): 10, ("both", "x"): 10, ("both", "y"): 10})
    pools: dict[str, list[dict[str, object]]] = {"only_x": records[:10], "both": records[10:]}
    flow = spread({"only_x": 4, "both": 4}, pools, 4)  # deck x holds 4: "both" must go to y
    assert flow == {("only_x", "x"): 4, ("both", "y"): 4}
    sample = stratified(records, 8, random.Random(0), least=4, per_deck=4)
    assert Counter(r["gate"] for r in sample) == {"only_x": 4, "both": 4}
