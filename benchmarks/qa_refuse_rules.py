"""Candidate refusal rules for benchmarks/qa_refuse_eval.py (features derived from a qa_refuse_lab.py record).

Each rule is (function(row, setting) -> answered, settings); the first setting of each is main's rule (or the
rule switched off), so a tie keeps main.
"""

from __future__ import annotations

import itertools
import math
import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workers.ai import refusal  # noqa: E402
from workers.ai.retrieval import is_cjk, mostly_latin, own_language, stem  # noqa: E402

Row = dict[str, Any]


def grid(**axes: list[float]) -> list[dict[str, float]]:
    keys = list(axes)
    return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*(axes[k] for k in keys))]


def trigrams(word: str) -> set[str]:
    w = f"<{word}>"
    return {w[i : i + 3] for i in range(len(w) - 2)}


def jaccard(a: str, b: str) -> float:
    x, y = trigrams(a), trigrams(b)
    return len(x & y) / len(x | y)


def enrich(saved: dict[str, Any]) -> None:
    """Derived features, added to each row."""
    subjects = saved["subjects"]
    stats: dict[str, dict[str, Any]] = {}
    for deck, s in subjects.items():
        cc = s["cc"]
        n = len(cc)
        nn = [max((cc[i][j] for j in range(n) if j != i), default=0.0) for i in range(n)]
        off = [cc[i][j] for i in range(n) for j in range(n) if i != j]
        vocab = {t for terms in s["terms"] for t in terms}
        grams: dict[str, set[str]] = {}
        for t in vocab:
            for g in trigrams(t):
                grams.setdefault(g, set()).add(t)
        df: dict[str, int] = {}
        for terms in s["terms"]:
            for t in set(terms):
                df[t] = df.get(t, 0) + 1
        words = [w for ch in s.get("words", []) for w in ch if len(w) >= 3 and w.isalpha()]
        stats[deck] = {
            "df": df,
            "ids": {cid: n for n, cid in enumerate(s["chunk_ids"])},
            "terms": [set(t) for t in s["terms"]],
            "readable": sum(refusal.zipf(w, s["language"] or "en") >= 2.5 for w in words)
            / max(len(words), 1),
            "nn_median": statistics.median(nn) if nn else 0.0,
            "cc_mean": statistics.fmean(off) if off else 0.0,
            "cc_std": statistics.pstdev(off) if len(off) > 1 else 1.0,
            "vocab": vocab,
            "grams": grams,
            "n": n,
        }
    for iid, r in saved["rows"].items():
        deck = saved["items"][iid]["deck"]
        st = stats[deck]
        sims = r["sims"]
        top = max(sims)
        mean = statistics.fmean(sims)
        sd = statistics.pstdev(sims) if len(sims) > 1 else 1.0
        r["cov"], r["sim"], r["rarest"], r["lang"] = r["features"]
        r["top_all"] = top
        r["z_q"] = (top - mean) / (sd or 1.0)
        r["gap_med"] = top - statistics.median(sims)
        r["z_cc"] = (top - st["cc_mean"]) / (st["cc_std"] or 1.0)
        r["rel_nn"] = top - st["nn_median"]
        r["n_chunks"] = st["n"]
        r["readable"] = st["readable"]
        r["kw_top"] = max((e["kw"] for e in r["evidence"]), default=0.0)
        idf = {
            t: math.log(1 + (st["n"] - st["df"].get(t, 0) + 0.5) / (st["df"].get(t, 0) + 0.5))
            for t in set(r["qterms"])
        }
        have: set[str] = set()
        for e in r["evidence"][:5]:
            if e["chunk"] in st["ids"]:
                have |= st["terms"][st["ids"][e["chunk"]]]
        total = sum(idf.values())
        qt = set(r["qterms"])
        r["fuzzy_cov"] = {}
        for thr in (1.01, 0.6, 0.5, 0.4):
            hit = sum(t in have or any(jaccard(t, h) >= thr for h in have) for t in qt)
            r["fuzzy_cov"][thr] = hit / len(qt) if qt else 0.0
        r["wcov"] = sum(v for t, v in idf.items() if t in have) / total if total else 0.0
        q = r["query"]
        r["cjk"], r["own"], r["latin"] = is_cjk(q), own_language(q, r["lang"]), mostly_latin(q)
        # fuzzy: each missing word's best trigram Jaccard against the notes' terms (OCR misspellings, forms)
        fuzzy = []
        for word, z in r["missing"]:
            s = stem(word, r["lang"])
            best = 0.0
            mine = trigrams(s)
            cands: set[str] = set()
            for g in mine:
                cands |= st["grams"].get(g, set())
            for t in cands:
                other = trigrams(t)
                best = max(best, len(mine & other) / len(mine | other))
            fuzzy.append((word, z, best))
        r["fuzzy"] = fuzzy


