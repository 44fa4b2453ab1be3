"""A learned validity score for study items, trained on every blind dev verdict, evaluated leaving one deck
out.

    PYTHONPATH=. SMARTNOTES_BENCH_PAGE_CACHE=/tmp/x-pages.json .venv/bin/python benchmarks/item_validity.py \
        [DIR] [--within-deck] [--table OUT.json] [--write-weights OUT.json]

The table: benchmarks/item_validity_data.py (sessions 3-13, dev decks only, deduplicated by text, latest
verdict). Each dev deck is read from the page cache and cleaned as benchmarks/study_quality.py does, stored
in a temporary database and loaded as the generation worker loads it (load_material, extract); each item's
features are then benchmarks/item_validity_features.features. Model: logistic regression on standardised
features (sklearn, C=1).

Leaving one deck out: train on the other decks, score the held-out deck. The threshold, per kind, is chosen
on the TRAINING decks' own scores by a rule fixed before the first run: the threshold maximising J = valid
kept - 2 x invalid kept (keep all when nothing beats it). Printed per held-out deck and pooled, per kind:
AUC, items kept / dropped, valid share before -> after among the kept, valid items lost. The same for the
rows of session 13 alone (every item main made on dev at 63893f9 and after: what the gate would see today).

Adoption rule (fixed before the first run): a kind is adopted when pooled LODO raises its valid share among
kept items by >= 5 points while losing at most 10 % of its valid items. --write-weights trains on all rows
and writes the weights (standardisation, coefficients, thresholds per kind by the same J rule, adopted
kinds) as JSON. Session 14 adopted no kind (docs/benchmarks.md), so no weights ship with the generator.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from item_validity_data import TEST_DECKS, load_rows, summary  # noqa: E402

KINDS = ("quiz", "card", "sheet")
COST = 2.0  # J = valid kept - COST x invalid kept
MIN_GAIN, MAX_LOSS = 0.05, 0.10


def lectures(corpus: Path, decks: list[str]) -> dict[str, Any]:
    """Each dev deck's LectureCandidates, as the generation worker builds them from the stored pages."""
    from retrieval import CACHE, clean_pages, deck_languages, read_pages
    from study_quality import build

    from workers.generation.candidates import extract
    from workers.generation.material import load_material

    assert not set(decks) & TEST_DECKS
    full = json.loads(CACHE.read_text(encoding="utf-8"))
    cache = {k: v for k, v in full.items() if k.split("|", 1)[0] in decks}  # dev decks only
    del full
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-validity-") as tmp:
        pages_of = {}
        for name in decks:
            deck = corpus / name
            pages, fresh = read_pages(deck, deck_languages(deck), cache, True)
            assert not fresh, f"{name}: not in the page cache"
            pages_of[deck] = clean_pages(pages, None)
        stack, user_id, subjects = build(pages_of, Path(tmp))
        with stack.factory() as db:
            for name in decks:
                (material,) = load_material(db, user_id=user_id, subject_id=subjects[name])
                out[name] = extract(material)
    return out


def view(row: dict[str, Any]) -> Any:
    import item_validity_features as iv

    if row["kind"] == "quiz":
        return iv.quiz_view(
            row["stem"], row["key"], row.get("explanation") or "", len(row["options"] or []), row["slide"]
        )
    if row["kind"] == "card":
        return iv.card_view(
            row["front"], row["back"], row["card_kind"] == "cloze", row["figure"], row["slide"]
        )
    return iv.sheet_view(row["text"], row["figure"], row["slide"])


def fit(x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=1.0, max_iter=2000).fit((x - mean) / scale, y)
    return {"mean": mean, "scale": scale, "coef": model.coef_[0], "intercept": float(model.intercept_[0])}


def scores(model: dict[str, Any], x: np.ndarray) -> np.ndarray:
    z = ((x - model["mean"]) / model["scale"]) @ model["coef"] + model["intercept"]
    return np.asarray(1.0 / (1.0 + np.exp(-z)))


def threshold(s: np.ndarray, y: np.ndarray) -> float:
    """The threshold maximising valid kept - COST x invalid kept (0.0, keep all, on ties with it)."""
    best_t, best_j = 0.0, float(y.sum() - COST * (~y).sum())
    for t in sorted(set(s.tolist())):
        keep = s >= t
        j = float(y[keep].sum() - COST * (~y[keep]).sum())
        if j > best_j:
            best_t, best_j = t, j
    return best_t


