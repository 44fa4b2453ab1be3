"""Figure crops are the figure: boxes trimmed of running footers, course meta and a page title they cut
through, after the deck's line roles (workers/ocr/figure_trim.py). Decks, pictures and footers are drawn
here."""

from __future__ import annotations

from pathlib import Path

import layoutparser as lp
from fpdf import FPDF
from PIL import Image, ImageDraw

from shared.files import LocalFileStore
from workers.ocr.content import FigureContent, PageContent, ReadOptions, TextBox
from workers.ocr.figure_trim import Blocker, trim_box, trim_figures
from workers.ocr.line_boxes import line_pieces, ocr_text_boxes
from workers.ocr.pipeline import assign_roles, drop_decorations
from workers.ocr.ports import LayoutDetector, OcrEngine, OcrResult, OcrWord
from workers.ocr.readers import read_document

W, H = 960.0, 540.0


class NoOcr(OcrEngine):
    def read(self, image: Image.Image, *, languages: str, sparse: bool = False) -> OcrResult:
        return OcrResult(text="", confidence=0.0, words=0)

    def available_languages(self) -> set[str]:
        return {"eng"}


class OneFigure(LayoutDetector):
    """A layout model whose 'figure' spans the picture and the slide's footer band below it (as the real one
    does on slides with a big plot)."""

    def __init__(self, box: tuple[float, float, float, float]) -> None:
        self.box = box  # page points

    def detect(self, image: Image.Image) -> lp.Layout:
        s = image.width / W
        x0, y0, x1, y1 = (v * s for v in self.box)
        return lp.Layout([lp.TextBlock(lp.Rectangle(x0, y0, x1, y1), type="figure", score=0.9)])


def footer_deck(path: Path, pages: int = 4) -> Path:
    """Slides with a title, a plot (an image), and a running footer: date at the left, page number at the
    right, on one baseline (one text-layer line, two pieces)."""
    pdf = FPDF(unit="pt", format=(W, H))
    pdf.set_auto_page_break(False)
    for n in range(1, pages + 1):
        plot = Image.new("RGB", (600, 200), "white")  # another plot on every slide
        draw = ImageDraw.Draw(plot)
        for k in range(0, 600, 40):
            draw.rectangle((k, 199 - (k * n * 7) % 180 - 10, k + 30, 199), fill=(40, 80, 200))
        plot_path = path.parent / f"plot{n}.png"
        plot.save(plot_path)
        pdf.add_page()
        pdf.set_font("helvetica", size=28)
        pdf.text(60, 60, f"Stress in beam part {n}")
        pdf.image(str(plot_path), x=180, y=260, w=600, h=200)
        pdf.set_font("helvetica", size=9)
        pdf.text(60, 520, "10/25/2022")
        pdf.text(890, 520, str(n + 8))
    pdf.output(str(path))
    return path


def test_a_footer_line_splits_into_pieces_at_wide_gaps() -> None:
    # characters (left, bottom, right, top): "10/25/2022" then, far right, "13"
    boxes = [(60.0 + 5 * k, 0.0, 64.0 + 5 * k, 9.0) for k in range(10)] + [(890.0, 0.0, 895.0, 9.0)]
    assert line_pieces(boxes, 9.0) == [(60.0, 109.0), (890.0, 895.0)]
    assert line_pieces([(0.0, 0.0, 5.0, 9.0), (8.0, 0.0, 12.0, 9.0)], 9.0) == [(0.0, 12.0)]


def test_trim_cuts_the_footer_band_off_the_bottom() -> None:
    figure = (60.0, 100.0, 900.0, 530.0)
    footer = Blocker((60.0, 510.0, 130.0, 520.0), "tblr", True)
    assert trim_box(figure, [footer]) == (60.0, 100.0, 900.0, 510.0)


def test_trim_cuts_a_title_the_box_cuts_through_but_not_at_any_cost() -> None:
    figure = (180.0, 50.0, 800.0, 520.0)
    title = Blocker((70.0, 58.0, 880.0, 90.0), "tb", False)
    assert trim_box(figure, [title]) == (180.0, 90.0, 800.0, 520.0)
    # a title in the middle of a box: cutting it off would cost most of the figure; it stays
    assert trim_box((0.0, 0.0, 100.0, 100.0), [Blocker((0.0, 45.0, 100.0, 55.0), "tb", False)]) == (
        0.0,
        0.0,
        100.0,
        100.0,
    )


