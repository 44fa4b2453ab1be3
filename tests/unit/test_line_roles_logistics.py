"""Exam logistics pages and notices (workers/ocr/line_cues.LOGISTICS_TITLE, role_rules.logistics_block).
Pages the tests make."""

from __future__ import annotations

from workers.ocr.line_cues import DROPPED, PageLines
from workers.ocr.role_rules import DEFAULT_RULES
from workers.ocr.roles import classify_deck

CONTENT = [
    ["Cross validation", "", "Split the data into k folds of equal size.", "Fit on k-1 folds."],
    ["Bias and variance", "", "More folds give less bias and more variance.", "Ten folds is common."],
    ["Nested validation", "", "Tune on inner folds, report the outer folds.", "The outer score is held out."],
]


def _deck(page: list[str]) -> list[PageLines]:
    return [PageLines(lines=CONTENT[0]), PageLines(lines=page), *(PageLines(lines=p) for p in CONTENT[1:])]


def _page_roles(deck: list[PageLines], rules: frozenset[str] = DEFAULT_RULES) -> dict[str, str]:
    return dict(zip(deck[1].lines, classify_deck(deck, rules=rules)[1], strict=True))


EXAM_PAGE = [
    "Final Exam Details",
    "",
    "Exam schedule:",
    "Thursday, December 18",
    "60 5th Ave, Rm C10",
    "Exam format:",
    "Entirely hand written",
    "Implement algorithms written in plain English",
]


def test_an_exam_details_page_is_course_meta() -> None:
    roles = _page_roles(_deck(EXAM_PAGE))
    assert all(roles[line] == "meta" for line in EXAM_PAGE[2:]), roles


def test_a_title_that_goes_on_is_no_logistics_page() -> None:
    # "Final exam review" lists the subject's topics; "An analogy: course grading" teaches by analogy
    for title in ("Final exam review", "An Analogy: Course Grading"):
        page = [title, "", "Bias and variance of k-fold estimates", "Nested validation for tuned models"]
        roles = _page_roles(_deck(page))
        assert not [line for line in page[2:] if roles[line] in DROPPED], (title, roles)


RECAP = [
    "Recap",
    "",
    "Final exam",
    "You can bring one sheet of handwritten notes",
    "Your answers will be graded on the code you write",
    "Out of sample evaluation is the gold standard for model performance",
    "You can estimate it with k-fold cross validation",
]


def test_lines_speaking_to_the_class_under_a_logistics_cue_are_its_notice() -> None:
    roles = _page_roles(_deck(RECAP))
    assert roles["Final exam"] == "meta"
    assert roles[RECAP[3]] == roles[RECAP[4]] == "meta"
    # the run ends at the first line that does not speak to the class: the subject's lines stay content,
    # even one addressed to the class further down
    assert roles[RECAP[5]] not in DROPPED and roles[RECAP[6]] not in DROPPED
    off = _page_roles(_deck(RECAP), DEFAULT_RULES - {"logistics_block"})
    assert off[RECAP[3]] not in DROPPED and off[RECAP[4]] not in DROPPED


def test_an_exam_paper_and_subjects_named_like_exams_stay_content() -> None:
    # an exam paper's first page, exam timetabling as graph colouring, a politics slide on midterm elections:
    # the title alone is no notice (review of session 18)
    pages = {
        "Final Exam": [
            "1. (10 points) Suppose you roll two fair dice. Find P(sum = 7).",
            "2. (10 points) State and prove Bayes' theorem.",
        ],
        "Exam schedule": [
            "Each exam is a vertex of the conflict graph",
            "Two exams conflict when one student sits both",
        ],
        "Midterm": [
            "Midterm elections often go against the president's party",
            "Turnout is lower than in presidential years",
        ],
    }
    for title, lines in pages.items():
        roles = _page_roles(_deck([title, "", *lines]))
        assert not [line for line in lines if roles[line] in DROPPED], (title, roles)


def test_exercises_that_speak_to_the_student_are_no_notice() -> None:
    page = [
        "Practice problems",
        "",
        "Homework",
        "1. Suppose you roll two fair dice. What is the probability that the sum is 7?",
        "2. If you draw two cards without replacement, find the probability both are aces.",
        "Your friend flips a coin 10 times; compute P(exactly 5 heads).",
    ]
    roles = _page_roles(_deck(page))
    assert not [line for line in page[3:] if roles[line] in DROPPED], roles


def test_an_exam_paper_page_with_a_date_and_numbered_exercises_stays_content() -> None:
    # second review: a date, a time and "you may bring" do not make an exam paper's page a notice when
    # numbered or imperative exercises follow; a grading-policy page is course meta again
    page = [
        "Final Exam",
        "",
        "Thursday, December 18, 9:00-12:00",
        "You may bring one page of notes",
        "1. Compute the derivative of x^2 sin x.",
        "Prove that the square root of 2 is irrational.",
    ]
    roles = _page_roles(_deck(page))
    assert not [line for line in page[4:] if roles[line] in DROPPED], roles
    grading = ["Grading Policy", "", "Homework: 40%", "Final exam: 40%", "Late work loses 10% per day"]
    roles = _page_roles(_deck(grading))
    assert all(roles[line] == "meta" for line in grading[2:]), roles
