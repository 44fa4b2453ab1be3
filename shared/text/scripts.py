"""Writing systems, from the Unicode Script property (the `regex` module's \\p{Script=...}), not from
hand-written code-point ranges."""

from __future__ import annotations

import regex

# Chinese, Japanese and Korean: written without spaces between words (Korean has spaces, but its
# syllable blocks are tokenized the same way). ー (the kana length mark) is Script=Common.
CJK_CLASS = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}ー"
CJK = regex.compile(f"[{CJK_CLASS}]")
# CJK letters plus CJK punctuation and full-width forms (what a font must cover to print CJK text).
CJK_WITH_PUNCTUATION = regex.compile(
    f"[{CJK_CLASS}\\p{{Block=CJK_Symbols_And_Punctuation}}\\p{{Block=Halfwidth_And_Fullwidth_Forms}}]"
)
INDIC_SCRIPTS = (
    "Devanagari",
    "Bengali",
    "Gurmukhi",
    "Gujarati",
    "Oriya",
    "Tamil",
    "Telugu",
    "Kannada",
    "Malayalam",
    "Sinhala",
)
INDIC = regex.compile("[" + "".join(rf"\p{{{s}}}" for s in INDIC_SCRIPTS) + "]")
DEVANAGARI = regex.compile(r"\p{Devanagari}")

# The scripts script_of() reports; letters of any other script count as "Other".
SCRIPTS = (
    "Latin",
    "Cyrillic",
    "Greek",
    "Han",
    "Hiragana",
    "Katakana",
    "Hangul",
    "Arabic",
    "Hebrew",
    *INDIC_SCRIPTS,
    "Thai",
)
_ANY_SCRIPT = regex.compile("|".join(rf"(?P<{s}>\p{{{s}}}+)" for s in SCRIPTS) + r"|(?P<Other>\p{L}+)")


def script_of(text: str) -> dict[str, float]:
    """Each script's share of the text's letters (and of Han characters and kana), largest first; {} when
    the text has no letters. script_of("Photo 光合作用") -> {"Han": 0.8, "Latin": ...}."""
    counts: dict[str, int] = {}
    for m in _ANY_SCRIPT.finditer(text):
        name = m.lastgroup or "Other"
        counts[name] = counts.get(name, 0) + len(m.group())
    total = sum(counts.values())
    if not total:
        return {}
    return {k: v / total for k, v in sorted(counts.items(), key=lambda kv: -kv[1])}


def dominant_script(text: str) -> str | None:
    shares = script_of(text)
    return next(iter(shares), None)


def has_cjk(text: str) -> bool:
    return CJK.search(text) is not None


def count_cjk(text: str) -> int:
    return len(CJK.findall(text))


def is_cjk_char(ch: str) -> bool:
    return CJK.fullmatch(ch) is not None


def cjk_share(text: str) -> float:
    """CJK characters as a share of the text's non-space characters."""
    visible = len(text) - sum(ch.isspace() for ch in text)
    return count_cjk(text) / visible if visible else 0.0


def is_cjk(text: str, threshold: float = 0.3) -> bool:
    """Mostly CJK: more than ``threshold`` of the non-space characters."""
    return cjk_share(text) > threshold


def has_indic(text: str) -> bool:
    return INDIC.search(text) is not None


def count_indic(text: str) -> int:
    return len(INDIC.findall(text))


def is_indic_char(ch: str) -> bool:
    return INDIC.fullmatch(ch) is not None


def is_devanagari(text: str, threshold: float = 0.5) -> bool:
    """Mostly Devanagari (Hindi, Marathi, Nepali): more than ``threshold`` of the letters."""
    return script_of(text).get("Devanagari", 0.0) > threshold
