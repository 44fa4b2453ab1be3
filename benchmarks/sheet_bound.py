"""The most any cheat sheet could cover: the share of a split's key concepts named in the reader's text.

    SMARTNOTES_BENCH_PAGE_CACHE=... PYTHONPATH=. .venv/bin/python benchmarks/sheet_bound.py \
        --split dev|test [DIR]

A concept counts when its name or an alias occurs as whole words in the text the reader got from the deck
(every page, before line roles), as study_quality.py scores a sheet; a sheet made of the deck's own words can
name no other. Prints counts only, per deck and in all (no concept's name), so it may run on the test split
without showing its items: it measures the reader, not the generator.
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

from retrieval import CACHE, KINDS, deck_languages, read_pages  # noqa: E402
from study_quality import CONCEPTS, concepts_named  # noqa: E402


def bound(text: str, concepts: list[dict[str, Any]]) -> int:
    """How many of `concepts` the text names (a sheet of the text's own words names at most these)."""
    return len(concepts_named(text, concepts))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dir", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    args = parser.parse_args()
    corpus = Path(args.dir)
    data = json.loads(CONCEPTS.read_text(encoding="utf-8"))
    cache: dict[str, Any] = json.loads(CACHE.read_text(encoding="utf-8")) if CACHE.exists() else {}
    named = total = 0
    for entry in sorted(data["decks"], key=lambda d: d["deck"]):
        deck = corpus / entry["deck"]
        if entry["split"] != args.split or deck.suffix.lower() not in KINDS:
            continue
        pages, _ = read_pages(deck, deck_languages(deck), cache, True)
        concepts = entry["key_concepts"]
        n = bound(" \n ".join(p.text for p in pages), concepts)
        named, total = named + n, total + len(concepts)
        print(f"{deck.name[:50]:50} {n:3d} / {len(concepts):3d} = {n / max(1, len(concepts)):.3f}")
    print(f"{args.split}: {named} of {total} key concepts in the reader's text = {named / max(1, total):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
