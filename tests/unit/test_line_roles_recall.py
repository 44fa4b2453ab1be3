"""Questions, outlines and course meta by forms any deck may use (workers/ocr/role_recall.py): multiple-choice
items, prompts by their label, announced outlines, closing lines and names with affiliations. Each test also
shows the rule switched off gives the old role, and that content of a similar look stays content."""

from __future__ import annotations

from workers.ocr.line_cues import PageLines
from workers.ocr.role_recall import affiliation_line, is_closing
from workers.ocr.role_rules import DEFAULT_RULES
from workers.ocr.roles import classify_deck

CONTENT = [
    "Deadlocks\nA process holds resources while it waits for others\nThe system can detect it",
    "Scheduling\nThe scheduler picks the next process to run\nRound robin gives each a time slice",
    "Memory\nPaging splits memory into frames\nThe page table maps pages to frames",
    "Files\nA file system names and stores data\nDirectories group files together",
]


def deck_roles(pages: list[str], rules: frozenset[str] = DEFAULT_RULES) -> list[dict[str, str]]:
    roles = classify_deck([PageLines(lines=p.split("\n")) for p in pages], rules=rules)
    return [dict(zip(p.split("\n"), r, strict=True)) for p, r in zip(pages, roles, strict=True)]


def without(rule: str) -> frozenset[str]:
    return DEFAULT_RULES - {rule}


EXAM = "\n".join(
    [
        "Practice paper",
        "Q.1 Which of the following numbers is a prime",
        "(a) 21",
        "(b) 27",
        "(c) 29",
        "(d) 33",
        "Q.2 The capital of India is",
        "Ans 1. Delhi",
        "2. Mumbai",
        "3. Kolkata",
        "4. Chennai",
        "निम्नलिखित में से कौन सा एक अभाज्य संख्या है",
        "1. 21",
        "2. 29",
    ]
)


def test_multiple_choice_options_are_the_question() -> None:
    roles = deck_roles([*CONTENT[:2], EXAM, *CONTENT[2:]])[2]
    for line in ("(a) 21", "(d) 33", "Ans 1. Delhi", "4. Chennai", "Q.2 The capital of India is", "2. 29"):
        assert roles[line] == "question", line
    assert roles["निम्नलिखित में से कौन सा एक अभाज्य संख्या है"] == "question"
    old = deck_roles([*CONTENT[:2], EXAM, *CONTENT[2:]], without("exam_options"))[2]
    for line in ("(a) 21", "(d) 33", "Ans 1. Delhi", "4. Chennai", "2. 29"):
        assert old[line] != "question", line


def test_a_question_over_numbered_answers_keeps_its_answers() -> None:
    # a slide's own question with its answers listed under it: no exam words, no answer label
    page = "\n".join(
        [
            "Why recurrent networks",
            "Why not a feed-forward network?",
            "1. Word order matters",
            "2. Inputs vary in length",
        ]
    )
    roles = deck_roles([*CONTENT[:2], page, *CONTENT[2:]])[2]
    assert roles["1. Word order matters"] == "body"
    assert roles["2. Inputs vary in length"] == "body"


def test_prompt_labels_are_questions() -> None:
    page = (
        "Join orders\nYour turn: sketch the plan tree for the query above\nThe optimizer compares the costs"
    )
    roles = deck_roles([*CONTENT[:2], page, *CONTENT[2:]])[2]
    assert roles["Your turn: sketch the plan tree for the query above"] == "question"
    assert roles["The optimizer compares the costs"] == "body"
    old = deck_roles([*CONTENT[:2], page, *CONTENT[2:]], without("prompt_labels"))[2]
    assert (
        old["Your turn: sketch the plan tree for the query above"] != "question"
    )  # a "Label: ..." definition


