"""Questions and notes in a language other than English (workers/ai/retrieval.py, refusal.py,
slide_choice.py): the notes' language sets the stems and stop words of both sides, the English-only
embedder's ranking is left out of the fusion for a non-English question on non-English notes, and the
refusal reads such a question by its words more than by the embedder's similarity. English is unchanged.
Fakes only (no model, no database)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.test_answer_rules import ev
from tests.unit.test_retrieval_fusion import FakeSubject, FixedKeywords, evidence, retriever, rrf
from workers.ai.refusal import (
    MIN_SIMILARITY_LATIN,
    OWN_MIN_SIMILARITY,
    Features,
    NotesVocabulary,
    decide,
    notes_answer,
)
from workers.ai.retrieval import KeywordIndex, match_terms, own_language, query_vector_weight
from workers.ai.slide_choice import answering_order

SPANISH_NOTES = [
    (1, "Las grietas aparecen en el concreto bajo compresión uniaxial, paralelas a la carga."),
    (2, "La resistencia a tracción del concreto es mucho menor que su resistencia a compresión."),
    (3, "El momento flector positivo comprime la fibra superior de la viga."),
]


def test_english_words_are_compared_as_before_and_spanish_ones_with_spanish_stems() -> None:
    text = "The matrices of the graphs"
    assert match_terms(text, "en") == match_terms(text) == ["matric", "graph"]
    # The English stemmer leaves "aparecen" whole while "aparece" loses its "e": they never met.
    assert match_terms("aparecen") != match_terms("aparece")
    assert match_terms("aparecen", "es") == match_terms("aparece", "es") == ["aparec"]
    assert match_terms("diseñadores", "es") == match_terms("diseño", "es")
    # Russian notes: their function words are not search terms.
    assert "что" in match_terms("Что называют степенью вершины?")
    assert match_terms("Что называют степенью вершины?", "ru") == ["называ", "степен", "вершин"]


def test_the_keyword_index_reads_the_notes_language_and_matches_word_forms_in_it() -> None:
    index = KeywordIndex.build(SPANISH_NOTES)
    assert index.language == "es"
    # "aparece" (the question) and "aparecen" (the slide) only meet with Spanish stems.
    assert [cid for cid, _ in index.search("¿Cuándo aparece una grieta?", 3)][:1] == [1]
    english = KeywordIndex.build([(1, "The matrices of a graph."), (2, "Walks of length k.")])
    assert english.language == "en"


def test_a_question_and_notes_both_not_in_english_count_as_their_own_language() -> None:
    assert own_language("¿Por qué es difícil medir la resistencia a tracción del concreto?", "es")
    assert own_language("Как работает алгоритм Флойда-Уоршелла?", "ru")
    assert not own_language("¿Por qué es difícil medir la resistencia a tracción?", "en")  # English notes
    assert not own_language("What is the tensile strength of concrete?", "es")  # an English question


def test_the_vector_ranking_is_left_out_for_a_question_in_the_notes_own_language() -> None:
    spanish = "¿Qué tan grande es la resistencia a tracción del concreto?"
    assert query_vector_weight(spanish, "es") == 0.0
    assert query_vector_weight(spanish, "en") == 1.0  # English notes: as before
    assert query_vector_weight("What is the tensile strength of concrete?", "es") == 1.0
    assert query_vector_weight("Что такое степень вершины?", "en") == 0.5  # another script: as before


class LanguageKeywords(FixedKeywords):
    def __init__(self, hits: list[tuple[int, float]], language: str) -> None:
        super().__init__(hits)
        self.language = language


@pytest.mark.parametrize(
    ("notes", "vector_adds"),
    [("es", False), ("en", True)],
)
def test_the_fusion_reads_the_notes_language_from_the_keyword_index(notes: str, vector_adds: bool) -> None:
    r = retriever(vector=[(1, 0.9)], keywords=[(2, 5.0), (1, 1.0)], chunks=[evidence(1), evidence(2)])
    r.keyword_index = lambda db, subject: LanguageKeywords(r.keywords, notes)  # type: ignore[method-assign]
    question = "¿Qué tan grande es la resistencia a tracción del concreto?"
    found: list[Any] = r.search(None, subject=FakeSubject(), query=question, k=5)  # type: ignore[arg-type]
    scores = {e.chunk_id: e.score for e in found}
    vector_part = rrf(0) if vector_adds else 0.0
    assert scores[1] == pytest.approx(vector_part + rrf(1) + 1e-4 * (0.9 + 1 / 30))
    assert [e.chunk_id for e in found] == ([1, 2] if vector_adds else [2, 1])


def test_a_generic_question_in_the_notes_language_is_refused_unless_its_words_are_there() -> None:
    # The English-only embedder gives a Spanish question 0.5 against any Spanish slide.
    off_topic = Features(coverage=0.0, similarity=0.5, missing=[], language="es")
    question = "¿Quién pintó la Mona Lisa?"
    assert OWN_MIN_SIMILARITY > 0.5 >= MIN_SIMILARITY_LATIN
    assert not decide(off_topic, question)
    assert decide(Features(coverage=0.0, similarity=0.5, missing=[], language="en"), question)  # as before
    # A third of its words on the slides answers it.
    assert decide(Features(coverage=0.34, similarity=0.45, missing=[], language="es"), question)


CRACKS = "Las fisuras diagonales aparecen cerca del apoyo de la viga."
WHERE = "¿Dónde aparece la fisura diagonal?"  # English stems: one of its four words on CRACKS; Spanish: three


def test_the_refusal_counts_a_spanish_question_words_with_spanish_stems() -> None:
    slides = [ev(1, CRACKS, 0.3)]
    vocabulary = NotesVocabulary.from_texts([CRACKS, *(text for _, text in SPANISH_NOTES)])
    assert vocabulary.language == "es"
    assert notes_answer(WHERE, slides, vocabulary)
    assert not notes_answer("¿Quién pintó la Mona Lisa?", slides, vocabulary)


def test_the_answering_slide_is_chosen_with_the_slides_language() -> None:
    listed = ev(5, "Temas: la fisura diagonal, el diseño.", 0.6)
    defines = ev(9, CRACKS, 0.4)
    assert answering_order(WHERE, [listed, defines])[0] is defines
