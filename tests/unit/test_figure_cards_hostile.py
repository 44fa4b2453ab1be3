"""A card's picture from a hostile upload (workers/generation/figure_cards.Pictures): a decompression bomb or
a damaged file is no picture a student can see (the card is not made, nothing raises) and is refused from
its header, before its pixels are decoded; a normal picture is hashed from a small thumbnail and still gives
one card however many slides show it."""

from __future__ import annotations

import struct
import warnings
import zlib
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageFile

from shared.files import MAX_IMAGE_PIXELS, LocalFileStore
from workers.generation.figure_cards import Pictures


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_header(width: int, height: int) -> bytes:
    """A PNG whose header declares width x height RGB pixels, with a body of a few bytes."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")


def _picture(path: Path, seed: int = 0, size: tuple[int, int] = (120, 90), fmt: str = "PNG") -> bytes:
    img = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(img)
    for i in range(12):
        x, y = (37 * (i + seed)) % size[0], (53 * (i + 2 * seed)) % size[1]
        draw.rectangle((x, y, x + size[0] // 6, y + size[1] // 7), fill=(20 * i % 256, 90, 200 - 10 * i))
    img.save(path, fmt)
    return path.read_bytes()


def _pictures(tmp_path: Path, images: dict[int, bytes]) -> Pictures:
    files = LocalFileStore(tmp_path / "data")
    paths = {}
    for fid, data in images.items():
        key = f"uploads/1/1/figures/p{fid:04d}-0.png"
        files.path(key).parent.mkdir(parents=True, exist_ok=True)
        files.path(key).write_bytes(data)
        paths[fid] = key
    return Pictures(files, paths)


@pytest.fixture
def decoded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """The size of every image whose pixels are decoded (ImageFile.load)."""
    sizes: list[tuple[int, int]] = []
    load0 = ImageFile.ImageFile.load

    def load(self: Any) -> Any:
        sizes.append(self.size)
        return load0(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return sizes


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize(
    "width, height",
    [
        (100_000, 100_000),  # over twice Pillow's bound: Image.open raises DecompressionBombError
        (10_000, 9_000),  # over shared.files' bound (and Pillow's, where it only warns)
        (MAX_IMAGE_PIXELS // 8_000 + 1, 8_000),  # just over shared.files' bound, under Pillow's
    ],
)
def test_a_picture_whose_header_declares_a_bomb_is_refused_undecoded(
    tmp_path: Path, decoded: list[tuple[int, int]], width: int, height: int
) -> None:
    assert width * height > MAX_IMAGE_PIXELS
    pictures = _pictures(tmp_path, {1: _png_header(width, height), 2: _picture(tmp_path / "ok.png")})
    assert pictures.digest(1) is None
    assert not pictures.admit(1)  # the card is not made
    assert decoded == []  # refused from the header: not one pixel decoded
    assert pictures.admit(2)  # the job goes on: the next picture is shown


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("limit", [2_000, 6_000])  # a 120x90 picture is over twice / over once the bound
def test_pillows_own_bomb_bound_refuses_the_picture(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    """Over Image.MAX_IMAGE_PIXELS Pillow warns (DecompressionBombWarning), over twice it raises
    (DecompressionBombError): either way no card, and nothing raises."""
    pictures = _pictures(tmp_path, {1: _picture(tmp_path / "a.png")})
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", limit)
    assert pictures.digest(1) is None
    assert not pictures.admit(1)


def test_the_bomb_warning_raised_as_an_error_is_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process that turns warnings into errors (python -W error) gets no exception either."""
    pictures = _pictures(tmp_path, {1: _picture(tmp_path / "a.png")})
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 6_000)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        assert pictures.digest(1) is None


def test_a_damaged_or_foreign_file_is_refused(tmp_path: Path) -> None:
    good = _picture(tmp_path / "a.png")
    jpeg = _picture(tmp_path / "a.jpg", fmt="JPEG")
    pictures = _pictures(
        tmp_path,
        {
            1: good[: len(good) // 2],  # truncated inside its pixels
            2: jpeg[: len(jpeg) // 3],
            3: good[:40],  # truncated inside its header
            4: b"%PDF-1.4 not a picture at all",
            5: _png_header(64, 64),  # a header and no pixels worth the name
            6: _picture(tmp_path / "a.bmp", fmt="BMP"),  # an image a browser does not show
        },
    )
    for fid in range(1, 7):
        assert pictures.digest(fid) is None, fid
        assert not pictures.admit(fid)


def test_the_same_picture_on_several_slides_gives_one_card(tmp_path: Path) -> None:
    same = _picture(tmp_path / "a.png")
    other = _picture(tmp_path / "b.png", seed=5)
    pictures = _pictures(tmp_path, {1: same, 2: same, 3: other, 4: _picture(tmp_path / "c.png")})
    assert pictures.digest(1) == pictures.digest(2) == pictures.digest(4) != pictures.digest(3)
    assert [pictures.admit(f) for f in (1, 2, 3, 4)] == [True, False, True, False]
    assert pictures.admit(None)  # a card with no picture


def test_a_large_jpeg_is_decoded_at_a_reduced_scale(tmp_path: Path, decoded: list[tuple[int, int]]) -> None:
    big = _picture(tmp_path / "big.jpg", size=(4000, 3000), fmt="JPEG")
    pictures = _pictures(tmp_path, {1: big, 2: big})
    assert pictures.digest(1) is not None and pictures.digest(1) == pictures.digest(2)
    assert decoded and max(w * h for w, h in decoded) <= 512 * 512  # not its 12 million pixels
