"""A learned refusal (logistic regression on the lab's features), leaving one dev deck out: trained on nine
dev decks, its decision threshold chosen by J on them, scored on the tenth; pooled. Dev only.

    .venv/bin/python benchmarks/qa_refuse_learned.py --record REC.json
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from qa_refuse_eval import fmt, rates  # noqa: E402
from qa_refuse_rules import enrich, main_rule  # noqa: E402

SETS: dict[str, list[str]] = {
    "words+sim": ["cov", "sim", "rare"],
    "words+sim+main": ["cov", "sim", "rare", "main"],
    "all": [
        "cov",
        "sim",
        "rare",
        "wcov",
        "z_q",
        "gap_med",
        "rel_nn",
        "readable",
        "kw",
        "fcov",
        "own",
        "latin",
        "cjk",
    ],
}
SETS["all+main"] = [*SETS["all"], "main"]


def vector(r: dict, names: list[str]) -> list[float]:
    v = {
        "cov": r["cov"],
        "sim": r["sim"],
        "rare": min(r["rarest"], 7.0),
        "wcov": r["wcov"],
        "z_q": r["z_q"],
        "gap_med": r["gap_med"],
        "rel_nn": r["rel_nn"],
        "readable": r["readable"],
        "kw": math.log1p(max(r["kw_top"], 0.0)),
        "fcov": r["fuzzy_cov"][0.5],
        "own": float(r["own"]),
        "latin": float(r["latin"]),
        "cjk": float(r["cjk"]),
        "main": float(main_rule(r, {})),
    }
    return [v[n] for n in names]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--record", required=True, type=Path)
    args = parser.parse_args()
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    saved = json.loads(args.record.read_text("utf-8"))
    enrich(saved)
    items, rows = saved["items"], saved["rows"]
    keys = list(rows)
    decks = sorted({items[k]["deck"] for k in keys})
    n_ans = sum(items[k]["answerable"] for k in keys)
    n_off = len(keys) - n_ans
    for name, names in SETS.items():
        for c in (0.1, 1.0):
            pooled = []
            for deck in decks:
                train = [k for k in keys if items[k]["deck"] != deck]
                test = [k for k in keys if items[k]["deck"] == deck]
                x = [vector(rows[k], names) for k in train]
                y = [int(items[k]["answerable"]) for k in train]
                w = [2 / n_ans if yy else 1 / n_off for yy in y]  # J's weights: a false refusal costs 2
                scaler = StandardScaler().fit(x)
                model = LogisticRegression(C=c, max_iter=1000).fit(scaler.transform(x), y, sample_weight=w)
                p_train = model.predict_proba(scaler.transform(x))[:, 1]
                best, cut = -1e9, 0.5
                for t in [i / 40 for i in range(1, 40)]:
                    j = rates([(items[k], rows[k], p >= t) for k, p in zip(train, p_train, strict=True)])["J"]
                    if j > best + 1e-9:
                        best, cut = j, t
                p_test = model.predict_proba(scaler.transform([vector(rows[k], names) for k in test]))[:, 1]
                pooled += [(items[k], rows[k], p >= cut) for k, p in zip(test, p_test, strict=True)]
            print(f"{name:16} C={c:<4} held out, pooled: {fmt(rates(pooled))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
