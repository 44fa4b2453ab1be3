"""Lines a sheet states once and lines it states at all: recaps (sheet_recap), clauses, OCR bullets."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from shared.files import LocalFileStore
from shared.schemas import SourceRef
from workers.generation.candidates import extract
from workers.generation.cheatsheet import plan_items, render_docx, select_items
from workers.generation.material import LectureMaterial, Slide
from workers.generation.sheet_rules import point_reason, tidy


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


def test_a_recap_line_restating_a_sections_point_is_not_shown_twice(tmp_path: Path) -> None:
    text = _sheet(
        [
            ("Networks", "Networks\nA. Teacher"),
            (
                "Transmit versus receive diversity",
                "Transmit versus receive diversity\n"
                "• Diversity gain, but no beamforming gain with a single antenna.",
            ),
            (
                "Routing",
                "Routing\n• Routers forward packets along paths chosen by a routing protocol.\n"
                "• Each router keeps a routing table of the best known paths.",
            ),
            (
                "Summary",
                "Summary\n• Slow fading channels\n"
                "• No beamforming gain, but diversity gain with a single antenna.\n"
                "• Routing tables give every router the best known paths to each network.",
            ),
        ],
        tmp_path,
    )
    assert text.count("beamforming gain") == 1  # one fact once
    assert "Routers forward packets along paths chosen by a routing protocol" in text
    # a recap line that says more than any section's point stays
    assert "Routing tables give every router the best known paths to each network" in text


def test_a_clause_then_statement_and_a_guillemet_bullet_are_statements(tmp_path: Path) -> None:
    """ "When X, Y." ends with a full stop: no question; an OCR'd "«" bullet with no "»" is no quotation."""
    text = _sheet(
        [
            ("Networks", "Networks\nA. Teacher"),
            (
                "Translating weak links",
                "Translating weak links\n"
                "«A weak link and its identifying router are stored in a single routing table.\n"
                "When the owner router is removed, all its weak links must also be removed.",
            ),
        ],
        tmp_path,
    )
    assert "A weak link and its identifying router are stored in a single routing table." in text
    assert "When the owner router is removed, all its weak links must also be removed." in text
    assert point_reason("Routing", "When does a router drop packets") == "question"  # the "?" went astray
    assert tidy("«Weak» links.") == "«Weak» links."  # a quotation keeps its marks
