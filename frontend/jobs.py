"""Long jobs (reading a lecture, generating study material): tracked per session, shown as progress bars.

Progress arrives over the gateway's WebSocket: a :class:`JobFeed` thread per browser session keeps the
latest event of every job, and the panel (a fragment re-running every second while a job is going)
reads them from memory. When the WebSocket is unavailable the panel asks ``GET /jobs/{id}`` instead,
and it does so every few seconds anyway, so a missed event never leaves a bar stuck.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

import streamlit as st

from frontend.api import ApiError, GatewayClient
from frontend.formatting import JOB_STAGE, JOB_STATUS, KIND_LABEL, TERMINAL_JOB, failure_text, md_line, plural
from frontend.session import flash, get_client, reporting, state

POLL_SECONDS = 1.0
RECONCILE_SECONDS = 5.0  # HTTP check of a job even while the WebSocket is live
FEED_IDLE_SECONDS = 120.0  # the feed thread stops when no page has read it for this long
RETRY_SECONDS = 3.0

Job = dict[str, Any]


class JobFeed:
    """Job events from the WebSocket, received on a daemon thread; the page takes them each run."""

    def __init__(self, client: GatewayClient) -> None:
        self._client = client
        self._lock = threading.Lock()
        self._events: dict[str, Job] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_read = time.monotonic()
        self.connected = False

    def start(self) -> None:
        with self._lock:
            self._last_read = time.monotonic()
            if self._thread is not None and self._thread.is_alive():
                return
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="smartnotes-job-feed", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def take(self) -> dict[str, Job]:
        """The newest event per job since the last call."""
        with self._lock:
            events, self._events = self._events, {}
            self._last_read = time.monotonic()
            return events

    def _idle(self) -> bool:
        return time.monotonic() - self._last_read > FEED_IDLE_SECONDS

    def _run(self) -> None:
        while not self._stop.is_set() and not self._idle():
            try:
                ws, _ready = self._client.open_events()
            except ApiError:
                self.connected = False
                self._stop.wait(RETRY_SECONDS)
                continue
            self.connected = True
            try:
                while not self._stop.is_set() and not self._idle():
                    try:
                        raw = ws.recv(timeout=1.0)
                    except TimeoutError:
                        continue
                    event = json.loads(raw)
                    if isinstance(event, dict) and event.get("type") == "job" and event.get("job_id"):
                        with self._lock:
                            self._events[str(event["job_id"])] = event
            except Exception:  # connection lost: reconnect (with the current token)
                self._stop.wait(RETRY_SECONDS)
            finally:
                self.connected = False
                with contextlib.suppress(Exception):
                    ws.close()


def job_feed() -> JobFeed:
    feed: JobFeed | None = state.get("_job_feed")
    if feed is None:
        feed = state["_job_feed"] = JobFeed(get_client())
    feed.start()
    return feed


# -- tracked jobs ------------------------------------------------------------------------------------------


def tracked() -> dict[str, Job]:
    jobs: dict[str, Job] = state.setdefault("jobs", {})
    return jobs


def track(job: Job, label: str | None = None) -> None:
    """Follow a job the page just started (upload, re-process, generate)."""
    if label:
        job = {**job, "label": label}
    tracked()[job["id"]] = job
    job_feed()


def adopt_active_jobs(subject_id: int, kinds: Iterable[str]) -> None:
    """Follow this subject's jobs still running on the server (e.g. after the page was reloaded)."""
    jobs, wanted = tracked(), set(kinds)
    with contextlib.suppress(ApiError):
        for job in get_client().list_jobs(active=True):
            if job.get("subject_id") == subject_id and job.get("kind") in wanted and job["id"] not in jobs:
                jobs[job["id"]] = job


def _matches(job: Job, subject_id: int, kinds: set[str], lecture_id: int | None) -> bool:
    return (
        job.get("subject_id") == subject_id
        and job.get("kind") in kinds
        and (lecture_id is None or job.get("lecture_id") == lecture_id)
    )


