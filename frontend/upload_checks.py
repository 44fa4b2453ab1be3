"""What is wrong with a chosen file, in words, before it is sent: the same codes and messages the gateway
answers (shared/files.py and the upload route), so a problem reads the same before and after "Upload".

Checked here: an empty file, a file over the size limit, a type the gateway does not read (judged by the
file's first bytes, as the gateway does, not by its name), and, when the page limit is known, the pages: the
gateway's own checks (shared/files.py ``sniff`` and ``inspect``: a PDF pdfium cannot open, a deck with no
slides, too many pages or image frames, a zip bomb) run on a temporary copy. Whatever the gateway still
refuses after sending is shown next to the file the same way.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from shared.errors import AppError
from shared.files import inspect, sniff

SUPPORTED_HINT = "Upload a PDF, a PowerPoint .pptx, or a PNG/JPEG/TIFF image of slides."
MB = 1024 * 1024

KINDS = (  # (how the file starts, what it is); PDF readers accept the header anywhere in the first KiB
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "PowerPoint 97-2003"),
    (b"PK\x03\x04", "PowerPoint or OpenDocument"),
)


@dataclass(frozen=True)
class Problem:
    code: str
    message: str


def file_kind(head: bytes) -> str | None:
    """What the first bytes say the file is (None: nothing the gateway reads)."""
    if b"%PDF-" in head[:1024]:
        return "PDF"
    return next((kind for magic, kind in KINDS if head.startswith(magic)), None)


def check_file(data: bytes, *, max_upload_mb: int | None, max_pages: int | None = None) -> Problem | None:
    """The first problem the gateway would answer for this file, or None when it looks fine."""
    if not data:
        return Problem("EMPTY_FILE", "The uploaded file is empty.")
    if max_upload_mb and len(data) > max_upload_mb * MB:
        return Problem("FILE_TOO_LARGE", f"The file is larger than the {max_upload_mb} MB limit.")
    if file_kind(data[:2048]) is None:
        return Problem("UNSUPPORTED_FORMAT", f"This file type is not supported. {SUPPORTED_HINT}")
    if max_pages:
        return _page_problem(data, max_pages)
    return None


def _page_problem(data: bytes, max_pages: int) -> Problem | None:
    """The gateway's own structure and page checks, on a temporary copy of the file."""
    with tempfile.TemporaryDirectory(prefix="smartnotes-upload-") as tmp:
        path = Path(tmp) / "upload"
        path.write_bytes(data)
        try:
            inspect(path, sniff(path), max_pages=max_pages)
        except AppError as err:
            return Problem(err.code, err.message)
    return None


def problem_text(name: str, problem: Problem) -> str:
    """One line for the file's row: its name, then the reason in words (the code follows, in the row)."""
    return f"{name}: {problem.message}"
