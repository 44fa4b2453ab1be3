"""Figure entries whose caption fits the picture (workers/generation/sheet_captions.py), on sheets the tests
make: no caption that is code, a label inside the picture or a phrase cut; no picture of the title slide, of
an outline, or of a section's title over the things a slide announces; one of two labelled panels is no
caption of both."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from PIL import Image

from shared.files import LocalFileStore
from shared.schemas import SourceRef
from workers.generation.candidates import FigureItem, LectureCandidates, extract
from workers.generation.cheatsheet import plan_items, render_docx, select_items
from workers.generation.material import FigureInfo, LectureMaterial, Slide
from workers.generation.sheet_captions import caption_fault, content_slide, figure_entry_ok
from workers.generation.sheet_entries import cut_title

BODY = (
    "{t} changes how the whole system behaves under a heavy load.\n"
    "• Engineers measure the {t} effect with repeated controlled experiments in the lab\n"
    "• Higher values of the {t} effect usually mean slower responses and more variance"
)


def _ref(page: int) -> SourceRef:
    return SourceRef(lecture_id=1, lecture="Beams", file="b.pdf", page=page)


def _fig(page: int, caption: str = "", text: str = "") -> FigureInfo:
    return FigureInfo(id=page, page=page, caption=caption, text=text, image_path=f"f{page}.png", area=0.5)


def _material(slides: list[Slide]) -> LectureMaterial:
    return LectureMaterial(id=1, title="Beams", filename="b.pdf", slides=slides)


def _slide(page: int, title: str, text: str, figures: list[FigureInfo] | None = None, lines=()) -> Slide:
    return Slide(ref=_ref(page), title=title, text=text, figures=figures or [], lines=tuple(lines))


def _sheet_text(lc: LectureCandidates, tmp_path: Path) -> str:
    files = LocalFileStore(tmp_path / "files")
    for s in lc.lecture.slides:
        for f in s.figures:
            target = files.path(f.image_path)
            target.parent.mkdir(parents=True, exist_ok=True)
            Image.new("RGB", (600, 300), (20, 120, 200)).save(target)
    plans = plan_items([lc], files, tmp_path, summaries={})
    out = tmp_path / "sheet.docx"
    render_docx(out, title="Beams", lectures=[lc], items=select_items(plans, 200))
    return "\n".join(p.text for p in Document(str(out)).paragraphs)


def test_a_caption_reads_as_a_heading() -> None:
    """A box label printed in the picture, a line of a query, a phrase cut at a line break: no caption."""
    assert caption_fault("Application", "Application\nTransport\nNetwork") == "a label inside the picture"
    assert caption_fault("E", "") == "a label inside the picture"
    assert caption_fault("SELECT ARTIST.NAME", "") == "code"
    assert caption_fault("total = count(rows);", "") == "code"
    assert caption_fault("Interpretation of the plots of", "") is not None
    assert cut_title("Distribución de esfuerzos en la") and cut_title("Boundary conditions (left")
    for fine in ("Bidirectional RNN", "Low and high SNR", "Participation Constraints in SQL", "Recursion"):
        assert caption_fault(fine, "forward backward") is None, fine


def test_a_section_title_over_what_the_slide_announces_is_no_caption(tmp_path: Path) -> None:
    """Slides share a section's title; one of them announces two things and shows them in its picture: the
    section's title would name the picture wrongly (a judge: it shows the boundary conditions)."""
    title = "Interpretation of stress plots"
    lc = extract(
        _material(
            [
                _slide(1, "Beams under load", BODY.format(t="Load")),
                _slide(2, title, BODY.format(t="Stress")),
                _slide(3, title, f"{title}\nBoundary conditions:\nAxial force along the beam:", [_fig(3)]),
                _slide(4, "Shear flow in thin walls", "Shear flow in thin walls", [_fig(4)]),
            ]
        )
    )
    text = _sheet_text(lc, tmp_path)
    assert f"{title} (s. 3)" not in text
    assert "Figure: Shear flow in thin walls (s. 4)" in text  # a slide's own title over its picture stays


def test_no_picture_from_an_outline_page_or_the_title_slide(tmp_path: Path) -> None:
    """A page the line roles mark as an outline gives no figure entry, whatever its title says."""
    outline = _slide(
        3,
        "Where we are going",
        "Where we are going",  # its items were dropped as an outline's lines
        [_fig(3)],
        lines=[("Where we are going", "agenda"), ("Bending", "agenda"), ("Torsion", "agenda")],
    )
    cover = _slide(1, "Mechanics of beams", "Mechanics of beams\nJ. Doe\nFall 2024", [_fig(1, text="J. Doe")])
    lc = extract(_material([cover, _slide(2, "Beams under load", BODY.format(t="Load")), outline]))
    assert "Figure: Where we are going" not in _sheet_text(lc, tmp_path)
    assert not content_slide(lc, lc.lecture.slides[0]) and not content_slide(lc, lc.lecture.slides[2])
    assert content_slide(lc, lc.lecture.slides[1])


def test_a_caption_of_one_of_two_panels_or_of_code_makes_no_entry() -> None:
    """A figure with its own caption: the caption names one of two gates the slide labels side by side, or
    is a line of the example's query: no figure entry; a caption that names the picture stays."""
    gates = _slide(2, "Gates", "Gates\nBinary gate\nGate with real-valued elements", [_fig(2)])
    query = _slide(3, "Joins in SQL", BODY.format(t="Join"), [_fig(3)])
    rnn = _slide(4, "Recurrent networks", BODY.format(t="Recurrence"), [_fig(4)])
    wrapped = "Stirrups if the beam were made of reinforced concrete"
    stirrups = _slide(5, wrapped[:33], "Stirrups if the beam were made of\nreinforced concrete", [_fig(5)])
    lc = extract(_material([_slide(1, "Networks", BODY.format(t="Network")), gates, query, rnn, stirrups]))

    def item(page: int, caption: str) -> FigureItem:
        fig = FigureInfo(id=page, page=page, caption=caption, text="", image_path="f.png", area=0.5)
        return FigureItem(fig, caption, _ref(page), 3.5, labelled=True)

    assert not figure_entry_ok(item(2, "Gate with real-valued elements"), lc)
    assert not figure_entry_ok(item(3, "SELECT ARTIST.NAME FROM ARTIST"), lc)
    assert figure_entry_ok(item(4, "Bidirectional RNN unrolled over time"), lc)
    assert figure_entry_ok(item(5, wrapped), lc)  # its second line is no label beside it


def test_a_bullet_that_says_something_about_the_chart_is_no_sibling_label() -> None:
    """The slide's bullets state what the chart shows ("Yield rose in every quarter": an irregular verb the
    verb test does not know); five words or more are a statement, not a second panel's label: the captioned
    chart keeps its entry (the integration deck's harvest chart)."""
    text = "Harvest results\nYield rose in every quarter\nIrrigation made the difference\nCosts stayed flat"
    chart = _slide(2, "Harvest results", text, [_fig(2)])
    lc = extract(_material([_slide(1, "Farming", BODY.format(t="Farming")), chart]))
    fig = FigureInfo(
        id=2, page=2, caption="Figure 1: Crop yield per quarter", text="", image_path="f.png", area=0.5
    )
    assert figure_entry_ok(FigureItem(fig, "Crop yield per quarter", _ref(2), 3.4, labelled=True), lc)
