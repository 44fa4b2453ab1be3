"""A PPTX picture Pillow cannot open (WMF/EMF, the drawings of publisher decks) becomes a PNG figure cropped
from the slide's rendering, which the reader has LibreOffice make for the thumbnails; a picture that cannot
be rendered stays as it was and the deck still reads.

LibreOffice is replaced here by a PDF drawn with fpdf where LibreOffice would draw the picture (the real
conversion is in tests/integration/test_readers.py)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image

from shared.files import LocalFileStore
from tests.support.factories import make_wmf, make_wmf_pptx
from workers.ocr import slides
from workers.ocr.ports import OcrEngine, OcrResult
from workers.ocr.readers import PageContent, ReadOptions
from workers.ocr.slide_render import picture_box, slide_pages

SLIDE_PT = (960.0, 540.0)  # 13.333 x 7.5 in
PICTURE_PT = (216.0, 144.0, 648.0, 414.0)  # make_wmf_pptx's picture: 3 in, 2 in, 6 x 3.75 in


class WordsOcr(OcrEngine):
    def read(self, image: Image.Image, *, languages: str, sparse: bool = False) -> OcrResult:
        return OcrResult(text="Application layer", confidence=0.9, words=2)

    def available_languages(self) -> set[str]:
        return {"eng"}


def rendered_deck(path: Path, *, draw: bool = True, pages: int = 2) -> Path:
    """What LibreOffice makes of make_wmf_pptx's deck: the picture's red rectangle (10-90 % of its box)."""
    pdf = FPDF(unit="pt", format=SLIDE_PT)
    for n in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("Helvetica", size=28)
        pdf.text(80, 60, "System layers" if n == 2 else "Security engineering")
        if n == 2 and draw:
            x0, y0, x1, y1 = PICTURE_PT
            w, h = x1 - x0, y1 - y0
            pdf.set_fill_color(220, 30, 30)
            pdf.rect(x0 + 0.1 * w, y0 + 0.1 * h, 0.8 * w, 0.8 * h, style="F")
    pdf.output(str(path))
    return path


def fake_libreoffice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **kw: object) -> None:
    def convert(path: Path, target: str, opts: ReadOptions) -> Path:
        out = tmp_path / f"lo-{target}"
        out.mkdir(exist_ok=True)
        return rendered_deck(out / "deck.pdf", **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(slides, "libreoffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(slides, "convert_with_libreoffice", convert)


def read(deck: Path, tmp_path: Path) -> tuple[list[PageContent], ReadOptions]:
    opts = ReadOptions(
        store=LocalFileStore(tmp_path / "store"),
        prefix="uploads/1/1",
        languages="eng",
        layout=None,
        ocr=WordsOcr(),
    )
    return list(slides.read_pptx(deck, opts)), opts


def test_a_wmf_picture_becomes_a_png_figure_cropped_from_the_slide(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wmf = make_wmf()
    deck = make_wmf_pptx(tmp_path / "deck.pptx", wmf)
    fake_libreoffice(monkeypatch, tmp_path)
    pages, opts = read(deck, tmp_path)
    assert [p.number for p in pages] == [1, 2] and pages[1].title == "System layers"
    [figure] = pages[1].figures
    assert figure.image_key.endswith("p0002-0.png")
    assert (
        figure.hash == hashlib.sha1(wmf, usedforsecurity=False).hexdigest()
    )  # dedupe by the picture's bytes
    assert figure.text == "Application layer"  # its words are read like any picture's
    with Image.open(opts.store.path(figure.image_key)) as img:
        assert img.format == "PNG"
        x0, y0, x1, y1 = PICTURE_PT
        assert abs(img.width / img.height - (x1 - x0) / (y1 - y0)) < 0.02  # the picture's box, not the slide
        assert 600 <= img.width <= 2000  # sharp enough to read, within the cap
        rgb = img.convert("RGB")
        centre = rgb.getpixel((img.width // 2, img.height // 2))
        corner = rgb.getpixel((img.width // 40, img.height // 40))
    assert centre[0] > 190 and centre[1] < 70 and centre[2] < 70  # type: ignore[index]  # the rectangle
    assert min(corner) > 240  # type: ignore[arg-type]  # and the margin around it: not cut


def test_a_picture_the_rendering_leaves_blank_stays_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = make_wmf_pptx(tmp_path / "deck.pptx", make_wmf(corrupt=True))
    fake_libreoffice(monkeypatch, tmp_path, draw=False)  # LibreOffice drew nothing there
    pages, _ = read(deck, tmp_path)
    assert [p.title for p in pages] == ["Security engineering", "System layers"]
    [figure] = pages[1].figures
    assert figure.image_key.endswith(".wmf") and figure.text == ""  # the original bytes, as before
    assert all(p.thumbnail_key for p in pages)


def test_without_a_rendering_the_deck_reads_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = make_wmf_pptx(tmp_path / "deck.pptx", make_wmf(corrupt=True))
    fake_libreoffice(monkeypatch, tmp_path, pages=5)  # a PDF that does not fit the deck: nothing cropped
    pages, _ = read(deck, tmp_path)
    assert [p.title for p in pages] == ["Security engineering", "System layers"]
    assert pages[1].figures[0].image_key.endswith(".wmf")
    monkeypatch.setattr(slides, "libreoffice", lambda: None)  # no LibreOffice at all
    pages, _ = read(deck, tmp_path)
    assert pages[1].figures[0].image_key.endswith(".wmf") and pages[1].thumbnail_key is None


def test_hidden_slides_are_left_out_of_the_pdf() -> None:
    hidden = [False, True, False]
    assert slide_pages(hidden, 3) == {1: 0, 2: 1, 3: 2}
    assert slide_pages(hidden, 2) == {1: 0, 3: 1}  # LibreOffice's export skips slide 2
    assert slide_pages(hidden, 7) == {}


def test_a_grouped_or_rotated_picture_is_cropped_where_the_slide_shows_it(tmp_path: Path) -> None:
    from pptx import Presentation
    from pptx.util import Emu

    prs = Presentation(str(make_wmf_pptx(tmp_path / "deck.pptx", make_wmf())))
    slide = prs.slides[1]
    [pic] = [s for s in slide.shapes if s.shape_type == 13]
    assert picture_box(pic) == pytest.approx((Emu(2743200), Emu(1828800), Emu(8229600), Emu(5257800)))
    pic.rotation = 90.0
    x0, y0, x1, y1 = picture_box(pic)
    assert (x1 - x0, y1 - y0) == pytest.approx((pic.height, pic.width))
    pic.rotation = 0.0
    group = slide.shapes.add_group_shape()
    group._element.append(pic._element)  # moved into a group scaled 1/2 around the slide's origin
    xfrm = group._element.grpSpPr.get_or_add_xfrm()
    xfrm.off.x, xfrm.off.y, xfrm.ext.cx, xfrm.ext.cy = 0, 0, 6096000, 3429000
    xfrm.get_or_add_chOff().x, xfrm.get_or_add_chOff().y = 0, 0
    ch = xfrm.get_or_add_chExt()
    ch.cx, ch.cy = 12192000, 6858000
    [inner] = list(group.shapes)
    assert picture_box(inner) == pytest.approx((1371600, 914400, 4114800, 2628900))


def test_the_pdf_is_removed_when_the_deck_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deck = make_wmf_pptx(tmp_path / "deck.pptx", make_wmf())
    fake_libreoffice(monkeypatch, tmp_path)
    read(deck, tmp_path)
    assert not (tmp_path / "lo-pdf").exists()


def test_a_picture_whose_transform_cannot_be_read_keeps_its_bytes_and_the_deck_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pptx import Presentation

    path = make_wmf_pptx(tmp_path / "deck.pptx", make_wmf())
    prs = Presentation(str(path))
    [pic] = [s for s in prs.slides[1].shapes if s.shape_type == 13]
    pic._element.spPr.get_or_add_xfrm().set("rot", "abc")  # python-pptx raises on reading the rotation
    prs.save(str(path))
    fake_libreoffice(monkeypatch, tmp_path)
    pages, _ = read(path, tmp_path)
    assert [p.title for p in pages] == ["Security engineering", "System layers"]
    assert pages[1].figures[0].image_key.endswith(".wmf")  # no crop: the original bytes, as before
