"""A figure's picture made fit for a cheat sheet: a PNG copy no wider than MAX_FIGURE_PX, not a tiny icon
nor a tall strip that would eat a column, with its height/width ratio."""

from __future__ import annotations

import logging
from pathlib import Path

from shared.files import FileStore
from workers.generation.candidates import FigureItem

log = logging.getLogger(__name__)

MAX_FIGURE_PX = 900


def prepare_figure(fig: FigureItem, files: FileStore, workdir: Path) -> tuple[Path, float] | None:
    """A PNG/JPEG copy of the figure small enough for the sheet, and its height/width ratio."""
    from PIL import Image, UnidentifiedImageError

    try:
        src = files.path(fig.figure.image_path)
        with Image.open(src) as img:
            img.load()
            if img.width < 40 or img.height < 40:
                return None
            ratio = img.height / img.width
            if ratio > 1.6:  # a tall strip would eat a column
                return None
            picture = img.convert("RGB") if img.mode not in ("RGB", "L") else img.copy()
        if picture.width > MAX_FIGURE_PX:
            picture = picture.resize((MAX_FIGURE_PX, max(1, round(MAX_FIGURE_PX * ratio))))
        out = workdir / f"figure-{fig.figure.id}.png"
        picture.save(out, format="PNG", optimize=True)
        return out, ratio
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        log.info("figure %s skipped: %r", fig.figure.id, exc)
        return None
