"""How answers read, by form: repeats and debris in the answers of a qa.py --json run (dev only).

    .venv/bin/python benchmarks/answer_form.py RUN.json [--show]

An answer's units are its sentences (workers.ai.answer.sentences) once the citation labels are removed.
- repeat: one unit with two content words or more of which REPEAT_SHARE (0.8) or more are inside another
  unit of the same answer (either order, across slides too); also counted: only a later unit inside an
  earlier one; and a unit that workers.ai.unit_choice.says_again calls a repeat of an earlier one;
- debris: a unit that workers.ai.unit_choice.debris calls so (fewer than half of its tokens with a letter
  hold a known word), in the answer's language; "ends in debris" when the last unit is one.
Printed: counts of answers with a repeat, with debris, ending in debris; --show lists them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from qa_support import strip_labels  # noqa: E402

from shared.text.language import detect_language  # noqa: E402
from workers.ai import unit_choice  # noqa: E402
from workers.ai.answer import sentences  # noqa: E402
from workers.ai.retrieval import match_terms  # noqa: E402
from workers.ai.unit_choice import REPEAT_SHARE, debris  # noqa: E402


def repeats(units: list[str], later: bool = False) -> list[tuple[str, str]]:
    """Pairs (unit, the other unit that holds REPEAT_SHARE of its content words); ``later``: only a unit
    inside an earlier one."""
    words = [set(match_terms(u)) for u in units]
    out = []
    for i, wi in enumerate(words):
        if len(wi) < 2:
            continue
        for j, wj in enumerate(words):
            if i != j and (j < i or not later) and len(wi & wj) >= REPEAT_SHARE * len(wi):
                out.append((units[i], units[j]))
                break
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("run")
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    text = Path(args.run).read_text(encoding="utf-8")
    rows = (
        json.loads(text) if text.lstrip().startswith("[") else [json.loads(x) for x in text.splitlines() if x]
    )
    n = rep = again = same = junk = last = 0
    for row in rows:
        if not row.get("answered_from_notes"):
            continue
        n += 1
        text = strip_labels(row["answer"])
        units = sentences(text)
        lang = detect_language(text)
        pairs = repeats(units)
        bad = [u for u in units if debris(u, lang)]
        rep += bool(pairs)
        again += bool(repeats(units, later=True))
        same += any(unit_choice.says_again(u, units[:i]) for i, u in enumerate(units))
        junk += bool(bad)
        last += bool(units) and debris(units[-1], lang)
        if args.show and (pairs or bad):
            print(f"--- {row.get('id')} {row.get('question')}")
            for a, b in pairs:
                print(f"  REPEAT {a!r}\n    in {b!r}")
            for u in bad:
                print(f"  DEBRIS {u!r}")
    print(
        f"answered {n}; with a repeat {rep} (a later unit inside an earlier one: {again}; what "
        f"unit_choice.says_again calls a repeat: {same}); "
        f"with debris {junk}; ending in debris {last}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
