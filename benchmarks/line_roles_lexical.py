"""Does a classifier that reads a line's WORDS carry to an unseen dev deck better than the role rules?

    .venv/bin/python benchmarks/line_roles_lexical.py --cache DIR [--fold-rules auto|all|FILE] [--embed]
        [--roles] [--variants 0,3] [--nested 3]

Dev split only (the test split is never read). Every labelled dev line (benchmarks/data/line_roles.jsonl dev
rows + line_roles_dev_extra.jsonl) matched to the product's line gets:

- words: hashed word unigrams and bigrams and character 3-5-grams of the line, lower-cased, digit runs mapped
  to "0" (zlib.crc32 into 2**14 buckets per kind, counts log-scaled, each kind L2-normalised);
- wordfreq: share of the line's words (2+ letters) in the language's list (en; ru for Cyrillic, zh for Han,
  hi for Devanagari), mean and minimum zipf;
- scripts: share of Latin, Cyrillic, Han, Devanagari, Greek letters, digits, math symbols, other punctuation;
- form: the features of benchmarks/line_roles_learned.py (place, top, size, repetition, punctuation, layout
  class, the rules' role of the line and of its neighbours);
- with --embed, separately: the bundled all-MiniLM-L6-v2 sentence embedding of the line (offline).

Leave one deck out: the role rules of each fold are chosen on the other seven decks (``--fold-rules auto``,
the default: a sixth-session rule stays on only if switching it alone off lowers the other decks' pooled
macro-F1; ``--fold-rules FILE`` reads line_roles_lodo.py's printed table instead; ``all``: every rule,
in-sample); a logistic regression is trained on the other decks' lines and labels the held-out deck's; the
folds are pooled.
Modes: the classifier alone; a fallback for the lines the rules leave as body; overriding the rules' content
roles where it is sure (never into or out of a dropped role); adding dropped roles (content -> footer/meta/
credit/url) where it is sure; undoing them; content and dropped together. ``--nested N``: for variant N only,
which roles the classifier may give and from which probability are chosen per fold on an inner
leave-one-deck-out of the other seven decks, then applied to the held-out deck. Printed: macro-F1, accuracy,
dropped roles precision (together and per role) and recall of every variant, the rules held out and in-sample.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import time
import zlib
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from line_roles import cached_deck, load_rows, match  # noqa: E402
from line_roles_learned import features as form_features  # noqa: E402
from line_roles_lodo import dropped_precision, macro_f1, role_f1  # noqa: E402

BUCKETS = 2**14
_DIGITS = re.compile(r"\d+")
_SCRIPTS = ("Latin", "Cyrillic", "Han", "Devanagari", "Greek")
Pairs = list[tuple[str, str]]


def hashed(text: str) -> dict[int, float]:
    """Hashed word 1-2-grams and character 3-5-grams: column -> value (each kind L2-normalised)."""
    import regex

    low = _DIGITS.sub("0", text.lower().strip())[:300]
    words = regex.findall(r"[\p{L}\p{N}_]+|[^\s\p{L}\p{N}]", low)
    kinds = {
        0: [f"w:{w}" for w in words],
        1: [f"b:{a} {b}" for a, b in zip(["<s>", *words], [*words, "</s>"], strict=True)],
        2: [f"c:{p[i : i + n]}" for p in [f" {low} "] for n in (3, 4, 5) for i in range(len(p) - n + 1)],
    }
    out: dict[int, float] = {}
    for kind, grams in kinds.items():
        counts = Counter(zlib.crc32(g.encode("utf-8")) % BUCKETS + kind * BUCKETS for g in grams)
        values = {c: 1.0 + math.log(n) for c, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
        for c, v in values.items():
            out[c] = v / norm
    return out


@lru_cache(maxsize=65536)
def _zipf(word: str) -> float:
    import regex
    from wordfreq import zipf_frequency

    lang = "en"
    if regex.search(r"\p{Cyrillic}", word):
        lang = "ru"
    elif regex.search(r"\p{Han}", word):
        lang = "zh"
    elif regex.search(r"\p{Devanagari}", word):
        lang = "hi"
    return float(zipf_frequency(word, lang))


def word_stats(text: str) -> list[float]:
    """wordfreq statistics and script shares of the line."""
    import regex

    words = [w for w in regex.findall(r"\p{L}+", text.lower()) if len(w) >= 2]
    zipfs = [_zipf(w) for w in words]
    chars = [ch for ch in text if not ch.isspace()]
    n = max(len(chars), 1)
    out = [
        sum(z > 0 for z in zipfs) / max(len(zipfs), 1),
        sum(zipfs) / max(len(zipfs), 1),
        min(zipfs) if zipfs else 0.0,
        float(len(words)),
    ]
    out += [sum(bool(regex.match(rf"\p{{{s}}}", ch)) for ch in chars) / n for s in _SCRIPTS]
    out += [
        sum(ch.isdigit() for ch in chars) / n,
        sum(bool(regex.match(r"\p{Sm}", ch)) for ch in chars) / n,
        sum(bool(regex.match(r"\p{P}", ch)) for ch in chars) / n,
    ]
    return out


# The sixth session's rules (line_roles_lodo.py --search ...): the ones whose held-out worth is in question.
SIXTH = (
    "sql_code",
    "figure_title",
    "chained_headings",
    "repeated_labels",
    "build_up_runs",
    "prose_math",
    "stray_glyph",
    "paragraph_definitions",
    "author_pair",
    "letter_labels",
)


def auto_folds(scores: dict[frozenset[str], dict[str, Pairs]], decks: list[str]) -> dict[str, frozenset[str]]:
    """Each fold's rules chosen on the other decks, by one step of backward elimination (a cheap stand-in for
    line_roles_lodo.py's search of all 1,024 subsets): a sixth-session rule stays on only if switching it
    off alone lowers the other decks' pooled macro-F1 (ties: off, as there)."""
    from workers.ocr.role_rules import RULES

    everything = frozenset(RULES)
    out: dict[str, frozenset[str]] = {}
    for deck in decks:
        others = [d for d in decks if d != deck]
        with_all = macro_f1([p for d in others for p in scores[everything][d]])
        dropped = {
            rule
            for rule in SIXTH
            if macro_f1([p for d in others for p in scores[everything - {rule}][d]]) >= with_all - 1e-9
        }
        out[deck] = everything - dropped
    return out


