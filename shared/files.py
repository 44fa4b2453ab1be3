"""File types sniffed from content (never from the name), and the FileStore port."""

from __future__ import annotations

import abc
import re
import shutil
import struct
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from shared.errors import AppError

if TYPE_CHECKING:
    from PIL import Image

    from shared.settings import Settings


@dataclass(frozen=True)
class FileKind:
    file_type: str  # pdf | pptx | image | ppt | odp
    media_type: str
    extension: str


PDF = FileKind("pdf", "application/pdf", ".pdf")
PPTX = FileKind("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx")
PPT = FileKind("ppt", "application/vnd.ms-powerpoint", ".ppt")
ODP = FileKind("odp", "application/vnd.oasis.opendocument.presentation", ".odp")
PNG = FileKind("image", "image/png", ".png")
JPEG = FileKind("image", "image/jpeg", ".jpg")
TIFF = FileKind("image", "image/tiff", ".tiff")

SUPPORTED_HINT = "Upload a PDF, a PowerPoint .pptx, or a PNG/JPEG/TIFF image of slides."
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(path: Path, *, max_entries: int = 5000) -> FileKind:
    """The kind of file at ``path`` judged by its bytes. Raises AppError for empty or unknown content.

    A zip file whose directory announces more than ``max_entries`` files is refused before its
    directory is parsed (parsing 200,000 entries takes seconds)."""
    size = path.stat().st_size
    if size == 0:
        raise AppError("EMPTY_FILE", "The uploaded file is empty.", status_code=422)
    with path.open("rb") as fh:
        head = fh.read(2048)
    # PDF readers accept the header anywhere in the first KiB.
    if b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return TIFF
    if head.startswith(OLE_MAGIC):
        return PPT
    if head.startswith(b"PK\x03\x04"):
        check_entry_count(path, max_entries)
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
                if "[Content_Types].xml" in names and any(n.startswith("ppt/") for n in names):
                    return PPTX
                if "mimetype" in names:
                    mime = zf.read("mimetype")[:100]
                    if mime.strip() == ODP.media_type.encode():
                        return ODP
        except zipfile.BadZipFile as exc:
            raise AppError(
                "UNSUPPORTED_FORMAT", "The file looks like a damaged ZIP archive.", status_code=415
            ) from exc
    raise AppError(
        "UNSUPPORTED_FORMAT",
        f"This file type is not supported. {SUPPORTED_HINT}",
        status_code=415,
        details={"sniffed_bytes": head[:8].hex()},
    )


class FileStore(abc.ABC):
    """Where uploads and generated files live: a local directory, or an object store in production."""

    @abc.abstractmethod
    def save(self, key: str, src: BinaryIO) -> str: ...

    @abc.abstractmethod
    def path(self, key: str) -> Path: ...

    @abc.abstractmethod
    def delete_prefix(self, prefix: str) -> None: ...


