"""Study material: make a cheat sheet, a quiz or flashcards; download them; take a quiz in the app."""

from __future__ import annotations

import time
from pathlib import PurePath
from typing import Any

import streamlit as st

from frontend import jobs
from frontend.api import ApiError, GatewayClient
from frontend.formatting import (
    KIND_ICON,
    KIND_LABEL,
    QUIZ_LETTERS,
    human_size,
    lecture_name,
    md,
    md_line,
    short_date,
)
from frontend.session import (
    FLASHCARDS,
    LECTURE,
    flash,
    go_to,
    image_bytes,
    reporting,
    runtime_info,
    show_error,
    state,
)
from frontend.views.common import confirm_step, load_lectures, load_subjects, share_popover, subject_or_hint

GENERATION_KINDS = ["cheatsheet", "quiz", "flashcards"]
TRACKED_KINDS = [*GENERATION_KINDS, "past_paper"]
DIFFICULTIES = ["easy", "medium", "hard"]
PAST_PAPER_TYPES = ["pdf", "png", "jpg", "jpeg", "tif", "tiff"]


# -- the study log (this browser session's study sessions; the Progress page shows them) ----------------


def log_study(entry: dict[str, Any]) -> None:
    """Record a study session: ``{"kind", "subject_id", "started", "ended", ...}``; merged by ``id``."""
    log: list[dict[str, Any]] = state.setdefault("study_log", [])
    for existing in log:
        if entry.get("id") is not None and existing.get("id") == entry.get("id"):
            existing.update(entry)
            return
    log.append(entry)


# -- making things ---------------------------------------------------------------------------------------


def generate_form(client: GatewayClient, subject: dict[str, Any], lectures: list[dict[str, Any]]) -> None:
    ready = [lec for lec in lectures if lec["status"] == "done"]
    with st.container(border=True):
        st.subheader("Make something new")
        if not ready:
            st.info(
                "Upload slides on the Dashboard and wait until they are read first.",
                icon=":material/description:",
            )
            return
        kind = st.segmented_control(
            "What to make",
            GENERATION_KINDS,
            format_func=lambda k: f"{KIND_ICON[k]} {KIND_LABEL[k]}",
            key="gen_kind",
            default="quiz",
        )
        kind = kind or "quiz"
        names = {lec["id"]: lecture_name(lec) for lec in ready}
        chosen = st.multiselect(
            "From these lectures",
            list(names),
            format_func=lambda i: names[i],
            placeholder="All processed lectures",
            key="gen_lectures",
        )
        options: dict[str, Any] = {"lecture_ids": chosen or None}
        if kind == "cheatsheet":
            options["pages"] = st.radio(
                "Length", [1, 2], format_func=lambda n: f"{n} page" + ("s" if n > 1 else ""), horizontal=True
            )
        elif kind == "quiz":
            options["questions"] = item_count("questions", "Questions", 3, 100, 20, step=1)
            options["difficulty"] = (
                st.segmented_control(
                    "Difficulty", DIFFICULTIES, format_func=str.capitalize, default="medium", key="gen_level"
                )
                or "medium"
            )
        else:
            options["cards"] = item_count("cards", "Cards", 5, 500, 50, step=5)
        title = st.text_input("Title (optional)", key="gen_title", max_chars=200)
        options["title"] = title.strip() or None
        if st.button(f"Make the {KIND_LABEL[kind].lower()}", type="primary", icon=":material/auto_awesome:"):
            with reporting(f"Could not start the {KIND_LABEL[kind].lower()}"):
                accepted = client.generate(subject["id"], kind, **options)
                jobs.track(accepted["job"], label=title.strip() or KIND_LABEL[kind])
                st.toast(f"Making your {KIND_LABEL[kind].lower()}…", icon="⏳")
                st.rerun()


def item_count(name: str, label: str, least: int, most: int, default: int, *, step: int) -> int | None:
    """How many questions or cards to ask for: by default none is named, so the generator scales the count
    with the lectures (one question per 2 slides, one card per slide, at least 20 / 50) and makes fewer when
    the slides offer fewer; a student who wants a set number turns that off and picks it."""
    if st.toggle(f"{label}: as many as the slides offer", value=True, key=f"gen_{name}_auto"):
        return None
    return int(st.slider(label, least, most, default, step=step, key=f"gen_{name}"))


def past_paper_title(filename: str, title: str) -> str:
    """The name the answers will have: the title given, else the worker's default ``Answers: <exam>``."""
    return title.strip() or f"Answers: {PurePath(filename).stem or 'past paper'}"


