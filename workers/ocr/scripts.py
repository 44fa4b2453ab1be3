"""OCR languages per page: what a page is written in, not one language set for every page.

A subject's ``ocr_languages`` is "auto" by default. Then a page with a text layer is OCR'd (figures, mended
words) with the packs for the scripts of its layer; a page without one is read first with the pack its deck
last needed (English to begin with) and kept when the result fits: confident words for English, the script's
own letters for the others. Only when it does not fit are the other installed packs tried, and the best fit
kept. English pages therefore cost one English pass (cheaper than the old "eng+hin" pass on every page, which
also turned symbols into stray Devanagari: "1४४ 2 0४॥00"); a Hindi page costs one or two passes.
Latin pages are read with the pack of their language: the language of the page's text layer, or of its
English pass, told by the toolkit's detector (shared/text/language.py); a Spanish page is then read again
with "spa+eng" (an English pass turns "sección" into "seccién") and the deck's next pages go straight to it.
English pages, pages whose text is too short or not made of words to tell, and languages whose pack is not
installed keep the English reading. An explicit language set ("eng", "eng+hin", ...) is used as it is, on
every page.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

import regex
from PIL import Image

from shared.errors import AppError
from shared.text.language import detect_language, sample
from shared.text.plausibility import plausible_share, zipf
from workers.ocr.ports import OcrEngine, OcrResult

AUTO = "auto"
SCRIPTS = ("Latin", "Devanagari", "Han", "Hiragana", "Katakana", "Hangul", "Cyrillic", "Arabic", "Greek")
_SCRIPT_RES = {name: regex.compile(rf"\p{{Script={name}}}") for name in SCRIPTS}
# The Tesseract pack for each script. Pages in any script carry English words, formulas and references, so a
# non-Latin page is read with English too, English first: on the Hindi paper's tuning pages (4, 12) "eng+hin"
# gave CER 7.9% where "hin+eng" gave 10.0% (the first pack leads where both read a glyph: Latin words,
# digits).
SCRIPT_PACKS: dict[str, str] = {
    "Latin": "eng",
    "Devanagari": "hin",
    "Han": "chi_sim",
    "Hiragana": "jpn",
    "Katakana": "jpn",
    "Hangul": "kor",
    "Cyrillic": "rus",
    "Arabic": "ara",
    "Greek": "ell",
}
# Latin-script languages the detector tells apart, and their packs. The language's pack goes first, English
# after it: on the Spanish dev deck's scanned copy (40 pages, whole pages read at 200 dpi) "spa+eng" found 89
# of its 91 accented words, "eng+spa" 86, "eng" 1.
LATIN_PACKS: dict[str, str] = {"es": "spa", "fr": "fra", "de": "deu", "it": "ita", "pt": "por", "nl": "nld"}
# Too little text to tell its language (a title, a formula), or text not made of the language's words (OCR
# debris, which the detector still places somewhere): the page keeps its English reading.
DETECT_MIN_WORDS, DETECT_WORD_SHARE = 8, 0.6
# ... and at least this share of its words more common in the detected language than in English: lingua places
# some English term lists ("Matrix Inversion Determinant Eigenvalues ...", "Cell membrane structure:
# phospholipid bilayer, ...") in French, and plausible_share counts English words as known in any language.
# Spanish, French and German sentences score 0.8-1.0 in their language, English ones 0.0-0.27.
OWN_WORD_SHARE = 0.5
MAX_SWITCHES = 4  # per deck: second passes in another Latin language (a deck changing language every page)
MIN_SCRIPT_SHARE = 0.1  # a script with fewer of the page's letters is a stray word, not the page's language
ENGLISH_CONFIDENCE = 0.8  # an English pass this confident (and not nearly empty) is the page's reading
FEW_WORDS, FEW_WORDS_CONFIDENCE = 15, 0.9
# ... or, less confident, made of English words: a Hindi page read as English has 65-72% of its 3+ letter
# "words" in wordfreq's English list (the English in its options, and chance), maths slides 81-99%.
WORDY_CONFIDENCE, WORDY_SHARE, WORDY_MIN = 0.6, 0.8, 5
# A non-Latin pass that fits: a good share of its letters in its script (the Hindi paper's pages are half
# English words), read confidently. English pages read with "eng+hin" have a few percent stray Devanagari.
OTHER_SCRIPT_SHARE, OTHER_CONFIDENCE = 0.3, 0.7


def script_counts(text: str) -> Counter[str]:
    """Letters per script (Latin, Devanagari, Han, ...); digits and punctuation belong to none."""
    counts: Counter[str] = Counter()
    for ch in text:
        if not ch.isalpha():
            continue
        for name, pattern in _SCRIPT_RES.items():
            if pattern.match(ch):
                counts[name] += 1
                break
    return counts


def languages_for_scripts(counts: Counter[str], available: set[str]) -> str:
    """Installed packs for the scripts with a real share of the letters: "eng" first, then the others by
    share; "eng" when nothing is known."""
    total = sum(counts.values())
    packs = [
        SCRIPT_PACKS[script]
        for script, n in counts.most_common()
        if n / total >= MIN_SCRIPT_SHARE and script in SCRIPT_PACKS and SCRIPT_PACKS[script] in available
    ]
    others = [pack for i, pack in enumerate(packs) if pack != "eng" and pack not in packs[:i]]
    return "+".join(["eng", *others])


def latin_language(text: str) -> str | None:
    """The Latin-script language (not English) the text is surely in, e.g. "es"; None for English, or when
    the text is too short or too garbled to tell. Looks at a sample of the text only (bounded cost)."""
    part = sample(text)
    if len([w for w in regex.findall(r"\p{L}+", part) if len(w) >= 3]) < DETECT_MIN_WORDS:
        return None
    lang = detect_language(part, default="en")
    if lang not in LATIN_PACKS or plausible_share(part, lang, min_len=3) < DETECT_WORD_SHARE:
        return None
    found = [w for w in regex.findall(r"\p{L}+", part) if len(w) >= 3]
    if sum(zipf(w, lang) > zipf(w, "en") for w in found) < OWN_WORD_SHARE * len(found):
        return None  # English words that lingua placed elsewhere
    return lang


def latin_languages(text: str, available: set[str]) -> str:
    """ "spa+eng" for a Spanish text when the Spanish pack is installed; "eng" otherwise."""
    pack = LATIN_PACKS.get(latin_language(text) or "")
    return f"{pack}+eng" if pack in available else "eng"


def languages_for_text(text: str, available: set[str]) -> str:
    """The packs for a text layer's scripts; for a Latin-only text, its language's pack and English."""
    languages = languages_for_scripts(script_counts(text), available)
    return latin_languages(text, available) if languages == "eng" else languages


def _script_of(languages: str) -> str:
    """The script a language set is for: its first pack that is not English's."""
    packs = [p for p in languages.split("+") if p != "eng"]
    return next((s for s, pack in SCRIPT_PACKS.items() if packs and pack == packs[0]), "Latin")