def test_a_box_that_boilerplate_spans_whole_comes_back_empty() -> None:
    out = trim_box((100.0, 500.0, 200.0, 530.0), [Blocker((50.0, 495.0, 300.0, 535.0), "tblr", True)])
    assert out[2] - out[0] <= 0 or out[3] - out[1] <= 0


def _page(figures: list[FigureContent]) -> PageContent:
    return PageContent(
        number=3,
        width=W,
        height=H,
        text="Stress in beam\nThe plot shows sx\nTSKS14 Course 2020-04-15",
        roles=["title", "body", "footer"],
        figures=figures,
        text_boxes=[
            TextBox("Stress in beam", [[0.06, 0.05, 0.5, 0.12]]),
            TextBox("The plot shows sx", [[0.06, 0.2, 0.4, 0.24]]),
            TextBox("TSKS14 Course 2020-04-15", [[0.06, 0.93, 0.3, 0.96], [0.9, 0.93, 0.95, 0.96]]),
        ],
    )


def test_trim_figures_recrops_the_stored_picture_and_cleans_its_words(tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path)
    box = [200.0, 150.0, 900.0, 530.0]  # 700 x 380 points, stored at 2 px per point
    crop = Image.new("RGB", (1400, 760), "white")
    ImageDraw.Draw(crop).rectangle((100, 100, 1300, 600), fill=(200, 30, 30))
    target = store.path("u/figures/p0003-0.png")
    target.parent.mkdir(parents=True)
    crop.save(target)
    fig = FigureContent(
        bbox=list(box),
        image_key="u/figures/p0003-0.png",
        caption="TSKS14 Course 2020-04-15",
        text="sx [kPa]\nTSKS14 Course 2020-04-15",
    )
    page = _page([fig])
    counts = trim_figures([page], store)
    assert counts == {"trimmed": 1, "dropped": 0}
    footer_top = 0.93 * H
    assert page.figures == [fig]
    assert fig.bbox[3] < footer_top and fig.bbox[:3] == box[:3]
    with Image.open(target) as img:
        assert img.width == 1400
        assert abs(img.height - round((fig.bbox[3] - box[1]) * 2)) <= 1
    assert fig.text == "sx [kPa]" and fig.caption == ""


def test_a_figure_left_tiny_is_dropped_not_cut() -> None:
    # a "figure" on the footer band: what is left above the footer is a sliver
    sliver = FigureContent(bbox=[40.0, 495.0, 400.0, 525.0], image_key="missing.png")
    keep = FigureContent(bbox=[100.0, 150.0, 600.0, 400.0], image_key="missing2.png")
    page = _page([sliver, keep])
    assert trim_figures([page], None) == {"trimmed": 0, "dropped": 1}
    assert page.figures == [keep] and keep.bbox == [100.0, 150.0, 600.0, 400.0]


def test_pptx_pictures_are_left_as_they_are() -> None:
    pic = FigureContent(bbox=[40.0, 300.0, 900.0, 530.0], image_key="p.png", source="pptx")
    page = _page([pic])
    trim_figures([page], None)
    assert pic.bbox == [40.0, 300.0, 900.0, 530.0]


def test_ocr_lines_give_text_boxes(tmp_path: Path) -> None:
    words = [
        OcrWord("Database", 0.9, (50, 550, 120, 565), 7, 2),
        OcrWord("Systems", 0.9, (125, 550, 180, 565), 7, 2),
        OcrWord("32", 0.9, (730, 550, 745, 565), 7, 2),
    ]
    (line,) = ocr_text_boxes(words, 792, 612)
    assert line.text == "Database Systems 32"
    assert len(line.boxes) == 2 and line.boxes[0][0] == round(50 / 792, 4)


def test_a_deck_with_a_running_footer_gets_crops_without_it(tmp_path: Path) -> None:
    deck = footer_deck(tmp_path / "deck.pdf")
    store = LocalFileStore(tmp_path / "store")
    opts = ReadOptions(
        store=store, prefix="u", languages="eng", layout=OneFigure((150.0, 240.0, 920.0, 530.0)), ocr=NoOcr()
    )
    pages = list(read_document(deck, "pdf", opts))
    assert all(p.text_boxes for p in pages)
    before = [list(f.bbox) for p in pages for f in p.figures]
    assert before and all(b[3] > 515 for b in before)  # the layout box holds the footer band
    ctx = type("Ctx", (), {"files": store})()
    drop_decorations(pages, ctx)  # type: ignore[arg-type]
    assign_roles(pages)
    footer_rows = [
        i
        for p in pages
        for i, line in enumerate(p.text.split("\n"))
        if "10/25/2022" in line and p.roles[i] == "footer"
    ]
    assert len(footer_rows) == len(pages)
    trim_figures(pages, store)
    for page in pages:
        (fig,) = page.figures
        assert fig.bbox[3] < 512  # above the footer's glyphs (the date's top is about 513 pt)
        assert fig.bbox[3] >= 460  # the plot (260..460 pt) is whole
        with Image.open(store.path(fig.image_key)) as img:
            scale = img.width / (fig.bbox[2] - fig.bbox[0])
            assert abs(img.height - (fig.bbox[3] - fig.bbox[1]) * scale) <= 2


