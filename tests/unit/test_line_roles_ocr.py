"""Line forms that OCR changes (workers/ocr/role_ocr.py): bullets read as other glyphs, a date and a page
number read as one line, bulleted lines wrapped over several lines. Pages the tests make, without line hints,
as the reader gives OCR'd pages."""

from __future__ import annotations

from workers.ocr.line_cues import DROPPED, LineHint, PageLines
from workers.ocr.role_rules import DEFAULT_RULES
from workers.ocr.roles import classify_deck


def _slide(title: str, items: list[tuple[str, str]], glyph: str) -> PageLines:
    lines = [title, ""]
    for head, text in items:
        lines += [f"{glyph} {head}", f"{glyph} {text}", ""]
    return PageLines(lines=lines)


SLIDES = [
    (
        "Security dimensions",
        [
            ("Confidentiality of the records", "Information may be disclosed to people without the right."),
            ("Integrity of the records", "Information may be damaged or corrupted by an attacker."),
        ],
    ),
    (
        "System security management",
        [
            ("User and permission management", "Adding and removing users and setting their permissions."),
            ("Software deployment and upkeep", "Installing and configuring software without new holes."),
        ],
    ),
    (
        "Attack monitoring",
        [
            ("Detection of unusual access", "Monitoring the system for unauthorised access attempts."),
            ("Recovery after an attack", "Restoring the service and its data from the last backup."),
        ],
    ),
]


def test_copyright_sign_opening_many_lines_is_a_bullet_not_a_credit() -> None:
    # Tesseract reads a slide's round bullet as "©": with the copyright sign at the start of every item, main
    # called each item a credit and dropped it
    deck = [_slide(title, items, "©") for title, items in SLIDES]
    roles = classify_deck(deck)
    items = [
        r
        for page, rs in zip(deck, roles, strict=True)
        for line, r in zip(page.lines, rs, strict=True)
        if line.startswith("©")
    ]
    assert len(items) == 12
    assert not [r for r in items if r in DROPPED]
    off = classify_deck(deck, rules=DEFAULT_RULES - {"ocr_bullets"})
    assert all(
        r == "credit"
        for page, rs in zip(deck, off, strict=True)
        for line, r in zip(page.lines, rs, strict=True)
        if line.startswith("©")
    )


def test_equals_sign_bullets_are_not_formulas_and_a_lone_credit_stays() -> None:
    # "=" for a square bullet before short items: main called them formulas; a single copyright line on one
    # page is still a credit
    items = [
        ["= Exam schedule:", "= Thursday, December 18", "= Entirely hand written", "= Course evals"],
        ["= Bring a pencil", "= One page of notes", "= No calculators", "= Arrive early"],
        ["= Review session", "= Friday afternoon", "= Practice problems", "= Office hours"],
    ]
    deck = [
        PageLines(lines=[title, "", *lines]) for title, lines in zip(["Final exam", "Rules", "Help"], items)
    ]
    deck[1].lines.append("© Pearson Education, all rights reserved")
    roles = classify_deck(deck)
    eq = [r for rs in roles for r in rs[2:6]]
    assert len(eq) == 12 and "formula" not in eq
    assert roles[1][-1] == "credit"
    off = classify_deck(deck, rules=DEFAULT_RULES - {"ocr_bullets"})
    assert "formula" in [r for rs in off for r in rs[2:6]]


def test_a_glyph_on_two_lines_of_one_page_is_left_alone() -> None:
    page = PageLines(
        lines=[
            "Image sources",
            "",
            "© Springer Nature photo archive",
            "© Wikimedia user Alice Smith",
            "Text of the slide goes here.",
        ]
    )
    roles = classify_deck([page])
    assert roles[0][2] == roles[0][3] == "credit"


def test_date_and_page_number_on_one_line_at_the_edge_is_a_footer() -> None:
    pages = [
        PageLines(
            lines=[
                "Capacity of a MIMO channel",
                "The capacity grows with the number of antennas.",
                "2020-04-15 3",
            ]
        ),
        PageLines(lines=["Water filling", "Power goes to the strongest subchannels first.", "12/11/2014 60"]),
    ]
    roles = classify_deck(pages)
    assert roles[0][2] == "footer" and roles[1][2] == "footer"
    off = classify_deck(pages, rules=DEFAULT_RULES - {"date_page_footer"})
    assert off[0][2] != "footer" and off[1][2] != "footer"
    # a date with words, or a number that is no page number, stays content
    other = classify_deck(
        [PageLines(lines=["Deadlines", "Submit by 2020-04-15 noon", "The rate is 12/11/2014 60 75"])]
    )
    assert other[0][1] != "footer" and other[0][2] != "footer"


