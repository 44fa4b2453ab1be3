"""The second OCR engine for pages Tesseract reads badly: when it is asked, which reading is kept, and that
the reader feeds its text downstream like Tesseract's (fake engines; the real RapidOCR is in
tests/integration/test_rapid_ocr.py)."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from shared.errors import AppError
from shared.files import LocalFileStore
from shared.settings import Settings
from workers.ocr.adapters import OcrModels
from workers.ocr.fallback import MAX_UNKEPT, SecondOpinion, Tally, better, plausible_units
from workers.ocr.ports import OcrEngine, OcrResult
from workers.ocr.rapid_ocr import RapidOcr, result_from_regions
from workers.ocr.readers import ReadOptions, read_image

PRINTED = OcrResult(
    text="The relational model\nA relation is a table with rows and columns. " * 4, confidence=0.92, words=60
)
SCRIBBLE = OcrResult(text="Linke ROH) (Core, serfuacty] Rana\neye dost prc bad", confidence=0.62, words=14)
NOTES = OcrResult(
    text="Links RDD url\nbar foo widget rank\nflat map rank divided by size\nreduce by key ranks\n"
    "foo widget bar bad\nthe rank of every page is the sum of its shares",
    confidence=0.83,
    words=30,
)


class FakeOcr(OcrEngine):
    """Returns one fixed reading; remembers how it was called."""

    def __init__(self, result: OcrResult, *, fail: bool = False) -> None:
        self.result, self.fail = result, fail
        self.calls: list[tuple[tuple[int, int], str, bool]] = []

    def read(self, image: Image.Image, *, languages: str, sparse: bool = False) -> OcrResult:
        self.calls.append((image.size, languages, sparse))
        if self.fail:
            raise AppError("OCR_UNAVAILABLE", "not installed")
        return self.result

    def available_languages(self) -> set[str]:
        return {"eng"}


PAGE = Image.new("L", (400, 500), 255)


def test_a_page_tesseract_reads_well_never_reaches_the_second_engine() -> None:
    second = FakeOcr(NOTES)
    choice = SecondOpinion(second).choose(PAGE, PRINTED, "eng")
    assert choice.result is PRINTED and choice.engine == "tesseract"
    assert second.calls == []


def test_handwriting_gets_the_second_engines_reading_when_it_has_clearly_more_words() -> None:
    second = FakeOcr(NOTES)
    choice = SecondOpinion(second, name="rapidocr").choose(PAGE, SCRIBBLE, "eng")
    assert choice.result is NOTES and choice.engine == "rapidocr"
    assert second.calls == [((400, 500), "eng", False)]


def test_devanagari_pages_stay_with_tesseract() -> None:
    """The second engine knows no Devanagari: a Hindi page is never sent to it, however badly it reads."""
    second = FakeOcr(NOTES)
    hindi = OcrResult(text="पर्वत प्रदेश में पावस\nमहादेवी वर्मा the", confidence=0.5, words=7)
    for languages in ("eng+hin", "hin"):
        assert SecondOpinion(second).choose(PAGE, hindi, languages).result is hindi
    assert second.calls == []


def test_an_english_page_read_with_a_hindi_language_set_is_latin() -> None:
    """A subject set to "eng+hin" by hand: the page's letters, not the set, say it is English."""
    second = FakeOcr(NOTES)
    assert SecondOpinion(second).choose(PAGE, SCRIBBLE, "eng+hin").result is NOTES
    title = OcrResult(text="Cross Validation", confidence=0.96, words=2)  # a section slide, read well
    assert SecondOpinion(second).choose(PAGE, title, "eng+hin").result is title
    assert len(second.calls) == 1


def test_chinese_pages_are_sent_and_kept_by_their_characters() -> None:
    tess = OcrResult(text="生 物\n1 2", confidence=0.4, words=4)
    rapid = OcrResult(
        text="物种形成与灭绝\n生殖隔离是物种形成的关键\n地理隔离导致异域物种形成", confidence=0.9, words=3
    )
    choice = SecondOpinion(FakeOcr(rapid)).choose(PAGE, tess, "eng+chi_sim")
    assert choice.result is rapid
    assert plausible_units(rapid.text) > 10


def test_an_unsure_second_reading_is_not_kept_even_with_more_words() -> None:
    """A Devanagari notebook read as Latin by mistake: many boxes, low scores, a few chance words."""
    unsure = OcrResult(text=NOTES.text, confidence=0.68, words=30)
    choice = SecondOpinion(FakeOcr(unsure)).choose(PAGE, SCRIBBLE, "eng")
    assert choice.result is SCRIBBLE and choice.engine == "tesseract"


