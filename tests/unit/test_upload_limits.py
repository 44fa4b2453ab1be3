"""Hostile uploads judged before anything is queued or decoded: zip bombs and archives with too many
entries (from the zip directory, the entry count from its end record), decompression-bomb images, and
multi-page TIFFs whose every page counts and is checked. Every file is built here, byte by byte."""

from __future__ import annotations

import io
import os
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from shared.errors import AppError
from shared.files import (
    MAX_IMAGE_PIXELS,
    ArchiveLimits,
    check_zip,
    image_size,
    inspect,
    sniff,
    zip_entry_count,
)
from shared.settings import Settings
from tests.support.bombs import (
    grey_frame,
    png_header_only,
    pptx_shell,
    stored,
    tiff_pages,
    write_zip,
    zeros_entries,
)
from tests.support.factories import make_pptx

MB = 1024 * 1024


def _code(call: object) -> str:
    assert callable(call)
    with pytest.raises(AppError) as err:
        call()
    return err.value.code


@pytest.fixture(scope="module")
def many_entries(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A PPTX-looking zip with 200,000 (empty) entries: about 21 MB, under the upload limit."""
    path = tmp_path_factory.mktemp("zip") / "entries.pptx"
    return write_zip(path, pptx_shell() + [stored(f"ppt/junk/{i}.xml") for i in range(200_000)])


# --- archives ---------------------------------------------------------------------------------------------
def test_entry_count_is_read_from_the_end_record_zip64_included(tmp_path: Path) -> None:
    small = write_zip(tmp_path / "small.zip", pptx_shell() + [stored(f"x/{i}") for i in range(10)])
    assert zip_entry_count(small) == 13
    big = write_zip(tmp_path / "zip64.zip", [stored(f"x/{i}") for i in range(70_000)])  # zip64 records
    assert zip_entry_count(big) == 70_000 == len(zipfile.ZipFile(big).infolist())
    written = tmp_path / "python.zip"  # one written by zipfile, with a comment after the end record
    with zipfile.ZipFile(written, "w") as zf:
        for i in range(5):
            zf.writestr(f"f{i}.txt", "x")
        zf.comment = b"made by a test " * 20
    assert zip_entry_count(written) == 5
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 and no directory at all")
    assert zip_entry_count(broken) is None


def test_200k_entries_are_refused_fast_before_the_directory_is_parsed(many_entries: Path) -> None:
    started = time.perf_counter()
    assert _code(lambda: sniff(many_entries)) == "ARCHIVE_TOO_LARGE"
    assert _code(lambda: check_zip(many_entries)) == "ARCHIVE_TOO_LARGE"
    elapsed = time.perf_counter() - started
    # Parsing the directory (zipfile.infolist) takes seconds on this machine; the end record, microseconds.
    assert elapsed < 0.5, f"took {elapsed:.2f} s"


def test_entry_cap_is_a_setting(tmp_path: Path) -> None:
    deck = write_zip(tmp_path / "d.pptx", pptx_shell() + [stored(f"ppt/media/{i}.png") for i in range(40)])
    check_zip(deck)  # 43 entries: fine by default
    limits = ArchiveLimits.from_settings(Settings(archive_max_entries=20, _env_file=None))  # type: ignore[call-arg]
    with pytest.raises(AppError) as err:
        check_zip(deck, limits)
    assert (err.value.code, err.value.status_code) == ("ARCHIVE_TOO_LARGE", 422)
    assert err.value.details == {"entries": 43, "limit": 20}


def test_twenty_entries_of_49_mb_zeros_are_a_bomb(tmp_path: Path) -> None:
    """The probe's file: each entry just under the old 50 MB threshold, 980 MB in all, 1 MB on disk."""
    bomb = write_zip(tmp_path / "zeros.pptx", pptx_shell() + zeros_entries("ppt/media/z", 20, 49 * MB))
    assert bomb.stat().st_size < 2 * MB
    assert sniff(bomb).file_type == "pptx"
    with pytest.raises(AppError) as err:
        inspect(bomb, sniff(bomb), max_pages=500)
    assert (err.value.code, err.value.status_code) == ("ARCHIVE_BOMB", 422)
    # With the ratio check out of the way, the total cap still refuses it.
    relaxed = ArchiveLimits(max_ratio=10**9)
    assert _code(lambda: check_zip(bomb, relaxed)) == "ARCHIVE_TOO_LARGE"


def test_the_ratio_check_spares_small_pictures(tmp_path: Path) -> None:
    """Real decks hold uncompressed TIFF/BMP pictures that deflate very well (a corpus deck: 2 MB at
    72:1); below 10 MiB any ratio is fine, above it 200:1 is a bomb."""
    blank = write_zip(tmp_path / "blank.pptx", pptx_shell() + zeros_entries("ppt/media/scan", 3, 8 * MB))
    check_zip(blank)
    bomb = write_zip(tmp_path / "bomb.pptx", pptx_shell() + zeros_entries("ppt/media/scan", 1, 11 * MB))
    with pytest.raises(AppError) as err:
        check_zip(bomb)
    assert err.value.code == "ARCHIVE_BOMB" and err.value.details["entry"] == "ppt/media/scan0.bin"


def test_total_uncompressed_cap_counts_incompressible_data(tmp_path: Path) -> None:
    entries = [stored(f"ppt/media/{i}.bin", os.urandom(MB // 2)) for i in range(3)]
    deck = write_zip(tmp_path / "d.pptx", pptx_shell() + entries)
    check_zip(deck, ArchiveLimits(max_uncompressed=2 * MB))
    with pytest.raises(AppError) as err:
        check_zip(deck, ArchiveLimits(max_uncompressed=1 * MB))
    assert err.value.code == "ARCHIVE_TOO_LARGE"
    assert err.value.details["limit_bytes"] == MB


def test_an_ordinary_deck_passes_every_cap(tmp_path: Path) -> None:
    deck = make_pptx(tmp_path / "ok.pptx", [("Cells", "The cell is the unit of life", "notes")] * 3)
    check_zip(deck)
    assert inspect(deck, sniff(deck), max_pages=500) == 3


# --- images ---------------------------------------------------------------------------------------------
def test_a_30000_pixel_square_png_is_image_too_large_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(png_header_only(30_000, 30_000))  # 900 Mpx announced in a few bytes
    assert path.stat().st_size < 200
    kind = sniff(path)
    for call in (lambda: image_size(path), lambda: inspect(path, kind, max_pages=500)):
        with pytest.raises(AppError) as err:
            call()
        assert (err.value.code, err.value.status_code) == ("IMAGE_TOO_LARGE", 422)
        assert "900,000,000" in err.value.message


def test_our_pixel_limit_is_below_pillows_warning() -> None:
    """Pillow warns above its MAX_IMAGE_PIXELS and refuses above twice that; ours refuses first."""
    assert (Image.MAX_IMAGE_PIXELS or 0) > MAX_IMAGE_PIXELS
    buf = io.BytesIO(png_header_only(10_000, 10_000))  # 100 Mpx: above ours, Pillow only warns
    with Image.open(buf) as img:
        assert img.size == (10_000, 10_000)


def test_tiff_pages_count_against_the_page_limit(tmp_path: Path) -> None:
    path = tmp_path / "three.tiff"
    path.write_bytes(tiff_pages([grey_frame(40, 30, v) for v in (0, 128, 255)]))
    kind = sniff(path)
    assert inspect(path, kind, max_pages=500) == 3
    with pytest.raises(AppError) as err:
        inspect(path, kind, max_pages=2)
    assert err.value.code == "TOO_MANY_PAGES" and err.value.details["limit"] == 2


def test_every_tiff_page_is_size_checked_without_decoding(tmp_path: Path) -> None:
    """A small first page hides a huge later one: judged from the page headers alone (the file does
    not even hold the huge page's pixels)."""
    path = tmp_path / "hidden.tiff"
    path.write_bytes(tiff_pages([grey_frame(100, 100, 255), (9_500, 9_500, None)]))
    assert image_size(path) == (100, 100)  # the first page alone looks harmless
    with pytest.raises(AppError) as err:
        inspect(path, sniff(path), max_pages=500)
    assert err.value.code == "IMAGE_TOO_LARGE"
    assert (err.value.details["width"], err.value.details["height"]) == (9_500, 9_500)


def test_the_probe_tiff_counts_five_pages(tmp_path: Path) -> None:
    """100x100 plus four 8900x8900 pages (each just under the pixel limit): five pages, not one."""
    path = tmp_path / "probe.tiff"
    path.write_bytes(tiff_pages([grey_frame(100, 100, 255)] + [(8_900, 8_900, None)] * 4))
    assert path.stat().st_size < 25_000
    assert inspect(path, sniff(path), max_pages=500) == 5
    assert _code(lambda: inspect(path, sniff(path), max_pages=4)) == "TOO_MANY_PAGES"


def test_a_tiff_with_thousands_of_pages_stops_at_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "many.tiff"
    path.write_bytes(tiff_pages([(10, 10, None)] * 5000))
    started = time.perf_counter()
    with pytest.raises(AppError) as err:
        inspect(path, sniff(path), max_pages=500)
    assert err.value.code == "TOO_MANY_PAGES"
    assert time.perf_counter() - started < 2.0


def test_damaged_image_is_image_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "bad.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    assert _code(lambda: image_size(path)) == "IMAGE_CORRUPT"


def _frames(data: bytes) -> Iterator[tuple[int, int]]:
    with Image.open(io.BytesIO(data)) as img:
        for i in range(getattr(img, "n_frames", 1)):
            img.seek(i)
            yield img.size


def test_tiff_builder_makes_real_tiffs() -> None:
    """The fixture itself: Pillow reads every page of what tiff_pages writes, pixels included."""
    data = tiff_pages([grey_frame(40, 30, 10), grey_frame(20, 10, 200)])
    assert list(_frames(data)) == [(40, 30), (20, 10)]
    with Image.open(io.BytesIO(data)) as img:
        img.seek(1)
        assert img.convert("L").getpixel((5, 5)) == 200
