"""The study pages of the Streamlit app (chat, study material, flashcards, progress, settings) against the
fake gateway of ``test_frontend_app``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from frontend import stats
from frontend.formatting import card_sides, span
from tests.unit.test_frontend_app import FakeGateway, _err, button, make_app, texts, visible


@pytest.fixture
def fake() -> FakeGateway:
    return FakeGateway()


def chat_messages(at: AppTest) -> list[tuple[str, str]]:
    return [(m.name, visible(m.markdown[0].value)) for m in at.chat_message]


# -- chat --------------------------------------------------------------------------------------------------


def test_chat_streams_the_answer_with_citation_cards(fake: FakeGateway) -> None:
    fake.ws_enabled = True
    at = make_app(fake, page="Chat")
    assert at.selectbox[1].options[0] == "New conversation"
    at.toggle(key="chat_web").set_value(True)
    at.chat_input(key="chat_question").set_value("What makes ATP?").run()
    assert not at.exception
    assert chat_messages(at) == [("user", "What makes ATP?"), ("assistant", "Mitochondria make ATP [1].")]
    sent = fake.sockets[0].sent[0]
    assert sent["question"] == "What makes ATP?" and sent["web"] is True and sent["subject_id"] == 1
    assert "**[1] Cells** · slide 2" in texts(at.markdown)
    assert "“Mitochondria make ATP.”" in texts(at.caption)
    assert ("GET", "/lectures/10/pages/2/thumbnail") in fake.calls
    assert ("GET", "/figures/100/image") in fake.calls
    assert ("POST", "/chat") not in fake.calls  # streamed, not the one-shot request
    assert at.session_state["chat"]["session_id"] == 6
    # the new conversation is listed and selected
    box = at.selectbox[1]
    assert box.format_func(box.value).startswith("What makes ATP?")


def test_chat_falls_back_to_http_without_the_websocket(fake: FakeGateway) -> None:
    at = make_app(fake, page="Chat")
    at.chat_input(key="chat_question").set_value("What makes ATP?").run()
    assert not at.exception
    assert ("POST", "/chat") in fake.calls
    assert chat_messages(at)[-1] == ("assistant", "Mitochondria make ATP [1].")
    assert "**[1] Cells** · slide 2" in texts(at.markdown)


def test_open_slide_from_a_citation_goes_to_that_page(fake: FakeGateway) -> None:
    at = make_app(fake, page="Chat")
    at.chat_input(key="chat_question").set_value("What makes ATP?").run()
    button(at, "Open slide").click().run()
    assert not at.exception
    assert "Lecture view" in texts(at.header)
    assert "Page 2" in texts(at.subheader)
    assert "Mitochondria make ATP." in texts(at.text)


def test_saved_conversation_opens_with_its_messages(fake: FakeGateway) -> None:
    at = make_app(fake, page="Chat")
    box = at.selectbox[1]
    assert box.options[1].startswith("What do cells do?")
    box.set_value(5).run()
    assert not at.exception
    assert chat_messages(at) == [
        ("user", "What do cells do?"),
        ("assistant", "Cells are the unit of life [1]."),
    ]
    assert "**[1] Cells** · slide 1" in texts(at.markdown)
    at.button(key="delete_chat_5").click().run()
    assert 5 not in fake.sessions and chat_messages(at) == []


def test_chat_error_is_shown_in_plain_words(fake: FakeGateway) -> None:
    fake.ws_enabled = True
    fake.chat_events = lambda msg: [  # type: ignore[method-assign]
        {
            "type": "chat.error",
            "request_id": msg["request_id"],
            "error": {"code": "AI_DOWN", "message": "The AI worker is not running."},
        }
    ]
    at = make_app(fake, page="Chat")
    at.chat_input(key="chat_question").set_value("Anything?").run()
    assert not at.exception
    assert any("The AI worker is not running." in e for e in texts(at.error))


# -- study material ----------------------------------------------------------------------------------------


def test_generate_a_quiz_with_options_shows_progress(fake: FakeGateway) -> None:
    at = make_app(fake, page="Study")
    at.toggle(key="gen_questions_auto").set_value(False).run()
    at.slider(key="gen_questions").set_value(5)
    button(at, "Make the quiz").click().run()
    assert not at.exception
    body = fake.bodies[("POST", "/subjects/1/generate")]
    assert body == {"kind": "quiz", "questions": 5, "difficulty": "medium"}
    [bar] = at.get("progress")
    assert bar.proto.text.startswith("Quiz — ")
    job = next(iter(fake.jobs.values()))
    job.update(status="done", progress=1.0, result={"document_id": 52})
    at.run()
    assert not at.exception
    assert len(at.get("progress")) == 0
    assert any("Quiz is ready" in t.value for t in at.toast)


def test_generate_flashcards_sends_the_card_count(fake: FakeGateway) -> None:
    at = make_app(fake, page="Study")
    at.segmented_control(key="gen_kind").set_value("flashcards").run()
    at.toggle(key="gen_cards_auto").set_value(False).run()
    at.slider(key="gen_cards").set_value(30)
    at.multiselect[0].set_value([10])
    button(at, "Make the flashcards").click().run()
    assert not at.exception
    assert fake.bodies[("POST", "/subjects/1/generate")] == {
        "kind": "flashcards",
        "cards": 30,
        "lecture_ids": [10],
    }
    job = next(iter(fake.jobs.values()))
    job.update(status="done", progress=1.0, result={"cards": 30})
    at.run()
    assert any("30 flashcards added." in t.value for t in at.toast)


def test_by_default_the_count_is_left_to_the_slides(fake: FakeGateway) -> None:
    """No count is named unless the student picks one, so the generator's own default (which grows with the
    lecture) applies, not a fixed 10 questions or 20 cards."""
    at = make_app(fake, page="Study")
    assert not at.get("slider") or all(s.key != "gen_questions" for s in at.slider)
    button(at, "Make the quiz").click().run()
    assert fake.bodies[("POST", "/subjects/1/generate")] == {"kind": "quiz", "difficulty": "medium"}
    at.segmented_control(key="gen_kind").set_value("flashcards").run()
    button(at, "Make the flashcards").click().run()
    assert fake.bodies[("POST", "/subjects/1/generate")] == {"kind": "flashcards"}


def test_documents_list_downloads_and_deletes(fake: FakeGateway) -> None:
    at = make_app(fake, page="Study")
    assert ":material/quiz: **Quiz — Biology**" in texts(at.markdown)
    downloads = at.get("download_button")
    assert len(downloads) == 2
    at.button(key="delete_doc_51").click().run()
    at.button(key="yes_delete_doc_51").click().run()
    assert not at.exception
    assert 51 not in fake.documents


def test_no_processed_lecture_means_nothing_to_generate(fake: FakeGateway) -> None:
    at = make_app(fake, page="Study")
    at.selectbox[0].set_value(2).run()
    assert not at.exception
    assert any("wait until they are read" in i for i in texts(at.info))
    assert not [b for b in at.button if b.label.startswith("Make the")]


def test_take_a_quiz_in_the_app_and_see_the_score(fake: FakeGateway) -> None:
    at = make_app(fake, page="Study")
    at.button(key="take_50").click().run()
    assert not at.exception
    assert "Quiz — Biology" in texts(at.subheader)
    at.radio(key="quiz_50_1").set_value("B")
    at.radio(key="quiz_50_2").set_value("true")
    at.text_input(key="quiz_50_3").input("nucleus")
    button(at, "Check my answers").click().run()
    assert not at.exception
    assert fake.bodies[("POST", "/documents/50/quiz/attempts")]["answers"] == {
        "1": "B",
        "2": "true",
        "3": "nucleus",
    }
    [score] = at.metric
    assert score.value == "2 / 3"
    assert ":red[:material/cancel:] **3.** Name the unit of life." in texts(at.markdown)
    assert ("GET", "/lectures/10/pages/1/thumbnail") in fake.calls  # the slide to look the answer up
    [entry] = at.session_state["study_log"]
    assert entry["kind"] == "quiz" and round(entry["score"], 2) == 0.67
    button(at, "Back to documents").click().run()
    assert "Your documents" in texts(at.subheader)


def test_past_paper_upload_sends_the_file_and_title_and_tracks_the_job(fake: FakeGateway) -> None:
    at = make_app(fake, page="Study")
    assert "Answer a past paper" in texts(at.subheader)
    [uploader] = at.file_uploader
    assert uploader.allowed_type == [".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"]
    assert uploader.proto.max_upload_size_mb == 50  # the gateway's limit (runtime settings)
    uploader.set_value(("exam-2023.pdf", b"%PDF-1.4 exam", "application/pdf"))
    at.text_input(key="paper_title_0").input("Mock exam answers")
    button(at, "Answer the past paper").click().run()
    assert not at.exception
    sent = fake.uploads[("POST", "/subjects/1/past-papers")]
    assert b'name="file"; filename="exam-2023.pdf"' in sent and b"%PDF-1.4 exam" in sent
    assert b'name="title"\r\n\r\nMock exam answers' in sent
    [job_id] = at.session_state["jobs"]
    assert at.session_state["jobs"][job_id]["kind"] == "past_paper"
    [bar] = at.get("progress")
    assert bar.proto.text.startswith("Mock exam answers — ")
    assert at.file_uploader[0].value is None and at.text_input(key="paper_title_1").value == ""
    fake.jobs[job_id].update(status="done", progress=1.0, result={"document_id": 53, "questions": 4})
    at.run()
    assert not at.exception
    assert len(at.get("progress")) == 0
    assert any("“Mock exam answers” is ready: 4 questions answered" in t for t in texts(at.toast))


def test_past_paper_without_a_title_is_named_after_the_exam(fake: FakeGateway) -> None:
    at = make_app(fake, page="Study")
    at.file_uploader[0].set_value(("June 2022.png", b"\x89PNG scan", "image/png"))
    button(at, "Answer the past paper").click().run()
    assert not at.exception
    assert b'name="title"' not in fake.uploads[("POST", "/subjects/1/past-papers")]
    [bar] = at.get("progress")
    assert visible(bar.proto.text).startswith("Answers: June 2022 — ")


def test_past_paper_refusal_is_shown_and_the_file_stays_chosen(fake: FakeGateway) -> None:
    at = make_app(fake, page="Study")
    button(at, "Answer the past paper").click().run()
    assert any("Choose the past paper's file first." in w for w in texts(at.warning))
    assert ("POST", "/subjects/1/past-papers") not in fake.calls
    at.file_uploader[0].set_value(("exam.pdf", b"not an exam", "application/pdf"))
    button(at, "Answer the past paper").click().run()
    assert not at.exception
    assert any(
        "Could not send “exam.pdf”: Upload the past paper as a PDF or a PNG/JPEG/TIFF image." in e
        for e in texts(at.error)
    )
    assert any("UNSUPPORTED_FORMAT" in c for c in texts(at.caption))
    assert "jobs" not in at.session_state or not at.session_state["jobs"]  # nothing to follow
    assert at.file_uploader[0].value is not None  # to try again without choosing it anew


def test_past_paper_needs_processed_slides(fake: FakeGateway) -> None:
    at = make_app(fake, page="Study")
    at.selectbox[0].set_value(2).run()
    assert not at.exception
    assert "Answer a past paper" in texts(at.subheader)
    assert not at.file_uploader and not [b for b in at.button if b.label == "Answer the past paper"]


# -- flashcards --------------------------------------------------------------------------------------------


def test_flashcard_review_show_answer_then_rate(fake: FakeGateway) -> None:
    at = make_app(fake, page="Flashcards")
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Due now"] == "2" and metrics["New"] == "2" and metrics["Total"] == "3"
    assert "#### What makes ATP?" in texts(at.markdown)
    show = at.button(key="show_answer")
    assert show.proto.shortcut == "space"
    show.click().run()
    assert "Mitochondria" in texts(at.markdown)
    good = at.button(key="rate_3")
    assert good.label == "Good · 10 min" and good.proto.shortcut == "3"
    assert [at.button(key=f"rate_{n}").proto.shortcut for n in (1, 2, 4)] == ["1", "2", "4"]
    good.click().run()
    assert not at.exception
    assert fake.reviews == [(200, 3)]
    # the cloze card comes next, with its words hidden
    assert "#### The […] is the unit of life." in texts(at.markdown)
    at.button(key="show_answer").click().run()
    assert "The **cell** is the unit of life." in texts(at.markdown)
    at.button(key="rate_1").click().run()
    assert fake.reviews == [(200, 3), (201, 1)]
    assert any("Nothing is due right now" in s for s in texts(at.success))
    [entry] = at.session_state["study_log"]
    assert entry["cards"] == 2 and entry["again"] == 1


def test_add_suspend_and_delete_cards(fake: FakeGateway) -> None:
    at = make_app(fake, page="Flashcards")
    at.text_area(key="new_card_front").input("What is a ribosome?")
    at.text_area(key="new_card_back").input("Where proteins are made.")
    button(at, "Add card").click().run()
    assert not at.exception
    assert fake.cards[203]["front"] == "What is a ribosome?"
    at.button(key="suspend_202").click().run()
    assert fake.cards[202]["suspended"] is True
    assert at.button(key="suspend_202").label == "Unsuspend"
    at.button(key="delete_card_203").click().run()
    assert 203 not in fake.cards


def test_anki_export_is_offered(fake: FakeGateway) -> None:
    at = make_app(fake, page="Flashcards")
    labels = [d.label for d in at.get("download_button")]
    assert labels == ["Export for Anki (.apkg)", "Export as JSON"]


# -- progress and settings ---------------------------------------------------------------------------------


def test_progress_shows_due_counts_recall_and_sessions(fake: FakeGateway) -> None:
    at = make_app(fake, page="Flashcards")
    at.button(key="show_answer").click().run()
    at.button(key="rate_4").click().run()
    at.sidebar.radio(key="page").set_value("Progress").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Reviewed today"] == "1"
    assert metrics["Due now"] == "1"  # the cloze card; the reviewed one moved two days on
    assert metrics["Due this week"] == "3"
    assert metrics["Estimated recall"].endswith("%")
    assert len(at.get("vega_lite_chart")) == 2
    tables = at.table
    assert list(tables[0].value["Subject"]) == ["Biology", "History"]
    assert list(tables[1].value["Cards reviewed"]) == [1]
    assert metrics["Retention"] == "100%"


def test_settings_show_the_runtime_and_save_ocr_languages(fake: FakeGateway) -> None:
    at = make_app(fake, page="Settings")
    assert not at.exception
    table = at.table[0].value
    assert dict(zip(table["Setting"], table["In use"], strict=True))["Language model provider"] == "llamacpp"
    at.text_input(key="langs_2").input("eng+spa")
    button(at, "Save languages").click().run()
    assert fake.subjects[2]["ocr_languages"] == "eng+spa"
    assert ("PATCH", "/subjects/1") not in fake.calls
    at.text_input(key="langs_1").input("English!")
    button(at, "Save languages").click().run()
    assert any("Use codes like eng" in w for w in texts(at.warning))


def share_rows(at: AppTest) -> list[str]:
    return [
        m for m in texts(at.markdown) if "** · " in m and ("Active" in m or "Revoked" in m or "Expired" in m)
    ]


def test_settings_list_share_links_and_revoke_one(fake: FakeGateway) -> None:
    fake.shares[33] = fake._share(
        33, "document", document_id=51, expires_at=datetime.now(UTC) - timedelta(hours=1)
    )
    at = make_app(fake, page="Settings")
    assert not at.exception
    rows = share_rows(at)
    assert len(rows) == 4
    assert rows[0].startswith(
        ":material/description: **Cheat sheet: Cheat sheet — Biology** · :orange[Expired]"
    )
    assert rows[1].startswith(":material/description: **Cheat sheet: Cheat sheet — Biology** · :red[Revoked]")
    assert rows[2] == ":material/style: **Flashcard deck: Biology** · :green[Active] · never expires"
    assert rows[3].startswith(":material/quiz: **Quiz: Quiz — Biology** · :green[Active] · expires in 6 days")
    codes = [c.value for c in at.code]
    assert codes == [fake.shares[31]["url"], fake.shares[30]["url"]]  # only the links that still open
    assert [b.key for b in at.button if b.label == "Revoke"] == ["revoke_share_31", "revoke_share_30"]
    at.button(key="revoke_share_30").click().run()
    assert any("Whoever has it can no longer open it." in w for w in texts(at.warning))
    assert ("DELETE", "/shares/30") not in fake.calls  # asked first
    at.button(key="yes_revoke_share_30").click().run()
    assert not at.exception
    assert ("DELETE", "/shares/30") in fake.calls
    assert fake.shares[30]["revoked_at"] is not None
    assert share_rows(at)[3].startswith(":material/quiz: **Quiz: Quiz — Biology** · :red[Revoked]")
    assert [b.key for b in at.button if b.label == "Revoke"] == ["revoke_share_31"]
    assert any("Link revoked" in t.value for t in at.toast)


def test_a_link_made_on_the_study_page_is_listed_and_forgotten_once_revoked(fake: FakeGateway) -> None:
    fake.shares.clear()
    at = make_app(fake, page="Settings")
    assert "No links yet." in texts(at.caption)
    at.sidebar.radio(key="page").set_value("Study").run()
    at.button(key="share_50").click().run()
    assert at.session_state["share_links"] == {50: fake.shares[1]["url"]}
    at.button(key="manage_shares_50").click().run()  # the popover's way to Settings
    assert "Settings" in texts(at.header)
    [row] = share_rows(at)
    assert row.startswith(":material/quiz: **Quiz: Quiz — Biology** · :green[Active] · expires in 7 days")
    at.button(key="revoke_share_1").click().run()
    at.button(key="yes_revoke_share_1").click().run()
    assert not at.exception
    assert at.session_state["share_links"] == {}  # the Share popover no longer offers the dead link


def test_a_deck_link_is_shown_listed_and_forgotten_once_revoked(fake: FakeGateway) -> None:
    fake.shares.clear()
    at = make_app(fake, page="Flashcards")
    at.button(key="share_deck_1").click().run()
    assert not at.exception
    url = fake.shares[1]["url"]
    assert fake.shares[1]["subject_id"] == 1 and at.session_state["share_links"] == {"deck-1": url}
    assert url in [c.value for c in at.code]
    at.button(key="manage_shares_deck_1").click().run()
    assert "Settings" in texts(at.header) and len(share_rows(at)) == 1
    at.button(key="revoke_share_1").click().run()
    at.button(key="yes_revoke_share_1").click().run()
    assert not at.exception and at.session_state["share_links"] == {}


def test_share_link_errors_are_shown(fake: FakeGateway) -> None:
    at = make_app(fake, page="Settings")
    fake._revoke_share = lambda m, r, b: _err(503, "DB_UNAVAILABLE", "The database is busy; try again.")  # type: ignore[method-assign]
    at.button(key="revoke_share_31").click().run()
    at.button(key="yes_revoke_share_31").click().run()
    assert not at.exception
    assert any("Could not revoke the link: The database is busy; try again." in e for e in texts(at.error))
    assert any("DB_UNAVAILABLE" in c for c in texts(at.caption))
    assert fake.shares[31]["revoked_at"] is None and at.button(key="revoke_share_31").label == "Revoke"
    routes = fake.routes
    failing = ("GET", r"/shares", lambda m, r, b: _err(500, "INTERNAL", "Something broke."))
    fake.routes = lambda: [failing, *routes()]  # type: ignore[method-assign]
    at.run()
    assert not at.exception
    assert any("Could not list your share links: Something broke." in e for e in texts(at.error))


# -- pure helpers ------------------------------------------------------------------------------------------


def test_recall_follows_the_fsrs_curve() -> None:
    now = datetime(2026, 1, 10, tzinfo=UTC)
    card = {"last_review": (now - timedelta(days=4)).isoformat(), "stability": 4.0}
    assert round(stats.recall(card, now) or 0, 3) == 0.9  # at t = S recall is 90% by definition
    assert stats.recall({"last_review": None, "stability": None}, now) is None
    forecast = stats.due_forecast(
        [{"due": (now - timedelta(days=2)).isoformat()}, {"due": (now + timedelta(days=1)).isoformat()}], now
    )
    assert list(forecast.values())[:2] == [1, 1] and len(forecast) == 14


def test_labels() -> None:
    assert span(timedelta(minutes=10)) == "10 min" and span(timedelta(days=1)) == "1 day"
    assert card_sides({"kind": "cloze", "front": "A {{c1::b}} c", "back": "A b c"}) == (
        "A […] c",
        "A **b** c",
    )
