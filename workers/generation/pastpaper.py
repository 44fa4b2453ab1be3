"""Past papers: read an uploaded exam (PDF text layer, or OCR for scans and photos), split it into
questions, answer each from the notes with the slides it came from, and write a .docx."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from shared.errors import AppError
from shared.schemas import SourceRef
from shared.settings import Settings
from shared.text import content_tokens, sentences
from workers.generation.candidates import logical_lines
from workers.generation.phrasing import Phraser
from workers.generation.prompts import answer_from_passages
from workers.generation.retrieval import Hit, SlideIndex
from workers.generation.textutil import shorten

if TYPE_CHECKING:
    from PIL import Image

    from workers.ocr.ports import OcrEngine

log = logging.getLogger(__name__)
MAX_QUESTIONS = 40
MAX_EXAM_PAGES = 30
_START = re.compile(
    r"^\s*(?:(?:Q(?:uestion)?|Pregunta|问题|题)\s*\.?\s*(\d{1,2})\s*[.):]?|(\d{1,2})\s*[.)]|\((\d{1,2})\)|第\s*(\d{1,2})\s*题)\s*(.*)$",
    re.I,
)
_MARKS = re.compile(r"[\[(]\s*\d+\s*(?:marks?|points?|pts?|puntos|分)\s*[\])]", re.I)


@dataclass
class ExamQuestion:
    number: str
    text: str


@dataclass
class AnsweredQuestion:
    question: ExamQuestion
    answer: str
    sources: list[SourceRef] = field(default_factory=list)
    phrased_by: str = "extractive"
    covered: bool = True


def read_exam_text(
    path: Path, file_type: str, *, settings: Settings, languages: str = "eng", engine: OcrEngine | None = None
) -> tuple[str, str]:
    """The exam's text and how it was read: 'text_layer' or 'ocr'. Scanned pages are rendered and read one
    at a time, each at most ``settings.max_render_px`` on its longest side."""
    if file_type == "pdf":
        import pypdfium2 as pdfium

        from shared.files import PDFIUM_LOCK

        with PDFIUM_LOCK:
            doc = pdfium.PdfDocument(str(path))
            try:
                count = min(len(doc), MAX_EXAM_PAGES)
                texts = []
                for i in range(count):
                    page = doc[i]
                    try:
                        textpage = page.get_textpage()
                        texts.append(textpage.get_text_range())
                        textpage.close()
                    finally:
                        page.close()
            finally:
                doc.close()
        usable = sum(len(t.strip()) for t in texts) >= 40 * max(1, len(texts)) // 2
        if usable:
            return "\n".join(texts), "text_layer"
        return _ocr(_pdf_pages(path, count, settings.max_render_px), settings, languages, engine), "ocr"
    if file_type == "image":
        from shared.files import image_size

        image_size(path)  # refuses bombs before decoding
        return _ocr(_image_page(path, settings.max_render_px), settings, languages, engine), "ocr"
    raise AppError("UNSUPPORTED_FORMAT", "Upload the past paper as a PDF or an image.", status_code=415)


def _pdf_pages(path: Path, count: int, max_px: int) -> Iterator[Image.Image]:
    """The pages rendered one at a time (200 dpi, capped on the longest side)."""
    import pypdfium2 as pdfium

    from shared.files import PDFIUM_LOCK, render_scale

    for i in range(count):
        with PDFIUM_LOCK:
            doc = pdfium.PdfDocument(str(path))
            try:
                page = doc[i]
                try:
                    width, height = page.get_size()
                    image = page.render(scale=render_scale(width, height, 200 / 72, max_px)).to_pil()
                finally:
                    page.close()
            finally:
                doc.close()
        yield image
        del image


def _image_page(path: Path, max_px: int) -> Iterator[Image.Image]:
    from PIL import Image

    with Image.open(path) as img:
        img.draft("RGB", (max_px, max_px))  # JPEG: decode at a reduced size when that is enough
        image = img.convert("RGB")
    if max(image.size) > max_px:
        image.thumbnail((max_px, max_px))
    yield image


def _ocr(images: Iterable[Image.Image], settings: Settings, languages: str, engine: OcrEngine | None) -> str:
    from workers.ocr.adapters import ocr_engine
    from workers.ocr.pipeline import ocr_languages
    from workers.ocr.scripts import AUTO, AutoLanguages

    engine = engine or ocr_engine(settings)
    langs = ocr_languages(languages, engine)
    if langs == AUTO:  # each page with the packs its script needs
        auto = AutoLanguages(engine)
        return "\n".join(auto.read(img)[0].text for img in images)
    return "\n".join(engine.read(img, languages=langs).text for img in images)


def split_questions(text: str) -> list[ExamQuestion]:
    """Numbered questions ('1.', 'Q2', '(3)', 'Question 4'); failing that, every sentence ending in '?'."""
    text = text.replace("\r", "\n")
    found: list[ExamQuestion] = []
    current: list[str] = []
    number = ""
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        m = _START.match(line)
        if m and (m.group(5) or "").strip():
            if current and number:
                found.append(ExamQuestion(number, " ".join(current)))
            number = next(g for g in m.groups()[:4] if g)
            current = [m.group(5).strip()]
        elif number:
            current.append(line)
    if current and number:
        found.append(ExamQuestion(number, " ".join(current)))
    if len(found) < 2:  # no numbering: every question sentence is a question
        found = []
        flat = " ".join(logical_lines(text))
        for s in sentences(flat):
            if s.rstrip().endswith(("?", "？")) and len(s.split()) >= 3:
                found.append(ExamQuestion(str(len(found) + 1), s))
    out = []
    for q in found[:MAX_QUESTIONS]:
        cleaned = " ".join(_MARKS.sub("", q.text).split())
        if content_tokens(cleaned):
            out.append(ExamQuestion(q.number, shorten(cleaned, 1000)))
    return out


def _extractive_answer(question: str, hits: list[Hit]) -> tuple[str, list[SourceRef]]:
    """The notes' lines that share the most words with the question, with their slides."""
    wanted = set(content_tokens(question))
    scored: list[tuple[float, int, str, SourceRef]] = []
    for rank, hit in enumerate(hits):
        title = hit.passage.title
        for line in logical_lines(hit.passage.text, title):
            overlap = len(wanted & set(content_tokens(f"{title} {line}")))
            if overlap:
                scored.append((overlap + hit.score / 100, -rank, line, hit.passage.ref))
    scored.sort(reverse=True)
    lines: list[str] = []
    refs: list[SourceRef] = []
    for _, _, line, ref in scored[:4]:
        if line not in lines:
            lines.append(line)
            if ref not in refs:
                refs.append(ref)
    return " ".join(x if x.endswith((".", "?", "!", "。")) else x + "." for x in lines), refs


