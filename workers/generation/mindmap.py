"""Mind map of a lecture or a subject: titles -> key terms -> definitions, and the slides' figures.

Built from what ingestion stored: each page's line roles give its title and, through
``workers.ocr.roles.knowledge_units``, its definitions (term + explanation) and lists (lead-in + items);
figures come with their captions. Footers, course meta, credits and URLs never reach the map (their roles are
dropped, captions lose such lines). Every node carries its lecture and slide, so the app links it to the
slide; Graphviz draws it as SVG (nodes are links) and PNG.
"""

from __future__ import annotations

import html
import io
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.files import FileStore
from shared.models import Figure, Page, Subject
from shared.schemas import MindMapEdge, MindMapNode, MindMapRead
from workers.generation.material import no_processed_lectures, processed_lectures
from workers.ocr.line_cues import is_credit, is_url
from workers.ocr.roles import knowledge_units, page_title, without_boilerplate

MAX_NODES = 400  # beyond this a map is unreadable and Graphviz slow: later slides are left out
MAX_FIGURES_PER_SLIDE = 2
LABEL_CHARS = 70


@dataclass
class PageInfo:
    number: int
    text: str
    roles: list[str] | None
    title: str = ""


@dataclass
class FigureNote:
    id: int
    page: int
    caption: str


@dataclass
class LectureInfo:
    id: int
    title: str
    pages: list[PageInfo]
    figures: list[FigureNote] = field(default_factory=list)


