"""`make run` really starts the whole stack, the CLI drives it per the contract, and Ctrl-C stops it all."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support.factories import make_pdf
from tests.support.services import free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]


def _port_open(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_make_run_starts_everything_and_the_cli_ingests(tmp_path: Path) -> None:
    api_port, ui_port, redis_port = free_port(), free_port(), free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SMARTNOTES_", "MAKE", "MFLAGS", "DATABASE_URL"))
    }
    env.update(
        SMARTNOTES_API_PORT=str(api_port),
        SMARTNOTES_FRONTEND_PORT=str(ui_port),
        SMARTNOTES_REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        SMARTNOTES_DATA_DIR=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        SMARTNOTES_MAINTENANCE_INTERVAL_SECONDS="5",  # beat sends the cleanup every 5 s
    )
    log = (tmp_path / "run.log").open("wb")
    proc = subprocess.Popen(
        ["make", "run"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    api = f"http://127.0.0.1:{api_port}"
    try:
        wait_for(lambda: httpx.get(f"{api}/ready", timeout=2).status_code == 200, 240, "gateway /ready")
        wait_for(
            lambda: httpx.get(f"http://127.0.0.1:{ui_port}/_stcore/health", timeout=2).text == "ok",
            120,
            "streamlit",
        )
        assert (tmp_path / "data" / "smartnotes.db").is_file()  # embedded default: SQLite in data/

        def cli(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [sys.executable, "-m", "smartnotes_tools.cli", "--api", api, *args],
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
                cwd=ROOT,
            )

        r = cli("register", "--email", "student@example.com", "--password", "a good password")
        assert r.returncode == 0, r.stderr
        deck = make_pdf(
            tmp_path / "some.pdf",
            ["Cells\nThe unit of life", "Mitosis\nOne cell becomes two", "Meiosis\nFour haploid cells"],
        )
        r = cli("ingest", str(deck), "--subject", "Demo", "--wait", "--json")
        assert r.returncode == 0, r.stderr
        out = json.loads(r.stdout)
        [lecture] = out["lectures"]
        assert lecture["file"] == "some.pdf" and lecture["status"] == "done" and lecture["pages"] == 3
        assert lecture["error"] is None and lecture["seconds"] > 0
        assert set(lecture) == {"id", "file", "status", "pages", "figures", "chunks", "seconds", "error"}

        r = cli("subjects", "list", "--json")
        assert [s["name"] for s in json.loads(r.stdout)["subjects"]] == ["Demo"]
        bad = tmp_path / "fake.pdf"
        bad.write_text("not a pdf at all")
        r = cli("ingest", str(bad), "--subject", "Demo", "--json")
        assert r.returncode == 1
        assert json.loads(r.stdout)["lectures"][0]["error"]["code"] == "UNSUPPORTED_FORMAT"
        assert "UNSUPPORTED_FORMAT" in r.stderr
        r = cli("search", "haploid cells", "--subject", "Demo", "--json")
        assert r.returncode == 0, r.stderr
        [top, *_] = json.loads(r.stdout)["hits"]
        assert set(top) == {"lecture", "file", "page", "score", "text", "figure_ids"}
        assert top["page"] == 3 and top["file"] == "some.pdf"
        r = cli("ask", "What does mitosis make of one cell?", "--subject", "Demo", "--json")
        assert r.returncode == 0, r.stderr
        answer = json.loads(r.stdout)
        assert set(answer) == {"answer", "citations", "seconds_to_first_token"}
        assert [c["page"] for c in answer["citations"]] == [2]
        assert set(answer["citations"][0]) == {"lecture", "file", "page", "quote"}
        r = cli("generate", "quiz", "--subject", "Nope", "-o", str(tmp_path / "q.pdf"), "--json")
        assert r.returncode != 0 and r.stdout == ""

        # celery beat runs too: the generation worker has run the periodic maintenance task
        wait_for(
            lambda: "maintenance done" in (tmp_path / "run.log").read_text(errors="replace"),
            90,
            "maintenance.cleanup sent by beat",
        )
        assert (tmp_path / "data" / "celerybeat-schedule").exists() or list(
            (tmp_path / "data").glob("celerybeat-schedule*")
        )
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise AssertionError(
                "make run did not stop on Ctrl-C:\n" + (tmp_path / "run.log").read_text()[-3000:]
            )
        log.close()
    # Everything it started is gone: the ports are free again.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_port_open(p) for p in (api_port, ui_port, redis_port)):
        time.sleep(0.5)
    assert not any(_port_open(p) for p in (api_port, ui_port, redis_port)), (
        tmp_path / "run.log"
    ).read_text()[-3000:]
    # and no process of this run is left (beat and the workers listen on no port)
    data_dir = str(tmp_path / "data")
    left = [cmd for cmd in _cmdlines() if data_dir in cmd]
    assert not left, left


def _cmdlines() -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                found.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
            except OSError:
                continue
    return found
