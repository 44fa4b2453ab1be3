"""Figure words by form (workers/ocr/role_figures.py): a chart's number-only tick labels are figure words even
where they look like a page number or a numeric row, a line boxed in a figure but set as tall as the title is
a heading (or the title's wrapped end), and a slide's short free text box beside a picture is a label. Each
test also shows the rule switched off gives the old role, and that lines of a near look keep theirs."""

from __future__ import annotations

from collections.abc import Sequence

from workers.ocr.line_cues import LineHint, PageLines
from workers.ocr.role_figures import tick_lines
from workers.ocr.role_rules import DEFAULT_RULES
from workers.ocr.roles import classify_deck

CONTENT = [
    "Deadlocks\nA process holds resources while it waits for others\nThe system can detect it",
    "Scheduling\nThe scheduler picks the next process to run\nRound robin gives each a time slice",
    "Memory\nPaging splits memory into frames\nThe page table maps pages to frames",
]


def plain(text: str) -> PageLines:
    return PageLines(lines=text.split("\n"))


def roles_of(deck: list[PageLines], page: int, rules: frozenset[str] = DEFAULT_RULES) -> dict[str, str]:
    roles = classify_deck(deck, rules=rules)[page]
    return dict(zip(deck[page].lines, roles, strict=True))


def without(rule: str) -> frozenset[str]:
    return DEFAULT_RULES - {rule}


def hinted(rows: Sequence[tuple[str, str, float | None, float | None]], *, figures: bool = True) -> PageLines:
    """A page from (text, layout kind, top, line height) rows."""
    return PageLines(
        lines=[r[0] for r in rows],
        hints=[
            LineHint(text=t, kind=k, top=top, bottom=None if top is None or h is None else top + h, size=h)
            for t, k, top, h in rows
        ],
        has_figures=figures,
    )


CHART = [
    ("Capacity comparison", "title", 0.16, 0.06),
    ("• The capacity grows with the number of antennas", "text", 0.28, 0.04),
    ("40", "figure", 0.30, 0.024),
    ("30", "figure", 0.45, 0.024),
    ("20", "figure", 0.60, 0.024),
    ("10", "figure", 0.75, 0.024),
    ("0", "figure", 0.88, 0.024),
    ("-10 0 10 20 30", "figure", 0.92, 0.024),
]


def test_a_charts_number_only_lines_are_tick_labels() -> None:
    deck = [*map(plain, CONTENT), hinted(CHART)]
    roles = roles_of(deck, 3)
    for line in ("40", "30", "20", "10", "0", "-10 0 10 20 30"):
        assert roles[line] == "figure_text", line
    assert roles["• The capacity grows with the number of antennas"] == "body"
    old = roles_of(deck, 3, DEFAULT_RULES - {"tick_labels", "page_number_fit"})
    assert old["0"] == "footer"  # the page-number rule: the bottom line that is only a number
    assert roles_of(deck, 3, without("tick_labels"))["0"] != "footer"  # page_number_fit alone: no page number
    assert old["-10 0 10 20 30"] == "table"  # the numeric-row rule


def test_a_lone_page_number_in_a_figure_box_is_no_axis() -> None:
    page = hinted(
        [
            ("Capacity comparison", "title", 0.16, 0.06),
            ("• The capacity grows with the number of antennas", "text", 0.28, 0.04),
            ("Useful subchannels", "figure", 0.57, 0.035),
            ("4", "figure", 0.95, 0.02),
        ]
    )
    assert tick_lines(page, range(len(page.lines))) == []
    assert roles_of([*map(plain, CONTENT), page], 3)["4"] == "footer"  # page 4's number
    # numbers outside a figure's box are not ticks either (a table's column, the layout's "table")
    table = hinted([(x, "table", 0.3 + 0.1 * n, 0.03) for n, x in enumerate(["1", "2", "3", "4"])])
    assert tick_lines(table, range(4)) == []