def _clip(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _clean(text: str) -> str:
    """A label without boilerplate lines; empty when all of it is a credit or URL."""
    kept = [line for line in without_boilerplate(text).split("\n") if line.strip()]
    return " ".join(kept) if kept and not any(is_url(k) or is_credit(k) for k in kept) else ""


class _Graph:
    def __init__(self) -> None:
        self.nodes: list[MindMapNode] = []
        self.edges: list[MindMapEdge] = []

    def add(self, parent: str | None, **values: Any) -> str:
        node = MindMapNode(id=f"n{len(self.nodes)}", **values)
        self.nodes.append(node)
        if parent is not None:
            self.edges.append(MindMapEdge(source=parent, target=node.id))
        return node.id

    @property
    def full(self) -> bool:
        return len(self.nodes) >= MAX_NODES


def _lecture_branch(graph: _Graph, parent: str, lecture: LectureInfo) -> None:
    figures: dict[int, list[FigureNote]] = defaultdict(list)
    for fig in lecture.figures:
        figures[fig.page].append(fig)
    current_title = ""
    title_node = parent
    for page in lecture.pages:
        if graph.full:
            return
        lines = page.text.split("\n")
        roles = page.roles if page.roles and len(page.roles) == len(lines) else None
        title = _clean(page_title(page.text, roles, page.title))
        if page.number == 1 and title and title.lower() in lecture.title.lower():
            title = ""  # the title slide repeats the lecture's title
        units = knowledge_units(lines, roles, page=page.number) if roles else []
        slide_figures = [f for f in figures.get(page.number, []) if f.caption][:MAX_FIGURES_PER_SLIDE]
        if not title and not units and not slide_figures:
            continue
        if title and title.lower() != current_title.lower():
            current_title = title
            title_node = graph.add(
                parent, kind="title", label=_clip(title), lecture_id=lecture.id, slide=page.number
            )
        anchor = title_node if current_title else parent
        for unit in units:
            term = _clean(unit.term)
            detail = _clean(unit.explanation if unit.kind == "definition" else "; ".join(unit.items))
            if not term or not detail:
                continue
            term_node = graph.add(
                anchor, kind="term", label=_clip(term, 50), lecture_id=lecture.id, slide=page.number
            )
            graph.add(
                term_node, kind="definition", label=_clip(detail), lecture_id=lecture.id, slide=page.number
            )
        for fig in slide_figures:
            graph.add(
                anchor,
                kind="figure",
                label=_clip(fig.caption),
                lecture_id=lecture.id,
                slide=page.number,
                figure_id=fig.id,
            )


def build_graph(
    *, subject_id: int, subject_name: str, lectures: Sequence[LectureInfo], lecture_id: int | None = None
) -> MindMapRead:
    """The map of one lecture (``lecture_id``) rooted at its title, or of the subject rooted at its name."""
    graph = _Graph()
    if lecture_id is not None and len(lectures) == 1:
        lecture = lectures[0]
        root = graph.add(None, kind="root", label=_clip(lecture.title), lecture_id=lecture.id, slide=1)
        _lecture_branch(graph, root, lecture)
        title = lecture.title
    else:
        root = graph.add(None, kind="root", label=_clip(subject_name))
        for lecture in lectures:
            node = graph.add(root, kind="lecture", label=_clip(lecture.title), lecture_id=lecture.id, slide=1)
            _lecture_branch(graph, node, lecture)
        title = subject_name
    return MindMapRead(
        subject_id=subject_id, lecture_id=lecture_id, title=title, nodes=graph.nodes, edges=graph.edges
    )


def load_lectures(db: Session, *, user_id: int, subject_id: int, lecture_id: int | None) -> list[LectureInfo]:
    rows = processed_lectures(
        db, user_id=user_id, subject_id=subject_id, lecture_ids=[lecture_id] if lecture_id else None
    )
    if not rows:
        raise no_processed_lectures()
    ids = [lec.id for lec in rows]
    pages: dict[int, list[PageInfo]] = defaultdict(list)
    for p in db.scalars(select(Page).where(Page.lecture_id.in_(ids)).order_by(Page.lecture_id, Page.number)):
        pages[p.lecture_id].append(PageInfo(p.number, p.text or "", p.line_roles, p.title or ""))
    figures: dict[int, list[FigureNote]] = defaultdict(list)
    for f in db.scalars(
        select(Figure).where(Figure.lecture_id.in_(ids)).order_by(Figure.page_number, Figure.ordinal)
    ):
        figures[f.lecture_id].append(FigureNote(f.id, f.page_number, _clean(f.caption or "")))
    return [LectureInfo(lec.id, lec.title, pages[lec.id], figures[lec.id]) for lec in rows]


# --- drawing ----------------------------------------------------------------------------------------
STYLE = {
    "root": {"shape": "box", "style": "rounded,filled", "fillcolor": "#1f4e79", "fontcolor": "white"},
    "lecture": {"shape": "box", "style": "rounded,filled", "fillcolor": "#2e75b6", "fontcolor": "white"},
    "title": {"shape": "box", "style": "rounded,filled", "fillcolor": "#deebf7"},
    "term": {"shape": "ellipse", "style": "filled", "fillcolor": "#fff2cc"},
    "definition": {"shape": "note", "style": "filled", "fillcolor": "#ffffff", "fontsize": "10"},
    "figure": {"shape": "component", "style": "filled", "fillcolor": "#e2f0d9", "fontsize": "10"},
}


def slide_link(node: MindMapNode) -> str | None:
    """The app's URL of the node's slide (its query parameters: page, lecture, slide)."""
    if node.lecture_id is None:
        return None
    return f"?page=lecture&lecture={node.lecture_id}&slide={node.slide or 1}"


def render(graph: MindMapRead, fmt: str) -> bytes:
    """The map drawn by Graphviz's ``dot`` as ``svg`` or ``png``; in the SVG each node links to its slide."""
    import graphviz

    dot = graphviz.Digraph("mindmap", format=fmt)
    dot.attr(rankdir="LR", concentrate="true", fontname="DejaVu Sans", ranksep="0.4", nodesep="0.15")
    dot.attr("node", fontname="DejaVu Sans", fontsize="11", margin="0.1,0.04")
    dot.attr("edge", color="#7f7f7f", arrowsize="0.5")
    for node in graph.nodes:
        link = slide_link(node)
        # dot 2.43 copies a URL's "&" into the SVG unescaped (invalid XML): hand it the entity
        url = html.escape(link, quote=False) if link else ""
        extra = {"URL": url, "target": "_self", "tooltip": f"slide {node.slide}"} if link else {}
        dot.node(node.id, node.label, **STYLE[node.kind], **extra)
    for edge in graph.edges:
        dot.edge(edge.source, edge.target)
    return dot.pipe(format=fmt)


def build_and_store(
    db: Session,
    files: FileStore,
    *,
    job_id: str | None,
    user_id: int,
    subject_id: int,
    lecture_id: int | None,
) -> int:
    """Build, draw and store the map as a ``mindmap`` document (SVG file; PNG and graph beside it)."""
    from workers.generation.service import save_document

    subject = db.get(Subject, subject_id)
    lectures = load_lectures(db, user_id=user_id, subject_id=subject_id, lecture_id=lecture_id)
    graph = build_graph(
        subject_id=subject_id,
        subject_name=subject.name if subject is not None else "Subject",
        lectures=lectures,
        lecture_id=lecture_id,
    )
    with tempfile.TemporaryDirectory(prefix="smartnotes-mindmap-") as tmp:
        svg = Path(tmp) / "mindmap.svg"
        svg.write_bytes(render(graph, "svg"))
        png = render(graph, "png")
        doc = save_document(
            db,
            files,
            user_id=user_id,
            subject_id=subject_id,
            job_id=job_id,
            kind="mindmap",
            title=f"Mind map: {graph.title}",
            filename="mindmap.svg",
            media_type="image/svg+xml",
            source=svg,
            params={"lecture_id": lecture_id, "graph": graph.model_dump(mode="json")},
        )
    png_key = f"generated/{user_id}/{doc.id}/mindmap.png"
    files.save(png_key, io.BytesIO(png))
    doc.params = {**doc.params, "png_key": png_key}
    db.commit()
    return doc.id
