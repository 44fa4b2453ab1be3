"""Content sentences are not dropped as course meta or credit for one word they share with logistics
(issue 12, precision of the dropped roles): "office hours", "homework ... due", an institution named on a
deck's second page, a title that starts with "Sources". Real logistics and meta lines stay dropped. Each test
makes its own slides and fails without its fix."""

from __future__ import annotations

from tests.unit.test_line_roles import CONTENT, roles_of


def middle(page: str) -> dict[str, str]:
    return roles_of([*CONTENT[:2], page, *CONTENT[2:]], 2)


def test_office_hours_sentence_is_content_and_the_notice_is_meta() -> None:
    roles = middle(
        "Office hours\n"
        "Office hours of a doctor are regulated by labour law in Germany\n"
        "Office hours: Tue 2-4pm, room 32-G\n"
        "Office hours are held in the Gates building every afternoon"
    )
    assert roles["Office hours of a doctor are regulated by labour law in Germany"] == "body"
    assert roles["Office hours: Tue 2-4pm, room 32-G"] == "meta"
    assert roles["Office hours are held in the Gates building every afternoon"] == "meta"


def test_homework_due_sentence_is_content_and_the_deadline_is_meta() -> None:
    roles = middle(
        "Procrastination\nHomework due dates move effort to the last day\nDeadlines help weak planners"
    )
    assert roles["Homework due dates move effort to the last day"] == "body"
    notice = middle("Homework\nHomework 3 due Friday\nHomework is due at the start of class")
    assert notice["Homework 3 due Friday"] == "meta"
    assert notice["Homework is due at the start of class"] == "meta"


def test_sentence_naming_a_university_on_page_two_is_content() -> None:
    page = (
        "DNA structure\n"
        "Watson and Crick (Cambridge University) found the double helix\n"
        "The two strands run antiparallel"
    )
    roles = roles_of([CONTENT[0], page, *CONTENT[1:]], 1)
    assert roles["Watson and Crick (Cambridge University) found the double helix"] == "body"
    about = roles_of([CONTENT[0], "About the course\nProf. Jane Doe, Stanford University", *CONTENT[1:]], 1)
    assert about["Prof. Jane Doe, Stanford University"] == "meta"
    cover = roles_of(["Operating Systems\nProf. Jane Doe, Stanford University\nFall 2019", *CONTENT], 0)
    assert cover["Prof. Jane Doe, Stanford University"] == "meta"


def test_sources_of_a_subject_is_no_reference_page() -> None:
    roles = middle(
        "Sources of student stress\nSurvey of 500 students\n"
        "Exams 40%\nFinances 25%\nRelationships 20%\nOther 15%"
    )
    assert roles["Sources of student stress"] == "title"
    assert all(roles[line] == "body" for line in ("Survey of 500 students", "Exams 40%", "Other 15%"))
    credits = roles_of([*CONTENT, "Sources\nImage: Wikimedia Commons\nSmith, J. (2019) Operating systems"], 4)
    assert credits["Sources"] == "credit"
    assert credits["Smith, J. (2019) Operating systems"] == "credit"
    grading = middle("Grading\nHomework 30%\nMidterm 30%\nFinal exam 40%")
    assert {grading[line] for line in ("Homework 30%", "Midterm 30%", "Final exam 40%")} == {"meta"}
