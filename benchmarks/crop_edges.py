"""Figure crops whose edge cuts through a text line or a neighbouring figure, on the cached pages.

    SMARTNOTES_BENCH_PAGE_CACHE=... PYTHONPATH=. .venv/bin/python benchmarks/crop_edges.py --split dev \
        [DIR] [--decks SUBSTR ...] [--crops OUT_DIR] [--json OUT]

Every deck of the split goes through what the ocr worker does after reading (decoration images dropped,
line roles, figure boxes fitted and trimmed: benchmarks/retrieval.py's clean_pages). Counted per deck, on
the figures of rendered pages (PPTX pictures are the picture itself): ``cut_line``, figures with an edge
that runs through a text line's piece (the page's text-layer or OCR line boxes: the piece lies partly in,
partly out of the box, by at least ``EDGE_TOL`` of the page on both sides of the edge), whatever the line's
role; ``cut_figure``, figures holding a slice of another figure of the page (neither inside the other, not a
layout box around it); ``area``, the mean box area as a share of the page. ``--crops`` writes each
figure's picture (the page drawn at 150 dpi, cut to the box) as OUT_DIR/<deck>/p<page>-<n>.png to look at
before and after; ``--json`` writes every figure's box.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# SMARTNOTES_BENCH_ROOT: another checkout's code (main's, to compare in the same run)
ROOT = Path(os.environ.get("SMARTNOTES_BENCH_ROOT") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from figure_crops import FigureSource, crop, deck_slug  # noqa: E402
from retrieval import CACHE, KINDS, clean_pages, deck_languages, read_pages  # noqa: E402

EDGE_TOL = 0.004  # a piece must lie this share of the page (in points) on each side of an edge
PARENT = 0.5  # a figure box holding this share of another is around it (workers/ocr/figure_fit.py)


def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def area(b: tuple[float, ...]) -> float:
    return max(0.0, b[2] - b[0]) * max(0.0, b[3] - b[1])


def _cut_by(box: tuple[float, ...], piece: tuple[float, ...], tol: float) -> bool:
    """An edge of ``box`` runs through ``piece``: the piece is in the box and out of it by ``tol``."""
    if overlap(box, piece) <= 0:
        return False
    inside_w = min(box[2], piece[2]) - max(box[0], piece[0])
    inside_h = min(box[3], piece[3]) - max(box[1], piece[1])
    out_x = max(box[0] - piece[0], piece[2] - box[2])
    out_y = max(box[1] - piece[1], piece[3] - box[3])
    return (out_x >= tol and inside_w >= tol) or (out_y >= tol and inside_h >= tol)


def cut_lines(page: Any, box: tuple[float, ...]) -> list[str]:
    """The text lines of ``page`` an edge of ``box`` (page points) runs through."""
    tol = EDGE_TOL * max(page.width, page.height)
    out = []
    for tb in page.text_boxes:
        for x0, y0, x1, y1 in tb.boxes:
            piece = (x0 * page.width, y0 * page.height, x1 * page.width, y1 * page.height)
            if _cut_by(box, piece, tol):
                out.append(tb.text)
                break
    return out


def cut_figures(page: Any, box: tuple[float, ...]) -> int:
    """How many other figures of ``page`` the box holds a slice of."""
    tol = EDGE_TOL * max(page.width, page.height)
    n = 0
    for fig in page.figures:
        other = tuple(fig.bbox)
        if other == box or len(other) != 4:
            continue
        if overlap(other, box) >= PARENT * area(box):
            continue  # around this box
        if _cut_by(box, other, tol):
            n += 1
    return n


def split_decks(
    corpus: Path, split: str, wanted: list[str], root: Path = ROOT
) -> Iterator[tuple[str, Path, Any]]:
    """(name, path, read pages) of each deck of ``split`` (root's benchmarks/data/study_concepts.json) whose
    name holds one of ``wanted`` (every deck when empty), read through the page cache (written back after a
    fresh read)."""
    data = json.loads((root / "benchmarks" / "data" / "study_concepts.json").read_text(encoding="utf-8"))
    names = sorted(d["deck"] for d in data["decks"] if d["split"] == split)
    cache: dict[str, Any] = json.loads(CACHE.read_text(encoding="utf-8")) if CACHE.exists() else {}
    for name in names:
        deck = corpus / name
        if (wanted and not any(s in name for s in wanted)) or deck.suffix.lower() not in KINDS:
            continue
        pages, fresh = read_pages(deck, deck_languages(deck), cache, True)
        if fresh:
            CACHE.write_text(json.dumps(cache, ensure_ascii=False), encoding="utf-8")
        yield name, deck, pages


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dir", nargs="?", default=str(ROOT.parent.parent / "shared" / "corpus"))
    parser.add_argument("--split", choices=["dev", "test"], required=True)
    parser.add_argument("--decks", nargs="*", default=[])
    parser.add_argument("--crops", default="")
    parser.add_argument("--json", default="")
    args = parser.parse_args()
    total = {"figures": 0, "cut_line": 0, "cut_figure": 0}
    boxes: dict[str, list[Any]] = {}
    for name, deck, pages in split_decks(Path(args.dir), args.split, args.decks):
        clean_pages(pages, None)
        row = {"figures": 0, "cut_line": 0, "cut_figure": 0}
        shares = []
        for page in pages:
            for n, fig in enumerate(page.figures):
                if fig.source == "pptx" or len(fig.bbox) != 4:
                    continue
                box = tuple(fig.bbox)
                lines, slices = cut_lines(page, box), cut_figures(page, box)
                row["figures"] += 1
                row["cut_line"] += bool(lines)
                row["cut_figure"] += bool(slices)
                shares.append(area(box) / max(page.width * page.height, 1e-9))
                boxes.setdefault(name, []).append(
                    {"page": page.number, "n": n, "bbox": fig.bbox, "cut_lines": lines, "cut_figures": slices}
                )
                if args.crops and deck.suffix.lower() == ".pdf":
                    source = FigureSource(deck, page.number, n, box, fig.hash, "page")
                    out = Path(args.crops) / deck_slug(deck) / f"p{page.number:04d}-{n}.png"
                    out.parent.mkdir(parents=True, exist_ok=True)
                    out.write_bytes(crop(source))
        for key in total:
            total[key] += row[key]
        mean = sum(shares) / len(shares) if shares else 0.0
        print(f"{name[:48]:48} " + "  ".join(f"{k} {v}" for k, v in row.items()) + f"  area {mean:.3f}")
    print("total " + "  ".join(f"{k} {v}" for k, v in total.items()))
    if args.json:
        Path(args.json).write_text(json.dumps(boxes, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
