"""Line roles read by a line's form (workers/ocr/role_rules.py): outline pages named anywhere in a short
title, questions by their form, course meta by its label, lines repeated on most pages wherever they sit,
figure words only where the page kept a figure, headings by size or class. Slides are given as lines, with
the reader's hints where a rule needs them; each test also shows the rule switched off gives the old role."""

from __future__ import annotations

from workers.ocr.chunking import page_chunks
from workers.ocr.line_cues import LineHint, PageLines
from workers.ocr.role_rules import DEFAULT_RULES
from workers.ocr.roles import classify_deck

CONTENT = [
    "Deadlocks\nA process holds resources while it waits for others\nThe system can detect it",
    "Scheduling\nThe scheduler picks the next process to run\nRound robin gives each a time slice",
    "Memory\nPaging splits memory into frames\nThe page table maps pages to frames",
    "Files\nA file system names and stores data\nDirectories group files together",
]


def roles_of(pages: list[str], page: int, rules: frozenset[str] = DEFAULT_RULES) -> dict[str, str]:
    roles = classify_deck([PageLines(lines=p.split("\n")) for p in pages], rules=rules)[page]
    return dict(zip(pages[page].split("\n"), roles, strict=True))


def without(rule: str) -> frozenset[str]:
    return DEFAULT_RULES - {rule}


def test_an_outline_named_anywhere_in_a_short_title_makes_an_agenda_page() -> None:
    outline = "Chapter Outline\nRequirements elicitation\nProcess models\nData flow diagrams"
    roles = roles_of([CONTENT[0], outline, *CONTENT[1:]], 1)
    assert set(roles.values()) == {"agenda"}
    assert (
        roles_of([CONTENT[0], outline, *CONTENT[1:]], 1, without("agenda_title"))["Process models"] == "body"
    )
    # a title that only mentions the word in a sentence is no outline
    prose = "Why does the outline of a proof matter for this theorem\nIt guides the reader"
    assert roles_of([CONTENT[0], prose, *CONTENT[1:]], 1)["It guides the reader"] == "body"


def test_questions_by_their_form() -> None:
    page = (
        "Scheduling\nQ.1 Select the word closest in meaning to rapid\n"
        "प्रश्न 2 निम्नलिखित में से कौन सा सही है\n2. Which scheduler never starves a process?\n"
        "3. The scheduler picks the next process"
    )
    roles = roles_of([*CONTENT[:2], page, *CONTENT[2:]], 2)
    assert roles["Q.1 Select the word closest in meaning to rapid"] == "question"
    assert roles["प्रश्न 2 निम्नलिखित में से कौन सा सही है"] == "question"
    assert roles["2. Which scheduler never starves a process?"] == "question"
    assert roles["3. The scheduler picks the next process"] == "body"
    old = roles_of([*CONTENT[:2], page, *CONTENT[2:]], 2, without("question_form"))
    assert old["Q.1 Select the word closest in meaning to rapid"] != "question"


def test_course_meta_by_its_label_on_any_page() -> None:
    page = (
        "Databases\nInstructor: Prof. Jane Smith\nFall 2019\n15-445/645\nThe course covers query optimization"
    )
    roles = roles_of([*CONTENT[:2], page, *CONTENT[2:]], 2)
    assert roles["Instructor: Prof. Jane Smith"] == "meta"
    assert roles["Fall 2019"] == "meta"
    assert roles["15-445/645"] == "meta"
    assert roles["The course covers query optimization"] == "body"
    old = roles_of([*CONTENT[:2], page, *CONTENT[2:]], 2, without("meta_label"))
    assert old["Instructor: Prof. Jane Smith"] != "meta" and old["Fall 2019"] != "meta"
    # a standard's name with its year is no course code
    assert roles_of([CONTENT[0], "Standards\n- SQL-86\n- SQL-92", *CONTENT[1:]], 1)["- SQL-86"] != "meta"


PLANETS = ["Mercury", "Venus", "Earth", "Mars", "Jupiter", "Saturn", "Uranus", "Neptune", "Pluto", "Moon"]
SHEET = [
    "Response sheet\nCombined graduate level examination",
    *(
        f"Q.{n} Which of these is a planet\nQuestion ID : 26309{n}\nChosen Option : {n % 4 + 1}\n"
        f"Status : Answered\nAns 1. {PLANETS[n]}\nAns 2. {PLANETS[n + 1]}\nAns 3. {PLANETS[n + 2]}\n"
        f"Ans 4. {PLANETS[n + 3]}"
        for n in range(1, 7)
    ),
]


