"""Studying toward an exam in a real browser (Debian's headless Chromium, driven by Playwright) against the
stack `make run` starts: set an exam date, see readiness by it, draw a lecture's mind map (its nodes link to
their slides, one opens in the app), download it, and review a card that shows its slide's thumbnail.
The mind map's screenshot goes to docs/screenshots/mindmap.png (the README shows it)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import httpx
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import RunningStack
from tests.e2e.test_browser import DESKTOP, EMAIL, PASSWORD, SECOND, Student, browser  # noqa: F401
from tests.support.factories import make_pdf

SLIDES = [
    "Cell biology\nWeek 2",
    "Organelles\nMitochondrion: the organelle that makes ATP for the cell\n"
    "Ribosome: the organelle that builds proteins",
    "Cell division\nMitosis: one cell divides into two identical daughter cells\n"
    "Meiosis: a division that makes four haploid cells",
]


def add_card_for_slide(stack: RunningStack, subject: str, filename: str, slide: int) -> None:
    """A flashcard on a slide, made through the API with the student's account (the Study page makes them
    with the language model, which this test does not need)."""
    with httpx.Client(base_url=f"{stack.api}/api/v1", timeout=30) as api:
        token = api.post("/auth/login", json={"email": EMAIL, "password": PASSWORD}).json()["access_token"]
        api.headers["Authorization"] = f"Bearer {token}"
        subject_id = next(s["id"] for s in api.get("/subjects").json() if s["name"] == subject)
        lecture_id = next(
            lec["id"]
            for lec in api.get(f"/subjects/{subject_id}/lectures").json()
            if lec["filename"] == filename
        )
        card = {
            "front": "What does a mitochondrion make?",
            "back": "ATP",
            "lecture_id": lecture_id,
            "page_number": slide,
        }
        r = api.post(f"/subjects/{subject_id}/flashcards", json=card)
        assert r.status_code == 201, r.text


def test_a_student_plans_for_an_exam_with_a_mind_map_and_slide_cards(
    running_stack: RunningStack,
    browser: Browser,  # noqa: F811
    tmp_path: Path,
) -> None:
    deck = make_pdf(tmp_path / "cells-week2.pdf", SLIDES)
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30 * SECOND)
    me = Student(page, running_stack.ui)
    me.open_app()
    me.register()
    me.create_subject("Cell biology")
    me.upload(deck)
    me.wait_until_read("Cell biology[^·]*")  # the lecture is named by its title slide

    # Settings: an exam date three weeks ahead
    exam = date.today() + timedelta(days=21)
    me.go("Settings")
    field = me.main().locator("[class*='st-key-exam_'] input").first
    field.fill(exam.isoformat())
    field.press("Enter")
    me.click("Save exam dates")
    me.see(re.compile(r"Exam dates saved for 1 subject"))
    expect(me.main().locator("[class*='st-key-exam_'] input").first).to_have_value(exam.isoformat())
    me.see(re.compile(r"From 400 reviews they can be fitted"))
    expect(me.button("Optimize my scheduling")).to_be_disabled()  # no reviews yet

    # Mind map: drawn by the worker; its nodes link to their slides; the terms are there
    me.go("Mind map")
    me.click("Draw the mind map")
    drawing = me.main().locator(".smartnotes-mindmap svg")
    expect(drawing).to_be_visible(timeout=180 * SECOND)
    expect(drawing).to_contain_text("Mitochondrion")
    expect(drawing).to_contain_text("the organelle that makes ATP")
    link = drawing.locator("a").filter(has_text="Mitochondrion").first
    href = link.get_attribute("href") or link.get_attribute("xlink:href") or ""
    assert re.fullmatch(r"\?page=lecture&lecture=\d+&slide=2", href), href
    with page.expect_download(timeout=60 * SECOND) as svg_download:
        me.click("Download SVG")
    assert svg_download.value.suggested_filename == "mindmap.svg"
    with page.expect_download(timeout=60 * SECOND) as png_download:
        me.click("Download PNG")
    png = tmp_path / "mindmap.png"
    png_download.value.save_as(png)
    assert png.read_bytes().startswith(b"\x89PNG")
    me.shot("mindmap.png")
    # the node's slide opens in the app
    me.main().get_by_role("combobox").last.click()
    page.get_by_role("option", name=re.compile(r"Mitochondrion \(slide 2\)")).click()
    me.settle()
    me.click("Open slide")
    me.see("Lecture view")
    expect(me.main().get_by_role("heading", name=re.compile("Page 2"))).to_be_visible()

    # Flashcards: the card is due before the exam; its answer shows the slide's thumbnail
    add_card_for_slide(running_stack, "Cell biology", "cells-week2.pdf", 2)
    me.go("Flashcards")
    me.see("Show answer")
    me.blur()
    page.keyboard.press("Space")  # the button's shortcut (its name carries the key too)
    slide = me.main().get_by_test_id("stExpander").filter(has_text="Slide 2")
    expect(slide).to_be_visible()
    thumbnail = slide.get_by_role("img").first
    expect(thumbnail).to_be_visible()
    assert (thumbnail.bounding_box() or {}).get("width", 0) > 100
    me.click(re.compile(r"^Good"))
    me.see(re.compile(r"You reviewed 1 card"))  # the only card: nothing else is due

    # Progress: readiness by the exam date, per lecture
    me.go("Progress")
    me.see("Readiness by the exam")
    me.see(re.compile(r"exam on .*, in 21 day\(s\)"))
    context.close()
