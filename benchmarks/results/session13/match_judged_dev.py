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
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "session12"))
from match_judged import CRITERIA, load  # noqa: E402

IGNORED = {"concepts_named", "boilerplate_found", "split", "figure_images", "id"}  # the judge files carry ids


def key(item: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in item.items() if k not in IGNORED}, sort_keys=True, ensure_ascii=False)


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
    unmatched: list[dict[str, Any]] = []
    per: dict[str, Counter[str]] = defaultdict(Counter)
    seen = set()
    for i, item in enumerate(new):
        k = key(item)
        seen.add(k)
        verdict = verdicts.get(k)
        if verdict is None:
            shown = {x: v for x, v in item.items() if x not in IGNORED or x == "figure_images"}
            unmatched.append({"id": f"n{i}", **shown})
            verdict = new_verdicts.get(f"n{i}")
        if verdict is None:
            continue
        counts = per[item["type"]]
        counts["n"] += 1
        for criterion in CRITERIA:
            counts[criterion] += verdict[criterion] == "yes"
    with open(argv[2], "w", encoding="utf-8") as fh:
        json.dump(unmatched, fh, ensure_ascii=False, indent=1)
    gone = [k for k in verdicts if k not in seen]
    print(f"items {len(new)}, unmatched {len(unmatched)}, judged items of main gone {len(gone)}")
    for kind, counts in sorted(per.items()):
        print(kind, dict(counts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