def thresholds(r: Row, p: dict[str, float]) -> tuple[float, float, float]:
    if r["cjk"]:
        return refusal.MIN_COVERAGE, 2.0, refusal.OVERRIDE_SIMILARITY_OTHER_SCRIPT
    if r["own"]:
        return refusal.OWN_MIN_COVERAGE, refusal.OWN_MIN_SIMILARITY, refusal.OWN_OVERRIDE_SIMILARITY
    if r["latin"]:
        return refusal.MIN_COVERAGE, refusal.MIN_SIMILARITY_LATIN, refusal.OVERRIDE_SIMILARITY_LATIN
    return refusal.MIN_COVERAGE, refusal.MIN_SIMILARITY_OTHER_SCRIPT, refusal.OVERRIDE_SIMILARITY_OTHER_SCRIPT


def rarest(r: Row, fuzzy_at: float) -> float:
    """The rarest missing word's Zipf; a word counts as present when a notes term is this close (trigrams)."""
    return min((z for _, z, best in r["fuzzy"] if best < fuzzy_at), default=9.0)


def main_rule(r: Row, p: dict[str, float]) -> bool:
    cov_min, floor, override = thresholds(r, p)
    if r["cov"] < cov_min and r["sim"] < floor:
        return False
    return rarest(r, p.get("fuzzy", 2.0)) >= refusal.RARE_ZIPF or r["sim"] >= override


def rescue(feature: str) -> Any:
    """main's rule, or answered when ``feature`` >= t (the question stands out among the subject's chunks),
    unless a rare word is missing."""

    def rule(r: Row, p: dict[str, float]) -> bool:
        if main_rule(r, p):
            return True
        return r[feature] >= p["t"] and rarest(r, p.get("fuzzy", 2.0)) >= refusal.RARE_ZIPF

    return rule


def veto(feature: str) -> Any:
    """main's rule, and refused when ``feature`` < t."""

    def rule(r: Row, p: dict[str, float]) -> bool:
        return main_rule(r, p) and r[feature] >= p["t"]

    return rule


def both(feature: str) -> Any:
    def rule(r: Row, p: dict[str, float]) -> bool:
        if main_rule(r, p):
            return r[feature] >= p["veto"]
        return r[feature] >= p["t"] and rarest(r, p.get("fuzzy", 2.0)) >= refusal.RARE_ZIPF

    return rule


def relative_floor(feature: str) -> Any:
    """The similarity floor replaced by ``feature`` >= t (coverage and the rare-word check as main)."""

    def rule(r: Row, p: dict[str, float]) -> bool:
        cov_min, _, override = thresholds(r, p)
        if r["cov"] < cov_min and r[feature] < p["t"]:
            return False
        return rarest(r, p.get("fuzzy", 2.0)) >= refusal.RARE_ZIPF or r["sim"] >= override

    return rule


def fuzzy_coverage(r: Row, p: dict[str, float]) -> bool:
    cov_min, floor, override = thresholds(r, p)
    cov = r["fuzzy_cov"][p["thr"]]
    if cov < cov_min and r["sim"] < floor:
        return False
    return rarest(r, p.get("fuzzy", 2.0)) >= refusal.RARE_ZIPF or r["sim"] >= override


def _off(values: list[float]) -> list[float]:
    return [-1e9, *values]


