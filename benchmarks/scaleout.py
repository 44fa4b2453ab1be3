"""Scale-out proof: the docker-compose topology as separate local processes, measured.

    .venv/bin/python benchmarks/scaleout.py [--decks 40] [--pages 30] [--clients 50] [--write-docs]

Starts, on 127.0.0.0/8 only, in a temporary directory and on free ports: a throwaway PostgreSQL 15 cluster,
redis-server, a Chroma server (`chroma run`), the migration job, two gateways (uvicorn) behind nginx (a
config generated from nginx/nginx.conf), ocr workers, one ai and one generation worker, and celery beat.
Every command is the one docker-compose.yml gives its service (read from the file; only the host, port and
node name differ), with the compose environment: PostgreSQL, Redis and Chroma URLs, production settings,
a 64-character secret key, and a shared data dir. Rate limits are raised so that 40 uploads at once pass.

Phases (decks are generated: N text-layer PDFs of P pages, text and a chart on every third page):
  A  1 ocr worker: upload N decks at once through nginx; jobs per minute until all are done.
  B  2 ocr workers: the same on a fresh subject; jobs per minute and the ratio B / A.
  L  2 ocr workers, N more decks, while 50 clients read metadata through nginx (GET /subjects,
     /lectures, /jobs/{id}): 60 s at the app's pace (one request a second each, as frontend/jobs.py
     polls), then 60 s four times faster; p50 / p95 / p99 latency.
  C  10 decks; one ocr worker is SIGKILLed (its whole process group) mid-task and a replacement started;
     every lecture must end `done` exactly once, with exactly its pages, chunks, figures and vectors.
Each ocr worker keeps to one core: --concurrency 1 (compose), SMARTNOTES_OCR_PARALLEL_PAGES=1,
OMP_THREAD_LIMIT=1. Redelivery after the kill needs the broker's visibility timeout to pass: this run sets
SMARTNOTES_BROKER_VISIBILITY_TIMEOUT=60 (see docs/deploy.md). Everything started is stopped at the end,
also on error or Ctrl-C. --write-docs appends the results to docs/benchmarks.md (replacing the section an
earlier run of this script wrote there). The workers run at compose's lower CPU weight (`cpu_shares: 256`):
each process here is its own session, hence its own scheduler autogroup, whose nice value sets its weight.
This machine may be shared: before each phase the run waits for other processes to leave the CPU alone,
and repeats a phase they disturbed (--max-foreign, --retries); the report shows how much they took.
"""

from __future__ import annotations

import argparse
import json
import re
import secrets
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))  # its sibling modules (a site package is called benchmarks)

from scaleout_load import Auth, EventLog, api_client, make_charts, make_deck, run_readers  # noqa: E402
from scaleout_phases import ingest_phase, kill_phase, measured_phase  # noqa: E402
from scaleout_report import (  # noqa: E402
    cpu_summary,
    docs_section,
    latency_table,
    scrape,
    table,
    write_docs_section,
)
from scaleout_stack import HOST, NGINX_BIN, Stack, say  # noqa: E402
from sqlalchemy import create_engine, select  # noqa: E402

from shared.models import Lecture  # noqa: E402
from smartnotes_tools.launcher import worker_command  # noqa: E402


