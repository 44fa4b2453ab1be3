"""Content is never dropped as boilerplate on weak evidence (issue 12, "bad input loses nothing else"): a
dropped role (footer, meta, credit, URL) needs strong evidence, and words glued to a footer stay. Each test
makes its own slides and fails without its fix."""

from __future__ import annotations

from workers.ocr.chunking import deck_footers, figure_line_cut, footer_remainder, page_chunks
from workers.ocr.line_cues import DROPPED, LineHint, PageLines, is_credit
from workers.ocr.role_rules import DEFAULT_RULES
from workers.ocr.roles import classify_deck

CONTENT = [
    "Deadlocks\nA process holds resources while it waits for others\nThe system can detect it",
    "Scheduling\nThe scheduler picks the next process to run\nRound robin gives each a time slice",
    "Memory\nPaging splits memory into frames\nThe page table maps pages to frames",
    "Files\nA file system names and stores data\nDirectories group files together",
]


def deck_roles(pages: list[PageLines], rules: frozenset[str] = DEFAULT_RULES) -> list[dict[str, str]]:
    roles = classify_deck(pages, rules=rules)
    return [dict(zip(p.lines, r, strict=True)) for p, r in zip(pages, roles, strict=True)]


def plain(*texts: str) -> list[PageLines]:
    return [PageLines(lines=t.split("\n")) for t in texts]


ANALOGY = (
    "An Analogy: Course Grading\n"
    "Problem set only grading is working with already observed data\n"
    "Upside: Students get time to work through problem sets and do their best\n"
    "Adding a final exam adds a new test challenge to the end\n"
    "Think of this as in-sample evaluation"
)
ANNOUNCEMENTS = (
    "Coursework\n"
    "PS7 must be submitted on Gradescope\n"
    "The final exam covers every lecture\n"
    "Bring one sheet of notes to the midterm"
)


def test_a_logistics_word_in_a_content_sentence_stays_content_without_a_sure_cue() -> None:
    pages = plain(*CONTENT, ANALOGY, ANNOUNCEMENTS)
    roles = deck_roles(pages)
    analogy = roles[4]
    for line in ANALOGY.split("\n")[1:]:
        assert analogy[line] not in DROPPED, line
    # a page with an unambiguous cue (Gradescope, "PS7") is logistics, its weaker cues with it
    notice = roles[5]
    assert notice["PS7 must be submitted on Gradescope"] == "meta"
    assert notice["The final exam covers every lecture"] == "meta"
    assert notice["Bring one sheet of notes to the midterm"] == "meta"
    # the old rule: every line with the word was meta
    old = deck_roles(pages, DEFAULT_RULES - {"logistics_evidence"})[4]
    assert old["Problem set only grading is working with already observed data"] == "meta"


def test_a_logistics_word_addressed_to_the_class_or_alone_is_still_meta() -> None:
    lines = ["Parallel cross validation", "In the final Problem Set, you'll implement parallelized LOO-CV"]
    page = "\n".join([*lines, "Final exam"])
    roles = deck_roles(plain(*CONTENT, page))[4]
    assert roles["In the final Problem Set, you'll implement parallelized LOO-CV"] == "meta"
    assert roles["Final exam"] == "meta"
    assert roles["Parallel cross validation"] == "title"


def test_a_page_whose_only_or_biggest_line_the_layout_calls_a_header_keeps_it() -> None:
    title = "An Analogy: Course Grading"
    hint = LineHint(text=title, kind="header", top=0.08, bottom=0.15, size=0.06)
    pages = [*plain(*CONTENT), PageLines(lines=[title], hints=[hint])]
    assert classify_deck(pages)[4] == ["heading"]
    # nor the biggest line of a page: its title over a figure's label and a date
    big = LineHint(text="4.9.1. Stress plots", kind="header", top=0.11, bottom=0.17, size=0.055)
    label = LineHint(text="Normal stress in x", kind="figure", top=0.22, bottom=0.28, size=0.054)
    date = LineHint(text="10/25/2022 13", kind="figure", top=0.94, bottom=0.96, size=0.022)
    page = PageLines(
        lines=["4.9.1. Stress plots", "Normal stress in x", "10/25/2022 13"], hints=[big, label, date]
    )
    assert classify_deck([*plain(*CONTENT), page])[4][0] not in DROPPED
    # a header line over the page's text is still a footer when it is small
    small = LineHint(text="Chapter 13 notes", kind="header", top=0.02, bottom=0.04, size=0.02)
    body = LineHint(text="x", kind="text", top=0.3, bottom=0.34, size=0.03)
    page = PageLines(
        lines=["Chapter 13 notes", "Keys identify rows", "Rows hold values"], hints=[small, body, body]
    )
    assert classify_deck([*plain(*CONTENT), page])[4][0] == "footer"


def test_table_or_figure_with_a_colon_is_no_credit_without_a_source_word() -> None:
    assert not is_credit("table: did INTEGER,")
    assert not is_credit("Figure: the stress plot of a beam")
    assert is_credit("Image: Wikimedia Commons")
    assert is_credit("Figure source: Hibbeler, Structural Analysis")
    assert is_credit("Data from: World Bank")
    text = "SQL tables\nCREATE TABLE Dept (\ntable: did INTEGER,\nbudget REAL)"
    roles = classify_deck(plain(*CONTENT, text))[4]
    assert roles[2] != "credit"
    assert figure_line_cut("table:", set(), set(), frozenset()) == ""


FOOTER = "Database Management Systems, R. Ramakrishnan and J. Gehrke"


def test_words_glued_after_a_running_footer_stay_in_the_chunks() -> None:
    texts = [f"{p}\n{FOOTER} {n}" for n, p in enumerate(CONTENT, start=2)]
    texts.append(f"Binary vs. Ternary\nEach policy is owned by one employee\n{FOOTER} policyid cost 7")
    # the layout model boxed the last line as the page's footer
    hints = [
        None,
        None,
        LineHint(text=texts[4].split("\n")[2], kind="footer", top=0.93, bottom=0.96, size=0.02),
    ]
    pages = [*plain(*texts[:4]), PageLines(lines=texts[4].split("\n"), hints=hints)]
    roles = classify_deck(pages)
    assert roles[4][2] == "footer"
    footers = deck_footers((t, r) for t, r in zip(texts, roles, strict=True))
    joined = "\n".join(
        d.text for d in page_chunks(text=texts[4], source="ocr", roles=roles[4], footers=footers)
    )
    assert "policyid cost" in joined
    assert "Gehrke" not in joined and "\n7" not in joined
    # a footer with only its page number, or a term after a shorter footer, leaves nothing
    assert footer_remainder(f"{FOOTER} 12", footers) == ""
    assert footer_remainder(f"{FOOTER} Spring '25 12", footers) == ""
    assert footer_remainder(f"{FOOTER} policyid cost 32", footers) == "policyid cost"
