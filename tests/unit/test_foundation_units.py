"""Pure unit tests: settings, sniffing, tokens, chunking, CLI rows."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from gateway.security import decode_token, encode_token, hash_password, verify_password
from shared.errors import AppError
from shared.files import LocalFileStore, check_zip, sniff
from shared.settings import Settings
from smartnotes_tools.cli import _lecture_row, app
from tests.support.factories import make_png
from workers.ocr.chunking import page_chunks, split_lines
from workers.ocr.text import clean_text


def settings(**kw: object) -> Settings:
    return Settings(_env_file=None, **kw)  # type: ignore[call-arg, arg-type]


def test_production_refuses_placeholder_or_short_secret() -> None:
    with pytest.raises(ValidationError, match="placeholder"):
        settings(environment="production")
    with pytest.raises(ValidationError, match="32 characters"):
        settings(environment="production", secret_key="short-but-not-placeholder")
    assert settings(environment="production", secret_key="x" * 40).environment == "production"
    assert settings().environment == "development"


def test_database_url_defaults_to_sqlite_in_data_dir_and_accepts_plain_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert settings(data_dir=tmp_path).sqlalchemy_url == f"sqlite:///{tmp_path.resolve()}/smartnotes.db"
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db:5432/notes")
    assert settings().sqlalchemy_url == "postgresql://u:p@db:5432/notes"


def test_sniff_by_content_not_name(tmp_path: Path) -> None:
    png = tmp_path / "slide.pdf"
    png.write_bytes(make_png())
    assert sniff(png).media_type == "image/png"
    text = tmp_path / "notes.pdf"
    text.write_text("hello")
    with pytest.raises(AppError) as err:
        sniff(text)
    assert err.value.code == "UNSUPPORTED_FORMAT"
    empty = tmp_path / "empty.pptx"
    empty.write_bytes(b"")
    with pytest.raises(AppError) as err:
        sniff(empty)
    assert err.value.code == "EMPTY_FILE"
    docx = tmp_path / "doc.pptx"
    with zipfile.ZipFile(docx, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w/>")
    with pytest.raises(AppError) as err:
        sniff(docx)
    assert err.value.code == "UNSUPPORTED_FORMAT"


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.pptx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("ppt/media/huge.bin", b"\0" * (60 * 1024 * 1024))
    with pytest.raises(AppError) as err:
        check_zip(bomb)
    assert err.value.code == "ARCHIVE_BOMB"


def test_file_store_refuses_keys_that_escape(tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path / "store")
    with pytest.raises(ValueError, match="escapes"):
        store.path("../../etc/passwd")
    assert store.path("uploads/1/2/original.pdf").is_relative_to(tmp_path / "store")


def test_tokens_roundtrip_and_kind_is_checked() -> None:
    s = settings(secret_key="k" * 40)
    token = encode_token(s, user_id=7, session_id="sid", kind="access", jti="j")
    claims = decode_token(s, token, kind="access")
    assert claims["sub"] == "7" and claims["sid"] == "sid"
    with pytest.raises(AppError) as err:
        decode_token(s, token, kind="refresh")
    assert err.value.code == "TOKEN_INVALID"
    hashed = hash_password("correct horse")
    assert verify_password(hashed, "correct horse") and not verify_password(hashed, "wrong horse")


def test_chunks_keep_lines_whole_and_add_notes_and_figures() -> None:
    text = "\n".join(f"line {i} " + "w " * 30 for i in range(12))
    pieces = split_lines(text, max_words=100)
    assert len(pieces) > 1
    assert all(len(c.split()) <= 100 for c in pieces)
    assert "\n".join(pieces).split("\n") == text.split("\n")
    drafts = page_chunks(
        text="Title\nbody", source="ocr", notes="say this", figure_texts=["Figure 1: a cell", ""]
    )
    assert [(d.source, d.text) for d in drafts] == [
        ("ocr", "Title\nbody"),
        ("notes", "Speaker notes: say this"),
        ("figure", "Figure 1: a cell"),
    ]
    assert page_chunks(text="", source="text_layer") == []


def test_clean_text_folds_spaces_and_blank_runs() -> None:
    assert clean_text("a\u00a0\u00a0b\r\n\r\n\r\n  c  ") == "a b\n\nc"


def test_cli_contract_rows_and_parser() -> None:
    row = _lecture_row(None, "x.pdf", {"code": "PDF_CORRUPT", "message": "bad"})
    assert row == {
        "id": None,
        "file": "x.pdf",
        "status": "failed",
        "pages": 0,
        "figures": 0,
        "chunks": 0,
        "seconds": None,
        "error": {"code": "PDF_CORRUPT", "message": "bad"},
    }
    args = parse(["ingest", "a.pdf", "b.pdf", "--subject", "Demo", "--wait", "--json"])
    assert args["files"] == ("a.pdf", "b.pdf") and args["wait"] and args["as_json"]
    args = parse(["search", "q", "--subject", "S", "--k", "3"])
    assert args["k"] == 3 and not args["as_json"]


def parse(argv: list[str]) -> dict[str, Any]:
    """The parameters `smartnotes ARGV` would run its command with."""
    command = app.commands[argv[0]]
    return dict(command.make_context(argv[0], argv[1:]).params)