def script_of(languages: str) -> str:
    """The script a language set reads besides Latin ("eng+chi_sim": Han); Latin for English alone."""
    return _script_of(languages)


def latin_only(languages: str) -> bool:
    """The language set reads Latin script only ("eng", "auto" before any page was read)."""
    return languages == AUTO or _script_of(languages) == "Latin"


def _share(text: str, script: str) -> float:
    counts = script_counts(text)
    total = sum(counts.values())
    return counts[script] / total if total else 0.0


def english_share(text: str, lang: str = "en") -> float:
    """Share of the text's words of three letters or more that wordfreq's English list (or ``lang``'s)
    knows."""
    from wordfreq import zipf_frequency

    words = [w for w in regex.findall(r"\p{L}+", text) if len(w) >= 3]
    if len(words) < WORDY_MIN:
        return 0.0
    langs = {"en", lang}
    return sum(any(zipf_frequency(w.lower(), code) >= 2.5 for code in langs) for w in words) / len(words)


def _latin_code(languages: str) -> str:
    """The language a Latin set reads ("spa+eng": "es"); "en" for English."""
    first = languages.split("+")[0]
    return next((code for code, pack in LATIN_PACKS.items() if pack == first), "en")


def fits(languages: str, result: OcrResult) -> bool:
    """The result reads like a page in these languages."""
    script = _script_of(languages)
    if script == "Latin":
        confident = result.confidence >= ENGLISH_CONFIDENCE and (
            result.words >= FEW_WORDS or result.confidence >= FEW_WORDS_CONFIDENCE
        )
        # Formula-heavy slides read with low confidence, yet their words are English words.
        return confident or (
            result.confidence >= WORDY_CONFIDENCE
            and english_share(result.text, _latin_code(languages)) >= WORDY_SHARE
        )
    return _share(result.text, script) >= OTHER_SCRIPT_SHARE and result.confidence >= OTHER_CONFIDENCE