def test_announced_outline_is_agenda() -> None:
    page = "\n".join(
        [
            "Cross-validation",
            "In this lecture we will:",
            "Split the data into folds",
            "Estimate the test error",
            "Choose a tuning parameter",
        ]
    )
    other = (
        "Model choice\nToday we will look at the bias of the training error\nThe error falls with complexity"
    )
    pages = [*CONTENT[:2], page, other, *CONTENT[2:]]
    roles = deck_roles(pages)
    for line in ("In this lecture we will:", "Split the data into folds", "Choose a tuning parameter"):
        assert roles[2][line] == "agenda", line
    assert roles[3]["Today we will look at the bias of the training error"] == "agenda"
    assert roles[3]["The error falls with complexity"] == "body"
    old = deck_roles(pages, without("agenda_lead"))
    assert old[2]["Split the data into folds"] != "agenda"
    assert old[3]["Today we will look at the bias of the training error"] == "body"


def test_a_long_sentence_about_the_chapter_stays_content() -> None:
    line = (
        "In this chapter, we will discuss one direction for explicitly modeling word order in long texts: "
        "recurrent neural networks"
    )
    page = f"Word order\n{line}\nThe order of words changes the meaning"
    roles = deck_roles([*CONTENT[:2], page, *CONTENT[2:]])[2]
    assert roles[line] == "body"


def test_aims_page_is_an_outline() -> None:
    page = "Aims\nDescribe the SIR model\nFit it to outbreak data\nUnderstand the basic reproduction number"
    roles = deck_roles([*CONTENT[:1], page, *CONTENT[1:]])[1]
    assert roles["Fit it to outbreak data"] == "agenda"
    assert deck_roles([*CONTENT[:1], page, *CONTENT[1:]], without("agenda_lead"))[1][
        "Fit it to outbreak data"
    ] != ("agenda")


def test_closing_lines_are_meta() -> None:
    last = "Summary\nDeadlocks need four conditions\nQuestions?"
    roles = deck_roles([*CONTENT, last])[-1]
    assert roles["Questions?"] == "meta"
    assert roles["Deadlocks need four conditions"] == "body"
    assert deck_roles([*CONTENT, last], without("closing_meta"))[-1]["Questions?"] == "question"
    # mid-deck, a question to the class stays a question
    middle = "Deadlocks\nWhat happens if two processes wait on each other?\nQuestions?"
    assert deck_roles([CONTENT[0], middle, *CONTENT[1:], CONTENT[0]])[1]["Questions?"] == "question"
    assert is_closing("Thank you for your attention!") and not is_closing(
        "Thank you notes in email etiquette"
    )


LONG_COVER = "\n".join(
    [
        "Why model infectious diseases",
        "Jane Okonkwo, LSHTM",
        "Lecture 3 - 14 October 2020",
        *[f"An outbreak grows while each case infects more than one other, case {n}" for n in range(14)],
    ]
)


def test_names_with_affiliations_on_the_cover_are_meta() -> None:
    roles = deck_roles([LONG_COVER, *CONTENT])[0]
    assert roles["Jane Okonkwo, LSHTM"] == "meta"
    assert roles["Lecture 3 - 14 October 2020"] == "meta"
    assert roles["An outbreak grows while each case infects more than one other, case 3"] == "body"
    old = deck_roles([LONG_COVER, *CONTENT], without("affiliation_meta"))[0]
    assert old["Jane Okonkwo, LSHTM"] != "meta"
    assert old["Lecture 3 - 14 October 2020"] != "meta"
    assert affiliation_line("J. Smith (jsmith@uni.edu)")
    assert not affiliation_line("Security Engineering, Chapter 13")


def test_labels_over_the_questions_they_pose_are_headings() -> None:
    page = "\n".join(
        [
            "Design for security",
            "Architectural design",
            "how do architectural design decisions affect the security of a system?",
            "Good practice",
            "what is accepted good practice when designing secure systems?",
        ]
    )
    roles = deck_roles([*CONTENT[:2], page, *CONTENT[2:]])[2]
    assert roles["Architectural design"] == "heading"
    assert roles["Good practice"] == "heading"
    old = deck_roles([*CONTENT[:2], page, *CONTENT[2:]], without("heading_questions"))[2]
    assert old["Architectural design"] != "heading"
    # one label over one question is not a chain
    single = (
        "Design for security\nArchitectural design\nhow do design decisions affect the security of a system?"
    )
    assert deck_roles([*CONTENT[:2], single, *CONTENT[2:]])[2]["Architectural design"] != "heading"


