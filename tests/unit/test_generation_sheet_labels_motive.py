"""A section asking why to study its subject is the lecturer's case for it: no entry (sheet_labels)."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from shared.files import LocalFileStore
from shared.schemas import SourceRef
from workers.generation.candidates import extract
from workers.generation.cheatsheet import plan_items, render_docx, select_items
from workers.generation.material import LectureMaterial, Slide
from workers.generation.sheet_labels import label_reason


def _sheet(slides: list[tuple[str, str]], tmp_path: Path) -> str:
    lc = extract(
        LectureMaterial(
            id=1,
            title="Networks",
            filename="n.pdf",
            slides=[
                Slide(
                    ref=SourceRef(lecture_id=1, lecture="Networks", file="n.pdf", page=i),
                    title=t,
                    text=x,
                )
                for i, (t, x) in enumerate(slides, 1)
            ],
        )
    )
    work = tmp_path / "work"
    work.mkdir()
    plans = plan_items([lc], LocalFileStore(tmp_path / "files"), work, summaries={})
    out = tmp_path / "sheet.docx"
    render_docx(out, title="Networks", lectures=[lc], items=select_items(plans, 200))
    return "\n".join(p.text for p in Document(str(out)).paragraphs)


def test_a_section_asking_why_to_study_its_subject_gives_no_entry(tmp_path: Path) -> None:
    text = _sheet(
        [
            ("Networks", "Networks\nA. Teacher"),
            (
                "Why Study Computer Networks?",
                "Why Study Computer Networks?\n• Most widely used infrastructure today.\n"
                "• Vendors: Cisco, Juniper, Huawei and many others sell routers.",
            ),
            (
                "Routing",
                "Routing\n• Routers forward packets along paths chosen by a routing protocol.\n"
                "• Each router keeps a routing table of the best known paths.",
            ),
        ],
        tmp_path,
    )
    assert "Routers forward packets along paths chosen by a routing protocol" in text
    assert "most widely used" not in text and "Vendors" not in text


def test_why_titles_about_the_matter_itself_still_lead_entries() -> None:
    assert label_reason("Why Study the Relational Model?") == "motivation"
    assert label_reason("Why should we learn recursion?") == "motivation"
    assert label_reason("Why the LSTM name") is None  # asks about the subject matter
    assert label_reason("Why TCP needs a three-way handshake") is None
    assert label_reason("Motivational interviewing") is None
