"""OCR of scanned copies of text-layer decks: character error rate against the source's text layer.

    PYTHONPATH=. .venv/bin/python benchmarks/scan_cer.py --checkouts MAIN_DIR,BRANCH_DIR \
        [--scan /tmp/s15/scan] [--reference /tmp/s15/final-pages.json] [--decks es_mechanics,chem_ru]
        [--json OUT]

The copies are benchmarks/scan_decks.py's image-only renders of dev decks that have a text layer. Each copy is
read by the ocr worker's reader (workers/ocr/readers.py, OCR languages "auto", as for a new subject) of every
checkout in turn, deck by deck (main and a branch in the same run), each in its own process with
PYTHONPATH=<checkout>, models loaded before the clock starts. Every OCR'd page is compared with the SAME page
of the source deck as the reader reads its text layer (the page cache --reference, keyed by the source's file
name: "x.pptx.pdf" is the copy of "x.pptx"). CER = Levenshtein distance / reference length over NFC text with
all whitespace removed ("with spaces": whitespace folded to one space), hindi_cer.py's; totals sum distances
over summed lengths. An OCR'd page also carries the words drawn inside its pictures, which a text layer lacks
(es_mechanics: 13,800 characters against 6,069), so a CER above 100 % is mostly those insertions: compare
checkouts, not levels. "non-ASCII words" (accented or Cyrillic): the reference's words with a non-ASCII letter
found as words in the OCR'd page (an English pack reads "sección" as "seccién"). Seconds per page: the deck's
wall-clock and process CPU time (all threads) over its pages.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def read_copy(deck: Path) -> dict[str, Any]:
    """The copy's pages as the checkout on sys.path reads them (run in a child process)."""
    from shared.files import LocalFileStore
    from shared.settings import Settings
    from workers.ocr.adapters import OcrModels
    from workers.ocr.pipeline import read_options
    from workers.ocr.readers import read_document

    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    models = OcrModels(settings)
    models.ocr, models.layout, models.second_opinion  # noqa: B018 - loaded before the clock starts
    with tempfile.TemporaryDirectory(prefix="bench-scan-cer-") as tmp:
        opts = read_options(
            settings, store=LocalFileStore(Path(tmp)), prefix="bench", languages="auto", models=models
        )
        wall, cpu = time.perf_counter(), time.process_time()
        pages = list(read_document(deck, "pdf", opts))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"texts": {p.number: p.text for p in pages}, "wall": wall, "cpu": cpu, "last": opts.auto.last}


def child(checkout: Path, deck: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--read", str(deck), "--checkout", str(checkout)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def accented_found(reference: str, text: str) -> tuple[int, int]:
    import regex

    words = [w for w in regex.findall(r"\p{L}+", reference) if not w.isascii()]
    got = set(regex.findall(r"\p{L}+", text))
    return sum(w in got for w in words), len(words)


def score(reference: dict[int, str], texts: dict[int, str]) -> dict[str, float]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from hindi_cer import distance, normalise

    totals = dict.fromkeys(("dist", "len", "dist_ws", "len_ws", "acc", "acc_n"), 0)
    for number, ref in reference.items():
        hyp = texts.get(number, "")
        totals["dist"] += distance(normalise(hyp), normalise(ref))
        totals["len"] += len(normalise(ref))
        totals["dist_ws"] += distance(normalise(hyp, spaces=True), normalise(ref, spaces=True))
        totals["len_ws"] += len(normalise(ref, spaces=True))
        found, n = accented_found(ref, hyp)
        totals["acc"] += found
        totals["acc_n"] += n
    return {
        "cer": totals["dist"] / max(1, totals["len"]),
        "cer_ws": totals["dist_ws"] / max(1, totals["len_ws"]),
        "accented": totals["acc"],
        "accented_of": totals["acc_n"],
        "chars": totals["len"],
    }


def source_pages(cache: dict[str, Any], copy: Path) -> dict[int, str]:
    source = copy.name[: -len(".pdf")] if copy.name.count(".") > 1 else copy.name
    keys = [k for k in cache if k.startswith(f"{source}|")]
    if not keys:
        raise SystemExit(f"{source}: not in the reference cache")
    return {int(p["number"]): str(p["text"]) for p in cache[keys[0]]}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--checkouts", default=str(ROOT), help="comma-separated checkout directories")
    parser.add_argument("--scan", type=Path, default=Path("/tmp/s15/scan"), help="the image-only copies")
    parser.add_argument("--reference", type=Path, default=Path("/tmp/s15/final-pages.json"))
    parser.add_argument("--decks", default="", help="comma-separated prefixes of the copies' names")
    parser.add_argument("--cached", type=Path, help="also score this page cache's reading of the copies")
    parser.add_argument("--json", type=Path, help="write every row here")
    parser.add_argument("--read", type=Path, help=argparse.SUPPRESS)  # child: read one copy
    parser.add_argument("--checkout", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.read:
        sys.path.insert(0, str(args.checkout))
        print(json.dumps(read_copy(args.read), ensure_ascii=False))
        return 0

    from item_validity_data import TEST_DECKS

    prefixes = [d for d in args.decks.split(",") if d]
    copies = [
        c
        for c in sorted(args.scan.glob("*.pdf"))
        if (not prefixes or any(c.name.startswith(p) for p in prefixes))
        and not any(c.name.startswith(t) for t in TEST_DECKS)
    ]
    cache = json.loads(args.reference.read_text())
    checkouts = [Path(c) for c in args.checkouts.split(",") if c]
    rows: list[dict[str, Any]] = []
    earlier = json.loads(args.cached.read_text()) if args.cached else {}
    for copy in copies:
        reference = source_pages(cache, copy)
        for key in [k for k in earlier if k.startswith(f"{copy.name}|")]:  # no timing: read elsewhere
            texts = {int(p["number"]): str(p["text"]) for p in earlier[key]}
            row = {"deck": copy.name, "checkout": f"cache {key.rsplit('|', 1)[-1]}"} | score(reference, texts)
            rows.append(row)
            print(
                f"{copy.name[:40]:<40} {row['checkout']:<16} CER {row['cer']:6.2%}"
                f" (with spaces {row['cer_ws']:6.2%})  non-ASCII words {row['accented']}/{row['accented_of']}"
            )
        for checkout in checkouts:
            read = child(checkout, copy)
            texts = {int(k): v for k, v in read["texts"].items()}
            row = {"deck": copy.name, "checkout": str(checkout), "pages": len(texts), "last": read["last"]}
            row |= score(reference, texts)
            row |= {
                "wall_per_page": read["wall"] / max(1, len(texts)),
                "cpu_per_page": read["cpu"] / max(1, len(texts)),
            }
            rows.append(row)
            print(
                f"{copy.name[:40]:<40} {checkout.name:<16} CER {row['cer']:6.2%}"
                f" (with spaces {row['cer_ws']:6.2%})"
                f"  non-ASCII words {row['accented']}/{row['accented_of']}"
                f"  {row['wall_per_page']:.2f} s/page wall,"
                f" {row['cpu_per_page']:.2f} CPU  last={row['last']}",
                flush=True,
            )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "benchmarks"))
    raise SystemExit(main())
