"""Leave one deck out on the dev split of the line-role set: do the role rules generalise to a deck they were
not chosen on?

    .venv/bin/python benchmarks/line_roles_lodo.py [--cache DIR] [--search R1,R2] [--off R3]

The rules of workers/ocr/role_rules.py (``RULES``) can each be switched off. For every dev deck in turn, the
subset of the rules searched (``--search``; default: all of RULES; the rules not searched stay on, those in
``--off`` stay off) kept is the one with the best pooled macro-F1 on the OTHER dev decks (ties: fewer
rules); that subset then labels the held-out deck. ``--off agenda_words`` shows what the deck's structure
alone finds of the outlines that words find. Printed: in-sample macro-F1 with all rules and with none, the
held-out macro-F1 pooled over the folds (each deck labelled by rules chosen without it), each deck's
own macro-F1 (held out) and which rules its fold kept, and the dropped roles' precision on the held-out
labels. The dev split only: the test split is never read here.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from line_roles import cached_deck, load_rows, match  # noqa: E402

from workers.ocr.line_cues import ROLES  # noqa: E402

Pairs = list[tuple[str, str]]  # (gold, predicted)


def macro_f1(pairs: Pairs) -> float:
    roles = {g for g, _ in pairs}
    f1s = []
    for role in roles:
        tp = sum(g == p == role for g, p in pairs)
        n_pred = sum(p == role for _, p in pairs)
        n_gold = sum(g == role for g, _ in pairs)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(f1s) / max(len(f1s), 1)


def role_f1(pairs: Pairs) -> dict[str, float]:
    out = {}
    for role in sorted({g for g, _ in pairs}):
        tp = sum(g == p == role for g, p in pairs)
        n_pred, n_gold = sum(p == role for _, p in pairs), sum(g == role for g, _ in pairs)
        out[role] = 2 * tp / (n_pred + n_gold) if n_pred + n_gold else 0.0
    return out


def role_table(pairs: Pairs) -> list[str]:
    """Per role (gold or predicted): gold count, predicted count, precision, recall, F1, as table rows."""
    rows = ["| role | gold | predicted | P | R | F1 |", "|---|---:|---:|---:|---:|---:|"]
    for role in ROLES:
        tp = sum(g == p == role for g, p in pairs)
        n_pred, n_gold = sum(p == role for _, p in pairs), sum(g == role for g, _ in pairs)
        if not n_pred and not n_gold:
            continue
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * tp / (n_pred + n_gold)
        rows.append(f"| {role} | {n_gold} | {n_pred} | {precision:.3f} | {recall:.3f} | {f1:.3f} |")
    return rows


def dropped_precision(pairs: Pairs) -> tuple[int, int]:
    from workers.ocr.line_cues import DROPPED

    dropped = [g for g, p in pairs if p in DROPPED]
    return sum(g not in DROPPED for g in dropped), len(dropped)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cache", help="each deck's read pages (as line_roles.py --cache)")
    parser.add_argument("--data", action="append", help="labelled dev lines (as line_roles.py --data)")
    parser.add_argument("--search", help="comma-separated rules whose subsets are searched (default: all)")
    parser.add_argument("--off", default="", help="comma-separated rules kept off throughout")
    args = parser.parse_args()

    from workers.ocr.pipeline import assign_roles
    from workers.ocr.role_rules import RULES

    rows = load_rows("dev", args.data)
    by_deck: dict[str, dict[int, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        by_deck[row["deck"]][row["page"]].append(row)

    decks: dict[str, tuple[list[Any], list[str], list[tuple[int, int, str]]]] = {}
    for deck in sorted(by_deck):
        pages = cached_deck(deck, args.cache)
        numbered = {p.number: k for k, p in enumerate(pages)}
        found: list[tuple[int, int, str]] = []  # (page index, line index, gold role)
        for number, labelled in sorted(by_deck[deck].items()):
            labelled.sort(key=lambda r: r["line"])
            if number not in numbered:
                continue
            k = numbered[number]
            for row, index in zip(labelled, match(labelled, pages[k].text.split("\n")), strict=True):
                if index is not None:
                    found.append((k, index, row["role"]))
        decks[deck] = (pages, [p.title for p in pages], found)

    searched = tuple(args.search.split(",")) if args.search else RULES
    off = set(filter(None, args.off.split(",")))
    unknown = (set(searched) | off) - set(RULES)
    if unknown:
        parser.error(f"unknown rules: {', '.join(sorted(unknown))}")
    fixed = frozenset(RULES) - set(searched) - off
    subsets = [
        fixed | frozenset(c) for n in range(len(searched) + 1) for c in itertools.combinations(searched, n)
    ]
    scored: dict[frozenset[str], dict[str, Pairs]] = {}
    for subset in subsets:
        per_deck: dict[str, Pairs] = {}
        for deck, (pages, titles, found) in decks.items():
            for page, title in zip(pages, titles, strict=True):
                page.title = title
            assign_roles(pages, rules=subset)
            per_deck[deck] = [(gold, pages[k].roles[i] or "body") for k, i, gold in found]
        scored[subset] = per_deck

    def pooled(subset: frozenset[str], names: list[str]) -> Pairs:
        return [pair for name in names for pair in scored[subset][name]]

    names = sorted(decks)
    everything, nothing = fixed | frozenset(searched), fixed
    print(
        f"dev decks: {len(names)}; rules searched: {', '.join(searched)}; always on: "
        f"{', '.join(sorted(fixed)) or 'none'}; off: {', '.join(sorted(off)) or 'none'}; "
        f"subsets tried per fold: {len(subsets)}"
    )
    print(f"in-sample macro-F1, all rules: {macro_f1(pooled(everything, names)):.3f}")
    print(f"in-sample macro-F1, no new rule: {macro_f1(pooled(nothing, names)):.3f}")
    held: Pairs = []
    print()
    print(
        "| held-out deck | lines | no new rule | all rules | held out (rules chosen on the others) | kept |"
    )
    print("|---|---:|---:|---:|---:|---|")
    for name in names:
        others = [n for n in names if n != name]
        best = max(subsets, key=lambda s: (round(macro_f1(pooled(s, others)), 6), -len(s)))
        pairs = scored[best][name]
        held += pairs
        kept = ", ".join(r for r in searched if r in best) or "none"
        print(
            f"| {name[:40]} | {len(pairs)} | {macro_f1(scored[nothing][name]):.3f} | "
            f"{macro_f1(scored[everything][name]):.3f} | {macro_f1(pairs):.3f} | {kept} |"
        )
    bad, total = dropped_precision(held)
    print()
    print(f"held-out macro-F1 pooled over the folds: {macro_f1(held):.3f}")
    print("held-out F1 per role: " + ", ".join(f"{r} {f:.2f}" for r, f in role_f1(held).items()))
    print()
    print("held out, per role (pooled over the folds):")
    print("\n".join(role_table(held)))
    print()
    print(f"held-out dropped roles: precision {1 - bad / max(total, 1):.3f} ({bad} content lines of {total})")
    print()
    print(
        "each searched rule alone against none, all dev decks: labelled lines it changes, right after / "
        "before"
    )
    for rule in searched:
        before = pooled(nothing, names)
        after = pooled(nothing | {rule}, names)
        changed = [(g, p0, p1) for (g, p0), (_, p1) in zip(before, after, strict=True) if p0 != p1]
        fixed = sum(p1 == g for g, _, p1 in changed)
        broken = sum(p0 == g for g, p0, _ in changed)
        print(f"  {rule}: {len(changed)} changed, {fixed} now right, {broken} now wrong")
    for label, subset in (("no new rule", nothing), ("all rules", everything)):
        means = [macro_f1(scored[subset][n]) for n in names]
        print(f"mean per-deck macro-F1, {label}: {sum(means) / len(means):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
