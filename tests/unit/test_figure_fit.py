"""A figure's crop edge never cuts through a text line or a slice of a neighbouring figure: the box grows to
a line (or figure) it holds most of and leaves out one it holds a slice of, within bounds (no more than
MAX_GROW of the page, never onto the title or the footer band) (workers/ocr/figure_fit.py, applied by
workers/ocr/figure_trim.py's trim_figures). Pages, lines and pictures are made here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from shared.files import LocalFileStore
from workers.ocr.content import FigureContent, PageContent, TextBox
from workers.ocr.figure_trim import trim_figures

W, H = 960.0, 540.0


def _page(figures: list[FigureContent], lines: list[tuple[str, str, list[float]]]) -> PageContent:
    """A slide with a title, the given (text, role, box as page fractions) lines and a running footer."""
    rows = [("Stress in beam", "title", [0.06, 0.05, 0.5, 0.12]), *lines]
    rows.append(("TSKS14 Course 2020-04-15", "footer", [0.06, 0.93, 0.3, 0.96]))
    return PageContent(
        number=3,
        width=W,
        height=H,
        text="\n".join(r[0] for r in rows),
        roles=[r[1] for r in rows],
        figures=figures,
        text_boxes=[TextBox(r[0], [r[2]]) for r in rows],
    )


def _points(box: list[float]) -> list[float]:
    return [box[0] * W, box[1] * H, box[2] * W, box[3] * H]


def test_a_text_line_crossing_the_crop_edge_is_taken_whole() -> None:
    # "Deformación longitudinal en x" starts left of the layout box, beside the plot (cutting it off above or
    # below would lose half the plot): the crop showed "mación longitudinal"
    line = [0.08, 0.55, 0.5, 0.6]
    fig = FigureContent(bbox=[150.0, 130.0, 900.0, 480.0], image_key="f.png")
    page = _page([fig], [("Deformación longitudinal en x", "figure_text", line)])
    trim_figures([page], None)
    x0, y0, x1, y1 = _points(line)
    assert fig.bbox[0] <= x0 and fig.bbox[1] <= y0 and fig.bbox[2] >= x1 and fig.bbox[3] >= y1
    assert fig.bbox[0] >= 150.0 - 0.12 * W  # no further than the line


def test_a_line_the_box_holds_a_sliver_of_is_left_out() -> None:
    line = [0.5, 0.2, 0.95, 0.24]  # body text above the plot: the box's top edge runs through its bottom
    fig = FigureContent(bbox=[100.0, 125.0, 600.0, 480.0], image_key="f.png")
    page = _page([fig], [("The plot shows the normal stress sx", "body", line)])
    trim_figures([page], None)
    assert fig.bbox[1] >= line[3] * H and fig.bbox[3] == 480.0


def test_a_neighbouring_figures_slice_is_excluded() -> None:
    # the big box's top runs through the lower 40 % of the small figure beside it (its legend half in)
    small = FigureContent(bbox=[500.0, 130.0, 900.0, 250.0], image_key="a.png")
    big = FigureContent(bbox=[120.0, 202.0, 880.0, 490.0], image_key="b.png")
    page = _page([big, small], [])
    trim_figures([page], None)
    assert big.bbox[1] >= 250.0 and big.bbox[3] == 490.0  # shrunk to the gap below the small figure
    assert small.bbox == [500.0, 130.0, 900.0, 250.0]


def test_a_figure_the_box_holds_most_of_is_taken_whole() -> None:
    # a plot whose y-axis labels stick out of the layout box on the left (the colour-bar labels clipped)
    plot = FigureContent(bbox=[90.0, 175.0, 480.0, 280.0], image_key="a.png")
    box = FigureContent(bbox=[110.0, 170.0, 880.0, 400.0], image_key="b.png")
    page = _page([box, plot], [])
    trim_figures([page], None)
    assert box.bbox[0] <= 90.0 and box.bbox[1:] == [170.0, 880.0, 400.0]


def test_growth_is_bounded_by_the_page_share_the_title_and_the_footer() -> None:
    far = [0.02, 0.5, 0.9, 0.54]  # a line reaching 0.4 of the page left of the box: too far to grow to
    near_footer = [0.5, 0.86, 0.9, 0.95]  # a line reaching into the footer's band ... and onto the footer
    under_title = [0.3, 0.1, 0.7, 0.2]  # a line whose top is on the title's band
    fig = FigureContent(bbox=[400.0, 100.0, 900.0, 490.0], image_key="f.png")
    page = _page(
        [fig],
        [
            ("a long caption line far to the left", "body", far),
            ("a label in the footer band", "figure_text", near_footer),
            ("a sub-title", "body", under_title),
            ("kPa", "figure_text", [0.9, 0.4, 0.97, 0.44]),  # a colour-bar label just right of the box
        ],
    )
    trim_figures([page], None)
    x0, y0, x1, y1 = fig.bbox
    assert x0 >= 400.0 - 0.12 * W - 1e-6  # never more than MAX_GROW of the page
    assert x0 >= 0 and y0 >= 0 and x1 <= W and y1 <= H
    assert y0 >= 0.12 * H  # the title is not taken in
    assert y1 <= 0.93 * H  # nor the footer
    assert x1 >= 0.97 * W  # a line within the bound is taken whole


def test_a_grown_crop_is_cut_from_the_page_drawn_again(tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path)
    old = [150.0, 130.0, 900.0, 480.0]
    target = store.path("u/figures/p0003-0.png")
    target.parent.mkdir(parents=True)
    Image.new("RGB", (1500, 700), "white").save(target)  # stored at 2 px per point
    page_image = Image.new("RGB", (1920, 1080), "white")
    ImageDraw.Draw(page_image).rectangle((150, 594, 300, 648), fill=(0, 0, 0))  # the line's ink
    asked: list[tuple[int, float]] = []

    def render(number: int, scale: float) -> Any:
        asked.append((number, scale))
        return page_image

    line = [0.08, 0.55, 0.5, 0.6]
    fig = FigureContent(bbox=list(old), image_key="u/figures/p0003-0.png")
    page = _page([fig], [("Deformación longitudinal en x", "figure_text", line)])
    trim_figures([page], store, render=render)
    assert asked == [(3, 2.0)]
    assert fig.bbox[0] <= line[0] * W
    with Image.open(target) as img:
        assert abs(img.width - round((fig.bbox[2] - fig.bbox[0]) * 2)) <= 1
        assert img.getpixel((10, round((0.575 * H - fig.bbox[1]) * 2))) == (0, 0, 0)


def test_without_a_renderer_a_stored_crop_does_not_grow(tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path)
    target = store.path("u/figures/p0003-0.png")
    target.parent.mkdir(parents=True)
    Image.new("RGB", (1500, 700), "white").save(target)
    fig = FigureContent(bbox=[150.0, 130.0, 900.0, 480.0], image_key="u/figures/p0003-0.png")
    page = _page([fig], [("Deformación longitudinal en x", "figure_text", [0.08, 0.55, 0.5, 0.6])])
    trim_figures([page], store)
    assert fig.bbox == [150.0, 130.0, 900.0, 480.0]


def test_a_page_the_renderer_cannot_draw_keeps_the_stored_picture_and_the_lecture_goes_on(
    tmp_path: Path,
) -> None:
    import pypdfium2 as pdfium

    store = LocalFileStore(tmp_path)
    target = store.path("u/figures/p0003-0.png")
    target.parent.mkdir(parents=True)
    Image.new("RGB", (1500, 700), "white").save(target)
    before = target.read_bytes()

    def render(number: int, scale: float) -> Any:
        raise pdfium.PdfiumError("Failed to load page.")  # a damaged page pdfium cannot draw again

    fig = FigureContent(bbox=[150.0, 130.0, 900.0, 480.0], image_key="u/figures/p0003-0.png")
    page = _page([fig], [("Deformación longitudinal en x", "figure_text", [0.08, 0.55, 0.5, 0.6])])
    trim_figures([page], store, render=render)
    assert page.figures == [fig]
    assert target.read_bytes() == before
