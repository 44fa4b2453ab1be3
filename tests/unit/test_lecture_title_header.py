"""A lecture named by its title slide when the slide's title is also the deck's running header.

The slides are made here as the PDF reader gives them (text lines with their size and place on the page), the
roles come from the worker's own role pass, and the name from the worker's own title choice.
"""

from __future__ import annotations

from workers.ocr.content import PageContent
from workers.ocr.line_cues import LineHint
from workers.ocr.pipeline import assign_roles
from workers.ocr.roles import content_text
from workers.ocr.titles import first_slide_title, lecture_title

HEADER = "EEN310 Digital Control Systems 2021-03-02 {n}"
TOPICS = [
    ("Sampling of continuous signals", "A sampler reads the signal every T seconds."),
    ("The z-transform", "The z-transform turns difference equations into algebra."),
    ("Zero-order hold", "The hold keeps each sample until the next one arrives."),
    ("Stability in the z-plane", "Poles inside the unit circle give a stable loop."),
    ("Discretising a PID controller", "Tustin's rule maps s to a function of z."),
]


def page(number: int, lines: list[tuple[str, float, float]]) -> PageContent:
    """A PDF page: (text, top, size) per line, sizes and places as fractions of the page's height."""
    return PageContent(
        number=number,
        width=960,
        height=540,
        text="\n".join(text for text, _, _ in lines),
        hints=[LineHint(text=text, top=top, bottom=top + size, size=size) for text, top, size in lines],
    )


def deck(title_slide: list[tuple[str, float, float]]) -> list[PageContent]:
    pages = [page(1, title_slide)]
    for n, (heading, body) in enumerate(TOPICS, start=2):
        pages.append(page(n, [(HEADER.format(n=n), 0.05, 0.024), (heading, 0.16, 0.046), (body, 0.3, 0.04)]))
    assign_roles(pages)
    return pages


def name(pages: list[PageContent], metadata: str = "") -> str | None:
    return lecture_title(first_slide=first_slide_title(pages), metadata=metadata, filename="een310-l07.pdf")


def test_a_title_slide_whose_title_is_the_running_header_names_the_lecture_by_it() -> None:
    pages = deck(
        [
            ("EEN310", 0.2, 0.043),
            ("Digital Control", 0.27, 0.086),
            ("Systems", 0.38, 0.066),
            ("Lecture 7, 2021", 0.53, 0.041),
            ("Maria Lindqvist", 0.67, 0.044),
        ]
    )
    # the role pass calls the slide's title course meta (it is the course's name in every header) ...
    assert "title" not in pages[0].roles
    assert "Digital Control" not in content_text(pages[0].text, pages[0].roles)
    # ... and the header of every other page a header, never indexed
    for later in pages[1:]:
        assert later.roles[0] == "footer"
        assert "Digital Control" not in content_text(later.text, later.roles)
    # the lecture is named by the slide's biggest text, its second line and its number; not the file
    assert name(pages) == "Digital Control Systems, Lecture 7"


def test_the_course_name_in_the_header_names_the_lecture_when_it_is_the_slide_s_biggest_text() -> None:
    pages = deck([("Digital Control Systems", 0.2, 0.07), ("Discrete-time controllers", 0.4, 0.05)])
    assert "title" not in pages[0].roles
    assert name(pages) == "Digital Control Systems"


def test_a_title_that_says_only_lecture_7_gets_the_course_name_from_the_header() -> None:
    pages = deck([("Digital Control Systems", 0.2, 0.05), ("Lecture 7", 0.3, 0.09)])
    assert pages[0].roles == ["meta", "title"]
    assert name(pages) == "Digital Control Systems, Lecture 7"


def test_a_first_slide_of_only_a_course_code_and_a_date_does_not_name_the_lecture() -> None:
    pages = deck([("EEN310", 0.3, 0.08), ("2021-03-02", 0.5, 0.04)])
    assert first_slide_title(pages) == ""
    assert name(pages) is None  # the file's name stays
    assert name(pages, metadata="Sampling and the z-transform") == "Sampling and the z-transform"


def test_an_author_or_a_lecture_number_alone_is_no_name() -> None:
    """Lines that are not in the running header (the lecturer, "Lecture 7") never name the lecture."""
    pages = deck([("Lecture 7", 0.3, 0.09), ("Maria Lindqvist", 0.5, 0.05), ("Spring 2021", 0.6, 0.04)])
    assert name(pages) is None
    assert name(pages, metadata="Sampling and the z-transform") == "Sampling and the z-transform"


def test_a_course_code_the_role_pass_took_for_the_title_is_no_name() -> None:
    pages = [
        page(1, [("EEN310", 0.2, 0.043), ("Digital Control", 0.27, 0.086), ("Systems", 0.38, 0.066)]),
        page(2, [(HEADER.format(n=2), 0.05, 0.024), ("Sampling", 0.16, 0.046), ("A sampler.", 0.3, 0.04)]),
    ]
    assign_roles(pages)  # two pages: nothing repeats, the first line is the slide's title
    assert name(pages) is None