def test_a_second_reading_only_slightly_better_is_not_kept() -> None:
    first = OcrResult(text=" ".join(["relation table column row key"] * 8), confidence=0.7, words=40)
    slightly = OcrResult(text=first.text + " index query schema", confidence=0.95, words=43)
    assert not better(slightly, first)
    clearly = OcrResult(text=first.text + " index query schema" * 6, confidence=0.95, words=58)
    assert better(clearly, first)


def test_a_deck_where_the_second_reading_is_never_kept_stops_asking() -> None:
    """A handwritten Hindi notebook read as Latin: asked a few times, never kept; the rest of the deck is
    spared the seconds."""
    unsure = OcrResult(text=NOTES.text, confidence=0.68, words=30)
    second, tally = FakeOcr(unsure), Tally()
    for _ in range(MAX_UNKEPT + 4):
        SecondOpinion(second).choose(PAGE, SCRIBBLE, "eng", tally=tally)
    assert len(second.calls) == MAX_UNKEPT


def test_a_deck_where_it_was_kept_keeps_asking() -> None:
    second, tally = FakeOcr(NOTES), Tally()
    opinion = SecondOpinion(second)
    for _ in range(MAX_UNKEPT + 4):
        assert opinion.choose(PAGE, SCRIBBLE, "eng", tally=tally).result is NOTES
    assert len(second.calls) == MAX_UNKEPT + 4 and tally.kept == MAX_UNKEPT + 4


def test_the_second_engine_failing_keeps_tesseracts_reading() -> None:
    second = FakeOcr(NOTES, fail=True)
    assert SecondOpinion(second).choose(PAGE, SCRIBBLE, "eng").result is SCRIBBLE
    assert len(second.calls) == 1


def test_plausible_units_count_real_words_not_fragments() -> None:
    assert plausible_units("serfuacty] RAvnks xqzt, 4/2 SeCuRl") == 0
    assert plausible_units("the rank of every page is the sum of its shares") == 8  # 3+ letters


def opts_for(tmp_path: Path, first: OcrEngine, second: OcrEngine | None) -> ReadOptions:
    return ReadOptions(
        store=LocalFileStore(tmp_path / "store"),
        prefix="uploads/1/1",
        languages="eng",
        layout=None,
        ocr=first,
        second_opinion=SecondOpinion(second) if second is not None else None,
    )


def photo(tmp_path: Path) -> Path:
    path = tmp_path / "notes.png"
    Image.new("RGB", (600, 800), (200, 190, 170)).save(path)
    return path


def test_the_reader_puts_the_kept_reading_in_the_page_text(tmp_path: Path) -> None:
    second = FakeOcr(NOTES)
    [page] = read_image(photo(tmp_path), opts_for(tmp_path, FakeOcr(SCRIBBLE), second))
    assert page.text == NOTES.text and page.source == "ocr" and page.confidence == NOTES.confidence
    assert len(second.calls) == 1


def test_switched_off_the_reader_keeps_tesseracts_text(tmp_path: Path) -> None:
    [page] = read_image(photo(tmp_path), opts_for(tmp_path, FakeOcr(SCRIBBLE), None))
    assert page.text == SCRIBBLE.text


def test_settings_choose_the_second_engine_and_load_it_lazily_once() -> None:
    off = OcrModels(Settings(ocr_fallback="none", _env_file=None))  # type: ignore[call-arg]
    assert off.second_opinion is None
    models = OcrModels(Settings(ocr_fallback_max_side=900, _env_file=None))  # type: ignore[call-arg]
    chosen = models.second_opinion
    assert chosen is not None and chosen is models.second_opinion  # one per process
    assert isinstance(chosen.engine, RapidOcr) and chosen.engine.max_side == 900
    assert chosen.engine._engine is None  # no model loaded until a page needs it


