"""Line roles: footers, course meta, credits and URLs are marked (and kept out of chunks and material);
definitions and lists become knowledge units. Slides are made here (fpdf2) or given as page text."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from fpdf import FPDF
from PIL import Image

from frontend.formatting import split_page_text
from shared.db import run_migrations
from shared.files import LocalFileStore
from shared.settings import Settings
from workers.ocr.chunking import deck_footers, page_chunks
from workers.ocr.line_cues import KnowledgeUnit, LineHint, PageLines, boilerplate_key
from workers.ocr.pipeline import assign_roles
from workers.ocr.ports import OcrEngine, OcrResult
from workers.ocr.readers import ReadOptions, read_document
from workers.ocr.roles import classify_deck, content_text, knowledge_units

FOOTER = "Y. Cheng UVA DS5110 Spring '25"


def deck(*pages: str) -> list[list[str]]:
    return classify_deck([PageLines(lines=p.split("\n")) for p in pages])


def roles_of(pages: list[str], page: int) -> dict[str, str]:
    roles = deck(*pages)[page]
    return dict(zip(pages[page].split("\n"), roles, strict=True))


CONTENT = [
    "Deadlocks\nA process holds resources while it waits for others\nThe system can detect it",
    "Scheduling\nThe scheduler picks the next process to run\nRound robin gives each a time slice",
    "Memory\nPaging splits memory into frames\nThe page table maps pages to frames",
    "Files\nA file system names and stores data\nDirectories group files together",
]


def with_footer(pages: list[str], first: int = 2) -> list[str]:
    return [f"{p}\n{FOOTER} {n}" for n, p in enumerate(pages, start=first)]


def test_a_repeated_footer_with_a_changing_page_number_is_a_footer() -> None:
    pages = ["Operating Systems\nLecture 7: Deadlocks", *with_footer(CONTENT)]
    for index in range(1, len(pages)):
        roles = roles_of(pages, index)
        footer = pages[index].split("\n")[-1]
        assert footer != f"{FOOTER} 2" or index == 1  # the page number really changes
        assert roles[footer] == "footer"
        body = pages[index].split("\n")[1]
        assert roles[body] == "body"
        assert roles[pages[index].split("\n")[0]] == "title"


class NoOcr(OcrEngine):
    def read(self, image: Image.Image, *, languages: str, sparse: bool = False) -> OcrResult:
        return OcrResult("", 0.0, 0)

    def available_languages(self) -> set[str]:
        return {"eng"}


def test_a_pdf_deck_read_by_the_worker_marks_its_footer_and_keeps_it_out_of_chunks(tmp_path: Path) -> None:
    pdf = FPDF(orientation="L", unit="pt", format=(540, 960))
    pdf.set_auto_page_break(False)
    for number, text in enumerate(CONTENT, start=1):
        lines = text.split("\n")
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 28)
        pdf.set_xy(40, 40)
        pdf.cell(0, 34, lines[0])
        pdf.set_font("Helvetica", "", 18)
        for k, line in enumerate(lines[1:]):
            pdf.set_xy(40, 110 + 30 * k)
            pdf.cell(0, 22, line)
        pdf.set_font("Helvetica", "", 10)
        pdf.set_xy(40, 505)
        pdf.cell(0, 12, f"{FOOTER} {number}")
    path = tmp_path / "os.pdf"
    pdf.output(str(path))
    opts = ReadOptions(
        store=LocalFileStore(tmp_path / "store"), prefix="u/1", languages="eng", layout=None, ocr=NoOcr()
    )
    pages = list(read_document(path, "pdf", opts))
    assign_roles(pages)
    for page in pages:
        lines = page.text.split("\n")
        assert f"{FOOTER} {page.number}" in lines  # the footer stays in the page text
        assert page.roles[lines.index(f"{FOOTER} {page.number}")] == "footer"
        chunks = " ".join(c.text for c in page_chunks(text=page.text, source=page.source, roles=page.roles))
        assert "Cheng" not in chunks and CONTENT[page.number - 1].split("\n")[1] in chunks


def test_course_code_and_instructor_on_the_title_slide_are_meta() -> None:
    title_slide = (
        "Deadlocks and Scheduling\nCS 4414 Operating Systems\nProf. Jane Smith, University of Virginia"
    )
    roles = roles_of([title_slide, *CONTENT], 0)
    assert roles["Deadlocks and Scheduling"] == "title"
    assert roles["CS 4414 Operating Systems"] == "meta"
    assert roles["Prof. Jane Smith, University of Virginia"] == "meta"


def test_image_credit_and_url_lines() -> None:
    page = (
        "Deadlock example\nTwo trains wait for each other at a crossing\n"
        "Image: Wikimedia Commons, CC BY-SA\nhttps://en.wikipedia.org/wiki/Deadlock"
    )
    roles = roles_of([*CONTENT[:2], page, *CONTENT[2:]], 2)
    assert roles["Image: Wikimedia Commons, CC BY-SA"] == "credit"
    assert roles["https://en.wikipedia.org/wiki/Deadlock"] == "url"
    assert roles["Two trains wait for each other at a crossing"] == "body"


LIST_PAGE = (
    "Deadlock\n"
    "Deadlock: a set of processes each waiting for a resource held by another process in the set\n"
    "Four necessary conditions:\n"
    "• Mutual exclusion\n"
    "• Hold and wait\n"
    "• No preemption\n"
    "• Circular wait"
)


def test_a_list_lead_in_and_its_items_become_a_list_unit() -> None:
    roles = deck(CONTENT[0], LIST_PAGE, *CONTENT[1:])[1]
    lines = LIST_PAGE.split("\n")
    assert roles[lines.index("Four necessary conditions:")] == "list_lead"
    units = knowledge_units(lines, roles, page=2)
    lists = [u for u in units if u.kind == "list"]
    assert lists == [
        KnowledgeUnit(
            "list",
            2,
            "Four necessary conditions",
            items=("Mutual exclusion", "Hold and wait", "No preemption", "Circular wait"),
        )
    ]


def test_a_term_and_its_explanation_is_a_definition_unit() -> None:
    roles = deck(CONTENT[0], LIST_PAGE, *CONTENT[1:])[1]
    lines = LIST_PAGE.split("\n")
    assert roles[1] == "definition"
    (definition,) = [u for u in knowledge_units(lines, roles, page=2) if u.kind == "definition"]
    assert definition.term == "Deadlock"
    assert definition.explanation.startswith("a set of processes each waiting")
    assert definition.page == 2


def test_chunks_leave_out_footer_meta_credit_and_url_lines() -> None:
    text = (
        "Deadlock example\nTwo trains wait for each other at a crossing\nImage: Wikimedia Commons, CC BY-SA\n"
        "https://en.wikipedia.org/wiki/Deadlock\nCS 4414 Fall 2025\nY. Cheng UVA DS5110 Spring '25 7"
    )
    roles = ["title", "body", "credit", "url", "meta", "footer"]
    chunks = page_chunks(text=text, source="text_layer", roles=roles)
    joined = "\n".join(c.text for c in chunks)
    assert "Two trains wait" in joined and "Deadlock example" in joined
    for gone in ("Wikimedia", "wikipedia.org", "CS 4414", "Cheng"):
        assert gone not in joined
    # without roles (pages stored before roles existed) nothing is lost
    assert "Wikimedia" in "\n".join(c.text for c in page_chunks(text=text, source="text_layer"))
    assert content_text(text, roles).split("\n") == [
        "Deadlock example",
        "Two trains wait for each other at a crossing",
    ]


def test_the_lecture_view_splits_boilerplate_off_to_show_it_muted() -> None:
    main, muted = split_page_text("Deadlock\nTwo trains wait\nY. Cheng 7", ["title", "body", "footer"])
    assert main == "Deadlock\nTwo trains wait" and muted == "Y. Cheng 7"
    assert split_page_text("a\nb", None) == ("a\nb", "")


def test_the_migration_adds_line_roles_to_pages_on_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("DATABASE_URL", "SMARTNOTES_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    assert settings.sqlalchemy_url.startswith("sqlite")
    run_migrations(settings)
    engine = sa.create_engine(settings.sqlalchemy_url)
    try:
        columns = {c["name"]: c for c in sa.inspect(engine).get_columns("pages")}
        assert "line_roles" in columns and columns["line_roles"]["nullable"]
        with engine.connect() as conn:
            version = conn.execute(sa.text("select version_num from alembic_version")).scalar()
            assert version is not None and int(version) >= 4  # 0004 and whatever came after it
    finally:
        engine.dispose()


def test_words_inside_a_figure_lose_their_email_url_and_credit_lines() -> None:
    from workers.ocr.chunking import page_chunks
    from workers.ocr.roles import without_boilerplate

    words = (
        "Why Bother with Modelling?\nEduardo Massad edmassad@usp.br\nImage: Wikimedia Commons, CC BY-SA\nBone"
    )
    assert without_boilerplate(words) == "Why Bother with Modelling?\nBone"
    drafts = page_chunks(text="Models", source="text_layer", notes="", figure_texts=[words])
    figure = " ".join(d.text for d in drafts if d.source == "figure")
    assert "Bone" in figure and "@" not in figure and "Wikimedia" not in figure


# --- boilerplate that the line roles alone missed (benchmarks/chunk_boilerplate.py) -------------------
HEADER = "TSKS14 Multiple Antenna Communications"


def header_deck(odd: str, hint: LineHint | None = None) -> list[list[str]]:
    """Six slides under a running header with date and page number; slide 4's header is ``odd``."""
    pages = [PageLines(lines=["Multiple Antenna Communications", "Lecture 4, 2020", "Emil Björnson"])]
    for n, body in enumerate(CONTENT + CONTENT[:1], start=2):
        header = odd if n == 4 else f"{HEADER} 2020-04-15 {n}"
        lines = [header, *body.split("\n")]
        hints: list[LineHint | None] = [hint if n == 4 else None] + [None] * (len(lines) - 1)
        pages.append(PageLines(lines=lines, hints=hints))
    return classify_deck(pages)


