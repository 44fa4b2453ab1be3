"""The quiz PDF, opened and read back: every question is in it, the answer key starts on its own page and
its answers match the quiz; Unicode fonts are embedded; answers typed in the app are marked fairly."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium

from gateway.services.generation import is_correct, normalize_answer
from shared.files import LocalFileStore
from shared.models import GeneratedDocument
from shared.schemas import GenerateRequest, QuizData, QuizQuestion, SourceRef
from tests.support.study import FakeLLM, add_lecture, study_db
from workers.generation.quiz import render_quiz_pdf
from workers.generation.service import GenerationEnv, generate_quiz

SRC = SourceRef(lecture_id=1, lecture="Biología celular", file="bio.pdf", page=2)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_quiz_pdf_holds_every_question_and_a_matching_answer_key(tmp_path: Path) -> None:
    sdb = study_db(tmp_path)
    add_lecture(sdb)
    env = GenerationEnv(
        session_factory=sdb.session_factory,
        files=LocalFileStore(sdb.settings.data_dir),
        llm=FakeLLM(["{}"]),
        settings=sdb.settings,
    )
    result = generate_quiz(
        env,
        job_id=None,
        user_id=sdb.user_id,
        subject_id=sdb.subject_id,
        request=GenerateRequest(kind="quiz", questions=14, difficulty="medium"),
    )
    with sdb.session_factory() as db:
        doc = db.get(GeneratedDocument, result["document_id"])
        assert doc is not None
        quiz = QuizData.model_validate(doc.params["quiz"])
        path = env.files.path(doc.storage_path)
    assert 5 <= len(quiz.questions) == result["questions"] <= 14  # fewer valid beat more broken
    with pdfplumber.open(path) as pdf:
        pages = [_flat(page.extract_text() or "") for page in pdf.pages]
    key_start = next(i for i, text in enumerate(pages) if text.startswith("Answer key"))
    assert key_start >= 1
    questions_text = " ".join(pages[:key_start])
    key_text = " ".join(pages[key_start:])
    assert "Answer key" not in questions_text and "Source:" not in questions_text
    assert quiz.title in questions_text
    for q in quiz.questions:
        assert _flat(f"{q.number}. {q.prompt}") in questions_text, q.prompt
        for letter, option in zip("ABCD", q.options, strict=False):
            assert _flat(f"{letter}. {option}") in questions_text
        answer = f"{q.answer}. {q.answer_text}" if q.kind == "multiple_choice" else q.answer_text
        assert _flat(f"{q.number}. {answer}") in key_text, (q.number, answer)
        assert _flat(f"Source: {q.source.lecture}, slide {q.source.page}") in key_text
        if q.kind == "multiple_choice":
            assert q.options["ABCD".index(q.answer)] == q.answer_text
        if q.kind == "true_false":
            assert q.answer in ("true", "false") and q.answer_text == q.answer.capitalize()
    # The key lists the answers in order, one entry per question.
    numbers = [int(n) for n in re.findall(r"(?:^| )(\d+)\. ", key_text.split("Answer key", 1)[1])]
    assert [n for n in numbers if n <= len(quiz.questions)][: len(quiz.questions)] == list(
        range(1, len(quiz.questions) + 1)
    )


def test_unicode_quiz_embeds_fonts_for_chinese_hindi_and_accents(tmp_path: Path) -> None:
    quiz = QuizData(
        title="Cuestionario: biología — 物种形成",
        difficulty="easy",
        language="es",
        questions=[
            QuizQuestion(
                number=1,
                kind="multiple_choice",
                prompt="¿Qué término se define como: 不同物种之间不能自由交配的现象?",
                options=["生殖隔离", "地理隔离", "自然选择"],
                answer="A",
                answer_text="生殖隔离",
                explanation="生殖隔离: 不同物种之间不能自由交配的现象.",
                source=SRC,
            ),
            QuizQuestion(
                number=2,
                kind="true_false",
                prompt="Verdadero o falso: प्रकाश संश्लेषण पौधों में होता है",
                answer="true",
                answer_text="Verdadero",
                explanation="Verdadero. La fotosíntesis ocurre en las hojas (prácticamente siempre).",
                source=SRC,
            ),
        ],
    )
    out = tmp_path / "quiz.pdf"
    fonts = render_quiz_pdf(quiz, out)
    assert fonts["fallback_fonts"] == ["NotoDevanagari", "NotoCJK"] and fonts["missing_scripts"] == []
    assert fonts["text_shaping"] is True
    with pdfplumber.open(out) as pdf:
        names = {c["fontname"].split("+")[-1] for page in pdf.pages for c in page.chars}
        latin = " ".join(page.extract_text() or "" for page in pdf.pages)
    assert any(n.startswith("DejaVuSans") for n in names)
    assert any("Devanagari" in n for n in names)
    raw = out.read_bytes()  # pdfminer skips the CID-keyed CJK font; its font dictionary is in the file
    assert re.search(rb"/BaseFont\s*/[A-Z]{6}\+NotoSansCJKSC", raw) and b"/FontFile3" in raw
    assert "Cuestionario: biología" in latin and "prácticamente" in latin
    assert "प्रकाश संश्लेषण" in latin  # shaped, and still extracted as the same text
    doc = pdfium.PdfDocument(str(out))  # pdfminer cannot decode the CJK font's CIDs; pdfium can
    try:
        text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()
    assert "不同物种之间不能自由交配的现象" in text and "生殖隔离" in text
    assert "Solucionario" in text  # the key, in the notes' language


def test_only_the_fonts_the_text_needs_are_loaded(tmp_path: Path) -> None:
    quiz = QuizData(
        title="Plain quiz",
        difficulty="easy",
        questions=[
            QuizQuestion(
                number=1,
                kind="short_answer",
                prompt="Which enzyme fixes carbon dioxide?",
                answer="RuBisCO",
                answer_text="RuBisCO",
                explanation="RuBisCO fixes CO2.",
                source=SRC,
            )
        ],
    )
    fonts = render_quiz_pdf(quiz, tmp_path / "q.pdf")
    assert fonts["fallback_fonts"] == [] and fonts["text_shaping"] is False


def test_maths_letters_of_a_text_layer_are_drawn_with_a_maths_font(tmp_path: Path) -> None:
    # Text layers of formula slides carry italic maths letters (U+1D400..1D7FF); DejaVu Sans has no glyph
    # for them, so without a fallback the student sees empty boxes where the variables were.
    quiz = QuizData(
        title="Capacity",
        difficulty="easy",
        questions=[
            QuizQuestion(
                number=1,
                kind="short_answer",
                prompt="What does 𝑁 count in 𝐶 = log(1 + 𝑁)?",
                answer="antennas",
                answer_text="antennas",
                explanation="𝑁 is the number of antennas.",
                source=SRC,
            )
        ],
    )
    out = tmp_path / "q.pdf"
    fonts = render_quiz_pdf(quiz, out)
    assert fonts["fallback_fonts"] == ["NotoMath"] and fonts["missing_scripts"] == []
    with pdfplumber.open(out) as pdf:
        drawn = [c for page in pdf.pages for c in page.chars if c["text"] in "𝑁𝐶"]
    assert drawn and all("Math" in c["fontname"] for c in drawn)


def _q(
    kind: str,
    answer: str,
    answer_text: str,
    options: list[str] | None = None,
    accepted: list[str] | None = None,
) -> QuizQuestion:
    return QuizQuestion(
        number=1,
        kind=kind,  # type: ignore[arg-type]
        prompt="?",
        options=options or [],
        answer=answer,
        answer_text=answer_text,
        accepted=accepted or [],
        explanation="",
        source=SRC,
    )


def test_answers_typed_in_the_app_are_marked_fairly() -> None:
    mc = _q("multiple_choice", "B", "RuBisCO", ["ATP synthase", "RuBisCO", "Lipase"])
    assert is_correct(mc, "B") and is_correct(mc, "b") and is_correct(mc, " rubisco ")
    assert not is_correct(mc, "A") and not is_correct(mc, None) and not is_correct(mc, "")
    tf = _q("true_false", "false", "False")
    assert (
        is_correct(tf, "False") and is_correct(tf, "f") and is_correct(tf, "falso") and is_correct(tf, "错")
    )
    assert not is_correct(tf, "true") and not is_correct(tf, "maybe")
    short = _q(
        "short_answer",
        "Data flow diagram (DFD)",
        "Data flow diagram (DFD)",
        accepted=["DFD", "data flow diagram"],
    )
    assert (
        is_correct(short, "the data flow diagram")
        and is_correct(short, "DFD")
        and is_correct(short, "data flow diagam")
    )
    assert not is_correct(short, "entity relationship diagram")
    fill = _q("fill_blank", "生殖隔离", "生殖隔离")
    assert is_correct(fill, "生殖隔离") and not is_correct(fill, "地理隔离")
    assert normalize_answer("  The  Calvin-cycle! ") == "calvin cycle"


def test_wrapped_stems_options_and_key_are_left_aligned_not_stretched(tmp_path: Path) -> None:
    """A stem, option or explanation that wraps keeps ordinary spaces between its words: justified lines
    (fpdf2's default) spread a stem with a long word at the break into gaps several spaces wide."""
    long = (
        "Fill in the blank: _____: A protective measure that reduces a system’s vulnerability to "
        "internationalization-related misconfigurations and other exploitable weaknesses"
    )
    quiz = QuizData(
        title="Plain quiz",
        difficulty="easy",
        questions=[
            QuizQuestion(
                number=1,
                kind="multiple_choice",
                prompt=long,
                options=[long, "Control", "Asset"],
                answer="A",
                answer_text=long,
                explanation=f"{long}. {long}",
                source=SRC,
            )
        ],
    )
    out = tmp_path / "quiz.pdf"
    render_quiz_pdf(quiz, out)
    wrapped = 0
    with pdfplumber.open(out) as pdf:
        for page in pdf.pages:
            words = page.extract_words(keep_blank_chars=False, use_text_flow=True)
            lines: dict[int, list[dict[str, Any]]] = {}
            for word in words:
                lines.setdefault(round(word["top"]), []).append(word)
            for line in lines.values():
                line.sort(key=lambda w: w["x0"])
                size = max(float(w["bottom"] - w["top"]) for w in line)
                gaps = [b["x0"] - a["x1"] for a, b in itertools.pairwise(line)]
                if len(gaps) >= 6 and line[-1]["x1"] > page.width * 0.75:  # a full line, wrapped after
                    wrapped += 1
                    assert max(gaps) < 0.6 * size, (" ".join(w["text"] for w in line), gaps)
    assert wrapped >= 4  # the stem, the option, the key's answer and its explanation each wrap


def _handout_head(tmp_path: Path, language: str, n: int, difficulty: str) -> str:
    questions = [
        QuizQuestion(
            number=i + 1,
            kind="short_answer",
            prompt=f"Question {i + 1}?",
            answer=f"Answer {i + 1}",
            answer_text=f"Answer {i + 1}",
            explanation="",
            source=SRC,
        )
        for i in range(n)
    ]
    quiz = QuizData(title="Quiz", difficulty=difficulty, language=language, questions=questions)  # type: ignore[arg-type]
    out = tmp_path / f"{language}-{n}.pdf"
    render_quiz_pdf(quiz, out)
    with pdfplumber.open(out) as pdf:
        return _flat(pdf.pages[0].extract_text() or "").split("Question 1?")[0]


def test_the_handout_counts_its_questions_in_the_number_s_form_and_names_the_difficulty_in_the_notes_language(
    tmp_path: Path,
) -> None:
    """A Russian handout read "3 вопросов · сложность: medium": the count in the wrong case and the difficulty
    in English. Russian takes вопрос / вопроса / вопросов by the number; English says "1 question"."""
    assert "3 вопроса · сложность: средняя" in _handout_head(tmp_path, "ru", 3, "medium")
    assert "5 вопросов · сложность: высокая" in _handout_head(tmp_path, "ru", 5, "hard")
    assert "21 вопрос · сложность: низкая" in _handout_head(tmp_path, "ru", 21, "easy")
    assert "1 question · difficulty: medium" in _handout_head(tmp_path, "en", 1, "medium")
    assert "2 preguntas · dificultad: media" in _handout_head(tmp_path, "es", 2, "medium")
