"""The scale-out benchmark's report: latency tables, metrics scraped from the workers, the machine,
and the section written to docs/benchmarks.md. Part of benchmarks/scaleout.py."""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import re
import sys
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))  # its sibling modules (a site package is called benchmarks)

import httpx  # noqa: E402
from scaleout_phases import Phase  # noqa: E402


def latency_table(
    samples: list[tuple[str, int, float]], seconds: float, label: str
) -> tuple[str, float, float]:
    """A markdown table of p50/p95/p99 by path and overall; returns (table, overall p95 ms, req/s)."""
    by_path: dict[str, list[float]] = defaultdict(list)
    for path, status, secs in samples:
        if status == 200:
            by_path[path].append(secs)
    everything = [secs for values in by_path.values() for secs in values]
    rows = [
        [
            path,
            str(len(v)),
            f"{percentile(v, 0.5) * 1000:.0f}",
            f"{percentile(v, 0.95) * 1000:.0f}",
            f"{percentile(v, 0.99) * 1000:.0f}",
        ]
        for path, v in sorted(by_path.items())
    ]
    p95 = percentile(everything, 0.95) * 1000
    rows.append(
        [
            "**all**",
            str(len(everything)),
            f"{percentile(everything, 0.5) * 1000:.0f}",
            f"**{p95:.0f}**",
            f"{percentile(everything, 0.99) * 1000:.0f}",
        ]
    )
    header = [f"GET through nginx, {label}", "requests", "p50 ms", "p95 ms", "p99 ms"]
    return table(rows, header), p95, len(samples) / seconds


SECTION = "## Scale-out (`benchmarks/scaleout.py`)"


def write_docs_section(path: Path, section: str) -> None:
    """Append this run's section; an earlier run's section (this script's own) is replaced, nothing else
    in the file is touched."""
    text = path.read_text()
    start = text.find("\n" + SECTION + "\n")
    if start == -1:
        path.write_text(text.rstrip("\n") + "\n" + section)
        return
    end = text.find("\n## ", start + 1)
    rest = text[end:] if end != -1 else ""
    path.write_text(text[:start].rstrip("\n") + "\n" + section + rest)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


# --- reporting --------------------------------------------------------------------------------------
def scrape(port: int) -> dict[str, float]:
    """A Prometheus text page, summed by metric name + selected labels."""
    try:
        body = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    except httpx.HTTPError:
        return {}
    values: dict[str, float] = defaultdict(float)
    for line in body.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name_labels, _, value = line.rpartition(" ")
        name = name_labels.split("{", 1)[0]
        task = re.search(r'task="([^"]+)"', name_labels)
        outcome = re.search(r'outcome="([^"]+)"', name_labels)
        key = name + (f"[{task.group(1)}]" if task else "") + (f"[{outcome.group(1)}]" if outcome else "")
        with contextlib.suppress(ValueError):
            values[key] += float(value)
    return dict(values)


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, {platform.system()} {platform.release()}"


def table(rows: list[list[str]], header: list[str]) -> str:
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|",
    ]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def cpu_summary(phase: Phase) -> str:
    groups: dict[str, float] = defaultdict(float)
    for name, secs in phase.cpu.items():
        key = re.sub(r"\d+$", "", name.removeprefix("killed-"))
        groups[key] += secs
    order = sorted(groups.items(), key=lambda kv: -kv[1])
    return ", ".join(f"{k} {v:.0f}" for k, v in order if v >= 1)


def docs_section(args: argparse.Namespace, parts: dict[str, str]) -> str:
    """The section `--write-docs` puts into docs/benchmarks.md: the setup, then the run's tables and notes."""
    return f"""
## Scale-out (`benchmarks/scaleout.py`)

The docker-compose topology as separate local processes, every command read from `docker-compose.yml`:
PostgreSQL 15, redis-server (AOF), a Chroma server, the migration job, two gateways behind nginx (config
generated from `nginx/nginx.conf`), ocr workers (`--concurrency 1`, `SMARTNOTES_OCR_PARALLEL_PAGES=1`,
`OMP_THREAD_LIMIT=1`: one core each), one ai and one generation worker, and celery beat. Decks are generated:
text-layer PDFs of {args.pages} pages with a chart on every third page. Uploads go through nginx, all at
once. "CPU seconds by process" adds up each component's processes; "not this run" is what the machine
spent on other processes meanwhile (it is shared; each phase first waits for it to be quiet).

    .venv/bin/python benchmarks/scaleout.py --write-docs

Run of {datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")} on {machine()}; the PostgreSQL cluster runs
with fsync off (a throwaway). Everything shares these {os.cpu_count()} cores: workers, gateways, stores,
nginx and the load generator.

{parts["targets"]}

{parts["throughput"]}

{parts["scaling"]}

Phase L: the same ingestion while {args.clients} clients read metadata through nginx, first
{args.read_seconds:.0f} s at the app's pace, then {args.read_seconds:.0f} s four times faster:

{parts["latency"]}

{parts["stress_table"]}

{parts["extras"]}

{parts["kill_table"]}

{parts["recovery"]}
"""
