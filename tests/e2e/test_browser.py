"""A student uses the app in a real browser (Debian's headless Chromium, driven by Playwright) against
the stack `make run` starts: register, create a subject, upload a deck and watch it get read, ask a
question and get a cited answer, make and download a quiz, take it, make flashcards and review one.
On the way: a reload mid-upload and mid-answer keeps the student signed in and in place, a pasted link
opens a slide, a .txt is refused in words, a question the notes do not answer gets a "not in your notes"
card, a phone-width window closes its sidebar and shows a flashcard above the fold, a keyboard-only student
signs in, uploads, chats, takes the quiz and reviews, signing out in one tab signs out every tab, and
axe-core finds nothing serious on any page. A screenshot of every page goes to docs/screenshots/."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from frontend.session import PAGES
from tests.e2e.axe import serious_violations
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
    # terms with their definitions: what a quiz asks about (three bare statements give it nothing to ask)
    "Cell division terms\nMitosis: division of one cell into two identical daughter cells\n"
    "Meiosis: division that makes four haploid cells from one cell\n"
    "Cytokinesis: division of the cytoplasm after the nucleus divides",
]
SECOND = 1000  # Playwright counts milliseconds
COOKIE = "smartnotes_session"
OFF_TOPIC = "Who won the football World Cup in 1998?"
# The focused element's name: a container that takes focus (a scrolling region) is named by its label only.
ACTIVE = """(() => { const e = document.activeElement; if (!e) return '';
  const text = (e.innerText || '').length < 100 ? e.innerText : '';
  return [e.getAttribute('aria-label'), e.getAttribute('placeholder'), text,
          e.labels && e.labels[0] && e.labels[0].innerText, e.value].filter(Boolean).join(' | '); })()"""


@pytest.fixture(scope="module")
def shared_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    """One `make run` for both tests of this file (starting it takes a while)."""
    stack = RunningStack(tmp_path_factory.mktemp("stack"))
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()


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
        self.problems: dict[str, list[dict[str, object]]] = {}  # axe-core's findings, per page

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
        self.kept_signed_in()

    def sign_in(self) -> None:
        form = self.page.get_by_test_id("stForm").filter(visible=True)
        form.get_by_label("Email", exact=True).fill(EMAIL)
        form.get_by_label("Password", exact=True).fill(PASSWORD)
        self.click("Sign in", where=form)
        self.kept_signed_in()

    def kept_signed_in(self) -> None:
        """After signing in the browser fetches its session cookie from the gateway and comes back."""
        for _ in range(150):
            if any(c["name"] == COOKIE for c in self.page.context.cookies()):
                break
            self.page.wait_for_timeout(200)
        else:
            raise AssertionError("no session cookie after signing in")
        self.page.wait_for_load_state()
        expect(self.page.get_by_test_id("stSidebar")).to_contain_text("Signed in as", timeout=60 * SECOND)
        self.settle()

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

    def ask(self, question: str, *, wait: bool = True) -> None:
        box = self.page.get_by_placeholder("Ask about your slides…")
        box.fill(question)
        box.press("Enter")
        if wait:
            self.see(re.compile(r"Answered from \d+ slides?"), timeout=180)

    def axe(self, where: str) -> None:
        """What axe-core reports as serious or critical on the page as it is (asserted at the end, so one run
        lists every page's problems). Toasts (Streamlit's own, unnamed dialogs) are let fade first."""
        self.settle()
        expect(self.page.get_by_test_id("stToast")).to_have_count(0, timeout=20 * SECOND)
        if found := serious_violations(self.page):
            self.problems[where] = found

    def tab_to(self, pattern: str, limit: int = 120) -> None:
        """Press Tab until the focused element's name, label or placeholder matches ``pattern``."""
        seen = []
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            name = str(self.page.evaluate(ACTIVE))
            if re.search(pattern, name):
                self.page.wait_for_timeout(500)  # a rerun the last Tab started (a field left) ends first
                return
            seen.append(name[:40])
        raise AssertionError(f"Tab never reached {pattern!r}; went through {seen}")

    def keyboard_go(self, current: str, target: str) -> None:
        """Pick a page with the keyboard: Tab to the sidebar's checked option, then arrow keys."""
        order = PAGES  # the sidebar's order
        self.tab_to(rf"{current} \| \d+$")  # the checked option (its value is its index)
        steps = order.index(target) - order.index(current)
        for _ in range(abs(steps)):
            self.page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
            self.page.wait_for_timeout(1000)
        option = self.page.get_by_test_id("stSidebar").get_by_role("radio", name=re.compile(target))
        expect(option).to_be_checked()
        expect(self.main().get_by_role("heading", level=2, name=target)).to_be_visible(timeout=30 * SECOND)
        self.settle()

    def reload(self) -> None:
        self.page.reload()
        self.page.wait_for_timeout(500)
        self.settle()

    def make(self, kind: str) -> None:
        self.main().get_by_role("radio", name=re.compile(kind)).first.click()  # "What to make"
        self.settle()
        self.click(f"Make the {kind.lower()}")
        self.see("In progress")
        expect(self.main().get_by_text("In progress")).to_have_count(0, timeout=300 * SECOND)
        self.settle()


