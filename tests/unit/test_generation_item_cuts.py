"""Items cut where a line wrapped, outlines asked as lists, and exam options taken as facts
(workers/generation/item_cuts.py and its callers): each test makes its own slides and items, and each fails
without its rule; each also keeps a good item beside the refused one."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tests.support.study import lecture
from workers.generation.candidates import extract
from workers.generation.cardrules import agenda_like
from workers.generation.item_cuts import cut_mid_word, cut_term, from_options, option_lines, wrapped_cut
from workers.generation.material import LectureMaterial, Slide
from workers.generation.quiz_checks import term_problem
from workers.generation.quiz_lists import lists_to_name
from workers.generation.sheet_labels import term_reason
from workers.generation.source_checks import card_problems, quiz_problems


def slide(lines: list[str], title: str = "Incidence", page: int = 3) -> Slide:
    one = lecture([(title, "\n".join(lines))])
    return replace(one.slides[0], lines=tuple((x, "body") for x in lines), ref=one.ref(page))


# --- a term cut where its line wrapped ------------------------------------------------------------------


def test_a_term_ending_on_a_function_word_is_no_key_term_card_front_or_quiz_key() -> None:
    for term, lang in [
        ("Consistency when there", "en"),
        ("Replication of", "en"),
        ("Consistencia cuando", "es"),
        ("निष्कर्ष का", "hi"),
    ]:
        assert cut_term(term, lang), term
        assert term_problem(term, lang) is not None, term  # a quiz key, a distractor, a card's front
    assert term_reason("Consistency when there", "en") == "cut_term"  # a sheet's key term, a card's term
    for name in ["Eventual consistency", "Leave one out", "Vitamin A", "WHERE", "Data flow diagram"]:
        assert not cut_term(name, "en"), name
    assert term_problem("Eventual consistency", "en") is None
    assert term_reason("Eventual consistency", "en") is None


# --- a stem or cloze cut mid-word -----------------------------------------------------------------------

RATE = ["The incidence rate counts new cases per person-time", "like the incidence rate of a disease"]
SPLIT = ["New cases per person-time at risk, like the incidence rat", "e of a disease in a population"]


def test_a_stem_cut_mid_word_where_the_slide_goes_on_is_refused() -> None:
    stem = "Which term is defined as: New cases per person-time at risk, like the incidence rat?"
    for lines in (RATE, SPLIT):
        assert cut_mid_word(stem, lines, "en")
        found = quiz_problems(
            "multiple_choice",
            stem,
            ["Incidence", "Prevalence", "Risk"],
            "Incidence",
            slide=slide(lines),
            lang="en",
        )
        assert "cut_mid_word" in found, (lines, found)
    whole = "Which term is defined as: New cases per person-time at risk, like the incidence rate?"
    assert not cut_mid_word(whole, RATE, "en")
    assert "cut_mid_word" not in quiz_problems(
        "multiple_choice",
        whole,
        ["Incidence", "Prevalence", "Risk"],
        "Incidence",
        slide=slide(RATE),
        lang="en",
    )


def test_a_cloze_cut_mid_word_is_refused_and_an_inflection_is_no_cut() -> None:
    front = "The {{c1::incidence rate}} counts new cases per person-ti"
    lines = ["The incidence rate counts new cases per person-time"]
    assert "cut_mid_word" in card_problems("cloze", front, front, slide=slide(lines), lang="en")
    # "key" where the slide says "keys": another form of the word, and a sentence that ends
    keys = ["This is not true for any subset of the keys in the relation"]
    assert not cut_mid_word("This is not true for any subset of the key", keys, "en")
    good = "The {{c1::incidence rate}} counts new cases per person-time"
    assert "cut_mid_word" not in card_problems("cloze", good, good, slide=slide(lines), lang="en")


# --- an outline taken as a list -------------------------------------------------------------------------

OUTLINE_DECK = [
    (
        "Query optimization",
        "Query optimization\nThe optimizer picks the cheapest of the plans that answer a query.\n"
        "A plan is a tree of relational operators.",
    ),
    ("Query processing", "Query processing\n• Cost estimation methods\n• Join ordering\n• Plan enumeration"),
    ("Cost Estimation", "Cost Estimation"),  # divider slides: a title alone, no section of their own
    (
        "Estimating cost",
        "Estimating cost\nThe optimizer estimates the cost of a plan from table statistics.\n"
        "Selectivity is the fraction of rows a predicate keeps.",
    ),
    ("Join Ordering", "Join Ordering"),
    (
        "Orders of joins",
        "Orders of joins\nThe number of join orders grows exponentially with the number of tables.\n"
        "Left-deep trees allow pipelining of intermediate results.",
    ),
    ("Plan Enumeration", "Plan Enumeration"),
    (
        "Isolation levels",
        "Isolation levels\nRead uncommitted\nRead committed\nSerializable",
    ),
]


def test_an_outline_whose_items_are_the_decks_slide_titles_is_not_asked_as_a_list() -> None:
    lc = extract(lecture(OUTLINE_DECK, title="Query optimization"))
    named = [u.title for u in lists_to_name(lc)]
    assert "Query processing" not in named, named
    assert "Isolation levels" in named, named  # a list of the subject's own items stays


def test_outline_items_match_titles_loosely_by_stem_case_and_numbering() -> None:
    titles = ["Cost Estimation", "Join Ordering", "Plan Enumeration", "Isolation levels"]
    assert agenda_like(["1. Cost estimation", "2. Join orders", "3) Plan enumeration"], titles)
    assert agenda_like(["Cost estimation basics", "Join ordering in practice", "Summary"], titles)
    assert not agenda_like(["Read uncommitted", "Read committed", "Serializable"], titles)
    assert not agenda_like(["Application security", "Operational security"], ["Security", "Threats"])


# --- an answer option of an exam question ---------------------------------------------------------------

PAPER = [
    "Q. 12 Statements: All pens are books. Some books are tables.",
    "Conclusions: I. Some tables are pens. II. All books are pens. III. Some pens are books.",
    "Which of the conclusions follow from the statements?",
    "(a) Only conclusion I follows",
    "(b) Only conclusion II follows",
    "(c) Only conclusion — III follows",
    "(d) None of the conclusions follow",
]
HINDI = [
    "कथन: सभी कलम किताबें हैं। कुछ किताबें मेज हैं।",
    "निर्णय करें कि कौन-सा निष्कर्ष कथनों का तार्किक रूप से अनुसरण करता है।",
    "(1) केवल निष्कर्ष I अनुसरण करता है",
    "(2) केवल निष्कर्ष II अनुसरण करता है",
    "(3) केवल निष्कर्ष — III अनुसरण करता है",
    "(4) कोई भी निष्कर्ष अनुसरण नहीं करता है",
]


def test_the_options_of_a_multiple_choice_question_are_found() -> None:
    assert option_lines(PAPER) == {3, 4, 5, 6}
    assert option_lines(HINDI) == {2, 3, 4, 5}
    assert option_lines(["Two kinds:", "(a) horizontal", "(b) vertical", "(c) diagonal", "(d) none"]) == set()
    assert option_lines(["Panels", "(a) Zone 1", "(b) Zone 2", "(c) Zone 3"]) == set()
    assert option_lines(["(a) one (b) two (c) three (d) four"]) == {0}


def test_an_exam_option_is_no_card_nor_quiz_fact_but_the_statement_is() -> None:
    page = slide(PAPER, title="Syllogisms")
    assert from_options("Only conclusion — III follows", PAPER)
    found = card_problems("basic", "Only conclusion", "III follows", slide=page, lang="en")
    assert "source_exam_option" in found, found
    tf = "True or false: Only conclusion I follows"
    assert "source_exam_option" in quiz_problems("true_false", tf, [], "True", slide=page, lang="en")
    hindi = slide(HINDI, title="तर्कशक्ति")
    assert "source_exam_option" in card_problems(
        "basic", "केवल निष्कर्ष", "III अनुसरण करता है", slide=hindi, lang="hi"
    )
    assert not from_options("All pens are books. Some books are tables.", PAPER)


def with_lines(material: LectureMaterial) -> LectureMaterial:
    """Every slide's lines as the reader gives them (body lines under the title)."""
    slides = [
        replace(
            s, lines=tuple((x, "title" if x == s.title else "body") for x in s.text.split("\n") if x.strip())
        )
        for s in material.slides
    ]
    return replace(material, slides=slides)


