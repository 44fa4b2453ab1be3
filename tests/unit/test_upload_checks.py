"""A chosen file's problem, found before sending, with the code and message the gateway would answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontend.upload_checks import check_file, file_kind
from shared.errors import AppError
from shared.files import SUPPORTED_HINT, inspect, sniff
from tests.support.factories import make_pdf


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n", "PDF"),
        (b"\x89PNG\r\n\x1a\n....", "PNG image"),
        (b"\xff\xd8\xff\xe0", "JPEG image"),
        (b"II*\x00", "TIFF image"),
        (b"just text", None),
    ],
)
def test_kind_by_content_not_name(data: bytes, kind: str | None) -> None:
    assert file_kind(data) == kind


def test_problems_read_as_the_gateway_says_them(tmp_path: object) -> None:
    assert check_file(b"%PDF-1.4 x", max_upload_mb=50) is None
    empty = check_file(b"", max_upload_mb=50)
    assert empty is not None and empty.code == "EMPTY_FILE"
    big = check_file(b"%PDF-1.4" + b"0" * (2 * 1024 * 1024), max_upload_mb=1)
    assert big is not None and (big.code, big.message) == (
        "FILE_TOO_LARGE",
        "The file is larger than the 1 MB limit.",
    )
    text = check_file(b"Mitosis is cell division.", max_upload_mb=50)
    assert text is not None and text.code == "UNSUPPORTED_FORMAT" and text.message.endswith(SUPPORTED_HINT)


def test_the_same_code_and_message_as_the_gateways_sniff(tmp_path: pytest.TempPathFactory) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "notes.txt"
    for data in (b"Mitosis is cell division.", b""):
        path.write_bytes(data)
        with pytest.raises(AppError) as caught:
            sniff(path)
        mine = check_file(data, max_upload_mb=50)
        assert mine is not None and (mine.code, mine.message) == (caught.value.code, caught.value.message)


def test_pages_are_counted_before_sending_as_the_gateway_counts_them(tmp_path: Path) -> None:
    deck = make_pdf(tmp_path / "three.pdf", ["One\nfirst slide", "Two\nsecond slide", "Three\nthird slide"])
    data = deck.read_bytes()
    assert check_file(data, max_upload_mb=50, max_pages=3) is None
    too_many = check_file(data, max_upload_mb=50, max_pages=2)
    with pytest.raises(AppError) as caught:
        inspect(deck, sniff(deck), max_pages=2)
    assert too_many is not None and too_many.code == "TOO_MANY_PAGES"
    assert (too_many.code, too_many.message) == (caught.value.code, caught.value.message)
    # A file that starts like a PDF but pdfium cannot open is refused before sending too, in the same words.
    broken = check_file(b"%PDF-1.4\n" + b"\x00garbage" * 100, max_upload_mb=50, max_pages=500)
    assert broken is not None and broken.code != "UNSUPPORTED_FORMAT" and broken.message
    # Without the limit (a gateway that does not say it), pages are left to the gateway.
    assert check_file(data, max_upload_mb=50) is None