def test_a_running_header_with_its_date_spaced_otherwise_is_a_footer() -> None:
    roles = header_deck(f"{HEADER} 2020 -04 -15 4")  # text extraction spaced the date's dashes
    assert roles[3][0] == "footer"
    assert roles[3][1] == "title" and roles[3][2] == "body"


def test_a_running_header_the_layout_model_calls_a_title_is_a_footer() -> None:
    hint = LineHint(text=f"{HEADER} 2020-04-15 4", kind="title", top=0.02, bottom=0.05, size=0.03)
    roles = header_deck(f"{HEADER} 2020-04-15 4", hint)
    assert roles[3][0] == "footer"
    assert roles[3][1] == "title"


def test_a_figure_read_with_the_slide_footer_or_title_slide_names_leaves_them_out_of_chunks() -> None:
    footer = "Database Management Systems, R. Ramakrishnan and J. Gehrke"
    pages = [f"{p}\n{footer} {n}" for n, p in enumerate(CONTENT + CONTENT[:1], start=2)]
    footers = deck_footers((p, r) for p, r in zip(pages, deck(*pages), strict=True))
    figure = f"Employees\nCREATE TABLE Employees\n{footer}"  # OCR of the figure's region took the footer
    roles = deck(*pages)[1]
    drafts = page_chunks(text=pages[1], source="ocr", roles=roles, figure_texts=[figure], footers=footers)
    joined = "\n".join(d.text for d in drafts)
    assert "CREATE TABLE Employees" in joined and "The scheduler picks" in joined
    assert "Gehrke" not in joined
    # the title slide drawn as a picture: its words repeat the page's meta lines, which go with them
    title_slide = "Mecánica de Sólidos\nInterpretación de los gráficos\nUniversidad Nacional de Colombia"
    drafts = page_chunks(
        text=title_slide,
        source="text_layer",
        roles=["meta", "title", "meta"],
        figure_texts=["\n".join(reversed(title_slide.split("\n")))],
    )
    joined = "\n".join(d.text for d in drafts)
    assert "Universidad" not in joined and "Mecánica" not in joined
    assert joined.count("Interpretación de los gráficos") == 2  # the title, in the text and in the figure


