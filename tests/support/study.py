"""Helpers for the study-material tests: a scripted fake LLM (same interface as shared.llm.LLM), lectures
built in memory, and a migrated SQLite database with a user, a subject and processed lectures."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from shared.db import make_engine, make_session_factory, run_migrations
from shared.files import LocalFileStore
from shared.llm import LLM, GenerationOptions, Message
from shared.models import Chunk, Figure, Lecture, LectureStatus, Page, Subject, User
from shared.schemas import QuizQuestion, SourceRef
from shared.settings import Settings
from workers.generation.material import FigureInfo, LectureMaterial, Slide

BIO_SLIDES: list[tuple[str, str]] = [
    (
        "Photosynthesis",
        "Photosynthesis\nPhotosynthesis is the process by which plants convert light energy into chemical "
        "energy.\n• It happens in the chloroplasts of leaf cells\n• It needs water and carbon dioxide",
    ),
    (
        "Light reactions",
        "Light reactions\nThe thylakoid is a membrane-bound compartment inside chloroplasts.\n"
        "• Water is split to release oxygen\n• ATP and NADPH are produced for the Calvin cycle",
    ),
    (
        "The Calvin cycle",
        "The Calvin cycle\nRuBisCO is the enzyme that fixes carbon dioxide in the stroma.\n"
        "• The cycle produces glyceraldehyde 3-phosphate\n• Three turns of the cycle make one G3P molecule",
    ),
    (
        "Limiting factors",
        "Limiting factors\nRate = k × [CO2] × light intensity\n"
        "• Light intensity, temperature and carbon dioxide concentration limit the rate\n"
        "• Chlorophyll is a pigment that absorbs red and blue light",
    ),
    (
        "Cellular respiration",
        "Cellular respiration\nMitochondria are the organelles that produce ATP from glucose.\n"
        "• Glycolysis happens in the cytoplasm of the cell\n• The Krebs cycle releases carbon dioxide",
    ),
]


def lecture(
    slides: list[tuple[str, str]] = BIO_SLIDES,
    *,
    lecture_id: int = 1,
    title: str = "Photosynthesis basics",
    filename: str = "bio.pdf",
    figures: dict[int, list[FigureInfo]] | None = None,
) -> LectureMaterial:
    material = LectureMaterial(id=lecture_id, title=title, filename=filename, slides=[])
    for number, (slide_title, text) in enumerate(slides, start=1):
        material.slides.append(
            Slide(
                ref=material.ref(number),
                title=slide_title,
                text=text,
                figures=(figures or {}).get(number, []),
            )
        )
    return material


class FakeLLM(LLM):
    """Answers from a script: a list of replies (cycled) or a function of the messages."""

    name = "fake"

    def __init__(self, replies: list[str] | Callable[[list[Message]], str], *, fail: Exception | None = None):
        self.replies = replies
        self.fail = fail
        self.calls: list[list[Message]] = []

    def stream(self, messages: list[Message], options: GenerationOptions) -> Iterator[str]:
        self.calls.append(messages)
        if self.fail is not None:
            raise self.fail
        if callable(self.replies):
            reply = self.replies(messages)
        else:
            reply = self.replies[(len(self.calls) - 1) % len(self.replies)]
        for i in range(0, len(reply), 7):  # in pieces, as a real stream
            yield reply[i : i + 7]


@dataclass
class StudyDb:
    settings: Settings
    session_factory: sessionmaker[Session]
    user_id: int
    subject_id: int


def study_db(tmp_path: Path, **overrides: object) -> StudyDb:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="test",
        data_dir=tmp_path / "data",
        database_url=f"sqlite:///{tmp_path / 'study.db'}",
        log_json=False,
        **overrides,  # type: ignore[arg-type]
    )
    run_migrations(settings)
    factory = make_session_factory(make_engine(settings))
    with factory() as db:
        user = User(email="student@example.com", password_hash="x")
        db.add(user)
        db.flush()
        subject = Subject(user_id=user.id, name="Biology")
        db.add(subject)
        db.commit()
        return StudyDb(settings, factory, user.id, subject.id)


def add_lecture(
    sdb: StudyDb,
    slides: list[tuple[str, str]] = BIO_SLIDES,
    *,
    title: str = "Photosynthesis basics",
    status: str = LectureStatus.DONE,
    figures: dict[int, tuple[str, str]] | None = None,
) -> int:
    """A processed lecture with pages, chunks and (page -> (image key, caption)) figures."""
    with sdb.session_factory() as db:
        lec = Lecture(
            user_id=sdb.user_id,
            subject_id=sdb.subject_id,
            title=title,
            filename=f"{title.lower().replace(' ', '-')}.pdf",
            file_type="pdf",
            media_type="application/pdf",
            size_bytes=1,
            sha256="0" * 64,
            storage_path="uploads/x/original.pdf",
            status=status,
            page_count=len(slides),
        )
        db.add(lec)
        db.flush()
        for number, (slide_title, text) in enumerate(slides, start=1):
            page = Page(lecture_id=lec.id, number=number, width=960, height=540, title=slide_title, text=text)
            db.add(page)
            db.flush()
            figure_ids = []
            if figures and number in figures:
                key, caption = figures[number]
                fig = Figure(
                    lecture_id=lec.id,
                    page_id=page.id,
                    page_number=number,
                    bbox=[480.0, 110.0, 900.0, 404.0],
                    image_path=key,
                    caption=caption,
                )
                db.add(fig)
                db.flush()
                figure_ids.append(fig.id)
            db.add(
                Chunk(
                    lecture_id=lec.id,
                    page_id=page.id,
                    page_number=number,
                    ordinal=0,
                    title=slide_title,
                    text=text,
                    figure_ids=figure_ids,
                )
            )
        db.commit()
        return lec.id


# two sibling concepts defined on one slide, and a glossary slide (quiz kinds and false versions)
SECURITY_LEVELS: list[tuple[str, str]] = [
    (
        "Security levels",
        "Security levels\n"
        "• Application security is a software engineering problem where the system is designed to resist "
        "attacks.\n"
        "• Infrastructure security is a systems management problem where the infrastructure is configured to "
        "resist attacks.\n",
    ),
    (
        "Terms",
        "Terms\n• Vulnerability: a weakness in a computer-based system that may be exploited to cause harm\n"
        "• Threat: circumstances that have potential to cause loss or harm to a system\n",
    ),
]


def quiz_question(**kw: object) -> QuizQuestion:
    """A valid multiple-choice question (a stack is LIFO, cited to slide 2); ``kw`` replaces its fields."""
    base: dict[str, object] = {
        "number": 1,
        "kind": "multiple_choice",
        "prompt": "Which data structure returns elements in last-in, first-out order?",
        "options": ["stack", "queue", "heap", "linked list"],
        "answer": "A",
        "answer_text": "stack",
        "explanation": "The slides say a stack is LIFO.",
        "source": SourceRef(lecture_id=1, lecture="L", file="l.pdf", page=2),
    }
    base.update(kw)
    return QuizQuestion.model_validate(base)


def figure_card_deck(tmp_path: Path, caption: str) -> tuple[StudyDb, LocalFileStore, dict[str, int]]:
    """A study database with one lecture whose slide 3 has a chart captioned ``caption``, and the cards
    ``store_cards`` made from it (up to 40): the store holds the chart's PNG under its figure key."""
    from tests.support.factories import make_chart_png
    from workers.generation.candidates import extract
    from workers.generation.flashcards import store_cards
    from workers.generation.material import load_material
    from workers.generation.phrasing import Phraser

    sdb = study_db(tmp_path)
    files = LocalFileStore(sdb.settings.data_dir)
    key = "uploads/1/1/figures/p0003-0.png"
    files.path(key).parent.mkdir(parents=True, exist_ok=True)
    files.path(key).write_bytes(make_chart_png(tmp_path / "chart.png").read_bytes())
    add_lecture(sdb, figures={3: (key, caption)})
    with sdb.session_factory() as db:
        lectures = [extract(m) for m in load_material(db, user_id=sdb.user_id, subject_id=sdb.subject_id)]
        result = store_cards(
            db,
            user_id=sdb.user_id,
            subject_id=sdb.subject_id,
            lectures=lectures,
            phraser=Phraser(None),
            count=40,
        )
        db.commit()
    return sdb, files, result


def sheet_paragraphs(material: LectureMaterial, tmp_path: Path, budget: float = 200) -> list[str]:
    """The cheat sheet of one lecture (its candidates planned, chosen within ``budget`` lines and rendered
    to .docx, no page check) as its paragraphs' text."""
    from docx import Document

    from workers.generation.candidates import extract
    from workers.generation.cheatsheet import plan_items, render_docx, select_items

    lc = extract(material)
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    plans = plan_items([lc], LocalFileStore(tmp_path / "files"), work, summaries={})
    out = tmp_path / "sheet.docx"
    render_docx(out, title=material.title, lectures=[lc], items=select_items(plans, budget))
    return [p.text for p in Document(str(out)).paragraphs]
