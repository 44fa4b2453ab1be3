"""Every line whose role a change moves, on the dev decks and their scanned copies (dev only).

    .venv/bin/python benchmarks/roles_changed.py --code /work/wt/X-base --out /tmp/base.json
    .venv/bin/python benchmarks/roles_changed.py --code /work/wt/X --out /tmp/branch.json
    .venv/bin/python benchmarks/roles_changed.py --compare /tmp/base.json /tmp/branch.json

A dump reads each dev deck of the corpus (and, with --scan-dir, each scanned copy made by
benchmarks/scan_decks.py) from the page caches (``--pages``, ``--scan-pages``: retrieval.py's cache files;
a deck missing from a cache is read, slowly) and gives its lines roles with the ocr worker's own
``assign_roles``, importing workers/ from ``--code``. ``--compare`` prints each line whose role differs
(deck, page, old -> new, the line) and the count. The labelled benchmarks (line_roles.py, line_roles_scan.py)
score labelled lines only; this shows what a rule does to all the others. Test decks are never read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

CORPUS = Path("/work/shared/corpus")


def dump(code: Path, sources: list[tuple[str, Path, Path]]) -> dict[str, list[list[tuple[str, str]]]]:
    sys.path[:0] = [str(code), str(code / "benchmarks")]
    from item_validity_data import TEST_DECKS
    from retrieval import read_pages

    from workers.ocr.pipeline import assign_roles

    out: dict[str, list[list[tuple[str, str]]]] = {}
    for tag, cache_path, folder in sources:
        cache: dict[str, Any] = json.loads(cache_path.read_text()) if cache_path.exists() else {}
        for deck in sorted(folder.iterdir()):
            if deck.name in TEST_DECKS or deck.suffix.lower() not in (".pdf", ".pptx"):
                continue
            pages, _ = read_pages(deck, "auto", cache, True)
            assign_roles(pages)
            out[f"{tag}|{deck.name}"] = [
                list(zip(page.text.split("\n"), page.roles, strict=False)) for page in pages
            ]
    return out


def compare(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """One line per line whose role differs: "deck pN: old -> new 'text'" ("body" for no role)."""
    found = []
    for key in sorted(before.keys() & after.keys()):
        for number, (old, new) in enumerate(zip(before[key], after[key], strict=False), start=1):
            for (line, was), (_, now) in zip(old, new, strict=False):
                if was != now:
                    found.append(f"{key[:48]} p{number}: {was or 'body'} -> {now or 'body'} {line[:90]!r}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--code", type=Path, help="the checkout whose workers/ assign the roles")
    parser.add_argument("--out", type=Path, help="where the dump goes")
    parser.add_argument("--pages", type=Path, default=Path("/tmp/mysmartnotes-retrieval-pages.json"))
    parser.add_argument("--scan-pages", type=Path, help="page cache of the scanned copies")
    parser.add_argument("--scan-dir", type=Path, help="the scanned copies (benchmarks/scan_decks.py)")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.compare:
        before, after = (json.loads(p.read_text()) for p in args.compare)
        found = compare(before, after)
        print("\n".join(found))
        print(f"{len(found)} lines changed role")
        return 0
    if not args.code or not args.out:
        parser.error("--code and --out (or --compare)")
    sources = [("text", args.pages, CORPUS)]
    if args.scan_dir and args.scan_pages:
        sources.append(("scan", args.scan_pages, args.scan_dir))
    args.out.write_text(json.dumps(dump(args.code.resolve(), sources), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