def test_a_running_header_glued_to_the_first_words_of_a_line_is_cut_off_them() -> None:
    footers = frozenset({boilerplate_key(f"{HEADER} 2020-04-15 3")})
    text = f"{HEADER} 2020-04-15 Channel from\nantenna k to antenna m"
    drafts = page_chunks(text=text, source="text_layer", roles=["body", "body"], footers=footers)
    assert drafts[0].text == "Channel from\nantenna k to antenna m"
    # a line that only starts like the header keeps its words
    text = "Multiple antenna communications are studied here"
    assert page_chunks(text=text, source="text_layer", roles=["body"], footers=footers)[0].text == text


def test_figure_words_lose_the_page_date_footer_but_keep_numbers_and_lines_the_page_keeps() -> None:
    footers = frozenset({boilerplate_key("Chapter 13 Security Engineering")})
    text = "Stress in x\nChapter 13 Security Engineering\n10/25/2022 13\n(3)\n13"
    roles = ["title", "body", "footer", "footer", "footer"]  # this page keeps the chapter line as content
    figure = "Chapter 13 Security Engineering\n240\n(4)\n10/25/2022 13\n13 kPa"
    drafts = page_chunks(text=text, source="text_layer", roles=roles, figure_texts=[figure], footers=footers)
    words = next(d.text for d in drafts if d.source == "figure")
    assert words.split("\n") == ["Chapter 13 Security Engineering", "240", "(4)", "13 kPa"]
