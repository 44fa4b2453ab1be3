"""Glossary slides: a list of "Term (symbol) - explanation" items gives one definition per item, which the
valid forms then ask (term cards, term questions whose distractors are the list's sibling terms)."""

from __future__ import annotations

from shared.schemas import SourceRef
from tests.support.study import lecture
from workers.generation.candidates import extract, find_definition, logical_lines
from workers.generation.flashcards import card_drafts
from workers.generation.glossary import announces_list
from workers.generation.phrasing import Phraser
from workers.generation.quiz import build_quiz
from workers.generation.quiz_forms import form_problem

REF = SourceRef(lecture_id=1, lecture="L1", file="l1.pdf", page=16)
CELL = (
    "Parts of a plant cell\n"
    "Chloroplast (c) – captures light energy to make sugar for the whole cell,\n"
    "Vacuole (v) – stores water and keeps the cell firm against wilting, and\n"
    "Cell wall (w) – protects the cell and gives the plant its rigid shape.\n"
    "7"
)
LAYERS = (
    "Layers of a perceptron\n"
    "Input layer: receives the raw feature values of one training example\n"
    "Hidden layer: combines the features into new learned representations\n"
    "Output layer: turns the last representation into one score per class\n"
)


def test_sibling_glossary_items_are_not_glued_after_a_comma_or_and() -> None:
    assert logical_lines(CELL, "Parts of a plant cell") == [
        "Chloroplast (c) – captures light energy to make sugar for the whole cell,",
        "Vacuole (v) – stores water and keeps the cell firm against wilting, and",
        "Cell wall (w) – protects the cell and gives the plant its rigid shape.",
    ]
    # a wrapped line that is no glossary item still joins the item it continues
    wrapped = "Chloroplast (c) – captures light energy to make sugar for the\nwhole cell and the plant."
    assert logical_lines(wrapped) == [
        "Chloroplast (c) – captures light energy to make sugar for the whole cell and the plant."
    ]


def test_each_item_is_a_definition_without_its_symbol_or_the_lists_and() -> None:
    c = extract(lecture([("Intro", "Intro\nCells are the units of life."), ("Parts", CELL)]))
    found = {d.term: d.definition for d in c.definitions}
    assert found == {
        "Chloroplast": "captures light energy to make sugar for the whole cell",
        "Vacuole": "stores water and keeps the cell firm against wilting",
        "Cell wall": "protects the cell and gives the plant its rigid shape",
    }


def test_sibling_terms_named_like_form_labels_are_kept_a_lone_label_is_not() -> None:
    c = extract(lecture([("Layers", LAYERS)]))
    assert [d.term for d in c.definitions] == ["Input layer", "Hidden layer", "Output layer"]
    lone = "Training\nInput layer: receives the raw feature values of one example\nEpochs repeat the data."
    assert extract(lecture([("Training", lone)])).definitions == []
    label = "Pros and cons\nOutput: one score per class for every example\nAdvantage: fast on a laptop"
    assert extract(lecture([("Pros and cons", label)])).definitions == []


def test_a_glossary_list_gives_term_cards_and_term_questions_with_sibling_distractors() -> None:
    lc = extract(lecture([("Parts", CELL), ("Layers", LAYERS)], title="Cells"))
    cards = list(card_drafts([lc], Phraser(None)))
    asked = {term for term in ("Chloroplast", "Vacuole", "Cell wall") for c in cards if term in c.front}
    assert asked == {"Chloroplast", "Vacuole", "Cell wall"}
    quiz = build_quiz([lc], Phraser(None), questions=20, difficulty="medium", title="Q", seed=1)
    assert all(form_problem(q, "en") is None for q in quiz.questions)
    which = [
        q for q in quiz.questions if q.prompt.startswith("Which term") and q.answer_text in found_on(CELL)
    ]
    assert which
    for q in which:  # the other items of its own list come first among the distractors
        assert {"Chloroplast", "Vacuole", "Cell wall"} <= set(q.options)


def found_on(slide: str) -> set[str]:
    return {d.term for d in extract(lecture([("Parts", slide)])).definitions}


def test_a_term_with_its_other_names_or_abbreviation_in_brackets_is_defined() -> None:
    other_names = (
        "The testing set (or test set or holdout set) is the set of points used for the final evaluation."
    )
    found = find_definition(other_names, REF)
    assert found is not None
    assert (found.term, found.definition) == (
        "testing set",
        "the set of points used for the final evaluation",
    )
    abbreviated = find_definition(
        "A data flow diagram (DFD) is a picture of how data moves through a system.", REF
    )
    assert abbreviated is not None and abbreviated.term == "data flow diagram (DFD)"
    # a bracket that is neither (an example, a formula's letter) still leaves the line undefined
    assert (
        find_definition("Static embeddings (e.g., word2vec) are the vectors we learned before.", REF) is None
    )
    assert (
        find_definition("The validation set (or dev set) is not used to train the model at all.", REF) is None
    )


def test_sibling_slides_naming_a_variant_in_their_title_define_it_in_their_one_line() -> None:
    slides = [
        (
            "Sorting: Merge sort",
            "Sorting: Merge sort\nSplitting the list in halves and merging the sorted halves",
        ),
        (
            "Sorting: Bubble sort",
            "Sorting: Bubble sort\nRepeated swaps of neighbours, e.g., 3 and 1, until sorted",
        ),
        (
            "Sorting: Quick sort",
            "Sorting: Quick sort\nPick a pivot and split around it.\nRecurse on both sides.",
        ),
        ("Cost: Memory", "Cost: Memory\nExtra space for the merged halves in every pass of the sort"),
    ]
    c = extract(lecture(slides))
    found = {d.term: d.definition for d in c.definitions}
    assert found == {  # Quick sort has two lines; "Memory" has no sibling title
        "Merge sort": "Splitting the list in halves and merging the sorted halves",
        "Bubble sort": "Repeated swaps of neighbours",
    }
    assert all(p.is_definition for g in c.groups for p in g.points if "Repeated swaps" in p.text)


def test_a_definition_that_only_announces_a_list_is_no_definition() -> None:
    """ "Relation: made up of 2 parts" as a card or an option (judged invalid): it defines nothing."""
    slides = [
        (
            "Relational database",
            "Relational database\nRelational database: a set of relations\nRelation: made up of 2 parts:\n"
            "Instance: a table, with rows and columns\n"
            "Schema: specifies name of relation, plus name and type of each column",
        ),
    ]
    c = extract(lecture(slides))
    terms = {d.term for d in c.definitions}
    assert "Relation" not in terms
    assert {"Relational database", "Schema"} <= terms
    assert announces_list("consists of three components") and announces_list("has the following steps")
    assert not announces_list("contains the eigenvectors of G") and not announces_list("a set of relations")
