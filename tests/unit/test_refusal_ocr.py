"""The refusal on notes read by OCR: a question word that an OCR'd page misread ("PaqeRank" for "PageRank")
counts as present, in the missing-word check and in the coverage of the retrieved slides; a text-layer page
gets no such leniency, and a word with no near OCR'd word is still missing. Words that point at the slides
("example", "graph") do not count in the coverage. Fakes only."""

from __future__ import annotations

from dataclasses import replace

from tests.support.answers import FakeDb, FakeSubject, notes_of
from workers.ai.refusal import (
    RARE_ZIPF,
    NotesVocabulary,
    VocabularyCache,
    coverage,
    missing_words,
    near_ocr_word,
    notes_answer,
    ocr_by_length,
)
from workers.ai.retrieval import Evidence

# A handwritten page as OCR reads it: the algorithm's name misread alike everywhere, never spelled right.
PAGE = (
    "PaqeRank on Spark: join links with ranks. Each page sends rank / size along each of its links; "
    "the contributions are summed per page. PaqeRank iterates ten times."
)
QUESTION = "How many times does PageRank iterate?"  # "pagerank": Zipf 2.0, a rare word


def slide(source: str, similarity: float = 0.4) -> Evidence:
    return Evidence(
        chunk_id=1,
        lecture_id=1,
        lecture_title="Spark notes",
        file="notes.pdf",
        page=1,
        title="",
        text=PAGE,
        source=source,
        figure_ids=[],
        similarity=similarity,
    )


def vocabulary(source: str) -> NotesVocabulary:
    """The subject's vocabulary as the worker's cache reads it from the notes' rows."""
    return VocabularyCache().get(FakeDb(notes_of([slide(source)])), FakeSubject())  # type: ignore[arg-type]


def rare_missing(question: str, notes: NotesVocabulary) -> list[str]:
    return [w for w, z in missing_words(question, notes) if z < RARE_ZIPF]


def test_a_word_an_ocr_page_misread_counts_as_present() -> None:
    ocr = vocabulary("ocr")
    assert ocr.knows("pagerank")
    assert rare_missing(QUESTION, ocr) == []
    # The best slide is not very close (0.4): without the OCR'd "PaqeRank" the rare word would refuse it.
    assert notes_answer(QUESTION, [slide("ocr")], ocr)


def test_a_text_layer_page_gets_no_leniency() -> None:
    text_layer = vocabulary("text_layer")
    assert not text_layer.knows("pagerank")
    assert rare_missing(QUESTION, text_layer) == ["pagerank"]
    assert not notes_answer(QUESTION, [slide("text_layer")], text_layer)


def test_an_off_topic_word_with_no_near_ocr_word_is_still_missing() -> None:
    ocr = vocabulary("ocr")
    question = "What damping factor does PageRank use?"  # "damping": nothing on the page is near it
    assert rare_missing(question, ocr) == ["damping"]
    assert not notes_answer(question, [slide("ocr")], ocr)


def test_coverage_counts_a_misread_word_on_an_ocr_slide_only() -> None:
    question = "Does PageRank iterate?"  # its words: pagerank, iterate
    assert coverage(question, [slide("ocr")]) == 1.0
    assert coverage(question, [slide("text_layer")]) == 0.5


def test_words_that_point_at_the_slides_do_not_count_in_the_coverage() -> None:
    # A figure question on a diagram page: the page never says "example" or "graph", nor the off-topic word.
    diagram = [replace(slide("ocr", similarity=0.25), text="Links: bar -> foo, bad -> foo, widget -> foo")]
    assert coverage("In the example graph, which pages link to foo?", diagram) == 1.0  # link, foo
    assert notes_answer("In the example graph, which pages link to foo?", diagram, None)
    assert not notes_answer("In the example graph, what damping factor is used?", diagram, None)
    assert coverage("What does the figure show?", [slide("text_layer")]) == 0.0  # pointers only: all count


def test_only_near_words_of_similar_length_count() -> None:
    by_length = ocr_by_length(["PaqeRank contributlons jain pagc transforrnation"])
    assert near_ocr_word("pagerank", by_length)  # one letter misread
    assert near_ocr_word("contributions", by_length)  # as read: one letter, "contributlons"
    assert not near_ocr_word("join", by_length)  # short words: one letter makes another word ("jain")
    assert not near_ocr_word("page", by_length)
    recap = "A recap of the folds"  # "recipe" stems to "recip", one letter from "recap": another word
    assert not NotesVocabulary.from_texts([recap], [recap]).knows("recipe")
    assert near_ocr_word("transformation", by_length)  # "rn" read for "m": two edits in a long word
    assert not near_ocr_word("translation", by_length)  # a word of the same field is not a misreading
    assert not near_ocr_word("damping", by_length)
    assert not near_ocr_word("pagerank", {})
