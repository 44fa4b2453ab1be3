"""Reuse earlier blind verdicts for a study_quality.py test export, and list what still needs a judge.

    python benchmarks/results/session12/match_judged.py EXPORT.json UNMATCHED_OUT.json [NEW_VERDICTS.json]

An item of EXPORT.json that equals, field for field (the program's own guesses concepts_named and
boilerplate_found, the split and the crop paths left out), an item of ../session10/items_test_main.json
takes that item's verdict from ../session10/judged_test_main.json (ids sheet-N / quiz-N / cards-N by type
in file order). The others are written to UNMATCHED_OUT.json with ids t<index> for a new blind judge; with
NEW_VERDICTS.json (that judge's {id: verdict}) every item counts. Printed: yes counts per item type.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

S10 = Path(__file__).resolve().parent.parent / "session10"
IGNORED = {"concepts_named", "boilerplate_found", "split", "figure_images"}
PREFIX = {"cheatsheet": "sheet", "quiz": "quiz", "card": "cards"}
CRITERIA = ("valid", "correct", "on_key_concept", "atomic", "no_boilerplate", "worth_keeping")


def key(item: dict[str, Any], ignored: set[str] = IGNORED) -> str:
    return json.dumps({k: v for k, v in item.items() if k not in ignored}, sort_keys=True, ensure_ascii=False)


def load(path: Path | str) -> Any:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def tally(
    new: list[dict[str, Any]],
    verdicts: dict[str, dict[str, Any]],
    new_verdicts: dict[str, dict[str, Any]],
    prefix: str,
    ignored: set[str] = IGNORED,
) -> tuple[list[dict[str, Any]], dict[str, Counter[str]]]:
    """Yes counts per item type of `new`, and its items without a verdict (ids `prefix`<index>)."""
    unmatched: list[dict[str, Any]] = []
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for i, item in enumerate(new):
        verdict = verdicts.get(key(item, ignored))
        if verdict is None:
            shown = {k: v for k, v in item.items() if k not in ignored or k == "figure_images"}
            unmatched.append({"id": f"{prefix}{i}", **shown})
            verdict = new_verdicts.get(f"{prefix}{i}")
        if verdict is None:
            continue
        counts = per[item["type"]]
        counts["n"] += 1
        for criterion in CRITERIA:
            counts[criterion] += verdict[criterion] == "yes"
    return unmatched, per


def main(argv: list[str]) -> int:
    old, old_verdicts = load(S10 / "items_test_main.json")["items"], load(S10 / "judged_test_main.json")
    seen: Counter[str] = Counter()
    verdicts: dict[str, dict[str, Any]] = {}
    for item in old:
        kind = item["type"]
        verdicts.setdefault(key(item), old_verdicts[f"{PREFIX[kind]}-{seen[kind]}"])
        seen[kind] += 1
    new = load(argv[1])["items"]
    new_verdicts = load(argv[3]) if len(argv) > 3 else {}
    unmatched, per = tally(new, verdicts, new_verdicts, "t")
    with open(argv[2], "w", encoding="utf-8") as fh:
        json.dump(unmatched, fh, ensure_ascii=False, indent=1)
    print(f"{len(new)} items, {len(new) - len(unmatched)} matched, {len(unmatched)} to judge")
    for kind, counts in per.items():
        print(kind, dict(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
