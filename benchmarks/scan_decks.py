"""Dev decks as a scanner would give them: every page an image, no text layer.

    PYTHONPATH=. .venv/bin/python benchmarks/scan_decks.py OUT_DIR [--split dev] [--dpi 150] [--decks ...]

The test split has three decks the reader must OCR (an image-only scan, photographed notes, a printed paper
whose text layer is broken); dev has fewer, and the generator's and the role rules' figures on dev come
mostly from text layers. This renders each dev deck that has a text layer (PDF, or PPTX/DOCX through
LibreOffice) to an image-only PDF in OUT_DIR, so the same benchmarks (study_quality.py, line_roles.py)
can be run on OCR'd copies of decks whose text-layer output is known.

A copy keeps its source's file name (so frozen concept lists and labels keyed by name still apply) with
".pdf" added when the source is not a PDF ("nlp_x.pptx" -> "nlp_x.pptx.pdf"). Pages are rendered at
--dpi in greyscale and saved as JPEG (quality 80) inside the PDF, as an office scanner does; the result is
the same bytes for a given source and settings (the PDF's dates are fixed; the copies the fifteenth session's
caches were read from carry their time of writing, so they differ in those bytes only). Decks whose text
the reader already OCRs (the "ocr_" and "hi_photographed" decks) are skipped: they are scans already.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from item_validity_data import TEST_DECKS  # noqa: E402  (the split fixed by deck)
from qa import default_corpus  # noqa: E402

ALREADY_SCANS = ("ocr_", "hi_photographed")


def scanned_name(source: Path) -> str:
    """The copy's file name: the source's, with ".pdf" added when the source is no PDF."""
    return source.name if source.suffix.lower() == ".pdf" else source.name + ".pdf"


def deck_sources(corpus: Path, paths: list[Path], scanned: bool) -> dict[Path, str]:
    """Each deck to read and the corpus deck it stands for (its concepts and name): the decks themselves, or,
    `scanned`, the copies of them found in `corpus` (a deck without a copy is left out)."""
    if not scanned:
        return {path: path.name for path in paths}
    return {corpus / scanned_name(p): p.name for p in paths if (corpus / scanned_name(p)).exists()}


def source_name(copy: str) -> str:
    """The source deck's name for a copy's name (the inverse of scanned_name)."""
    stem = copy[: -len(".pdf")] if copy.lower().endswith(".pdf") else copy
    return stem if Path(stem).suffix.lower() in {".pptx", ".docx", ".ppt", ".odp"} else copy


def as_pdf(source: Path, tmp: Path) -> Path:
    if source.suffix.lower() == ".pdf":
        return source
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return tmp / (source.stem + ".pdf")


def render(source: Path, target: Path, dpi: int) -> int:
    """Write target as an image-only PDF of source's pages; the page count."""
    import pypdfium2 as pdfium
    from PIL import Image

    with tempfile.TemporaryDirectory(prefix="scan-decks-") as tmp:
        pdf = pdfium.PdfDocument(str(as_pdf(source, Path(tmp))))
        images = []
        for page in pdf:
            grey = page.render(scale=dpi / 72).to_pil().convert("L")
            buffer = io.BytesIO()
            grey.save(buffer, format="JPEG", quality=80)
            images.append(Image.open(io.BytesIO(buffer.getvalue())))
        pdf.close()
        fixed = time.gmtime(946684800)  # 2000-01-01: no time of writing in the file, same bytes each run
        images[0].save(
            target,
            "PDF",
            save_all=True,
            append_images=images[1:],
            resolution=float(dpi),
            creationDate=fixed,
            modDate=fixed,
        )
        return len(images)


def dev_sources(corpus: Path) -> list[Path]:
    decks = [line.split("\t", 1)[0] for line in (corpus / "MANIFEST.tsv").read_text().splitlines()[1:]]
    return [
        corpus / name
        for name in sorted(decks)
        if name not in TEST_DECKS and not name.startswith(ALREADY_SCANS) and (corpus / name).exists()
    ]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", help="directory for the image-only copies")
    parser.add_argument("--corpus", default=str(default_corpus()))
    parser.add_argument("--dpi", type=int, default=150)
    parser.add_argument("--decks", nargs="*", default=[], help="only decks whose name contains one of these")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for source in dev_sources(Path(args.corpus)):
        if args.decks and not any(s in source.name for s in args.decks):
            continue
        pages = render(source, out / scanned_name(source), args.dpi)
        print(f"{source.name}: {pages} pages -> {out / scanned_name(source)}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
