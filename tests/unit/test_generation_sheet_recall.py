"""Cheat-sheet refusals narrowed by form (session 17, branch sheet-recall): a round bracket OCR read as a
curly one, a Title Case question ending on its preposition, a key term read from bullets run together."""

from __future__ import annotations

from shared.schemas import SourceRef
from workers.generation.candidates import Definition
from workers.generation.complete import spliced
from workers.generation.sheet_cover import label_fit
from workers.generation.sheet_entries import unbulleted
from workers.generation.sheet_rules import ocr_brackets, tidy
from workers.generation.validity import entry_ok


def _ref(page: int = 3) -> SourceRef:
    return SourceRef(lecture_id=1, lecture="L1", file="l1.pdf", page=page)


def test_a_curly_bracket_closed_by_a_round_one_is_a_round_bracket() -> None:
    line = "In all three tongues {also two others), pupils give both forms to main verbs."
    assert not entry_ok("Findings", line)  # unbalanced as read
    fixed = tidy(line)
    assert fixed == "In all three tongues (also two others), pupils give both forms to main verbs."
    assert entry_ok("Findings", fixed)


def test_sets_and_brackets_left_open_stay_as_they_are() -> None:
    assert ocr_brackets("For each fold, i ∈ {1,…, k} :") == "For each fold, i ∈ {1,…, k} :"
    assert ocr_brackets("a {b (c) d") == "a {b (c) d"
    assert ocr_brackets("{i) the second case") == "(i) the second case"
    assert ocr_brackets("no brackets at all") == "no brackets at all"


def test_a_function_word_that_ends_a_title_starts_no_second_sentence() -> None:
    assert spliced("Where do Rules Come From?") is None
    assert label_fit("Where do Rules Come From?", "en")
    assert spliced("Data Splitting The training set is the largest") == "The"  # still a splice
    assert not label_fit("Data Splitting The training set is the largest", "en")


def test_a_key_term_read_from_bullets_run_together() -> None:
    d = Definition("Fast and slow modes • Fast mode", "• Only one worker runs", "", _ref())
    assert not entry_ok(d.term, d.definition)  # a bullet glyph first: debris as read
    u = unbulleted(d)
    assert (u.term, u.definition) == ("Fast mode", "Only one worker runs")
    assert entry_ok(u.term, u.definition)
    plain = Definition("Rank", "Number of non-zero eigenvalues", "", _ref())
    assert unbulleted(plain) is plain


def test_operators_are_no_bullets() -> None:
    """ "∙" and "◦" are products and compositions in a formula, not bullets: the term keeps them whole."""
    for term in ("A ∙ B", "f ◦ g"):
        d = Definition(term, "the product of the two", "", _ref())
        assert unbulleted(d) is d
