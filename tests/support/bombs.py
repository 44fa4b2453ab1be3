"""Hostile files built on the fly, byte by byte (nothing of the kind is committed): zip archives with
many entries or highly compressed ones, image headers announcing huge sizes, multi-page TIFFs."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path


# --- zip ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RawEntry:
    name: str
    payload: bytes  # as stored in the archive (deflated when method == 8)
    method: int  # 0 stored, 8 deflated
    crc: int
    size: int  # uncompressed


def stored(name: str, data: bytes = b"") -> RawEntry:
    return RawEntry(name, data, 0, zlib.crc32(data), len(data))


def deflated(name: str, data: bytes) -> RawEntry:
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    payload = comp.compress(data) + comp.flush()
    return RawEntry(name, payload, 8, zlib.crc32(data), len(data))


def zeros_entries(prefix: str, count: int, size: int) -> list[RawEntry]:
    """``count`` entries of ``size`` zero bytes, compressed once and shared (fast to build)."""
    one = deflated(f"{prefix}0.bin", b"\0" * size)
    return [RawEntry(f"{prefix}{i}.bin", one.payload, 8, one.crc, size) for i in range(count)]


def write_zip(path: Path, entries: list[RawEntry]) -> Path:
    """A valid zip (zip64 end records when there are more than 65,534 entries), written directly."""
    local: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for e in entries:
        name = e.name.encode()
        header = struct.pack(
            "<4sHHHHHIIIHH",
            b"PK\x03\x04",
            20,
            0,
            e.method,
            0,
            0x21,
            e.crc,
            len(e.payload),
            e.size,
            len(name),
            0,
        )
        local.append(header + name + e.payload)
        central.append(
            struct.pack(
                "<4sHHHHHHIIIHHHHHII",
                b"PK\x01\x02",
                20,
                20,
                0,
                e.method,
                0,
                0x21,
                e.crc,
                len(e.payload),
                e.size,
                len(name),
                0,
                0,
                0,
                0,
                0o600 << 16,
                offset,
            )
            + name
        )
        offset += len(header) + len(name) + len(e.payload)
    directory = b"".join(central)
    count = len(entries)
    tail = b""
    if count >= 0xFFFF:
        zip64_at = offset + len(directory)
        tail += struct.pack(
            "<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, len(directory), offset
        )
        tail += struct.pack("<4sIQI", b"PK\x06\x07", 0, zip64_at, 1)
        shown = 0xFFFF
    else:
        shown = count
    tail += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, shown, shown, len(directory), offset, 0)
    with path.open("wb") as fh:
        fh.writelines(local)
        fh.write(directory)
        fh.write(tail)
    return path


def pptx_shell() -> list[RawEntry]:
    """The names that make the gateway sniff a zip as a PPTX."""
    return [
        stored("[Content_Types].xml", b"<Types/>"),
        stored("ppt/presentation.xml", b"<p/>"),
        stored("ppt/slides/slide1.xml", b"<s/>"),
    ]


# --- images ---------------------------------------------------------------------------------------------
def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that announces ``width`` x ``height`` pixels in a few dozen bytes (a decompression bomb's
    header: decoding it would need width * height * 3 bytes)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def tiff_pages(frames: list[tuple[int, int, bytes | None]]) -> bytes:
    """A little-endian, uncompressed 8-bit grey multi-page TIFF. Each frame is (width, height, pixels);
    pixels None writes only the frame's header (its strip points at one byte): a page that announces a
    size it never holds, enough for anything that must judge it without decoding."""
    out = bytearray(b"II*\x00\x00\x00\x00\x00")
    ifd_offsets: list[int] = []
    next_pointer_at = 4
    for width, height, pixels in frames:
        data = pixels if pixels is not None else b"\0"
        data_at = len(out)
        out += data
        if len(out) % 2:
            out += b"\0"
        tags = [
            (256, 4, width),  # ImageWidth, LONG
            (257, 4, height),  # ImageLength
            (258, 3, 8),  # BitsPerSample, SHORT
            (259, 3, 1),  # Compression: none
            (262, 3, 1),  # Photometric: black is zero
            (273, 4, data_at),  # StripOffsets
            (277, 3, 1),  # SamplesPerPixel
            (278, 4, height),  # RowsPerStrip
            (279, 4, len(data) if pixels is not None else width * height),  # StripByteCounts
        ]
        ifd_at = len(out)
        ifd_offsets.append(ifd_at)
        struct.pack_into("<I", out, next_pointer_at, ifd_at)
        out += struct.pack("<H", len(tags))
        for tag, kind, value in tags:
            if kind == 3:
                out += struct.pack("<HHIHH", tag, kind, 1, value, 0)
            else:
                out += struct.pack("<HHII", tag, kind, 1, value)
        next_pointer_at = len(out)
        out += b"\0\0\0\0"
    return bytes(out)


def grey_frame(width: int, height: int, value: int) -> tuple[int, int, bytes]:
    return width, height, bytes([value]) * (width * height)


# --- office documents -------------------------------------------------------------------------------------
def linked_picture_pptx(path: Path, links: list[str], *, embedded_colour: tuple[int, int, int]) -> Path:
    """A one-slide deck whose pictures are *linked*, not embedded: each picture's relationship is
    rewritten to ``TargetMode="External"`` pointing at a URL in ``links`` (file:///..., http://...),
    as a hostile upload would. One more picture stays embedded (``embedded_colour``)."""
    import re

    from pptx import Presentation
    from pptx.util import Inches

    def png(colour: tuple[int, int, int]) -> io.BytesIO:
        from PIL import Image

        buf = io.BytesIO()
        Image.new("RGB", (200, 150), colour).save(buf, format="PNG")
        buf.seek(0)
        return buf

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    slide.shapes.add_picture(png(embedded_colour), Inches(0.3), Inches(0.3), Inches(3), Inches(2.2))
    rids = []
    for i, _ in enumerate(links):
        # each linked picture starts as its own embedded one (distinct bytes), then gets rewired
        pic = slide.shapes.add_picture(
            png((10, 10 + i, 10)), Inches(4 + 4.5 * i), Inches(2), Inches(4.2), Inches(4.2)
        )
        rids.append(pic._element.blipFill.blip.rEmbed)
    tmp = path.with_suffix(".plain.pptx")
    prs.save(str(tmp))
    with zipfile.ZipFile(tmp) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "ppt/slides/_rels/slide1.xml.rels":
                text = data.decode()
                for rid, url in zip(rids, links, strict=True):
                    text = re.sub(
                        rf'<Relationship Id="{rid}"[^>]*/>',
                        f'<Relationship Id="{rid}" Type="http://schemas.openxmlformats.org/officeDocument/'
                        f'2006/relationships/image" Target="{url}" TargetMode="External"/>',
                        text,
                    )
                data = text.encode()
            elif info.filename == "ppt/slides/slide1.xml":
                text = data.decode()
                for rid in rids:
                    text = text.replace(f'r:embed="{rid}"', f'r:link="{rid}"')
                data = text.encode()
            zout.writestr(info, data)
    tmp.unlink()
    return path