def answer_questions(
    questions: list[ExamQuestion],
    index: SlideIndex,
    phraser: Phraser,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> list[AnsweredQuestion]:
    out: list[AnsweredQuestion] = []
    for n, q in enumerate(questions, start=1):
        hits = [h for h in index.search(q.text, k=3) if h.score >= 1.0]
        if not hits:
            out.append(AnsweredQuestion(q, "Your notes do not seem to cover this question.", covered=False))
        else:
            phrased = answer_from_passages(
                phraser, q.text, [f"{h.passage.title}: {h.passage.text}" for h in hits]
            )
            if phrased is not None:
                refs = []
                for i in sorted(set(phrased.sources)):
                    if hits[i - 1].passage.ref not in refs:
                        refs.append(hits[i - 1].passage.ref)
                out.append(AnsweredQuestion(q, phrased.answer.strip(), refs, "llm"))
            else:
                text, refs = _extractive_answer(q.text, hits)
                if text:
                    out.append(AnsweredQuestion(q, text, refs))
                else:
                    out.append(
                        AnsweredQuestion(q, "Your notes do not seem to cover this question.", covered=False)
                    )
        if progress:
            progress(n, len(questions))
    return out


def render_answers_docx(path: Path, *, title: str, exam_name: str, answers: list[AnsweredQuestion]) -> None:
    from docx import Document
    from docx.shared import Pt, RGBColor

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    doc.add_heading(title, level=1)
    intro = doc.add_paragraph()
    intro.add_run(
        f"Answers to {exam_name}, drawn from your notes. Each answer names the slides it comes from; "
        "check them there."
    ).italic = True
    for a in answers:
        doc.add_heading(f"Question {a.question.number}", level=2)
        doc.add_paragraph().add_run(a.question.text).italic = True
        p = doc.add_paragraph()
        p.add_run("Answer: ").bold = True
        p.add_run(a.answer)
        if a.sources:
            src = doc.add_paragraph()
            run = src.add_run("Sources: " + "; ".join(f"{r.label()} ({r.file})" for r in a.sources))
            run.font.size = Pt(9)
            run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