def test_a_heading_the_box_cuts_through_is_cut_off_and_a_label_inside_stays() -> None:
    figure = (180.0, 50.0, 800.0, 520.0)
    heading = Blocker((75.0, 60.0, 780.0, 90.0), "tb", False, through=True)  # 105 pt of 705 outside
    label = Blocker((200.0, 100.0, 400.0, 120.0), "tb", False, through=True)  # whole inside: the figure's
    assert trim_box(figure, [heading, label]) == (180.0, 90.0, 800.0, 520.0)


def _slide(n: int) -> Image.Image:
    """A slide at 2 px per point: the template's logo at the bottom left, and a diagram of its own."""
    img = Image.new("RGB", (1920, 1080), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle((40, 990, 240, 1050), fill=(20, 40, 120))  # the logo: 100 x 30 pt at (20, 495)
    draw.rectangle((60, 1005, 100, 1035), fill="white")
    for k in range(5):
        draw.ellipse((300 + 250 * k, 500 + 40 * ((k + n) % 3), 420 + 250 * k, 620), outline="black", width=4)
    return img


def test_a_logo_repeated_on_most_slides_is_cut_out_of_figures() -> None:
    from workers.ocr.line_boxes import edge_marks

    pages = []
    for n in range(1, 5):
        fig = FigureContent(bbox=[10.0, 230.0, 900.0, 530.0], image_key=f"f{n}.png")
        pages.append(
            PageContent(number=n, width=W, height=H, text="", figures=[fig], edge_marks=edge_marks(_slide(n)))
        )
    counts = trim_figures(pages, None)
    assert counts["trimmed"] == 4
    for page in pages:
        (fig,) = page.figures
        assert 480 <= fig.bbox[3] <= 495  # above the logo (495 pt), below the diagrams (310 pt)
    # ink that differs from slide to slide is no decoration
    other = [
        PageContent(
            number=n, width=W, height=H, text="", figures=[FigureContent([10.0, 230.0, 900.0, 530.0], "g")]
        )
        for n in range(1, 5)
    ]
    for n, page in enumerate(other, start=1):
        img = Image.new("RGB", (1920, 1080), "white")  # a mark at another place on every slide
        ImageDraw.Draw(img).rectangle((40 + 260 * n, 990, 240 + 260 * n, 1050), fill=(20, 40, 120))
        page.edge_marks = edge_marks(img)
    assert trim_figures(other, None)["trimmed"] == 0


def test_a_cut_through_line_is_not_cut_off_at_the_cost_of_the_figures_labels() -> None:
    figure = (0.0, 50.0, 912.0, 390.0)
    callout = Blocker((808.0, 55.0, 931.0, 72.0), "tb", False, through=True)  # a box beside the figure
    label = Blocker((323.0, 60.0, 459.0, 75.0), "tb", False, through=True)  # "Channel responses"
    assert trim_box(figure, [callout, label]) == figure
    assert trim_box(figure, [callout]) == (0.0, 72.0, 912.0, 390.0)


def test_a_heading_with_a_few_letters_outside_the_box_is_cut_through() -> None:
    figure = (149.4, 37.9, 935.2, 534.8)  # 75 pt of a 786 pt heading (its first word) left of the box
    heading = Blocker((74.0, 42.9, 860.2, 72.4), "tb", False, through=True)
    assert trim_box(figure, [heading]) == (149.4, 72.4, 935.2, 534.8)
    # a box a hair narrower than its label (2 pt of 200) does not cut it through
    assert trim_box((0.0, 0.0, 300.0, 300.0), [Blocker((-2.0, 10.0, 198.0, 24.0), "tb", False, True)]) == (
        0.0,
        0.0,
        300.0,
        300.0,
    )
