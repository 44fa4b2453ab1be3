"""Past papers: questions found in a PDF (text layer) or a photo (OCR), each answered from the notes with the
slides it came from, written to a .docx."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from shared.files import LocalFileStore
from shared.models import GeneratedDocument
from tests.support.factories import pdf_bytes, render_text_image
from tests.support.study import FakeLLM, add_lecture, study_db
from workers.generation.pastpaper import split_questions
from workers.generation.service import GenerationEnv, generate_past_paper_answers

EXAM = [
    "BIOLOGY 101 - FINAL EXAM\nAnswer all questions. Time allowed: 2 hours.\n"
    "1. Which enzyme fixes carbon dioxide in the Calvin cycle? [5 marks]\n"
    "2. Where in the cell does glycolysis happen?\n"
    "   (a) name the compartment\n   (b) say what it produces\n"
    "Q3. Explain the causes of the French revolution. (10 points)"
]


def test_numbered_questions_and_question_sentences() -> None:
    qs = split_questions(EXAM[0])
    assert [q.number for q in qs] == ["1", "2", "3"]
    assert qs[0].text == "Which enzyme fixes carbon dioxide in the Calvin cycle?"
    assert "(a) name the compartment" in qs[1].text and "(b) say what it produces" in qs[1].text
    assert qs[2].text == "Explain the causes of the French revolution."
    loose = split_questions(
        "Some instructions here.\nWhat is a thylakoid? Why do leaves look green? Be brief."
    )
    assert [q.text for q in loose] == ["What is a thylakoid?", "Why do leaves look green?"]
    assert split_questions("No questions in this text at all.") == []


def _run(
    tmp_path: Path, name: str, data: bytes, file_type: str
) -> tuple[GeneratedDocument, Path, LocalFileStore]:
    sdb = study_db(tmp_path)
    add_lecture(sdb)
    files = LocalFileStore(sdb.settings.data_dir)
    key = f"uploads/{sdb.user_id}/past-papers/{name}"
    files.path(key).parent.mkdir(parents=True, exist_ok=True)
    files.path(key).write_bytes(data)
    env = GenerationEnv(
        session_factory=sdb.session_factory, files=files, llm=FakeLLM(["nope"]), settings=sdb.settings
    )
    result = generate_past_paper_answers(
        env,
        job_id=None,
        user_id=sdb.user_id,
        subject_id=sdb.subject_id,
        params={"kind": "past_paper", "upload_key": key, "filename": name, "file_type": file_type},
    )
    with sdb.session_factory() as db:
        doc = db.get(GeneratedDocument, result["document_id"])
        assert doc is not None
    assert not files.path(key).exists()  # the upload is removed once answered
    return doc, files.path(doc.storage_path), files


def test_pdf_past_paper_is_answered_from_the_notes_with_citations(tmp_path: Path) -> None:
    doc, path, _ = _run(tmp_path, "exam.pdf", pdf_bytes(EXAM), "pdf")
    assert doc.kind == "past_paper" and doc.params["read_by"] == "text_layer"
    answers = doc.params["answers"]
    assert [a["number"] for a in answers] == ["1", "2", "3"]
    assert "RuBisCO" in answers[0]["answer"] and answers[0]["sources"][0]["page"] == 3
    assert "cytoplasm" in answers[1]["answer"] and 5 in [s["page"] for s in answers[1]["sources"]]
    assert answers[2]["covered"] is False and answers[2]["sources"] == []
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "Question 1" in text and "Which enzyme fixes carbon dioxide" in text
    assert "Sources: Photosynthesis basics, slide 3 (photosynthesis-basics.pdf)" in text
    assert "Your notes do not seem to cover this question." in text


def test_photographed_past_paper_is_read_with_ocr(tmp_path: Path) -> None:
    import io

    image = render_text_image(
        ["1. Which enzyme fixes carbon dioxide", "in the Calvin cycle?", "2. Where does glycolysis happen?"]
    )
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    doc, _, _ = _run(tmp_path, "exam.png", buf.getvalue(), "image")
    assert doc.params["read_by"] == "ocr"
    answers = doc.params["answers"]
    assert len(answers) == 2
    assert "RuBisCO" in answers[0]["answer"]
    assert "cytoplasm" in answers[1]["answer"]
