"""benchmarks/item_validity*.py, the fourteenth session's learned validity score: its table of blind
verdicts (test decks dropped, one row per item with the latest verdict), its threshold rule and its
leave-one-deck-out."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import item_validity_data as data
from item_validity import lodo, threshold
from item_validity_features import sheet_view

VERDICT = {"correct": "yes", "on_key_concept": "yes", "atomic": "yes", "no_boilerplate": "yes"}


def _verdict(valid: bool) -> dict[str, str]:
    yes = "yes" if valid else "no"
    return {**VERDICT, "valid": yes, "worth_keeping": yes}


def _card(deck: str, front: str) -> dict[str, object]:
    return {"deck": deck, "type": "card", "card_kind": "basic", "slide": 1, "front": front, "back": "b"}


def test_the_table_drops_test_decks_and_keeps_the_latest_verdict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    test_deck = sorted(data.TEST_DECKS)[0]
    files = {
        "old/items.json": {"items": [_card("dev.pdf", "Deadlock"), _card(test_deck, "Other")]},
        "old/judged.json": {"cards-0": _verdict(False), "cards-1": _verdict(True)},
        "new/items.json": [{"id": "x1", **_card("dev.pdf", "Deadlock")}],
        "new/judged.json": {"x1": _verdict(True)},
    }
    for rel, content in files.items():
        (tmp_path / rel).parent.mkdir(exist_ok=True)
        (tmp_path / rel).write_text(json.dumps(content), encoding="utf-8")
    monkeypatch.setattr(data, "RESULTS", tmp_path)
    monkeypatch.setattr(
        data,
        "SOURCES",
        [
            (13, 1, "new/items.json", "new/judged.json", "id"),
            (3, 1, "old/items.json", "old/judged.json", "typed"),
        ],
    )
    rows = data.load_rows()
    assert [(r["deck"], r["front"], r["valid"], r["session"]) for r in rows] == [
        ("dev.pdf", "Deadlock", True, 13)
    ]


def test_a_file_named_test_is_never_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(data, "RESULTS", tmp_path)
    with pytest.raises(AssertionError):
        data._load("session9/judged_test_main.json")


def test_the_threshold_maximises_valid_kept_minus_twice_invalid_kept() -> None:
    s = np.array([0.1, 0.2, 0.3, 0.4, 0.5])
    y = np.array([False, False, True, False, True])
    # keep all: 2 - 6 = -4; >= 0.3: 2 - 2 = 0; >= 0.5: 1 - 0 = 1 (best)
    assert threshold(s, y) == 0.5
    assert threshold(s, np.ones(5, dtype=bool)) == 0.0  # nothing to drop: keep all


def test_each_deck_is_kept_by_a_model_and_threshold_fitted_on_the_other_decks() -> None:
    rows, x, y = [], [], []
    for deck in ("a", "b", "c"):
        for i in range(10):
            valid = i % 2 == 0
            rows.append({"deck": deck, "kind": "sheet"})
            x.append([1.0 if valid else 0.0, (i % 3) / 3])
            y.append(valid)
    s, keep = lodo(rows, np.array(x), np.array(y))
    assert keep.tolist() == y
    assert (s[np.array(y)] > 0.5).all()


def test_the_sheet_view_leaves_the_slide_reference_out() -> None:
    assert sheet_view("Deadlock: a cycle of waits (s. 12)", False, 12).text == "Deadlock: a cycle of waits"