def past_paper_form(client: GatewayClient, subject: dict[str, Any], lectures: list[dict[str, Any]]) -> None:
    """Upload an exam; each of its questions is answered from this subject's notes, citing the slides."""
    with st.container(border=True):
        st.subheader("Answer a past paper")
        if not any(lec["status"] == "done" for lec in lectures):
            st.caption("Once your slides are read, upload a past exam here to have it answered from them.")
            return
        st.caption(
            "Upload an exam as a PDF, a scan or a photo: every numbered question (or one ending in “?”) "
            "is answered from this subject's notes, with the slides cited, in a Word document."
        )
        limit = (runtime_info() or {}).get("max_upload_mb")
        # New keys after each upload empty the form; after an error the file and title stay as they were.
        round_ = state.setdefault("paper_round", 0)
        file = st.file_uploader(
            "The past paper",
            type=PAST_PAPER_TYPES,
            key=f"paper_file_{round_}",
            help="PDF or PNG, JPEG, TIFF" + (f", up to {limit} MB." if limit else "."),
            max_upload_size=int(limit) if limit else None,  # the gateway's limit, not Streamlit's 200 MB
        )
        title = st.text_input(
            "Title of the answers (optional)",
            key=f"paper_title_{round_}",
            max_chars=200,
            placeholder="Answers: <the exam's file name>",
        )
        if st.button("Answer the past paper", type="primary", icon=":material/assignment:", key="paper_go"):
            if file is None:
                st.warning("Choose the past paper's file first.")
                return
            with reporting(f"Could not send “{file.name}”"):
                accepted = client.upload_past_paper(
                    subject["id"], file.name, file.getvalue(), file.type, title=title.strip() or None
                )
                jobs.track(accepted["job"], label=past_paper_title(file.name, title))
                state["paper_round"] = round_ + 1
                st.toast(f"Answering “{md_line(file.name)}”…", icon="⏳")
                st.rerun()


# -- documents -------------------------------------------------------------------------------------------


def document_row(client: GatewayClient, doc: dict[str, Any]) -> None:
    did = doc["id"]
    with st.container(border=True, key=f"doc_{did}"):
        st.markdown(f"{KIND_ICON.get(doc['kind'], ':material/description:')} **{md_line(doc['title'])}**")
        facts = [KIND_LABEL.get(doc["kind"], doc["kind"]), human_size(doc.get("size_bytes"))]
        st.caption(md_line(" · ".join([*facts, short_date(doc.get("created_at"))])))
        with st.container(horizontal=True):
            st.download_button(
                "Download",
                data=lambda: client.download_document(did),
                file_name=doc["filename"],
                mime=doc.get("media_type") or "application/octet-stream",
                key=f"download_{did}",
                icon=":material/download:",
                on_click="ignore",
            )
            if doc["kind"] == "quiz":
                st.button(
                    "Take the quiz",
                    key=f"take_{did}",
                    icon=":material/quiz:",
                    type="primary",
                    on_click=open_quiz,
                    args=(did,),
                )
            share_popover(
                client,
                label="Share",
                caption="A read-only link anyone can open without an account, for 7 days.",
                key=str(did),
                slot=did,
                document_id=did,
            )
            if st.button("Delete", key=f"delete_doc_{did}", icon=":material/delete:"):
                state["confirm_document"] = did

        def delete() -> None:
            client.delete_document(did)
            flash(f"“{doc['title']}” deleted.", ":material/delete:")

        confirm_step(
            "confirm_document",
            did,
            f"Delete “{md_line(doc['title'])}”?",
            yes="Yes, delete",
            key="delete_doc",
            failure="Could not delete the document",
            action=delete,
        )


def documents_list(client: GatewayClient, subject_id: int) -> None:
    st.subheader("Your documents")
    try:
        docs = client.list_documents(subject_id)
    except ApiError as err:
        show_error(err, "Could not list your documents")
        return
    if not docs:
        st.caption(
            "Nothing made yet: cheat sheets, quizzes and past-paper answers appear here, ready to download."
        )
        return
    for doc in sorted(docs, key=lambda d: str(d.get("created_at") or ""), reverse=True):
        document_row(client, doc)


# -- taking a quiz ---------------------------------------------------------------------------------------


def open_quiz(document_id: int) -> None:
    state["quiz_doc"] = document_id
    state.setdefault("quiz_started", {})[document_id] = time.time()
    state.setdefault("quiz_results", {}).pop(document_id, None)


def close_quiz() -> None:
    state.pop("quiz_doc", None)


def answer_widget(doc_id: int, question: dict[str, Any]) -> Any:
    key = f"quiz_{doc_id}_{question['number']}"
    if question["kind"] == "multiple_choice":
        letters = list(QUIZ_LETTERS[: len(question["options"])])
        texts = dict(zip(letters, question["options"], strict=False))
        return st.radio(
            "Your answer",
            letters,
            format_func=lambda letter: f"{letter}. {md_line(texts[letter])}",
            index=None,
            key=key,
            label_visibility="collapsed",
        )
    if question["kind"] == "true_false":
        return st.radio(
            "Your answer",
            ["true", "false"],
            format_func=str.capitalize,
            index=None,
            horizontal=True,
            key=key,
            label_visibility="collapsed",
        )
    return st.text_input("Your answer", key=key, placeholder="Type your answer")


