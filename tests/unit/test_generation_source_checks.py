"""The last validity checks of quiz questions and cards, by the item's source and form
(workers/generation/source_checks.py): each test makes its own slide and item, and fails without its check."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from tests.support.study import lecture
from workers.generation.candidates import extract
from workers.generation.flashcards import card_drafts
from workers.generation.material import LectureMaterial, Slide
from workers.generation.phrasing import Phraser
from workers.generation.quiz import QuizBuilder
from workers.generation.source_checks import (
    card_problems,
    cut_problem,
    given_away_problem,
    leans_problem,
    plausibility_problem,
    quiz_problems,
    rare_words,
    slide_kind_problem,
    source_role_problem,
    stray_glyph_problem,
    vocabulary,
)


def slide(lines: list[tuple[str, str]], title: str = "Views", page: int = 3) -> Slide:
    one = lecture([(title, "\n".join(text for text, _ in lines))])
    return replace(one.slides[0], lines=tuple(lines), ref=one.ref(page))


def roled(material: LectureMaterial, page: int, role: str) -> LectureMaterial:
    """The lecture with every line of one slide given ``role`` (the title line keeps "title")."""
    slides = []
    for s in material.slides:
        if s.ref.page == page:
            lines = tuple((x, "title" if x == s.title else role) for x in s.text.split("\n") if x.strip())
            s = replace(s, lines=lines)
        slides.append(s)
    return replace(material, slides=slides)


# --- the source line's role ------------------------------------------------------------------------
def test_an_item_taken_from_a_line_of_code_is_dropped() -> None:
    code = slide([("CREATE VIEW YoungStudents (name, grade)", "code")])
    front = "{{c1::CREATE}} VIEW YoungStudents (name, grade)"
    assert source_role_problem(code, [front, "CREATE VIEW YoungStudents (name, grade)"]) == "source_code"
    prose = slide([("CREATE VIEW YoungStudents (name, grade)", "body")])
    assert source_role_problem(prose, [front]) is None


def test_labels_read_inside_a_figure_make_no_statement_but_a_figure_cards_caption_may_hold_them() -> None:
    plot = slide([("Same behavior but half the SNR", "figure_text"), ("Outage probability", "figure_text")])
    assert source_role_problem(plot, ["Same behavior but half the {{c1::SNR}}"]) == "source_figure_text"
    assert (
        source_role_problem(plot, ["What does the figure show?", "Outage probability"], figure=True) is None
    )


def test_an_outline_line_or_an_exercise_question_is_no_source() -> None:
    outline = slide([("Elements of graph theory", "agenda"), ("Molecular graphs", "agenda")])
    assert (
        source_role_problem(outline, ["Contents (2): {{c1::Elements of graph theory}}; …"]) == "source_agenda"
    )
    exercise = slide([("How would you handle DROP TABLE when a view uses the table?", "question")])
    statement = "True or false: You would handle DROP TABLE when a view uses the table"
    assert source_role_problem(exercise, [statement]) == "source_question"


def test_a_line_the_item_shares_few_words_with_is_not_its_source() -> None:
    mixed = slide([("Views can be dropped using the DROP VIEW command.", "body"), ("SELECT S.name", "code")])
    assert source_role_problem(mixed, ["Views can be dropped using the DROP VIEW command."]) is None


# --- the slide's shape -----------------------------------------------------------------------------
def test_a_slide_of_exercises_an_outline_or_course_meta_gives_no_item() -> None:
    exercise = [("Your turn", "title"), ("What is a view?", "question"), ("Why drop it?", "question")]
    assert slide_kind_problem(slide(exercise)) == "exercise_slide"
    outline = [("Plan", "title"), ("Graphs", "agenda"), ("Matrices", "agenda"), ("SMILES", "body")]
    assert slide_kind_problem(slide(outline)) == "outline_slide"
    cover = [("Relational model", "title"), ("Prof. A. Smith", "meta"), ("CS 186, Fall 2019", "meta")]
    assert slide_kind_problem(slide(cover)) == "title_slide"
    content = [("Views", "title"), ("A view is a virtual table.", "definition"), ("Why views?", "question")]
    assert slide_kind_problem(slide(content)) is None


# --- the sentence cut at its line's end --------------------------------------------------------------
def test_a_sentence_cut_where_its_line_ends_is_dropped() -> None:
    lines = [("If we declare A ISA B, every A", "body"), ("entity is also considered a B entity.", "body")]
    assert cut_problem(slide(lines), ["If we declare {{c1::A ISA B}}, every A"]) == "cut_at_line_end"
    whole = [("If we declare A ISA B, every A entity is a B.", "body"), ("and so on", "body")]
    assert cut_problem(slide(whole), ["If we declare {{c1::A ISA B}}, every A entity is a B."]) is None


# --- misread words ---------------------------------------------------------------------------------
def test_a_non_word_the_lecture_writes_once_is_a_misreading() -> None:
    once = vocabulary(["Assurption: Kid doesn't know interpretation of Tense"])
    front = "{{c1::Assurption}}: Kid doesn't know interpretation of Tense"
    assert rare_words(front, "en", once) == ["Assurption"]
    assert card_problems("cloze", front, "", slide=None, lang="en", vocab=once) == ["implausible_words"]
    assert plausibility_problem(["Kid doesn't know interpretation of Tense"], "en", once) is None


def test_a_term_the_lecture_keeps_using_and_an_acronym_are_words() -> None:
    often = vocabulary(["Mentcare stores records.", "The Mentcare system", "Mentcare clinics"])
    assert plausibility_problem(["The Mentcare system uses SNR and MIMO"], "en", often) is None
    assert plausibility_problem(["The Mentcare system"], "en", Counter()) == "implausible_words"


# --- a reader's leftovers --------------------------------------------------------------------------
def test_stray_bullets_bars_and_unpaired_guillemets_are_leftovers() -> None:
    assert stray_glyph_problem(["« Views can be dropped using the DROP VIEW command."]) == "stray_glyph"
    assert stray_glyph_problem(["Mentcare system: Intercept transfer (Misuse case) |"]) == "stray_glyph"
    assert stray_glyph_problem(["{{c1::High SNR}}: • Approximately the same power"]) == "stray_glyph"
    assert stray_glyph_problem(["Divide your training set into folds (5 or 10 are commonly used) k"])
    assert stray_glyph_problem(["Le mot « graphe » désigne un ensemble de sommets."]) is None


# --- leaning on what the item does not show ---------------------------------------------------------
def test_a_statement_that_points_at_what_it_does_not_name_is_dropped() -> None:
    assert leans_problem("This is called Leave One Out Cross Validation (LOO-CV)", "en")
    assert leans_problem("Then you compute some fit metric (like _____ or accuracy)", "en")
    assert leans_problem("The {{c1::security engineering}} process is concerned with these goals.", "en")
    assert leans_problem("DROP TABLE command has options to let the user specify this.", "en")
    kept = "Risk management is about losses and balancing these losses against costs."
    assert leans_problem(kept, "en") is None
    assert leans_problem("It only tells you nothing about the data you used to fit it", "en")
    assert leans_problem("The model tells you nothing about the data you used to fit it", "en") is None


def test_quiz_statements_are_checked_without_their_frame() -> None:
    found = quiz_problems(
        "fill_blank", "Fill in the blank: Then you compute _____", [], "MSE", slide=None, lang="en"
    )
    assert found == ["leans_on_context"]
    mc = quiz_problems(
        "multiple_choice", "What is a view?", ["A table", "A row"], "A table", slide=None, lang="en"
    )
    assert mc == []


# --- the answer given away -------------------------------------------------------------------------
def test_the_hidden_words_written_beside_the_blank_give_the_answer_away() -> None:
    shown = "Owner entity set and weak entity set must participate (1 owner, many  )."
    assert given_away_problem("weak entities", shown, "en") == "answer_in_stem"
    assert given_away_problem("Cross Validation", "This is called Leave One Out (LOO-CV)", "en")
    front = "{{c1::Application security}}, which is concerned with the security of application systems."
    assert card_problems("cloze", front, "", slide=None, lang="en") == []


# --- in the generator ------------------------------------------------------------------------------
SLIDES = [
    ("Cross validation", "Cross validation estimates how a model does on data it has not seen."),
    (
        "Folds",
        "Folds are the equal parts a training set is divided into for cross validation.\n"
        "A validation set is the part of the data used to pick the model's parameters.",
    ),
    ("Test set", "A test set is the data set aside to measure the final model once."),
]


def test_the_cards_of_a_slide_of_figure_labels_are_dropped() -> None:
    plain = lecture(SLIDES, title="Model evaluation")
    cards = list(card_drafts([extract(plain)], Phraser(None)))
    assert any(c.ref.page == 2 for c in cards)
    labelled = roled(plain, 2, "figure_text")
    cards = list(card_drafts([extract(labelled)], Phraser(None)))
    assert cards and not any(c.ref.page == 2 for c in cards)


def test_the_questions_of_an_exercise_slide_are_dropped() -> None:
    plain = lecture(SLIDES, title="Model evaluation")
    asked = QuizBuilder([extract(plain)], Phraser(None)).build(10)
    assert any(q.source.page == 2 for q in asked)
    exercise = roled(plain, 2, "question")
    asked = QuizBuilder([extract(exercise)], Phraser(None)).build(10)
    assert not any(q.source.page == 2 for q in asked)


def test_a_pages_lines_keep_their_roles_when_they_line_up() -> None:
    from workers.generation.material import roled_lines

    assert roled_lines("Views\n\nSELECT S.name", ["title", "", "code"]) == (
        ("Views", "title"),
        ("SELECT S.name", "code"),
    )
    assert roled_lines("Views\nSELECT S.name", ["title"]) == ()  # roles of another text: none
    assert roled_lines("Views", None) == ()