def test_regions_become_lines_and_paragraphs_like_tesseracts_text() -> None:
    square = lambda x0, y0, x1, y1: (x0, y0, x1, y0, x1, y1, x0, y1)  # noqa: E731
    regions: list[tuple[tuple[float, ...], str, float]] = [
        (square(300, 12, 500, 48), "chases the dog", 0.9),
        (square(10, 10, 280, 50), "The cat", 0.8),
        (square(10, 60, 400, 100), "every morning.", 0.7),
        (square(10, 300, 300, 340), "A new paragraph", 0.9),
    ]
    result = result_from_regions(regions)
    assert result.text == "The cat chases the dog\nevery morning.\n\nA new paragraph"
    assert result.words == 10
    first = result.word_boxes[0]
    assert (first.text, first.line, first.paragraph) == ("The", 0, 0)
    assert first.box[0] == 10 and first.box[2] < 280  # its share of the region
    assert result.word_boxes[-1].paragraph == 1
    assert 0.7 < result.confidence < 0.9


class CrashingOcr(FakeOcr):
    """An engine failing as onnxruntime or OpenCV do: not with an AppError."""

    def read(self, image: Image.Image, *, languages: str, sparse: bool = False) -> OcrResult:
        self.calls.append((image.size, languages, sparse))
        raise RuntimeError("[ONNXRuntimeError] : 6 : RUNTIME_EXCEPTION : bad allocation")


def test_the_second_engine_crashing_keeps_tesseracts_reading_and_logs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Any failure of the second engine (onnxruntime, OpenCV, an odd image) fails soft: the deck is read."""
    second = CrashingOcr(NOTES)
    with caplog.at_level(logging.WARNING, logger="workers.ocr.fallback"):
        choice = SecondOpinion(second).choose(PAGE, SCRIBBLE, "eng")
    assert choice.result is SCRIBBLE and choice.engine == "tesseract"
    assert "second OCR engine failed" in caplog.text


class ShapeEngine:
    """Stands in for RapidOCR's pipeline: records the array it is given."""

    def __init__(self) -> None:
        self.shapes: list[tuple[int, ...]] = []

    def __call__(self, array: np.ndarray) -> tuple[list[object], float]:
        self.shapes.append(array.shape)
        return [], 0.0


@pytest.mark.parametrize("size", [(20000, 3), (3, 20000), (1100, 8), (1, 1)])
def test_rapidocr_gets_a_page_of_bounded_shape_whatever_the_images_shape(size: tuple[int, int]) -> None:
    """RapidOCR scales a page's short side up to 736 px for detection: a 1100 x 1 strip became a 736 x 800,000
    image and the worker was killed for memory. The page it gets is padded to a bounded aspect."""
    rapid, engine = RapidOcr(max_side=1100), ShapeEngine()
    rapid._engine = engine
    assert rapid.read(Image.new("L", size, 255)).words == 0
    height, width, _ = engine.shapes[0]
    assert max(height, width) <= 1100 and max(height, width) <= 4 * min(height, width)


def test_rapidocr_on_an_empty_image_is_a_clear_error() -> None:
    rapid, engine = RapidOcr(), ShapeEngine()
    rapid._engine = engine
    with pytest.raises(AppError) as caught:
        rapid.read(Image.new("L", (0, 0)))
    assert engine.shapes == [] and caught.value.code == "OCR_FAILED"


def test_rapidocr_failing_to_load_is_remembered_not_retried_on_every_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rapid, loads = RapidOcr(), []

    def broken() -> object:
        loads.append(1)
        raise RuntimeError("onnxruntime: invalid model")

    monkeypatch.setattr(rapid, "_load", broken)
    for _ in range(3):
        with pytest.raises(AppError) as caught:
            rapid.read(PAGE)
        assert caught.value.code == "OCR_UNAVAILABLE"
    assert len(loads) == 1


class SlowOcr(FakeOcr):
    def read(self, image: Image.Image, *, languages: str, sparse: bool = False) -> OcrResult:
        time.sleep(0.3)
        return super().read(image, languages=languages, sparse=sparse)


def test_pages_read_in_parallel_do_not_ask_past_the_decks_limit() -> None:
    """Pages are read two at a time: both used to pass the "asked fewer than 3" check while the engine ran,
    so a deck it never helps paid for more pages than the limit."""
    unsure = OcrResult(text=NOTES.text, confidence=0.68, words=30)
    second, tally = SlowOcr(unsure), Tally()
    opinion = SecondOpinion(second)
    for _ in range(MAX_UNKEPT - 1):
        opinion.choose(PAGE, SCRIBBLE, "eng", tally=tally)
    threads = [
        threading.Thread(target=opinion.choose, args=(PAGE, SCRIBBLE, "eng"), kwargs={"tally": tally})
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(second.calls) == MAX_UNKEPT
