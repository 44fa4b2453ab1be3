"""Would a small learned classifier on a line's form beat the role rules on decks it was not trained on?

    .venv/bin/python benchmarks/line_roles_learned.py [--cache DIR]

Dev split only (the test split is never read). Each labelled dev line gets form features: where it sits
(its place among the page's lines, its top, its height against the page's median), how often it comes back on
other pages (digits normalised), its punctuation, length, bullets or numbering, capitals and digits, the
layout model's class, whether the page has a figure, the page's place in the deck, and the rules' own role.
Leave one deck out: a classifier (scikit-learn's HistGradientBoosting and logistic regressions) is trained on
the other dev decks' labelled lines and labels the held-out deck: every line ("alone"), only the lines the
rules leave as body ("fallback", optionally only where the classifier's probability reaches a floor), or any
content line where it is that sure ("overriding"; never into or out of a dropped role). The features also
carry the rules' roles of the lines before and after. Printed: pooled held-out macro-F1, accuracy and the
dropped roles' precision of the rules (in-sample: they were written looking at every dev deck) and of each
classifier and mode.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from line_roles import cached_deck, load_rows, match  # noqa: E402
from line_roles_lodo import dropped_precision, macro_f1  # noqa: E402

KINDS = (
    "",
    "title",
    "subtitle",
    "text",
    "figure",
    "table",
    "header",
    "footer",
    "reference",
    "equation",
    "body",
)
_NUMBERED = re.compile(r"^\s*\(?(?:\d{1,3}(?:\.\d+)*|[a-h]|[ivx]{1,4})[.)]\s+\S")


def features(pages: list[Any], k: int, i: int, rule_roles: list[str], repeats: Counter[str]) -> list[float]:
    from workers.ocr.line_cues import align_hints, edge_key, strip_bullet

    page = pages[k]
    lines = page.text.split("\n")
    text = lines[i].strip()
    nonblank = [j for j, line in enumerate(lines) if line.strip()]
    place = nonblank.index(i) if i in nonblank else 0
    hints = align_hints(lines, page.hints)
    hint = hints[i]
    sizes = [h.size for h in hints if h is not None and h.size]
    median = statistics.median(sizes) if sizes else 0.0
    words = text.split()
    letters = [ch for ch in text if ch.isalpha()]
    out = [
        place / max(len(nonblank) - 1, 1),
        float(place == 0),
        float(place == len(nonblank) - 1),
        hint.top if hint is not None and hint.top is not None else -1.0,
        (hint.size / median) if hint is not None and hint.size and median else -1.0,
        repeats[edge_key(text)] / max(len(pages), 1),
        k / max(len(pages) - 1, 1),
        float(k == 0),
        float(bool(page.figures)),
        float(len(words)),
        float(len(text)),
        float(strip_bullet(text) != text),
        float(bool(_NUMBERED.match(text))),
        float(text.endswith(":")),
        float(text.endswith("?")),
        float(text.endswith(".")),
        sum(ch.isupper() for ch in letters) / max(len(letters), 1),
        sum(ch.isdigit() for ch in text) / max(len(text), 1),
        float(text[:1].isupper()),
        float(bool(re.search(r"\s[–—-]\s|:\s", text))),
    ]
    kind = hint.kind if hint is not None else ""
    out += [float(kind == name) for name in KINDS]
    from workers.ocr.line_cues import ROLES

    out += [float(rule_roles[i] == role) for role in ROLES]
    before = [j for j in nonblank if j < i]
    after = [j for j in nonblank if j > i]
    out += [float(bool(before) and rule_roles[before[-1]] == role) for role in ROLES]
    out += [float(bool(after) and rule_roles[after[0]] == role) for role in ROLES]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cache", help="each deck's read pages (as line_roles.py --cache)")
    parser.add_argument("--data", action="append", help="labelled dev lines (as line_roles.py --data)")
    parser.add_argument("--models", help="comma-separated model names (default: all)")
    args = parser.parse_args()

    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from workers.ocr.line_cues import DROPPED, edge_key
    from workers.ocr.pipeline import assign_roles

    rows = load_rows("dev", args.data)
    by_deck: dict[str, dict[int, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        by_deck[row["deck"]][row["page"]].append(row)

    data: dict[str, tuple[list[list[float]], list[str], list[str]]] = {}  # deck -> X, gold, rules
    for deck in sorted(by_deck):
        pages = cached_deck(deck, args.cache)
        assign_roles(pages)
        repeats: Counter[str] = Counter()
        for page in pages:
            repeats.update({edge_key(line) for line in page.text.split("\n") if line.strip()})
        numbered = {p.number: k for k, p in enumerate(pages)}
        x: list[list[float]] = []
        gold: list[str] = []
        ruled: list[str] = []
        for number, labelled in sorted(by_deck[deck].items()):
            if number not in numbered:
                continue
            k = numbered[number]
            labelled.sort(key=lambda r: r["line"])
            roles = [r or "body" for r in pages[k].roles]
            for row, index in zip(labelled, match(labelled, pages[k].text.split("\n")), strict=True):
                if index is not None:
                    x.append(features(pages, k, index, roles, repeats))
                    gold.append(row["role"])
                    ruled.append(roles[index])
        data[deck] = (x, gold, ruled)

    models = {
        "gradient boosting": lambda: HistGradientBoostingClassifier(
            max_iter=100, max_leaf_nodes=15, l2_regularization=1.0, random_state=0
        ),
        "logistic regression": lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)),
        "logistic regression C=0.1 balanced": lambda: make_pipeline(
            StandardScaler(), LogisticRegression(max_iter=2000, C=0.1, class_weight="balanced")
        ),
    }
    chosen = args.models.split(",") if args.models else list(models)
    pooled: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for deck, (x, gold, ruled) in data.items():
        train_x = [v for d, (xs, _, _) in data.items() if d != deck for v in xs]
        train_y = [g for d, (_, gs, _) in data.items() if d != deck for g in gs]
        pooled["rules (in-sample: written on all dev decks)"] += list(zip(gold, ruled, strict=True))
        for name in chosen:
            model = models[name]()
            model.fit(train_x, train_y)
            classes = [str(c) for c in model.classes_]
            probs = model.predict_proba(x)
            predicted = [classes[int(row.argmax())] for row in probs]
            sure = [float(row.max()) for row in probs]
            pooled[f"{name} alone"] += list(zip(gold, predicted, strict=True))
            for floor in (0.0, 0.6, 0.8, 0.9):
                fallback = [
                    p if r == "body" and c >= floor else r
                    for p, r, c in zip(predicted, ruled, sure, strict=True)
                ]
                pooled[f"{name} as fallback for body, p >= {floor}"] += list(zip(gold, fallback, strict=True))
            for floor in (0.8, 0.9):
                override = [
                    p if c >= floor and r not in DROPPED and p not in DROPPED else r
                    for p, r, c in zip(predicted, ruled, sure, strict=True)
                ]
                pooled[f"{name} overriding content roles, p >= {floor}"] += list(
                    zip(gold, override, strict=True)
                )
    print(f"dev decks: {len(data)}, labelled lines matched: {sum(len(g) for _, g, _ in data.values())}")
    print("| labels of the held-out deck | pooled macro-F1 | accuracy | dropped roles precision |")
    print("|---|---:|---:|---:|")
    for name, pairs in pooled.items():
        accuracy = sum(g == p for g, p in pairs) / max(len(pairs), 1)
        bad, total = dropped_precision(pairs)
        kept = f"{1 - bad / max(total, 1):.3f} ({bad} of {total})"
        print(f"| {name} | {macro_f1(pairs):.3f} | {accuracy:.3f} | {kept} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
