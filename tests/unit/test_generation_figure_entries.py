"""Figure entries and figure cards a blind judge refused, by their form (session 16, branch figure-entries):
a caption that is a generic label ("Key intuition", "Input text"), a book's cover read as slide lines, a
slide that asks "?" of its picture, a book's figure cited by its reference number in the picture, a numbered
caption whose words OCR mixed with the picture's labels, a card whose answer only points to a section.
Fixtures are made here; each test checks that a good entry or card beside the refused one stays."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from PIL import Image

from shared.files import LocalFileStore
from shared.schemas import SourceRef
from tests.support.study import lecture
from workers.generation.candidates import LectureCandidates, extract
from workers.generation.cheatsheet import plan_items, render_docx, select_items
from workers.generation.figures import figure_card_answer, numbered_caption
from workers.generation.material import FigureInfo, LectureMaterial, Slide
from workers.generation.sheet_captions import caption_fault, content_slide, text_crop
from workers.generation.sheet_entries import figure_boilerplate

BODY = (
    "{t} changes how the whole system behaves under a heavy load.\n"
    "• Engineers measure the {t} effect with repeated controlled experiments in the lab\n"
    "• Higher values of the {t} effect usually mean slower responses and more variance"
)
GOOD = "Shear flow in thin walls"


def _ref(page: int) -> SourceRef:
    return SourceRef(lecture_id=1, lecture="Beams", file="b.pdf", page=page)


def _fig(page: int, caption: str = "", text: str = "") -> FigureInfo:
    return FigureInfo(id=page, page=page, caption=caption, text=text, image_path=f"f{page}.png", area=0.5)


def _slide(page: int, title: str, text: str, figures: list[FigureInfo] | None = None) -> Slide:
    return Slide(ref=_ref(page), title=title, text=text, figures=figures or [])


def _lc(*slides: Slide) -> LectureCandidates:
    first = _slide(1, "Beams under load", BODY.format(t="Load"))
    good = _slide(len(slides) + 2, GOOD, GOOD, [_fig(len(slides) + 2)])
    return extract(LectureMaterial(id=1, title="Beams", filename="b.pdf", slides=[first, *slides, good]))


def _sheet_text(lc: LectureCandidates, tmp_path: Path) -> str:
    files = LocalFileStore(tmp_path / "files")
    for s in lc.lecture.slides:
        for f in s.figures:
            target = files.path(f.image_path)
            target.parent.mkdir(parents=True, exist_ok=True)
            Image.new("RGB", (600, 300), (20, 120, 200)).save(target)
    out = tmp_path / "sheet.docx"
    render_docx(
        out,
        title="Beams",
        lectures=[lc],
        items=select_items(plan_items([lc], files, tmp_path, summaries={}), 200),
    )
    return "\n".join(p.text for p in Document(str(out)).paragraphs)


def test_a_generic_label_is_no_caption(tmp_path: Path) -> None:
    """A generic label ("Key intuition", "Input text"): a heading of a kind, not what the picture shows
    (judged: "bare caption with no text", "a label inside the figure, not what it shows")."""
    assert caption_fault("Key intuition", "") == "a generic label"
    assert caption_fault("Input text", "x1 x2 y1 y2") == "a generic label"
    assert caption_fault("Bidirectional RNN", "forward backward") is None
    assert caption_fault("Vector-Matrix Description", "") is None  # a rarer word names the thing described
    lc = _lc(_slide(2, "Key intuition", "Key intuition", [_fig(2)]))
    text = _sheet_text(lc, tmp_path)
    assert "Key intuition (s. 2)" not in text
    assert f"Figure: {GOOD} (s. 3)" in text


def test_a_book_cover_read_as_slide_lines_makes_no_entry(tmp_path: Path) -> None:
    """A scan's OCR reads a cover's words as the slide's lines, not as the picture's: "FIFTH EDITION" on the
    slide marks its pictures as covers (judged: "only book covers / author photos: a credit")."""
    cover = _slide(
        2,
        "Comments on concrete",
        "Comments on concrete\nREINFORCED CONCRETE\nA FUNDAMENTAL APPROACH\nFIFTH EDITION\nEDWARD G. NAWY",
        [_fig(2)],
    )
    lc = _lc(cover)
    assert not content_slide(lc, lc.lecture.slides[1])
    assert content_slide(lc, lc.lecture.slides[2])
    text = _sheet_text(lc, tmp_path)
    assert "Comments on concrete" not in text
    assert f"Figure: {GOOD} (s. 3)" in text


def test_an_edition_in_every_slide_s_footer_is_no_cover() -> None:
    """A publisher's running footer naming the edition ("Hibbeler Statics, 14th Edition" on every slide) does
    not make every slide a book cover: their figures stay."""
    footer = "Hibbeler Statics, 14th Edition"
    slides = [
        _slide(n, f"Topic {n}", BODY.format(t=f"Topic {n}") + f"\n{footer}", [_fig(n)]) for n in range(2, 6)
    ]
    lc = _lc(*slides)
    assert all(content_slide(lc, s) for s in lc.lecture.slides[1:5])


def test_a_slide_that_asks_question_marks_of_its_picture_makes_no_entry(tmp_path: Path) -> None:
    """A slide whose only line is "?" under its picture asks the audience: the title names the answer, not
    the picture (judged: "the picture is the example molecule with a '?', not SMILES")."""
    puzzle = _slide(
        2,
        "Simplified Molecular Input Line Entry System",
        "Simplified Molecular Input Line Entry System\n?",
        [_fig(2, text="OH\nHN")],
    )
    lc = _lc(puzzle)
    assert not content_slide(lc, lc.lecture.slides[1])
    text = _sheet_text(lc, tmp_path)
    assert "Simplified Molecular" not in text
    assert f"Figure: {GOOD} (s. 3)" in text


def test_a_figure_cited_from_a_book_by_its_reference_is_a_credit(tmp_path: Path) -> None:
    """The picture prints "(From [3-32].)": a book's page, its crop and words the book's (judged both on the
    text layer and on the scan: the source line is boilerplate, the crop cuts the figure)."""
    assert figure_boilerplate("Zone 1\nFig. 3-12\nStrength and modes of failure\n(From [3-32].)")
    assert figure_boilerplate("(after [12])")
    assert not figure_boilerplate("Zone 1\nZone 2\n[3] compression")
    book = _slide(
        2, "Concrete under biaxial stress", BODY.format(t="Biaxial"), [_fig(2, text="(From [3-32].)")]
    )
    text = _sheet_text(_lc(book), tmp_path)
    assert "Concrete under biaxial stress (s. 2)" not in text
    assert f"Figure: {GOOD} (s. 3)" in text


def test_a_numbered_caption_mixed_with_the_pictures_labels_is_no_caption() -> None:
    """OCR reads a panel's number and label between the caption's mark and its words: "Fig. 3-12 2 (a)
    Stresses at failure under Strength and modes of failure" is no caption (judged: "garbled caption mixing
    figure labels"); the same caption read in order is one."""
    mixed = (
        "Zone 1\nFig. 3-12\n2\n(a) Stresses at failure under\nStrength and modes of failure\nbiaxial stress."
    )
    assert numbered_caption(mixed) is None
    assert numbered_caption("Fig. 3-12\n(a) Stresses at failure under\nbiaxial stress.") is None
    clean = "Zone 1\nFig. 3-12\nStrength and modes of failure of concrete\nunder biaxial stress."
    assert (
        numbered_caption(clean) == "Fig. 3-12 Strength and modes of failure of concrete under biaxial stress."
    )
    assert numbered_caption("Fig. 2\n2D plot of the stress field in the beam.") is not None