def jobs_panel(
    subject_id: int,
    kinds: Iterable[str],
    names: dict[int, str] | None = None,
    *,
    lecture_id: int | None = None,
    on_done: Callable[[Job], None] | None = None,
) -> None:
    """Progress of this subject's jobs of these kinds; re-runs itself every second while any is going."""
    kinds = set(kinds)
    running = any(
        _matches(j, subject_id, kinds, lecture_id) and j["status"] not in TERMINAL_JOB
        for j in tracked().values()
    )
    if running:
        job_feed()
    body = st.fragment(run_every=POLL_SECONDS if running else None)(_jobs_body)
    body(subject_id, kinds, names or {}, lecture_id, on_done)


def job_label(job: Job, names: dict[int, str]) -> str:
    if job.get("label"):
        return str(job["label"])
    if job.get("kind") == "ingest":
        return names.get(job.get("lecture_id") or 0, "Lecture")
    return KIND_LABEL.get(str(job.get("kind")), "Job")


def _refresh(job: Job, events: dict[str, Job], live: bool) -> Job:
    """The job's newest state: from the WebSocket when it spoke, else (or now and then) over HTTP."""
    event = events.get(job["id"])
    now = time.monotonic()
    if event is not None:
        job = {**job, **{k: event[k] for k in ("status", "progress", "stage") if k in event}}
        job["error_code"] = event.get("error_code")
        job["error_message"] = event.get("error_message")
    if job["status"] in TERMINAL_JOB or not live or now - job.get("_checked", 0.0) > RECONCILE_SECONDS:
        fresh = get_client().get_job(job["id"])  # a finished job's result (document id, cards added)
        job = {**fresh, "label": job.get("label"), "_checked": now}
    return job


def _jobs_body(
    subject_id: int,
    kinds: set[str],
    names: dict[int, str],
    lecture_id: int | None,
    on_done: Callable[[Job], None] | None,
) -> None:
    jobs = tracked()
    mine = [j for j in jobs.values() if _matches(j, subject_id, kinds, lecture_id)]
    if not mine:
        return
    feed: JobFeed | None = state.get("_job_feed")
    events = feed.take() if feed is not None else {}
    live = feed is not None and feed.connected
    st.subheader("In progress")
    if not live:
        st.caption("Live updates are off; checking every second.")
    finished = []
    for job in mine:
        name = job_label(job, names)
        if job["status"] not in TERMINAL_JOB:
            with reporting(f"Could not check on “{name}”"):
                job = jobs[job["id"]] = _refresh(job, events, live)
        progress = min(max(float(job.get("progress") or 0.0), 0.0), 1.0)
        step = str(job.get("stage") or JOB_STATUS.get(job["status"], job["status"]))
        step = JOB_STAGE.get(step, step)
        st.progress(progress, text=md_line(f"{name} — {step} ({progress:.0%})"))
        if job["status"] in TERMINAL_JOB:
            finished.append((job, name))
        elif st.button("Cancel", key=f"cancel_{job['id']}"):
            with reporting("Could not cancel"):
                jobs[job["id"]] = {**get_client().cancel_job(job["id"]), "label": job.get("label")}
    if finished:
        for job, name in finished:
            jobs.pop(job["id"], None)
            announce_end(job, name)
            if on_done is not None and job["status"] == "done":
                on_done(job)
        st.rerun(scope="app")


def announce_end(job: Job, name: str) -> None:
    if job["status"] == "failed":
        flash(f"“{name}” failed: {failure_text(job)}", ":material/error:")
    elif job["status"] == "cancelled":
        flash(f"“{name}” was cancelled.", ":material/block:")
    elif job.get("kind") == "ingest":
        flash(f"“{name}” is ready.")
    elif job.get("kind") == "flashcards":
        added = (job.get("result") or {}).get("cards")
        flash(
            f"{added} flashcards added." if added is not None else "Your flashcards are ready.",
            ":material/style:",
        )
    elif job.get("kind") == "past_paper":
        questions = (job.get("result") or {}).get("questions")
        answered = f": {plural(questions, 'question')} answered" if questions is not None else ""
        flash(f"“{name}” is ready{answered} — see Documents below.", ":material/assignment:")
    else:
        flash(f"{name} is ready — see Documents below.", ":material/description:")