def test_course_tools_are_logistics() -> None:
    page = "Deadlocks\nPost your questions on Piazza before Friday\nA process holds resources while it waits"
    roles = deck_roles([*CONTENT[:2], page, *CONTENT[2:]])[2]
    assert roles["Post your questions on Piazza before Friday"] == "meta"
    assert roles["A process holds resources while it waits"] == "body"
    old = deck_roles([*CONTENT[:2], page, *CONTENT[2:]], without("logistics_tools"))[2]
    assert old["Post your questions on Piazza before Friday"] != "meta"


def test_section_divider_lines_are_headings() -> None:
    divider = "Part II\nCost estimation"
    pages = [*CONTENT[:2], divider, *CONTENT[2:]]
    roles = deck_roles(pages)[2]
    assert roles == {"Part II": "heading", "Cost estimation": "heading"}
    assert deck_roles(pages, without("divider_pages"))[2]["Part II"] != "heading"
    # a title over a link's words, no section mark: no divider
    linked = "Implementing cross validation\nData and code available here"
    assert deck_roles([*CONTENT[:2], linked, *CONTENT[2:]])[2]["Implementing cross validation"] != "heading"
    # "Topic modeling" is no section mark
    topic = "Topic modeling\nWords cluster into topics"
    assert deck_roles([*CONTENT[:2], topic, *CONTENT[2:]])[2]["Topic modeling"] != "heading"


def test_grading_breakdown_exam_dates_and_course_labels_are_logistics() -> None:
    page = "\n".join(
        [
            "How the course runs",
            "Problem sets 40%",
            "Midterm: Thursday, October 12",
            "Prerequisites: linear algebra and probability",
            "Some courses have final exams and problem sets",
        ]
    )
    roles = deck_roles([*CONTENT[:2], page, *CONTENT[2:]])[2]
    for line in (
        "Problem sets 40%",
        "Midterm: Thursday, October 12",
        "Prerequisites: linear algebra and probability",
    ):
        assert roles[line] == "meta", line
    assert (
        roles["Some courses have final exams and problem sets"] != "meta"
    )  # an analogy's words stay content
    old = deck_roles([*CONTENT[:2], page, *CONTENT[2:]], without("logistics_tools"))[2]
    assert old["Problem sets 40%"] != "meta"


def test_course_overview_page_is_an_outline() -> None:
    page = "Course overview\nRelational model\nQuery processing\nTransactions"
    pages = [*CONTENT[:2], page, *CONTENT[2:]]
    assert deck_roles(pages)[2]["Query processing"] == "agenda"
    assert deck_roles(pages, without("agenda_lead"))[2]["Query processing"] != "agenda"


def test_a_wrapped_announcement_stays_content() -> None:
    # OCR wraps a long sentence: its first line reads like an announcement, the next continues it
    page = "\n".join(
        [
            "Word order",
            "In this chapter, we will discuss one",
            "direction for modeling word order: recurrent networks",
        ]
    )
    roles = deck_roles([*CONTENT[:2], page, *CONTENT[2:]])[2]
    assert roles["In this chapter, we will discuss one"] != "agenda"


def test_content_that_looks_like_a_prompt_or_a_grade_stays_content() -> None:
    page = "\n".join(
        [
            "Graph learning",
            "Challenge: scaling to large graphs",
            "Activity: spikes per second in the cortex",
            "Projects 30% over budget in the survey",
            "निम्नलिखित बिंदु याद रखें",
            "1. कोशिका जीवन की इकाई है",
            "2. ऊतक कोशिकाओं का समूह है",
        ]
    )
    roles = deck_roles([*CONTENT[:2], page, *CONTENT[2:]])[2]
    for line in page.split("\n")[1:4]:
        assert roles[line] not in ("question", "meta"), line
    assert roles["1. कोशिका जीवन की इकाई है"] != "question"