def auc(s: np.ndarray, y: np.ndarray) -> float | None:
    pos, neg = s[y], s[~y]
    if not len(pos) or not len(neg):
        return None
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(wins / (len(pos) * len(neg)))


def stats(s: np.ndarray, y: np.ndarray, keep: np.ndarray) -> dict[str, Any]:
    n, valid = len(y), int(y.sum())
    kept = int(keep.sum())
    kept_valid = int(y[keep].sum())
    return {
        "n": n,
        "auc": auc(s, y),
        "kept": kept,
        "dropped": n - kept,
        "valid_before": valid / n if n else None,
        "valid_after": kept_valid / kept if kept else None,
        "valid_lost": valid - kept_valid,
        "valid_lost_share": (valid - kept_valid) / valid if valid else 0.0,
        "invalid_dropped": (n - valid) - (kept - kept_valid),
    }


def lodo(rows: list[dict[str, Any]], x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Held-out scores and keep flags: each deck scored by a model and thresholds fitted on the others."""
    decks = np.array([r["deck"] for r in rows])
    kinds = np.array([r["kind"] for r in rows])
    s_out, keep_out = np.zeros(len(rows)), np.ones(len(rows), dtype=bool)
    for deck in sorted(set(decks)):
        train, test = decks != deck, decks == deck
        model = fit(x[train], y[train])
        s_train = scores(model, x[train])
        s_test = scores(model, x[test])
        s_out[test] = s_test
        for kind in KINDS:
            t = threshold(s_train[kinds[train] == kind], y[train][kinds[train] == kind])
            sel = kinds[test] == kind
            keep_out[np.flatnonzero(test)[sel]] = s_test[sel] >= t
    return s_out, keep_out


def _fmt(st: dict[str, Any]) -> str:
    a = "  -  " if st["auc"] is None else f"{st['auc']:.2f}"
    before = "-" if st["valid_before"] is None else f"{st['valid_before']:.0%}"
    after = "-" if st["valid_after"] is None else f"{st['valid_after']:.0%}"
    return (
        f"n {st['n']:3}  auc {a}  kept {st['kept']:3} dropped {st['dropped']:3}"
        f"  valid {before:>4} -> {after:>4}  valid lost {st['valid_lost']:2} ({st['valid_lost_share']:.0%})"
        f"  invalid dropped {st['invalid_dropped']}"
    )


def report(
    rows: list[dict[str, Any]], s: np.ndarray, keep: np.ndarray, y: np.ndarray, title: str
) -> dict[str, Any]:
    print(f"\n== {title}")
    pooled: dict[str, Any] = {}
    decks = sorted({r["deck"] for r in rows})
    for kind in KINDS:
        print(f"-- {kind}")
        for deck in decks:
            sel = np.array([r["deck"] == deck and r["kind"] == kind for r in rows])
            if sel.any():
                print(f"  {deck[:44]:44} {_fmt(stats(s[sel], y[sel], keep[sel]))}")
        sel = np.array([r["kind"] == kind for r in rows])
        pooled[kind] = stats(s[sel], y[sel], keep[sel])
        print(f"  {'POOLED':44} {_fmt(pooled[kind])}")
    pooled["all"] = stats(s, y, keep)
    print(f"  {'ALL KINDS':44} {_fmt(pooled['all'])}")
    return pooled


def hindsight(rows: list[dict[str, Any]], s: np.ndarray, y: np.ndarray, title: str) -> None:
    """NOT an estimate: per kind, the best gain in valid share that losing at most MAX_LOSS of the valid items
    buys, the threshold picked on the held-out scores themselves (a bound on what any threshold rule does)."""
    print(f"\n== hindsight threshold on held-out scores, {title} (optimistic; at most 10 % of valid lost)")
    for kind in (*KINDS, "all"):
        sel = np.array([kind in ("all", r["kind"]) for r in rows])
        ss, yy = s[sel], y[sel]
        base, best = float(yy.mean()), (0.0, len(yy), 0.0)
        for t in sorted(set(ss.tolist())):
            keep = ss >= t
            lost = 1 - yy[keep].sum() / max(1, yy.sum())
            if lost <= MAX_LOSS and float(yy[keep].mean()) - base > best[0]:
                best = (float(yy[keep].mean()) - base, int(keep.sum()), float(lost))
        print(
            f"  {kind:5} n {len(yy):3}  valid {base:.0%}  best gain {best[0]:+.1%}"
            f"  kept {best[1]}  lost {best[2]:.0%}"
        )


def adopted(pooled: dict[str, Any]) -> list[str]:
    out = []
    for kind in KINDS:
        st = pooled[kind]
        if (
            st["kept"]
            and st["valid_after"] - st["valid_before"] >= MIN_GAIN
            and st["valid_lost_share"] <= MAX_LOSS
        ):
            out.append(kind)
    return out


def within_deck(rows: list[dict[str, Any]], x: np.ndarray) -> np.ndarray:
    """Each feature as a z-score among the items of its own deck (a deck's level of OCR, symbols... gone)."""
    out = x.copy()
    decks = np.array([r["deck"] for r in rows])
    for deck in set(decks):
        sel = decks == deck
        sd = x[sel].std(axis=0)
        sd[sd == 0] = 1.0
        out[sel] = (x[sel] - x[sel].mean(axis=0)) / sd
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dir", nargs="?", default=str(ROOT.parents[1] / "shared" / "corpus"))
    parser.add_argument(
        "--write-weights", metavar="OUT.json", help="train on all rows, write the weights here"
    )
    parser.add_argument("--table", help="write the table (rows with features and held-out scores) here")
    parser.add_argument(
        "--within-deck",
        action="store_true",
        help="post-hoc variant (added after the first LODO run): each feature standardised within its deck",
    )
    parser.add_argument(
        "--drop",
        nargs="*",
        default=[],
        metavar="FEATURE",
        help="post-hoc variant (added after the first LODO run): leave these features out",
    )
    args = parser.parse_args()

    from item_validity_features import ITEM_FEATURES, features

    rows = load_rows()
    print(len(rows), "rows (dev decks, distinct items, latest blind verdict)")
    print(summary(rows))
    lcs = lectures(Path(args.dir), sorted({r["deck"] for r in rows}))
    x = np.array([features(view(r), lcs[r["deck"]]) for r in rows], dtype=float)
    y = np.array([r["valid"] for r in rows], dtype=bool)
    names = [f for f in ITEM_FEATURES if f not in args.drop]
    x = x[:, [ITEM_FEATURES.index(f) for f in names]]
    if args.within_deck:
        x = within_deck(rows, x)
    s, keep = lodo(rows, x, y)
    pooled = report(rows, s, keep, y, "LODO, all rows")
    recent = np.array([r["session"] == 13 for r in rows])
    report(
        [r for r, m in zip(rows, recent, strict=True) if m],
        s[recent],
        keep[recent],
        y[recent],
        "LODO, session-13 rows",
    )
    hindsight(rows, s, y, "all rows")
    hindsight([r for r, m in zip(rows, recent, strict=True) if m], s[recent], y[recent], "session-13 rows")
    kinds = adopted(pooled)
    print("\nadopted kinds (pooled LODO: valid share +5 points, <= 10 % of valid lost):", kinds or "none")
    full = fit(x, y)
    print("weights (all rows, standardised):")
    for name, c in sorted(zip(names, full["coef"], strict=True), key=lambda p: -abs(p[1])):
        print(f"  {name:16} {c:+.2f}")
    if args.table:
        Path(args.table).write_text(
            json.dumps(
                [
                    {**r, "features": f.tolist(), "lodo_score": float(v), "lodo_keep": bool(k)}
                    for r, f, v, k in zip(rows, x, s, keep, strict=True)
                ],
                ensure_ascii=False,
                indent=0,
            ),
            encoding="utf-8",
        )
    if args.write_weights:
        s_all = scores(full, x)
        kind_arr = np.array([r["kind"] for r in rows])
        thresholds = {k: threshold(s_all[kind_arr == k], y[kind_arr == k]) for k in KINDS}
        Path(args.write_weights).write_text(
            json.dumps(
                {
                    "features": names,
                    "mean": [round(v, 6) for v in full["mean"].tolist()],
                    "scale": [round(v, 6) for v in full["scale"].tolist()],
                    "coef": [round(v, 6) for v in full["coef"].tolist()],
                    "intercept": round(full["intercept"], 6),
                    "thresholds": {k: round(v, 6) for k, v in thresholds.items()},
                    "adopted": kinds,
                    "rows": len(rows),
                },
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )
        print(f"weights written to {args.write_weights}: thresholds {thresholds}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