def test_lines_repeated_on_most_pages_are_boilerplate_wherever_they_sit() -> None:
    for n in range(1, len(SHEET)):
        roles = roles_of(SHEET, n)
        assert roles["Status : Answered"] == "meta"
        for line in (f"Chosen Option : {n % 4 + 1}", f"Question ID : 26309{n}"):
            assert roles[line] in ("meta", "footer")  # near the top, the running-header rule takes them
        for k in range(4):
            assert roles[f"Ans {k + 1}. {PLANETS[n + k]}"] not in ("meta", "footer")
    old = roles_of(SHEET, 2, without("repeated_anywhere") - {"fuzzy_repeats"})  # fuzzy_repeats finds it too
    assert old["Status : Answered"] not in ("meta", "footer")
    # and they stay out of the chunks
    roles = classify_deck([PageLines(lines=p.split("\n")) for p in SHEET])[3]
    text = "\n".join(c.text for c in page_chunks(text=SHEET[3], source="text_layer", roles=roles))
    assert "Question ID" not in text and "Status" not in text and PLANETS[4] in text


def figure_page(has_figures: bool) -> PageLines:
    lines = ["Pipeline", "Reader", "Layout", "Chunks"]
    hints: list[LineHint | None] = [LineHint("Pipeline", "title", 0.05, 0.12, 0.07)]
    hints += [LineHint(t, "figure", 0.3 + 0.1 * k, 0.35 + 0.1 * k, 0.04) for k, t in enumerate(lines[1:])]
    return PageLines(lines=lines, hints=hints, has_figures=has_figures)


def test_figure_words_only_where_the_page_kept_a_figure() -> None:
    plain = [PageLines(lines=p.split("\n")) for p in CONTENT]
    kept = classify_deck([plain[0], figure_page(True), *plain[1:]])[1]
    assert kept[1:] == ["figure_text"] * 3
    # the reader drops a "figure" that is the whole page: its lines are the slide's own text
    whole = classify_deck([plain[0], figure_page(False), *plain[1:]])[1]
    assert "figure_text" not in whole
    old = classify_deck([plain[0], figure_page(False), *plain[1:]], rules=without("figure_box"))[1]
    assert old[1:] == ["figure_text"] * 3


def test_a_big_or_title_class_line_below_the_title_is_a_heading() -> None:
    lines = [
        "Scheduling",
        "The scheduler picks the next process to run",
        "Round robin",
        "Each process gets a time slice in turn",
        "Why it matters",
        "Fairness and response time",
    ]
    hints: list[LineHint | None] = [
        LineHint(lines[0], "title", 0.05, 0.13, 0.08),
        LineHint(lines[1], "text", 0.2, 0.24, 0.04),
        LineHint(lines[2], "text", 0.3, 0.36, 0.06),
        LineHint(lines[3], "text", 0.4, 0.44, 0.04),
        LineHint(lines[4], "title", 0.55, 0.6, 0.05),
        LineHint(lines[5], "text", 0.65, 0.69, 0.04),
    ]
    plain = [PageLines(lines=p.split("\n")) for p in CONTENT]
    page = PageLines(lines=lines, hints=hints)
    roles = classify_deck([plain[0], page, *plain[1:]])[1]
    assert roles[0] == "title"
    assert roles[2] == "heading" and roles[4] == "heading"
    assert roles[1] == roles[3] == roles[5] == "body"
    old = classify_deck([plain[0], page, *plain[1:]], rules=without("heading_size"))[1]
    assert old[2] == "body" and old[4] == "body"


def test_names_and_institution_on_a_long_first_page_are_meta() -> None:
    cover = "\n".join(
        [
            "Language acquisition: a handout",
            "Ken Wexler",
            "Department of Linguistics and Philosophy",
            *[f"Children learn verb placement early, finding {n} in the data" for n in range(14)],
        ]
    )
    roles = roles_of([cover, *CONTENT], 0)
    assert roles["Ken Wexler"] == "meta"
    assert roles["Department of Linguistics and Philosophy"] == "meta"
    assert roles["Children learn verb placement early, finding 3 in the data"] == "body"
    old = roles_of([cover, *CONTENT], 0, without("edge_page_meta") - {"meta_shapes"})
    assert old["Ken Wexler"] != "meta" and old["Department of Linguistics and Philosophy"] != "meta"
    # the same lines in the middle of a deck are left alone
    middle = roles_of([*CONTENT[:2], cover, *CONTENT[2:]], 2)
    assert middle["Department of Linguistics and Philosophy"] != "meta"


