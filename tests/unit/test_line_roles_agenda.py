"""Outline (agenda) pages found by the deck's structure rather than by words (workers/ocr/role_structure.py),
and study material that is never built from them (workers/generation/material.py reads pages through
``study_text``). Each role test also shows the rule switched off gives the old role."""

from __future__ import annotations

from pathlib import Path

from shared.models import Page
from tests.support.study import add_lecture, study_db
from workers.generation.candidates import extract
from workers.generation.flashcards import card_drafts
from workers.generation.material import load_material
from workers.generation.phrasing import Phraser
from workers.generation.quiz import QuizBuilder
from workers.ocr.line_cues import PageLines
from workers.ocr.role_rules import DEFAULT_RULES
from workers.ocr.role_structure import outline_key
from workers.ocr.roles import classify_deck, study_text

SECTIONS = [
    "Light reactions\nChlorophyll absorbs red and blue light\nWater is split to release oxygen",
    "Carbon fixation\nRuBisCO adds carbon dioxide to a five-carbon sugar\nThe cycle runs in the stroma",
    "Photorespiration\nRuBisCO sometimes binds oxygen instead\nThe plant loses fixed carbon",
    "C4 plants\nThey fix carbon dioxide in mesophyll cells first\nMaize and sugar cane are examples",
]


def roles_of(pages: list[str], page: int, rules: frozenset[str] = DEFAULT_RULES) -> dict[str, str]:
    roles = classify_deck([PageLines(lines=p.split("\n")) for p in pages], rules=rules)[page]
    return dict(zip(pages[page].split("\n"), roles, strict=True))


def test_outline_keys_ignore_case_numbering_bullets_and_part_marks() -> None:
    assert outline_key("2. Carbon Fixation") == outline_key("carbon fixation") == "carbon fixation"
    assert outline_key("• Part II: Light reactions (cont.)") == "light reactions"
    assert outline_key("4.9.1. C4 plants (2/3)") == "c4 plants"


def test_a_page_listing_other_pages_titles_is_an_outline_whatever_its_title_says() -> None:
    # the title is no outline word in any language the cues know, and the items are numbered and cased
    # otherwise than the section titles: only the deck's structure says it is the outline
    outline = "Where we are going\n1. LIGHT REACTIONS\n2. Carbon fixation.\n3) Photorespiration\n4. C4 Plants"
    deck = ["Photosynthesis\nProf. A. Smith", outline, *SECTIONS]
    roles = roles_of(deck, 1)
    assert set(roles.values()) == {"agenda"}
    assert set(roles_of(deck, 1, DEFAULT_RULES - {"agenda_words"}).values()) == {"agenda"}
    old = roles_of(deck, 1, DEFAULT_RULES - {"agenda_echo_titles"})
    assert old["3) Photorespiration"] != "agenda"
    # the section pages themselves stay content
    assert roles_of(deck, 2)["Chlorophyll absorbs red and blue light"] == "body"


def test_a_list_announced_by_its_own_lead_in_is_no_outline() -> None:
    # "Four processes:" over the names of the slides that follow: the list is the subject, not the outline
    kinds = "Carbon in plants\nFour processes:\nLight reactions\nCarbon fixation\nPhotorespiration\nC4 plants"
    roles = roles_of(["Photosynthesis\nProf. A. Smith", kinds, *SECTIONS], 1)
    assert "agenda" not in roles.values()


def outline(current: str) -> str:
    """The outline shown again at each section's start, its title the current section's name."""
    return f"{current}\nCapturing light energy\nFixing carbon in the stroma\nLosing carbon to oxygen"


