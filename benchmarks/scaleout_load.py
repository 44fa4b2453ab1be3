"""The scale-out benchmark's load: generated decks, uploads, the job and event readers, and the
metadata readers (a process per group of clients). Part of benchmarks/scaleout.py."""

from __future__ import annotations

import contextlib
import json
import multiprocessing as mp
import random
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))  # its sibling modules (a site package is called benchmarks)

import httpx  # noqa: E402
import redis  # noqa: E402
from scaleout_stack import TERMINAL, Stack  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from shared.events import user_channel  # noqa: E402
from shared.models import Job  # noqa: E402

VOCAB = [
    "cell",
    "membrane",
    "protein",
    "enzyme",
    "energy",
    "gradient",
    "transport",
    "signal",
    "receptor",
    "pathway",
    "kinase",
    "gene",
    "expression",
    "transcription",
    "ribosome",
    "mitochondria",
    "glucose",
    "oxidation",
    "equilibrium",
    "entropy",
    "catalyst",
    "substrate",
    "inhibitor",
    "binding",
    "affinity",
    "diffusion",
    "osmosis",
    "voltage",
    "channel",
    "neuron",
    "synapse",
    "hormone",
    "feedback",
    "regulation",
    "homeostasis",
    "mutation",
    "selection",
    "population",
    "variance",
    "sample",
    "estimate",
    "model",
    "theorem",
    "proof",
    "lemma",
    "matrix",
    "vector",
    "eigenvalue",
    "derivative",
    "integral",
    "limit",
    "series",
    "convergence",
]


# --- decks -----------------------------------------------------------------------------------------
def make_charts(folder: Path, count: int = 6) -> list[Path]:
    from tests.support.factories import make_chart_png

    folder.mkdir(parents=True, exist_ok=True)
    titles = ["Crop yield", "Enzyme rate", "Voltage", "Population", "Cost per unit", "Error rate"]
    return [make_chart_png(folder / f"chart{i}.png", titles[i % len(titles)]) for i in range(count)]


def make_deck(path: Path, deck: int, pages: int, charts: list[Path]) -> Path:
    """A text-layer slide deck: title and six body lines on every page, a chart on every third page."""
    from fpdf import FPDF

    rng = random.Random(deck)
    pdf = FPDF(orientation="L", unit="pt", format=(540, 960))
    pdf.set_auto_page_break(False)
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 26)
        pdf.set_xy(40, 36)
        pdf.cell(0, 32, f"Deck {deck} slide {number}: {rng.choice(VOCAB).title()} and {rng.choice(VOCAB)}")
        pdf.set_font("Helvetica", "", 17)
        width = 420 if number % 3 == 0 else 860
        for line in range(6):
            words = " ".join(rng.choice(VOCAB) for _ in range(rng.randint(6, 10 if width > 500 else 6)))
            pdf.set_xy(40, 100 + line * 30)
            pdf.cell(width, 22, f"- {words}")
        if number % 3 == 0:
            pdf.image(str(charts[(deck + number) % len(charts)]), x=500, y=100, w=420, h=294)
        pdf.set_font("Helvetica", "I", 11)
        pdf.set_xy(40, 505)
        pdf.cell(0, 14, f"Course 101 - deck {deck} - page {number}")
    pdf.output(str(path))
    return path


# --- events and client helpers --------------------------------------------------------------------
class EventLog:
    """Every job event published for the user (Redis pub/sub), with the time it arrived."""

    def __init__(self, redis_url: str, user_id: int) -> None:
        self.events: list[tuple[float, dict[str, Any]]] = []
        self._stop = threading.Event()
        self._pubsub = redis.Redis.from_url(redis_url).pubsub(ignore_subscribe_messages=True)
        self._pubsub.subscribe(user_channel(user_id))
        self._thread = threading.Thread(target=self._run, name="events", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            message = self._pubsub.get_message(timeout=0.5)
            if message and message.get("type") == "message":
                with contextlib.suppress(ValueError):
                    self.events.append((time.monotonic(), json.loads(message["data"])))

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._pubsub.close()

    def for_jobs(self, jobs: set[str]) -> list[tuple[float, dict[str, Any]]]:
        return [(t, e) for t, e in list(self.events) if e.get("job_id") in jobs]


def api_client(
    base: str, token: str | None = None, source: str | None = None, timeout: float = 60
) -> httpx.Client:
    transport = httpx.HTTPTransport(local_address=source) if source else None
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=f"{base}/api/v1", headers=headers, timeout=timeout, transport=transport)


