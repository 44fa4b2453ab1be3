"""The best an extractive answer could reach: is the key phrase in what the product READ of the gold slide?

    .venv/bin/python benchmarks/qa_ceiling.py --split dev|test|all [DIR]
    .venv/bin/python benchmarks/qa_ceiling.py --split dev --misses   # dev only: why each lost item was lost

No retrieval, no answer, no model: for every answerable item of benchmarks/data/qa.jsonl, the gold page(s)
as the worker reads and stores them (the page cache of benchmarks/retrieval.py, decoration removal, line
roles, then the worker's own ``page_chunks``, exactly what indexing and answers draw from) are searched for
the item's key phrases with qa_support's matcher (the one that scores answers). Printed per split, deck and
question type: the share of items whose key phrases are all in

- ``read``: the gold pages' whole text as read (text, speaker notes, figure captions and words);
- ``chunks``: the gold pages' chunks (footer, course meta, credit and URL lines left out).

``chunks`` is an upper bound of "key phrase in answer" for any answer built from the slides' words (the
bundled model is only allowed to rephrase what a source sentence entails); an item missing in ``read``
needs a better reader (OCR of handwriting, words of a picture), one present in ``read`` but missing in
``chunks`` was dropped as boilerplate. This measures the reader and the data, not the tuned answer code.

``--misses`` (refused on the test split, whose lines we must not look at) prints, for every item found in
``read`` but not in ``chunks``, the gold page's lines that hold a key phrase missing from the chunks and
why each left the chunks: its role, a running footer cut off its start, or the figure-words cleaning.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa import default_corpus, read_decks
from qa_support import key_phrases_found, load_items

DATA = Path(__file__).resolve().parent / "data" / "qa.jsonl"


def page_texts(pages: list[Any]) -> tuple[dict[int, str], dict[int, str]]:
    """Per page number: the whole text as read, and the text of its chunks as the worker makes them."""
    from workers.ocr.chunking import content_chunks, deck_footers

    footers = deck_footers((p.text, p.roles) for p in pages)
    read: dict[int, str] = {}
    chunks: dict[int, str] = {}
    for p in pages:
        figure_words = ["\n".join(x for x in (f.caption, f.text) if x) for f in p.figures]
        read[p.number] = "\n".join([p.text, p.notes, *figure_words])
        chunks[p.number] = "\n".join(d.text for d in content_chunks(p, footers))
    return read, chunks


def line_fates(page: Any, footers: frozenset[str]) -> list[tuple[str, str, str]]:
    """Every line the worker read of the page as (where, line, why it is not in the chunks or "kept")."""
    from workers.ocr.chunking import (
        _without_footer_prefix,
        figure_line_cut,
        footer_remainder,
        page_drop_keys,
    )
    from workers.ocr.line_cues import DROPPED

    out = []
    lines = page.text.split("\n")
    roles = list(page.roles or [])
    aligned = len(roles) == len(lines)
    for n, line in enumerate(lines):
        role = roles[n] if aligned else ""
        if role in DROPPED:
            glued = footer_remainder(line, footers) if role == "footer" else ""
            out.append(("text", line, f"role {role}" + (f", glued words kept {glued!r}" if glued else "")))
            continue
        rest = _without_footer_prefix(line, footers)
        why = f"footer prefix cut, kept {rest!r}" if rest != line else "kept"
        out.append(("text", line, f"{why} (role {role or '?'})"))
    out += [("notes", line, "kept") for line in page.notes.split("\n")]
    dropped, kept = page_drop_keys(page.text, page.roles)
    for f in page.figures:
        for line in "\n".join(x for x in (f.caption, f.text) if x).split("\n"):
            cut = figure_line_cut(line, dropped, kept, footers)
            rest = _without_footer_prefix(line, footers)
            why = f"figure cleaning: {cut}" if cut else "kept"
            if not cut and rest != line:
                why = f"footer prefix cut, kept {rest!r}"
            out.append(("figure", line, why))
    return out


def print_misses(items: list[Any], decks: dict[Path, list[Any]], texts: dict[str, Any]) -> None:
    from qa_support import phrase_found

    from workers.ocr.chunking import deck_footers

    pages = {deck.name: {p.number: p for p in ps} for deck, ps in decks.items()}
    footers = {deck.name: deck_footers((p.text, p.roles) for p in ps) for deck, ps in decks.items()}
    for item in items:
        read, chunks = texts[item.deck]
        gold_read = "\n".join(read.get(g, "") for g in item.gold_pages)
        gold_chunks = "\n".join(chunks.get(g, "") for g in item.gold_pages)
        if not key_phrases_found(gold_read, item.key_phrases) or key_phrases_found(
            gold_chunks, item.key_phrases
        ):
            continue
        print(f"\n## {item.deck} p{item.gold_pages} {item.question!r}")
        for group in item.key_phrases:
            if any(phrase_found(gold_chunks, p) for p in group):
                continue
            print(f"  missing from chunks: {group}")
            for g in item.gold_pages:
                if g not in pages[item.deck]:
                    continue
                for where, line, why in line_fates(pages[item.deck][g], footers[item.deck]):
                    if any(phrase_found(line, p) for p in group):
                        print(f"    p{g} {where}: {line.strip()!r} -> {why}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dir", nargs="?", default=None)
    parser.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--misses", action="store_true", help="dev only: why items left the chunks")
    args = parser.parse_args()
    if args.misses and args.split != "dev":
        parser.error("--misses prints the gold pages' lines: dev split only")
    from shared.files import LocalFileStore

    items = [i for i in load_items(DATA, args.split) if i.answerable]
    corpus = Path(args.dir) if args.dir else default_corpus()
    with tempfile.TemporaryDirectory() as tmp:
        decks = read_decks(corpus, {i.deck for i in items}, True, LocalFileStore(Path(tmp)))
    texts = {deck.name: page_texts(pages) for deck, pages in decks.items()}
    groups: dict[str, dict[str, list[tuple[bool, bool]]]] = defaultdict(lambda: defaultdict(list))
    for item in items:
        read, chunks = texts[item.deck]
        on_read = key_phrases_found("\n".join(read.get(g, "") for g in item.gold_pages), item.key_phrases)
        on_chunks = key_phrases_found("\n".join(chunks.get(g, "") for g in item.gold_pages), item.key_phrases)
        for table, key in (("all", "all"), ("deck", item.deck), ("type", item.type)):
            groups[table][key].append((on_read, on_chunks))
    if args.misses:
        print_misses(items, decks, texts)
        return 0
    print(f"split {args.split}: {len(items)} answerable items; key phrases all found on the gold page(s)")
    for table in ("all", "deck", "type"):
        print(f"\n| {table} | n | read | chunks |\n|---|---:|---:|---:|")
        for key, rows in sorted(groups[table].items()):
            n = len(rows)
            print(f"| {key} | {n} | {sum(r for r, _ in rows) / n:.2f} | {sum(c for _, c in rows) / n:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
