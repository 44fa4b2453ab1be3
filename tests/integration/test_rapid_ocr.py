"""RapidOCR's bundled PP-OCRv4 models through the OCR port (no services needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from shared.files import LocalFileStore
from tests.support.factories import render_text_image
from workers.ocr.fallback import SecondOpinion
from workers.ocr.ports import OcrEngine, OcrResult
from workers.ocr.rapid_ocr import RapidOcr
from workers.ocr.readers import ReadOptions, read_image

LINES = [
    "Mitosis produces two identical daughter cells.",
    "Meiosis halves the number of chromosomes.",
    "Crossing over happens during prophase one.",
]


def words(text: str) -> list[str]:
    return [w.strip(".,").lower() for w in text.split()]


@pytest.fixture(scope="module")
def rapid() -> RapidOcr:
    return RapidOcr()


def test_rapidocr_reads_rendered_lines_in_order(rapid: RapidOcr) -> None:
    image = render_text_image(LINES, size=40, width=1400)
    result = rapid.read(image, languages="eng")
    got = [line for line in result.text.split("\n") if line.strip()]
    assert len(got) == len(LINES)
    for expected, line in zip(LINES, got, strict=True):
        # The recogniser may glue a space away ("twoidentical"); the letters come out right, line by line.
        assert line.replace(" ", "").lower() == expected.replace(" ", "").lower()
    assert result.confidence > 0.9 and result.words >= 15
    assert all(
        w.box[0] < w.box[2] <= image.width and w.box[1] < w.box[3] <= image.height for w in result.word_boxes
    )


def test_a_large_page_is_shrunk_before_reading_and_boxes_come_back_in_its_pixels(rapid: RapidOcr) -> None:
    image = render_text_image(LINES[:1], size=80, width=3000)
    small = RapidOcr(max_side=1000)
    result = small.read(image, languages="eng")
    assert "identical" in result.text.lower()
    assert max(w.box[2] for w in result.word_boxes) > 1000  # in the original image's coordinates


class Garble(OcrEngine):
    """Tesseract on a bad photo: a few unsure fragments."""

    def read(self, image: Image.Image, *, languages: str, sparse: bool = False) -> OcrResult:
        return OcrResult(text="Mlt0s1s prdcs tw0\nMe10s1s", confidence=0.55, words=5)

    def available_languages(self) -> set[str]:
        return {"eng"}


def test_the_reader_keeps_rapidocrs_reading_of_a_page_tesseract_garbles(
    tmp_path: Path, rapid: RapidOcr
) -> None:
    path = tmp_path / "notes.png"
    render_text_image(LINES, size=40, width=1400).convert("RGB").save(path)
    opts = ReadOptions(
        store=LocalFileStore(tmp_path / "store"),
        prefix="uploads/1/1",
        languages="eng",
        layout=None,
        ocr=Garble(),
        second_opinion=SecondOpinion(rapid),
    )
    [page] = read_image(path, opts)
    assert "chromosomes" in words(page.text) and "prophase" in words(page.text)
    assert page.text.count("\n") >= 2  # one line each, as Tesseract's text would be


@pytest.mark.parametrize("size", [(20000, 3), (3, 20000), (1, 1)])
def test_rapidocr_on_a_strip_or_a_dot_reads_nothing_in_bounded_time(
    rapid: RapidOcr, size: tuple[int, int]
) -> None:
    """A 20000 x 3 strip was scaled by RapidOCR to hundreds of millions of pixels: the worker was killed."""
    import time

    start = time.perf_counter()
    assert rapid.read(Image.new("L", size, 255), languages="eng").words == 0
    assert time.perf_counter() - start < 10