class Auth:
    """An access token for the benchmark user, renewed well before it expires (15 minutes)."""

    def __init__(self, base: str, email: str, password: str) -> None:
        self.base, self.email, self.password = base, email, password
        self._token, self._at = "", 0.0

    def __call__(self) -> str:
        if time.monotonic() - self._at > 300:
            self._token, self._at = login(self.base, self.email, self.password), time.monotonic()
        return self._token


def login(base: str, email: str, password: str) -> str:
    with api_client(base) as client:
        response = client.post("/auth/login", json={"email": email, "password": password})
        response.raise_for_status()
        return str(response.json()["access_token"])


def upload_all(
    base: str, token: str, subject_id: int, decks: list[Path]
) -> tuple[list[dict[str, Any]], float]:
    """POST every deck at once (one thread each, spread over source addresses); returns the accepted jobs."""
    results: list[dict[str, Any] | None] = [None] * len(decks)
    errors: list[str] = []

    def one(i: int, path: Path) -> None:
        with api_client(base, token, source=f"127.0.{1 + i % 8}.1", timeout=300) as client:
            with path.open("rb") as fh:
                response = client.post(
                    f"/subjects/{subject_id}/lectures", files={"file": (path.name, fh, "application/pdf")}
                )
            if response.status_code != 202:
                errors.append(f"{path.name}: {response.status_code} {response.text[:200]}")
                return
            results[i] = response.json()

    start = time.monotonic()
    threads = [threading.Thread(target=one, args=(i, p)) for i, p in enumerate(decks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    if errors or any(r is None for r in results):
        raise RuntimeError(f"uploads refused: {errors[:5]}")
    return [r for r in results if r is not None], time.monotonic() - start


def wait_jobs(engine: Engine, stack: Stack, jobs: set[str], timeout: float) -> dict[str, str]:
    deadline = time.monotonic() + timeout
    while True:
        with engine.connect() as conn:
            rows = dict(conn.execute(select(Job.id, Job.status).where(Job.id.in_(jobs))).all())
        if all(status in TERMINAL for status in rows.values()) and len(rows) == len(jobs):
            return {str(k): str(v) for k, v in rows.items()}
        if time.monotonic() > deadline:
            counts = Counter(rows.values())
            raise RuntimeError(f"jobs not finished after {timeout:.0f} s: {dict(counts)}")
        stack.check_alive()
        time.sleep(0.5)


# --- the metadata readers (a separate process per group of clients) -------------------------------
def reader_process(
    base: str,
    token: str,
    subject_id: int,
    job_ids: list[str],
    clients: int,
    first: int,
    seconds: float,
    think: float,
    out: Any,
) -> None:
    stop_at = time.monotonic() + seconds
    samples: list[tuple[str, int, float]] = []
    lock = threading.Lock()

    def client_loop(index: int) -> None:
        rng = random.Random(index)
        paths = ["/subjects", f"/lectures?subject_id={subject_id}", "jobs"]
        local: list[tuple[str, int, float]] = []
        with api_client(base, token, source=f"127.0.{1 + index % 8}.{2 + index // 8}", timeout=10) as client:
            turn = rng.randrange(3)
            while time.monotonic() < stop_at:
                path = paths[turn % 3]
                turn += 1
                if path == "jobs":
                    path = f"/jobs/{rng.choice(job_ids)}"
                started = time.perf_counter()
                try:
                    status = client.get(path).status_code
                except httpx.HTTPError:
                    status = 0
                local.append(
                    (path.split("?")[0].rsplit("/", 1)[0] or path, status, time.perf_counter() - started)
                )
                time.sleep(rng.uniform(0.5 * think, 1.5 * think))
        with lock:
            samples.extend(local)

    threads = [threading.Thread(target=client_loop, args=(first + i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 30)
    out.put(samples)


def run_readers(
    base: str, token: str, subject_id: int, job_ids: list[str], clients: int, seconds: float, think: float
) -> list[tuple[str, int, float]]:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    groups = 5
    per = [clients // groups + (1 if i < clients % groups else 0) for i in range(groups)]
    procs = []
    first = 0
    for n in per:
        p = ctx.Process(
            target=reader_process, args=(base, token, subject_id, job_ids, n, first, seconds, think, queue)
        )
        p.start()
        procs.append(p)
        first += n
    samples: list[tuple[str, int, float]] = []
    for _ in procs:
        samples.extend(queue.get(timeout=seconds + 120))
    for p in procs:
        p.join(30)
        if p.is_alive():
            p.kill()
    return samples
