"""One fact once on a cheat sheet (workers/generation/sheet_dedupe.py and cheatsheet.select_items): a key term
a section's point already says, and two key terms with one definition, take one entry, not two."""

from __future__ import annotations

from shared.schemas import SourceRef
from workers.generation.candidates import Definition, Group, Point
from workers.generation.cheatsheet import Item, select_items
from workers.generation.sheet_dedupe import covered, said


def _ref(page: int) -> SourceRef:
    return SourceRef(lecture_id=1, lecture="RNN", file="r.pptx", page=page)


def _term(term: str, definition: str, page: int) -> Item:
    d = Definition(term, definition, f"{term}: {definition}", _ref(page))
    return Item("term", 0, 1.0, page, term=d, words=said(f"{term} {definition}", "en"))


def _point(title: str, text: str, page: int, group: Group | None = None) -> Item:
    g = group or Group(title, [Point(text, _ref(page))], [_ref(page)])
    return Item(
        "point", 0, 1.0, page, group=g, point=Point(text, _ref(page)), words=said(f"{title} {text}", "en")
    )


def _texts(chosen: list[Item]) -> list[str]:
    return [i.term.term if i.term else i.point.text for i in chosen if i.term or i.point]  # type: ignore[union-attr]


def test_a_term_said_by_a_point_is_left_out_whichever_comes_first() -> None:
    term = _term("Acceptor RNN", "One output neuron per class to learn for the whole text", 10)
    point = _point(
        "Training", "Acceptor RNN: One output neuron per class to learn for the whole text, e.g., AG News", 10
    )
    other = _term("Transducer RNN", "One output neuron per class to learn for each word", 11)
    for plan in ([point, term, other], [term, point, other]):
        chosen = select_items([plan], 100)
        assert _texts(chosen) == [point.point.text, "Transducer RNN"]  # type: ignore[union-attr]


def test_a_point_a_term_says_is_left_out() -> None:
    term = _term(
        "Foreign key", "Set of fields in one relation used to refer to a tuple in another relation", 15
    )
    point = _point("Foreign keys", "Foreign key: set of fields in one relation used to refer to a tuple", 15)
    assert _texts(select_items([[term, point]], 100)) == ["Foreign key"]


def test_of_two_terms_with_one_definition_the_plain_label_stays() -> None:
    wordy = _term(
        "Security and resilience",
        "Resilience is a system characteristic that reflects its ability to resist and recover",
        19,
    )
    plain = _term("Resilience", "a system characteristic that reflects its ability to resist and recover", 19)
    assert _texts(select_items([[wordy, plain]], 100)) == ["Resilience"]
    assert _texts(select_items([[plain, wordy]], 100)) == ["Resilience"]


def test_points_of_sections_are_never_merged_and_symbols_count() -> None:
    """A section's short line said again in a longer line of it stays (its points are its own); "E — the
    set of edges" is not "Ew — the set of edge weights"."""
    long = _point("Data splitting", "Tune model parameters on a validation set, never on the test set", 16)
    short = _point("Data splitting", "Use the test set once, for the final model", 17)
    assert len(select_items([[long, short]], 100)) == 2
    edges = _term("E", "the set of edges of the graph", 18)
    weights = _term("Ew", "the set of edge weights of the graph", 18)
    assert len(select_items([[weights, edges]], 100)) == 2
    assert not covered(said("E the set of edges"), said("Ew the set of edge weights"))


def test_a_continued_slide_saying_a_chosen_point_again_is_said_once_citing_the_first_slide() -> None:
    """A slide listing guidelines and the next slide explaining them one by one: the repeated line is on the
    sheet once, under the first slide, whichever is chosen first; a line that adds a word ("... for each
    user") still stays."""
    first = _point("Secure design guidelines", "Base security decisions on an explicit policy", 60)
    again = _point("Design guidelines", "Base decisions on an explicit security policy", 61)
    more = _point("Design guidelines", "Base decisions on an explicit security policy for each user", 61)
    for plan in ([first, again, more], [again, first, more]):
        chosen = select_items([plan], 100)
        assert sorted(_texts(chosen)) == sorted([first.point.text, more.point.text])  # type: ignore[union-attr]
        assert sorted(i.page for i in chosen) == [60, 61]
