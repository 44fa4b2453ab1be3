"""What workers/generation/quiz_keys.py's three rules remove from the pooled blind DEV judgments.

    .venv/bin/python benchmarks/quiz_keys_checks.py [DIR] [--out FILE.json]

The judged dev quiz questions of benchmarks/study_checks.py (session 3 and 6 rounds), joined to their
lecture as the product reads it now: per rule, the judged-invalid (bad) and judged-valid (good) questions it
removes. parent_option and spliced_lines are item checks (source_checks.quiz_problems with the lecture's
topics); leaks is a quiz-level rule, replayed on each judged round's whole quiz of a deck in its order (the
later of two questions is dropped). No test file is read (study_checks refuses one).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from study_checks import JUDGED, _load, materials, pooled, quiz_question  # noqa: E402


def main() -> int:
    from workers.generation.quiz_forms import FILL_FRAMES, TF_FRAMES, body
    from workers.generation.quiz_keys import parent_option_problem, spliced_problem, without_leaks
    from workers.generation.source_checks import lecture_topics

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dir", nargs="?", default=str(ROOT.parents[1] / "shared" / "corpus"))
    parser.add_argument("--out")
    args = parser.parse_args()
    rows = [r for r in pooled() if r["item"]["type"] == "quiz"]
    mats = materials(Path(args.dir), sorted({r["item"]["deck"] for r in rows}))
    dropped: dict[str, set[tuple[str, str]]] = defaultdict(set)  # rule -> (version, item as JSON)
    for version, items_file, _ in JUDGED:
        by_deck: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for item in _load(items_file)["items"]:
            if item["type"] == "quiz":
                by_deck[item["deck"]].append(item)
        for deck, items in by_deck.items():
            if deck not in mats:
                continue
            qs = [quiz_question(i) for i in items]
            kept = {id(q) for q in without_leaks(qs, mats[deck][1])}
            for item, q in zip(items, qs, strict=True):
                if id(q) not in kept:
                    dropped["leaks"].add((version, json.dumps(item, sort_keys=True)))
    out: dict[str, Any] = {}
    flagged = []
    for r in rows:
        item = r["item"]
        lecture, lang = mats[item["deck"]]
        slide = next((s for s in lecture.slides if s.ref.page == item["slide"]), None)
        found = []
        if parent_option_problem(
            item["question_kind"], item["options"], item["key"], lecture_topics(lecture), lang
        ):
            found.append("parent_option")
        statement = body(body(item["stem"], TF_FRAMES), FILL_FRAMES)
        if item["question_kind"] == "true_false" and spliced_problem(slide, statement):
            found.append("spliced_lines")
        if (r["version"], json.dumps(item, sort_keys=True)) in dropped["leaks"]:
            found.append("leaks")
        for name in found:
            c = out.setdefault(name, {"bad_removed": 0, "good_lost": 0})
            c["bad_removed" if r["bad"] else "good_lost"] += 1
        if found:
            flagged.append(
                {
                    "version": r["version"],
                    "deck": item["deck"],
                    "slide": item["slide"],
                    "stem": item["stem"],
                    "options": item["options"],
                    "key": item["key"],
                    "bad": r["bad"],
                    "rules": found,
                    "reason": r["judgment"].get("reason") or r["judgment"].get("notes"),
                }
            )
    result = {"judged_quiz": len(rows), "bad": sum(r["bad"] for r in rows), "rules": out, "flagged": flagged}
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if args.out:
        Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
