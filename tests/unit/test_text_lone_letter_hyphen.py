"""A text layer's stray space after an italic lone letter before a hyphen ("k -Fold Cross Validation") is
dropped when text is cleaned (workers/ocr/text.clean_text); maths keeps its spaces."""

from __future__ import annotations

from workers.ocr.text import clean_text


def test_a_lone_letter_space_hyphen_word_is_one_compound() -> None:
    assert clean_text("1. k -Fold Cross Validation") == "1. k-Fold Cross Validation"
    assert clean_text("Estimate model performance\nk -fold cross validation") == (
        "Estimate model performance\nk-fold cross validation"
    )


def test_maths_and_dashes_keep_their_spaces() -> None:
    for text in (
        "a - b",  # a minus between two terms
        "x -y",  # a sign before a symbol
        "f = n -log n",  # a short function name after the sign
        "g = a -sqrt(b)",  # a call after the sign
        "R – computes s",  # a dash introducing a gloss
        "ab -Fold",  # not a lone letter
        "3.k -Fold",  # glued to what is before it
    ):
        assert clean_text(text) == text, text
