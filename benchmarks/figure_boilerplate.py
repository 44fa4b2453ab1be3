"""How many figure crops hold a footer, meta, credit or URL line, before and after workers/ocr/figure_trim.py.

    .venv/bin/python benchmarks/figure_boilerplate.py --split dev [DIR] [--decks SUBSTR ...] [--show N]

Every deck of the split (benchmarks/data/study_concepts.json) is read through the page cache of
benchmarks/retrieval.py, decorations dropped and line roles given as the worker does; then each figure box
is checked against the page's line pieces (``PageContent.text_boxes``) whose role is footer/meta/credit/url
and the slide template's logos (``decorations``; in the box: MIN_OVERLAP of the piece's area) before and
after ``trim_figures``. Printed per deck: figures,
figures holding boilerplate before, after, trimmed, dropped; ``--show N`` lists N remaining offenders.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from crop_edges import split_decks  # noqa: E402

from workers.ocr.figure_fit import area, overlap  # noqa: E402
from workers.ocr.figure_trim import MIN_OVERLAP, _blockers, decorations, trim_figures  # noqa: E402
from workers.ocr.pipeline import assign_roles, drop_decorations  # noqa: E402


def offenders(page: Any, logos: dict[int, list[Any]]) -> list[tuple[int, str]]:
    """(figure index, the page's first words) for each figure of the page holding a boilerplate line piece or
    a template logo (``decorations``)."""
    lines = [b.box for b in _blockers(page) if b.boilerplate] + logos.get(page.number, [])
    out = []
    for n, fig in enumerate(page.figures):
        box = tuple(fig.bbox)
        if fig.source == "pptx" or len(box) != 4:
            continue
        if any(overlap(box, b) >= max(MIN_OVERLAP * area(b), 1e-9) for b in lines):
            out.append((n, page.text[:60].replace("\n", " | ")))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dir", nargs="?", default=str(ROOT.parent.parent / "shared" / "corpus"))
    parser.add_argument("--split", choices=["dev", "test"], required=True)
    parser.add_argument("--decks", nargs="*", default=[])
    parser.add_argument("--show", type=int, default=0)
    args = parser.parse_args()
    total = {"figures": 0, "before": 0, "after": 0, "trimmed": 0, "dropped": 0}
    for name, _deck, pages in split_decks(Path(args.dir), args.split, args.decks, ROOT):
        drop_decorations(pages, SimpleNamespace(files=SimpleNamespace(delete_prefix=lambda key: None)))  # type: ignore[arg-type]
        assign_roles(pages)
        figures = sum(len(p.figures) for p in pages)
        logos = decorations(pages)
        before = sum(len(offenders(p, logos)) for p in pages)
        counts = trim_figures(pages, None)
        left = [(p.number, o) for p in pages for o in offenders(p, logos)]
        row = {"figures": figures, "before": before, "after": len(left), **counts}
        for key in total:
            total[key] += row[key]
        print(f"{name[:48]:48} " + "  ".join(f"{k} {v}" for k, v in row.items()), flush=True)
        for number, (index, text) in left[: args.show]:
            print(f"    still: p{number} figure {index}: {text}")
    print("total " + "  ".join(f"{k} {v}" for k, v in total.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
