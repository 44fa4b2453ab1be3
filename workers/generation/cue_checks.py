"""Whether a multiple-choice question's options are of one kind, so the key does not stand out by its form.

A distractor of another kind than the key gives the key away without study (the judges' "distractors of
another kind"): one-letter symbols beside a two-word term ("Степень вершины" / "Sy" / "Bo" / "Vw"), a
sentence or a slide's title beside a term ("Exploding gradients" / "Word order is important" / "Training:
Acceptor RNN"), a formula beside words ("SISO channel" / "2NZ" in italic maths letters). Signals any deck
has, read off the options alone: the script of their letters, their length, their number of words, a
colon. The question is dropped, never repaired. The case of the options' first letters is evened
earlier (quiz_balance.even_case).

And whether a term card's cue determines its back: a back (or a front) that is a remark on a class many terms
belong to ("Security => an essential pre-requisite for availability, ...", "Incorrect processing of badly
formed inputs => a common cause of security vulnerabilities", "... => a business rather than a technical
process") is no definition the bare term would call up, and the remark fits the lecture's other terms too.
English only (the words of the remark); the card is dropped.

Measured on the pooled blind dev judgments (benchmarks/cue_checks.py; docs/benchmarks.md, "Seventh session:
cues that determine the answer").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# The key is of another length when it is this many times longer than the longest distractor, or this many
# times shorter than the shortest (characters). Chosen leaving one dev deck out.
ODD_LENGTH_RATIO = 2.5
# A key of at most three words (a term) is of another kind than a distractor this many words longer (a
# sentence, a fragment of one). Chosen leaving one dev deck out.
ODD_WORD_GAP = 3
_TERM_WORDS = 3


def _script(text: str) -> str | None:
    """The script of the option's first letter (LATIN, CYRILLIC, CJK, MATHEMATICAL (italic symbols), ...);
    None when it has no letter (a number)."""
    for ch in text:
        if ch.isalpha():
            return unicodedata.name(ch, "?").split()[0]
    return None


def odd_option(options: Sequence[str], key: str) -> str | None:
    """Why one of the options is of another kind than the key (the key then stands out), or None."""
    others = [o.strip() for o in options if o.strip() and o != key]
    key = key.strip()
    if not others or not key:
        return None
    if any(_script(o) != _script(key) for o in others):
        return "odd_option_script"
    lengths = [len(o) for o in others]
    if len(key) > ODD_LENGTH_RATIO * max(lengths) or len(key) * ODD_LENGTH_RATIO < min(lengths):
        return "odd_option_length"
    n_key = len(key.split())
    if n_key <= _TERM_WORDS and any(len(o.split()) >= n_key + ODD_WORD_GAP for o in others):
        return "odd_option_words"
    if ":" not in key and any(":" in o for o in others):
        return "odd_option_colon"
    return None


# A predicate that ranks or rates instead of defining: "a common cause of", "one of the main threats", "an
# essential pre-requisite for", "a serious problem because"; or one that contrasts ("a business rather than a
# technical process"). Words chosen narrow (no "simple", "basic", "key": "a simple algorithm for binary
# classification" is a definition).
_CLASS_REMARK = re.compile(
    r"^(?:(?:a|an|the|one of the|one of|among the)\s+)(?:most\s+|very\s+)?"
    r"(?:common|commonest|serious|major|main|essential|important|critical|crucial|significant|frequent|"
    r"typical|usual)\b|\brather than\b",
    re.IGNORECASE,
)


def class_remark(kind: str, front: str, back: str) -> str | None:
    """Why a term card's cue does not determine its back (a remark on a class, not a definition), or None."""
    if kind != "basic":
        return None
    if any(_CLASS_REMARK.search(side.strip()) for side in (front, back)):
        return "class_remark"
    return None
