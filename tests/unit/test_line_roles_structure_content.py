"""Content the structural outline rules (workers/ocr/role_structure.py) must not take for an outline: study
material is built without agenda lines, so a content line called agenda is lost from cards and quizzes."""

from __future__ import annotations

from tests.unit.test_line_roles_agenda import SECTIONS, roles_of
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


def test_a_recap_slide_of_bare_section_titles_is_still_an_outline() -> None:
    recap = "Recap\nLight reactions\nCarbon fixation\nPhotorespiration\nC4 plants"
    assert set(roles_of([TITLE, *SECTIONS, recap], 5).values()) == {"agenda"}