def test_a_card_whose_answer_only_points_to_a_section_is_not_made() -> None:
    """ "Viga referida en el ejemplo de la Sección 4.9.": a lookup, nothing a student learns (judged: "a
    section-number lookup that teaches nothing"); a caption that says something beside its section stays."""
    slides = [
        ("Vigas", "Vigas\n• Una viga soporta cargas transversales a su eje longitudinal en toda su longitud"),
        ("Viga del ejemplo", "Viga del ejemplo\n• La viga simplemente apoyada soporta una carga distribuida"),
        ("Trayectorias", "Trayectorias\n• Las líneas de tracción y de compresión son ortogonales"),
    ]
    lookup = "Figura 4.1: Viga referida en el ejemplo de la Sección 4.9."
    said = "Figura 4.22: Líneas de tracción y de compresión en la viga analizada en la Sección 4.9."
    material = lecture(
        slides,
        figures={
            2: [FigureInfo(id=1, page=2, caption=lookup, text="", image_path="f1.png", area=0.5)],
            3: [FigureInfo(id=2, page=3, caption=said, text="", image_path="f2.png", area=0.5)],
        },
    )
    c = extract(material)
    c_slides = {s.ref.page: s for s in c.lecture.slides}
    answers = {f.figure.id: figure_card_answer(f, c_slides[f.ref.page], "es") for f in c.figures}
    assert answers[1] is None
    assert answers[2] == "Líneas de tracción y de compresión en la viga analizada en la Sección 4.9."


def test_a_crop_of_the_slides_own_lead_in_and_question_is_no_figure(tmp_path: Path) -> None:
    """The picture's words are the slide's lines "• Consider two time slots:" and "Can we select X in a
    clever way?": the crop is the slide's text around a formula, cut from what the lead-in announces (judged:
    "only the dangling lead-in, its equation and an empty box"); a diagram's labels are no such lines."""
    text = "Slow fading and MISO channels\n• Consider two time slots:\nCan we select X in a clever way?"
    crop = _fig(2, text="• Consider two time slots:\nCan we select X in a clever way?")
    lc = _lc(_slide(2, "Slow fading and MISO channels", text, [crop]))
    assert text_crop(crop.text, lc.lecture.slides[1])
    assert not text_crop("transmitter\nreceiver", lc.lecture.slides[1])
    # the whole slide as a picture with a plot's legend: words of its own beside the lead-in
    assert not text_crop("• Consider two time slots:\nSISO: M=1\nMISO: M=2", lc.lecture.slides[1])
    sheet = _sheet_text(lc, tmp_path)
    assert "Figure: Slow fading and MISO channels" not in sheet
    assert f"Figure: {GOOD} (s. 3)" in sheet


def test_a_citation_on_the_captions_strip_marks_the_slides_picture(tmp_path: Path) -> None:
    """A scanned book's figure: its caption's strip (dropped as the caption's text) cites "(From [3-32].)";
    the slide's picture beside it is the book's, not a figure of the lecture, whatever the title names."""
    strip = FigureInfo(
        id=20,
        page=2,
        caption="",
        text="Fig. 3-12\nStrength and modes of failure\nof unreinforced concrete.\n(From [3-32].)",
        image_path="f20.png",
        area=0.1,
    )
    book = _slide(2, "Concrete under biaxial stress", "Concrete under biaxial stress", [_fig(2), strip])
    sheet = _sheet_text(_lc(book), tmp_path)
    assert "Concrete under biaxial stress" not in sheet
    assert f"Figure: {GOOD} (s. 3)" in sheet
