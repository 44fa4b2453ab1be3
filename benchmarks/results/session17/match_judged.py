"""Every blind dev verdict so far (this session's judges first, then session 16's pool, which holds every
earlier one) for a study_quality.py dev export, of the decks or of their image-only copies; list what still
needs a judge.

    python benchmarks/results/session17/match_judged.py EXPORT.json UNMATCHED.json [NEW_VERDICTS.json]

This session's judge files are the pairs judge_items_<name>.json / judged_<name>.json beside this script
(dev and scanned copies only; the test split's verdicts are matched by match_judged_test.py).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("s16_match", HERE.parent / "session16" / "match_judged.py")
assert _spec is not None and _spec.loader is not None
s16 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(s16)


def pool() -> dict[str, dict[str, Any]]:
    """This session's verdicts first, then session 16's pool."""
    mine = [
        (items, HERE / f"judged_{items.name.removeprefix('judge_items_')}")
        for items in sorted(HERE.glob("judge_items_*.json"))
        if "test" not in items.name and (HERE / f"judged_{items.name.removeprefix('judge_items_')}").exists()
    ]
    verdicts = s16.s15.s14.pool(mine, s16.s15.yes_no)
    for k, v in s16.pool().items():
        verdicts.setdefault(k, v)
    return verdicts


def main(argv: list[str]) -> int:
    return int(s16.s15.s14.main(argv, pool()))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