Z = _off([1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0])
GAP = _off([0.1, 0.15, 0.2, 0.25, 0.3, 0.35])
NN = _off([-0.3, -0.2, -0.15, -0.1, -0.05, 0.0, 0.05])
RULES: dict[str, tuple[Any, list[dict[str, Any]]]] = {
    "main (reproduced)": (main_rule, [{}]),
    "fuzzy missing word (trigram Jaccard >= f counts as present)": (
        main_rule,
        [{"fuzzy": f} for f in (2.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.45, 0.4, 0.35, 0.3)],
    ),
    **{
        f"rescue by {f}": (rescue(f), [{"t": 1e9}] + [{"t": t} for t in v[1:]])
        for f, v in (("z_q", Z), ("gap_med", GAP), ("z_cc", Z), ("rel_nn", NN))
    },
    **{
        f"veto by {f}": (veto(f), [{"t": t} for t in v])
        for f, v in (("z_q", Z), ("gap_med", GAP), ("z_cc", Z), ("rel_nn", NN))
    },
    **{
        f"rescue+veto by {f}": (both(f), grid(veto=v, t=[1e9, *v[1:]]))
        for f, v in (("z_q", Z), ("gap_med", GAP), ("z_cc", Z), ("rel_nn", NN))
    },
    **{
        f"floor by {f}": (relative_floor(f), [{"t": t} for t in v[1:]])
        for f, v in (("z_q", Z), ("gap_med", GAP), ("z_cc", Z), ("rel_nn", NN))
    },
}


def weighted_coverage(r: Row, p: dict[str, float]) -> bool:
    """main's rule with the coverage weighted by each word's IDF among the subject's chunks."""
    cov_min, floor, override = thresholds(r, p)
    cov = r["wcov"] if p["w"] else r["cov"]
    if cov < (p["min"] if p["w"] else cov_min) and r["sim"] < floor:
        return False
    return rarest(r, 2.0) >= refusal.RARE_ZIPF or r["sim"] >= override


def unreadable(r: Row, p: dict[str, float]) -> bool:
    """Notes whose words are mostly not words (known share < R): no missing-word check there (the notes'
    words cannot show a word is absent) and a Latin question's similarity floor lowered to F."""
    if r["readable"] >= p["R"]:
        return main_rule(r, {})
    cov_min, floor, override = thresholds(r, p)
    if r["latin"] and not r["own"] and not r["cjk"]:
        floor = p["F"]
    if r["cov"] < cov_min and r["sim"] < floor:
        return False
    return p["skip_rare"] > 0 or rarest(r, 2.0) >= refusal.RARE_ZIPF or r["sim"] >= override


def fuzzy_both(r: Row, p: dict[str, float]) -> bool:
    cov_min, floor, override = thresholds(r, p)
    cov = r["fuzzy_cov"][p["thr"]]
    if cov < cov_min and r["sim"] < floor:
        return False
    return rarest(r, p["fuzzy"]) >= refusal.RARE_ZIPF or r["sim"] >= override


RULES["fuzzy coverage"] = (fuzzy_coverage, [{"thr": t} for t in (1.01, 0.6, 0.5, 0.4)])
RULES["fuzzy coverage and missing word"] = (
    fuzzy_both,
    grid(thr=[1.01, 0.6, 0.5, 0.4], fuzzy=[2.0, 0.8, 0.7, 0.6, 0.5, 0.4]),
)
RULES["idf-weighted coverage"] = (
    weighted_coverage,
    [{"w": 0, "min": 0}] + [{"w": 1, "min": m} for m in (0.3, 0.4, 0.5, 0.6, 0.7)],
)
RULES["unreadable notes"] = (
    unreadable,
    [
        {"R": 0.0, "F": 0.35, "skip_rare": 0},
        *grid(R=[0.7, 0.8], F=[0.35, 0.3, 0.25, 0.2, 0.15], skip_rare=[0, 1]),
    ],
)


def missing_count(r: Row, p: dict[str, float]) -> bool:
    """main's rule, and also refused when at least N of the question's words below Zipf Z2 are missing from
    the notes (several ordinary words the notes never use), unless the best slide is very close."""
    if not main_rule(r, {}):
        return False
    _, _, override = thresholds(r, p)
    n = sum(z < p["z2"] for _, z, _ in r["fuzzy"])
    return n < p["n"] or r["sim"] >= override


RULES["several missing words"] = (
    missing_count,
    [{"n": 99, "z2": 0}, *grid(n=[1, 2, 3], z2=[4.0, 4.5, 5.0, 5.5])],
)
