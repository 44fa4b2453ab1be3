"""Line roles against the frozen hand-labelled set (benchmarks/data/line_roles.jsonl).

    .venv/bin/python benchmarks/line_roles.py --split dev [--errors] [--cache DIR] [--data FILE ...]
    .venv/bin/python benchmarks/line_roles.py --split test
    .venv/bin/python benchmarks/line_roles.py --split dev|test --oracle   (majority-vote bound, matched lines)

Labels: for dev, the frozen set (benchmarks/data/line_roles.jsonl) and the later dev pages
(benchmarks/data/line_roles_dev_extra.jsonl) together; for test, the frozen set. ``--data FILE``
(repeatable) reads only the files named, e.g. ``--data benchmarks/data/line_roles_dev_extra.jsonl`` for the
later pages alone.

Each labelled deck is read by the product's own reader (workers.ocr.readers.read_document with the worker's
read options: layout model, text layer or OCR), decorations are dropped and roles assigned exactly as the ocr
worker does (workers.ocr.pipeline.drop_decorations, assign_roles); no database. Every labelled line is matched
to the product's line on the same page by normalised text (difflib ratio >= 0.8, or the labelled text
contained in a longer product line, e.g. one cell of a table row; a line the product split in two matches the
pair; a short label such as a page number matches the first or last word of a product line). Unmatched
lines are counted and left out of the scores. Prints per-role precision/recall/F1, the macro-F1 over
the roles present in the split, and the precision of the dropped roles (footer, meta, credit,
url: lines never indexed or quizzed) alone and together.

Tune on dev only. --errors lists each wrong line and is refused for the test split.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from difflib import SequenceMatcher
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = ROOT / "benchmarks" / "data" / "line_roles.jsonl"
DEV_EXTRA = ROOT / "benchmarks" / "data" / "line_roles_dev_extra.jsonl"  # the dev decks' other pages
CORPUS = next(
    (
        p
        for p in (
            Path(os.environ.get("CORPUS", "")),
            ROOT.parent / "shared" / "corpus",
            Path("/work/shared/corpus"),
        )
        if str(p) != "." and p.is_dir()
    ),
    ROOT.parent / "shared" / "corpus",
)
KINDS = {".pdf": "pdf", ".pptx": "pptx"}
MIN_RATIO = 0.8
_SPACES = re.compile(r"\s+")
_BULLETS = re.compile(r"^[•◦▪▫‣⁃●○■□►▶❖◆◇➢➤✓✔*·\-–~]+\s*")


def norm(text: str) -> str:
    return _BULLETS.sub("", _SPACES.sub(" ", text).strip().lower())


def load_rows(split: str, data: list[str] | None = None) -> list[dict[str, Any]]:
    """The labelled lines of a split: from the files named, else the frozen set (and, for dev, the later dev
    pages). A page labelled in two files would mix two line numberings, so that is refused."""
    files = [Path(f) for f in data] if data else [DATA] + ([DEV_EXTRA] if split == "dev" else [])
    rows: list[dict[str, Any]] = []
    owner: dict[tuple[str, int], Path] = {}
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if row["split"] != split:
                continue
            first = owner.setdefault((row["deck"], row["page"]), path)
            if first != path:
                raise SystemExit(f"{row['deck']} page {row['page']} is labelled in {first} and {path}")
            rows.append(row)
    return rows


def read_deck(path: Path) -> list[Any]:
    """The deck's pages as the ocr worker reads them, with roles assigned."""
    from retrieval import deck_languages  # the product's default languages, as every benchmark reads

    from shared.files import LocalFileStore
    from shared.settings import Settings
    from workers.ocr.pipeline import drop_decorations, read_options
    from workers.ocr.readers import read_document

    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    with tempfile.TemporaryDirectory() as tmp:
        opts = read_options(
            settings, store=LocalFileStore(Path(tmp)), prefix="bench", languages=deck_languages(path)
        )
        pages = list(read_document(path, KINDS[path.suffix.lower()], opts))
        drop_decorations(pages, SimpleNamespace(files=SimpleNamespace(delete_prefix=lambda key: None)))  # type: ignore[arg-type]
    return pages


def cached_deck(deck: str, cache_dir: str | None) -> list[Any]:
    """The corpus deck's pages as read_deck reads them, kept in cache_dir (a pickle per deck) when given."""
    cache = Path(cache_dir) / f"{deck}.pkl" if cache_dir else None
    if cache is not None and cache.is_file():
        return list(pickle.loads(cache.read_bytes()))
    pages = read_deck(CORPUS / deck)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(pickle.dumps(pages))
    return pages


