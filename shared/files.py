"""File types sniffed from content (never from the name), and the FileStore port."""

from __future__ import annotations

import abc
import re
import shutil
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from shared.errors import AppError


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


def sniff(path: Path) -> FileKind:
    """The kind of file at ``path`` judged by its bytes. Raises AppError for empty or unknown content."""
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
MAX_ZIP_RATIO = 200
MAX_ZIP_UNCOMPRESSED = 1024 * 1024 * 1024


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


def check_zip(path: Path) -> None:
    """Refuse zip bombs: absurd compression ratios or a huge uncompressed total."""
    try:
        with zipfile.ZipFile(path) as zf:
            total = 0
            for info in zf.infolist():
                total += info.file_size
                if (
                    info.compress_size
                    and info.file_size / info.compress_size > MAX_ZIP_RATIO
                    and (info.file_size > 50 * 1024 * 1024)
                ):
                    raise AppError(
                        "ARCHIVE_BOMB", "The file expands to an unreasonable size.", status_code=422
                    )
            if total > MAX_ZIP_UNCOMPRESSED:
                raise AppError("ARCHIVE_BOMB", "The file expands to an unreasonable size.", status_code=422)
    except zipfile.BadZipFile as exc:
        raise AppError(
            "PPTX_CORRUPT", "The presentation is damaged and cannot be read.", status_code=422
        ) from exc


def image_size(path: Path) -> tuple[int, int]:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            width, height = img.size
    except (UnidentifiedImageError, OSError) as exc:
        raise AppError("IMAGE_CORRUPT", "The image is damaged and cannot be read.", status_code=422) from exc
    if width * height > MAX_IMAGE_PIXELS:
        raise AppError(
            "IMAGE_TOO_LARGE",
            f"The image is {width}x{height} pixels; the limit is {MAX_IMAGE_PIXELS:,} pixels.",
            status_code=422,
        )
    return width, height


def inspect(path: Path, kind: FileKind, *, max_pages: int) -> int:
    """Validate a sniffed upload cheaply and return its page count (0 when unknown until processing)."""
    if kind.file_type == "pdf":
        pages = pdf_page_count(path)
    elif kind.file_type == "pptx":
        check_zip(path)
        with zipfile.ZipFile(path) as zf:
            pages = sum(1 for n in zf.namelist() if n.startswith("ppt/slides/slide") and n.endswith(".xml"))
    elif kind.file_type == "image":
        image_size(path)
        pages = 1
    else:
        raise AppError(
            "UNSUPPORTED_FORMAT",
            f"{kind.extension} presentations are not supported yet. Save it as PDF or PPTX and upload that.",
            status_code=415,
        )
    if pages == 0:
        raise AppError("NO_PAGES", "The file has no pages.", status_code=422)
    if pages > max_pages:
        raise AppError(
            "TOO_MANY_PAGES",
            f"The file has {pages} pages; the limit is {max_pages}.",
            status_code=422,
            details={"pages": pages, "limit": max_pages},
        )
    return pages
