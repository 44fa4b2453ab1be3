"""Test fixtures drawn on the fly: PDFs, decks and images with known text (never the shared corpus)."""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF
from PIL import Image


def make_pdf(path: Path, pages: list[str], *, figure: bool = True) -> Path:
    """A landscape slide deck: each page has a title line, body lines, and (optionally) a drawn figure."""
    pdf = FPDF(orientation="L", unit="pt", format=(540, 960))
    pdf.set_auto_page_break(False)
    for text in pages:
        pdf.add_page()
        lines = text.split("\n")
        pdf.set_font("Helvetica", "B", 28)
        pdf.set_xy(40, 40)
        pdf.cell(0, 34, lines[0])
        pdf.set_font("Helvetica", "", 18)
        y = 100.0
        for line in lines[1:]:
            pdf.set_xy(40, y)
            pdf.cell(0, 22, line)
            y += 26
        if figure:
            pdf.set_fill_color(40, 110, 200)
            pdf.rect(560, 140, 320, 220, style="F")
    pdf.output(str(path))
    return path


def pdf_bytes(pages: list[str]) -> bytes:
    pdf = FPDF()
    for text in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", "", 14)
        pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def make_png(width: int = 64, height: int = 48, color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buf, format="PNG")
    return buf.getvalue()


def make_pptx(path: Path, slides: list[tuple[str, str, str]]) -> Path:
    """(title, body, notes) per slide."""
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    for title, body, notes in slides:
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        slide.shapes.title.text = title
        slide.placeholders[1].text = body
        if notes:
            slide.notes_slide.notes_text_frame.text = notes
    prs.save(str(path))
    return path


DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DEVANAGARI = "/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf"


