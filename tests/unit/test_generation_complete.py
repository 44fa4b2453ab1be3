"""Every text a student reads is a complete unit (workers/generation/complete.py), wrapped lines are joined
before that is judged (wrapping.py), an entry's label is the slide's topic (sheet_labels.py), and logistics or
an exam's instructions are no study facts (near_miss.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.files import LocalFileStore
from shared.schemas import SourceRef
from tests.support.study import lecture, quiz_question
from workers.generation.candidates import Group, Point, extract, logical_lines
from workers.generation.cheatsheet import _shown_points, plan_items
from workers.generation.complete import incomplete_reason
from workers.generation.flashcards import CardDraft, card_drafts, valid
from workers.generation.near_miss import near_miss_reason
from workers.generation.phrasing import Phraser
from workers.generation.sheet_labels import label_reason, term_reason, topic_titles
from workers.generation.validity import boilerplate_reason, card_problem, quiz_problem

REF = SourceRef(lecture_id=1, lecture="L", file="l.pdf", page=2)


# --- the completeness check ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "lang", "reason"),
    [
        ("was sent by the server to the client.", "en", "lower_start"),
        ("and the mean of the sample is zero", "en", "connective_start"),
        ("which derives the infinitival form", "en", "connective_start"),
        ("But the variance grows with k", "en", "connective_start"),
        ("The number of new cases per unit of the", "en", "open_end"),
        ("Can insert a single tuple using.", "en", "open_end"),
        ("The estimate of the test error (k folds", "en", "unbalanced"),
        ("The estimate uses k folds) and a test set", "en", "unbalanced"),
        ("He called it “the conveyor belt", "en", "unbalanced"),
        ("Two columns read as general to specific specific to general", "en", "repeated_word"),
        ("A sample of points to evaluate on If you have parameters to tune", "en", "spliced"),
        ("Матрица смежности всегда симметрична и", "ru", "open_end"),
        ("La fuerza cortante en los extremos de la", "es", "open_end"),
        ("यह परिभाषा राम के", "hi", "open_end"),
        ("और यह परिभाषा है", "hi", "connective_start"),
        ("The first sentence is whole. The", "en", "open_end"),
    ],
)
def test_a_cut_spliced_or_unbalanced_text_is_incomplete(text: str, lang: str, reason: str) -> None:
    assert incomplete_reason(text, lang) == reason


@pytest.mark.parametrize(
    ("text", "lang", "phrase"),
    [
        ("reduces the variance of the estimate", "en", True),  # a bullet's phrase
        ("k-fold cross-validation splits the data into k folds.", "en", False),  # a symbol, not a cut
        ("x = 2 is a root of the polynomial.", "en", False),
        ("iPhone sales fell in the last quarter.", "en", False),
        ("What may the results of the assessment lead to?", "en", False),  # a question's preposition
        ("Disallow deletion of a tuple that is referred to.", "en", False),  # after a participle
        ("Fit the model to the data not in fold i", "en", True),  # a symbol "i", not the pronoun
        ("Расстояние — кратчайший путь от одной вершины до другой", "ru", True),
        ("यह एक परिभाषा है", "hi", False),  # Hindi ends on its verb
        ("The cost of a join (in pages) grows with the input.", "en", False),
        ("Lord Byron wrote that that was enough.", "en", False),
    ],
)
def test_a_whole_statement_or_phrase_is_complete(text: str, lang: str, phrase: bool) -> None:
    assert incomplete_reason(text, lang, phrase=phrase) is None


# --- repair before judging: lines a page wrapped -----------------------------------------------------
def test_a_lead_in_and_its_lower_case_sentence_on_the_next_line_are_one_item() -> None:
    text = "A major strength of the relational model:\nsupports simple, powerful querying of data."
    assert logical_lines(text) == [
        "A major strength of the relational model: supports simple, powerful querying of data."
    ]
    assert logical_lines("Advantages:\nIntuitive") == ["Advantages:", "Intuitive"]  # a list, not a wrap


def test_a_line_opening_a_sentence_is_not_joined_to_a_line_that_ends_on_a_preposition() -> None:
    text = "The test set is the sample of points to evaluate on\nIf you have parameters, tune them"
    assert logical_lines(text) == [
        "The test set is the sample of points to evaluate on",
        "If you have parameters, tune them",
    ]
    assert logical_lines("As another example, the\nCREATE TABLE Enrolled") == [
        "As another example, the CREATE TABLE Enrolled"
    ]


def test_the_title_repeated_at_the_foot_of_a_slide_is_not_joined_to_the_last_line() -> None:
    title = "k -Fold Cross Validation in Practice"
    assert logical_lines(f"5. Test performance\n{title}", title) == ["Test performance"]


def test_an_ocr_bullet_glyph_starts_an_item_and_is_not_its_text() -> None:
    text = "% Queries can be written intuitively, and the\nDBMS evaluates them.\n+ In translating a set"
    assert logical_lines(text) == [
        "Queries can be written intuitively, and the DBMS evaluates them.",
        "In translating a set",
    ]


# --- the cheat sheet ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "title",
    [
        ". More Dutch (Weverink)",
        "What happens in English? Why is the s deleted?",
        "Key intuition",
        "In practice",
        "An Analogy: Course Grading",
        "e.g. the Students table",
        "supports simple querying",
        "Q.3 Choose the correct option",
        "Why Study the Relational Model?",  # the lecturer's case for the subject (judged motivation)
    ],
)
def test_a_label_that_is_debris_a_sentence_an_example_or_no_topic_is_refused(title: str) -> None:
    assert label_reason(title) is not None


@pytest.mark.parametrize(
    "title",
    ["“Vanilla” RNN", "k -Fold Cross Validation", "Why the LSTM name", "Review: Weak Entities"],
)
def test_a_slide_topic_is_a_label(title: str) -> None:
    assert label_reason(title) is None


def _shown(title: str, *texts: str) -> list[str]:
    group = Group(title=title, points=[Point(t, REF) for t in texts], refs=[REF])
    return [p.text for p in _shown_points(group, [], None, "en")]


def test_a_section_without_a_topic_label_gives_no_entry() -> None:
    line = "Replace the multiplicative architecture with an additive one that is less prone to vanishing."
    assert _shown("LSTM", line) == [line]
    assert _shown("Key intuition", line) == []


def test_a_cut_or_spliced_point_is_left_out_of_its_entry() -> None:
    whole = "Integrity constraints are checked when relations are modified."
    assert _shown("Integrity constraints", whole, "Can insert a single tuple using.") == [whole]
    spliced = "The test set should be small to evaluate on If you have parameters to tune them all."
    assert _shown("Data splitting", whole, spliced) == [whole]


def test_a_short_phrase_is_no_entry_alone_nor_among_statements() -> None:
    assert _shown("Security specification", "Four major differences") == []
    assert _shown("Views", "Views are stored queries.") == ["Views are stored queries."]
    statement = "Safety problems are accidental, while attackers know the system's weaknesses."
    assert _shown("Security specification", "Four major differences", statement) == [statement]


def test_a_form_word_with_its_of_phrase_is_no_key_term() -> None:
    assert term_reason("major strength of the relational model") is not None
    assert term_reason("Degree of a vertex") is None
    assert term_reason("Foreign key") is None
    cards = [
        c.front
        for c in card_drafts(
            [
                extract(
                    lecture([("Model", "A major strength of the relational model: simple querying of data")])
                )
            ],
            Phraser(None),
        )
    ]
    assert not any("strength" in f for f in cards)


# --- cards and quiz --------------------------------------------------------------------------------------
def test_a_card_whose_back_is_cut_off_is_not_valid() -> None:
    assert (
        card_problem("Resilience", "the ability to resist and recover from damaging events", "basic") is None
    )
    assert card_problem("Resilience", "the ability to resist and recover from the", "basic") is not None
    cut = CardDraft("basic", "Schema", "name of the relation, plus (name and type of each", REF, "k")
    assert not valid(cut, "en")
    spliced = "The {{c1::test set}} is small to evaluate on If you have parameters to tune them."
    assert card_problem(spliced, spliced.replace("{{c1::", "").replace("}}", ""), "cloze") == "incomplete"


def test_a_question_with_a_cut_option_or_a_spliced_stem_is_not_valid() -> None:
    assert quiz_problem(quiz_question()) is None
    options = ["stack", "queue", "heap", "and a linked list"]
    assert quiz_problem(quiz_question(options=options)) == "incomplete_option"
    stem = "True or false: the test set is small to evaluate on If you have parameters"
    tf = quiz_question(kind="true_false", prompt=stem, options=["True", "False"], answer_text="True")
    assert quiz_problem(tf) == "incomplete_stem"


# --- logistics and exam instructions ----------------------------------------------------------------
@pytest.mark.parametrize(
    "line",
    [
        "Q.1 Choose the correct option",
        "Q12. Which word is a noun?",
        "Maximum marks: 200",
        "Each question carries (2 marks)",
        "Time allowed: 60 minutes",
        "प्रश्न 5 सही विकल्प चुनिए",
        "Выберите правильный ответ",
        "Homework 3 is due Friday",
        "Next class: recursion and induction",
        "Office hours Tuesday 3 pm, Room 32-123",
        "Lectures meet Monday and Wednesday 10:30 am",
        "Midterm exam on March 3",
    ],
)
def test_logistics_and_exam_instructions_are_no_study_facts(line: str) -> None:
    assert near_miss_reason(line) is not None
    assert boilerplate_reason(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        "This class of algorithms is greedy",
        "Assignment is an operation that binds a name to a value",
        "The delay is due to queueing at the router",
        "3-SAT is NP-complete",
        "Which of the following is true?",
        "q17) Dutch conclusion: tensed verbs are always in V2",  # "(17)" misread, not a question number
        "Cross-validation estimates the test error",
    ],
)
def test_subject_matter_that_looks_like_logistics_stays(line: str) -> None:
    assert near_miss_reason(line) is None


def test_a_logistics_line_never_becomes_a_point() -> None:
    slides = [
        (
            "Recursion",
            "Recursion\nA recursive function calls itself on a smaller input.\n"
            "• Homework 3 is due Friday on the course site\n• Next class: recursion trees",
        )
    ]
    texts = [p.text for g in extract(lecture(slides)).groups for p in g.points]
    assert texts == ["A recursive function calls itself on a smaller input."]


def test_a_key_term_that_names_no_concept_or_a_cut_definition_is_not_on_the_sheet(tmp_path: Path) -> None:
    slides = [
        ("Relational model", "A major strength of the relational model: simple, powerful querying of data"),
        ("Keys", "Foreign key: a set of fields that refers to a tuple in another relation"),
        ("Schemas", "Schema: the name of the relation and the (name and type of each column"),
    ]
    lc = extract(lecture(slides))
    plan = plan_items([lc], LocalFileStore(tmp_path), tmp_path, summaries={})[0]
    terms = [i.term.term for i in plan if i.kind == "term" and i.term is not None]
    assert terms == ["Foreign key"]


def test_a_symbol_left_before_a_capitalised_word_marks_two_lines_spliced() -> None:
    assert incomplete_reason("O computes y Static embeddings such as word2vec") == "spliced"
    assert incomplete_reason("Fit the model to the data not in fold i Use the model") == "spliced"
    assert incomplete_reason("A Markov chain is a process with a Markov property") is None
    assert incomplete_reason("Vitamin C deficiency causes scurvy") is None


def test_a_section_of_many_short_items_is_one_list_entry() -> None:
    items = [f"{kind} requirements." for kind in ("Identification", "Authentication", "Immunity", "Privacy")]
    shown = _shown("Types of security requirement", *items, "Each kind is specified on its own in the plan.")
    names = ["Identification", "Authentication", "Immunity", "Privacy"]
    assert shown == [" • ".join(f"{kind} requirements" for kind in names)]


def test_the_cells_of_a_table_are_no_list_entry() -> None:
    rule = "Only students listed in the Students relation may enroll for courses."
    cells = [
        "Enrolled",
        "sid",
        "cid",
        "grade",
        "Carnatic101",
        "Reggae203",
        "Topology112",
        "History105",
        "A B",
    ]
    assert _shown("Foreign keys in SQL", rule, *cells) == [rule]


def test_a_title_that_names_no_topic_takes_the_topic_of_the_section_before() -> None:
    titles = ["Data splitting", "In practice", "Cross validation", "Key intuition"]
    expected = ["Data splitting", "Data splitting: In practice", "Cross validation"]
    expected.append("Cross validation: Key intuition")
    assert topic_titles(titles) == expected
    assert topic_titles(["Summary", "Views"]) == ["Summary", "Views"]  # no topic before: no entry (label)
    assert topic_titles(["Views", "Summary"]) == ["Views", "Summary"]  # a summary is of the whole lecture
