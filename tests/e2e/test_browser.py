"""A student uses the app in a real browser (Debian's headless Chromium, driven by Playwright) against
the stack `make run` starts: register, create a subject, upload a deck and watch it get read, ask a
question and get a cited answer, make and download a quiz, take it, make flashcards and review one.
A screenshot of every page goes to docs/screenshots/ (the README shows them)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from tests.e2e.conftest import ROOT, RunningStack
from tests.support.factories import make_chart_png, make_figure_pdf, make_pdf

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SHOTS = ROOT / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
EMAIL, PASSWORD = "student@example.com", "a good long password"
SLIDES = [
    "Cells\nThe cell is the basic unit of life\nEvery living thing is made of cells",
    "Mitosis\nIn mitosis one cell divides into two identical daughter cells\nChromosomes are copied first",
    "Meiosis\nMeiosis makes four haploid cells\nIt happens in the sex organs",
]
SECOND = 1000  # Playwright counts milliseconds


@pytest.fixture
def browser() -> Iterator[Browser]:
    expect.set_options(timeout=30 * SECOND)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


class Student:
    """One browser tab, and what a student does in it."""

    def __init__(self, page: Page, ui: str) -> None:
        self.page = page
        self.ui = ui

    # -- looking around ------------------------------------------------------------------------------

    def shot(self, name: str) -> None:
        """A screenshot of the whole page: Streamlit scrolls inside <main>, so the window grows to fit."""
        self.settle()
        expect(self.page.get_by_test_id("stToast")).to_have_count(0, timeout=20 * SECOND)  # notes fade out
        size = self.page.viewport_size or DESKTOP
        height = self.page.evaluate("document.querySelector('#stMain').scrollHeight")
        self.page.set_viewport_size(
            {"width": size["width"], "height": max(size["height"], min(height, 5000))}
        )
        self.page.wait_for_timeout(500)
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / name), full_page=True)
        self.page.set_viewport_size(size)

    def settle(self) -> None:
        """Wait until Streamlit has finished the current run (its status widget says so). A page with a
        job still polling re-runs every second and may never look idle on a loaded machine: after the wait,
        go on (every check that follows waits for what it needs)."""
        self.page.wait_for_timeout(300)
        with contextlib.suppress(AssertionError):
            expect(self.page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30 * SECOND)

    def see(self, text: str | re.Pattern[str], timeout: float = 30) -> Locator:
        found = self.page.get_by_text(text).first
        expect(found).to_be_visible(timeout=timeout * SECOND)
        return found

    def main(self) -> Locator:
        return self.page.locator("#stMain")

    def button(self, name: str | re.Pattern[str], *, where: Locator | None = None) -> Locator:
        exact = isinstance(name, str)
        return (where or self.main()).get_by_role("button", name=name, exact=exact).first

    def keyed(self, key_prefix: str) -> Locator:
        """The widget whose Streamlit key starts with ``key_prefix`` (Streamlit sets class st-key-<key>)."""
        return self.main().locator(f"[class*='st-key-{key_prefix}'] button").first

    def click(self, name: str | re.Pattern[str], *, where: Locator | None = None) -> None:
        self.button(name, where=where).click()
        self.page.wait_for_timeout(200)

    def go(self, page_name: str) -> None:
        """Pick a page in the sidebar's navigation."""
        self.page.get_by_test_id("stSidebar").get_by_test_id("stRadioOption").filter(
            has_text=page_name
        ).click()
        expect(self.main().get_by_role("heading", level=2).first).to_be_visible(timeout=30 * SECOND)
        self.settle()

    # -- the steps -----------------------------------------------------------------------------------

    def open_app(self) -> None:
        self.page.goto(self.ui)
        self.see("Sign in or create an account to start.", timeout=60)

    def register(self) -> None:
        self.page.get_by_role("tab", name=re.compile("Create account")).click()
        form = self.page.get_by_test_id("stForm").filter(visible=True)
        form.get_by_label("Email", exact=True).fill(EMAIL)
        form.get_by_label("Password", exact=True).fill(PASSWORD)
        self.click("Create account", where=form)
        self.see("Dashboard")

    def sign_in(self) -> None:
        form = self.page.get_by_test_id("stForm").filter(visible=True)
        form.get_by_label("Email", exact=True).fill(EMAIL)
        form.get_by_label("Password", exact=True).fill(PASSWORD)
        self.click("Sign in", where=form)
        self.see("Dashboard")

    def create_subject(self, name: str) -> None:
        form = self.main().get_by_test_id("stForm").filter(has_text="Create subject")
        form.get_by_label("Name", exact=True).fill(name)
        self.click("Create subject", where=form)
        expect(self.main().get_by_role("heading", name=name)).to_be_visible(timeout=30 * SECOND)

    def upload(self, *paths: Path) -> None:
        """Drop several files on the uploader at once, then send them."""
        self.main().locator("input[type=file]").set_input_files([str(p) for p in paths])
        for path in paths:
            self.see(path.name)  # listed in the uploader
        self.click("Upload and read")

    def wait_until_read(self, *titles: str) -> None:
        """The live progress bars show up, then every lecture turns Ready."""
        expect(self.main().get_by_test_id("stProgress").first).to_be_visible(timeout=30 * SECOND)
        for title in titles:
            self.see(re.compile(rf"{title} · .*Ready"), timeout=180)
        expect(self.main().get_by_test_id("stProgress")).to_have_count(0, timeout=30 * SECOND)

    def blur(self) -> None:
        """Move the keyboard focus off any widget, so key presses reach the page's shortcuts."""
        self.page.evaluate("document.activeElement && document.activeElement.blur()")

    def ask(self, question: str) -> None:
        box = self.page.get_by_placeholder("Ask about your slides…")
        box.fill(question)
        box.press("Enter")
        self.see(re.compile(r"Answered from \d+ slides?"), timeout=180)

    def make(self, kind: str) -> None:
        self.main().get_by_role("radio", name=re.compile(kind)).first.click()  # "What to make"
        self.settle()
        self.click(f"Make the {kind.lower()}")
        self.see("In progress")
        expect(self.main().get_by_text("In progress")).to_have_count(0, timeout=300 * SECOND)
        self.settle()


