"""Every blind test verdict so far for a study_quality.py test export; list what still needs a judge.

    python benchmarks/results/session16/match_judged_test.py EXPORT.json UNMATCHED.json [NEW_VERDICTS.json]

Pools, first match wins: this session's judged test items (judge_items_test.json / judged_test.json beside
this script, when present), session 15's (its 25 items judged blind), then session 14's pools
(../session14/match_judged_test.py: sessions 13 and 10). Judges since session 15 write booleans; they are
counted as "yes"/"no" like the older verdicts. Unmatched items get ids v<index>.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _load(name: str, path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


s14 = _load("s14_match_test", HERE.parent / "session14" / "match_judged_test.py")
s15 = _load("s15_match", HERE.parent / "session15" / "match_judged.py")
mj = s14.mj
_earlier = s14.pools  # sessions 13 and 10


def _pair(items: Path, judged: Path) -> dict[str, dict[str, Any]]:
    verdicts = json.loads(judged.read_text(encoding="utf-8"))
    return {
        mj.key({k: v for k, v in item.items() if k != "id"}): s15.yes_no(verdicts[item["id"]])
        for item in json.loads(items.read_text(encoding="utf-8"))
        if item["id"] in verdicts
    }


def pools() -> list[tuple[str, dict[str, dict[str, Any]]]]:
    out = []
    for name, folder in (("session16", HERE), ("session15", HERE.parent / "session15")):
        items, judged = folder / "judge_items_test.json", folder / "judged_test.json"
        if items.exists() and judged.exists():
            out.append((name, _pair(items, judged)))
    return [*out, *_earlier()]


def main(argv: list[str]) -> int:
    s14.pools = pools  # session 14's main with these pools
    new_verdicts = json.loads(Path(argv[3]).read_text(encoding="utf-8")) if len(argv) > 3 else {}
    if new_verdicts:
        converted = Path(argv[3]).with_suffix(".yn.json")
        converted_verdicts = {k: s15.yes_no(v) for k, v in new_verdicts.items()}
        converted.write_text(json.dumps(converted_verdicts), encoding="utf-8")
        argv = [*argv[:3], str(converted)]
    return int(s14.main(argv))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