def test_a_student_uses_every_page_in_the_browser(
    shared_stack: RunningStack, browser: Browser, tmp_path: Path
) -> None:
    deck = make_pdf(tmp_path / "biology-week1.pdf", SLIDES)
    harvest = make_figure_pdf(tmp_path / "harvest.pdf", make_chart_png(tmp_path / "chart.png"))
    text_file = tmp_path / "notes.txt"
    text_file.write_text("Mitosis is cell division.\n")
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30 * SECOND)
    me = Student(page, shared_stack.ui)

    # Sign in page, then a new account; the session lives in an HttpOnly, SameSite=Strict cookie
    me.open_app()
    me.axe("the sign-in page")
    me.shot("login.png")
    me.register()
    [cookie] = [c for c in context.cookies() if c["name"] == COOKIE]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and not cookie["secure"]  # plain http here
    assert COOKIE not in page.evaluate("document.cookie")  # page scripts never see it
    expect(page).to_have_url(re.compile(r"page=dashboard"))

    # Dashboard: a subject; a .txt is refused in words before sending; two decks read with live progress
    me.create_subject("Biology")
    me.main().locator("input[type=file]").set_input_files([str(text_file)])
    me.see(re.compile("“notes.txt” was not uploaded: This file type is not supported"))
    me.see("UNSUPPORTED_FORMAT")
    expect(me.button("Upload and read")).to_be_disabled()
    me.main().locator("input[type=file]").set_input_files([str(deck), str(harvest)])
    me.see(re.compile(r"biology-week1\.pdf · PDF"))
    me.click("Upload and read")
    # A reload while the decks are read: still signed in, same subject, the progress picks up again
    me.see("“harvest.pdf” uploaded; reading it now.")  # both sent (a reload while sending loses the rest)
    me.reload()
    expect(me.main().get_by_role("heading", name="Biology")).to_be_visible(timeout=60 * SECOND)
    for title in ("Cells", "Harvest results"):  # named by their title slides, not their file names
        me.see(re.compile(rf"{title} · .*Ready"), timeout=180)
    expect(me.main().get_by_test_id("stProgress")).to_have_count(0, timeout=30 * SECOND)
    me.see(re.compile(r"biology-week1\.pdf · .* · 4 pages"))
    me.axe("the dashboard")
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
    page.get_by_role("option", name=re.compile("Harvest results")).click()
    me.see("Figures on this page")
    me.see("Figure 1: Crop yield per quarter")
    me.axe("the lecture view")
    me.shot("lecture.png")

    # Chat: a streamed answer citing "Cells · slide 2" with the slide's picture
    me.go("Chat")
    me.ask("What happens in mitosis?")
    answer = me.main().get_by_test_id("stChatMessage").last
    expect(answer).to_contain_text("divides into two")
    card = answer.locator("[class*='st-key-card_']").filter(has_text="Cells · slide 2").first
    expect(card).to_be_visible()
    expect(card.get_by_role("img").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"page=chat&subject=\d+&conversation=\d+"))
    me.axe("the chat")
    me.shot("chat.png")
    # A reload while an answer is written: the same conversation, the answer finished or on its way
    me.ask("What kind of cells does meiosis make?", wait=False)
    me.see("What kind of cells does meiosis make?")
    page.wait_for_timeout(300)
    me.reload()
    expect(
        me.main().get_by_test_id("stChatMessage").filter(has_text="What kind of cells does meiosis make?")
    ).to_have_count(1)
    expect(me.main().get_by_test_id("stChatMessage").last).to_contain_text("haploid", timeout=180 * SECOND)
    # A question the notes do not answer: its own card, with the closest slides, never "Answered from"
    me.ask(OFF_TOPIC, wait=False)
    refusal = me.main().locator("[class*='st-key-refusal_']").last
    expect(refusal).to_contain_text("Not in your notes", timeout=180 * SECOND)
    expect(me.main().get_by_test_id("stChatMessage").last).not_to_contain_text("Answered from")
    expect(me.button("Regenerate")).to_be_visible()
    # "Open slide" goes there, and the address says so
    card = me.main().locator("[class*='st-key-card_']").filter(has_text="slide 2").first
    me.click("Open slide", where=card)
    me.see("Lecture view")
    expect(me.main().get_by_role("heading", name=re.compile("Page 2 — Mitosis"))).to_be_visible()
    expect(page).to_have_url(re.compile(r"page=lecture&subject=\d+&lecture=\d+&slide=2"))
    deep_link = page.url

    # The same link pasted into a new tab opens the slide, signed in
    other = Student(context.new_page(), shared_stack.ui)
    other.page.goto(deep_link)
    expect(other.main().get_by_role("heading", name=re.compile("Page 2 — Mitosis"))).to_be_visible(
        timeout=60 * SECOND
    )
    other.page.close()

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
    me.axe("the study page")
    me.shot("study.png")
    me.click("Take the quiz", where=quiz_row)
    expect(page).to_have_url(re.compile(r"page=study&subject=\d+&quiz=\d+"))
    for group in me.main().get_by_role("radiogroup").all():
        group.get_by_role("radio").first.check(force=True)  # the first option of every question
    me.click("Check my answers")
    me.see("Your score")
    expect(me.main().get_by_test_id("stMetric")).to_contain_text(re.compile(r"\d+ / \d+"))
    me.axe("the quiz result")
    me.click("Back to documents")

    # Flashcards: review one card with the keyboard (Space shows the answer, 3 rates it Good). One card of
    # the student's own is added first, so a card is still due for the phone-width check below whatever
    # number of cards the generator judged worth making from these two small decks.
    add_card(shared_stack, EMAIL, "Biology")
    me.go("Flashcards")
    me.see("Show answer")
    me.axe("the flashcards")
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
    me.axe("the progress page")
    me.shot("progress.png")

    # Settings: the provider and model in use, OCR languages per subject
    me.go("Settings")
    expect(me.main().get_by_role("table").first).to_contain_text("llamacpp")
    expect(me.main().get_by_label("Biology")).to_have_value("auto")  # the default: languages per page
    me.axe("the settings page")
    me.shot("settings.png")

    # Signing out in one tab signs out every tab, and the cookie is gone
    second = Student(context.new_page(), shared_stack.ui)
    second.page.goto(shared_stack.ui + "/?page=progress")
    expect(second.page.get_by_test_id("stSidebar")).to_contain_text("Signed in as", timeout=60 * SECOND)
    page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
    me.see("Sign in or create an account to start.", timeout=60)
    # The sign-in behind the cookie ended with the click (server side); the browser then goes to the
    # gateway, which clears the cookie: that navigation may land just after the sign-in page shows.
    for _ in range(60):
        if not [c for c in context.cookies() if c["name"] == COOKIE]:
            break
        page.wait_for_timeout(500)
    assert not [c for c in context.cookies() if c["name"] == COOKIE]
    # This tab's next step finds its sign-in ended. Its own job poll may find that first and show the
    # sign-in page by itself (the navigation is then gone): either way it must end on the sign-in page.
    with contextlib.suppress(PlaywrightTimeout):
        second.page.get_by_test_id("stSidebar").get_by_test_id("stRadioOption").filter(
            has_text="Dashboard"
        ).click(timeout=10 * SECOND)
    second.see("Sign in or create an account to start.", timeout=60)
    second.reload()
    second.see("Sign in or create an account to start.", timeout=60)
    context.close()

    # A phone-width window: the sidebar closes after choosing a page; the flashcard fits above the fold
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    small = Student(phone.new_page(), shared_stack.ui)
    small.open_app()
    small.sign_in()
    small.see(re.compile("Cells · .*Ready"))
    small.shot("phone.png")
    sidebar = small.page.get_by_test_id("stSidebar")
    small.page.get_by_test_id("stExpandSidebarButton").click()
    expect(sidebar).to_have_attribute("data-collapsed", "false")
    sidebar.get_by_test_id("stRadioOption").filter(has_text="Flashcards").click()
    expect(sidebar).to_have_attribute("data-collapsed", "true", timeout=10 * SECOND)
    show = small.button(re.compile(r"^Show answer"))
    expect(show).to_be_visible()
    box = show.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"], box
    show.click()
    good = small.button(re.compile(r"^Good"))
    expect(good).to_be_visible()
    for rating in (re.compile(r"^Again"), re.compile(r"^Easy")):
        rate = small.button(rating).bounding_box()
        assert rate is not None and rate["y"] + rate["height"] <= PHONE["height"], rate
    small.shot("phone-flashcard.png")
    phone.close()
    assert not me.problems, f"accessibility problems: {me.problems}"