def test_a_student_uses_every_page_in_the_browser(
    running_stack: RunningStack, browser: Browser, tmp_path: Path
) -> None:
    deck = make_pdf(tmp_path / "biology-week1.pdf", SLIDES)
    harvest = make_figure_pdf(tmp_path / "harvest.pdf", make_chart_png(tmp_path / "chart.png"))
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30 * SECOND)
    me = Student(page, running_stack.ui)

    # Sign in page, then a new account
    me.open_app()
    me.shot("login.png")
    me.register()

    # Dashboard: a subject; two files dropped at once, each read with a live progress bar
    me.create_subject("Biology")
    me.upload(deck, harvest)
    me.wait_until_read("biology-week1", "harvest")
    me.see("3 pages")
    me.shot("dashboard.png")

    # Lecture view: thumbnails, the text per page, the figure found with its caption; re-process offered
    me.keyed("open_").first.click()
    me.see("Lecture view")
    expect(me.main().get_by_role("img").first).to_be_visible()
    me.click("Page 2")
    expect(me.main().get_by_role("heading", name=re.compile("Page 2"))).to_be_visible()
    me.see(re.compile("one cell divides into two"))
    expect(me.button("Re-process")).to_be_enabled()
    me.main().get_by_role("combobox").nth(1).click()  # the lecture picker
    page.get_by_role("option", name=re.compile("harvest")).click()
    me.see("Figures on this page")
    me.see("Figure 1: Crop yield per quarter")
    me.shot("lecture.png")

    # Chat: a streamed answer citing slide 2 with the slide's picture; the card opens the slide
    me.go("Chat")
    me.ask("What happens in mitosis?")
    answer = me.main().get_by_test_id("stChatMessage").last
    expect(answer).to_contain_text("cell")
    card = answer.locator("[class*='st-key-card_']").filter(has_text="slide 2").first
    expect(card).to_be_visible()
    expect(card.get_by_role("img").first).to_be_visible()
    me.shot("chat.png")
    me.click("Open slide", where=card)
    me.see("Lecture view")
    expect(me.main().get_by_role("heading", name=re.compile("Page 2 — Mitosis"))).to_be_visible()

    # Study: make a quiz and download it; make flashcards; take the quiz in the app and get a score
    me.go("Study")
    me.make("Quiz")
    quiz_row = (
        me.main().locator("[class*='st-key-doc_']").filter(has=page.locator("[class*='st-key-take_']")).first
    )
    with page.expect_download(timeout=60 * SECOND) as download_info:
        me.click("Download", where=quiz_row)
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    assert saved.suffix == ".pdf" and saved.read_bytes().startswith(b"%PDF"), saved
    me.make("Flashcards")
    me.shot("study.png")
    me.click("Take the quiz", where=quiz_row)
    for group in me.main().get_by_role("radiogroup").all():
        group.get_by_role("radio").first.check(force=True)  # the first option of every question
    me.click("Check my answers")
    me.see("Your score")
    expect(me.main().get_by_test_id("stMetric")).to_contain_text(re.compile(r"\d+ / \d+"))
    me.click("Back to documents")

    # Flashcards: review one card with the keyboard (Space shows the answer, 3 rates it Good)
    me.go("Flashcards")
    due = me.main().get_by_test_id("stMetric").filter(has_text="Due now")
    expect(due).not_to_contain_text(re.compile(r"\b0\b"))
    me.see("Show answer")
    me.blur()
    page.keyboard.press("Space")
    expect(me.button(re.compile(r"^Good"))).to_be_visible()
    me.shot("flashcards.png")
    me.blur()
    page.keyboard.press("3")
    me.see("reviewed this visit: 1")
    expect(me.button("Export for Anki (.apkg)")).to_be_visible()

    # Progress: the review and the quiz score are counted
    me.go("Progress")
    expect(me.main().get_by_test_id("stMetric").filter(has_text="Reviewed today")).to_contain_text("1")
    expect(me.main().get_by_test_id("stVegaLiteChart").first).to_be_visible()
    expect(me.main().get_by_role("table").last).to_contain_text("Flashcards")
    me.shot("progress.png")

    # Settings: the provider and model in use, OCR languages per subject
    me.go("Settings")
    expect(me.main().get_by_role("table").first).to_contain_text("llamacpp")
    expect(me.main().get_by_label("Biology")).to_have_value("auto")  # the default: languages per page
    me.shot("settings.png")
    context.close()

    # A phone-width window: sign in again and read the dashboard
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    small = Student(phone.new_page(), running_stack.ui)
    small.open_app()
    small.sign_in()
    small.see(re.compile("biology-week1 · .*Ready"))
    small.shot("phone.png")
    phone.close()