@dataclass
class AutoLanguages:
    """Per deck: which packs the last image page needed (tried first on the next page), shared by the page
    threads of one read."""

    engine: OcrEngine
    last: str = "eng"
    switches: int = 0  # second passes in another Latin language so far (at most MAX_SWITCHES)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def available(self) -> set[str]:
        try:
            return self.engine.available_languages()
        except AppError:
            return {"eng"}

    def candidates(self) -> list[str]:
        available = self.available()
        out = [self.last]
        for script in SCRIPTS:
            langs = languages_for_scripts(Counter({script: 1}), available)
            if langs not in out and (script == "Latin" or langs != "eng"):
                out.append(langs)
        return out

    def read(self, image: Image.Image, *, sparse: bool = False) -> tuple[OcrResult, str]:
        """The page read with the packs that fit it best, and those packs."""
        with self._lock:
            order = self.candidates()
        tried: list[tuple[OcrResult, str]] = []
        for languages in order:
            result = self.engine.read(image, languages=languages, sparse=sparse)
            if fits(languages, result):
                result, languages = self._in_its_language(image, result, languages, tried, sparse)
                with self._lock:
                    self.last = languages
                return result, languages
            tried.append((result, languages))
        # Nothing fits well (handwriting, noise): the most confident reading whose letters are its script's.
        plausible = [
            (r, langs)
            for r, langs in tried
            if _script_of(langs) == "Latin" or _share(r.text, _script_of(langs)) >= OTHER_SCRIPT_SHARE
        ]
        return max(plausible or tried, key=lambda pair: pair[0].confidence)

    def _in_its_language(
        self,
        image: Image.Image,
        result: OcrResult,
        languages: str,
        tried: list[tuple[OcrResult, str]],
        sparse: bool,
    ) -> tuple[OcrResult, str]:
        """A Latin reading that fits, read again with the pack of the language it is in when that is not the
        pack it was read with (one more pass; none for English or an unsure language)."""
        if _script_of(languages) != "Latin":
            return result, languages
        wanted = latin_languages(result.text, self.available())
        if wanted == "eng" or wanted.split("+")[0] in languages.split("+"):
            return result, languages  # English, unsure or no pack (today's reading), or already its pack
        again = next((r for r, langs in tried if langs == wanted), None)
        if again is None:
            with self._lock:
                if self.switches >= MAX_SWITCHES:
                    return result, languages
                self.switches += 1
            again = self.engine.read(image, languages=wanted, sparse=sparse)
        # The language's pack reads the language's words; kept unless it reads the page clearly worse.
        if fits(wanted, again) or again.confidence >= result.confidence - 0.05:
            return again, wanted
        return result, languages
