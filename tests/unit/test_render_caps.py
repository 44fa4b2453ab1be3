"""Every render is capped on its longest side (Settings.max_render_px) and pages are decoded one at a
time: slide thumbnails of very tall slides, scanned past-paper pages, multi-page TIFF uploads."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image

from shared.errors import AppError
from shared.files import LocalFileStore, render_scale
from shared.settings import Settings
from tests.support.bombs import grey_frame, tiff_pages
from workers.generation.pastpaper import read_exam_text
from workers.ocr.ports import OcrEngine, OcrResult
from workers.ocr.readers import ReadOptions, read_image
from workers.ocr.slides import _render_thumbnails


class RecordingOcr(OcrEngine):
    """Reads nothing; remembers the size of every image it was given."""

    def __init__(self) -> None:
        self.sizes: list[tuple[int, int]] = []

    def read(self, image: Image.Image, *, languages: str, sparse: bool = False) -> OcrResult:
        self.sizes.append(image.size)
        return OcrResult(text=f"page {len(self.sizes)}", confidence=0.9, words=2)

    def available_languages(self) -> set[str]:
        return {"eng"}


def blank_pdf(path: Path, width: float, height: float, pages: int = 1) -> Path:
    pdf = FPDF(unit="pt", format=(width, height))
    for _ in range(pages):
        pdf.add_page()
    pdf.output(str(path))
    return path


def opts_for(tmp_path: Path, ocr: OcrEngine, **kw: object) -> ReadOptions:
    return ReadOptions(
        store=LocalFileStore(tmp_path / "store"),
        prefix="uploads/1/1",
        languages="eng",
        layout=None,
        ocr=ocr,
        **kw,  # type: ignore[arg-type]
    )


def test_render_scale_fits_the_longest_side() -> None:
    assert render_scale(612, 792, 150 / 72, 4000) == pytest.approx(150 / 72)  # a letter page: untouched
    scale = render_scale(5000, 5000, 200 / 72, 4000)
    assert round(5000 * scale) == 4000
    assert round(20000 * render_scale(100, 20000, 4.8, 4000)) == 4000


def test_thumbnail_of_a_very_tall_slide_is_capped(tmp_path: Path) -> None:
    """480 px wide would make a 100 x 14000 pt slide 67,200 px tall."""
    pdf = blank_pdf(tmp_path / "tall.pdf", 100, 14000)
    opts = opts_for(tmp_path, RecordingOcr(), max_render_px=3000)
    keys = _render_thumbnails(pdf, opts)
    with Image.open(opts.store.path(keys[1])) as thumb:
        assert max(thumb.size) <= 3000
        assert thumb.height == 3000  # the cap, not less: as sharp as allowed


def test_a_5000_pt_scanned_past_paper_page_is_rendered_within_the_cap(tmp_path: Path) -> None:
    """The probe's past paper: one blank 5000 x 5000 pt page (13,889 px square at 200 dpi)."""
    pdf = blank_pdf(tmp_path / "exam.pdf", 5000, 5000, pages=2)
    ocr = RecordingOcr()
    settings = Settings(max_render_px=2500, _env_file=None)  # type: ignore[call-arg]
    text, how = read_exam_text(pdf, "pdf", settings=settings, engine=ocr)
    assert how == "ocr" and text == "page 1\npage 2"
    assert ocr.sizes == [(2500, 2500), (2500, 2500)]


def test_a_big_past_paper_photo_is_scaled_to_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "exam.png"
    Image.new("L", (6000, 3000), 255).save(path)
    ocr = RecordingOcr()
    settings = Settings(max_render_px=1500, _env_file=None)  # type: ignore[call-arg]
    read_exam_text(path, "image", settings=settings, engine=ocr)
    assert ocr.sizes == [(1500, 750)]


def test_tiff_pages_are_read_one_at_a_time(tmp_path: Path) -> None:
    """The second page is decoded only after the first page was read: a damaged second page fails
    after page 1 came out (everything decoded up front would fail before any page)."""
    good = grey_frame(300, 200, 255)
    data = bytearray(tiff_pages([good, good, good]))
    path = tmp_path / "scan.tiff"
    path.write_bytes(bytes(data))
    ocr = RecordingOcr()
    pages = list(read_image(path, opts_for(tmp_path, ocr)))
    assert [p.number for p in pages] == [1, 2, 3]
    assert [(p.width, p.height) for p in pages] == [(300, 200)] * 3

    broken = tmp_path / "broken.tiff"
    broken.write_bytes(tiff_pages([good, (300, 200, None)]))  # page 2 announces pixels it lacks
    reader = read_image(broken, opts_for(tmp_path, RecordingOcr()))
    first = next(reader)
    assert first.number == 1 and first.thumbnail_key
    with pytest.raises(AppError) as err:
        next(reader)
    assert err.value.code == "IMAGE_CORRUPT"


def test_tiff_pages_beyond_the_limit_stop_the_worker_too(tmp_path: Path) -> None:
    path = tmp_path / "many.tiff"
    path.write_bytes(tiff_pages([grey_frame(20, 20, 255)] * 4))
    reader = read_image(path, opts_for(tmp_path, RecordingOcr(), max_pages=2))
    with pytest.raises(AppError) as err:
        list(reader)
    assert err.value.code == "TOO_MANY_PAGES"


def test_a_huge_page_inside_a_tiff_is_refused_by_the_worker(tmp_path: Path) -> None:
    path = tmp_path / "hidden.tiff"
    path.write_bytes(tiff_pages([grey_frame(50, 50, 255), (9_500, 9_500, None)]))
    reader = read_image(path, opts_for(tmp_path, RecordingOcr()))
    assert next(reader).number == 1
    with pytest.raises(AppError) as err:
        next(reader)
    assert err.value.code == "IMAGE_TOO_LARGE"


def test_thumbnails_are_jpeg(tmp_path: Path) -> None:
    pdf = blank_pdf(tmp_path / "slide.pdf", 960, 540)
    opts = opts_for(tmp_path, RecordingOcr())
    keys = _render_thumbnails(pdf, opts)
    data = opts.store.path(keys[1]).read_bytes()
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "JPEG" and img.size == (480, 270)


_FRAME_PEAK = """
import io, resource, sys
from PIL import Image
from workers.ocr.readers import _decoded_frame
img = Image.new("1", (8900, 8900), 1)
buf = io.BytesIO(); img.save(buf, format="TIFF", compression="group4"); del img
frame = Image.open(io.BytesIO(buf.getvalue())); frame.load()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
out = _decoded_frame(frame, 4000 / 8900)
assert out.mode == "RGB" and max(out.size) == 4000, (out.mode, out.size)
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
"""


def test_a_large_bilevel_tiff_frame_is_shrunk_before_it_becomes_rgb() -> None:
    """An 8900x8900 fax page is 238 MB as RGB; shrunk first it never needs more than its grey copy (79 MB)."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", _FRAME_PEAK], cwd=root, capture_output=True, text=True, check=True
    )
    assert int(done.stdout.strip()) < 150, done.stdout
