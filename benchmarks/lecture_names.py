"""The name each deck's lecture gets at ingestion, as the ocr worker chooses it.

    .venv/bin/python benchmarks/lecture_names.py --split dev [DIR] [--decks a,b]

Each deck of the split (MANIFEST.tsv; the test decks are benchmarks/chunk_boilerplate.py's TEST_DECKS) is
read through benchmarks/retrieval.py's ``read_pages`` (its page cache; SMARTNOTES_BENCH_PAGE_CACHE=PATH for
your own) and cleaned as the worker does (``clean_pages``: decorations, line roles), then named as
workers/ocr/pipeline.py names it: the title slide's title, else the file's metadata title, else the file's
name (``titles.lecture_title``). Printed per deck: the name and where it came from (slide, metadata, file).
The other benchmarks store every lecture under its file's name, so this is where a change of the choice shows.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from chunk_boilerplate import TEST_DECKS  # noqa: E402
from qa import default_corpus  # noqa: E402
from retrieval import CACHE, KINDS, clean_pages, deck_languages, read_pages  # noqa: E402

from shared.files import LocalFileStore  # noqa: E402
from workers.ocr import titles  # noqa: E402


def first_slide(pages: list[Any]) -> str:
    """What the pipeline passes as the title slide's title (main before branch lecture-title: the slide's
    title lines only)."""
    choose = getattr(titles, "first_slide_title", None)
    if choose is not None:
        return str(choose(pages))
    return titles.slide_title(pages[0].text, pages[0].roles)


def deck_name(deck: Path, pages: list[Any]) -> tuple[str, str]:
    slide = first_slide(pages)
    metadata = titles.metadata_title(deck, KINDS[deck.suffix.lower()])
    name = titles.lecture_title(first_slide=slide, metadata=metadata, filename=deck.name)
    if name is None:
        return deck.stem, "file"
    return name, "slide" if name == titles.clean(slide) else "metadata"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dir", nargs="?", default=str(default_corpus()))
    parser.add_argument("--split", choices=["dev", "test"], required=True)
    parser.add_argument(
        "--decks", default="", help="only decks whose name contains one of these (comma list)"
    )
    args = parser.parse_args()
    corpus = Path(args.dir)
    with (corpus / "MANIFEST.tsv").open(encoding="utf-8") as fh:
        names = sorted(row["file"] for row in csv.DictReader(fh, delimiter="\t"))
    wanted = [s for s in args.decks.split(",") if s]
    decks = [
        corpus / n
        for n in names
        if (n in TEST_DECKS) == (args.split == "test") and (not wanted or any(s in n for s in wanted))
    ]
    cache: dict[str, Any] = json.loads(CACHE.read_text(encoding="utf-8")) if CACHE.exists() else {}
    for deck in decks:
        pages, fresh = read_pages(deck, deck_languages(deck), cache, True)
        if fresh:
            CACHE.write_text(json.dumps(cache, ensure_ascii=False), encoding="utf-8")
        with tempfile.TemporaryDirectory(prefix="bench-names-") as tmp:
            pages = clean_pages(pages, LocalFileStore(Path(tmp)))
        name, source = deck_name(deck, pages)
        print(f"{deck.name[:52]:52} {source:8} {name}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
