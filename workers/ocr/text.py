"""Text clean-up: quality of a text layer, de-hyphenation, repeated headers/footers and page numbers."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import regex

from shared.text import CJK, INDIC, count_cjk, count_indic, detect_language, plausible_share

_WS = re.compile(r"[ \t\u00a0\u2000-\u200b]+")
_HYPHEN = re.compile(r"(\w)[-\u00ad]\n(?=[a-z\u00e0-\u00ff])")
# "k -Fold": a text layer's space after an italic lone letter before a hyphen and a word ("k-Fold", "k-fold");
# never "a - b" (a space after the sign) nor "x -y", "n -log n" (a symbol or a short function name after it)
_LONE_LETTER_HYPHEN = re.compile(r"(?<!\S)([A-Za-z]) -(?=(?:[A-Z][a-z]{2,}|[a-z]{4,})(?![\w(]))")
_PAGE_NUMBER = re.compile(r"^\s*(page\s*)?\d{1,4}(\s*(/|of)\s*\d{1,4})?\s*$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_LATIN_WORD = regex.compile(r"^\p{Latin}+$")
_FOREIGN = regex.compile(f"[{CJK.pattern[1:-1]}{INDIC.pattern[1:-1]}]")  # CJK or Indic characters
_PLAUSIBLE_WORD = regex.compile(r"\p{L}{2,}")
_FOREIGN_LETTER = regex.compile(rf"(?=\p{{L}}){_FOREIGN.pattern}")
BULLETS = "•◦▪▫‣⁃●○■□►▶❖◆◇➢➤✓✔-*"


def clean_text(text: str) -> str:
    """Normalise spaces and line ends, keep bullets as lines, fold runs of blank lines; "k -Fold" (a lone
    letter's stray space before a hyphen and a word) is "k-Fold"."""
    for old, new in (("\r\n", "\n"), ("\r", "\n"), ("\x0b", "\n")):
        text = text.replace(old, new)
    text = unicodedata.normalize("NFC", text)
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    lines = [_LONE_LETTER_HYPHEN.sub(r"\1-", _WS.sub(" ", line).strip()) for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return dehyphenate("\n".join(out).strip())


def dehyphenate(text: str) -> str:
    """Join words broken across lines: 'infor-\\nmation' -> 'information'."""
    return _HYPHEN.sub(r"\1", text)


def first_line(text: str) -> str:
    """The first line that reads like a heading: mostly letters (OCR noise and bare numbers are not)."""
    fallback = ""
    for line in text.split("\n"):
        stripped = line.strip().lstrip(BULLETS).strip()
        if not stripped or _PAGE_NUMBER.match(stripped):
            continue
        letters = sum(ch.isalpha() for ch in stripped)
        if letters >= 3 and letters / len(stripped.replace(" ", "")) >= 0.5:
            return stripped[:300]
        fallback = fallback or stripped[:300]
    return fallback


# The commonest letter pairs of English, Spanish, French and German words. Real words are mostly made of
# them; mis-mapped glyphs ("BCDEFDEFGHD", "NKNBPECQRR") are not. A cheap stand-in for a dictionary that
# works across the Latin-script languages of the corpus.
COMMON_BIGRAMS = frozenset(
    """
    th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co me
    de hi ri ro ic ne ea ra ce li ch ll be ma si om ur ca el ta la ns di fo ho pe ec pr no ct us ac ot
    il tr ly nc et ut ss so rs un lo wa ge ie wh ee wi em ad ol rt po we na ul ni ts mo ow pa im mi ai
    sh ir su id os iv ia am fi ci vi pl ig tu ev ld ry mp fe bl ab gh ty op wo sa ay ex ke fr oo av ag
    if ap gr od bo sp rd do uc bu ei ov by rm ep tt oc fa ef cu rn sc gi da yo cr cl du ga qu ue ff ba
    ey ls va um pp ua up lu go ht ru ug ds lt pi rc rr eg au ck ew mu br bi pt ak pu ui rg ib tl ny ki
    rk ys ob mm fu ph og ms ye ud mb ip ub oi rl gu dr hr cc tw ft wn nu af hu nn eo vo rv nf xp gn sm
    fl iz ok nl my gl aw ju oa eq sy sl ps jo rf ez ij nz tz sch lz hn hl hm ks xt xi xa uo dd bb gg zz
    za zo zu ze zi ya ja je ji lé ré né té
    """.split()  # noqa: SIM905 - a word list reads best as text
)


def _pronounceable(token: str) -> bool:
    """Most of the token's letter pairs are common ones (accents folded)."""
    folded = "".join(
        ch for ch in unicodedata.normalize("NFKD", token.lower()) if ch.isalpha() and ch.isascii()
    )
    pairs = [folded[i : i + 2] for i in range(len(folded) - 1)]
    if not pairs:
        return False
    return sum(p in COMMON_BIGRAMS for p in pairs) / len(pairs) >= 0.5


def text_quality(text: str) -> float:
    """0..1: how much of a text layer looks like real words. Garbage layers (wrong glyph maps, control
    characters) score low; CJK and Indic scripts count as words by their characters."""
    raw = text.replace("\r", "\n")
    visible = [ch for ch in raw if not ch.isspace()]
    if not visible:
        return 0.0
    control = sum(1 for ch in visible if unicodedata.category(ch)[0] == "C")
    if control / len(visible) > 0.05:
        return 0.0
    script = count_cjk(raw) + count_indic(raw)
    if script / len(visible) > 0.3:
        return min(1.0, (script + sum(ch.isalnum() for ch in visible)) / len(visible))
    tokens = [t.strip(".,;:!?()[]{}\"'«»“”‘’`" + BULLETS) for t in raw.split()]
    tokens = [t for t in tokens if t]
    if not tokens:
        return 0.0
    wordlike = 0.0
    for token in tokens:
        latin = not token.isdigit() and _LATIN_WORD.match(token) is not None
        if token.isdigit():
            wordlike += 1
        elif latin and len(token) <= 3:
            wordlike += 0.5  # short tokens say little either way
        elif latin and _pronounceable(token):
            wordlike += 1
        elif any(ch.isalpha() for ch in token) and sum(ch.isalnum() for ch in token) / len(token) >= 0.6:
            wordlike += 0.5  # formulas, code, hyphenated words: half credit
    return wordlike / len(tokens)


def usable_text_layer(
    text: str, *, min_chars: int = 20, min_quality: float = 0.6, min_plausible: float = 0.8
) -> bool:
    """A text layer worth keeping instead of OCR: it looks like words (text_quality), or, where letter
    pairs misjudge it (formulas in math italics, short Spanish labels), at least ``min_plausible`` of its
    words (four or more) are dictionary words of its language (wordfreq). Layers of control or private-use
    characters never pass."""
    stripped = "".join(text.split())
    if len(stripped) < min_chars:
        return False
    quality = text_quality(text)
    if quality >= min_quality:
        return True
    if quality == 0.0 or len(_PLAUSIBLE_WORD.findall(text)) < 4:  # 0.0: control characters, no words
        return False
    return plausible_share(text, detect_language(text)) >= min_plausible


def _edge_key(line: str) -> str:
    """Lines that are mostly letters must repeat exactly; lines of numbers, dates and 'Page n' match with
    their digits ignored ('10/25/2022 14' and '10/25/2022 15' are the same footer)."""
    stripped = line.strip().lower()
    letters = sum(ch.isalpha() for ch in stripped)
    if "page" in stripped or "slide" in stripped or letters < len(stripped.replace(" ", "")) * 0.5:
        return _DIGITS.sub("#", stripped)
    return stripped


def drop_stray_script(text: str, *, max_share: float = 0.1) -> str:
    """OCR with several languages (eng+hin) reads some symbols of an English page as Devanagari or CJK
    letters. When such letters are a small minority of the page, the words made only of them go."""
    foreign = len(_FOREIGN_LETTER.findall(text))
    if not foreign or foreign > max_share * sum(ch.isalpha() for ch in text):
        return text
    kept = []
    for line in text.split("\n"):
        words = [
            w
            for w in line.split(" ")
            if not (any(ch.isalpha() for ch in w) and all(_FOREIGN.match(ch) or not ch.isalpha() for ch in w))
        ]
        kept.append(" ".join(words))
    return "\n".join(kept)


def strip_repeated_edges(pages: list[str], *, edge_lines: int = 3, min_share: float = 0.5) -> list[str]:
    """Remove headers and footers repeated across pages and bare page numbers at a page's start or end.
    Needs at least three pages to call anything repeated."""
    counts: Counter[str] = Counter()
    split = [p.split("\n") for p in pages]
    for lines in split:
        nonblank = [line for line in lines if line.strip()]
        edges = {_edge_key(line) for line in nonblank[:edge_lines] + nonblank[-edge_lines:]}
        counts.update(edges)
    threshold = max(3, int(len(pages) * min_share + 0.999))
    repeated = {key for key, n in counts.items() if n >= threshold and key}
    cleaned = []
    for lines in split:
        nonblank_idx = [i for i, line in enumerate(lines) if line.strip()]
        edge_idx = set(nonblank_idx[:edge_lines] + nonblank_idx[-edge_lines:])
        kept = [
            line
            for i, line in enumerate(lines)
            if not (i in edge_idx and (_edge_key(line) in repeated or _PAGE_NUMBER.match(line)))
        ]
        cleaned.append("\n".join(kept).strip())
    return cleaned
