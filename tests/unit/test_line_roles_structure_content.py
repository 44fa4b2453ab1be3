"""Content the structural outline rules (workers/ocr/role_structure.py) must not take for an outline: study
material is built without agenda lines, so a content line called agenda is lost from cards and quizzes."""

from __future__ import annotations

from tests.unit.test_line_roles_agenda import CONTENT, SECTIONS, roles_of
from workers.ocr.line_cues import PageLines
from workers.ocr.roles import classify_deck, study_text

TITLE = "Photosynthesis\nProf. A. Smith"
OUTLINE = "Where we are going\nLight reactions\nCarbon fixation\nPhotorespiration\nC4 plants"


def test_a_section_slide_named_in_a_structural_outline_keeps_its_bullets() -> None:
    # the outline lists the section titles unnumbered: each section slide's title is then an outline item,
    # which made every short bullet of the slide an outline line too
    deck = [TITLE, OUTLINE, *SECTIONS]
    assert set(roles_of(deck, 1).values()) == {"agenda"}
    for page in range(2, 6):
        roles = roles_of(deck, page)
        assert "agenda" not in roles.values(), roles
    pages = [PageLines(lines=p.split("\n")) for p in deck]
    text = study_text(deck[2], classify_deck(pages)[2])
    assert "Chlorophyll absorbs red and blue light" in text


def test_a_summary_explaining_each_section_is_no_outline() -> None:
    summary = (
        "Summary\nLight reactions: chlorophyll absorbs red and blue light\n"
        "Carbon fixation: RuBisCO adds carbon dioxide to sugar\n"
        "Photorespiration: RuBisCO binds oxygen instead\n"
        "C4 plants: maize fixes carbon in mesophyll cells"
    )
    assert "agenda" not in roles_of([TITLE, *SECTIONS, summary], 5).values()


def test_a_summary_of_sentences_starting_with_section_titles_is_no_outline() -> None:
    summary = (
        "Key points\nLight reactions make ATP and NADPH from water\n"
        "Carbon fixation builds sugar in the stroma\n"
        "Photorespiration wastes carbon when RuBisCO binds oxygen\nC4 plants fix carbon dioxide in two steps"
    )
    assert "agenda" not in roles_of([TITLE, *SECTIONS, summary], 5).values()

    # a recap of the bare section titles still is one
    recap = "Recap\nLight reactions\nCarbon fixation\nPhotorespiration\nC4 plants"
    assert set(roles_of([TITLE, *SECTIONS, recap], 5).values()) == {"agenda"}


def test_a_slide_whose_title_announces_its_list_keeps_it_though_each_item_has_a_slide() -> None:
    # "The four stages of mitosis" over the stages, then a slide per stage: the list is the subject (a
    # quiz asks for the four stages), as when a lead-in "Four stages:" announces it
    stages = ["Prophase", "Metaphase", "Anaphase", "Telophase"]
    announced = "The four stages of mitosis\n" + "\n".join(stages)
    slides = [
        f"{s}\nThe {s.lower()} begins when the cell reaches a checkpoint\nIt lasts minutes" for s in stages
    ]
    deck = ["Cell division\nProf. A. Smith", announced, *slides]
    assert "agenda" not in roles_of(deck, 1).values()
    kinds = "Types of RNA\nMessenger RNA\nTransfer RNA\nRibosomal RNA"
    rna = [f"{k}\n{k} carries out one step of making proteins" for k in kinds.split("\n")[1:]]
    assert "agenda" not in roles_of(["RNA\nProf. A. Smith", kinds, *rna], 1).values()
    # an outline titled otherwise still is one
    outline = "Today\n" + "\n".join(stages)
    assert set(roles_of(["Cell division\nProf. A. Smith", outline, *slides], 1).values()) == {"agenda"}


def test_a_slides_terse_points_recapped_once_at_the_end_stay_content() -> None:
    # shown twice, terse, no lead-in: the deadlock conditions are the subject, not an outline (their lines
    # name no other page); an outline shown twice names the deck's sections
    points = "Mutual exclusion\nHold and wait\nNo preemption\nCircular wait"
    deck = [
        "Operating systems\nProf. A. Smith",
        f"Deadlock conditions\n{points}",
        *CONTENT[:3],
        f"Summary\n{points}",
    ]
    assert "agenda" not in roles_of(deck, 1).values()
    assert "agenda" not in roles_of(deck, 5).values()
    outline = "Plan\nLight reactions\nCarbon fixation\nPhotorespiration"
    again = outline.replace("Plan", "Where we are")
    deck = [TITLE, outline, *SECTIONS[:2], *CONTENT[:4], again, *SECTIONS[2:], *CONTENT[4:]]
    assert set(roles_of(deck, 1).values()) == set(roles_of(deck, 8).values()) == {"agenda"}
