"""Chat latency through the real WebSocket path, on the whole stack started as `make run` starts it.

    .venv/bin/python benchmarks/chat.py [--corpus ../shared/corpus] [--questions 30] [--api URL]

Without --api it starts the stack (smartnotes_tools.launcher: redis-server, gateway, one Celery worker
per queue,
Streamlit) on free ports with a temporary data dir, registers a user, ingests the corpus decks that the
questions need into one subject, then asks each question over /api/v1/ws and measures, from the moment the
question is sent: time to the evidence event, time to the first answer token, time to the whole answer.
Baseline in the same run: the WebSocket ping/pong round trip through the same gateway.
Questions come from benchmarks/questions.json (distinct, so the answer cache is never hit), or with
--qa-split dev|test from the frozen blind set benchmarks/data/qa.jsonl: that split's decks, each in its own
subject, and its questions (answerable and off-topic, follow-ups left out) taken in turn across the decks.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from websockets.sync.client import connect

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_stack(data: Path) -> tuple[subprocess.Popen[bytes], str]:
    api_port, ui_port, redis_port = free_port(), free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTNOTES_")}
    env.update(
        SMARTNOTES_API_PORT=str(api_port),
        SMARTNOTES_FRONTEND_PORT=str(ui_port),
        SMARTNOTES_REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        SMARTNOTES_DATA_DIR=str(data),
        SMARTNOTES_LOG_JSON="false",
        SMARTNOTES_RATE_LIMIT_UPLOAD="1000/minute",
    )
    log = (data.parent / "stack.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "smartnotes_tools.launcher"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    api = f"http://127.0.0.1:{api_port}"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{api}/ready", timeout=2).status_code == 200:
                return proc, api
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the stack did not become ready; see {data.parent / 'stack.log'}")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def ask(ws: Any, subject_id: int, question: str, request_id: str) -> dict[str, float | None]:
    start = time.perf_counter()
    ws.send(
        json.dumps({"type": "chat", "subject_id": subject_id, "question": question, "request_id": request_id})
    )
    evidence = first_token = None
    while True:
        event = json.loads(ws.recv(timeout=300))
        if event.get("request_id") != request_id:
            continue
        now = time.perf_counter() - start
        if event["type"] == "chat.evidence" and evidence is None:
            evidence = now
        elif event["type"] == "chat.token" and first_token is None:
            first_token = now
        elif event["type"] == "chat.error":
            raise SystemExit(f"chat error: {event['error']}")
        elif event["type"] == "chat.done":
            return {"evidence": evidence, "first_token": first_token, "total": now}


def ping(ws: Any) -> float:
    start = time.perf_counter()
    ws.send(json.dumps({"type": "ping"}))
    while json.loads(ws.recv(timeout=30)).get("type") != "pong":
        pass
    return time.perf_counter() - start


def tuned_questions(n: int) -> list[dict[str, Any]]:
    """benchmarks/questions.json: spread over decks, text questions first; at most n."""
    questions = json.loads((ROOT / "benchmarks" / "questions.json").read_text())[: n * 3]
    return sorted(questions, key=lambda q: q["kind"] != "text")[:n]


def qa_questions(split: str, n: int) -> list[dict[str, Any]]:
    """The split's qa.jsonl items but follow-ups (they need a conversation), in turn across decks."""
    by_deck: dict[str, list[dict[str, Any]]] = {}
    for line in (ROOT / "benchmarks" / "data" / "qa.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if item["split"] == split and not item.get("follows"):
            by_deck.setdefault(item["deck"], []).append({"file": item["deck"], "question": item["question"]})
    chosen: list[dict[str, Any]] = []
    queues = [by_deck[d] for d in sorted(by_deck)]
    while len(chosen) < n and any(queues):
        for queue in queues:
            if queue and len(chosen) < n:
                chosen.append(queue.pop(0))
    return chosen


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--questions", type=int, default=30)
    parser.add_argument("--api", help="use a running gateway instead of starting one")
    parser.add_argument("--qa-split", choices=("dev", "test"), help="questions and decks of qa.jsonl's split")
    args = parser.parse_args()
    chosen = qa_questions(args.qa_split, args.questions) if args.qa_split else tuned_questions(args.questions)
    decks = sorted({q["file"] for q in chosen})

    tmp = Path(tempfile.mkdtemp(prefix="bench-chat-"))
    proc = None
    api = args.api
    if api is None:
        proc, api = start_stack(tmp / "data")
    try:
        client = httpx.Client(base_url=f"{api}/api/v1", timeout=600)
        email = f"bench{int(time.time())}@example.com"
        client.post(
            "/auth/register", json={"email": email, "password": "benchmark password"}
        ).raise_for_status()
        tokens = client.post("/auth/login", json={"email": email, "password": "benchmark password"}).json()
        client.headers["Authorization"] = f"Bearer {tokens['access_token']}"
        subjects: dict[str, int] = {}  # deck -> subject: one per deck with --qa-split, else one for all
        for name in decks:
            if args.qa_split or not subjects:
                body = {"name": name[:100] if args.qa_split else "Benchmark"}
                if not args.qa_split:
                    body["ocr_languages"] = "eng+chi_sim"
                subject_id = client.post("/subjects", json=body).json()["id"]
            subjects[name] = subject_id
        start = time.perf_counter()
        jobs = []
        for name in decks:
            with (Path(args.corpus) / name).open("rb") as fh:
                r = client.post(f"/subjects/{subjects[name]}/lectures", files={"file": (name, fh)})
            r.raise_for_status()
            jobs.append(r.json()["job"]["id"])
        for job_id in jobs:
            while (job := client.get(f"/jobs/{job_id}").json())["status"] not in (
                "done",
                "failed",
                "cancelled",
            ):
                time.sleep(1)
            if job["status"] != "done":
                raise SystemExit(f"ingestion failed: {job}")
        print(f"ingested {len(decks)} decks in {time.perf_counter() - start:.0f} s through the stack")

        ws_url = api.replace("http", "ws", 1) + f"/api/v1/ws?token={tokens['access_token']}"
        with connect(ws_url, max_size=None) as ws:
            assert json.loads(ws.recv(timeout=30))["type"] == "ready"
            pings = [ping(ws) for _ in range(30)]
            ask(ws, subjects[decks[0]], "warm-up question about the first lecture", "warm")
            results = [ask(ws, subjects[q["file"]], q["question"], f"q{i}") for i, q in enumerate(chosen)]
        evidence = [r["evidence"] for r in results if r["evidence"] is not None]
        first = [r["first_token"] for r in results if r["first_token"] is not None]
        total = [r["total"] for r in results if r["total"] is not None]
        where = f"{len(decks)} decks, " + ("one subject each" if args.qa_split else "in one subject")
        print(f"\n{len(results)} questions over the WebSocket, {where}")
        print(f"{'measure':<34} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for name, values in (
            ("ws ping round trip (baseline)", pings),
            ("time to first evidence", evidence),
            ("time to first answer token", first),
            ("time to whole answer", total),
        ):
            p50, p95 = statistics.median(values) * 1000, percentile(values, 0.95) * 1000
            print(f"{name:<34} {p50:>8.0f} {p95:>8.0f} {max(values) * 1000:>8.0f}")
        print(f"\nratio evidence p95 / ping p95: {percentile(evidence, 0.95) / percentile(pings, 0.95):.1f}x")
    finally:
        if proc is not None:
            os.killpg(proc.pid, signal.SIGINT)
            proc.wait(60)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
