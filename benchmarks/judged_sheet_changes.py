"""Which blind-judged cheat-sheet entries a branch removes, and which entries it adds, on the dev split.

    .venv/bin/python benchmarks/judged_sheet_changes.py BASE.json BRANCH.json [--new OUT.json]
        [--items benchmarks/results/session13/judge_items_dev_sheet.json]
        [--verdicts benchmarks/results/session13/judged_dev_sheet.json]

BASE.json and BRANCH.json are two ``study_quality.py --split dev --out`` exports of one run moment (main's
commit and the branch). Entries are matched by (deck, text). A judged entry counts as invalid (valid: no), not
worth keeping (valid, worth_keeping: no) or good; figure entries ("Figure: ...", any language) are left out
(judged without their pictures). Printed: the judged entries the branch no longer makes, by class, with
their ids; the entries it makes that main does not (new or changed text), which ``--new`` writes in the
export's form with ``page`` and ``kind`` for a blind judge; coverage on both.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results" / "session13"
FIGURE = re.compile(r"^(?:Figure|Figura|Рисунок|Abbildung|图|चित्र)\s*:")


def _sheet(path: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return data, [i for i in data["items"] if i["type"] == "cheatsheet"]


def _cls(verdict: dict[str, Any]) -> str:
    if verdict["valid"] != "yes":
        return "invalid"
    return "not_worth" if verdict["worth_keeping"] != "yes" else "good"


def main() -> int:
    form = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=form)
    parser.add_argument("base")
    parser.add_argument("branch")
    parser.add_argument("--items", default=str(RESULTS / "judge_items_dev_sheet.json"))
    parser.add_argument("--verdicts", default=str(RESULTS / "judged_dev_sheet.json"))
    parser.add_argument("--new", help="write the branch's new entries here (for a blind judge)")
    args = parser.parse_args()
    base, base_items = _sheet(args.base)
    branch, branch_items = _sheet(args.branch)
    judged = json.loads(Path(args.items).read_text(encoding="utf-8"))
    verdicts = json.loads(Path(args.verdicts).read_text(encoding="utf-8"))
    made = {(i["deck"], i["text"]) for i in branch_items}
    before = {(i["deck"], i["text"]) for i in base_items}
    totals: dict[str, int] = {"invalid": 0, "not_worth": 0, "good": 0}
    removed: dict[str, list[str]] = {k: [] for k in totals}
    for item in judged:
        if FIGURE.match(item["text"]):
            continue
        cls = _cls(verdicts[item["id"]])
        totals[cls] += 1
        if (item["deck"], item["text"]) not in made:
            removed[cls].append(item["id"])
            print(f"removed {cls:9} {item['id']:5} {item['text'][:100]}")
    for cls, n in totals.items():
        print(f"{cls}: {len(removed[cls])} of {n} removed {removed[cls]}")
    new = [i for i in branch_items if (i["deck"], i["text"]) not in before]
    for i in new:
        print(f"new  {i['deck'][:24]:24} {i['text'][:110]}")
    print(f"new or changed entries: {len(new)}")
    print(f"coverage: main {base['summary']['coverage']}  branch {branch['summary']['coverage']}")
    if args.new:
        out = [{"deck": i["deck"], "page": i["slide"], "kind": "cheatsheet", **i} for i in new]
        Path(args.new).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