def quiz_form(client: GatewayClient, doc_id: int, quiz: dict[str, Any]) -> None:
    questions = quiz["questions"]
    if quiz.get("note"):  # a shorter quiz than asked says why
        st.caption(md(quiz["note"]))
    with st.form(f"quiz_form_{doc_id}"):
        given: dict[int, Any] = {}
        for question in questions:
            st.markdown(f"**{question['number']}.** {md(question['prompt'])}")
            given[question["number"]] = answer_widget(doc_id, question)
        submitted = st.form_submit_button("Check my answers", type="primary", icon=":material/grading:")
    if not submitted:
        return
    answers = {n: str(v).strip() for n, v in given.items() if v is not None and str(v).strip()}
    started = state.get("quiz_started", {}).get(doc_id)
    duration_ms = int((time.time() - started) * 1000) if started else None
    with reporting("Could not score the quiz"):
        result = client.attempt_quiz(doc_id, answers, duration_ms)
        state.setdefault("quiz_results", {})[doc_id] = result
        log_study(
            {
                "id": f"quiz-{result['session_id']}",
                "kind": "quiz",
                "subject_id": state.get("subject_id"),
                "title": quiz["title"],
                "started": started or time.time(),
                "ended": time.time(),
                "score": result["score"],
                "cards": 0,
            }
        )
        st.rerun()


def quiz_result(doc_id: int, quiz: dict[str, Any], result: dict[str, Any]) -> None:
    prompts = {q["number"]: q["prompt"] for q in quiz["questions"]}
    st.metric("Your score", f"{result['correct']} / {result['total']}", f"{result['score']:.0%}")
    for item in result["results"]:
        mark = ":green[:material/check_circle:]" if item["correct"] else ":red[:material/cancel:]"
        with st.container(border=True):
            st.markdown(f"{mark} **{item['number']}.** {md(prompts.get(item['number'], ''))}")
            given, answer = md_line(item.get("given") or "—"), md_line(item["answer"])
            st.markdown(f"Your answer: {given}  \nCorrect answer: **{answer}**")
            if item.get("explanation"):
                st.caption(md(item["explanation"]))
            source = item.get("source") or {}
            if source and not item["correct"]:
                thumb = image_bytes(item["slide_url"]) if item.get("slide_url") else None
                if thumb:
                    caption = f"{md_line(source.get('lecture'))}, slide {md_line(source.get('page'))}"
                    st.image(thumb, width=260, caption=caption, alt=caption)
                st.button(
                    f"Open slide {source.get('page')}",
                    key=f"quiz_slide_{doc_id}_{item['number']}",
                    on_click=go_to,
                    args=(LECTURE,),
                    kwargs={"lecture_id": source.get("lecture_id"), "page_number": source.get("page")},
                )
    if st.button("Try again", key=f"retry_{doc_id}", icon=":material/replay:"):
        open_quiz(doc_id)
        for key in [k for k in state if str(k).startswith(f"quiz_{doc_id}_")]:
            del state[key]
        st.rerun()


def take_quiz(client: GatewayClient, doc_id: int) -> None:
    st.button("Back to documents", icon=":material/arrow_back:", on_click=close_quiz, key="quiz_back")
    cache: dict[int, dict[str, Any]] = state.setdefault("quizzes", {})
    if doc_id not in cache:
        try:
            cache[doc_id] = client.get_quiz(doc_id)
        except ApiError as err:
            show_error(err, "Could not open the quiz")
            return
    quiz = cache[doc_id]
    st.subheader(md_line(quiz["title"]))
    st.caption(f"{len(quiz['questions'])} questions · {md_line(quiz['difficulty'])}")
    result = state.get("quiz_results", {}).get(doc_id)
    if result is None:
        quiz_form(client, doc_id, quiz)
    else:
        quiz_result(doc_id, quiz, result)


# -- the page --------------------------------------------------------------------------------------------


def render(client: GatewayClient) -> None:
    st.header("Study")
    st.caption(
        "Cheat sheets, quizzes, flashcards and answers to past papers made from your slides, "
        "each pointing back to them."
    )
    subject = subject_or_hint(load_subjects(), "make study material from them")
    if subject is None:
        return
    if state.get("quiz_doc") is not None:
        take_quiz(client, int(state["quiz_doc"]))
        return
    lectures = load_lectures(client, subject["id"])
    if lectures is None:
        return
    generate_form(client, subject, lectures)
    past_paper_form(client, subject, lectures)
    jobs.adopt_active_jobs(subject["id"], TRACKED_KINDS)
    jobs.jobs_panel(subject["id"], TRACKED_KINDS)
    st.button(
        "Review flashcards", icon=":material/style:", on_click=go_to, args=(FLASHCARDS,), key="goto_cards"
    )
    documents_list(client, subject["id"])