def test_a_question_wrapped_onto_the_next_line_is_a_question_from_its_start() -> None:
    page = (
        "Relations\nDo all columns in a relation instance have to\nbe distinct?\nA relation is a set of rows"
    )
    roles = roles_of([*CONTENT[:2], page, *CONTENT[2:]], 2)
    assert roles["Do all columns in a relation instance have to"] == "question"
    assert roles["be distinct?"] == "question"
    assert roles["A relation is a set of rows"] != "question"
    old = roles_of([*CONTENT[:2], page, *CONTENT[2:]], 2, without("question_form"))
    assert old["Do all columns in a relation instance have to"] != "question"


def test_a_line_that_is_one_author_year_reference_is_a_credit() -> None:
    page = (
        "Shear and moment\n[Hibbeler R.C.(2012) Structural Analysis]\n(Poeppel & Wexler, 1993)\n"
        "h. children place the verb second\nIn 2012 the code changed\nWindows 2000"
    )
    roles = roles_of([*CONTENT[:2], page, *CONTENT[2:]], 2)
    assert roles["[Hibbeler R.C.(2012) Structural Analysis]"] == "credit"
    assert roles["(Poeppel & Wexler, 1993)"] == "credit"
    # a closed reference is not continued by the next line; years in prose are no reference
    for line in ("h. children place the verb second", "In 2012 the code changed", "Windows 2000"):
        assert roles[line] not in ("credit", "meta", "footer", "url"), line
    old = roles_of([*CONTENT[:2], page, *CONTENT[2:]], 2, without("citation_form"))
    assert old["[Hibbeler R.C.(2012) Structural Analysis]"] != "credit"
    assert old["(Poeppel & Wexler, 1993)"] != "credit"


def test_numbered_content_repeated_on_every_page_stays_content() -> None:
    pages = [
        "Cells\nBiology 101",
        *(f"Topic {i}\nThe cell divides\nPoint {i} about cells\nIt grows in stage {i}" for i in range(1, 6)),
    ]
    for n in range(1, len(pages)):
        assert roles_of(pages, n)[f"Point {n} about cells"] not in ("meta", "footer")


def test_glossary_entries_and_measurements_are_never_course_meta() -> None:
    # "Term" and "Session" open definitions as often as they label a course; a season with a number may be a
    # length. Dropping these as meta would take content out of search and study material.
    glossary = (
        "Information retrieval\nTerm frequency\nTerm: a word or phrase indexed for search\n"
        "Session: a sequence of requests from one user\nTerm: Fall 2019"
    )
    roles = roles_of([*CONTENT[:2], glossary, *CONTENT[2:]], 2)
    assert roles["Term frequency"] != "meta"
    assert roles["Term: a word or phrase indexed for search"] != "meta"
    assert roles["Session: a sequence of requests from one user"] != "meta"
    assert roles["Term: Fall 2019"] == "meta"
    springs = "\n".join(
        [
            "Simple Harmonic Motion",
            "A spring 20 cm long stretches under load",
            "Its period depends on its mass",
            "The restoring force grows with the stretch",
        ]
    )
    second = roles_of([CONTENT[0], springs, *CONTENT[1:]], 1)  # an edge page: the first two and the last
    assert second["A spring 20 cm long stretches under load"] == "body"
    assert second["Simple Harmonic Motion"] != "meta"


def test_hostile_lines_take_bounded_time() -> None:
    import time

    from workers.ocr.line_cues import strip_end_numbers

    # a long run of capitals beside an institution once backtracked for seconds in the names rule
    lines = ["Genomics", "A" * 120 + "!", "ACGT" * 30 + " is the sequence", "University of Somewhere"]
    cover = "\n".join(lines)
    digits = "7" * 100_000 + " page " + "3" * 100_000
    start = time.perf_counter()
    roles_of([*CONTENT, cover], len(CONTENT))
    assert strip_end_numbers(digits) == "page"
    assert strip_end_numbers("10/25/2022 Y. Cheng, UVA Spring term 7") == "Y. Cheng, UVA Spring term"
    assert strip_end_numbers("Point 1 about cells") == "Point 1 about cells"
    assert time.perf_counter() - start < 1.0
    # names are still found beside the institution
    staff = "\n".join(["Genomics", "Prof. Jane Q. Doe", "University of Somewhere", "J.R. Smith"])
    roles = roles_of([*CONTENT, staff], len(CONTENT))
    assert roles["Prof. Jane Q. Doe"] == "meta" and roles["University of Somewhere"] == "meta"