WRAPPED = [
    "Security dimensions",
    "• Confidentiality",
    "• Information in a system may be disclosed or made",
    "accessible to people or programs that are not",
    "authorized to have access to that information.",
    "• Integrity",
    "• Information in a system may be damaged or corrupted",
    "making it unusual or unreliable.",
    "• Availability",
    "• Access to a system or its data that is normally",
    "available may not be possible.",
]


def test_wrapped_bullets_of_an_ocr_page_get_their_paragraph_role() -> None:
    # OCR wraps each explanation over 2-3 lines (a PPTX text layer gives it whole): read whole, the short
    # items are headings over their explanations, and the wrapped lines carry the explanation's role
    page = PageLines(lines=WRAPPED)
    roles = classify_deck([page])[0]
    assert [roles[i] for i in (1, 5, 8)] == ["heading"] * 3
    assert roles[2] == roles[3] == roles[4] != "heading"
    assert roles[6] == roles[7] and roles[9] == roles[10]
    off = classify_deck([page], rules=DEFAULT_RULES - {"wrapped_lines"})[0]
    assert [off[i] for i in (1, 5, 8)] != ["heading"] * 3


def test_wrapped_lines_of_a_page_with_hints_are_read_as_they_are() -> None:
    # a page the reader placed (a text layer) keeps its own lines
    hints: list[LineHint | None] = [
        LineHint(text=line, kind="text", top=0.1 + 0.05 * i, bottom=0.14 + 0.05 * i, size=0.04)
        for i, line in enumerate(WRAPPED)
    ]
    page = PageLines(lines=WRAPPED, hints=hints)
    assert classify_deck([page]) == classify_deck([page], rules=DEFAULT_RULES - {"wrapped_lines"})


def test_prose_paragraphs_are_not_joined() -> None:
    # lines without a bullet (a typed handout's paragraphs) are left as read
    lines = [
        "Conclusion: tensed verbs are always in second place and",
        "untensed verbs are at the end, with few cases of",
        "other orders in the data.",
    ]
    page = PageLines(lines=lines)
    assert classify_deck([page]) == classify_deck([page], rules=DEFAULT_RULES - {"wrapped_lines"})


def test_a_sub_bullet_read_as_another_glyph_beside_bullets_is_a_bullet() -> None:
    # "°" for one item among "©" items: read as a bullet too, the term-over-explanation chain holds
    page = PageLines(
        lines=[
            "Security risk assessment",
            "© Asset identification",
            "© Identify the key system assets that have to be protected by the system.",
            "° Asset value assessment",
            "© Estimate the value of the identified assets in money terms.",
            "© Exposure assessment",
            "© Assess the potential losses associated with each of the assets.",
        ]
    )
    roles = classify_deck([page])[0]
    assert [roles[i] for i in (1, 3, 5)] == ["heading"] * 3
    assert [roles[i] for i in (2, 4, 6)] == ["definition"] * 3


def test_a_running_footer_glued_to_the_end_of_a_line_is_cut_from_the_chunk() -> None:
    # OCR reads a slide's last line and the footer beside it as one line
    from workers.ocr.chunking import page_chunks

    footers = frozenset({"chapter # security engineering"})
    text = (
        "Security and safety\nAn attack may corrupt the data such attacks Chapter 13 Security Engineering 19"
    )
    chunks = page_chunks(text=text, source="ocr", roles=["title", "body"], footers=footers)
    joined = " ".join(c.text for c in chunks)
    assert "Security Engineering" not in joined and "such attacks" in joined
    # a footer line of its own is not emptied by the cut, and a line that only names the chapter stays
    kept = page_chunks(
        text="Read Chapter 13 Security Engineering", source="ocr", roles=["body"], footers=footers
    )
    assert kept[0].text == "Read Chapter 13 Security Engineering"


def test_a_running_header_split_by_ocr_is_cut_whole_off_a_line_start() -> None:
    # "TSKS14 Multiple Antenna" and "TSKS14 Multiple Antenna Communications" are both footers (OCR split the
    # header on some pages); glued to a slide's first words, the whole header goes
    from workers.ocr.chunking import page_chunks

    footers = frozenset({"tsks# multiple antenna", "tsks# multiple antenna communications"})
    text = "TSKS14 Multiple Antenna Communications Channel from\nantenna k to antenna m"
    chunks = page_chunks(text=text, source="ocr", roles=["title", "body"], footers=footers)
    assert chunks[0].text.startswith("Channel from")


def test_wrapped_bullets_with_position_only_hints_are_still_joined() -> None:
    # hints of position and size alone (what OCR boxes give) do not make a page a text layer
    hints: list[LineHint | None] = [
        LineHint(text=line, top=0.1 + 0.05 * i, bottom=0.14 + 0.05 * i, size=0.04)
        for i, line in enumerate(WRAPPED)
    ]
    roles = classify_deck([PageLines(lines=WRAPPED, hints=hints)])[0]
    assert [roles[i] for i in (1, 5, 8)] == ["heading"] * 3
