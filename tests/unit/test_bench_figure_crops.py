"""benchmarks/figure_crops.py: the study benchmark shows figures as a student sees them, though the
page cache keeps no pictures: each cached figure is cropped again from its page (PDF) or slide (PPTX)."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))  # a site package is also named
from figure_crops import FigureFiles, rekey

from tests.support.factories import (
    FIGURE_BOX,
    make_chart_png,
    make_figure_pdf,
    make_picture_pptx,
    make_wmf,
    make_wmf_pptx,
)
from workers.ocr.content import FigureContent, PageContent


def _page(number: int, fig: FigureContent) -> PageContent:
    return PageContent(number=number, width=960, height=540, text="Harvest results", figures=[fig])


def test_a_pdf_figure_is_cropped_from_its_page_on_first_use(tmp_path: Path) -> None:
    deck = make_figure_pdf(tmp_path / "harvest.pdf", make_chart_png(tmp_path / "chart.png"))
    fig = FigureContent(bbox=list(FIGURE_BOX), image_key="bench/figures/p0001-0.png", hash="x")
    pages = [_page(1, fig)]
    sources = rekey(deck, pages)
    [key] = sources
    assert fig.image_key == key and key.startswith("benchfig/harvest/p0001-0")
    files = FigureFiles(tmp_path / "files", sources, crops=tmp_path / "crops")
    path = files.path(key)
    assert path.is_file() and path.is_relative_to(tmp_path / "crops") and files.made == [key]
    with Image.open(path) as img:
        x0, y0, x1, y1 = FIGURE_BOX
        assert abs(img.width / img.height - (x1 - x0) / (y1 - y0)) < 0.02  # the figure's box, not the page
        rgb = img.convert("RGB")
        pixels = [rgb.getpixel((x, y)) for x in range(0, rgb.width, 4) for y in range(0, rgb.height, 4)]
    reds = sum(isinstance(p, tuple) and p[0] > 190 and p[1] < 70 and p[2] < 70 for p in pixels)
    assert reds > 0.02 * len(pixels)  # the chart's red bar is in the crop
    files.path(key)  # made once: a second look reads the file
    assert files.made == [key]
    files.delete_prefix(key)  # decorations dropped before storing do not delete the persistent crop
    assert path.is_file()
    assert files.path("generated/1/doc.docx") == (tmp_path / "files" / "generated/1/doc.docx").resolve()


def test_two_decks_with_the_same_cached_key_get_figures_of_their_own(tmp_path: Path) -> None:
    chart = make_chart_png(tmp_path / "chart.png")
    a = make_figure_pdf(tmp_path / "a.pdf", chart)
    b = make_figure_pdf(tmp_path / "b.pdf", make_chart_png(tmp_path / "other.png", title="Rainfall"))
    fa = FigureContent(bbox=list(FIGURE_BOX), image_key="bench/figures/p0001-0.png")
    fb = FigureContent(bbox=list(FIGURE_BOX), image_key="bench/figures/p0001-0.png")
    sources = {**rekey(a, [_page(1, fa)]), **rekey(b, [_page(1, fb)])}
    assert len(sources) == 2 and fa.image_key != fb.image_key
    files = FigureFiles(tmp_path / "files", sources, crops=tmp_path / "crops")
    assert files.path(fa.image_key).read_bytes() != files.path(fb.image_key).read_bytes()


def test_a_pptx_figure_is_its_slide_picture_found_by_hash(tmp_path: Path) -> None:
    chart = make_chart_png(tmp_path / "chart.png")
    logo = tmp_path / "logo.png"
    Image.new("RGB", (40, 30), (0, 90, 200)).save(logo)
    deck = make_picture_pptx(tmp_path / "deck.pptx", chart, logo=logo)
    from pptx import Presentation

    [picture] = [s for s in Presentation(str(deck)).slides[1].shapes if s.shape_type == 13 and s.width > 3e6]
    digest = hashlib.sha1(picture.image.blob, usedforsecurity=False).hexdigest()
    # the cached key says index 0 (the logo comes first on the slide); the hash finds the chart
    fig = FigureContent(
        bbox=[72, 108, 504, 410], image_key="bench/figures/p0002-0.png", source="pptx", hash=digest
    )
    sources = rekey(deck, [_page(2, fig)])
    files = FigureFiles(tmp_path / "files", sources, crops=tmp_path / "crops")
    with Image.open(files.path(fig.image_key)) as img, Image.open(chart) as original:
        assert img.size == original.size


def test_a_figure_that_cannot_be_cropped_has_no_file_and_is_reported(tmp_path: Path) -> None:
    deck = make_figure_pdf(tmp_path / "harvest.pdf", make_chart_png(tmp_path / "chart.png"))
    fig = FigureContent(bbox=[2000, 2000, 2100, 2100], image_key="bench/figures/p0001-0.png")
    sources = rekey(deck, [_page(1, fig)])
    files = FigureFiles(tmp_path / "files", sources, crops=tmp_path / "crops")
    assert not files.path(fig.image_key).exists()
    assert list(files.failed) == [fig.image_key] and not files.made


def test_a_wmf_figure_is_cropped_from_the_slides_rendering_as_the_reader_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The judge sees what the student sees: the WMF drawn by LibreOffice (here a PDF made with fpdf, red
    where LibreOffice would draw the picture), not a failure to decode the WMF."""
    from fpdf import FPDF

    import shared.office

    wmf = make_wmf()
    deck = make_wmf_pptx(tmp_path / "deck.pptx", wmf)

    def convert(src: Path, target: str, *, out_dir: Path, **kw: object) -> Path:
        pdf = FPDF(unit="pt", format=(960, 540))
        for n in (1, 2):
            pdf.add_page()
            if n == 2:  # make_wmf_pptx's picture at 216-648 x 144-414 pt, the rectangle inside it
                pdf.set_fill_color(220, 30, 30)
                pdf.rect(259.2, 171, 345.6, 216, style="F")
        out_dir.mkdir(parents=True, exist_ok=True)
        pdf.output(str(out_dir / "deck.pdf"))
        return out_dir / "deck.pdf"

    monkeypatch.setattr(shared.office, "convert", convert)
    digest = hashlib.sha1(wmf, usedforsecurity=False).hexdigest()
    fig = FigureContent(
        bbox=[216, 144, 648, 414], image_key="bench/figures/p0002-0.wmf", source="pptx", hash=digest
    )
    sources = rekey(deck, [_page(2, fig)])
    files = FigureFiles(tmp_path / "files", sources, crops=tmp_path / "crops")
    path = files.path(fig.image_key)
    assert not files.failed and files.made == [fig.image_key]
    with Image.open(path) as img:
        assert img.format == "PNG" and abs(img.width / img.height - 432 / 270) < 0.02
        r, g, b = img.convert("RGB").getpixel((img.width // 2, img.height // 2))  # type: ignore[misc]
    assert r > 190 and g < 70 and b < 70
