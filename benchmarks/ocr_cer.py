"""OCR of handwritten and photographed pages: character error rate (CER) and seconds per page, per engine.

    .venv/bin/python benchmarks/ocr_cer.py [--split dev|test|all] [--engines tesseract,rapidocr,choice]
        [--corpus ../shared/corpus] [--transcripts benchmarks/data/ocr_transcripts.json] [--no-decks]
        [--max-side 1100] [--show] [--json OUT]

Engines, each the ocr worker's own reader (workers/ocr/readers.py: render at SMARTNOTES_OCR_DPI, layout, the
page prepared for OCR, "auto" languages), differing only in the second engine:

- tesseract: Tesseract alone (SMARTNOTES_OCR_FALLBACK=none), what the product did before;
- rapidocr: RapidOCR's reading of every page, whatever Tesseract read (the second engine alone);
- choice: the product now: Tesseract, and RapidOCR's reading where Tesseract's does not fit its languages
  and RapidOCR's has clearly more real words (workers/ocr/fallback.py).

Transcribed pages (the transcript file, each page marked "split" dev or test) get CER = Levenshtein distance /
reference length over NFC text with all whitespace removed ("with spaces": whitespace folded to one space);
totals sum distances over summed lengths. Pages are read as one document per file (the transcribed pages cut
out in order), so the deck's language memory works as in the worker. Seconds per page are wall-clock and CPU
(all threads) between pages, one page at a time (SMARTNOTES_OCR_PARALLEL_PAGES=1).

The split's image-only decks (DECKS) are read whole too, unless --no-decks: every page gets its plausible
words (words of 3+ Latin letters that wordfreq knows, plus Chinese characters / 2) and seconds.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))  # siblings by file: a site package may be named "benchmarks"

from hindi_cer import cut_pages, distance, normalise  # noqa: E402  - one CER for both OCR benchmarks
from qa import default_corpus  # noqa: E402

TRANSCRIPTS = ROOT / "benchmarks" / "data" / "ocr_transcripts.json"
ENGINES = ("tesseract", "rapidocr", "choice")
# The image-only (or garbage-layer) decks of each split, read whole: plausibility and speed on every page,
# CER on the transcribed ones.
DECKS = {
    "dev": (
        "ocr_handwritten_pagerank-spark.pdf",
        "ocr_scanned_language-acquisition-handout_mit.pdf",
        "ocr_brokentext_db-relational-model.pdf",
        "hi_photographed_class9-hindi-sparsh-notes.pdf",
    ),
    "test": (
        "ocr_photographed_python-course-notes_ztm.pdf",
        "ocr_imageonly_slt-uniform-convergence_mit9520.pdf",
    ),
}


class Recorder:
    """Wraps the reader's second opinion: which engine each page's reading came from (and, for the
    "rapidocr" engine, forces the second engine's reading on every page)."""

    def __init__(self, inner: Any, *, force: bool) -> None:
        self.inner, self.force = inner, force
        self.engines: list[str] = []

    def choose(self, image: Any, result: Any, languages: str, *, tally: Any = None) -> Any:
        from workers.ocr.fallback import Choice

        if self.force:
            choice = Choice(self.inner.engine.read(image, languages=languages), self.inner.name)
        else:
            choice = self.inner.choose(image, result, languages, tally=tally)
        self.engines.append(choice.engine)
        return choice


def read_pages(path: Path, engine: str, settings: Any, models: Any, tmp: Path) -> Iterator[dict[str, Any]]:
    """Each page of ``path`` read with ``engine``: its text, the engine kept, wall and CPU seconds."""
    from shared.files import LocalFileStore
    from workers.ocr.pipeline import read_options
    from workers.ocr.readers import read_document

    opts = read_options(settings, store=LocalFileStore(tmp), prefix="bench", languages="auto", models=models)
    opts.parallel = 1
    recorder = None
    if engine != "tesseract" and models.second_opinion is not None:
        recorder = Recorder(models.second_opinion, force=engine == "rapidocr")
        opts.second_opinion = recorder  # type: ignore[assignment]
    else:
        opts.second_opinion = None
    wall, cpu = time.perf_counter(), time.process_time()
    for page in read_document(path, "pdf", opts):
        now_wall, now_cpu = time.perf_counter(), time.process_time()
        kept = recorder.engines[-1] if recorder and recorder.engines else "tesseract"
        if recorder:
            recorder.engines.clear()
        yield {"text": page.text, "kept": kept, "wall": now_wall - wall, "cpu": now_cpu - cpu}
        wall, cpu = time.perf_counter(), time.process_time()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=default_corpus(), help="default: ../shared/corpus")
    parser.add_argument("--transcripts", type=Path, default=TRANSCRIPTS)
    parser.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--no-decks", action="store_true", help="only the transcribed pages")
    parser.add_argument(
        "--max-side", type=int, default=0, help="SMARTNOTES_OCR_FALLBACK_MAX_SIDE (default: its)"
    )
    parser.add_argument("--show", action="store_true", help="print every page's text")
    parser.add_argument("--json", type=Path, help="write every row here")
    args = parser.parse_args()

    from shared.settings import Settings
    from shared.text.plausibility import plausible_share
    from workers.ocr.adapters import OcrModels
    from workers.ocr.fallback import plausible_units

    overrides: dict[str, Any] = {"ocr_parallel_pages": 1}
    if args.max_side:
        overrides["ocr_fallback_max_side"] = args.max_side
    settings = Settings(_env_file=None, **overrides)  # type: ignore[call-arg]
    models = OcrModels(settings)  # loaded once, as in the ocr worker
    engines = [e for e in args.engines.split(",") if e]
    pages_file = json.loads(args.transcripts.read_text())["pages"] if args.transcripts.is_file() else []
    if not pages_file:
        print(f"no transcripts at {args.transcripts}: plausible words and seconds only")
    items = [p for p in pages_file if args.split in ("all", str(p["split"]))]
    by_file: dict[str, dict[int, str]] = {}
    for item in items:
        by_file.setdefault(str(item.get("deck") or item["file"]), {})[int(item["page"])] = str(item["text"])
    jobs: dict[str, tuple[list[int], dict[int, str]]] = {
        name: (sorted(refs), refs) for name, refs in by_file.items()
    }
    if not args.no_decks:
        import pypdfium2 as pdfium

        names = [n for split, decks in DECKS.items() if args.split in ("all", split) for n in decks]
        for name in names:  # every page; transcribed ones are scored too
            doc = pdfium.PdfDocument(str(args.corpus / name))
            jobs[name] = (list(range(1, len(doc) + 1)), by_file.get(name, {}))
            doc.close()
    rows: list[dict[str, Any]] = []
    print(f"split {args.split}; engines {', '.join(engines)}; max side {settings.ocr_fallback_max_side}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, (pages, refs) in jobs.items():
            source = cut_pages(args.corpus / name, pages, Path(tmp) / f"{len(rows)}.pdf")
            for engine in engines:
                for number, page in zip(
                    pages, read_pages(source, engine, settings, models, Path(tmp)), strict=True
                ):
                    row: dict[str, Any] = {"file": name, "page": number, "engine": engine, **page}
                    row["units"] = plausible_units(page["text"])
                    row["plausible"] = round(plausible_share(page["text"], min_len=3), 3)
                    if number in refs:
                        ref, hyp = normalise(refs[number]), normalise(page["text"])
                        ref_ws, hyp_ws = (
                            normalise(refs[number], spaces=True),
                            normalise(page["text"], spaces=True),
                        )
                        row |= {"dist": distance(hyp, ref), "len": len(ref)}
                        row |= {"dist_ws": distance(hyp_ws, ref_ws), "len_ws": len(ref_ws)}
                    rows.append(row)
                    cer = f"CER {row['dist'] / max(1, row['len']):6.1%}" if "dist" in row else " " * 10
                    print(
                        f"{name[:44]:<44} p{number:<3} {engine:<9} kept={row['kept']:<9} {cer} "
                        f"units {row['units']:5.1f}  wall {row['wall']:5.1f} s  cpu {row['cpu']:5.1f} s",
                        flush=True,
                    )
                    if args.show:
                        print(page["text"], "\n" + "-" * 80)
            if args.json:  # as we go: a long run keeps what it measured
                args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1))

    print()
    for engine in engines:
        mine = [r for r in rows if r["engine"] == engine]
        scored = [r for r in mine if "dist" in r]
        if scored:
            cer = sum(r["dist"] for r in scored) / sum(r["len"] for r in scored)
            cer_ws = sum(r["dist_ws"] for r in scored) / sum(r["len_ws"] for r in scored)
            print(
                f"TOTAL {engine:<9} transcribed pages {len(scored)}: CER {cer:6.1%} "
                f"(with spaces {cer_ws:6.1%})"
            )
        for name in sorted({r["file"] for r in mine}):
            deck = [r for r in mine if r["file"] == name]
            kept = sum(r["kept"] != "tesseract" for r in deck)
            print(
                f"      {engine:<9} {name[:44]:<44} pages {len(deck):3}  second engine kept {kept:3}  "
                f"units/page {sum(r['units'] for r in deck) / len(deck):6.1f}  "
                f"s/page wall {sum(r['wall'] for r in deck) / len(deck):5.1f} "
                f"cpu {sum(r['cpu'] for r in deck) / len(deck):5.1f}"
            )


if __name__ == "__main__":
    main()
