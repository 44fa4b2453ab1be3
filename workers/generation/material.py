"""A subject's processed lectures, read from the database into plain objects the generators work on."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.errors import AppError
from shared.models import Chunk, Figure, Lecture, LectureStatus, Page
from shared.schemas import SourceRef
from workers.ocr.roles import study_text, without_boilerplate


@dataclass(frozen=True)
class FigureInfo:
    id: int
    page: int
    caption: str
    text: str
    image_path: str
    area: float = 0.0  # share of the slide


@dataclass
class Slide:
    ref: SourceRef
    title: str
    text: str
    notes: str = ""
    figures: list[FigureInfo] = field(default_factory=list)
    source: str = "text_layer"  # how the page was read: "text_layer" or "ocr" (Page.text_source)
    ocr_confidence: float | None = None
    # Every non-empty line of the page with its role (workers/ocr roles: title, body, question, figure_text,
    # agenda, ...), the dropped ones included; empty for pages stored before roles existed.
    lines: tuple[tuple[str, str], ...] = ()


@dataclass
class LectureMaterial:
    id: int
    title: str
    filename: str
    slides: list[Slide]

    def ref(self, page: int, figure_id: int | None = None) -> SourceRef:
        return SourceRef(
            lecture_id=self.id, lecture=self.title, file=self.filename, page=page, figure_id=figure_id
        )


def roled_lines(text: str, roles: list[str] | None) -> tuple[tuple[str, str], ...]:
    """The page's non-empty lines with their roles; nothing when the roles do not line up with the text."""
    lines = text.split("\n")
    if not roles or len(roles) != len(lines):
        return ()
    return tuple((line.strip(), role) for line, role in zip(lines, roles, strict=True) if line.strip())


def no_processed_lectures() -> AppError:
    return AppError(
        "NO_PROCESSED_LECTURES",
        "This subject has no processed lecture yet: upload slides and wait until they are processed.",
        status_code=409,
    )


def processed_lectures(
    db: Session, *, user_id: int, subject_id: int, lecture_ids: list[int] | None
) -> list[Lecture]:
    query = select(Lecture).where(
        Lecture.user_id == user_id, Lecture.subject_id == subject_id, Lecture.status == LectureStatus.DONE
    )
    if lecture_ids:
        query = query.where(Lecture.id.in_(lecture_ids))
    return list(db.scalars(query.order_by(Lecture.created_at, Lecture.id)))


def load_material(
    db: Session, *, user_id: int, subject_id: int, lecture_ids: list[int] | None = None
) -> list[LectureMaterial]:
    """Every processed lecture (or the chosen ones) with its slides, notes and figures, in upload order."""
    lectures = processed_lectures(db, user_id=user_id, subject_id=subject_id, lecture_ids=lecture_ids)
    if not lectures:
        raise no_processed_lectures()
    ids = [lec.id for lec in lectures]
    pages = db.scalars(select(Page).where(Page.lecture_id.in_(ids)).order_by(Page.lecture_id, Page.number))
    figures: dict[tuple[int, int], list[FigureInfo]] = defaultdict(list)
    page_size = {}
    page_rows = list(pages)
    for p in page_rows:
        page_size[p.id] = (p.width or 1.0) * (p.height or 1.0)
    for f in db.scalars(
        select(Figure).where(Figure.lecture_id.in_(ids)).order_by(Figure.page_number, Figure.ordinal)
    ):
        x0, y0, x1, y1 = [*list(f.bbox), 0.0, 0.0, 0.0, 0.0][:4] if f.bbox else (0.0, 0.0, 0.0, 0.0)
        area = max(0.0, (x1 - x0) * (y1 - y0)) / max(page_size.get(f.page_id, 1.0), 1.0)
        figures[(f.lecture_id, f.page_number)].append(
            FigureInfo(
                id=f.id,
                page=f.page_number,
                caption=without_boilerplate(f.caption or ""),
                text=without_boilerplate(f.text or ""),  # words inside a figure: no e-mail, URL, credit
                image_path=f.image_path,
                area=min(area, 1.0),
            )
        )
    notes: dict[tuple[int, int], list[str]] = defaultdict(list)
    for c in db.scalars(
        select(Chunk).where(Chunk.lecture_id.in_(ids), Chunk.source == "notes").order_by(Chunk.ordinal)
    ):
        notes[(c.lecture_id, c.page_number)].append(c.text.removeprefix("Speaker notes: "))
    by_lecture: dict[int, list[Page]] = defaultdict(list)
    for p in page_rows:
        by_lecture[p.lecture_id].append(p)
    out: list[LectureMaterial] = []
    for lec in lectures:
        material = LectureMaterial(id=lec.id, title=lec.title, filename=lec.filename, slides=[])
        for p in by_lecture[lec.id]:
            material.slides.append(
                Slide(
                    ref=material.ref(p.number),
                    title=p.title or "",
                    # no footers, meta, credits, URLs, nor outline (agenda) lines
                    text=study_text(p.text or "", p.line_roles),
                    notes="\n".join(notes[(lec.id, p.number)]),
                    figures=figures[(lec.id, p.number)],
                    source=p.text_source or "text_layer",
                    ocr_confidence=p.ocr_confidence,
                    lines=roled_lines(p.text or "", p.line_roles),
                )
            )
        out.append(material)
    return out
