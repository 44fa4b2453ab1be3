"""Every blind dev verdict so far for a study_quality.py dev export; list what still needs a judge.

    python benchmarks/results/session14/match_judged_dev.py EXPORT.json UNMATCHED.json [NEW_VERDICTS.json]

Pools, first match wins, so an item judged again this session takes the newer verdict (field for field,
as ../session13/match_judged_dev.py's `key`): this session's judge files (gate-relax's new items g*, the
refused-audit's and key-term sample's items r* / k*), the thirteenth session's last judges
(judge_items_dev_final.json n*, judge_items_last.json d*), its figure re-judge and its first judges of main
63893f9. Items without a verdict go to UNMATCHED.json (ids w<index>).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "session13"))
import match_judged_dev as s13  # noqa: E402

PAIRS = [
    (HERE / "new_items_gate-relax.json", HERE / "judged_new_items_gate-relax.json"),
    (HERE / "judge_items_refused.json", HERE / "judged_refused.json"),
    (HERE / "judge_items_keyterm.json", HERE / "judged_keyterm.json"),
    (s13.HERE / "judge_items_dev_final.json", s13.HERE / "judged_dev_final.json"),
    (s13.HERE / "judge_items_last.json", s13.HERE / "judged_last.json"),
    (s13.HERE / "judge_items_dev_figures.json", s13.HERE / "judged_dev_figures.json"),
    (s13.HERE / "judge_items_dev_sheet.json", s13.HERE / "judged_dev_sheet.json"),
    (s13.HERE / "judge_items_dev_quiz_cards.json", s13.HERE / "judged_dev_quiz_cards.json"),
]
SHOWN_ONLY = {"page", "kind"}  # fields the judge files add to the export's item


def pool(
    pairs: list[tuple[Path, Path]] = PAIRS, convert: Any = lambda verdict: verdict
) -> dict[str, dict[str, Any]]:
    """Verdicts by item key, the first pair's first (``convert`` maps a judge file's verdict)."""
    verdicts: dict[str, dict[str, Any]] = {}
    for items, judged in pairs:
        found = s13.load(judged)
        for item in s13.load(items):
            if item.get("id") in found:
                shown = {k: v for k, v in item.items() if k not in SHOWN_ONLY}
                verdicts.setdefault(s13.key(shown), convert(found[item["id"]]))
    return verdicts


def main(argv: list[str], verdicts: dict[str, dict[str, Any]] | None = None) -> int:
    new = s13.load(argv[1])["items"]
    verdicts = pool() if verdicts is None else verdicts
    matched = Counter(item["type"] for item in new if s13.key(item) in verdicts)
    unmatched, per = s13.tally(new, verdicts, s13.load(argv[3]) if len(argv) > 3 else {}, "w", s13.IGNORED)
    with open(argv[2], "w", encoding="utf-8") as fh:
        json.dump(unmatched, fh, ensure_ascii=False, indent=1)
    print(f"items {len(new)}, with a verdict {dict(matched)}, without {len(unmatched)}")
    for kind, counts in sorted(per.items()):
        print(kind, dict(counts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