def make_chart_png(path: Path, title: str = "Crop yield") -> Path:
    """A bar chart with axes and labels: what a slide's figure looks like."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (800, 560), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(DEJAVU, 30)
    draw.line((80, 40, 80, 480), fill="black", width=4)
    draw.line((80, 480, 760, 480), fill="black", width=4)
    for i, (h, colour) in enumerate([(300, "#1f77b4"), (380, "#ff7f0e"), (200, "#2ca02c"), (420, "#d62728")]):
        x = 130 + i * 150
        draw.rectangle((x, 480 - h, x + 90, 480), fill=colour)
        draw.text((x + 10, 490), f"Q{i + 1}", fill="black", font=font)
    draw.text((280, 2), title, fill="black", font=font)
    img.save(path)
    return path


FIGURE_BOX = (480.0, 110.0, 900.0, 404.0)  # where make_figure_pdf puts the chart, in points


def make_figure_pdf(path: Path, chart: Path) -> Path:
    pdf = FPDF(orientation="L", unit="pt", format=(540, 960))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 28)
    pdf.set_xy(40, 30)
    pdf.cell(0, 34, "Harvest results")
    pdf.set_font("Helvetica", "", 18)
    for i, line in enumerate(
        ["Yield rose in every quarter", "Irrigation made the difference", "Costs stayed flat"]
    ):
        pdf.set_xy(40, 100 + i * 28)
        pdf.cell(0, 22, line)
    x0, y0, x1, y1 = FIGURE_BOX
    pdf.image(str(chart), x=x0, y=y0, w=x1 - x0, h=y1 - y0)
    pdf.set_font("Helvetica", "I", 14)
    pdf.set_xy(480, 415)
    pdf.cell(420, 20, "Figure 1: Crop yield per quarter", align="C")
    pdf.output(str(path))
    return path


def render_text_image(
    lines: list[str],
    *,
    font: str = DEJAVU,
    size: int = 34,
    width: int = 1650,
    skew: float = 0.0,
    noise: float = 0.0,
    seed: int = 7,
) -> Image.Image:
    """A page of text as a scanner would see it: optional skew and salt-and-pepper noise."""
    import random

    from PIL import Image, ImageDraw, ImageFont

    face = ImageFont.truetype(font, size)
    height = 160 + len(lines) * int(size * 1.7)
    img = Image.new("L", (width, max(height, 600)), 255)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((90, 90 + i * int(size * 1.7)), line, fill=0, font=face)
    if skew:
        img = img.rotate(skew, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
    if noise:
        rng = random.Random(seed)
        px = img.load()
        assert px is not None  # a loaded image always has its pixels
        for _ in range(int(img.width * img.height * noise)):
            x, y = rng.randrange(img.width), rng.randrange(img.height)
            px[x, y] = 0 if rng.random() < 0.5 else 255
    return img.convert("RGB")


def image_pdf(path: Path, images: list[Image.Image], *, invisible_text: str = "") -> Path:
    """An image-only PDF (a scan); optionally with an invisible, garbage text layer on top."""
    import tempfile

    from fpdf.enums import TextMode

    pdf = FPDF(unit="pt", format=(612, 792))
    pdf.set_auto_page_break(False)
    with tempfile.TemporaryDirectory() as tmp:
        for i, img in enumerate(images):
            pdf.add_page()
            file = Path(tmp) / f"{i}.png"
            img.save(file)
            ratio = min(612 / img.width, 792 / img.height)
            pdf.image(str(file), x=0, y=0, w=img.width * ratio, h=img.height * ratio)
            if invisible_text:
                pdf.set_font("Helvetica", size=12)
                pdf.text_mode = TextMode.INVISIBLE
                pdf.set_xy(40, 60)
                pdf.multi_cell(500, 16, invisible_text)
                pdf.text_mode = TextMode.FILL
        pdf.output(str(path))
    return path


def make_picture_pptx(path: Path, picture: Path, *, logo: Path | None = None) -> Path:
    """Three slides: a picture with a caption below it and speaker notes on slide 2; a logo on every slide."""
    from pptx import Presentation
    from pptx.util import Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    for n in range(1, 4):
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        slide.shapes.title.text = f"Slide {n} heading"
        if logo is not None:
            slide.shapes.add_picture(str(logo), Inches(12.3), Inches(6.6), Inches(0.8), Inches(0.6))
        if n == 2:
            slide.shapes.add_picture(str(picture), Inches(1), Inches(1.5), Inches(6), Inches(4.2))
            box = slide.shapes.add_textbox(Inches(1), Inches(5.8), Inches(6), Inches(0.5))
            box.text_frame.text = "Figure 2: Yield by quarter"
            box.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
            body = slide.shapes.add_textbox(Inches(7.5), Inches(1.5), Inches(5), Inches(2))
            body.text_frame.text = "Rain matters most in Q2"
            slide.notes_slide.notes_text_frame.text = "Point at the tallest bar"
    prs.save(str(path))
    return path


def make_wmf(
    width: int = 800, height: int = 500, *, color: tuple[int, int, int] = (220, 30, 30), corrupt: bool = False
) -> bytes:
    """A placeable Windows Metafile: a filled rectangle on a ``width`` x ``height`` window (1440 units an
    inch). ``corrupt`` keeps the headers and cuts the records short (Pillow and LibreOffice refuse it)."""
    import struct

    def record(function: int, *params: int) -> bytes:
        return struct.pack("<IH", 3 + len(params), function) + struct.pack(f"<{len(params)}h", *params)

    r, g, b = color
    records = b"".join(
        [
            record(0x020B, 0, 0),  # SETWINDOWORG y, x
            record(0x020C, height, width),  # SETWINDOWEXT height, width
            # CREATEBRUSHINDIRECT: solid style, the colour as COLORREF (two words), no hatch
            record(0x02FC, 0, r | g << 8, b, 0),
            record(0x012D, 0),  # SELECTOBJECT the brush
            record(0x041B, height * 9 // 10, width * 9 // 10, height // 10, width // 10),  # RECTANGLE b r t l
            record(0x0000),  # EOF
        ]
    )
    words = (18 + len(records)) // 2
    header = struct.pack("<HHHIHIH", 1, 9, 0x0300, words, 1, 7, 0)
    placeable = struct.pack("<IHhhhhHI", 0x9AC6CDD7, 0, 0, 0, width, height, 1440, 0)
    checksum = 0
    for (word,) in struct.iter_unpack("<H", placeable[:20]):
        checksum ^= word
    data = placeable + struct.pack("<H", checksum) + header + records
    return data[: 22 + 18 + 10] if corrupt else data


def make_wmf_pptx(path: Path, wmf: bytes) -> Path:
    """Two slides: a title, and a title with the WMF picture in the middle of a 13.33 x 7.5 in slide."""
    import io

    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    first = prs.slides.add_slide(prs.slide_layouts[5])
    first.shapes.title.text = "Security engineering"
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "System layers"
    slide.shapes.add_picture(io.BytesIO(wmf), Inches(3), Inches(2), Inches(6), Inches(3.75))
    prs.save(str(path))
    return path
