"""Office packages are rewritten without references that leave them before LibreOffice sees them:
OOXML relationships with TargetMode="External" (or a URL target), ODF xlink:href to URLs, absolute
paths or ../; everything inside the package is kept."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from shared.errors import AppError
from shared.office import sanitize_package
from tests.support.bombs import linked_picture_pptx, pptx_shell, stored, write_zip, zeros_entries

RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


def _rels(*rels: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
        + "".join(rels)
        + "</Relationships>"
    ).encode()


def test_external_relationships_are_removed_and_internal_ones_kept(tmp_path: Path) -> None:
    def rel(rid: str, target: str, mode: str = "", kind: str = IMAGE) -> str:
        extra = f' TargetMode="{mode}"' if mode else ""
        return f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"{extra}/>'

    template = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
    src = tmp_path / "deck.pptx"
    with zipfile.ZipFile(src, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        slide_rels = _rels(
            rel("rId1", "../media/image1.png"),
            rel("rId2", "file:///data/uploads/2/7/pages/0001.jpg", "External"),
            rel("rId3", "http://127.0.0.1:6379/", "External"),
            rel("rId4", "file:///etc/passwd"),  # a URL is external whatever the mode says
            rel("rId5", "\\\\host\\share\\x.png"),  # UNC
            rel("rId6", "https://example.org", "external"),
        )
        zf.writestr("ppt/slides/_rels/slide1.xml.rels", slide_rels)
        settings_rels = _rels(rel("rId9", "http://127.0.0.1:8000/t.dotm", "External", template))
        zf.writestr("word/_rels/settings.xml.rels", settings_rels)
        zf.writestr("ppt/media/image1.png", b"png bytes")
    dst = tmp_path / "clean.pptx"
    assert sanitize_package(src, dst) == 6
    with zipfile.ZipFile(dst) as zf:
        rels = zf.read("ppt/slides/_rels/slide1.xml.rels").decode()
        assert 'Id="rId1"' in rels and "../media/image1.png" in rels
        for gone in ("rId2", "rId3", "rId4", "rId5", "rId6", "file:", "127.0.0.1", "example.org", "share"):
            assert gone not in rels
        assert "127.0.0.1" not in zf.read("word/_rels/settings.xml.rels").decode()
        assert zf.read("ppt/media/image1.png") == b"png bytes"


def test_a_linked_picture_deck_still_opens_with_python_pptx(tmp_path: Path) -> None:
    from pptx import Presentation

    deck = linked_picture_pptx(
        tmp_path / "attack.pptx",
        ["file:///etc/hostname", "http://127.0.0.1:9/x.png"],
        embedded_colour=(0, 0, 255),
    )
    clean = tmp_path / "clean.pptx"
    assert sanitize_package(deck, clean) == 2
    prs = Presentation(str(clean))
    assert len(prs.slides) == 1
    with zipfile.ZipFile(clean) as zf:
        assert 'TargetMode="External"' not in zf.read("ppt/slides/_rels/slide1.xml.rels").decode()


def test_odf_links_out_of_the_package_are_removed(tmp_path: Path) -> None:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:xlink="http://www.w3.org/1999/xlink"><office:body>'
        '<draw:image xlink:href="Pictures/own.png"/>'
        '<draw:image xlink:href="./Pictures/own2.png"/>'
        '<draw:image xlink:href="file:///data/uploads/2/7/pages/0001.jpg"/>'
        '<draw:image xlink:href="http://127.0.0.1:6379/"/>'
        '<draw:image xlink:href="../../data/uploads/2/7/original.pptx"/>'
        '<draw:image xlink:href="/etc/passwd"/>'
        '<text:a xlink:href="#Slide 2">next</text:a>'
        '<text:section-source xlink:href="smb://host/share/doc.odt"/>'
        "</office:body></office:document-content>"
    )
    src = tmp_path / "deck.odp"
    with zipfile.ZipFile(src, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.presentation")
        zf.writestr("content.xml", content)
        zf.writestr("Pictures/own.png", b"png")
    dst = tmp_path / "clean.odp"
    assert sanitize_package(src, dst) == 5
    with zipfile.ZipFile(dst) as zf:
        assert zf.infolist()[0].filename == "mimetype"
        assert zf.infolist()[0].compress_type == zipfile.ZIP_STORED
        kept = zf.read("content.xml").decode()
    assert 'xlink:href="Pictures/own.png"' in kept and 'xlink:href="./Pictures/own2.png"' in kept
    assert 'xlink:href="#Slide 2"' in kept
    for gone in ("file:", "127.0.0.1", "../", "/etc/passwd", "smb:"):
        assert gone not in kept


def test_xml_entities_are_not_expanded(tmp_path: Path) -> None:
    """A billion-laughs part is refused as damaged, never expanded."""
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(8))
        + f']><Relationships xmlns="{RELS}"><Relationship Id="x" Target="&i;"/></Relationships>'
    )
    src = tmp_path / "laughs.pptx"
    with zipfile.ZipFile(src, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("_rels/.rels", laughs)
    with pytest.raises(AppError) as err:
        sanitize_package(src, tmp_path / "clean.pptx")
    assert err.value.code == "CONVERSION_FAILED"


def test_archive_caps_apply_before_rewriting(tmp_path: Path) -> None:
    bomb = write_zip(
        tmp_path / "zeros.pptx", pptx_shell() + zeros_entries("ppt/media/z", 20, 49 * 1024 * 1024)
    )
    with pytest.raises(AppError) as err:
        sanitize_package(bomb, tmp_path / "out.pptx")
    assert err.value.code == "ARCHIVE_BOMB"
    many = write_zip(tmp_path / "many.pptx", pptx_shell() + [stored(f"x/{i}") for i in range(6000)])
    with pytest.raises(AppError) as err:
        sanitize_package(many, tmp_path / "out2.pptx")
    assert err.value.code == "ARCHIVE_TOO_LARGE"
