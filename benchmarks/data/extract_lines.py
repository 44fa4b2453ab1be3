"""Extract the lines of chosen pages of a corpus deck, the way line_roles.jsonl was built.

This only extracts text; every role in line_roles.jsonl was assigned by hand, line by line.

  python benchmarks/data/extract_lines.py DECK PAGE [PAGE ...]   -> one JSON object per line on stdout
  python benchmarks/data/extract_lines.py --verify benchmarks/data/line_roles.jsonl  -> re-extract and compare

Rules:
- text-layer PDF: `pdftotext -layout -f N -l N`; each non-empty output line is stripped and then split on runs
  of 3+ spaces (so glued columns become separate lines); source "pdftotext".
- image-only PDF (file name starts with "ocr_"): `pdftoppm -r 150 -gray -png` then `tesseract --psm 3 -l eng`;
  each non-empty stripped line; source "ocr". A page of a text-layer PDF whose text layer is empty is OCRed
  the same way (source "ocr").
- .pptx: python-pptx; every paragraph of every text frame and table cell, shapes in slide order (groups
  recursed), slide numbers from 1; a vertical tab (soft line break) is replaced by a space; empty paragraphs
  are skipped; source "pptx".
Built with python-pptx 1.0.2, poppler-utils 22.12.0 (pdftotext, pdftoppm) and Tesseract 5.3.0.
"""

from __future__ import annotations

import glob
import json
import os
import re
import subprocess
import sys
import tempfile
from typing import Any

CORPUS = os.environ.get("CORPUS", "/work/shared/corpus")


def pdf_lines(path: str, page: int) -> list[str]:
    out = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), path, "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines: list[str] = []
    for raw in out.splitlines():
        raw = raw.replace("\f", "").strip()
        if not raw:
            continue
        lines.extend(part for part in re.split(r"\s{3,}", raw) if part.strip())
    return lines


def ocr_lines(path: str, page: int) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, "p")
        subprocess.run(
            ["pdftoppm", "-r", "150", "-gray", "-png", "-f", str(page), "-l", str(page), path, prefix],
            check=True,
            stderr=subprocess.DEVNULL,  # poppler's font warnings
        )
        (png,) = glob.glob(prefix + "-*.png")
        out = subprocess.run(
            ["tesseract", png, "-", "-l", "eng", "--psm", "3"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return [line.strip() for line in out.splitlines() if line.strip()]


def _shape_paragraphs(shape: Any) -> list[str]:
    texts: list[str] = []
    if shape.shape_type == 6:  # group
        for sub in shape.shapes:
            texts.extend(_shape_paragraphs(sub))
        return texts
    if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
        texts.extend(p.text for p in shape.text_frame.paragraphs)
    if getattr(shape, "has_table", False) and shape.has_table:
        for row in shape.table.rows:
            for cell in row.cells:
                texts.extend(p.text for p in cell.text_frame.paragraphs)
    return texts


def pptx_lines(path: str, slide_no: int) -> list[str]:
    from pptx import Presentation

    slide = Presentation(path).slides[slide_no - 1]
    lines: list[str] = []
    for shape in slide.shapes:
        for text in _shape_paragraphs(shape):
            text = text.replace("\v", " ").strip()
            if text:
                lines.append(text)
    return lines


def extract(deck: str, page: int) -> tuple[str, list[str]]:
    path = os.path.join(CORPUS, deck)
    if deck.endswith(".pptx"):
        return "pptx", pptx_lines(path, page)
    if deck.startswith("ocr_"):
        return "ocr", ocr_lines(path, page)
    lines = pdf_lines(path, page)
    if not lines:  # a page without a text layer (e.g. a title slide that is one picture) is OCRed
        return "ocr", ocr_lines(path, page)
    return "pdftotext", lines


def verify(path: str) -> int:
    """Re-extract every (deck, page) of a labelled file and report lines whose text or count differ."""
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    by_page: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for row in rows:
        by_page.setdefault((row["deck"], row["page"]), []).append(row)
    bad = 0
    for (deck, page), labelled in sorted(by_page.items()):
        _, lines = extract(deck, page)
        texts = [r["text"] for r in sorted(labelled, key=lambda r: r["line"])]
        if texts != lines:
            bad += 1
            print(f"DIFFERS: {deck} page {page}: labelled {len(texts)} lines, extracted {len(lines)}")
    print(f"{len(by_page)} pages checked, {bad} differ")
    return 1 if bad else 0


def main(argv: list[str]) -> None:
    if argv and argv[0] == "--verify":
        sys.exit(verify(argv[1]))
    deck, pages = argv[0], [int(p) for p in argv[1:]]
    for page in pages:
        source, lines = extract(deck, page)
        for i, text in enumerate(lines):
            row = {"deck": deck, "page": page, "line": i, "text": text, "source": source}
            print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
