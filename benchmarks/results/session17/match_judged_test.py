"""Every blind test verdict so far for a study_quality.py test export; list what still needs a judge.

    python benchmarks/results/session17/match_judged_test.py EXPORT.json UNMATCHED.json [NEW_VERDICTS.json]

Pools, first match wins: this session's judged test items (judge_items_test.json / judged_test.json beside
this script, when present), then session 16's pools (sessions 16, 15, 13 and 10). Unmatched items get ids
v<index>.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
_S16 = HERE.parent / "session16" / "match_judged_test.py"
_spec = importlib.util.spec_from_file_location("s16_match_test", _S16)
assert _spec is not None and _spec.loader is not None
s16 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(s16)
_earlier = s16.pools


def pools() -> list[tuple[str, dict[str, dict[str, Any]]]]:
    items, judged = HERE / "judge_items_test.json", HERE / "judged_test.json"
    mine = [("session17", s16._pair(items, judged))] if items.exists() and judged.exists() else []
    return [*mine, *_earlier()]


def main(argv: list[str]) -> int:
    s16.pools = pools  # session 16's main with these pools
    return int(s16.main(argv))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
