"""Text that came from an upload is shown as text: slide text, answers and citations, cards, quiz questions
and options, document and lecture titles, file names and subject names never become links, images, raw
HTML or formatting, on any page (the fake gateway of ``test_frontend_app`` serves them)."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from frontend.formatting import md, md_line
from tests.unit.test_frontend_app import FakeGateway, button, make_app, texts

# What a slide (or an answer made from slides) could carry; its first word marks where it ends up.
HOSTILE = (
    "EVIL1 ![pic](http://evil.test/p.png) [click](javascript:alert(1)) <img src=x onerror=alert(1)> "
    "**shout** `code` ~~gone~~ &lt;b&gt; www.evil.test :red[red] :material/home: $x^2$"
)
# Block-level Markdown, for the places that show several lines.
HOSTILE_LINES = (
    "EVIL2 lines\n# Heading\n- item\n1. first\n    indented code\n> quote\n| a | b |\n|---|---|\n***"
)
TAGS = re.compile(r"<[^>]+>")
# CommonMark + the GFM table and strikethrough extensions, with raw HTML passed through as a browser would.
RENDERER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def plain(rendered: str) -> str:
    """The text a reader sees in rendered HTML (invisible word joiners dropped, spaces normalised)."""
    return " ".join(html.unescape(TAGS.sub(" ", rendered)).replace("\u2060", "").split())


def structure(source: str) -> list[str]:
    """The HTML elements the Markdown makes (line breaks aside: a text's own lines stay lines)."""
    return [t for t in re.findall(r"<(/?[a-z0-9]+)", RENDERER.render(source)) if t != "br"]


def shown(at: AppTest) -> list[str]:
    """Every Markdown source on the page: texts, captions, alerts, headings, toasts, progress texts and
    the labels and options of widgets (Streamlit renders Markdown in all of them)."""
    sources: list[str] = []
    for kind in (
        "markdown",
        "caption",
        "error",
        "warning",
        "info",
        "success",
        "subheader",
        "header",
        "toast",
    ):
        sources += [str(e.value) for e in getattr(at, kind)]
    for kind in ("button", "checkbox", "text_input", "expander", "toggle"):
        sources += [str(e.label) for e in getattr(at, kind)]
    for radio in at.radio:
        sources += [str(radio.label), *(str(o) for o in radio.options)]
    sources += [str(bar.proto.text) for bar in at.get("progress")]
    return sources


def assert_literal(at: AppTest, hostile: str = HOSTILE, *, at_least: int = 1) -> list[str]:
    """Every place showing ``hostile`` shows it character for character: the page's Markdown around it
    renders exactly as it would around a plain word, and no link, image or HTML comes out of it."""
    assert not at.exception, at.exception
    marker = hostile.split()[0]
    places = [s for s in shown(at) if marker in s]
    assert len(places) >= at_least, (len(places), shown(at))
    want = " ".join(hostile.split())
    for source in places:
        escaped = next((e for e in (md(hostile), md_line(hostile)) if e in source), None)
        assert escaped is not None, f"shown as Markdown, not as text: {source!r}"
        rendered = RENDERER.render(source)
        assert structure(source) == structure(source.replace(escaped, "X")), (source, rendered)
        assert not re.search(r"<(a|img)\b", rendered), rendered
        assert want in plain(rendered), (source, plain(rendered))
        # Streamlit's GFM links bare addresses and turns shortcodes into icons: they must not arrive whole.
        unescaped = source.replace("\\", "")
        assert not re.search(r"(?i)https?://|www\.", unescaped), source
        assert ":material/home:" not in source and ":red[red]" not in source, source  # Streamlit's own
    return places


@pytest.fixture
def fake() -> FakeGateway:
    return FakeGateway()


# -- the helper ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [HOSTILE, HOSTILE_LINES, "a@evil.test", "C# & C++ 1) 2. - + = x_y*z"])
def test_md_keeps_every_character_and_renders_nothing(text: str) -> None:
    rendered = RENDERER.render(md(text))
    assert plain(rendered) == " ".join(text.split())
    assert not re.search(r"<(a|img|h\d|ul|ol|li|pre|blockquote|table|code|del|hr|em|strong)\b", rendered)
    assert rendered.count("<p>") == 1  # one paragraph: line breaks stay breaks, nothing becomes a block
    assert RENDERER.render(md_line(text)).count("<br") == 0


def test_plain_words_stay_as_they_are() -> None:
    assert md("Cells are the unit of life.") == "Cells are the unit of life."
    assert md("line one\nline two") == "line one  \nline two"


# -- the pages ----------------------------------------------------------------------------------------------


def test_dashboard_shows_subject_lecture_and_file_names_literally(fake: FakeGateway) -> None:
    fake.subjects[1]["name"] = HOSTILE
    fake.lectures[10].update(title=HOSTILE, filename=HOSTILE + ".pdf")
    fake.lectures[11].update(title="Scan", error_message=HOSTILE)
    fake.job("job-1", 10, status="running")
    at = make_app(fake)
    places = assert_literal(at, at_least=5)
    assert any(p.startswith("**") and "Ready" in p for p in places)  # the card's own bold and badge stay
    assert any("Reading page 2 of 5" in str(bar.proto.text) for bar in at.get("progress"))


def test_lecture_view_shows_slide_text_titles_and_figure_words_literally(fake: FakeGateway) -> None:
    fake.lectures[10].update(title=HOSTILE, filename=HOSTILE + ".pdf")
    fake.pages[10][0].update(title=HOSTILE, text=HOSTILE_LINES)
    fake.figures[10][0].update(page_number=1, caption=HOSTILE, text=HOSTILE)
    at = make_app(fake, page="Lecture")
    assert HOSTILE_LINES in texts(at.text)  # the page's own text, as it was read
    assert_literal(at, at_least=4)


def test_chat_shows_answers_citations_and_web_results_literally(fake: FakeGateway) -> None:
    fake.messages[5][1].update(content=HOSTILE_LINES)
    fake.messages[5][1]["citations"][0].update(lecture_title=HOSTILE, quote=HOSTILE)
    at = make_app(fake, page="Chat")
    at.selectbox[1].set_value(5).run()
    assert_literal(at, HOSTILE_LINES)
    assert_literal(at, at_least=2)
    # A new answer, streamed word by word over the WebSocket, with a web result that is a script.
    fake.ws_enabled = True
    answer = fake.answer("q")
    answer.update(
        answer=HOSTILE,
        web=[{"title": HOSTILE, "url": "javascript:alert(1)", "snippet": HOSTILE}],
        citations=[{**answer["citations"][0], "lecture_title": HOSTILE, "quote": HOSTILE}],
    )
    fake.answer = lambda question: answer  # type: ignore[method-assign]
    at.selectbox[1].set_value(None).run()
    at.chat_input(key="chat_question").set_value("What is this?").run()
    assert_literal(at, at_least=4)


def test_web_results_still_link_to_web_pages(fake: FakeGateway) -> None:
    fake.ws_enabled = True
    answer = fake.answer("q")
    answer["web"] = [{"title": "Mitochondrion", "url": "https://en.wikipedia.org/wiki/Mitochondrion"}]
    fake.answer = lambda question: answer  # type: ignore[method-assign]
    at = make_app(fake, page="Chat")
    at.chat_input(key="chat_question").set_value("What makes ATP?").run()
    assert not at.exception
    assert "[Mitochondrion](<https://en.wikipedia.org/wiki/Mitochondrion>)" in texts(at.markdown)


def test_flashcards_show_both_sides_literally_and_cloze_words_in_bold(fake: FakeGateway) -> None:
    fake.cards[200].update(front=HOSTILE, back=HOSTILE_LINES)
    fake.cards[201].update(front="The {{c1::EVIL3 **cell** [x](http://evil.test)}} is the unit of life.")
    at = make_app(fake, page="Flashcards")
    assert_literal(at, at_least=2)  # the card to review and its row in the list
    assert_literal(at, HOSTILE_LINES)
    assert "**EVIL3 \\*\\*cell\\*\\* \\[x\\](http\u2060\\://evil.test)** is the unit of life." in " ".join(
        [str(e.value) for e in at.markdown]
    )
    button(at, "Show answer").click().run()
    assert_literal(at, HOSTILE_LINES, at_least=2)


def test_documents_and_quiz_show_titles_questions_and_options_literally(fake: FakeGateway) -> None:
    fake.documents[50]["title"] = HOSTILE
    fake.quiz.update(title=HOSTILE)
    fake.quiz["questions"][0].update(prompt=HOSTILE, options=[HOSTILE, "Mitochondria", "Nucleus"])
    at = make_app(fake, page="Study")
    assert_literal(at)  # the document's row
    at.button(key="take_50").click().run()
    assert_literal(at, at_least=3)  # the quiz's title, the question and its option
    at.radio(key="quiz_50_1").set_value("A")
    button(at, "Check my answers").click().run()
    assert not at.exception
    assert_literal(at, at_least=2)


def test_quiz_results_show_answers_and_explanations_literally(
    fake: FakeGateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempt = fake._attempt

    def hostile_attempt(*args: Any) -> Any:
        response = attempt(*args)
        body = response.json()
        for item in body["results"]:
            item.update(answer=HOSTILE, explanation=HOSTILE_LINES, correct=False)
            item["source"]["lecture"] = HOSTILE
        import httpx

        return httpx.Response(201, json=body)

    monkeypatch.setattr(fake, "_attempt", hostile_attempt)
    at = make_app(fake, page="Study")
    at.button(key="take_50").click().run()
    at.text_input(key="quiz_50_3").input(HOSTILE)
    button(at, "Check my answers").click().run()
    assert_literal(at, at_least=3)
    assert_literal(at, HOSTILE_LINES, at_least=3)


def test_settings_show_subject_and_document_names_literally(fake: FakeGateway) -> None:
    fake.subjects[1]["name"] = HOSTILE
    fake.documents[50]["title"] = HOSTILE
    at = make_app(fake, page="Settings")
    assert_literal(at, at_least=3)  # the languages field's label, the deck's and the document's links


def test_names_in_notes_and_errors_are_shown_literally(fake: FakeGateway) -> None:
    fake.documents[50]["title"] = HOSTILE
    at = make_app(fake, page="Study")
    at.button(key="delete_doc_50").click().run()
    assert_literal(at)  # "Delete “…”?"
    button(at, "Yes, delete").click().run()
    assert not at.exception
    toasts = [str(t.value) for t in at.toast if "EVIL" in str(t.value)]
    assert toasts and all(" ".join(HOSTILE.split()) in plain(RENDERER.render(t)) for t in toasts)


def test_progress_tables_show_subject_names_literally(fake: FakeGateway) -> None:
    fake.subjects[1]["name"] = HOSTILE
    at = make_app(fake, page="Progress")
    assert not at.exception
    cells = [str(v) for table in at.table for v in table.value.to_numpy().ravel()]
    assert md_line(HOSTILE) in cells  # st.table renders Markdown in its cells
    assert HOSTILE not in cells