def fold_rules(path: str, decks: list[str]) -> dict[str, frozenset[str]]:
    """Each deck's held-out rule set from line_roles_lodo.py's printed table (searched rules not kept are
    off)."""
    from workers.ocr.role_rules import RULES

    text = Path(path).read_text(encoding="utf-8")
    searched = re.search(r"rules searched: ([^;]+);", text)
    if searched is None:
        raise SystemExit(f"{path}: not line_roles_lodo.py output")
    names = [s.strip() for s in searched.group(1).split(",")]
    out: dict[str, frozenset[str]] = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 6 or not cells[1].isdigit():
            continue
        deck = next(d for d in decks if d.startswith(cells[0]))
        kept = {s.strip() for s in cells[5].split(",")} - {"none"}
        out[deck] = frozenset(r for r in RULES if r not in names or r in kept)
    missing = set(decks) - set(out)
    if missing:
        raise SystemExit(f"{path}: no fold for {', '.join(sorted(missing))}")
    return out


def embed(texts: list[str]) -> dict[str, list[float]]:
    from shared.embeddings import MiniLMEmbedder

    unique = sorted(set(texts))
    vectors = MiniLMEmbedder(threads=1, precision="fp32").embed(unique)
    return dict(zip(unique, vectors, strict=True))


def report(name: str, pairs: Pairs) -> str:
    from workers.ocr.line_cues import DROPPED

    accuracy = sum(g == p for g, p in pairs) / max(len(pairs), 1)
    bad, total = dropped_precision(pairs)
    per = []
    for role in ("footer", "meta", "credit", "url"):
        n_pred = sum(p == role for _, p in pairs)
        tp = sum(g == p == role for g, p in pairs)
        per.append(f"{tp / n_pred:.3f}" if n_pred else "-")
    kept = sum(g in DROPPED and p not in DROPPED for g, p in pairs)
    gold_dropped = sum(g in DROPPED for g, _ in pairs)
    return (
        f"| {name} | {macro_f1(pairs):.3f} | {accuracy:.3f} | "
        f"{1 - bad / max(total, 1):.3f} ({bad} of {total}) "
        f"| {' / '.join(per)} | {1 - kept / max(gold_dropped, 1):.3f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cache", help="each deck's read pages (as line_roles.py --cache)")
    parser.add_argument("--data", action="append", help="labelled dev lines (as line_roles.py --data)")
    parser.add_argument(
        "--fold-rules",
        default="auto",
        help="line_roles_lodo.py's output (each fold's held-out rules), 'auto' (default: one step of "
        "backward elimination on the other decks) or 'all' (every rule: in-sample)",
    )
    parser.add_argument(
        "--dropped", type=int, help="variant number: meta and credit by their own classifiers"
    )
    parser.add_argument("--nested", type=int, help="variant number: roles and floors chosen on inner folds")
    parser.add_argument("--variants", help="comma-separated variant numbers to run (default: all)")
    parser.add_argument("--embed", action="store_true", help="also the MiniLM sentence embedding")
    parser.add_argument("--roles", action="store_true", help="per-role F1 of every variant")
    args = parser.parse_args()

    import numpy as np
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    from workers.ocr.line_cues import DROPPED, ROLES, edge_key
    from workers.ocr.pipeline import assign_roles
    from workers.ocr.role_rules import RULES

    rows = load_rows("dev", args.data)
    by_deck: dict[str, dict[int, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        by_deck[row["deck"]][row["page"]].append(row)
    decks = sorted(by_deck)

    # (deck) -> pages, repeats, found [(page index, line index, gold)]
    read: dict[str, tuple[list[Any], Counter[str], list[tuple[int, int, str]]]] = {}
    for deck in decks:
        pages = cached_deck(deck, args.cache)
        repeats: Counter[str] = Counter()
        for page in pages:
            repeats.update({edge_key(line) for line in page.text.split("\n") if line.strip()})
        numbered = {p.number: k for k, p in enumerate(pages)}
        found: list[tuple[int, int, str]] = []
        for number, labelled in sorted(by_deck[deck].items()):
            if number not in numbered:
                continue
            k = numbered[number]
            labelled.sort(key=lambda r: r["line"])
            for row, index in zip(labelled, match(labelled, pages[k].text.split("\n")), strict=True):
                if index is not None:
                    found.append((k, index, row["role"]))
        read[deck] = (pages, repeats, found)

    texts = {d: [r[0][k].text.split("\n")[i].strip() for k, i, _ in r[2]] for d, r in read.items()}
    gold = {d: [g for _, _, g in r[2]] for d, r in read.items()}
    lexical = {d: [hashed(t) for t in ts] for d, ts in texts.items()}
    stats = {d: [word_stats(t) for t in ts] for d, ts in texts.items()}
    vectors = embed([t for ts in texts.values() for t in ts]) if args.embed else {}

    forms_cache: dict[tuple[str, frozenset[str]], tuple[list[list[float]], list[str]]] = {}

    def forms(deck: str, rules: frozenset[str]) -> tuple[list[list[float]], list[str]]:
        """Form features and the rules' role of the deck's labelled lines under a rule set."""
        if (deck, rules) not in forms_cache:
            pages, repeats, found = read[deck]
            titles = [p.title for p in pages]
            assign_roles(pages, rules=rules)
            roles = [[r or "body" for r in p.roles] for p in pages]
            x = [form_features(pages, k, i, roles[k], repeats) for k, i, _ in found]
            forms_cache[(deck, rules)] = (x, [roles[k][i] for k, i, _ in found])
            for page, title in zip(pages, titles, strict=True):
                page.title = title
        return forms_cache[(deck, rules)]

    def matrix(deck: str, rules: frozenset[str], parts: set[str]) -> Any:
        blocks = []
        dense: list[list[float]] = [[] for _ in texts[deck]]
        if "form" in parts:
            dense = [a + b for a, b in zip(dense, forms(deck, rules)[0], strict=True)]
        if "stats" in parts:
            dense = [a + b for a, b in zip(dense, stats[deck], strict=True)]
        if "embed" in parts:
            dense = [a + vectors[t] for a, t in zip(dense, texts[deck], strict=True)]
        if "words" in parts:
            data, cols, ptr = [], [], [0]
            for feats in lexical[deck]:
                cols += list(feats)
                data += list(feats.values())
                ptr.append(len(cols))
            blocks.append(sparse.csr_matrix((data, cols, ptr), shape=(len(ptr) - 1, 3 * BUCKETS)))
        return blocks, np.array(dense, dtype=float)

    def fit_predict(
        train: list[str], deck: str, rules: frozenset[str], parts: set[str], c: float, weight: str | None
    ) -> tuple[list[str], Any]:
        """A logistic regression trained on the train decks' lines: the held-out deck's probabilities."""
        blocks = [matrix(d, rules, parts) for d in train]
        test_blocks, test_dense = matrix(deck, rules, parts)
        stacked_train = [sparse.vstack([b[i] for b, _ in blocks]) for i in range(len(test_blocks))]
        stacked_test = list(test_blocks)
        if test_dense.shape[1]:
            scaler = StandardScaler()
            stacked_train.append(sparse.csr_matrix(scaler.fit_transform(np.vstack([x for _, x in blocks]))))
            stacked_test.append(sparse.csr_matrix(scaler.transform(test_dense)))
        x_train = sparse.hstack(stacked_train).tocsr()
        model = LogisticRegression(C=c, max_iter=1000, tol=1e-3, class_weight=weight)
        started = time.perf_counter()
        model.fit(x_train, [g for d in train for g in gold[d]])
        print(
            f"  {deck[:20]} {sorted(parts)}: {x_train.shape}, fit {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        return [str(k) for k in model.classes_], model.predict_proba(sparse.hstack(stacked_test).tocsr())

    def nested(name: str, parts: set[str], c: float, weight: str | None) -> None:
        """Which roles the classifier may give, and from what probability, chosen on the other decks' own
        held-out predictions (an inner leave-one-deck-out), then applied to the held-out deck."""
        actions = [(role, floor) for role in ROLES for floor in (0.6, 0.8, 0.9)]
        held: Pairs = []
        base: Pairs = []
        for deck in decks:
            rules = folds[deck]
            others = [d for d in decks if d != deck]
            inner = []  # (gold, rule role, predicted, p) of the other decks, each predicted without itself
            for e in others:
                classes, probs = fit_predict([d for d in others if d != e], e, rules, parts, c, weight)
                inner += [
                    (g, r, classes[int(p.argmax())], float(p.max()))
                    for g, r, p in zip(gold[e], forms(e, rules)[1], probs, strict=True)
                ]

            def apply(quads: list[tuple[str, str, str, float]], chosen: dict[str, float]) -> Pairs:
                out = []
                for g, r, p, sure in quads:
                    ok = p in chosen and sure >= chosen[p] and (r not in DROPPED or p in DROPPED)
                    out.append((g, p if ok else r))
                return out

            chosen: dict[str, float] = {}
            score = macro_f1(apply(inner, chosen))
            floor_bad = dropped_precision(apply(inner, chosen))
            while True:
                best = None
                for role, floor in actions:
                    if role in chosen:
                        continue
                    trial = apply(inner, {**chosen, role: floor})
                    bad, total = dropped_precision(trial)
                    if bad * max(floor_bad[1], 1) > floor_bad[0] * max(total, 1):
                        continue  # dropped roles' precision must not fall
                    f = macro_f1(trial)
                    if f > score + 0.002 and (best is None or f > best[0]):
                        best = (f, role, floor)
                if best is None:
                    break
                score, chosen = best[0], {**chosen, best[1]: best[2]}
            classes, probs = fit_predict(others, deck, rules, parts, c, weight)
            quads = [
                (g, r, classes[int(p.argmax())], float(p.max()))
                for g, r, p in zip(gold[deck], forms(deck, rules)[1], probs, strict=True)
            ]
            pairs = apply(quads, chosen)
            held += pairs
            base += [(g, r) for g, r, _, _ in quads]
            print(
                f"| {deck[:40]} | {len(pairs)} | {macro_f1(base[-len(pairs) :]):.3f} | "
                f"{macro_f1(pairs):.3f} | "
                f"{', '.join(f'{k} p>={v}' for k, v in chosen.items()) or 'none'} |",
                flush=True,
            )
        print(report("rules, held out", base))
        print(report(f"{name}: roles and floors chosen on the other decks (nested)", held))
        print("per role: " + ", ".join(f"{r} {f:.2f}" for r, f in role_f1(held).items()))

    def dropped_alone(name: str, parts: set[str], c: float) -> None:
        """Meta and credit on their own: a balanced one-against-the-rest classifier per role, trained on the
        other decks; a line the rules keep as content becomes meta or credit where that role's p >= floor."""
        floors = (0.5, 0.7, 0.9, 0.95, 0.99)
        pooled: dict[float, Pairs] = defaultdict(list)
        base: Pairs = []
        for deck in decks:
            rules = folds[deck]
            others = [d for d in decks if d != deck]
            ruled = forms(deck, rules)[1]
            sure: dict[str, list[float]] = {}
            for role in ("meta", "credit"):
                saved = {d: gold[d] for d in others}
                for d in others:
                    gold[d] = [role if g == role else "other" for g in saved[d]]
                classes, probs = fit_predict(others, deck, rules, parts, c, "balanced")
                gold.update(saved)
                sure[role] = [float(p[classes.index(role)]) for p in probs]
            base += list(zip(gold[deck], ruled, strict=True))
            for floor in floors:
                for j, (g, r) in enumerate(zip(gold[deck], ruled, strict=True)):
                    best = max(("meta", "credit"), key=lambda k: sure[k][j])
                    ok = r not in DROPPED and sure[best][j] >= floor
                    pooled[floor].append((g, best if ok else r))
        print(f"{name}, meta and credit alone (balanced, C={c}):")
        print(
            "| mode | macro-F1 | accuracy | dropped precision | footer / meta / credit / url P | "
            "dropped recall | meta recall | credit recall | lines added (right) |"
        )
        print("|---|---:|---:|---:|---|---:|---:|---:|---:|")
        for label, pairs in [("rules, held out", base)] + [(f"p >= {f}", pooled[f]) for f in floors]:
            recall = {
                k: sum(g == p == k for g, p in pairs) / max(sum(g == k for g, _ in pairs), 1)
                for k in ("meta", "credit")
            }
            added = [(g, p) for (g, p), (_, r) in zip(pairs, base, strict=True) if p != r]
            right = sum(g == p for g, p in added)
            print(
                report(label, pairs)
                + f" {recall['meta']:.3f} | {recall['credit']:.3f} | {len(added)} ({right}) |"
            )

    everything = frozenset(RULES)
    if args.fold_rules == "all":
        folds = {d: everything for d in decks}
    elif args.fold_rules == "auto":
        scores = {
            s: {d: list(zip(gold[d], forms(d, s)[1], strict=True)) for d in decks}
            for s in [everything] + [everything - {r} for r in SIXTH]
        }
        folds = auto_folds(scores, decks)
    else:
        folds = fold_rules(args.fold_rules, decks)
    for deck in decks:
        print(f"fold {deck}: off {', '.join(sorted(everything - folds[deck])) or 'none'}")

    variants = {
        "form (as line_roles_learned.py)": ({"form"}, 1.0, None),
        "words": ({"words"}, 1.0, None),
        "words + wordfreq + scripts": ({"words", "stats"}, 1.0, None),
        "words + wordfreq + scripts + form": ({"words", "stats", "form"}, 1.0, None),
        "words + wordfreq + scripts + form, C=0.3": ({"words", "stats", "form"}, 0.3, None),
        "words + wordfreq + scripts + form, C=0.1": ({"words", "stats", "form"}, 0.1, None),
        "words + wordfreq + scripts + form, balanced": ({"words", "stats", "form"}, 1.0, "balanced"),
    }
    if args.embed:
        variants["MiniLM"] = ({"embed"}, 1.0, None)
        variants["MiniLM + form"] = ({"embed", "form"}, 1.0, None)
        variants["MiniLM + words + wordfreq + scripts + form"] = (
            {"embed", "words", "stats", "form"},
            1.0,
            None,
        )

    if args.dropped is not None:
        name, (parts, c, _) = list(variants.items())[args.dropped]
        dropped_alone(name, parts, 0.1)
        return 0
    if args.nested is not None:
        name, (parts, c, weight) = list(variants.items())[args.nested]
        nested(name, parts, c, weight)
        return 0
    if args.variants:
        wanted = {int(v) for v in args.variants.split(",")}
        variants = {k: v for n, (k, v) in enumerate(variants.items()) if n in wanted}
    pooled: dict[str, Pairs] = defaultdict(list)
    for deck in decks:
        rules = folds[deck]
        held_roles = forms(deck, rules)[1]
        pooled["rules, held out (each fold's rules chosen on the other decks)"] += list(
            zip(gold[deck], held_roles, strict=True)
        )
        pooled["rules, in-sample (all rules on)"] += list(
            zip(gold[deck], forms(deck, everything)[1], strict=True)
        )
        others = [d for d in decks if d != deck]
        for name, (parts, c, weight) in variants.items():
            classes, probs = fit_predict(others, deck, rules, parts, c, weight)
            predicted = [classes[int(p.argmax())] for p in probs]
            sure = [float(p.max()) for p in probs]
            triples = list(zip(predicted, held_roles, sure, strict=True))
            pooled[f"{name}: alone"] += list(zip(gold[deck], predicted, strict=True))
            for floor in (0.6, 0.8, 0.9):
                out = [p if c >= floor and r == "body" and p not in DROPPED else r for p, r, c in triples]
                pooled[f"{name}: fallback where the rules say body, p >= {floor}"] += list(
                    zip(gold[deck], out, strict=True)
                )
                out = [
                    p if c >= floor and r not in DROPPED and p not in DROPPED else r for p, r, c in triples
                ]
                pooled[f"{name}: overriding content roles, p >= {floor}"] += list(
                    zip(gold[deck], out, strict=True)
                )
            for floor in (0.8, 0.9, 0.95):
                out = [p if c >= floor and r not in DROPPED and p in DROPPED else r for p, r, c in triples]
                pooled[f"{name}: adding dropped roles, p >= {floor}"] += list(
                    zip(gold[deck], out, strict=True)
                )
                out = [p if c >= floor and r in DROPPED and p not in DROPPED else r for p, r, c in triples]
                pooled[f"{name}: undoing dropped roles, p >= {floor}"] += list(
                    zip(gold[deck], out, strict=True)
                )
            for floor in (0.8, 0.9):
                out = [
                    p if (c >= floor and r not in DROPPED) and (p not in DROPPED or c >= 0.95) else r
                    for p, r, c in triples
                ]
                pooled[f"{name}: content override p >= {floor} + dropped p >= 0.95"] += list(
                    zip(gold[deck], out, strict=True)
                )
        print(f"fold {deck}: {len(gold[deck])} lines", file=sys.stderr, flush=True)

    print(f"dev decks: {len(decks)}, labelled lines matched: {sum(len(g) for g in gold.values())}")
    print(
        "| labels of the held-out deck | macro-F1 | accuracy | dropped precision | "
        "footer / meta / credit / url precision | dropped recall |"
    )
    print("|---|---:|---:|---:|---|---:|")
    for name, pairs in pooled.items():
        print(report(name, pairs))
    if args.roles:
        print()
        for name, pairs in pooled.items():
            print(f"{name}: " + ", ".join(f"{r} {f:.2f}" for r, f in role_f1(pairs).items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
