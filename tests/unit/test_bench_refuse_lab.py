"""benchmarks/qa_refuse_*.py, the tenth session's refusal lab: its leave-one-deck-out choice, its stand-in for
main's rule, and the OCR-like damage of its stress test."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))  # a site package is also named
from qa_refuse_eval import lodo
from qa_refuse_lab import garble
from qa_refuse_rules import main_rule

from workers.ai import refusal
from workers.ai.retrieval import is_cjk, mostly_latin, own_language


def _item(deck: str, answerable: bool) -> dict[str, object]:
    return {"deck": deck, "answerable": answerable}


def _row(x: float) -> dict[str, object]:
    return {"x": x, "cites": True, "only": True, "key": True}


def test_each_deck_is_scored_with_the_setting_chosen_on_the_other_decks() -> None:
    # Deck a's answerable questions sit at 0.3; on decks b and c only off-topic ones do. Chosen on b and c,
    # the floor is 0.5 (it refuses their off-topic questions and keeps their answerable ones), which then
    # refuses all of a's questions: the held-out figure shows it; on all three decks at once 0.2 is best.
    items, rows = {}, {}
    for n in range(4):
        items[f"a{n}"], rows[f"a{n}"] = _item("a_deck", True), _row(0.3)
    for deck in ("b_deck", "c_deck"):
        for n in range(4):
            items[f"{deck}-ans{n}"], rows[f"{deck}-ans{n}"] = _item(deck, True), _row(0.9)
            items[f"{deck}-off{n}"], rows[f"{deck}-off{n}"] = _item(deck, False), _row(0.3)
    pooled, choice, best, _ = lodo(items, rows, lambda r, p: r["x"] >= p["t"], [{"t": 0.2}, {"t": 0.5}])
    assert choice["a"] == {"t": 0.5}
    assert pooled["n_false"] == 4  # a's four questions, refused by the floor chosen without them
    assert best["setting"] == {"t": 0.2}  # in-sample: a false refusal costs twice an off-topic answer


QUESTIONS = [
    "What is a recurrent neural network?",
    "Что такое молекулярный граф?",
    "गिल्लू कौन था?",
    "什么是物种形成?",
]


@pytest.mark.parametrize("question", QUESTIONS)
@pytest.mark.parametrize("notes_language", ["en", "ru", "hi"])
def test_the_labs_stand_in_decides_as_refusal_decide(question: str, notes_language: str) -> None:
    for cov in (0.0, 0.25, 0.35, 0.5, 0.8):
        for sim in (0.1, 0.3, 0.4, 0.52, 0.57, 0.62, 0.7):
            for rarest in (1.0, 3.0, 4.0, 9.0):
                missing = [("word", rarest)] if rarest < 9 else []
                f = refusal.Features(cov, sim, missing, notes_language)
                row = {
                    "cov": cov,
                    "sim": sim,
                    "fuzzy": [(w, z, 0.0) for w, z in missing],
                    "cjk": is_cjk(question),
                    "own": own_language(question, notes_language),
                    "latin": mostly_latin(question),
                }
                assert main_rule(row, {}) == refusal.decide(f, question), (cov, sim, rarest)


def test_garble_damages_words_of_four_letters_or_more_and_typed_damage_is_alike_everywhere() -> None:
    vocabulary = ["validation", "estimator", "bootstrap", "recurrent", "network", "channel", "set"]
    text = " ".join(vocabulary * 20)
    assert garble(text, 0.0, random.Random(1)) == text
    typed = garble(text, 1.0, random.Random(1), typed=True).split()
    forms = {w: {typed[i] for i in range(n, len(typed), len(vocabulary))} for n, w in enumerate(vocabulary)}
    assert all(len(f) == 1 for f in forms.values())  # one misreading of a word, everywhere
    assert forms["set"] == {"set"}  # short words are left alone
    assert sum(f != {w} for w, f in forms.items()) >= 4  # (a letter with no look-alike may stay as it was)
    loose = garble(text, 1.0, random.Random(1)).split()
    assert len({loose[i] for i in range(0, len(loose), len(vocabulary))}) > 1  # per occurrence: it differs