class LocalFileStore(FileStore):
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def _resolve(self, key: str) -> Path:
        target = (self.root / key).resolve()
        if self.root != target and self.root not in target.parents:
            raise ValueError(f"key escapes the store: {key!r}")
        return target

    def save(self, key: str, src: BinaryIO) -> str:
        target = self._resolve(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as out:
            shutil.copyfileobj(src, out, length=1024 * 1024)
        return key

    def path(self, key: str) -> Path:
        return self._resolve(key)

    def delete_prefix(self, prefix: str) -> None:
        target = self._resolve(prefix)
        if target.is_dir():
            shutil.rmtree(target, ignore_errors=True)
        elif target.exists():
            target.unlink()


MAX_IMAGE_PIXELS = 80_000_000  # ~ 9000 x 9000; beyond this a "slide photo" is a decompression bomb
# Files smaller than this may compress as well as they like: real decks hold uncompressed TIFF/BMP
# pictures (the corpus has a 2 MB TIFF at 72:1).
RATIO_FLOOR = 10 * 1024 * 1024


@dataclass(frozen=True)
class ArchiveLimits:
    """Caps for zip-based uploads (PPTX, DOCX, ODP), checked from the zip directory alone."""

    max_entries: int = 5000
    max_uncompressed: int = 300 * 1024 * 1024
    max_ratio: int = 200

    @classmethod
    def from_settings(cls, settings: Settings) -> ArchiveLimits:
        return cls(
            max_entries=settings.archive_max_entries,
            max_uncompressed=settings.archive_max_uncompressed_mb * 1024 * 1024,
            max_ratio=settings.archive_max_ratio,
        )


# pdfium is not thread-safe, and its "last error" is process-global: every call goes through this lock.
PDFIUM_LOCK = threading.RLock()


def pdf_page_count(path: Path) -> int:
    """Open a PDF with pdfium and count its pages, mapping every failure to a clear error code."""
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        try:
            doc = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            raise _pdf_error(path) from exc
        try:
            return len(doc)
        finally:
            doc.close()


def _pdf_error(path: Path) -> AppError:
    """Why pdfium refused a PDF, judged from the file itself: pdfium's own error code is process-global
    and can be left over from an earlier document."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(1 << 20)
        fh.seek(max(0, size - 65536))
        tail = fh.read()
    if b"/Encrypt" in tail or b"/Encrypt" in head:
        return AppError(
            "PDF_ENCRYPTED",
            "The PDF is password-protected. Remove the password and upload it again.",
            status_code=422,
        )
    if re.search(rb"/Type\s*/Pages\b", head + tail) and re.search(rb"/Count\s+0\b", head + tail):
        return AppError("NO_PAGES", "The file has no pages.", status_code=422)
    return AppError("PDF_CORRUPT", "The PDF is damaged or truncated and cannot be read.", status_code=422)


def _too_many_entries(count: int, limit: int) -> AppError:
    return AppError(
        "ARCHIVE_TOO_LARGE",
        f"The file holds {count:,} files inside; the limit is {limit:,}.",
        status_code=422,
        details={"entries": count, "limit": limit},
    )


def zip_entry_count(path: Path) -> int | None:
    """The number of entries a zip file announces in its end-of-central-directory record (zip64 too),
    read from the file's last 64 KiB without parsing the directory. None when no record is found."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        start = max(0, size - (65535 + 22))
        fh.seek(start)
        tail = fh.read()
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) - at < 22:
            return None
        disk_entries, total_entries = struct.unpack("<HH", tail[at + 8 : at + 12])
        count: int = max(disk_entries, total_entries)
        if count != 0xFFFF:
            return count
        # zip64: the locator sits right before the record and points at the zip64 record.
        locator = tail[at - 20 : at] if at >= 20 else b""
        if not locator.startswith(b"PK\x06\x07"):
            return count
        offset: int = struct.unpack("<Q", locator[8:16])[0]
        if offset > size - 56:
            return count
        fh.seek(offset)
        record = fh.read(56)
        if not record.startswith(b"PK\x06\x06"):
            return count
        disk64, total64 = struct.unpack("<QQ", record[24:40])
        return int(max(disk64, total64))


def check_entry_count(path: Path, max_entries: int) -> None:
    count = zip_entry_count(path)
    if count is not None and count > max_entries:
        raise _too_many_entries(count, max_entries)


def check_zip(path: Path, limits: ArchiveLimits | None = None) -> None:
    """Refuse zip bombs before anything expands them: too many entries (judged from the end record,
    cheaply), one file with an absurd compression ratio, or too much data in total."""
    limits = limits or ArchiveLimits()
    check_entry_count(path, limits.max_entries)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile as exc:
        raise AppError(
            "PPTX_CORRUPT", "The presentation is damaged and cannot be read.", status_code=422
        ) from exc
    if len(infos) > limits.max_entries:  # the end record undercounted (or was missing)
        raise _too_many_entries(len(infos), limits.max_entries)
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise AppError(
                "ARCHIVE_BOMB",
                "The file expands to an unreasonable size.",
                status_code=422,
                details={"entry": info.filename[:200], "ratio_limit": limits.max_ratio},
            )
    if total > limits.max_uncompressed:
        raise AppError(
            "ARCHIVE_TOO_LARGE",
            f"The file expands to {total // (1024 * 1024):,} MB; "
            f"the limit is {limits.max_uncompressed // (1024 * 1024):,} MB.",
            status_code=422,
            details={"uncompressed_bytes": total, "limit_bytes": limits.max_uncompressed},
        )


def _image_too_large(width: int, height: int) -> AppError:
    return AppError(
        "IMAGE_TOO_LARGE",
        f"The image is {width}x{height} pixels; the limit is {MAX_IMAGE_PIXELS:,} pixels.",
        status_code=422,
        details={"width": width, "height": height, "limit_pixels": MAX_IMAGE_PIXELS},
    )


