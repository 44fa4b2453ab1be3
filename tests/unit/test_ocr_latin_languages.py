"""OCR languages "auto" on Latin-script pages: the pack of the page's language (fake engine, no Tesseract)."""

from __future__ import annotations

from PIL import Image

from workers.ocr.ports import OcrEngine, OcrResult
from workers.ocr.scripts import MAX_SWITCHES, AutoLanguages, fits, languages_for_text

# A Spanish slide as the English pack reads it (accents lost), and as "spa+eng" reads it.
SPANISH_AS_ENGLISH = (
    "Interpretacién de los graficos de colores de esfuerzos y deformaciones. Los esfuerzos normales en la "
    "seccién transversal de la viga se calculan con la formula de flexion y dependen del momento flector."
)
SPANISH = (
    "Interpretación de los gráficos de colores de esfuerzos y deformaciones. Los esfuerzos normales en la "
    "sección transversal de la viga se calculan con la fórmula de flexión y dependen del momento flector."
)
FRENCH = (
    "Les contraintes normales dans la section transversale de la poutre sont calculées avec la formule de "
    "flexion et dépendent du moment fléchissant appliqué sur la structure."
)
ENGLISH = (
    "Cross-validation estimates the prediction error of a model by fitting it on part of the data and "
    "measuring its error on the held-out part, repeated over several folds."
)
IMAGE = Image.new("L", (10, 10))


class FakeOcr(OcrEngine):
    """Reads the image as `results[languages]` with a set confidence; records the passes."""

    def __init__(self, results: dict[str, tuple[str, float]], available: set[str]) -> None:
        self.results, self.packs = results, available
        self.calls: list[str] = []

    def available_languages(self) -> set[str]:
        return self.packs

    def read(self, image: Image.Image, *, languages: str, sparse: bool = False) -> OcrResult:
        self.calls.append(languages)
        text, confidence = self.results.get(languages, ("", 0.0))
        return OcrResult(text=text, confidence=confidence, words=len(text.split()))


ALL = {"eng", "hin", "chi_sim", "rus", "spa", "fra", "deu", "ita", "por"}


def test_a_spanish_page_is_read_again_with_the_spanish_pack_and_the_deck_goes_straight_to_it() -> None:
    ocr = FakeOcr({"eng": (SPANISH_AS_ENGLISH, 0.86), "spa+eng": (SPANISH, 0.9)}, ALL)
    auto = AutoLanguages(ocr)
    result, languages = auto.read(IMAGE)
    assert languages == "spa+eng" and "sección" in result.text
    assert ocr.calls == ["eng", "spa+eng"] and auto.last == "spa+eng"
    _, languages = auto.read(IMAGE)  # the next page: one pass, in Spanish
    assert languages == "spa+eng" and ocr.calls[2:] == ["spa+eng"]


def test_an_english_page_costs_one_english_pass_with_every_pack_installed() -> None:
    ocr = FakeOcr({"eng": (ENGLISH, 0.9), "spa+eng": (ENGLISH, 0.9)}, ALL)
    result, languages = AutoLanguages(ocr).read(IMAGE)
    assert languages == "eng" and ocr.calls == ["eng"] and result.text == ENGLISH


def test_without_the_languages_pack_the_english_reading_stays() -> None:
    ocr = FakeOcr({"eng": (SPANISH_AS_ENGLISH, 0.86), "spa+eng": (SPANISH, 0.9)}, {"eng", "hin"})
    _, languages = AutoLanguages(ocr).read(IMAGE)
    assert languages == "eng" and ocr.calls == ["eng"]


def test_short_or_garbled_text_is_not_given_a_language() -> None:
    for text in ("Sección 4.9", "Ura TeTH afar ured urftter fer site wqx plorb zzkt " * 3):
        ocr = FakeOcr({"eng": (text, 0.95), "deu+eng": (text, 0.95), "spa+eng": (text, 0.95)}, ALL)
        _, languages = AutoLanguages(ocr).read(IMAGE)
        assert languages == "eng" and ocr.calls == ["eng"]


def test_a_page_in_another_latin_language_switches_within_a_bounded_number_of_passes() -> None:
    ocr = FakeOcr(
        {"eng": (FRENCH, 0.85), "spa+eng": (FRENCH, 0.85), "fra+eng": (FRENCH, 0.9)},
        ALL,
    )
    auto = AutoLanguages(ocr, last="spa+eng")
    _, languages = auto.read(IMAGE)
    assert languages == "fra+eng" and ocr.calls == ["spa+eng", "fra+eng"]
    # A deck that changes language on every page pays a second pass at most MAX_SWITCHES times.
    auto = AutoLanguages(ocr, last="spa+eng", switches=MAX_SWITCHES)
    ocr.calls.clear()
    _, languages = auto.read(IMAGE)
    assert languages == "spa+eng" and ocr.calls == ["spa+eng"]


def test_text_layers_give_their_language_and_cyrillic_gets_russian() -> None:
    assert languages_for_text(SPANISH, ALL) == "spa+eng"
    assert languages_for_text(SPANISH, {"eng"}) == "eng"
    assert languages_for_text(ENGLISH, ALL) == "eng"
    assert (
        languages_for_text("Молекулярные дескрипторы и представление молекул в хемоинформатике", ALL)
        == "eng+rus"
    )
    # A Spanish set fits a Spanish formula slide read with low confidence (its words are Spanish words).
    assert fits("spa+eng", OcrResult(SPANISH, 0.65, 30))
    assert not fits("eng", OcrResult(SPANISH, 0.65, 30))


def test_english_term_lists_lingua_places_in_french_keep_the_english_pack() -> None:
    # lingua tells both lines French; their words are English words, so the page keeps "eng"
    for text in (
        "Cell membrane structure: phospholipid bilayer, integral proteins, peripheral proteins, cholesterol, "
        "glycolipids",
        "Matrix Inversion Determinant Eigenvalues Eigenvectors Diagonalization Orthogonal Projection Linear "
        "Transformation Basis",
    ):
        assert languages_for_text(text, {"eng", "fra", "spa"}) == "eng"
        ocr = FakeOcr({"eng": (text, 0.92), "fra+eng": (text, 0.93)}, {"eng", "fra", "spa"})
        auto = AutoLanguages(ocr)
        assert auto.read(IMAGE)[1] == "eng"
        assert ocr.calls == ["eng"] and auto.last == "eng"