def match(labelled: list[dict[str, Any]], lines: list[str]) -> list[int | None]:
    """For each labelled line, the index of the product line it is (None when nothing is close enough)."""
    keys = [norm(line) for line in lines]
    out: list[int | None] = []
    for row in labelled:
        label = norm(row["text"])
        best, best_score = None, 0.0
        expected = row["line"] / max(len(labelled), 1) * max(len(keys), 1)
        for i, key in enumerate(keys):
            if not key:
                continue
            score = SequenceMatcher(None, label, key, autojunk=False).ratio()
            if score < MIN_RATIO and len(label) >= 6 and label in key:
                score = MIN_RATIO + 0.05 * len(label) / len(key)
            elif score < MIN_RATIO and len(label) < 6 and label in key.split(" ")[:1] + key.split(" ")[-1:]:
                score = MIN_RATIO  # a page number or a table cell the product keeps on a line with others
            if score < MIN_RATIO and i + 1 < len(keys) and len(key) < len(label):
                score = max(
                    score, SequenceMatcher(None, label, f"{key} {keys[i + 1]}", autojunk=False).ratio()
                )
            score -= 0.001 * abs(i - expected) / max(len(keys), 1)  # ties go to the line at the same place
            if score > best_score:
                best, best_score = i, score
        out.append(best if best_score >= MIN_RATIO - 0.001 else None)
    return out


def oracle_roles(labelled: list[dict[str, Any]], matched: list[int | None]) -> dict[int, str]:
    """Product line -> the role most of the labels matched to it have (ties: the first label's): a
    majority-vote bound on the matched lines (the best accuracy any role classifier can reach on the lines as
    the reader gives them; lines it glued cost here; labels it lost, unmatched, are left out as always)."""
    votes: dict[int, Counter[str]] = defaultdict(Counter)
    for row, index in zip(labelled, matched, strict=True):
        if index is not None:
            votes[index][row["role"]] += 1
    return {index: counts.most_common(1)[0][0] for index, counts in votes.items()}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--split", choices=["dev", "test"], required=True)
    parser.add_argument("--errors", action="store_true", help="list wrong lines (dev only)")
    parser.add_argument("--cache", help="keep each deck's read pages here (roles are always recomputed)")
    parser.add_argument("--data", action="append", help="labelled lines to read (repeatable; default above)")
    parser.add_argument(
        "--oracle",
        action="store_true",
        help="majority-vote bound on the matched lines: each product line gets its labels' commonest role",
    )
    args = parser.parse_args()
    if args.errors and args.split == "test":
        parser.error("--errors is for the dev split only: do not tune on test")

    from workers.ocr.line_cues import DROPPED, ROLES
    from workers.ocr.pipeline import assign_roles

    rows = load_rows(args.split, args.data)
    by_deck: dict[str, dict[int, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        by_deck[row["deck"]][row["page"]].append(row)

    gold: list[str] = []
    pred: list[str] = []
    unmatched: Counter[str] = Counter()
    errors: list[str] = []
    started = time.perf_counter()
    for deck in sorted(by_deck):
        pages = cached_deck(deck, args.cache)
        assign_roles(pages)
        numbered = {p.number: p for p in pages}
        for number, labelled in sorted(by_deck[deck].items()):
            labelled.sort(key=lambda r: r["line"])
            page = numbered.get(number)
            lines = page.text.split("\n") if page is not None else []
            matched = match(labelled, lines)
            best = oracle_roles(labelled, matched) if args.oracle else {}
            for row, index in zip(labelled, matched, strict=True):
                if index is None or page is None:
                    unmatched[row["role"]] += 1
                    if args.errors:
                        errors.append(
                            f"{deck[:14]} p{number} {row['role']:>11} <- UNMATCHED   {row['text'][:90]}"
                        )
                    continue
                role = best[index] if args.oracle else page.roles[index] or "body"
                gold.append(row["role"])
                pred.append(role)
                if args.errors and role != row["role"]:
                    errors.append(f"{deck[:14]} p{number} {row['role']:>11} <- {role:<11} {row['text'][:90]}")
    seconds = time.perf_counter() - started

    if errors:
        print("\n".join(errors))
        print()
    print(
        f"split {args.split}: {len(rows)} labelled lines, {len(gold)} matched, "
        f"{sum(unmatched.values())} unmatched"
    )
    print(f"{'role':<12} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6} {'unmatched':>9}")
    f1s = []
    for role in ROLES:
        tp = sum(g == p == role for g, p in zip(gold, pred, strict=True))
        n_gold, n_pred = gold.count(role), pred.count(role)
        if not n_gold and not n_pred and not unmatched[role]:
            continue
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if n_gold:
            f1s.append(f1)
        print(
            f"{role:<12} {n_gold:>5} {n_pred:>5} {precision:>6.3f} {recall:>6.3f} {f1:>6.3f} "
            f"{unmatched[role]:>9}"
        )
    dropped_pred = [g for g, p in zip(gold, pred, strict=True) if p in DROPPED]
    kept_wrongly = sum(1 for g, p in zip(gold, pred, strict=True) if g in DROPPED and p not in DROPPED)
    content_dropped = sum(1 for g in dropped_pred if g not in DROPPED)
    accuracy = sum(g == p for g, p in zip(gold, pred, strict=True)) / max(len(gold), 1)
    print(f"macro-F1 over {len(f1s)} roles: {sum(f1s) / max(len(f1s), 1):.3f}   accuracy: {accuracy:.3f}")
    print(
        f"dropped roles together: precision {1 - content_dropped / max(len(dropped_pred), 1):.3f} "
        f"({content_dropped} content lines of {len(dropped_pred)} dropped), "
        f"recall {1 - kept_wrongly / max(sum(g in DROPPED for g in gold), 1):.3f} "
        f"({kept_wrongly} boilerplate lines kept)"
    )
    print(f"{seconds:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
