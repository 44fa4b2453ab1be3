"""Repeated footers and course-meta lines in the chunks of the corpus decks (issue 12: "no chunk of the
corpus decks carries a repeated footer or course-meta line").

    .venv/bin/python benchmarks/chunk_boilerplate.py [DIR] [--split dev|test|all] [--examples 3]

Every deck in DIR (default /work/shared/corpus) is read as benchmarks/retrieval.py reads it (same reader, same
page cache in /tmp: reading an uncached deck takes minutes of OCR), then given to the ocr worker's own code:
decorations dropped and a role for every line (workers.ocr.pipeline.drop_decorations, assign_roles), then
chunked (workers.ocr.chunking.page_chunks, as store_pages calls it). No database, no embedding.

A "repeated footer or course-meta line" of a deck is
  (a) a line among the first or last 3 non-blank lines of at least 3 pages and 30 % of the deck's pages,
      digits normalised (workers.ocr.line_cues.edge_key), or
  (b) a line the frozen, blind labels (benchmarks/data/line_roles.jsonl) mark footer or meta.
A chunk carries such a line when the line's normalised text (edge_key, at least 12 characters) is found in
the chunk's normalised text. Printed per deck and per split: chunks, chunks carrying such a line (with up to
--examples examples each), and the total. The split is the labels' (test: the 8 decks of HELPERS.md).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))  # its sibling modules (a site package is called benchmarks)

from item_validity_data import TEST_DECKS  # noqa: E402  (re-exported: other scripts import it from here)
from retrieval import CACHE, KINDS, deck_languages, read_pages  # noqa: E402

LABELS = ROOT / "benchmarks" / "data" / "line_roles.jsonl"
EDGE_LINES = 3
MIN_PAGES = 3
SHARE = 0.3
MIN_CHARS = 12
LABELLED = ("footer", "meta")


@dataclass
class Leak:
    page: int
    source: str  # the chunk's source (text_layer, ocr, notes, figure, ...)
    line: str  # the boilerplate line as it is on the page
    why: str  # "repeated" or "labelled footer" / "labelled meta"


def repeated_lines(pages: list[Any]) -> dict[str, str]:
    """Normalised key -> one original line, for lines at an edge of enough pages (rule a)."""
    from workers.ocr.line_cues import edge_key

    counts: Counter[str] = Counter()
    original: dict[str, str] = {}
    for page in pages:
        lines = [line.strip() for line in page.text.split("\n") if line.strip()]
        edges = set(lines[:EDGE_LINES] + lines[-EDGE_LINES:])
        keys = {edge_key(line): line for line in edges}
        counts.update(list(keys))
        for key, line in keys.items():
            original.setdefault(key, line)
    threshold = max(MIN_PAGES, int(len(pages) * SHARE + 0.999))
    return {k: original[k] for k, n in counts.items() if n >= threshold and len(k) >= MIN_CHARS}


def labelled_lines(deck: str, labels: list[dict[str, Any]]) -> dict[str, str]:
    """Normalised key -> (role, line) for the deck's lines labelled footer or meta (rule b)."""
    from workers.ocr.line_cues import edge_key

    out: dict[str, str] = {}
    for row in labels:
        if row["deck"] == deck and row["role"] in LABELLED:
            key = edge_key(row["text"])
            if len(key) >= MIN_CHARS:
                out.setdefault(key, f"{row['role']}\t{row['text']}")
    return out


def deck_chunks(pages: list[Any]) -> list[tuple[int, Any]]:
    """(page number, ChunkDraft) for every chunk, made as store_pages makes them."""
    from workers.ocr.chunking import content_chunks, deck_footers

    footers = deck_footers((p.text, p.roles) for p in pages)
    return [(page.number, d) for page in pages for d in content_chunks(page, footers)]


def leaks(pages: list[Any], deck: str, labels: list[dict[str, Any]]) -> tuple[int, list[Leak]]:
    """The deck's chunk count and one Leak per chunk carrying a boilerplate line (the first one found)."""
    from workers.ocr.line_cues import edge_key

    wanted = {k: ("repeated", line) for k, line in repeated_lines(pages).items()}
    for key, value in labelled_lines(deck, labels).items():
        role, line = value.split("\t", 1)
        wanted.setdefault(key, (f"labelled {role}", line))
    chunks = deck_chunks(pages)
    found = []
    for number, draft in chunks:
        text = edge_key(draft.text)
        for key, (why, line) in wanted.items():
            if key in text:
                found.append(Leak(number, draft.source, line, why))
                break
    return len(chunks), found


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dir", nargs="?", default="/work/shared/corpus")
    parser.add_argument("--split", choices=["dev", "test", "all"], default="all")
    parser.add_argument("--examples", type=int, default=3)
    args = parser.parse_args()

    from workers.ocr.pipeline import assign_roles, drop_decorations

    labels = [json.loads(x) for x in LABELS.read_text(encoding="utf-8").splitlines() if x.strip()]
    corpus = Path(args.dir)
    paths = sorted(p for p in corpus.iterdir() if p.suffix.lower() in KINDS)
    cache: dict[str, Any] = json.loads(CACHE.read_text(encoding="utf-8")) if CACHE.exists() else {}
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # decks, chunks, leaking chunks
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-boilerplate-") as tmp:
        from shared.files import LocalFileStore

        files = LocalFileStore(Path(tmp))
        for deck in paths:
            split = "test" if deck.name in TEST_DECKS else "dev"
            if args.split != "all" and split != args.split:
                continue
            pages, fresh = read_pages(deck, deck_languages(deck), cache, True)
            if fresh:
                CACHE.write_text(json.dumps(cache, ensure_ascii=False), encoding="utf-8")
            drop_decorations(pages, SimpleNamespace(files=files))  # type: ignore[arg-type]
            assign_roles(pages)
            n_chunks, found = leaks(pages, deck.name, labels)
            totals[split][0] += 1
            totals[split][1] += n_chunks
            totals[split][2] += len(found)
            print(
                f"[{split}] {deck.name}: {len(pages)} pages, {n_chunks} chunks, "
                f"{len(found)} carry boilerplate"
            )
            for leak in found[: args.examples]:
                print(f"      p{leak.page} ({leak.source}, {leak.why}): {leak.line[:100]!r}")
    print()
    print("| split | decks | chunks | chunks carrying a repeated footer or course-meta line |")
    print("|---|---:|---:|---:|")
    for split in ("dev", "test"):
        if split in totals:
            d, c, n = totals[split]
            print(f"| {split} | {d} | {c} | {n} ({n / max(c, 1):.1%}) |")
    d, c, n = (sum(t[i] for t in totals.values()) for i in range(3))
    print(f"| all | {d} | {c} | {n} ({n / max(c, 1):.1%}) |")
    print(f"{time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
