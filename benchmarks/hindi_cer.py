"""Hindi OCR: character error rate (CER) of the product's page reader against hand-checked transcripts.

    .venv/bin/python benchmarks/hindi_cer.py [--corpus ../shared/corpus] [--languages auto] [--dpi 200]
        [--pages 4,12] [--show]

Ground truth: benchmarks/data/hindi_transcripts.json (frozen; conventions in benchmarks/data/README.md).
For every transcript page the worker's own reader (workers/ocr/readers.py: layout, text layer or OCR, as in
the ocr worker, no database) reads:

- printed pages twice: (1) "text layer": the page cut out of the PDF as a one-page PDF, read as the product
  reads any PDF (its broken Devanagari text layer detected and mended); (2) "image only": the page rendered
  to a PNG at --dpi and uploaded as an image (no text layer at all, the scan case);
- handwritten pages once: the page of the photographed notebook PDF (image-only) as the product reads it.

CER = Levenshtein distance / reference length, over NFC text with all whitespace removed (the README:
whitespace is not significant); "with spaces" collapses whitespace to one space instead. Totals are summed
distances over summed lengths. Pages 4 and 12 were used to tune Tesseract settings ("dev" for this
purpose); 13-15 were not looked at while tuning and are reported apart.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TRANSCRIPTS = ROOT / "benchmarks" / "data" / "hindi_transcripts.json"
TUNED_ON = {4, 12}  # printed pages used for tuning; the rest are held out


def normalise(text: str, *, spaces: bool = False) -> str:
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"\s+", " ", text).strip() if spaces else re.sub(r"\s+", "", text)


def distance(a: str, b: str) -> int:
    try:
        from rapidfuzz.distance import Levenshtein

        return int(Levenshtein.distance(a, b))
    except ImportError:  # a small DP: pages are ~1,500 characters
        previous = list(range(len(b) + 1))
        for i, ca in enumerate(a, 1):
            current = [i]
            for j, cb in enumerate(b, 1):
                current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
            previous = current
        return previous[-1]


def cut_pages(source: Path, pages: list[int], target: Path) -> Path:
    """A PDF of ``pages`` (numbered from 1) of ``source``, in that order."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(source))
    out = pdfium.PdfDocument.new()
    out.import_pages(src, [p - 1 for p in pages])
    out.save(str(target))
    out.close()
    src.close()
    return target


def one_page_pdf(source: Path, page: int, target: Path) -> Path:
    return cut_pages(source, [page], target)


def page_png(source: Path, page: int, dpi: int, target: Path) -> Path:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(source))
    doc[page - 1].render(scale=dpi / 72).to_pil().convert("RGB").save(target)
    doc.close()
    return target


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    from qa import default_corpus

    parser.add_argument("--corpus", type=Path, default=default_corpus(), help="default: ../shared/corpus")
    parser.add_argument("--languages", default="auto", help="the subject's OCR languages (default: auto)")
    parser.add_argument("--dpi", type=int, default=200, help="resolution of the image-only renders")
    parser.add_argument("--pages", default="", help="only these printed/handwritten page numbers, e.g. 4,12")
    parser.add_argument("--show", action="store_true", help="print the product's text of every page")
    args = parser.parse_args()

    from shared.files import LocalFileStore
    from shared.settings import Settings
    from workers.ocr.adapters import OcrModels
    from workers.ocr.pipeline import read_options
    from workers.ocr.readers import read_document

    only = {int(p) for p in args.pages.split(",") if p.strip()}
    pages = [p for p in json.loads(TRANSCRIPTS.read_text())["pages"] if not only or p["page"] in only]
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    models = OcrModels(settings)  # loaded once, as in the ocr worker
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for item in pages:
            source = args.corpus / item["file"]
            paths = {
                "text layer" if item["kind"] == "printed" else "photo pdf": (
                    one_page_pdf(source, item["page"], Path(tmp) / f"p{item['page']}.pdf"),
                    "pdf",
                )
            }
            if item["kind"] == "printed":
                png = page_png(source, item["page"], args.dpi, Path(tmp) / f"p{item['page']}.png")
                paths["image only"] = (png, "image")
            for mode, (path, kind) in paths.items():
                # Fresh options per file, as for one uploaded lecture (models are loaded once per process).
                opts = read_options(
                    settings,
                    store=LocalFileStore(Path(tmp)),
                    prefix="bench",
                    languages=args.languages,
                    models=models,
                )
                start = time.perf_counter()
                read = list(read_document(path, kind, opts))
                seconds = time.perf_counter() - start
                text = "\n".join(p.text for p in read)
                ref, hyp = normalise(item["text"]), normalise(text)
                ref_ws, hyp_ws = normalise(item["text"], spaces=True), normalise(text, spaces=True)
                rows.append(
                    {
                        "kind": item["kind"],
                        "page": item["page"],
                        "mode": mode,
                        "source": ",".join(sorted({p.source for p in read})),
                        "dist": distance(hyp, ref),
                        "len": len(ref),
                        "dist_ws": distance(hyp_ws, ref_ws),
                        "len_ws": len(ref_ws),
                        "seconds": seconds,
                    }
                )
                row = rows[-1]
                print(
                    f"{item['kind']:<11} p{item['page']:<3} {mode:<10} source={row['source']:<10} "
                    f"CER {int(row['dist']) / max(1, len(ref)):6.2%}  "
                    f"(with spaces {int(row['dist_ws']) / max(1, len(ref_ws)):6.2%})"
                    f"  {len(ref)} chars  {seconds:5.1f} s",
                    flush=True,
                )
                if args.show:
                    print(text, "\n" + "-" * 80)

    def total(label: str, selected: list[dict[str, object]]) -> None:
        if not selected:
            return
        dist = sum(int(r["dist"]) for r in selected)  # type: ignore[call-overload]
        length = sum(int(r["len"]) for r in selected)  # type: ignore[call-overload]
        dist_ws = sum(int(r["dist_ws"]) for r in selected)  # type: ignore[call-overload]
        length_ws = sum(int(r["len_ws"]) for r in selected)  # type: ignore[call-overload]
        pages_ = ",".join(str(r["page"]) for r in selected)
        print(
            f"TOTAL {label:<42} CER {dist / length:6.2%}  (with spaces {dist_ws / length_ws:6.2%})  "
            f"pages {pages_}"
        )

    print()
    for mode in ("text layer", "image only"):
        printed = [r for r in rows if r["kind"] == "printed" and r["mode"] == mode]
        total(f"printed, {mode}, all", printed)
        total(f"printed, {mode}, held out (not tuned on)", [r for r in printed if r["page"] not in TUNED_ON])
        total(f"printed, {mode}, tuned on (4, 12)", [r for r in printed if r["page"] in TUNED_ON])
    total("handwritten", [r for r in rows if r["kind"] == "handwritten"])


if __name__ == "__main__":
    main()
