"""Every line the chunks leave out, on the dev decks, to read by eye: is any of it real content?

    .venv/bin/python benchmarks/dropped_lines.py [DIR] [--deck NAME]

The 10 dev decks (never the test decks of benchmarks/chunk_boilerplate.py's TEST_DECKS) are read from the
shared page cache (benchmarks/qa.py ``read_decks``, then decoration removal and line roles), and for every
page this prints the lines of its text whose role is dropped (footer, meta, credit, URL), the lines of its
text a running footer is cut off the start of, and the lines of its figures' captions and words that the
figure cleaning leaves out (workers/ocr/chunking.py ``figure_line_cut``), with the reason, and a count per
deck and reason at the end.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chunk_boilerplate import TEST_DECKS
from qa import default_corpus, read_decks
from qa_ceiling import line_fates
from retrieval import KINDS


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dir", nargs="?", default=None)
    parser.add_argument("--deck", default="", help="only this dev deck")
    args = parser.parse_args()
    from shared.files import LocalFileStore
    from workers.ocr.chunking import deck_footers

    corpus = Path(args.dir) if args.dir else default_corpus()
    names = {p.name for p in corpus.iterdir() if p.suffix.lower() in KINDS} - TEST_DECKS
    if args.deck:
        if args.deck not in names:
            parser.error(f"{args.deck} is no dev deck of {corpus}")
        names = {args.deck}
    with tempfile.TemporaryDirectory() as tmp:
        decks = read_decks(corpus, names, True, LocalFileStore(Path(tmp)))
    counts: Counter[tuple[str, str]] = Counter()
    for deck, pages in decks.items():
        footers = deck_footers((p.text, p.roles) for p in pages)
        print(f"\n# {deck.name}")
        for page in pages:
            for where, line, why in line_fates(page, footers):
                if not line.strip() or why.startswith("kept"):
                    continue
                reason = why.split(",")[0].split(" (")[0]
                counts[(deck.name, reason)] += 1
                print(f"p{page.number} {where}: {line.strip()!r} -> {why}")
    print("\n| deck | reason | lines |\n|---|---|---:|")
    for (deck_name, reason), n in sorted(counts.items()):
        print(f"| {deck_name} | {reason} | {n} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
