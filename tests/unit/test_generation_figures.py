"""Figure cards and the cheat sheet's figures (workers/generation/figures.py): a figure reaches a student only
when something says what it shows, and a card never shows its answer on its front."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

from sqlalchemy import select

from gateway.services.flashcards import build_apkg
from shared.models import Flashcard, Subject
from tests.support.study import figure_card_deck, lecture
from workers.generation.candidates import FigureItem, extract
from workers.generation.figures import (
    figure_card_answer,
    numbered_caption,
    title_label,
)
from workers.generation.flashcards import _drafts
from workers.generation.material import FigureInfo, LectureMaterial
from workers.generation.phrasing import Phraser

TEXT = (
    "• Light is absorbed by chlorophyll in the thylakoid membranes\n"
    "• The stroma holds the Calvin cycle enzymes"
)
SLIDES = [
    ("Photosynthesis in plants", "Photosynthesis in plants\nA lecture on how leaves make sugar from light"),
    ("Leaf anatomy and chloroplasts", f"Leaf anatomy and chloroplasts\n{TEXT}"),
    ("The Calvin cycle", "The Calvin cycle\n• Carbon fixation by RuBisCO makes sugars from carbon dioxide"),
    (
        "Light reactions in the thylakoids",
        "Light reactions\n• Water is split and oxygen is released by photosystem II",
    ),
    ("Summary of the pathways", "Summary of the pathways\n• Light reactions feed the Calvin cycle with ATP"),
]


def fig(id: int, page: int, caption: str = "", text: str = "", area: float = 0.3) -> FigureInfo:
    return FigureInfo(id=id, page=page, caption=caption, text=text, image_path=f"f{id}.png", area=area)


def figures_of(material: LectureMaterial) -> dict[int, FigureItem]:
    return {f.figure.id: f for f in extract(material).figures}


def test_a_numbered_caption_printed_in_the_picture_labels_it() -> None:
    words = (
        "chloroplast\n\nFig. 3-12\n\nCross-section of a leaf showing the\n\nchloroplasts in the meso-\n\n"
        "phyll cells.\n\n(From [3-32].)"
    )
    assert (
        numbered_caption(words)
        == "Fig. 3-12 Cross-section of a leaf showing the chloroplasts in the mesophyll cells."
    )
    assert numbered_caption("stroma\n\nthylakoid\n\ngrana") is None
    item = figures_of(lecture(SLIDES, figures={2: [fig(1, 2, text=words)]}))[1]
    assert item.labelled
    assert item.caption.startswith("Leaf anatomy and chloroplasts — Cross-section of a leaf")
    assert item.figure.caption == ""  # no caption under the picture: a card cannot ask for what it prints


def test_an_unnumbered_caption_must_name_something_on_the_slide() -> None:
    related = fig(1, 2, caption="Chloroplast with its thylakoid stacks")  # "chloroplasts" in the title
    label_of_a_part = fig(2, 3, caption="Static embeddings of the input")  # points at one part
    got = figures_of(lecture(SLIDES, figures={2: [related], 3: [label_of_a_part]}))
    assert got[1].labelled and got[1].caption == "Chloroplast with its thylakoid stacks"
    assert not got[2].labelled and got[2].caption == "The Calvin cycle" and got[2].figure.caption == ""


def test_credits_urls_and_a_bare_figure_number_are_no_label_and_no_card() -> None:
    credits = [
        fig(1, 2, caption="Image courtesy of NASA Earth Observatory"),
        fig(2, 3, caption="Figure 3."),
        fig(3, 4, caption="https://commons.wikimedia.org/wiki/File:Leaf.png"),
    ]
    material = lecture(SLIDES, figures={2: credits[:1], 3: credits[1:2], 4: credits[2:]})
    got = figures_of(material)
    assert not any(f.labelled for f in got.values())
    assert all(f.caption in {s[0] for s in SLIDES} for f in got.values())  # the slide's title instead
    assert _drafts(extract(material), Phraser(None))["figure"] == []


def test_a_picture_on_three_slides_is_no_figure_of_any_small_ones_are_logos() -> None:
    logo = [fig(10 + p, p, text="Green University", area=0.02) for p in (2, 3, 4)]
    diagram = [fig(20 + p, p, text="ATP NADPH CO2 sugar", area=0.4) for p in (3, 4, 5)]
    figures = {p: [f for f in logo + diagram if f.page == p] for p in (2, 3, 4, 5)}
    got = figures_of(lecture(SLIDES, figures=figures))
    assert not any(i in got for i in (12, 13, 14))  # a logo: every copy goes
    assert 23 in got and 24 not in got and 25 not in got  # a diagram the slides build on: its first copy


def test_a_picture_of_the_slides_own_words_is_no_figure() -> None:
    banner = fig(1, 4, text="Light reactions")  # the title typeset as an image
    chart = fig(2, 4, text="oxygen released per minute")
    got = figures_of(lecture(SLIDES, figures={4: [banner, chart]}))
    assert 1 not in got and 2 in got


def test_a_chart_titled_like_its_caption_is_a_figure() -> None:
    """The chart's title repeats its caption, but its axis ticks ("Q1" ... "Q4") are not in the caption or
    the title: a chart, not a picture of text (the integration deck's harvest chart was dropped)."""
    chart = fig(1, 4, caption="Figure 1: Crop yield per quarter", text="Crop yield\nQ1 Q2 Q3 Q4")
    strip = fig(2, 4, caption="Figure 2: Crop yield per quarter", text="Crop yield per quarter")
    got = figures_of(lecture(SLIDES, figures={4: [chart, strip]}))
    assert 1 in got and 2 not in got


def test_title_slide_art_is_no_figure_but_a_captioned_figure_there_is() -> None:
    crest = fig(1, 1, text="", area=0.2)
    captioned = fig(2, 1, caption="Figure 1: Photosynthesis turns light into sugar in plants")
    got = figures_of(lecture(SLIDES, figures={1: [crest, captioned]}))
    assert 1 not in got and got[2].labelled
    one_page = figures_of(lecture(SLIDES[1:2], figures={1: [crest]}))
    assert 1 in one_page  # a one-page lecture has no title slide: its figures are its content


WORDS = "Figure 4.24: Cracks in a leaf of a plant that dried in the sun for a week."


def test_the_same_caption_twice_on_a_slide_is_shown_once_with_the_larger_picture() -> None:
    strip = fig(1, 2, text=f"vein\n\n{WORDS}", area=0.05)
    photo = fig(2, 2, text=f"midrib\n\n{WORDS}", area=0.3)
    got = figures_of(lecture(SLIDES, figures={2: [strip, photo]}))
    assert 2 in got and 1 not in got


def test_a_crop_that_begins_with_its_numbered_caption_is_the_captions_text_not_a_picture() -> None:
    block = fig(1, 2, text=f"{WORDS}\n\nThe photo above shows the upper side of the leaf.")
    picture = fig(2, 3, text=f"midrib\n\n{WORDS}")
    got = figures_of(lecture(SLIDES, figures={2: [block], 3: [picture]}))
    assert 1 not in got and got[2].labelled
    assert got[2].caption.startswith("The Calvin cycle — Cracks in a leaf")


def test_a_slide_title_labels_a_figure_up_to_its_bullet_and_not_when_generic() -> None:
    assert title_label("Low and high SNR • Low SNR: • Only power to one") == "Low and high SNR"
    assert title_label("Example") is None and title_label("Пример:") is None
    assert title_label("Examples of C4 plants") == "Examples of C4 plants"


def test_a_card_answers_with_a_caption_the_picture_does_not_print_and_not_the_title() -> None:
    material = lecture(
        SLIDES,
        figures={
            2: [fig(1, 2, caption="Figure 2: Chloroplast with its thylakoid stacks")],
            3: [
                fig(
                    2,
                    3,
                    caption="Figure 3: Carbon fixation in the stroma",
                    text="RuBisCO\n\nCarbon fixation in the stroma",
                )
            ],
            4: [
                fig(3, 4, caption="Light reactions in the thylakoids")
            ],  # the slide's title under the picture
            5: [fig(4, 5, caption="Both pathways linked by ATP and NADPH")],  # names the slide, unnumbered
        },
    )
    c = extract(material)
    slides = {s.ref.page: s for s in c.lecture.slides}
    answers = {f.figure.id: figure_card_answer(f, slides[f.ref.page], "en") for f in c.figures}
    assert answers[1] == "Chloroplast with its thylakoid stacks"
    assert answers[2] is None  # printed in the picture the front shows
    assert answers.get(3) is None  # the front names the slide: its title is no answer
    assert answers[4] == "Both pathways linked by ATP and NADPH"
    cards = _drafts(c, Phraser(None))["figure"]
    assert {d.figure_id for d in cards} == {1, 4}
    assert all(d.ref.figure_id == d.figure_id for d in cards)


def test_a_figure_card_exported_to_anki_shows_its_picture_on_the_front(tmp_path: Path) -> None:
    """The card made from a caption that names the slide ("Carbon fixed per hour in the Calvin cycle" on
    "The Calvin cycle") carries the figure into the .apkg as media, shown by the question template."""
    sdb, files, _ = figure_card_deck(tmp_path, "Carbon fixed per hour in the Calvin cycle")
    key = "uploads/1/1/figures/p0003-0.png"
    with sdb.session_factory() as db:
        card = db.scalars(select(Flashcard).where(Flashcard.figure_id.is_not(None))).one()
        assert card.back == "Carbon fixed per hour in the Calvin cycle" and card.page_number == 3
        subject = db.get(Subject, sdb.subject_id)
        assert subject is not None
        out = tmp_path / "deck.apkg"
        assert build_apkg(db=db, files=files, subject=subject, out=out)["media"] == 1
    with zipfile.ZipFile(out) as zf:
        media = json.loads(zf.read("media"))
        name = f"smartnotes-figure-{card.figure_id}.png"
        assert list(media.values()) == [name] and zf.read(next(iter(media))) == files.path(key).read_bytes()
        zf.extract("collection.anki2", tmp_path)
    con = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        notes = [row[0].split("\x1f") for row in con.execute("select flds from notes")]
        models = json.loads(con.execute("select models from col").fetchone()[0])
    finally:
        con.close()
    [figure_note] = [f for f in notes if name in f[3]]
    assert figure_note[0].startswith("What does the figure") and "Calvin cycle" in figure_note[1]
    basic = next(m for m in models.values() if m["name"] == "MySmartNotes Basic")
    assert "{{Image}}" in basic["tmpls"][0]["qfmt"]  # the picture is on the question side


def test_no_figure_card_when_the_slide_labels_a_sibling_beside_the_caption() -> None:
    """ "Binary gate" beside the caption "Gate with real-valued elements": the picture shows both, and a card
    asking what it shows has no one answer (a blind judge found the caption described half of it)."""
    slides = [
        ("Neural gates", "Neural gates\nThe gate decides what passes through the cell"),
        (
            "LSTM building block: the neural gate",
            "LSTM building block: the neural gate\nBinary gate\nGate with real-valued elements",
        ),
        ("Gate outputs", "Gate outputs\nGate with real-valued elements"),
    ]
    figures = {
        2: [fig(1, 2, caption="Gate with real-valued elements")],
        3: [fig(2, 3, caption="Gate with real-valued elements")],
    }
    c = extract(lecture(slides, figures=figures))
    by_page = {s.ref.page: s for s in c.lecture.slides}
    answers = {f.figure.id: figure_card_answer(f, by_page[f.ref.page], "en") for f in c.figures}
    assert answers.get(1) is None  # "Binary gate" is labelled beside it
    assert answers.get(2) == "Gate with real-valued elements"
