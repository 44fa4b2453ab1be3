"""Reuse this session's blind dev verdicts for a study_quality.py dev export; list what needs a judge.

    python benchmarks/results/session13/match_judged_dev.py EXPORT.json UNMATCHED_OUT.json [NEW_VERDICTS.json]

An item of EXPORT.json that equals, field for field (concepts_named, boilerplate_found, split, crop paths
left out), an item judged on main 63893f9 (judge_items_dev_sheet.json / judge_items_dev_quiz_cards.json) takes
that verdict; a figure entry takes the verdict of the judge who opened its picture (judged_dev_figures.json).
The others go to UNMATCHED_OUT.json with ids n<index> for a new blind judge; with NEW_VERDICTS.json every item
counts. Printed: yes counts per item type, and the judged items of main that the export no longer has.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "session12"))
import match_judged  # noqa: E402
from match_judged import load, tally  # noqa: E402

IGNORED = {"concepts_named", "boilerplate_found", "split", "figure_images", "id"}  # the judge files carry ids


def key(item: dict[str, Any]) -> str:
    return match_judged.key(item, IGNORED)


def main(argv: list[str]) -> int:
    verdicts: dict[str, dict[str, Any]] = {}
    figures = load(HERE / "judged_dev_figures.json")
    for items, judged in (
        ("judge_items_dev_sheet.json", "judged_dev_sheet.json"),
        ("judge_items_dev_quiz_cards.json", "judged_dev_quiz_cards.json"),
    ):
        old_verdicts = load(HERE / judged)
        for item in load(HERE / items):
            verdicts.setdefault(key(item), figures.get(item["id"]) or old_verdicts[item["id"]])
    new = load(argv[1])["items"]
    new_verdicts = load(argv[3]) if len(argv) > 3 else {}
    unmatched, per = tally(new, verdicts, new_verdicts, "n", IGNORED)
    seen = {key(item) for item in new}
    with open(argv[2], "w", encoding="utf-8") as fh:
        json.dump(unmatched, fh, ensure_ascii=False, indent=1)
    gone = [k for k in verdicts if k not in seen]
    print(f"items {len(new)}, unmatched {len(unmatched)}, judged items of main gone {len(gone)}")
    for kind, counts in sorted(per.items()):
        print(kind, dict(counts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
