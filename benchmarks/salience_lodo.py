"""The salience threshold of quiz questions and cards (workers/generation/salience.py) chosen leaving one dev
deck out (issue #14, eighth session).

    .venv/bin/python benchmarks/salience_lodo.py record --dir OUT [--values 0 0.3 0.4 ...]
    .venv/bin/python benchmarks/salience_lodo.py report --dir OUT [--baseline BEFORE.json]

``record`` runs benchmarks/study_quality.py --split dev once per threshold (MIN_SALIENCE set in-process; 0
ranks items without dropping any), writing OUT/t=<value>.json. ``report`` chooses, for every dev deck, the
threshold with the best OBJECTIVE on the other nine decks, scores the held-out deck with it and pools the ten
held-out decks; it prints the in-sample curve too.

OBJECTIVE, fixed before any run ("fewer right things beat more wrong ones"): J = items on a key concept - 2 x
items on none (quiz questions and cards pooled, automatic study_quality scoring). Ties go to the lower
threshold.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

VALUES = [0.0, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6]
CORPUS: list[str] = []  # the corpus directory, when given (--corpus)


class _Skipped(Exception):
    code = "SKIPPED"


def record(out: Path, values: list[float], floors: list[str]) -> None:
    """The quiz and the cards per threshold; the cheat sheet, which salience does not touch, is skipped."""
    import study_quality

    from workers.generation import salience, service

    real = service.run

    def run(env: Any, **kw: Any) -> Any:
        if kw["params"]["kind"] == "cheatsheet":
            raise _Skipped
        return real(env, **kw)

    service.run = run

    out.mkdir(parents=True, exist_ok=True)
    for floor in floors:
        least, share = floor.split("-")
        salience.FLOOR_MIN, salience.FLOOR_SHARE = int(least), float(share)
        for v in values:
            salience.MIN_SALIENCE = v
            name = f"t={v},f={floor}.json"
            sys.argv = ["study_quality.py", "--split", "dev", "--out", str(out / name), *CORPUS]
            print(f"== MIN_SALIENCE={v} floor {floor}", flush=True)
            study_quality.main()


def counts(row: dict[str, Any]) -> tuple[int, int]:
    """(on a key concept, on none) over a deck's quiz questions and cards."""
    on = off = 0
    for n, share in ((row["questions"], row["quiz_on_concept"]), (row["cards"], row["cards_on_concept"])):
        hit = round((share or 0.0) * n)
        on, off = on + hit, off + n - hit
    return on, off


def objective(rows: list[dict[str, Any]]) -> int:
    on = sum(counts(r)[0] for r in rows)
    off = sum(counts(r)[1] for r in rows)
    return on - 2 * off


def pooled(rows: list[dict[str, Any]]) -> dict[str, Any]:
    q = sum(r["questions"] for r in rows)
    c = sum(r["cards"] for r in rows)
    q_on = sum(round((r["quiz_on_concept"] or 0) * r["questions"]) for r in rows)
    c_on = sum(round((r["cards_on_concept"] or 0) * r["cards"]) for r in rows)
    return {
        "questions": q,
        "quiz_on": round(q_on / q, 3) if q else None,
        "cards": c,
        "cards_on": round(c_on / c, 3) if c else None,
        "boilerplate": sum(r["boilerplate_items"] for r in rows),
    }


def _name(v: tuple[float, int, float]) -> str:
    return f"t={v[0]} floor={-v[1]}-{-v[2]}"


def report(out: Path, baseline: Path | None) -> None:
    runs: dict[tuple[float, int, float], dict[str, dict[str, Any]]] = {}
    for f in sorted(out.glob("t=*.json")):
        t, floor = f.stem.split(",f=") if ",f=" in f.stem else (f.stem, "3-0.25")
        least, share = floor.split("-")
        v = (float(t.split("=", 1)[1]), -int(least), -float(share))  # ties: lowest threshold, highest floor
        runs[v] = {r["deck"]: r for r in json.loads(f.read_text(encoding="utf-8"))["decks"]}
    values = sorted(runs)
    decks = sorted(next(iter(runs.values())))
    if baseline is not None:
        base = json.loads(baseline.read_text(encoding="utf-8"))["decks"]
        print("before", pooled(base), "J", objective(base))
    for v in values:
        rows = list(runs[v].values())
        print(f"{_name(v):22} in-sample J {objective(rows):4}  {pooled(rows)}")
    held: list[dict[str, Any]] = []
    for deck in decks:
        train = [d for d in decks if d != deck]
        best = max(values, key=lambda v: (objective([runs[v][d] for d in train]), [-x for x in v]))
        held.append(runs[best][deck])
        print(f"  held out {deck[:44]:44} chose {_name(best)}  {counts(runs[best][deck])}")
    print("held-out (pooled over the 10 folds)", pooled(held), "J", objective(held))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("mode", choices=["record", "report"])
    parser.add_argument("--dir", required=True)
    parser.add_argument("--values", nargs="*", type=float, default=VALUES)
    parser.add_argument("--baseline")
    parser.add_argument("--floors", nargs="*", default=["3-0.25"], help="FLOOR_MIN-FLOOR_SHARE settings")
    parser.add_argument("--corpus", help="the corpus directory (default: study_quality.py's)")
    args = parser.parse_args()
    if args.corpus:
        CORPUS.append(args.corpus)
    if args.mode == "record":
        record(Path(args.dir), args.values, args.floors)
    else:
        report(Path(args.dir), Path(args.baseline) if args.baseline else None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
