"""The cheat sheet .docx, opened and checked: two columns, Arial 9/11 pt, 0.5" margins, figures 3.2" wide with
captions, every item ending with its slide, and really fitting the pages asked (LibreOffice renders it)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Inches, Pt

from shared.files import LocalFileStore
from shared.models import GeneratedDocument
from shared.schemas import GenerateRequest
from tests.support.factories import make_chart_png
from tests.support.study import BIO_SLIDES, FakeLLM, StudyDb, add_lecture, study_db
from workers.generation.service import GenerationEnv, generate_cheatsheet

REF = re.compile(r"\(s\. (\d+)\)$")


def _long_deck(n: int, topic: str) -> list[tuple[str, str]]:
    slides = []
    for i in range(1, n + 1):
        slides.append(
            (
                f"{topic} part {i}",
                f"{topic} part {i}\n"
                f"{topic} factor {i} is a measurable property that changes how the system behaves "
                "under load.\n"
                f"• Engineers measure {topic.lower()} factor {i} with repeated controlled experiments\n"
                f"• Higher values of factor {i} usually mean slower responses and more variance\n"
                f"• The effect of factor {i} depends on the configuration of the rest of the system",
            )
        )
    return slides


def _env(sdb: StudyDb, llm: FakeLLM | None = None) -> GenerationEnv:
    return GenerationEnv(
        session_factory=sdb.session_factory,
        files=LocalFileStore(sdb.settings.data_dir),
        llm=llm,
        settings=sdb.settings,
    )


def _figure(sdb: StudyDb, tmp_path: Path) -> str:
    files = LocalFileStore(sdb.settings.data_dir)
    key = "uploads/1/1/figures/p0003-0.png"
    files.path(key).parent.mkdir(parents=True, exist_ok=True)
    files.path(key).write_bytes(make_chart_png(tmp_path / "chart.png").read_bytes())
    return key


def _generate(
    sdb: StudyDb, pages: int, llm: FakeLLM | None = None, **kw: object
) -> tuple[GeneratedDocument, Path]:
    env = _env(sdb, llm)
    request = GenerateRequest(kind="cheatsheet", pages=pages, **kw)  # type: ignore[arg-type]
    result = generate_cheatsheet(
        env, job_id=None, user_id=sdb.user_id, subject_id=sdb.subject_id, request=request
    )
    with sdb.session_factory() as db:
        doc = db.get(GeneratedDocument, result["document_id"])
        assert doc is not None
        return doc, env.files.path(doc.storage_path)


def _pdf_pages(docx: Path, tmp_path: Path) -> int:
    out = tmp_path / "check"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = pdfium.PdfDocument(str(out / (docx.stem + ".pdf")))
    try:
        return len(pdf)
    finally:
        pdf.close()


def test_layout_fonts_margins_figure_and_slide_references(tmp_path: Path) -> None:
    sdb = study_db(tmp_path)
    key = _figure(sdb, tmp_path)
    add_lecture(sdb, figures={3: (key, "Figure 2: Carbon fixed per hour")})
    doc_row, path = _generate(sdb, 1, FakeLLM(["not json at all"]))
    assert doc_row.kind == "cheatsheet" and doc_row.filename.endswith(".docx")
    assert doc_row.media_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert doc_row.params["page_check"] == "libreoffice" and doc_row.params["pages_rendered"] == 1

    doc = Document(str(path))
    [section] = doc.sections
    cols = section._sectPr.find(qn("w:cols"))
    assert cols is not None and cols.get(qn("w:num")) == "2"
    for margin in (section.left_margin, section.right_margin, section.top_margin, section.bottom_margin):
        assert margin == Inches(0.5)
    assert doc.styles["Normal"].font.name == "Arial" and doc.styles["Normal"].font.size == Pt(9)
    for name in ("Heading 1", "Heading 2"):
        assert doc.styles[name].font.name == "Arial" and doc.styles[name].font.size == Pt(11)
    styles_xml = doc.styles.element.xml
    assert "asciiTheme" not in styles_xml.split("<w:style ")[0]  # document defaults: no theme font

    headings, body = 0, 0
    for p in doc.paragraphs:
        runs = [r for r in p.runs if r.text]
        if not runs:
            continue
        for r in runs:
            assert r.font.name == "Arial", (p.text, r.text)
            rfonts = r._r.rPr.find(qn("w:rFonts"))
            assert rfonts.get(qn("w:ascii")) == "Arial" and rfonts.get(qn("w:asciiTheme")) is None
        sizes = {r.font.size for r in runs}
        if p.style.name.startswith("Heading"):
            headings += 1
            assert sizes == {Pt(11)}, p.text
        else:
            body += 1
            assert sizes == {Pt(9)}, p.text
    assert headings >= 3 and body >= 8

    [picture] = doc.inline_shapes
    assert picture.width == Inches(3.2)
    texts = [p.text for p in doc.paragraphs]
    caption = next(t for t in texts if t.startswith("Figure:"))
    assert "Carbon fixed per hour" in caption and caption.endswith("(s. 3)")

    assert "(s. N) = slide N" in texts[0]  # the legend is on the title line, not an entry
    items = [p for p in doc.paragraphs if p.text and not p.style.name.startswith("Heading")]
    for p in items:
        m = REF.search(p.text)
        assert m, f"no slide reference: {p.text!r}"
    for p in items:  # a key term is cited to the slide that defines it
        if p.runs and p.runs[0].bold and " — " in p.text:
            term = p.runs[0].text
            page = int(REF.search(p.text).group(1))  # type: ignore[union-attr]
            assert term.lower() in BIO_SLIDES[page - 1][1].lower(), (term, page)
    assert _pdf_pages(path, tmp_path) == 1


def test_one_page_and_two_pages_really_fit(tmp_path: Path) -> None:
    sdb = study_db(tmp_path)
    add_lecture(sdb, _long_deck(40, "Latency"), title="Performance")
    add_lecture(sdb, _long_deck(30, "Throughput"), title="Capacity")
    one, one_path = _generate(sdb, 1)
    two, two_path = _generate(sdb, 2)
    assert one.params["pages_rendered"] == 1 and two.params["pages_rendered"] <= 2
    assert one.params["items_available"] > one.params["terms"] + one.params["points"]  # something was cut
    assert two.params["terms"] + two.params["points"] > one.params["terms"] + one.params["points"]
    assert _pdf_pages(one_path, tmp_path) == 1
    assert _pdf_pages(two_path, tmp_path) <= 2
    text = "\n".join(p.text for p in Document(str(one_path)).paragraphs)
    assert "Performance" in text and "Capacity" in text  # both lectures get a section


def test_lecture_choice_and_the_page_check_without_libreoffice(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    sdb = study_db(tmp_path)
    add_lecture(sdb)
    other = add_lecture(sdb, _long_deck(3, "Latency"), title="Performance")
    monkeypatch.setenv("PATH", "/nonexistent")  # no soffice on this machine
    doc_row, path = _generate(sdb, 1, lecture_ids=[other])
    assert doc_row.params["page_check"].startswith("skipped: LibreOffice")
    assert "pages_rendered" not in doc_row.params
    headings = [p.text for p in Document(str(path)).paragraphs if p.style.name == "Heading 1"]
    assert headings[1:] == ["Performance"]
    assert doc_row.params["lecture_ids"] == [other]