def sheet_texts(slides: list[tuple[str, str]], tmp_path: Path) -> list[str]:
    from shared.files import LocalFileStore
    from workers.generation.cheatsheet import plan_items

    lc = extract(with_lines(lecture(slides, title="Reasoning")))
    [plan] = plan_items([lc], LocalFileStore(tmp_path / "files"), tmp_path, summaries={})
    out = []
    for item in plan:
        if item.term is not None:
            out.append(f"{item.term.term} — {item.term.definition}")
        elif item.point is not None:
            out.append(item.point.text)
    return out


SENTENCES = [
    "Q. 12 Statements: All pens are books. Some books are tables.",
    "Which of the conclusions follow from the statements?",
    "(a) A pen is a book that is never a table.",
    "(b) Some tables are books that are not pens.",
    "(c) Every book is a pen that is also a table.",
    "(d) No table is a book of any kind.",
]
RULE = (
    "Reading a syllogism",
    "Reading a syllogism\nA conclusion follows when it is true in every case the statements allow.\n"
    "A conclusion with some follows from a statement with all.",
)


def test_an_exam_option_is_no_cheat_sheet_entry(tmp_path: Path) -> None:
    """Options as sentences ("(a) A pen is a book ...") read as a key term and points on main; the Hindi
    paper's "केवल निष्कर्ष — III अनुसरण करता है" as a key term."""
    english = sheet_texts([("Syllogisms", "\n".join(["Syllogisms", *SENTENCES])), RULE], tmp_path / "en")
    options = ("never a table", "not pens", "also a table", "of any kind")
    assert not any(o in t for t in english for o in options), english
    assert any("true in every case" in t for t in english), english  # the slide that teaches stays
    hindi = sheet_texts([("तर्कशक्ति", "\n".join(["तर्कशक्ति", *HINDI])), RULE], tmp_path / "hi")
    assert not any("अनुसरण करता है" in t and "केवल" in t for t in hindi), hindi
    assert any("true in every case" in t for t in hindi), hindi