def _open_image(path: Path) -> Image.Image:
    """Open an image lazily (header only), mapping Pillow's bomb refusal and damage to error codes."""
    from PIL import Image, UnidentifiedImageError

    try:
        return Image.open(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        match = re.search(r"(\d+) pixels", str(exc))
        pixels = int(match.group(1)) if match else 0
        raise AppError(
            "IMAGE_TOO_LARGE",
            f"The image has {pixels:,} pixels; the limit is {MAX_IMAGE_PIXELS:,} pixels.",
            status_code=422,
            details={"pixels": pixels, "limit_pixels": MAX_IMAGE_PIXELS},
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise AppError("IMAGE_CORRUPT", "The image is damaged and cannot be read.", status_code=422) from exc


def image_size(path: Path) -> tuple[int, int]:
    """The first frame's size, refusing decompression bombs before any pixel is decoded."""
    with _open_image(path) as img:
        width, height = img.size
    if width * height > MAX_IMAGE_PIXELS:
        raise _image_too_large(width, height)
    return width, height


def image_frames(img: Image.Image, *, max_frames: int) -> Iterator[int]:
    """Seek through an open image's frames (pages of a TIFF, frames of an APNG) one at a time, checking
    each frame's size from its header alone; yields each frame's index once it is current. Raises
    TOO_MANY_PAGES as soon as there are more than ``max_frames``, IMAGE_TOO_LARGE for a frame too big."""
    from PIL import TiffImagePlugin

    index = 0
    while True:
        if index >= max_frames:
            raise _too_many_pages(index + 1, max_frames, at_least=True)
        width, height = img.size
        if width * height > MAX_IMAGE_PIXELS:
            raise _image_too_large(width, height)
        yield index
        # Not a TIFF's n_frames: it would walk the whole chain of pages at once.
        if not isinstance(img, TiffImagePlugin.TiffImageFile) and getattr(img, "n_frames", 1) <= index + 1:
            return
        try:
            img.seek(index + 1)
        except EOFError:
            return
        except (OSError, SyntaxError, ValueError) as exc:
            raise AppError(
                "IMAGE_CORRUPT", "The image is damaged and cannot be read.", status_code=422
            ) from exc
        index += 1


def image_page_count(path: Path, *, max_pages: int) -> int:
    """How many pages (frames) an image holds, without decoding pixels; every frame's size is checked."""
    from PIL import PngImagePlugin

    with _open_image(path) as img:
        if isinstance(img, PngImagePlugin.PngImageFile):
            # APNG frames all fit the canvas, and seeking to one decodes the one before: count only.
            image_size(path)
            frames = int(getattr(img, "n_frames", 1))
            if frames > max_pages:
                raise _too_many_pages(frames, max_pages)
            return frames
        # A TIFF's directory chain holds each page's own size: walk it (headers only).
        return sum(1 for _ in image_frames(img, max_frames=max_pages))


def _too_many_pages(pages: int, max_pages: int, *, at_least: bool = False) -> AppError:
    return AppError(
        "TOO_MANY_PAGES",
        f"The file has {f'more than {max_pages}' if at_least else pages} pages; the limit is {max_pages}.",
        status_code=422,
        details={"pages": pages, "limit": max_pages},
    )


def render_scale(width: float, height: float, scale: float, max_px: int) -> float:
    """``scale`` (pixels per unit), lowered so the rendered page's longest side is at most ``max_px``."""
    longest = max(width, height, 1.0)
    return max(1e-6, min(scale, max_px / longest))


def inspect(path: Path, kind: FileKind, *, max_pages: int, limits: ArchiveLimits | None = None) -> int:
    """Validate a sniffed upload cheaply and return its page count (0 when unknown until processing)."""
    if kind.file_type == "pdf":
        pages = pdf_page_count(path)
    elif kind.file_type == "pptx":
        check_zip(path, limits)
        with zipfile.ZipFile(path) as zf:
            pages = sum(1 for n in zf.namelist() if n.startswith("ppt/slides/slide") and n.endswith(".xml"))
    elif kind.file_type == "image":
        pages = image_page_count(path, max_pages=max_pages)
    else:
        raise AppError(
            "UNSUPPORTED_FORMAT",
            f"{kind.extension} presentations are not supported yet. Save it as PDF or PPTX and upload that.",
            status_code=415,
        )
    if pages == 0:
        raise AppError("NO_PAGES", "The file has no pages.", status_code=422)
    if pages > max_pages:
        raise _too_many_pages(pages, max_pages)
    return pages
