"""Hindi: broken Devanagari text layers, OCR languages per page, Devanagari search tokens (no Tesseract)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image

from shared.schemas import SubjectCreate
from shared.text import tokens as tokenize
from workers.ai.retrieval import KeywordIndex
from workers.ocr.devanagari import broken_devanagari, mend_runs, orphan_marks, split_segments
from workers.ocr.imaging import mostly_white, prepare_and_angle, turn
from workers.ocr.marks import drop_coloured_marks, ink_saturation, refine_words
from workers.ocr.pipeline import ocr_languages
from workers.ocr.ports import OcrEngine, OcrResult, OcrWord
from workers.ocr.readers import _decoded_frame
from workers.ocr.scripts import (
    AutoLanguages,
    fits,
    languages_for_scripts,
    languages_for_text,
    latin_only,
)

HINDI = (
    "उस विकल्प का चयन कीजिए, जो तीसरे पद से उसी प्रकार संबंधित है, जिस प्रकार दूसरा पद पहले पद से और "
    "छठा पद पाँचवें पद से संबंधित है। दिए गए संख्या-युग्मों में दूसरी संख्या पहली संख्या पर कुछ गणितीय "
    "संक्रिया करके प्राप्त की जाती है।"
)
# The same text as a "Print To PDF" layer stores it: i-signs before their consonant, conjuncts dropped.
BROKEN = (
    "उस िवक का चयन कीिजए, जो तीसरे पद से उसी कार सं बंिधत है, िजस कार दू सरा पद पहले पद से और "
    "छठा पद पाँचव पद से सं बंिधत है । िदए गए सं ा-यु मों म दू सरी सं ा पहली सं ा पर कु छ गिणतीय "
    "सं ि या करके ा की जाती है ।"
)


def test_broken_devanagari_layer_is_told_from_real_hindi_and_other_text() -> None:
    assert orphan_marks(BROKEN) >= 5 and orphan_marks(HINDI) == 0
    assert broken_devanagari(BROKEN)
    assert not broken_devanagari(HINDI)
    assert not broken_devanagari("The Calvin cycle fixes carbon dioxide in the stroma of chloroplasts. " * 5)
    assert not broken_devanagari("िवक कीिजए")  # too short to judge


def test_virama_free_long_devanagari_is_broken_even_without_orphan_marks() -> None:
    # Conjuncts dropped but no stray sign: 200 letters of Hindi-looking text without a single virama.
    text = " ".join(["कर", "पर", "जब", "तक", "सब", "घर", "नल", "बस"] * 15)
    assert orphan_marks(text) == 0 and broken_devanagari(text)


def test_line_splits_into_devanagari_and_latin_segments() -> None:
    line = "Q.11 एक िनिʮत कू ट-भाषा मŐ'TABLE' को ELEAT के"
    spans = [(line[a:b], dev) for a, b, dev in split_segments(line)]
    assert spans == [
        ("Q.11", False),
        ("एक िनिʮत कू ट-भाषा मŐ'", True),
        ("TABLE'", False),
        ("को", True),
        ("ELEAT", False),
        ("के", True),
    ]


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def test_mend_runs_reads_only_devanagari_runs_from_their_box() -> None:
    image = Image.new("L", (400, 100), 255)
    seen: list[tuple[int, int]] = []

    def read(crop: Image.Image) -> str:
        seen.append(crop.size)
        return " विकल्प  का\n"

    runs = [Box(10, 10, 50, 30, "Q.9"), Box(60, 10, 300, 30, "िवक का")]
    mended = mend_runs(runs, image, read)
    assert [r.text for r in mended] == ["Q.9", "विकल्प का"]
    assert len(seen) == 1 and seen[0][0] > 240 and 20 < seen[0][1] < 40  # the run's box, a little wider


class FakeOcr(OcrEngine):
    """Reads an image as `text[languages]` with a set confidence; records the passes."""

    def __init__(self, results: dict[str, tuple[str, float]]) -> None:
        self.results = results
        self.calls: list[str] = []

    def available_languages(self) -> set[str]:
        return {"eng", "hin", "chi_sim", "osd"}

    def read(self, image: Image.Image, *, languages: str, sparse: bool = False) -> OcrResult:
        self.calls.append(languages)
        text, confidence = self.results[languages]
        return OcrResult(text=text, confidence=confidence, words=len(text.split()))


ENGLISH_PAGE = "Uniform convergence of empirical means to their expectations over a class of functions " * 2


def test_auto_reads_an_english_page_with_english_alone_in_one_pass() -> None:
    ocr = FakeOcr({"eng": (ENGLISH_PAGE, 0.93), "eng+hin": (ENGLISH_PAGE + " 1४४ 2 0४॥00", 0.93)})
    result, languages = AutoLanguages(ocr).read(Image.new("L", (10, 10)))
    assert languages == "eng" and ocr.calls == ["eng"]
    assert not any("\u0900" <= ch <= "\u097f" for ch in result.text)


def test_auto_reads_a_hindi_page_with_hindi_and_remembers_it_for_the_next_page() -> None:
    ocr = FakeOcr(
        {
            "eng": ("Ura TeTH afar ured & urftter fer site " * 4, 0.6),
            "eng+hin": (HINDI + " (LHC) MRI NMR", 0.85),
            "eng+chi_sim": ("物种 形成 " * 10, 0.5),
        }
    )
    auto = AutoLanguages(ocr)
    result, languages = auto.read(Image.new("L", (10, 10)))
    assert languages == "eng+hin" and "विकल्प" in result.text
    assert ocr.calls == ["eng", "eng+hin"]
    auto.read(Image.new("L", (10, 10)))
    assert ocr.calls[2] == "eng+hin"  # the deck's last language set goes first


def test_auto_keeps_the_most_confident_plausible_reading_when_nothing_fits() -> None:
    ocr = FakeOcr({"eng": ("scribble words", 0.5), "eng+hin": ("a b c", 0.6), "eng+chi_sim": ("x", 0.1)})
    _, languages = AutoLanguages(ocr).read(Image.new("L", (10, 10)))
    assert languages == "eng"  # eng+hin read no Devanagari: not a Hindi page however confident


def test_languages_follow_the_scripts_of_a_text_layer() -> None:
    available = {"eng", "hin", "chi_sim"}
    assert languages_for_text(ENGLISH_PAGE, available) == "eng"
    assert languages_for_text(HINDI + " Harold Jeffrey", available) == "eng+hin"
    assert languages_for_text("物种形成与灭绝 speciation", available) == "eng+chi_sim"
    assert languages_for_scripts(Counter({"Devanagari": 5}), {"eng"}) == "eng"  # pack not installed
    assert languages_for_text(ENGLISH_PAGE + " एक", available) == "eng"  # one stray word is not Hindi
    assert fits("eng", OcrResult(ENGLISH_PAGE, 0.93, 30))
    assert not fits("eng+hin", OcrResult(ENGLISH_PAGE, 0.93, 30))


def test_subjects_default_to_auto_and_explicit_languages_still_work() -> None:
    assert SubjectCreate(name="Hindi").ocr_languages == "auto"
    assert SubjectCreate(name="Physics", ocr_languages="eng+hin").ocr_languages == "eng+hin"
    ocr = FakeOcr({})
    assert ocr_languages("auto", ocr) == "auto"
    assert ocr_languages("eng+hin+fra", ocr) == "eng+hin"


def test_clean_pages_are_told_from_photos() -> None:
    page = Image.new("L", (800, 1000), 255)
    page.paste(0, (100, 100, 700, 140))
    photo = Image.new("L", (800, 1000), 180)
    assert mostly_white(page) and not mostly_white(photo)


def test_tokenizer_keeps_devanagari_words_whole() -> None:
    assert tokenize("विकल्प") == ["विकल्प"]
    assert tokenize("संख्या-युग्मों में दूसरी संख्या") == ["संख्या", "युग्मों", "दूसरी", "संख्या"]  # में: a stop word


def test_a_hindi_question_finds_its_page_by_keywords() -> None:
    index = KeywordIndex.build(
        [
            (1, "Uniform convergence and stability of learning algorithms"),
            (2, "भरतनाट्यम दक्षिण भारत के धार्मिक विषयों और आध्यात्मिक विचारों को व्यक्त करता है।"),
            (3, "लार्ज हैड्रोन कोलाइडर (LHC) और MRI स्कैनर में अतिचालक चुंबक का उपयोग होता है।"),
        ]
    )
    hits = index.search("अतिचालक चुंबक का उपयोग किसमें होता है?", k=3)
    assert hits and hits[0][0] == 3
    assert index.search("भरतनाट्यम किस भारत के विचारों को व्यक्त करता है", k=3)[0][0] == 2


def test_migration_moves_subjects_on_the_old_default_to_auto(tmp_path: Path) -> None:
    import sqlalchemy as sa
    from alembic import command
    from alembic.config import Config

    import shared

    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(shared.__file__).parent / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url)
    command.upgrade(cfg, "0002")
    engine = sa.create_engine(url)
    with engine.begin() as db:
        db.execute(
            sa.text(
                "INSERT INTO users (id, email, password_hash, display_name, created_at) "
                "VALUES (1, 'a@b.c', 'x', 'A', '2026-01-01 00:00:00')"
            )
        )
        for i, langs in enumerate(["eng+hin", "eng", "eng+chi_sim"], start=1):
            db.execute(
                sa.text(
                    "INSERT INTO subjects"
                    " (id, user_id, name, ocr_languages, version, updated_at, created_at) "
                    f"VALUES ({i}, 1, 's{i}', '{langs}', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
                )
            )
    command.upgrade(cfg, "head")
    with engine.connect() as db:
        rows = db.execute(sa.text("SELECT ocr_languages FROM subjects ORDER BY id")).scalars().all()
    assert rows == ["auto", "eng", "eng+chi_sim"]
    command.downgrade(cfg, "0002")
    with engine.connect() as db:
        assert db.execute(sa.text("SELECT ocr_languages FROM subjects WHERE id = 1")).scalar() == "eng+hin"
    engine.dispose()


# --- coloured answer-key marks (workers/ocr/marks.py) ---------------------------------------------------
def _answer_key_page() -> tuple[Image.Image, list[OcrWord]]:
    """A page the test draws: a red cross and a green tick before red/black options, and a black "X"."""
    from PIL import ImageDraw

    page = Image.new("RGB", (400, 120), "white")
    draw = ImageDraw.Draw(page)
    draw.line((10, 10, 30, 30), fill=(220, 30, 30), width=5)  # red cross
    draw.line((10, 30, 30, 10), fill=(220, 30, 30), width=5)
    draw.line((10, 70, 18, 80), fill=(40, 170, 40), width=5)  # green tick
    draw.line((18, 80, 32, 60), fill=(40, 170, 40), width=5)
    draw.rectangle((40, 12, 60, 28), fill=(220, 30, 30))  # the red option's "1." (ink only matters)
    draw.rectangle((70, 12, 200, 28), fill=(220, 30, 30))  # a red Hindi word
    draw.rectangle((40, 62, 200, 78), fill=(0, 0, 0))  # black option text
    draw.rectangle((210, 62, 230, 78), fill=(0, 0, 0))  # a black "X" (a real letter)
    words = [
        OcrWord("X", 0.45, (8, 8, 33, 33), line=0, paragraph=0),
        OcrWord("1.", 0.36, (40, 12, 60, 28), line=0, paragraph=0),
        OcrWord("अनुसरण", 0.5, (70, 12, 200, 28), line=0, paragraph=0),
        OcrWord("J", 0.33, (8, 58, 34, 82), line=1, paragraph=1),
        OcrWord("2.", 0.9, (40, 62, 200, 78), line=1, paragraph=1),
        OcrWord("X", 0.5, (210, 62, 230, 78), line=1, paragraph=1),
    ]
    return page, words


def test_coloured_low_confidence_marks_are_dropped_and_coloured_text_kept() -> None:
    page, words = _answer_key_page()
    result = OcrResult("X 1. अनुसरण\n\nJ 2. X", 0.5, len(words), word_boxes=tuple(words))
    gray = page.convert("L")
    assert drop_coloured_marks(result, gray, ink_saturation(page)) == "1. अनुसरण\n\n2. X"


def test_a_confident_coloured_word_and_results_without_boxes_are_kept() -> None:
    page, words = _answer_key_page()
    sure = [replace(w, confidence=0.95) if w.text in ("X", "J") else w for w in words]
    gray, saturation = page.convert("L"), ink_saturation(page)
    text = "X 1. अनुसरण\n\nJ 2. X"
    assert drop_coloured_marks(OcrResult(text, 0.9, 6, word_boxes=tuple(sure)), gray, saturation) == text
    assert drop_coloured_marks(OcrResult(text, 0.5, 6), gray, saturation) == text  # engine without boxes


def test_saturation_turns_with_the_deskewed_page() -> None:
    page, _ = _answer_key_page()
    tilted = page.rotate(3, expand=True, fillcolor="white")
    gray, angle = prepare_and_angle(tilted, scan=True)
    assert angle != 0 and turn(ink_saturation(tilted), angle).size == gray.size


def test_only_non_latin_language_sets_take_the_marks_path() -> None:
    assert latin_only("eng") and latin_only("auto")
    assert not latin_only("eng+hin") and not latin_only("hin")


def test_shrunk_uploads_are_area_averaged_without_halos_around_thin_strokes() -> None:
    # A grey page with 1-pixel dark strokes (a vowel sign's hairline), shrunk as a 200 dpi scan is to 2000 px:
    # area averaging keeps every pixel between paper and ink; bicubic adds light halos that thin the strokes.
    page = Image.new("L", (1000, 200), 160)
    for x in range(50, 950, 7):
        page.paste(20, (x, 20, x + 1, 180))
    shrunk = _decoded_frame(page, 0.85).convert("L")
    low, high = shrunk.getextrema()
    assert shrunk.size == (850, 170) and low >= 20 and high <= 160


def test_unsure_words_are_read_again_on_their_own_and_kept_only_when_surer() -> None:
    page, words = _answer_key_page()
    seen: list[tuple[int, int]] = []

    def read_line(crop: Image.Image) -> OcrResult:
        seen.append(crop.size)
        return {1: OcrResult("अनुसरण", 0.93, 1), 2: OcrResult("Xx", 0.3, 1)}.get(
            len(seen), OcrResult("", 0, 0)
        )

    black_x = replace(words[5], confidence=0.5)
    unsure = [replace(words[2], text="GERI", confidence=0.6), replace(words[4], confidence=0.9), black_x]
    result = OcrResult("GERI 2. X", 0.7, 3, word_boxes=tuple(unsure))
    assert refine_words(result, page.convert("L"), None, read_line) == "अनुसरण\n\n2. X"
    # Two words were unsure (the confident "2." was not read again); each crop is its box with a margin.
    assert seen == [(130 + 2 * 4, 16 + 2 * 4), (20 + 2 * 4, 16 + 2 * 4)]


def test_refining_drops_marks_and_leaves_results_without_boxes_alone() -> None:
    page, words = _answer_key_page()
    sure = [replace(w, confidence=0.95) if w.text not in ("X", "J") else w for w in words]
    result = OcrResult("X 1. अनुसरण\n\nJ 2. X", 0.5, 6, word_boxes=tuple(sure))

    def nothing(crop: Image.Image) -> OcrResult:
        return OcrResult("", 0.0, 0)

    assert refine_words(result, page.convert("L"), ink_saturation(page), nothing) == "1. अनुसरण\n\n2. X"
    plain = OcrResult("X 1. अनुसरण", 0.5, 3)
    assert refine_words(plain, page.convert("L"), ink_saturation(page), nothing) == "X 1. अनुसरण"


def test_a_coloured_mark_read_as_symbols_goes_however_confident() -> None:
    page, words = _answer_key_page()
    symbols = [
        replace(words[0], text="><", confidence=0.96),
        words[1],
        replace(words[3], text="J", confidence=0.96),
    ]
    result = OcrResult(">< 1.\n\nJ", 0.9, 3, word_boxes=tuple(symbols))
    # "><" has no letter or digit: a mark even when confident; a confident coloured "J" may be a letter.
    assert drop_coloured_marks(result, page.convert("L"), ink_saturation(page)) == "1.\n\nJ"
