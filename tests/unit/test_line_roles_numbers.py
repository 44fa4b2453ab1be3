"""Bare numbers at a page's edge are page numbers only where they fit the deck's numbering
(workers/ocr/role_numbers.py, rule ``page_number_fit``). Pages the tests make."""

from __future__ import annotations

from workers.ocr.line_cues import DROPPED, PageLines
from workers.ocr.role_numbers import Numbering, bare_number, deck_numbering, fits_numbering
from workers.ocr.role_rules import DEFAULT_RULES
from workers.ocr.roles import classify_deck

TOPICS = [
    ("Children's first words", "Most children say their first word around their first birthday."),
    ("Overextension", "A child calls every four-legged animal a dog for a while."),
    ("Two-word stage", "Utterances such as 'more milk' appear in the second year."),
    ("Telegraphic speech", "Function words are left out: 'daddy go work'."),
    ("Vocabulary spurt", "Word learning speeds up sharply after fifty words."),
    ("Critical period", "Learning a first language late rarely reaches native grammar."),
]


def _roles_of(deck: list[PageLines], rules: frozenset[str] = DEFAULT_RULES) -> dict[tuple[int, str], str]:
    return {
        (k, line): role
        for k, (page, roles) in enumerate(zip(deck, classify_deck(deck, rules=rules), strict=True))
        for line, role in zip(page.lines, roles, strict=True)
        if line
    }


def _handout(examples: list[str]) -> list[PageLines]:
    """Six pages numbered at the top, each ending with one of the handout's numbered examples."""
    return [
        PageLines(lines=[str(k + 1), title, "", text, "", example])
        for k, ((title, text), example) in enumerate(zip(TOPICS, examples, strict=True))
    ]


def test_numbered_examples_past_the_page_count_are_content() -> None:
    # a typed handout's numbered examples "(n)" at the foot of its pages: main dropped them as page numbers
    # (a line of digits at the edge of most pages), though they run far ahead of the pages
    examples = ["(3)", "(9)", "(15)", "(21)", "(28)", "(34)"]
    roles = _roles_of(_handout(examples))
    # (page 1 is the title slide, where a short line beside the title is course meta by another rule)
    assert all(roles[(k, x)] not in DROPPED for k, x in enumerate(examples) if k)
    assert all(roles[(k, str(k + 1))] == "footer" for k in range(6))  # the real page numbers stay footers
    off = _roles_of(_handout(examples), DEFAULT_RULES - {"page_number_fit"})
    assert all(off[(k, x)] == "footer" for k, x in enumerate(examples))


def test_a_zero_at_the_edge_is_no_page_number() -> None:
    # a chart's "0" tick under its axis, the last line of page 6
    deck = [PageLines(lines=[title, "", text, "", str(k + 1)]) for k, (title, text) in enumerate(TOPICS)]
    deck[-1] = PageLines(lines=[TOPICS[-1][0], "", TOPICS[-1][1], "", "0"])
    assert _roles_of(deck)[(5, "0")] not in DROPPED
    assert _roles_of(deck, DEFAULT_RULES - {"page_number_fit"})[(5, "0")] == "footer"


def test_numbers_of_a_chapter_excerpt_stay_page_numbers() -> None:
    # pages numbered 123-128: far past the positions, but every page shares the offset
    deck = [PageLines(lines=[title, "", text, "", str(123 + k)]) for k, (title, text) in enumerate(TOPICS)]
    roles = _roles_of(deck)
    assert all(roles[(k, str(123 + k))] == "footer" for k in range(len(TOPICS)))


def test_overlay_pages_sharing_a_frame_number_stay_page_numbers() -> None:
    # beamer overlays: pages 3-5 all show frame 3, so the offsets drift below the positions
    numbers = [1, 2, 3, 3, 3, 4]
    deck = [
        PageLines(lines=[title, "", text, "", str(n)])
        for (title, text), n in zip(TOPICS, numbers, strict=True)
    ]
    roles = _roles_of(deck)
    assert all(roles[(k, str(n))] == "footer" for k, n in enumerate(numbers))


def test_bare_number_forms() -> None:
    assert [bare_number(x) for x in ("(34)", "- 7 -", "Page 7", "7 / 24", "slide 3 of 9", "12.")] == [
        34,
        7,
        7,
        7,
        3,
        12,
    ]
    assert bare_number("7 cells") is None and bare_number("2020-04-15") is None and bare_number("") is None
    assert deck_numbering([["1"], ["x"], ["3"], ["(40)"]]).offsets == {0}
    none, shared = Numbering(), Numbering(offsets=frozenset({123}))
    assert fits_numbering(4, 4, none) and fits_numbering(5, 4, none) and not fits_numbering(6, 4, none)
    assert not fits_numbering(0, 4, none) and fits_numbering(130, 7, shared)
    assert fits_numbering(12, 6, Numbering(offsets=frozenset({4})))  # two hidden slides before it
    assert not fits_numbering(13, 6, Numbering(offsets=frozenset({4})))  # not three
    assert fits_numbering(2022, 6, none)  # a year split off a date stays with the date rules


SLIDES = [
    ("Light reactions", "Water is split and oxygen released in thylakoids"),
    ("Calvin cycle", "Carbon dioxide is fixed into three-carbon sugars"),
    ("Stomata", "Pores on leaves regulate water loss and the intake of gases"),
    ("C4 plants", "Spatial separation concentrates carbon dioxide near Rubisco"),
    ("CAM plants", "Temporal separation lets desert plants open their pores at night"),
    ("Pigments", "Chlorophyll absorbs red and blue wavelengths strongly"),
]


def test_selected_slides_keeping_their_numbers_at_the_top_keep_their_titles() -> None:
    # an excerpt of six slides numbered 12, 17, 23, ... at the top: no offset is shared, so the numbers are
    # content (a rising run is no numbering: content numbers rise by chance too), but never the titles
    numbers = [12, 17, 23, 31, 44, 58]
    deck = [PageLines(lines=[str(n), t, b]) for n, (t, b) in zip(numbers, SLIDES, strict=True)]
    roles = classify_deck(deck)
    assert [r[1] for r in roles[1:]] == ["title"] * 5
    assert all(r[0] not in ("footer", "title") for r in roles[2:])


def test_content_numbers_rising_by_chance_are_no_page_numbers() -> None:
    # the review's case: results "343", "373", "1024" closing pages 2, 4, 6 stay content
    deck = [PageLines(lines=[t, b]) for t, b in SLIDES]
    for k, value in ((1, "343"), (3, "373"), (5, "1024")):
        deck[k] = PageLines(lines=[*deck[k].lines, value])
    roles = classify_deck(deck)
    assert [roles[k][-1] for k in (1, 3, 5)] == ["body"] * 3


def test_a_number_that_fits_nothing_is_never_the_title() -> None:
    # page 5 of an unnumbered deck opens with "34" (an example's or a source's number): content, and the title
    # is the line under it
    deck = [PageLines(lines=[t, b]) for t, b in SLIDES]
    deck[4] = PageLines(lines=["34", SLIDES[4][0], SLIDES[4][1]])
    roles = classify_deck(deck)[4]
    assert roles[0] not in ("footer", "title") and roles[1] == "title"
    assert classify_deck(deck, rules=DEFAULT_RULES - {"page_number_fit"})[4][:2] == ["footer", "title"]
