"""LibreOffice on hostile decks, for real: a PPTX whose pictures are linked (TargetMode="External") to
another user's file (file://) and to an internal HTTP service (http://127.0.0.1:<port>) this test runs.
After conversion the server saw no request, the rendered slide does not show the linked picture, and
the private temp dir is gone. The sandbox itself (user, network, memory, timeout) is checked with a
stand-in converter script run exactly as LibreOffice is."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image

from shared import office
from shared.errors import AppError
from shared.files import LocalFileStore
from tests.support.bombs import linked_picture_pptx
from tests.support.services import free_port
from workers.ocr.ports import OcrEngine, OcrResult
from workers.ocr.readers import ReadOptions, read_pptx

SECRET = (255, 0, 255)  # magenta: the internal service's answer
FILE_SECRET = (255, 140, 0)  # orange: another user's slide, read through file://
OWN = (0, 90, 255)  # the deck's own embedded picture
SOFFICE = office.find_soffice()


def _png(colour: tuple[int, int, int]) -> bytes:
    import io

    buf = io.BytesIO()
    Image.new("RGB", (300, 300), colour).save(buf, format="PNG")
    return buf.getvalue()


class Recorder:
    def __init__(self) -> None:
        self.paths: list[str] = []


@pytest.fixture()
def internal_service() -> Iterator[tuple[str, Recorder]]:
    """An HTTP server on 127.0.0.1 standing for an internal service; it records every request."""
    recorder = Recorder()
    body = _png(SECRET)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            recorder.paths.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}", recorder
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture()
def shared_tmp() -> Iterator[Path]:
    """A dir under the system temp dir that other users can traverse (pytest's own tmp is 0700), for
    the converter's private dirs and the stand-in script."""
    path = Path(tempfile.mkdtemp(prefix="smartnotes-test-office-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture()
def attack_deck(tmp_path: Path, internal_service: tuple[str, Recorder], shared_tmp: Path) -> Path:
    # Another user's slide thumbnail, world-readable as the file store leaves it.
    secret = shared_tmp / "data" / "uploads" / "2" / "7" / "pages" / "0001.jpg"
    secret.parent.mkdir(parents=True)
    for p in secret.parents:
        if p == shared_tmp:
            break
        p.chmod(0o755)
    Image.new("RGB", (300, 300), FILE_SECRET).save(secret, format="JPEG", quality=95)
    secret.chmod(0o644)
    url, _ = internal_service
    return linked_picture_pptx(
        tmp_path / "attack.pptx", [secret.as_uri(), f"{url}/internal/secret.png"], embedded_colour=OWN
    )


def _colours(pdf: Path) -> list[set[tuple[int, int, int]]]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        out = []
        for i in range(len(doc)):
            img = doc[i].render(scale=0.5).to_pil().convert("RGB")
            out.append(_near(img))
        return out
    finally:
        doc.close()


def _near(img: Image.Image) -> set[tuple[int, int, int]]:
    """Which of the test's colours (SECRET, FILE_SECRET, OWN) the image shows."""
    found = set()
    for _count, (r, g, b) in img.getcolors(maxcolors=1 << 20) or []:
        for ref in (SECRET, FILE_SECRET, OWN):
            if abs(r - ref[0]) + abs(g - ref[1]) + abs(b - ref[2]) < 60:
                found.add(ref)
    return found


def test_the_attack_deck_is_real_unsandboxed_libreoffice_follows_its_links(
    tmp_path: Path, attack_deck: Path, internal_service: tuple[str, Recorder]
) -> None:
    """The control: plain LibreOffice, as the workers ran it before, reads both linked pictures."""
    assert SOFFICE, "LibreOffice is not installed: run `make setup`"
    out = tmp_path / "plain"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(out), str(attack_deck)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    _, recorder = internal_service
    assert "/internal/secret.png" in recorder.paths
    assert {SECRET, FILE_SECRET, OWN} <= _colours(out / "attack.pdf")[0]


def test_conversion_removes_links_runs_offline_and_leaves_nothing_behind(
    tmp_path: Path, attack_deck: Path, internal_service: tuple[str, Recorder], shared_tmp: Path
) -> None:
    work_root = shared_tmp / "work"
    work_root.mkdir(mode=0o755)
    pdf = office.convert(
        attack_deck,
        "pdf",
        out_dir=tmp_path / "out",
        options=office.OfficeOptions(timeout=180),
        work_root=work_root,
    )
    colours = _colours(pdf)[0]
    assert OWN in colours  # the slide did render, with its own picture
    assert SECRET not in colours and FILE_SECRET not in colours  # and without the linked ones
    _, recorder = internal_service
    assert recorder.paths == []
    assert list(work_root.iterdir()) == []  # the private dir (file, profile, output) is gone


class NoOcr(OcrEngine):
    def read(self, image: Image.Image, *, languages: str, sparse: bool = False) -> OcrResult:
        return OcrResult(text="", confidence=0.0, words=0)

    def available_languages(self) -> set[str]:
        return {"eng"}


def test_reading_the_deck_shows_no_linked_picture_in_thumbnail_or_figures(
    tmp_path: Path, attack_deck: Path, internal_service: tuple[str, Recorder]
) -> None:
    """The worker's whole PPTX path: python-pptx for text and figures, LibreOffice for thumbnails."""
    store = LocalFileStore(tmp_path / "store")
    opts = ReadOptions(store=store, prefix="uploads/1/9", languages="eng", layout=None, ocr=NoOcr())
    pages = list(read_pptx(attack_deck, opts))
    assert len(pages) == 1 and pages[0].thumbnail_key
    with Image.open(store.path(pages[0].thumbnail_key)) as thumb:
        colours = _near(thumb.convert("RGB"))
    assert OWN in colours and SECRET not in colours and FILE_SECRET not in colours
    for figure in pages[0].figures:  # only the embedded picture can be a figure
        with Image.open(store.path(figure.image_key)) as img:
            assert _near(img.convert("RGB")) == {OWN}
    _, recorder = internal_service
    assert recorder.paths == []


# --- the sandbox, with a stand-in converter ----------------------------------------------------------------
PROBE = """#!/usr/bin/python3
import json, os, socket, sys, subprocess, time
args = sys.argv[1:]
out_dir = args[args.index("--outdir") + 1]
source = args[-1]
report = {"uid": os.getuid(), "argv": args}
try:
    socket.create_connection(("127.0.0.1", int(os.environ.get("PROBE_PORT", "%(port)d"))), timeout=3).close()
    report["network"] = "connected"
except OSError as exc:
    report["network"] = type(exc).__name__
report["files"] = {}
for path in %(files)s:
    try:
        open(path, "rb").read()
        report["files"][path] = "read"
    except OSError as exc:
        report["files"][path] = type(exc).__name__
report["source_dir"] = sorted(os.listdir(os.path.dirname(source)))
report["home"] = os.environ.get("HOME")
mode = "%(mode)s"
if mode == "hang":
    subprocess.Popen(["sleep", "%(marker)s"])
    time.sleep(600)
if mode == "hog":
    block = bytearray(1024 * 1024 * 1024)
name = os.path.splitext(os.path.basename(source))[0] + ".pdf"
with open(os.path.join(out_dir, name), "w") as fh:
    json.dump(report, fh)
"""


def _probe(shared_tmp: Path, *, port: int, files: list[Path], mode: str = "", marker: str = "0") -> str:
    script = shared_tmp / f"probe-{mode or 'report'}"
    names = json.dumps([str(f) for f in files])
    script.write_text(PROBE % {"port": port, "files": names, "mode": mode, "marker": marker})
    script.chmod(0o755)
    return str(script)


@pytest.fixture()
def root_only_secret(tmp_path: Path) -> Path:
    secret = tmp_path / "private" / "secret.txt"
    secret.parent.mkdir(mode=0o700)
    secret.write_text("another user's notes")
    return secret


def test_the_converter_runs_as_nobody_without_network_in_its_own_dir(
    tmp_path: Path, shared_tmp: Path, internal_service: tuple[str, Recorder], root_only_secret: Path
) -> None:
    assert os.geteuid() == 0, "the integration tests run as root (as the workers do in the probe)"
    url, recorder = internal_service
    port = int(url.rsplit(":", 1)[1])
    # A data dir as the product leaves it: world-readable uploads of another user. It is hidden.
    data = shared_tmp / "data"
    upload = data / "uploads" / "2" / "7" / "original.pptx"
    upload.parent.mkdir(parents=True)
    upload.write_text("another user's deck")
    for p in (upload, *upload.parents):
        if p == shared_tmp:
            break
        p.chmod(0o755 if p.is_dir() else 0o644)
    elsewhere = shared_tmp / "readable.txt"  # the control: world-readable and not hidden
    elsewhere.write_text("public")
    elsewhere.chmod(0o644)
    deck = tmp_path / "deck.ppt"
    deck.write_bytes(b"\xd0\xcf\x11\xe0 not really a deck")
    work_root = shared_tmp / "work"
    work_root.mkdir(mode=0o755)
    binary = _probe(shared_tmp, port=port, files=[root_only_secret, upload, elsewhere])
    options = office.OfficeOptions(hidden=(str(data),))
    result = office.convert(
        deck, "pdf", out_dir=tmp_path / "out", options=options, work_root=work_root, binary=binary
    )
    report = json.loads(result.read_text())
    assert report["uid"] == pwd.getpwnam("nobody").pw_uid
    assert report["network"] != "connected" and recorder.paths == []
    assert report["files"] == {
        str(root_only_secret): "PermissionError",
        str(upload): "PermissionError",
        str(elsewhere): "read",
    }
    assert upload.read_text() == "another user's deck"  # hidden only inside the sandbox
    assert report["source_dir"] == ["input.ppt", "out", "profile", "tmp"]  # only its own file
    assert any(a.startswith("-env:UserInstallation=file://") for a in report["argv"])
    assert list(work_root.iterdir()) == []


def test_a_hanging_converter_is_killed_with_its_children(
    tmp_path: Path, shared_tmp: Path, root_only_secret: Path
) -> None:
    marker = f"{os.getpid() % 1000 + 1000}.{time.monotonic_ns() % 100000}"
    binary = _probe(shared_tmp, port=1, files=[root_only_secret], mode="hang", marker=marker)
    deck = tmp_path / "deck.ppt"
    deck.write_bytes(b"x")
    work_root = shared_tmp / "work"
    work_root.mkdir(mode=0o755)
    started = time.monotonic()
    with pytest.raises(AppError) as err:
        office.convert(
            deck,
            "pdf",
            out_dir=tmp_path / "out",
            options=office.OfficeOptions(timeout=3),
            work_root=work_root,
            binary=binary,
        )
    assert err.value.code == "CONVERSION_FAILED" and "3 s" in err.value.message
    assert time.monotonic() - started < 30
    time.sleep(0.5)
    survivors = [
        p.name for p in Path("/proc").iterdir() if p.name.isdigit() and marker.encode() in _cmdline(p)
    ]
    assert survivors == [], "the converter's child outlived the timeout"
    assert list(work_root.iterdir()) == []


def _cmdline(proc: Path) -> bytes:
    try:
        return (proc / "cmdline").read_bytes()
    except OSError:
        return b""


def test_a_converter_over_its_memory_limit_fails_cleanly(
    tmp_path: Path, shared_tmp: Path, root_only_secret: Path
) -> None:
    binary = _probe(shared_tmp, port=1, files=[root_only_secret], mode="hog")
    deck = tmp_path / "deck.ppt"
    deck.write_bytes(b"x")
    work_root = shared_tmp / "work"
    work_root.mkdir(mode=0o755)
    with pytest.raises(AppError) as err:
        office.convert(
            deck,
            "pdf",
            out_dir=tmp_path / "out",
            options=office.OfficeOptions(memory_mb=300),
            work_root=work_root,
            binary=binary,
        )
    assert err.value.code == "CONVERSION_FAILED"
    assert list(work_root.iterdir()) == []
    # the same script with room enough succeeds: it was the limit
    ok = office.convert(
        deck,
        "pdf",
        out_dir=tmp_path / "out",
        options=office.OfficeOptions(memory_mb=2048),
        work_root=work_root,
        binary=binary,
    )
    assert json.loads(ok.read_text())["uid"] == pwd.getpwnam("nobody").pw_uid