# --- a sentence cut where its line wrapped, the next line finishing it in a few words --------------------

HANDOUT = [
    "Dutch children",
    "(17) Dutch children put tensed verbs in second position and untensed verbs at the end.",
    "(18) de Haan (1987) finds essentially the same results for another",
    "Dutch kid. In his data he claims there are no counterexamples to the",
    "correlation of finiteness with V2 position.",
    "(19) Swedish children also put only finite verbs in second position.",
]


def test_a_sentence_cut_at_a_line_wrap_is_no_entry_nor_card(tmp_path: Path) -> None:
    lines = HANDOUT[1:]
    assert wrapped_cut("de Haan (1987) finds essentially the same results for another", lines)
    assert wrapped_cut(
        "Dutch kid. In his data he claims there are no counterexamples to the correlation", lines
    )
    assert not wrapped_cut("Swedish children also put only finite verbs in second position.", lines)
    assert not wrapped_cut("Three properties", ["Three properties", "Confidentiality.", "Integrity."])
    guidelines = ["1. Limit the visibility of information", "2. Check all inputs for validity"]
    assert not wrapped_cut("Limit the visibility of information", guidelines)  # a numbered item follows
    people = ["Concerned with people who compromise security", "E.g. Tell others passwords, leave computers"]
    assert not wrapped_cut("Concerned with people who compromise security", people)  # an abbreviation
    page = slide(HANDOUT[1:], title="Dutch children")
    cut = "{{c1::de Haan}} (1987) finds essentially the same results for another"
    assert "cut_at_line_end" in card_problems("cloze", cut, cut, slide=page, lang="en")
    texts = sheet_texts([("Dutch children", "\n".join(HANDOUT)), RULE], tmp_path)
    assert not any(t.endswith("for another") or t.startswith("Dutch kid.") for t in texts), texts
    assert any("Swedish children" in t for t in texts), texts


def test_a_figure_caption_cut_where_its_line_wrapped_is_no_caption() -> None:
    """A caption that begins as the rest of a wrapped sentence ("that is less prone to the vanishing", a
    slide title the scan split from its sentence) or ends on a function word names no picture."""
    from workers.generation.sheet_captions import caption_fault

    assert caption_fault("that is less prone to the vanishing", "", "en")
    assert caption_fault("Consistency when there", "", "en")
    assert caption_fault("исходная молекула", "", "ru")
    for good in ["Bidirectional RNN", "k-fold cross validation", "iPhone sales", "Редуцированный граф"]:
        assert caption_fault(good, "", "en") is None, good
