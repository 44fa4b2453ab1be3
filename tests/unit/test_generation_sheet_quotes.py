"""A slide quoting its source ("[...] “...”") gives its whole quoted statements as points of its section
(workers/generation/sheet_quotes.py and its use in cheatsheet.plan_items), on lectures the tests make; a cut,
tied or subjectless quote stays out."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from shared.files import LocalFileStore
from shared.schemas import SourceRef
from workers.generation.candidates import LectureCandidates, extract
from workers.generation.cheatsheet import plan_items, render_docx, select_items
from workers.generation.material import LectureMaterial, Slide


def _ref(page: int) -> SourceRef:
    return SourceRef(lecture_id=1, lecture="Concrete", file="c.pdf", page=page)


def _lecture(slides: list[tuple[str, str]]) -> LectureCandidates:
    return extract(
        LectureMaterial(
            id=1,
            title="Concrete",
            filename="c.pdf",
            slides=[Slide(ref=_ref(i), title=t, text=x) for i, (t, x) in enumerate(slides, 1)],
        )
    )


def _sheet(lc: LectureCandidates, tmp_path: Path) -> str:
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    plans = plan_items([lc], LocalFileStore(tmp_path / "files"), work, summaries={})
    out = tmp_path / "sheet.docx"
    render_docx(out, title="Concrete", lectures=[lc], items=select_items(plans, 200))
    return "\n".join(p.text for p in Document(str(out)).paragraphs)


TENSION = (
    "Concrete in tension",
    "Concrete in tension\n"
    "[...] “The tensile strength of concrete falls between 8 and 15\npercent of the compressive strength”\n"
    "Nawy\n"
    "[...] “The tensile strength of concrete is relatively low. A good\n”\n"
    "[...] “is is difficult to measure tensile strength due to gripping”",
)
SHEAR = (
    "Concrete in shear",
    "Concrete in shear\n"
    "[...] “Thus, when concrete is loaded in shear, cracks develop along the diagonal”\n"
    "[...] “Varying from 20% of the compressive strength in normal loading to 85% in direct shear”\n"
    "[...] “The shear strength of concrete is higher than its tensile strength”",
)
CURING = (
    "Curing",
    "Curing\n• Concrete gains strength while it is kept moist after casting.\n• Early drying leaves it weak.",
)


def test_whole_quoted_statements_are_points_of_their_section_without_the_marks(tmp_path: Path) -> None:
    text = _sheet(_lecture([TENSION, CURING]), tmp_path)
    assert (
        "Concrete in tension: The tensile strength of concrete falls between 8 and 15 percent of the "
        "compressive strength" in text
    )
    # a quote the slide cut keeps its whole sentence; one begun mid-sentence stays out
    assert "Concrete in tension: The tensile strength of concrete is relatively low." in text
    assert "A good" not in text and "gripping" not in text and "[...]" not in text and "“" not in text


def test_quotes_tied_to_what_the_excerpt_left_out_or_with_no_subject_stay_out(tmp_path: Path) -> None:
    text = _sheet(_lecture([SHEAR, CURING]), tmp_path)
    assert "cracks develop along the diagonal" not in text
    assert "Varying from" not in text
    assert "Concrete in shear: The shear strength of concrete is higher than its tensile strength" in text
    assert "Concrete gains strength while it is kept moist after casting." in text
