"""What workers/generation/cue_checks.py's checks (options of one kind; a term card's class remark) do on
the pooled blind DEV judgments, and the cue signals tried and not kept.

    .venv/bin/python benchmarks/cue_checks.py [--out FILE.json]

The pooled judgments are those of benchmarks/study_checks.py (every blind dev judgment of quiz questions and
cards; an item is bad when the judge rated it not valid or not worth keeping). Counted per judgment and per
distinct item (bad when any judge rated it bad). Each threshold of the check is also chosen leaving one dev
deck out: chosen on the other decks (most bad removed less good lost; ties to the value that removes fewer),
then counted on the deck left out. No test file is read (study_checks refuses any).
Signals tried and not kept (they lose more than one good item per three bad ones):
- a class remark as the cue of any item (quiz stems, clozes, term cards), with a wider list of evaluative
  words ("simple", "basic", "key", "good", ...): the generator keeps it on term cards only, narrower;
- one position of a list cloze with the items after it elided ("Threat types (4): ...; {{c1::...}}; …").
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from study_checks import held_out_choices, item_key, pooled  # noqa: E402

from workers.generation import cue_checks  # noqa: E402

_EVALUATIVE = (
    r"(?:common|commonest|serious|major|main|essential|important|critical|crucial|significant|big|biggest|"
    r"frequent|typical|usual|popular|famous|well-known|good|great|useful|fundamental|central|basic|simple|key)"
)
_CLASS_REMARK = re.compile(
    rf"(?:^|\b(?:is|are|was|were)\s+|defined as:\s*|^what (?:is|are)\s+)"
    rf"(?:(?:a|an|the|one of the|one of)\s+)(?:most\s+|very\s+)?{_EVALUATIVE}\b|\brather than\b",
    re.I,
)
_LIST_CLOZE = re.compile(r"\(\d+\):.*\{\{c\d+::")


def class_remark(item: dict[str, Any]) -> bool:
    """The cue asks for a member of a class many terms belong to (tried, not kept)."""
    if item["type"] == "quiz":
        texts = [] if item["question_kind"] == "true_false" else [item["stem"]]
    else:
        front = re.sub(r"\{\{c\d+::([^{}]*)\}\}", r"\1", item["front"])
        texts = [front, item["back"]] if item["card_kind"] == "basic" else [front]
    return any(_CLASS_REMARK.search(t.strip()) for t in texts)


def elided_list_cloze(item: dict[str, Any]) -> bool:
    """One position of a list, the items after it elided (tried, not kept)."""
    return item["type"] == "card" and bool(_LIST_CLOZE.search(item["front"])) and item["front"].endswith("…")


def card_remark(item: dict[str, Any]) -> bool:
    """The kept check on cards (cue_checks.class_remark)."""
    return (
        item["type"] == "card"
        and cue_checks.class_remark(item["card_kind"], item["front"], item["back"]) is not None
    )


def odd_option(item: dict[str, Any]) -> str | None:
    if item["type"] != "quiz" or item["question_kind"] != "multiple_choice":
        return None
    return cue_checks.odd_option(item["options"], item["key"])


def tally(rows: list[dict[str, Any]], flags: list[bool]) -> dict[str, int]:
    out: Counter[str] = Counter()
    distinct: dict[tuple[Any, ...], tuple[bool, bool]] = {}
    for row, flag in zip(rows, flags, strict=True):
        if flag:
            out["bad_removed" if row["bad"] else "good_lost"] += 1
        was_bad, _ = distinct.get(item_key(row["item"]), (False, False))
        distinct[item_key(row["item"])] = (was_bad or row["bad"], flag)
    for bad, flag in distinct.values():
        if flag:
            out["distinct_bad_removed" if bad else "distinct_good_lost"] += 1
    return dict(out)


def leave_one_deck_out(rows: list[dict[str, Any]], setting: str, grid: list[Any]) -> list[dict[str, Any]]:
    saved = getattr(cue_checks, setting)
    flagged = {}
    try:
        for value in grid:
            setattr(cue_checks, setting, value)
            flagged[value] = [odd_option(r["item"]) is not None for r in rows]
    finally:
        setattr(cue_checks, setting, saved)
    return held_out_choices(rows, flagged, setting, grid, judgments=False)


SETTINGS = {"ODD_LENGTH_RATIO": [2.5, 1.5, 2.0, 3.0, 4.0, 5.0], "ODD_WORD_GAP": [3, 1, 2, 4, 5, 6]}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", help="write the counts and every flagged item here (JSON)")
    args = parser.parse_args()
    rows = pooled()
    reasons = [odd_option(r["item"]) for r in rows]
    result: dict[str, Any] = {
        "judgments": len(rows),
        "bad": sum(r["bad"] for r in rows),
        "multiple_choice": Counter(
            "bad" if r["bad"] else "good" for r in rows if r["item"].get("question_kind") == "multiple_choice"
        ),
        "kept": {
            "odd_option": tally(rows, [x is not None for x in reasons]),
            "class_remark_term_cards": tally(rows, [card_remark(r["item"]) for r in rows]),
        },
        "by_reason": {
            name: tally(rows, [x == name for x in reasons]) for name in sorted({x for x in reasons if x})
        },
        "not_kept": {
            "class_remark": tally(rows, [class_remark(r["item"]) for r in rows]),
            "elided_list_cloze": tally(rows, [elided_list_cloze(r["item"]) for r in rows]),
        },
        "leave_one_deck_out": {name: leave_one_deck_out(rows, name, grid) for name, grid in SETTINGS.items()},
    }
    result["flagged"] = [
        {
            "version": r["version"],
            "deck": r["item"]["deck"],
            "text": r["item"].get("stem") or r["item"].get("front"),
            "key": r["item"].get("key") or r["item"].get("back"),
            "options": r["item"].get("options"),
            "bad": r["bad"],
            "checks": [
                name
                for name, hit in (
                    (reason, reason is not None),
                    ("class_remark_term_card", card_remark(r["item"])),
                    ("class_remark_any_item", class_remark(r["item"])),
                    ("elided_list_cloze", elided_list_cloze(r["item"])),
                )
                if hit
            ],
        }
        for r, reason in zip(rows, reasons, strict=True)
        if reason or class_remark(r["item"]) or elided_list_cloze(r["item"])
    ]
    print(json.dumps({k: v for k, v in result.items() if k != "flagged"}, indent=1))
    if args.out:
        Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
