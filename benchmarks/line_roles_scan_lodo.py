"""Leave one scanned dev deck out: are the OCR rules' thresholds and subset chosen on five scanned copies good
on the sixth?

    PYTHONPATH=. .venv/bin/python benchmarks/line_roles_scan_lodo.py --text-cache PAGES.json \
        --scan-cache SCAN-PAGES.json [--scan-dir /tmp/s15/scan]

Lines: the labelled dev lines matched on both the text pages and the scan pages, as line_roles_scan.py
matches them (scored on the scan). Configurations: ocr_bullets' BULLET_PAGE_LINES in {2, 3, 4} and
BULLET_DECK_LINES in {3, 5, 8}, and every subset of the new rules (ocr_bullets, wrapped_lines,
date_page_footer; the thresholds only matter with ocr_bullets on). For each scanned deck in turn, the
configuration with the best pooled macro-F1 on the other five (ties: fewer rules) labels it. Printed per deck:
main's rules (none of the three), the shipped configuration (3 / 5, all three), the held-out one; then pooled
macro-F1 and dropped-role precision. Dev copies only.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from line_roles import load_rows, match  # noqa: E402
from line_roles_lodo import Pairs, dropped_precision, macro_f1  # noqa: E402
from line_roles_scan import deck_pages, scan_match  # noqa: E402

NEW = ("ocr_bullets", "wrapped_lines", "date_page_footer")
Config = tuple[int, int, tuple[str, ...]]


def load(args: argparse.Namespace) -> dict[str, tuple[list[Any], list[str], list[tuple[int, int, str]]]]:
    from workers.ocr.pipeline import assign_roles

    text_cache = json.loads(Path(args.text_cache).read_text(encoding="utf-8"))
    scan_cache = json.loads(Path(args.scan_cache).read_text(encoding="utf-8"))
    by: dict[str, dict[int, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for row in load_rows("dev"):
        by[row["deck"]][row["page"]].append(row)
    decks = {}
    for deck, text_pages, scan_pages in deck_pages(args.scan_dir, args.corpus, text_cache, scan_cache):
        assign_roles(text_pages)
        text_by = {p.number: p for p in text_pages}
        scan_at = {p.number: k for k, p in enumerate(scan_pages)}
        found = []
        for number, labelled in sorted(by[deck].items()):
            labelled.sort(key=lambda r: r["line"])
            if number not in text_by or number not in scan_at:
                continue
            t_lines = text_by[number].text.split("\n")
            s_lines = scan_pages[scan_at[number]].text.split("\n")
            for row, ti, si in zip(
                labelled, match(labelled, t_lines), scan_match(labelled, s_lines), strict=True
            ):
                if ti is not None and si is not None:
                    found.append((scan_at[number], si, row["role"]))
        decks[deck] = (scan_pages, [p.title for p in scan_pages], found)
    return decks


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--text-cache", required=True)
    parser.add_argument("--scan-cache", required=True)
    parser.add_argument("--scan-dir", default="/tmp/s15/scan")
    parser.add_argument("--corpus", default="/work/shared/corpus")
    args = parser.parse_args()

    import workers.ocr.role_ocr as role_ocr
    from workers.ocr.pipeline import assign_roles
    from workers.ocr.role_rules import DEFAULT_RULES

    decks = load(args)
    configs: list[Config] = [
        (page_lines, deck_lines, on)
        for page_lines, deck_lines in itertools.product((2, 3, 4), (3, 5, 8))
        for n in range(len(NEW) + 1)
        for on in itertools.combinations(NEW, n)
        if "ocr_bullets" in on or (page_lines, deck_lines) == (3, 5)
    ]
    scored: dict[Config, dict[str, Pairs]] = {}
    for config in configs:
        role_ocr.BULLET_PAGE_LINES, role_ocr.BULLET_DECK_LINES = config[0], config[1]
        rules = (DEFAULT_RULES - set(NEW)) | set(config[2])
        scored[config] = {}
        for deck, (pages, titles, found) in decks.items():
            for page, title in zip(pages, titles, strict=True):
                page.title = title
            assign_roles(pages, rules=rules)
            scored[config][deck] = [(gold, pages[k].roles[i] or "body") for k, i, gold in found]
    names = sorted(decks)
    main_config: Config = (3, 5, ())
    shipped: Config = (3, 5, NEW)
    held: Pairs = []
    print("| held-out scan | lines | main's rules | shipped | held out | chosen on the others |")
    print("|---|---:|---:|---:|---:|---|")
    for name in names:
        others = [n for n in names if n != name]
        best = max(
            configs,
            key=lambda c: (round(macro_f1([x for o in others for x in scored[c][o]]), 6), -len(c[2])),
        )
        held += scored[best][name]
        print(
            f"| {name[:40]} | {len(scored[best][name])} | {macro_f1(scored[main_config][name]):.3f} | "
            f"{macro_f1(scored[shipped][name]):.3f} | {macro_f1(scored[best][name]):.3f} | "
            f"{best[0]} / {best[1]}, {', '.join(best[2]) or 'none'} |"
        )
    print()
    for label, pairs in (
        ("main's rules", [x for n in names for x in scored[main_config][n]]),
        ("shipped", [x for n in names for x in scored[shipped][n]]),
        ("held out, pooled", held),
    ):
        bad, total = dropped_precision(pairs)
        precision = 1 - bad / max(total, 1)
        print(
            f"{label}: macro-F1 {macro_f1(pairs):.3f}, dropped precision {precision:.3f} ({bad} of {total})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