def test_keyboard_only(shared_stack: RunningStack, browser: Browser, tmp_path: Path) -> None:
    """Sign in, upload, chat, take a quiz and review a card without touching the mouse."""
    deck = make_pdf(tmp_path / "week2.pdf", SLIDES)
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(30 * SECOND)
    me = Student(page, shared_stack.ui)
    api_account(shared_stack, "keys@example.com", "Genetics")  # made beforehand, not part of the path
    me.open_app()
    # Sign in: the fields in turn, then Enter
    me.tab_to(r"^Email")
    page.keyboard.type("keys@example.com")
    me.tab_to(r"^Password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    me.kept_signed_in()
    expect(me.main().get_by_role("heading", name="Genetics")).to_be_visible(timeout=30 * SECOND)
    # Upload: the file picker opens from the keyboard
    me.tab_to(r"(^|\n)Upload$|Browse files")
    for key in ("Enter", "Space"):  # either key activates the focused button
        try:
            with page.expect_file_chooser(timeout=10 * SECOND) as chooser:
                page.keyboard.press(key)
            break
        except PlaywrightTimeout:
            continue
    chooser.value.set_files(str(deck))
    me.see(re.compile(r"week2\.pdf · PDF"))
    me.tab_to(r"Upload and read")
    page.keyboard.press("Enter")
    me.see(re.compile(r"Cells · .*Ready"), timeout=180)
    # Chat: the page picker takes arrow keys; the question box takes Enter
    me.keyboard_go("Dashboard", "Chat")
    me.see("Ask anything about a subject")
    me.tab_to(r"Ask about your slides")
    page.keyboard.type("What happens in mitosis?")
    page.keyboard.press("Enter")
    me.see(re.compile(r"Answered from \d+ slides?"), timeout=180)
    # Study: make a quiz, take it, check it
    me.keyboard_go("Chat", "Study")
    me.see("What to make")
    me.tab_to(r"Make the quiz")
    page.keyboard.press("Enter")
    expect(me.button("Take the quiz")).to_be_visible(timeout=300 * SECOND)
    me.settle()
    me.tab_to(r"Take the quiz")
    page.keyboard.press("Enter")
    me.see("Check my answers")
    for _ in range(200):  # through every question: Space picks the focused option
        page.keyboard.press("Tab")
        kind = page.evaluate("document.activeElement && document.activeElement.type")
        if kind == "radio" and not page.evaluate("document.activeElement.checked"):
            page.keyboard.press("Space")
        if re.search("Check my answers", str(page.evaluate(ACTIVE))):
            break
    page.keyboard.press("Enter")
    me.see("Your score")
    # Review: one card of this subject (made through the API), shown with Space and rated with 3
    add_card(shared_stack, "keys@example.com", "Genetics")
    me.keyboard_go("Study", "Flashcards")
    me.see("Show answer")
    me.blur()
    page.keyboard.press("Space")
    expect(me.button(re.compile(r"^Good"))).to_be_visible()
    me.settle()
    me.blur()  # as in the other test: the keys go to the page's shortcuts
    page.keyboard.press("3")
    me.see(re.compile(r"You reviewed 1 card"))  # the only card due: reviewed
    context.close()


def api_account(stack: RunningStack, email: str, subject: str) -> None:
    r = httpx.post(
        f"{stack.api}/api/v1/auth/register", json={"email": email, "password": PASSWORD}, timeout=30
    )
    assert r.status_code == 201, r.text
    tokens = httpx.post(
        f"{stack.api}/api/v1/auth/login", json={"email": email, "password": PASSWORD}, timeout=30
    ).json()
    auth = {"Authorization": f"Bearer {tokens['access_token']}"}
    r = httpx.post(f"{stack.api}/api/v1/subjects", headers=auth, json={"name": subject}, timeout=30)
    assert r.status_code == 201, r.text


def add_card(stack: RunningStack, email: str, subject: str) -> None:
    tokens = httpx.post(
        f"{stack.api}/api/v1/auth/login", json={"email": email, "password": PASSWORD}, timeout=30
    ).json()
    auth = {"Authorization": f"Bearer {tokens['access_token']}"}
    [found] = [
        s for s in httpx.get(f"{stack.api}/api/v1/subjects", headers=auth).json() if s["name"] == subject
    ]
    r = httpx.post(
        f"{stack.api}/api/v1/subjects/{found['id']}/flashcards",
        headers=auth,
        json={"front": "What does mitosis make?", "back": "Two identical daughter cells"},
        timeout=30,
    )
    assert r.status_code == 201, r.text
