"""Mind maps: titles -> key terms -> definitions (and list items), figures with their captions; every
node knows its lecture and slide and links to it in the SVG; footers, course meta, credits and URLs never
appear."""

from __future__ import annotations

import io
from pathlib import Path
from xml.etree import ElementTree

from PIL import Image

from shared.files import LocalFileStore
from shared.models import GeneratedDocument, Page
from shared.schemas import MindMapRead
from tests.support.study import StudyDb, add_lecture, study_db
from workers.generation.mindmap import build_and_store, build_graph, load_lectures, render, slide_link
from workers.ocr.line_cues import PageLines
from workers.ocr.roles import classify_deck

FOOTER = "Prof. A. Smith BIO 101 Fall 2026"
SLIDES = [
    (
        "Photosynthesis basics",
        "Photosynthesis basics\nProf. A. Smith\nBIO 101 Fall 2026\nhttps://bio101.example.edu",
    ),
    (
        "Photosynthesis",
        "Photosynthesis\nPhotosynthesis: the process by which plants convert light energy into chemical "
        "energy\n"
        f"Chloroplast: the organelle where photosynthesis happens\n{FOOTER} 2",
    ),
    (
        "Light reactions",
        "Light reactions\nThe light reactions need three inputs:\n• Water\n• Light\n• ADP and NADP+\n"
        f"{FOOTER} 3",
    ),
    (
        "The Calvin cycle",
        "The Calvin cycle\nRuBisCO: the enzyme that fixes carbon dioxide in the stroma\n"
        f"Image credit: Wikimedia Commons\n{FOOTER} 4",
    ),
    ("Summary", f"Summary\nStroma: the fluid inside the chloroplast around the thylakoids\n{FOOTER} 5"),
]


def _lecture_with_roles(sdb: StudyDb, title: str = "Photosynthesis basics", **kw: object) -> int:
    lecture_id = add_lecture(sdb, SLIDES, title=title, **kw)  # type: ignore[arg-type]
    with sdb.session_factory() as db:
        pages = list(db.query(Page).filter(Page.lecture_id == lecture_id).order_by(Page.number))
        roles = classify_deck(
            [PageLines(lines=p.text.split("\n")) for p in pages]
        )  # as ingestion stores them
        for page, page_roles in zip(pages, roles, strict=True):
            page.line_roles = page_roles
        db.commit()
    return lecture_id


def _graph(sdb: StudyDb, lecture_id: int | None) -> MindMapRead:
    with sdb.session_factory() as db:
        lectures = load_lectures(db, user_id=sdb.user_id, subject_id=sdb.subject_id, lecture_id=lecture_id)
    return build_graph(
        subject_id=sdb.subject_id, subject_name="Biology", lectures=lectures, lecture_id=lecture_id
    )


def _children(graph: MindMapRead, node_id: str) -> list[str]:
    labels = {n.id: n for n in graph.nodes}
    return [labels[e.target].label for e in graph.edges if e.source == node_id]


def test_titles_lead_to_terms_and_their_definitions_with_their_slides(tmp_path: Path) -> None:
    sdb = study_db(tmp_path)
    lecture_id = _lecture_with_roles(
        sdb,
        figures={
            4: ("figures/calvin.png", "The Calvin cycle in the stroma"),
            5: ("figures/logo.png", "Image credit: Wikimedia Commons"),
        },
    )
    graph = _graph(sdb, lecture_id)
    nodes = {n.id: n for n in graph.nodes}
    root = graph.nodes[0]
    assert root.kind == "root" and root.label == "Photosynthesis basics"
    titles = {n.label: n for n in graph.nodes if n.kind == "title"}
    assert list(titles) == ["Photosynthesis", "Light reactions", "The Calvin cycle", "Summary"]
    assert _children(graph, root.id) == list(titles)
    assert _children(graph, titles["Photosynthesis"].id) == ["Photosynthesis", "Chloroplast"]
    term = next(n for n in graph.nodes if n.kind == "term" and n.label == "RuBisCO")
    assert term.slide == 4 and term.lecture_id == lecture_id
    assert _children(graph, term.id) == ["the enzyme that fixes carbon dioxide in the stroma"]
    lead = next(n for n in graph.nodes if n.kind == "term" and n.label.startswith("The light reactions"))
    assert _children(graph, lead.id) == ["Water; Light; ADP and NADP+"]
    figures = [n for n in graph.nodes if n.kind == "figure"]
    assert [(f.label, f.slide) for f in figures] == [("The Calvin cycle in the stroma", 4)]
    assert figures[0].figure_id is not None
    assert {(e.source, e.target) for e in graph.edges} <= {(a, b) for a in nodes for b in nodes}
    # nothing from footers, course meta, credits or URLs
    text = " ".join(n.label for n in graph.nodes)
    for boilerplate in ("Smith", "BIO 101", "http", "Wikimedia", "credit"):
        assert boilerplate not in text


def test_a_subject_map_has_a_branch_per_lecture(tmp_path: Path) -> None:
    sdb = study_db(tmp_path)
    first = _lecture_with_roles(sdb)
    second = _lecture_with_roles(sdb, title="Plant cells")
    graph = _graph(sdb, None)
    assert graph.nodes[0].kind == "root" and graph.nodes[0].label == "Biology"
    lectures = [n for n in graph.nodes if n.kind == "lecture"]
    assert [(n.label, n.lecture_id) for n in lectures] == [
        ("Photosynthesis basics", first),
        ("Plant cells", second),
    ]
    assert len(_children(graph, lectures[1].id)) == 5  # Plant cells' own title slide is a section too


def test_the_svg_links_every_node_to_its_slide_and_the_png_is_an_image(tmp_path: Path) -> None:
    sdb = study_db(tmp_path)
    lecture_id = _lecture_with_roles(sdb)
    graph = _graph(sdb, lecture_id)
    svg = render(graph, "svg").decode()
    rubisco = next(n for n in graph.nodes if n.label == "RuBisCO")
    assert slide_link(rubisco) == f"?page=lecture&lecture={lecture_id}&slide=4"
    assert f'href="?page=lecture&amp;lecture={lecture_id}&amp;slide=4"' in svg
    assert svg.count("<a ") >= len(graph.nodes)
    ElementTree.fromstring(svg.encode())  # well-formed XML: opens as a file, not only inline
    png = Image.open(io.BytesIO(render(graph, "png")))
    assert png.format == "PNG" and png.width > 200


def test_the_map_is_stored_as_a_document_with_svg_png_and_graph(tmp_path: Path) -> None:
    sdb = study_db(tmp_path)
    lecture_id = _lecture_with_roles(sdb)
    files = LocalFileStore(sdb.settings.data_dir)
    with sdb.session_factory() as db:
        doc_id = build_and_store(
            db, files, job_id=None, user_id=sdb.user_id, subject_id=sdb.subject_id, lecture_id=lecture_id
        )
    with sdb.session_factory() as db:
        doc = db.get(GeneratedDocument, doc_id)
        assert doc is not None and doc.kind == "mindmap" and doc.media_type == "image/svg+xml"
        assert files.path(doc.storage_path).read_bytes().lstrip().startswith(b"<?xml")
        assert files.path(doc.params["png_key"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        graph = MindMapRead.model_validate(doc.params["graph"])
        assert graph.lecture_id == lecture_id and any(n.label == "Stroma" for n in graph.nodes)
