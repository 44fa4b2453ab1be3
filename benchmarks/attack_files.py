"""Hostile files for `benchmarks/attacks.py`, made on the fly (nothing hostile is kept on disk)."""

from __future__ import annotations

import io
import struct
import threading
import zipfile
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from PIL import Image


def png_bomb(side: int = 30000) -> bytes:
    """A 1-bit side x side PNG of zeros: about 100 KB on disk, gigabytes once decoded to RGB."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    row = b"\0" * (1 + (side + 7) // 8)
    comp = zlib.compressobj(9)
    idat = b"".join(comp.compress(row) for _ in range(side)) + comp.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def tiff_frames() -> bytes:
    """A 100x100 first frame, then four 8900x8900 frames (group4: a few KB each)."""
    first = Image.new("1", (100, 100), 1)
    big = [Image.new("1", (8900, 8900), 1) for _ in range(4)]
    out = io.BytesIO()
    first.save(out, format="TIFF", save_all=True, append_images=big, compression="group4")
    return out.getvalue()


def huge_page_pdf(path: Path) -> bytes:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    doc.new_page(5000, 5000)
    doc.save(str(path))
    return path.read_bytes()


def zip_of(entries: Iterator[tuple[str, bytes]], base: bytes) -> bytes:
    """A copy of the PPTX `base` with extra entries."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        for name, data in entries:
            dst.writestr(name, data)
    return out.getvalue()


def linked_picture_pptx(base: Path, target: str) -> bytes:
    """`base` with its picture relationship turned into an external link to `target`."""
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("ppt/slides/_rels/") and b"relationships/image" in data:
                text = data.decode()
                start = text.index('Target="', text.index("relationships/image")) + len('Target="')
                end = text.index('"', start)
                text = text[:start] + target + '" TargetMode="External' + text[end:]
                data = text.encode()
            dst.writestr(item, data)
    return out.getvalue()


class HitServer:
    """A local HTTP server that counts requests (the SSRF canary)."""

    def __init__(self) -> None:
        hits: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                self.wfile.write(solid_png((255, 0, 255)))

            def log_message(self, *args: object) -> None:
                pass

        self.hits = hits
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


def solid_png(color: tuple[int, int, int], size: tuple[int, int] = (800, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def share_of(image: bytes, color: tuple[int, int, int], tol: int = 30) -> float:
    """The share of pixels within `tol` of `color`."""
    img = Image.open(io.BytesIO(image)).convert("RGB").resize((200, 150))
    pixels = list(img.getdata())
    near = sum(all(abs(a - b) <= tol for a, b in zip(p, color, strict=True)) for p in pixels)
    return near / len(pixels)
