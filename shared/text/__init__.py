"""The one text toolkit: tokens, stop words, scripts, sentences, stems, language, word plausibility and
BM25, shared by the ocr, ai and generation workers so they never disagree about what a word is.

Heavy libraries (lingua, pysbd, snowballstemmer, wordfreq, bm25s) are imported on first use; none of them
downloads anything: their data ships in their wheels."""

from shared.text.bm25 import BM25Index
from shared.text.language import SUPPORTED, detect_language
from shared.text.plausibility import plausible_share, word_known
from shared.text.scripts import (
    CJK,
    INDIC,
    cjk_share,
    count_cjk,
    count_indic,
    dominant_script,
    has_cjk,
    has_indic,
    is_cjk,
    is_cjk_char,
    is_devanagari,
    is_indic_char,
    script_of,
)
from shared.text.sentences import sentences
from shared.text.stems import stem
from shared.text.stopwords import STOPWORDS, is_stopword, stopwords
from shared.text.tokens import WORD, cjk_grams, content_tokens, fold, tokens, words

__all__ = [
    "CJK",
    "INDIC",
    "STOPWORDS",
    "SUPPORTED",
    "WORD",
    "BM25Index",
    "cjk_grams",
    "cjk_share",
    "content_tokens",
    "count_cjk",
    "count_indic",
    "detect_language",
    "dominant_script",
    "fold",
    "has_cjk",
    "has_indic",
    "is_cjk",
    "is_cjk_char",
    "is_devanagari",
    "is_indic_char",
    "is_stopword",
    "plausible_share",
    "script_of",
    "sentences",
    "stem",
    "stopwords",
    "tokens",
    "word_known",
    "words",
]
