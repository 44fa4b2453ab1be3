"""What is wrong with a chosen file, in words, before it is sent: the same codes and messages the gateway
answers (shared/files.py and the upload route), so a problem reads the same before and after "Upload".

Checked here: an empty file, a file over the size limit, and a type the gateway does not read (judged by
the file's first bytes, as the gateway does, not by its name). The page count is checked by the gateway
(TOO_MANY_PAGES), whose answer is shown next to the file the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def check_file(data: bytes, *, max_upload_mb: int | None) -> Problem | None:
    """The first problem the gateway would answer for this file, or None when it looks fine."""
    if not data:
        return Problem("EMPTY_FILE", "The uploaded file is empty.")
    if max_upload_mb and len(data) > max_upload_mb * MB:
        return Problem("FILE_TOO_LARGE", f"The file is larger than the {max_upload_mb} MB limit.")
    if file_kind(data[:2048]) is None:
        return Problem("UNSUPPORTED_FORMAT", f"This file type is not supported. {SUPPORTED_HINT}")
    return None


def problem_text(name: str, problem: Problem) -> str:
    """One line for the file's row: its name, then the reason in words (the code follows, in the row)."""
    return f"{name}: {problem.message}"
