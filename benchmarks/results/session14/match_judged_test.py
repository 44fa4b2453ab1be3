"""Reuse every earlier blind test verdict for a study_quality.py test export; list what still needs a judge.

    python benchmarks/results/session14/match_judged_test.py EXPORT.json UNMATCHED.json [NEW_VERDICTS.json]

Verdict pools, matched field for field by ../session12/match_judged.py's `key`, first match wins: the
thirteenth session's figure items judged with their pictures (../session13/items_test_main.json, ids
t<index> -> judged_test_figures.json), its last new item (../session13/items_test_main2.json, ids u<index>
-> judged_last.json), then the tenth session's judged test export (../session10; its figure entries were
judged as text only). Items without a verdict go to UNMATCHED.json with ids v<index> for a new blind judge;
with NEW_VERDICTS.json every item counts. Printed: yes counts per item type, and each pool's matches.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("match_judged", RESULTS / "session12" / "match_judged.py")
assert _spec and _spec.loader
mj = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mj)


def pools() -> list[tuple[str, dict[str, dict[str, Any]]]]:
    """(name, {item key: verdict}) for each earlier judged test export."""
    s10, s13 = RESULTS / "session10", RESULTS / "session13"
    tenth: dict[str, dict[str, Any]] = {}
    seen: Counter[str] = Counter()
    verdicts = mj.load(s10 / "judged_test_main.json")
    for item in mj.load(s10 / "items_test_main.json")["items"]:
        kind = item["type"]
        tenth.setdefault(mj.key(item), verdicts[f"{mj.PREFIX[kind]}-{seen[kind]}"])
        seen[kind] += 1
    out = []
    for name, items, judged, prefix in (
        ("session13 figures", "items_test_main.json", "judged_test_figures.json", "t"),
        ("session13 last", "items_test_main2.json", "judged_last.json", "u"),
    ):
        verdicts = mj.load(s13 / judged)
        pool = {
            mj.key(item): verdicts[f"{prefix}{i}"]
            for i, item in enumerate(mj.load(s13 / items)["items"])
            if f"{prefix}{i}" in verdicts
        }
        out.append((name, pool))
    return [*out, ("session10", tenth)]  # figure items judged with their pictures come first


def main(argv: list[str]) -> int:
    new = mj.load(argv[1])["items"]
    merged: dict[str, dict[str, Any]] = {}
    origin: dict[str, str] = {}
    for name, pool in pools():
        for k, verdict in pool.items():
            if k not in merged:
                merged[k], origin[k] = verdict, name
    source = Counter(origin[mj.key(item)] for item in new if mj.key(item) in merged)
    new_verdicts = mj.load(argv[3]) if len(argv) > 3 else {}
    unmatched, per = mj.tally(new, merged, new_verdicts, "v")
    with open(argv[2], "w", encoding="utf-8") as fh:
        json.dump(unmatched, fh, ensure_ascii=False, indent=1)
    print(f"items {len(new)}, earlier verdicts {dict(source)}, without one {len(unmatched)}")
    for kind, counts in sorted(per.items()):
        n = counts["n"]
        print(kind, n, " ".join(f"{c} {counts[c]} ({counts[c] / max(n, 1):.0%})" for c in mj.CRITERIA))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
