"""The best an extractive answer could reach: is the key phrase in what the product READ of the gold slide?

    .venv/bin/python benchmarks/qa_ceiling.py --split dev|test|all [DIR]

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
    from workers.ocr.chunking import deck_footers, page_chunks

    footers = deck_footers((p.text, p.roles) for p in pages)
    read: dict[int, str] = {}
    chunks: dict[int, str] = {}
    for p in pages:
        figure_texts = ["\n".join(x for x in (f.caption, f.text) if x) for f in p.figures]
        read[p.number] = "\n".join([p.text, p.notes, *figure_texts])
        drafts = page_chunks(
            text=p.text,
            source=p.source,
            notes=p.notes,
            figure_texts=figure_texts,
            roles=p.roles,
            footers=footers,
        )
        chunks[p.number] = "\n".join(d.text for d in drafts)
    return read, chunks


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dir", nargs="?", default=None)
    parser.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    args = parser.parse_args()
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
    print(f"split {args.split}: {len(items)} answerable items; key phrases all found on the gold page(s)")
    for table in ("all", "deck", "type"):
        print(f"\n| {table} | n | read | chunks |\n|---|---:|---:|---:|")
        for key, rows in sorted(groups[table].items()):
            n = len(rows)
            print(f"| {key} | {n} | {sum(r for r, _ in rows) / n:.2f} | {sum(c for _, c in rows) / n:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
