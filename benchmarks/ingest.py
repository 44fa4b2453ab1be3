"""Ingestion speed on real decks: the worker's pipeline against a plain text-extraction baseline.

    .venv/bin/python benchmarks/ingest.py [DIR] [--synthetic-pages 300]

For every PDF/PPTX/image in DIR (default ../shared/corpus) it runs, each in a fresh process so peak RSS
is the deck's own: (1) the pipeline the ocr worker runs (render, layout, text layer or OCR, figures,
thumbnails, line roles, chunks; no database), one worker process, pages in parallel threads as
configured; (2) the baseline: text extraction only (pdfium text layer / python-pptx), no layout, no OCR.
--synthetic-pages N adds a generated N-page text+figure PDF to show memory does not grow with length.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KINDS = {".pdf": "pdf", ".pptx": "pptx", ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image"}


def run_pipeline(path: str, kind: str, queue: mp.Queue) -> None:  # type: ignore[type-arg]
    from shared.files import LocalFileStore
    from shared.settings import Settings
    from workers.ocr.chunking import page_chunks
    from workers.ocr.pipeline import assign_roles, read_options
    from workers.ocr.readers import read_document

    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    with tempfile.TemporaryDirectory() as tmp:
        # The models load here, once per worker, as in the ocr worker; not timed.
        opts = read_options(settings, store=LocalFileStore(Path(tmp)), prefix="bench", languages="eng+hin")
        start = time.perf_counter()
        pages = list(read_document(Path(path), kind, opts))
        roles_start = time.perf_counter()
        assign_roles(pages)  # line roles: footers, meta, credits, URLs marked and left out of chunks
        roles_seconds = time.perf_counter() - roles_start
        chunks = sum(
            len(page_chunks(text=p.text, source=p.source, notes=p.notes, roles=p.roles)) for p in pages
        )
        seconds = time.perf_counter() - start
    queue.put(
        {
            "pages": len(pages),
            "seconds": seconds,
            "roles_seconds": roles_seconds,
            "figures": sum(len(p.figures) for p in pages),
            "ocr_pages": sum(p.source == "ocr" for p in pages),
            "chunks": chunks,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    )


def run_baseline(path: str, kind: str, queue: mp.Queue) -> None:  # type: ignore[type-arg]
    start = time.perf_counter()
    pages = 0
    if kind == "pdf":
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(path)
        for i in range(len(doc)):
            page = doc[i]
            page.get_textpage().get_text_range()
            pages += 1
        doc.close()
    elif kind == "pptx":
        from pptx import Presentation

        for slide in Presentation(path).slides:
            " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
            pages += 1
    else:
        pages = 1
    queue.put({"pages": pages, "seconds": time.perf_counter() - start})


def in_child(target, path: Path, kind: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(str(path), kind, queue))
    proc.start()
    result = queue.get(timeout=3600)
    proc.join()
    return dict(result)


def synthetic_pdf(path: Path, pages: int) -> Path:
    from fpdf import FPDF

    from tests.support.factories import make_chart_png

    chart = make_chart_png(path.with_suffix(".png"))
    pdf = FPDF(orientation="L", unit="pt", format=(540, 960))
    pdf.set_auto_page_break(False)
    for i in range(pages):
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 26)
        pdf.set_xy(40, 30)
        pdf.cell(0, 30, f"Topic {i + 1}: cell biology")
        pdf.set_font("Helvetica", "", 16)
        for j in range(6):
            pdf.set_xy(40, 90 + j * 26)
            pdf.cell(0, 20, f"Point {j + 1} of slide {i + 1} about membranes and transport")
        if i % 2 == 0:
            pdf.image(str(chart), x=520, y=110, w=400, h=280)
    pdf.output(str(path))
    return path


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dir", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--synthetic-pages", type=int, default=0)
    args = parser.parse_args()
    decks = sorted(p for p in Path(args.dir).iterdir() if p.suffix.lower() in KINDS)
    tmp = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    if args.synthetic_pages:
        decks.append(synthetic_pdf(tmp / f"synthetic-{args.synthetic_pages}p.pdf", args.synthetic_pages))
    header = (
        f"{'deck':<52} {'pages':>5} {'ocr':>4} {'figs':>4} {'s/page':>7} {'pages/s':>7} {'rss MB':>7} "
        f"{'base s/p':>9} {'ratio':>7} {'roles s':>8}"
    )
    print(header)
    print("-" * len(header))
    total_pages = total_seconds = total_base = 0.0
    for deck in decks:
        kind = KINDS[deck.suffix.lower()]
        real = in_child(run_pipeline, deck, kind)
        base = in_child(run_baseline, deck, kind)
        per_page = real["seconds"] / max(real["pages"], 1)
        base_pp = base["seconds"] / max(base["pages"], 1)
        total_pages += real["pages"]
        total_seconds += real["seconds"]
        total_base += base["seconds"]
        print(
            f"{deck.name[:52]:<52} {real['pages']:>5} {real['ocr_pages']:>4} {real['figures']:>4} "
            f"{per_page:>7.3f} {real['pages'] / real['seconds']:>7.2f} {real['rss_mb']:>7.0f} "
            f"{base_pp:>9.4f} {per_page / max(base_pp, 1e-6):>7.0f}x {real['roles_seconds']:>8.3f}",
            flush=True,
        )
    print("-" * len(header))
    print(
        f"{'all decks':<52} {int(total_pages):>5} {'':>4} {'':>4} {total_seconds / total_pages:>7.3f} "
        f"{total_pages / total_seconds:>7.2f} {'':>7} {total_base / total_pages:>9.4f} "
        f"{(total_seconds / total_base):>7.0f}x"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