CONTENT = [
    "Chlorophyll\nChlorophyll: the green pigment that absorbs red and blue light\nIt reflects green light",
    "Thylakoids\nThylakoid: a membrane sac inside the chloroplast where the light reactions run",
    "Photosystems\nPhotosystem: a protein complex that captures light and passes on electrons",
    "RuBisCO\nRuBisCO: the enzyme that adds carbon dioxide to a five-carbon sugar",
    "The stroma\nStroma: the fluid around the thylakoids where the Calvin cycle runs",
    "Sugar\nGlyceraldehyde phosphate: the three-carbon sugar the Calvin cycle makes",
    "Oxygen\nPhotorespiration: the pathway that starts when RuBisCO binds oxygen instead",
    "Glycolate\nGlycolate: the two-carbon compound photorespiration makes and recycles",
    "Costs\nThe plant loses fixed carbon and energy when RuBisCO binds oxygen",
]
REPEATED = [
    "Photosynthesis\nProf. A. Smith",
    outline("Light energy"),
    *CONTENT[:3],
    outline("Carbon fixation"),
    *CONTENT[3:6],
    outline("Photorespiration"),
    *CONTENT[6:],
]


def test_an_outline_repeated_at_each_section_start_is_agenda_not_the_sections_items() -> None:
    for page in (1, 5, 9):
        roles = roles_of(REPEATED, page)
        assert roles["Capturing light energy"] == roles["Losing carbon to oxygen"] == "agenda"
        assert next(iter(roles.values())) == "title"  # the current section's name stays the page's title
    old = roles_of(REPEATED, 5, DEFAULT_RULES - {"agenda_repeated_block"})
    assert old["Fixing carbon in the stroma"] == "body"
    assert roles_of(REPEATED, 2)["It reflects green light"] == "body"


def test_a_slide_built_up_over_neighbouring_pages_is_no_repeated_outline() -> None:
    build = "Steps\nCapturing light energy\nFixing carbon in the stroma\nLosing carbon to oxygen"
    deck = ["Photosynthesis\nProf. A. Smith", CONTENT[0], build, build + "\nMaking sugar", *CONTENT[1:]]
    assert "agenda" not in roles_of(deck, 3).values()


def test_study_material_is_never_built_from_outline_lines(tmp_path: Path) -> None:
    slides = [(text.split("\n")[0], text) for text in REPEATED]
    sdb = study_db(tmp_path)
    lecture_id = add_lecture(sdb, slides, title="Photosynthesis")
    with sdb.session_factory() as db:
        pages = list(db.query(Page).filter(Page.lecture_id == lecture_id).order_by(Page.number))
        roles = classify_deck([PageLines(lines=p.text.split("\n")) for p in pages])  # as ingestion does
        for page, page_roles in zip(pages, roles, strict=True):
            page.line_roles = page_roles
        db.commit()
    with sdb.session_factory() as db:
        material = load_material(db, user_id=sdb.user_id, subject_id=sdb.subject_id)
    items = ("Capturing light energy", "Fixing carbon in the stroma", "Losing carbon to oxygen")
    texts = [slide.text for slide in material[0].slides]
    assert not any(item in text for item in items for text in texts)
    assert "It reflects green light" in texts[2]

    lc = extract(material[0])
    cards = list(card_drafts([lc], Phraser(None)))
    quiz = QuizBuilder([lc], Phraser(None), difficulty="medium", seed=1).build(10)
    made = [f"{c.front} {c.back}" for c in cards] + [str(q.model_dump()) for q in quiz]
    assert made  # the content slides still give cards and questions
    assert not any(item.lower() in text.lower() for item in items for text in made)


def test_study_text_keeps_content_and_drops_outline_and_boilerplate() -> None:
    text = "Overview\nCarbon fixation\nRuBisCO fixes carbon\nProf. A. Smith"
    assert study_text(text, ["agenda", "agenda", "body", "meta"]) == "RuBisCO fixes carbon"
    assert study_text(text, None) == text  # pages stored before roles: unchanged


def test_a_summary_repeating_a_slides_listed_points_is_no_outline() -> None:
    points = "Mutual exclusion of resources\nHold and wait\nNo preemption\nCircular wait"
    listed = f"Deadlock\nFour conditions must hold together:\n{points}"
    summary = f"Summary\n{points}"
    deck = ["Operating systems\nProf. A. Smith", listed, *CONTENT[:3], summary]
    assert "agenda" not in roles_of(deck, 1).values()
    assert "agenda" not in roles_of(deck, 5).values()
