"""Every blind dev verdict so far (this session's judges first, then session 14's pool) for a
study_quality.py dev export, of the decks or of their image-only copies (``--scanned``: items are
scored as their source deck, so one pool serves both); list what still needs a judge.

    python benchmarks/results/session15/match_judged.py EXPORT.json UNMATCHED.json [NEW_VERDICTS.json]
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# session 14's matcher imports session 13's under the same module name: load it under its own
_spec = importlib.util.spec_from_file_location("s14_match", HERE.parent / "session14" / "match_judged_dev.py")
assert _spec is not None and _spec.loader is not None
s14 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(s14)
s13 = s14.s13
PAIRS = [
    (HERE / "judge_items_scan_final.json", HERE / "judged_scan_final.json"),
    (HERE / "judge_items_scan-study.json", HERE / "judged_scan-study.json"),
    (HERE / "judge_items_scan.json", HERE / "judged_scan.json"),
]


def yes_no(verdict: dict[str, Any]) -> dict[str, Any]:
    """This session's judges wrote true/false where earlier ones wrote "yes"/"no"."""
    return {k: ("yes" if v else "no") if isinstance(v, bool) else v for k, v in verdict.items()}


def pool() -> dict[str, dict[str, Any]]:
    """This session's verdicts first, then session 14's pool (every earlier dev verdict)."""
    verdicts = s14.pool(PAIRS, yes_no)
    for k, v in s14.pool().items():
        verdicts.setdefault(k, v)
    return verdicts


def main(argv: list[str]) -> int:
    return int(s14.main(argv, pool()))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