def test_a_figure_line_as_tall_as_the_title_is_a_heading_or_the_titles_end() -> None:
    page = hinted(
        [
            ("Interpretation of the stress plots", "title", 0.11, 0.055),
            ("Normal stress in x, sx", "figure", 0.22, 0.054),
            ("Tension", "figure", 0.55, 0.02),
            ("Compression", "figure", 0.70, 0.02),
        ]
    )
    deck = [*map(plain, CONTENT), page]
    roles = roles_of(deck, 3)
    assert roles["Normal stress in x, sx"] == "heading"
    assert roles["Tension"] == roles["Compression"] == "figure_text"  # small labels stay labels
    assert roles_of(deck, 3, without("figure_size"))["Normal stress in x, sx"] == "figure_text"

    wrapped = hinted(
        [
            ("Layout of the stirrups if the beam were made of", "figure", 0.09, 0.055),
            ("reinforced concrete", "figure", 0.15, 0.043),
            ("stirrup", "figure", 0.60, 0.02),
        ]
    )
    deck = [*map(plain, CONTENT), wrapped]
    roles = roles_of(deck, 3)
    assert roles["Layout of the stirrups if the beam were made of"] == "title"
    assert roles["reinforced concrete"] == "title"
    assert roles["stirrup"] == "figure_text"
    assert roles_of(deck, 3, without("figure_size"))["reinforced concrete"] == "figure_text"


def test_a_tall_figure_line_far_below_the_title_stays_a_label() -> None:
    page = hinted(
        [
            ("Interpretation of the stress plots", "title", 0.11, 0.055),
            ("• The plots show the stress along the beam", "text", 0.22, 0.04),
            ("Maximum shear", "figure", 0.70, 0.05),
        ]
    )
    assert roles_of([*map(plain, CONTENT), page], 3)["Maximum shear"] == "figure_text"


SLIDE = [
    ("Training", "title", None, None),
    ("“Backpropagation through time”", "", 0.71, 0.07),
    ("(it is just backpropagation)", "", 0.78, 0.07),
    ("Multiplying many activation functions will make the gradient vanish", "", 0.2, 0.07),
]


def test_a_free_text_box_on_a_slide_with_a_picture_is_a_label() -> None:
    deck = [*map(plain, CONTENT), hinted(SLIDE)]
    roles = roles_of(deck, 3)
    assert roles["“Backpropagation through time”"] == "figure_text"
    assert roles["(it is just backpropagation)"] == "figure_text"
    # a sentence in a free box is the slide's prose (more than FREE_LABEL_WORDS words)
    assert roles["Multiplying many activation functions will make the gradient vanish"] == "body"
    old = roles_of(deck, 3, without("free_box_labels"))
    assert old["“Backpropagation through time”"] == "body"


def test_free_box_labels_need_a_picture_and_a_slides_placeholders() -> None:
    no_picture = hinted(SLIDE, figures=False)
    assert roles_of([*map(plain, CONTENT), no_picture], 3)["“Backpropagation through time”"] == "body"
    # a PDF page: every line has its position, so an unclassed short line is no free text box
    pdf = hinted([("Training", "title", 0.1, 0.06), *SLIDE[1:]])
    assert roles_of([*map(plain, CONTENT), pdf], 3)["(it is just backpropagation)"] == "body"
    # a lead-in in a free box introduces the slide's list
    lead = hinted(
        [*SLIDE[:1], ("Definition:", "", 0.3, 0.07), ("A graph is a set of vertices", "", 0.4, 0.07)]
    )
    assert roles_of([*map(plain, CONTENT), lead], 3)["Definition:"] != "figure_text"


def test_bullets_in_a_free_text_box_are_no_labels() -> None:
    # second review: a slide's four bullets set in a free text box beside a picture stay its text
    bullets = ["No moving parts", "Lower access latency", "Uses less power", "Silent operation"]
    slide = hinted(
        [("Advantages of SSDs", "title", None, None)]
        + [(b, "", 0.3 + 0.1 * n, 0.07) for n, b in enumerate(bullets)]
    )
    roles = roles_of([*map(plain, CONTENT), slide], 3)
    assert [roles[b] for b in bullets] == ["body"] * 4


def test_number_rows_on_a_page_without_a_kept_figure_are_no_ticks() -> None:
    # the reader dropped the whole-page "figure": its box's number rows are the page's table or text
    rows = ["2019 61 40", "2020 65 44", "2021 70 52", "2022 72 58"]
    page = hinted(
        [("Exam results by year", "title", 0.1, 0.06)]
        + [(r, "figure", 0.3 + 0.1 * n, 0.03) for n, r in enumerate(rows)],
        figures=False,
    )
    roles = roles_of([*map(plain, CONTENT), page], 3)
    assert not [r for r in rows if roles[r] == "figure_text"]