# --- main -------------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--decks", type=int, default=40)
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--kill-decks", type=int, default=10)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--read-seconds", type=float, default=60.0, help="how long the readers run")
    parser.add_argument(
        "--app-pause", type=float, default=1.0, help="the app's pause between requests (POLL_SECONDS)"
    )
    parser.add_argument("--think", type=float, default=0.25, help="the faster readers' mean pause")
    parser.add_argument("--visibility-timeout", type=int, default=60)
    parser.add_argument("--phase-timeout", type=float, default=1500.0)
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=600.0,
        help="before each phase, wait up to this long for other processes to leave the CPU alone",
    )
    parser.add_argument(
        "--no-cpu-shares",
        action="store_true",
        help="run the workers at the same CPU weight as the rest (ignore compose's cpu_shares)",
    )
    parser.add_argument(
        "--max-foreign",
        type=float,
        default=0.25,
        help="repeat a phase when other processes took more than this many cores during it",
    )
    parser.add_argument("--retries", type=int, default=2, help="how often a phase may be repeated")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (logs) afterwards")
    parser.add_argument("--write-docs", action="store_true", help="append the results to docs/benchmarks.md")
    args = parser.parse_args()
    for binary in (NGINX_BIN, "redis-server"):
        if not shutil.which(binary):
            raise SystemExit(f"{binary} is not installed")

    workdir = Path(tempfile.mkdtemp(prefix="smartnotes-scaleout-"))
    stack = Stack(workdir, args)
    events: EventLog | None = None
    ok = False
    try:
        say(f"work dir {workdir}; generating {args.decks} decks of {args.pages} pages")
        charts = make_charts(workdir / "charts")
        (workdir / "decks").mkdir()
        decks = [
            make_deck(workdir / "decks" / f"deck{i:03d}.pdf", i, args.pages, charts)
            for i in range(3 * args.decks)
        ]
        warm = [make_deck(workdir / "decks" / f"warm{i}.pdf", 1000 + i, 3, charts) for i in range(4)]

        stack.start_stores()
        stack.migrate()
        gateway_ports = stack.start_gateways(2)
        base = stack.start_nginx(gateway_ports)
        say(f"nginx {base} -> gateways {gateway_ports}")
        ocr1 = stack.start_worker("ocr", "ocr1")
        ai = stack.start_worker("ai", "ai1")
        gen = stack.start_worker("generation", "generation1")
        beat = stack.start_beat()
        stack.wait_workers([ocr1.node, ai.node, gen.node])
        launcher_ocr = worker_command("ocr", node="x")[3:]
        compose_ocr = stack.set_option(stack.compose_command("worker-ocr"), "-n", "x")[1:]
        same_as_launcher = sorted(launcher_ocr) == sorted(compose_ocr)

        email, password = f"scaleout-{secrets.token_hex(4)}@example.com", "scale-out benchmark password"
        with api_client(base) as client:
            client.post("/auth/register", json={"email": email, "password": password}).raise_for_status()
        auth = Auth(base, email, password)
        token = auth()
        engine = create_engine(stack.env["DATABASE_URL"], pool_pre_ping=True)
        with api_client(base, token) as client:
            user_id = int(client.get("/auth/me").json()["id"])
        events = EventLog(stack.env["REDIS_URL"], user_id)

        say("warm-up: models load in each worker on its first task")
        ingest_phase("warm-up", stack, base, auth, engine, events, warm[:2], 3, 1)

        decks_a, decks_b, decks_l = (
            decks[: args.decks],
            decks[args.decks : 2 * args.decks],
            decks[2 * args.decks :],
        )
        say(f"phase A: 1 ocr worker, {args.decks} decks")
        phase_a, accepted_a, _ = measured_phase(
            "A", stack, base, auth, engine, events, decks_a, args.pages, 1
        )

        ocr2 = stack.start_worker("ocr", "ocr2")
        stack.wait_workers([ocr2.node])
        ingest_phase("warm-up 2", stack, base, auth, engine, events, warm[2:], 3, 2)
        say(f"phase B: 2 ocr workers, {args.decks} decks")
        phase_b, _, _ = measured_phase("B", stack, base, auth, engine, events, decks_b, args.pages, 2)

        say(
            f"phase L: 2 ocr workers, {args.decks} decks, "
            f"{args.clients} clients reading for {args.read_seconds:.0f} s"
        )

        def readers(subject_id: int, job_ids: list[str]) -> tuple[threading.Thread, dict[str, Any]]:
            reads: dict[str, Any] = {}

            def run() -> None:
                # First at the app's own pace (it polls once a second while a job runs), then faster.
                for key, pause in (("app", args.app_pause), ("stress", args.think)):
                    reads[key] = run_readers(
                        base, auth(), subject_id, job_ids, args.clients, args.read_seconds, pause
                    )

            thread = threading.Thread(target=run, name="readers")
            thread.start()
            return thread, reads

        phase_l, _, (reader_thread, reads) = measured_phase(
            "L", stack, base, auth, engine, events, decks_l, args.pages, 2, during=readers
        )
        reader_thread.join(2 * args.read_seconds + 240)
        samples: list[tuple[str, int, float]] = reads.get("app", [])
        stress: list[tuple[str, int, float]] = reads.get("stress", [])

        # Reference counts: the same files, processed without interruption in phase A.
        with engine.connect() as conn:
            rows = conn.execute(
                select(Lecture.filename, Lecture.page_count, Lecture.chunk_count, Lecture.figure_count).where(
                    Lecture.id.in_([a["lecture"]["id"] for a in accepted_a])
                )
            ).all()
        reference = {
            r.filename: {"pages": r.page_count, "chunks": r.chunk_count, "figures": r.figure_count}
            for r in rows
        }

        say(f"phase C: {args.kill_decks} decks, SIGKILL ocr1 mid-task, start ocr3")
        kill = kill_phase(
            stack, base, auth, engine, events, decks_a[: args.kill_decks], ocr1, "ocr3", reference
        )

        all_done = Counter(e["job_id"] for _, e in events.events if e.get("status") == "done")
        duplicated_done = [j for j, n in all_done.items() if n > 1]
        time.sleep(2)
        worker_metrics = {name: scrape(port) for name, port in stack.metrics_ports.items() if name != "ocr1"}
        pages_metric = sum(
            m.get("smartnotes_worker_pages_processed_total", 0.0) for m in worker_metrics.values()
        )
        cleanup_runs = worker_metrics.get("generation1", {}).get(
            "smartnotes_worker_task_duration_seconds_count[maintenance.cleanup][success]", 0.0
        )
        health = {
            "worker-ocr": stack.healthcheck("worker-ocr", ocr2.node),
            "worker-ai": stack.healthcheck("worker-ai", ai.node),
            "worker-generation": stack.healthcheck("worker-generation", gen.node),
            "beat": stack.healthcheck("beat", f"beat@{HOST}") and beat.alive(),
        }
        upstreams = Counter(
            addr
            for m in re.finditer(r"upstream=(.*?) urt=", (workdir / "nginx" / "access.log").read_text())
            for addr in m.group(1).replace(" : ", ", ").split(", ")
            if addr not in ("-", "")
        )

        # ---- report ---------------------------------------------------------------------------------
        ratio = phase_b.jobs_per_minute / phase_a.jobs_per_minute if phase_a.jobs_per_minute else 0.0
        ocr_ratio = (
            phase_b.ocr_jobs_per_minute / phase_a.ocr_jobs_per_minute if phase_a.ocr_jobs_per_minute else 0.0
        )
        latency, p95, app_rate = latency_table(
            samples, args.read_seconds, f"at the app's pace ({args.app_pause} s)"
        )
        stress_table, stress_p95, stress_rate = latency_table(
            stress, args.read_seconds, f"4x faster ({args.think} s)"
        )
        failures = sum(1 for s in samples + stress if s[1] != 200)
        throughput_rows = [
            [
                f"{p.name}: {p.ocr_workers} ocr worker{'s' if p.ocr_workers > 1 else ''}"
                + (" + readers" if p.name == "L" else ""),
                f"{p.decks} x {p.pages}",
                f"{p.upload_seconds:.1f}",
                f"{p.e2e_seconds:.1f}",
                f"**{p.jobs_per_minute:.1f}**",
                f"{p.ocr_jobs_per_minute:.1f}",
                f"{p.decks * p.pages / p.e2e_seconds:.1f}" if p.e2e_seconds else "-",
                f"{p.busy:.0%}",
                f"{p.foreign_cores:.2f}" + (f" (try {p.attempt})" if p.attempt > 1 else ""),
                cpu_summary(p),
            ]
            for p in (phase_a, phase_b, phase_l)
        ]
        throughput = table(
            throughput_rows,
            [
                "phase",
                "decks x pages",
                "upload s",
                "all done s",
                "jobs/min",
                "OCR-stage jobs/min",
                "pages/s",
                "CPU busy",
                "other load, cores",
                "CPU seconds by process",
            ],
        )
        d = kill["details"]
        checks = kill["checks"]
        kill_rows = [[name, "yes" if passed else "**NO**"] for name, passed in checks.items()]
        kill_rows.append(
            ["no job announced `done` twice in the whole run", "yes" if not duplicated_done else "**NO**"]
        )
        kill_table = table(kill_rows, ["check after SIGKILL (phase C)", "passed"])
        targets = table(
            [
                [
                    "jobs/min, 2 ocr workers vs 1 (end to end)",
                    ">= 1.6x",
                    f"{ratio:.2f}x",
                    "yes" if ratio >= 1.6 else "no",
                ],
                ["jobs/min, 2 vs 1, OCR stage only", "-", f"{ocr_ratio:.2f}x", "-"],
                [
                    f"metadata read p95, {args.clients} clients at the app's pace, while ingesting",
                    "< 150 ms",
                    f"{p95:.0f} ms ({app_rate:.0f} req/s)",
                    "yes" if p95 < 150 else "no",
                ],
                [
                    f"the same, {args.clients} clients 4x faster",
                    "-",
                    f"{stress_p95:.0f} ms ({stress_rate:.0f} req/s)",
                    "-",
                ],
                [
                    "SIGKILL of an ocr worker loses no job, duplicates nothing",
                    "all checks",
                    f"{sum(checks.values())}/{len(checks)}",
                    "yes" if all(checks.values()) and not duplicated_done else "no",
                ],
            ],
            ["target", "wanted", "measured", "met"],
        )
        recovery = (
            f"ocr1 was SIGKILLed (process group, pids {d['killed_pids']}) at `{d['stage_at_kill']}` of job "
            f"{d['killed_job'][:8]}; replacement ocr3 answered ping after {d['replacement_ready_after']} s; "
            f"the job was redelivered after {d['redelivered_after']} s (visibility timeout "
            f"{args.visibility_timeout} s, counted from the delivery; every worker sweeps every 10 s), done "
            f"{d['killed_job_done_after']} s after the kill (attempts {d['attempts']}); all "
            f"{args.kill_decks} jobs done {d['all_done_after_kill']} s after the kill; {d['chunks']} chunks, "
            f"{d['vectors']} vectors."
        )
        cores_a = phase_a.cpu_of("ocr") / phase_a.e2e_seconds if phase_a.e2e_seconds else 0.0
        cores_b = phase_b.cpu_of("ocr") / phase_b.e2e_seconds if phase_b.e2e_seconds else 0.0
        per_deck_a, per_deck_b = phase_a.cpu_of("ocr") / phase_a.decks, phase_b.cpu_of("ocr") / phase_b.decks
        ai_b = phase_b.cpu_of("ai") / phase_b.e2e_seconds if phase_b.e2e_seconds else 0.0
        scaling = (
            f"Where the ratio comes from: the ocr workers obtained {cores_a:.2f} cores in A and "
            f"{cores_b:.2f} in B ({cores_b / cores_a if cores_a else 0:.2f}x), and a deck cost "
            f"{per_deck_a:.1f} ocr CPU seconds in A and {per_deck_b:.1f} in B; in B the ai worker took "
            f"{ai_b:.2f} cores and the machine was {phase_b.busy:.0%} busy."
        )
        extras = (
            f"Readers: {args.clients} clients (threads in 5 processes; each pauses the given time +-50 % "
            f"between requests, cycling GET /subjects, /lectures?subject_id=, /jobs/{{id}}; source addresses "
            f"spread over 127.0.1-8.x so nginx's ip_hash uses both gateways), {args.read_seconds:.0f} s per "
            f"pace, {failures} answers not 200. The app's pace is frontend/jobs.py's POLL_SECONDS (1 s). "
            f"nginx upstreams over the run: "
            + ", ".join(f"{k} {v}" for k, v in sorted(upstreams.items()))
            + f". Worker metrics scraped after the run: {pages_metric:.0f} pages processed by the live "
            f"ocr workers (ocr1's counters died with it), maintenance.cleanup ran {cleanup_runs:.0f} times "
            f"(beat every 60 s). Compose healthchecks run against the local nodes: "
            + ", ".join(f"{k} {'ok' if v else 'FAILED'}" for k, v in health.items())
            + ". The ocr worker command is the one of smartnotes_tools.launcher.worker_command: "
            + ("yes." if same_as_launcher else "no.")
            + (
                " Workers ran without compose's lower CPU weight (--no-cpu-shares)."
                if args.no_cpu_shares
                else " Workers ran at compose's `cpu_shares: 256` (each worker's autogroup at nice 6, "
                "weight 272 of 1024), the gateways, stores and nginx at the default weight."
            )
        )
        parts = {
            "targets": targets,
            "throughput": throughput,
            "scaling": scaling,
            "latency": latency,
            "stress_table": stress_table,
            "kill_table": kill_table,
            "recovery": recovery,
            "extras": extras,
        }
        for part in parts.values():
            print()
            print(part)
        result_json = workdir / "results.json"
        result_json.write_text(
            json.dumps(
                {
                    "phases": [
                        p.__dict__ | {"jobs_per_minute": p.jobs_per_minute}
                        for p in (phase_a, phase_b, phase_l)
                    ],
                    "ratio": ratio,
                    "p95_ms": {"app_pace": p95, "stress": stress_p95},
                    "req_per_s": {"app_pace": app_rate, "stress": stress_rate},
                    "kill": kill,
                    "health": health,
                    "upstreams": upstreams,
                    "worker_metrics": worker_metrics,
                },
                indent=2,
                default=str,
            )
        )
        if args.write_docs:
            section = docs_section(args, parts)
            write_docs_section(ROOT / "docs" / "benchmarks.md", section)
            say("wrote the results to docs/benchmarks.md")
        say(f"details in {result_json}")
        ok = all(checks.values()) and not duplicated_done
        return 0 if ok else 1
    except BaseException:
        for proc in stack.procs:
            if not proc.alive() and proc.name not in ("migrate",) and not proc.name.startswith("killed-"):
                say(f"{proc.name} exited ({proc.popen.returncode}); its log ends:\n{proc.tail(2000)}")
        raise
    finally:
        if events is not None:
            events.close()
        say("stopping everything")
        stack.close()
        if args.keep or not ok:
            say(f"logs kept in {workdir / 'logs'}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
