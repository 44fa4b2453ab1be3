"""The quiz as a PDF (fpdf2, Unicode fonts embedded: DejaVu Sans, Noto fallbacks for the scripts the quiz
uses), the questions first and the answer key on its own page(s)."""

from __future__ import annotations

import logging
from pathlib import Path

import regex

from shared.errors import AppError
from shared.schemas import QuizData
from shared.text.scripts import CJK_WITH_PUNCTUATION
from workers.generation.i18n import quiz_subtitle, slide_label, t

log = logging.getLogger(__name__)
LETTERS = "ABCDEF"

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
NOTO = Path("/usr/share/fonts/truetype/noto")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto")
# Scripts DejaVu Sans lacks: (script, family, candidate font files with their collection index).
FALLBACKS: list[tuple[str, str, list[tuple[Path, int]]]] = [
    ("devanagari", "NotoDevanagari", [(NOTO / "NotoSansDevanagari-Regular.ttf", 0)]),
    ("bengali", "NotoBengali", [(NOTO / "NotoSansBengali-Regular.ttf", 0)]),
    ("tamil", "NotoTamil", [(NOTO / "NotoSansTamil-Regular.ttf", 0)]),
    ("arabic", "NotoArabic", [(NOTO / "NotoSansArabic-Regular.ttf", 0)]),
    # italic and bold maths letters (U+1D400..1D7FF) from slides' text layers: DejaVu Sans lacks them
    ("math", "NotoMath", [(NOTO / "NotoSansMath-Regular.ttf", 0), (DEJAVU / "DejaVuMathTeXGyre.ttf", 0)]),
    (
        "cjk",
        "NotoCJK",
        [
            (NOTO_CJK / "NotoSansCJK-Regular.ttc", 2),  # index 2: Simplified Chinese
            (NOTO_CJK / "NotoSerifCJK-Regular.ttc", 2),
            (Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"), 0),
        ],
    ),
]
_SCRIPTS = {  # the Unicode scripts each fallback font covers
    "devanagari": regex.compile(r"\p{Devanagari}"),
    "bengali": regex.compile(r"\p{Bengali}"),
    "tamil": regex.compile(r"\p{Tamil}"),
    "arabic": regex.compile(r"\p{Arabic}"),
    "math": regex.compile(r"[\U0001D400-\U0001D7FF]"),  # Mathematical Alphanumeric Symbols
    "cjk": CJK_WITH_PUNCTUATION,
}


def scripts_in(text: str) -> list[str]:
    return [name for name, pattern in _SCRIPTS.items() if pattern.search(text)]


def _setup_fonts(pdf: object, text: str) -> dict[str, object]:
    """DejaVu Sans as the main face; Noto fallbacks for the scripts the text uses (loading the CJK
    collection costs seconds, so it is only loaded when needed). Returns what was embedded."""
    from fpdf import FPDF

    assert isinstance(pdf, FPDF)
    main = DEJAVU / "DejaVuSans.ttf"
    if not main.is_file():
        raise AppError(
            "FONT_MISSING", f"The quiz font is not installed ({main}): apt-get install fonts-dejavu-core"
        )
    pdf.add_font("DejaVu", "", str(main))
    pdf.add_font("DejaVu", "B", str(DEJAVU / "DejaVuSans-Bold.ttf"))
    pdf.add_font("DejaVu", "I", str(DEJAVU / "DejaVuSans-Oblique.ttf"))
    needed = scripts_in(text)
    fallbacks: list[str] = []
    missing: list[str] = []
    for script, family, candidates in FALLBACKS:
        if script not in needed:
            continue
        found = next(((path, index) for path, index in candidates if path.is_file()), None)
        if found is None:
            missing.append(script)
            log.warning("no font for %s text: it will render as empty boxes", script)
            continue
        pdf.add_font(family, "", str(found[0]), collection_font_number=found[1])
        fallbacks.append(family)
    if fallbacks:
        pdf.set_fallback_fonts(fallbacks, exact_match=False)
    shaping = False
    if any(s in needed for s in ("devanagari", "bengali", "tamil", "arabic")):
        try:
            import uharfbuzz  # noqa: F401  (fpdf2's text shaping: conjuncts, vowel signs, joining)

            pdf.set_text_shaping(True)
            shaping = True
        except ImportError:
            log.warning("uharfbuzz missing: Indic and Arabic text will render without shaping")
    return {
        "font": "DejaVu Sans",
        "fallback_fonts": fallbacks,
        "missing_scripts": missing,
        "text_shaping": shaping,
    }


def _all_text(quiz: QuizData) -> str:
    parts = [quiz.title, quiz.note]
    for q in quiz.questions:
        parts += [q.prompt, *q.options, q.answer_text, q.explanation, q.source.lecture, q.source.file]
    return "\n".join(parts)


def render_quiz_pdf(quiz: QuizData, path: Path) -> dict[str, object]:
    """Write the quiz (questions, then the answer key from a new page) to ``path``; returns font facts."""
    from fpdf import FPDF

    lang = quiz.language
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=16)
    pdf.set_title(quiz.title)
    pdf.set_creator("MySmartNotes")
    fonts = _setup_fonts(pdf, _all_text(quiz))
    width = pdf.w - pdf.l_margin - pdf.r_margin
    # Every cell is left-aligned (align="L"): fpdf2 justifies multi_cell by default, which stretched the
    # spaces of a wrapped stem ("Fill in the blank: _____: A protective ...") across the line.

    def para(text: str, size: float, style: str = "", h: float | None = None) -> None:
        pdf.set_font("DejaVu", style, size)
        pdf.set_x(pdf.l_margin)
        pdf.multi_cell(width, h or size * 0.5, text, new_x="LMARGIN", new_y="NEXT", align="L")

    pdf.add_page()
    para(quiz.title, 16, "B", h=8)
    para(quiz_subtitle(lang, len(quiz.questions), quiz.difficulty), 9, "I")
    if quiz.note:  # fewer questions than asked passed the checks: say so, and per lecture
        para(quiz.note, 9, "I")
    para(t(lang, "name_score", n=len(quiz.questions)), 9)
    pdf.ln(3)
    for q in quiz.questions:
        with pdf.unbreakable() as doc:
            doc.set_font("DejaVu", "B", 10.5)
            doc.set_x(doc.l_margin)
            doc.multi_cell(width, 5.2, f"{q.number}. {q.prompt}", new_x="LMARGIN", new_y="NEXT", align="L")
            doc.set_font("DejaVu", "", 10)
            doc.set_x(doc.l_margin + 6)
            if q.kind == "multiple_choice":
                for letter, option in zip(LETTERS, q.options, strict=False):
                    doc.set_x(doc.l_margin + 6)
                    doc.multi_cell(
                        width - 6, 5, f"{letter}. {option}", new_x="LMARGIN", new_y="NEXT", align="L"
                    )
            elif q.kind == "true_false":
                line = f"{t(lang, 'true')}  /  {t(lang, 'false')}"
                doc.multi_cell(width - 6, 5, line, new_x="LMARGIN", new_y="NEXT", align="L")
            else:
                line = f"{t(lang, 'answer')}: " + "_" * 48
                doc.multi_cell(width - 6, 7, line, new_x="LMARGIN", new_y="NEXT", align="L")
            doc.ln(2.5)

    pdf.add_page()
    para(t(lang, "answer_key"), 14, "B", h=7)
    pdf.ln(1)
    for q in quiz.questions:
        answer = f"{q.answer}. {q.answer_text}" if q.kind == "multiple_choice" else q.answer_text
        where = f"{t(lang, 'source')}: {slide_label(lang, q.source.lecture, q.source.page)} ({q.source.file})"
        with pdf.unbreakable() as doc:
            doc.set_font("DejaVu", "B", 10)
            doc.set_x(doc.l_margin)
            doc.multi_cell(width, 5, f"{q.number}. {answer}", new_x="LMARGIN", new_y="NEXT", align="L")
            doc.set_font("DejaVu", "", 9)
            doc.set_x(doc.l_margin + 6)
            doc.multi_cell(width - 6, 4.4, q.explanation, new_x="LMARGIN", new_y="NEXT", align="L")
            doc.set_font("DejaVu", "I", 8.5)
            doc.set_x(doc.l_margin + 6)
            doc.multi_cell(width - 6, 4.4, where, new_x="LMARGIN", new_y="NEXT", align="L")
            doc.ln(1.8)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return fonts
