"""Hostile uploads and requests against a stack it starts: does every defence hold, and what does it cost?

    .venv/bin/python benchmarks/attacks.py [--keep] [--json OUT]

Starts the whole stack as `make run` does (smartnotes_tools.launcher: redis-server, gateway, three
workers, beat off,
Streamlit) on free ports with a temporary data dir, registers two users, then runs each attack of the
security issue, one after the other. Per attack it prints: the HTTP status, the error code (or the job's),
whether the defence held, and the peak memory of each worker (the whole process tree: the Celery main
process, its pool children and any subprocess such as LibreOffice). Last, a normal upload must still end
`done`. Every attack file is made here, on the fly; nothing hostile is kept on disk afterwards.
Exit code 0 only when every defence held, every worker stayed under 1 GB and the last upload was done.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import select
import shutil
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import jwt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))  # its sibling modules (a site package is called benchmarks)

from attack_files import (  # noqa: E402
    HitServer,
    huge_page_pdf,
    linked_picture_pptx,
    png_bomb,
    share_of,
    solid_png,
    tiff_frames,
    zip_of,
)
from attack_stack import MemoryWatch, Stack, User, error_code, new_user, upload, wait_job  # noqa: E402

from shared.settings import DEV_SECRET  # noqa: E402
from tests.support.factories import make_pdf, make_picture_pptx  # noqa: E402

GB = 1024**3


# --- the attacks ----------------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    status: str
    code: str
    held: bool
    seconds: float
    peaks: dict[str, int] = field(default_factory=dict)
    note: str = ""


@dataclass
class Ctx:
    stack: Stack
    watch: MemoryWatch
    victim: User
    attacker: User
    tmp: Path


VICTIM_COLOR = (13, 200, 77)
CANARY_COLOR = (255, 0, 255)


def thumbnails_of(user: User, lecture_id: int) -> list[bytes]:
    """Every page thumbnail of a lecture (the linked picture is on its second slide)."""
    pages = user.client.get(f"/lectures/{lecture_id}/pages", headers=user.headers()).json()
    out = []
    for page in pages:
        resp = user.client.get(
            f"/lectures/{lecture_id}/pages/{page['number']}/thumbnail", headers=user.headers()
        )
        if resp.status_code == 200:
            out.append(resp.content)
    return out


def attack_linked_file(ctx: Ctx) -> tuple[str, str, bool, str]:
    victim_id = ctx.victim.client.get("/auth/me", headers=ctx.victim.headers()).json()["id"]
    pictures = sorted(p for p in (ctx.stack.data_dir / "uploads" / str(victim_id)).rglob("*") if p.is_file())
    images = [p for p in pictures if p.suffix.lower() in (".png", ".jpg", ".jpeg")]
    if not images:
        raise RuntimeError("the victim's upload left no image to link to")
    # the victim's page that shows their picture: a thumbnail the attacker must never see
    target = max(images, key=lambda p: share_of(p.read_bytes(), VICTIM_COLOR))
    deck = linked_picture_pptx(ctx.tmp / "base.pptx", target.resolve().as_uri())
    resp = upload(ctx.attacker, "linked-file.pptx", deck)
    if resp.status_code != 202:
        return str(resp.status_code), error_code(resp), True, "refused at upload"
    job = wait_job(ctx.attacker, resp.json()["job"]["id"])
    thumbnails = thumbnails_of(ctx.attacker, resp.json()["lecture"]["id"])
    if len(thumbnails) < 2:  # nothing to look at is not a pass: the check must see the rendered slide
        return job["status"], job.get("error_code") or "", False, "no thumbnail of the slide to check"
    share = max(share_of(t, VICTIM_COLOR) for t in thumbnails)
    return (
        job["status"],
        job.get("error_code") or "",
        share < 0.05,
        f"victim colour in the attacker's thumbnail: {share:.0%}",
    )


def attack_linked_http(ctx: Ctx) -> tuple[str, str, bool, str]:
    canary = HitServer()
    try:
        deck = linked_picture_pptx(ctx.tmp / "base.pptx", f"http://127.0.0.1:{canary.port}/secret.png")
        resp = upload(ctx.attacker, "linked-http.pptx", deck)
        if resp.status_code != 202:
            return str(resp.status_code), error_code(resp), not canary.hits, "refused at upload"
        job = wait_job(ctx.attacker, resp.json()["job"]["id"])
        return job["status"], job.get("error_code") or "", not canary.hits, f"{len(canary.hits)} requests"
    finally:
        canary.close()


WEBHOOK_TARGETS = [
    "http://127.0.0.1:9/",
    "http://localhost/",
    "http://[::1]/",
    "http://0.0.0.0/",
    "http://2130706433/",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/",
    "http://192.168.1.1/",
    "http://[fd00::1]/",
]


def attack_webhooks(ctx: Ctx) -> tuple[str, str, bool, str]:
    pdf = make_pdf(ctx.tmp / "hook.pdf", ["Webhook test page"], figure=False).read_bytes()
    statuses, codes = [], set()
    for url in WEBHOOK_TARGETS:
        resp = upload(ctx.attacker, "hook.pdf", pdf, webhook_url=url)
        statuses.append(resp.status_code)
        codes.add(error_code(resp))
    held = all(s == 422 for s in statuses) and codes == {"INVALID_WEBHOOK_URL"}
    return (
        ",".join(sorted({str(s) for s in statuses})),
        ",".join(sorted(codes)),
        held,
        f"{len(statuses)} URLs",
    )


def refused(
    expected_status: int, make: Callable[[Ctx], httpx.Response]
) -> Callable[[Ctx], tuple[str, str, bool, str]]:
    def run(ctx: Ctx) -> tuple[str, str, bool, str]:
        resp = make(ctx)
        return str(resp.status_code), error_code(resp), resp.status_code == expected_status, ""

    return run


def attack_past_paper(ctx: Ctx) -> tuple[str, str, bool, str]:
    data = huge_page_pdf(ctx.tmp / "huge.pdf")
    resp = ctx.attacker.client.post(
        f"/subjects/{ctx.attacker.subject_id}/past-papers",
        files={"file": ("huge.pdf", data)},
        headers=ctx.attacker.headers(),
    )
    if resp.status_code != 202:
        return str(resp.status_code), error_code(resp), resp.status_code < 500, "refused at upload"
    job = wait_job(ctx.attacker, resp.json()["job"]["id"])
    return job["status"], job.get("error_code") or "", job["status"] in ("done", "failed"), "memory below"


def attack_zip_zeros(ctx: Ctx) -> httpx.Response:
    base = (ctx.tmp / "base.pptx").read_bytes()
    zeros = b"\0" * (49 * 1024 * 1024)
    return upload(
        ctx.attacker, "zeros.pptx", zip_of(((f"ppt/media/z{i}.bin", zeros) for i in range(20)), base)
    )


def attack_zip_entries(ctx: Ctx) -> httpx.Response:
    base = (ctx.tmp / "base.pptx").read_bytes()
    return upload(ctx.attacker, "entries.pptx", zip_of(((f"x/{i}", b"") for i in range(200_000)), base))


def attack_big_body(ctx: Ctx) -> tuple[str, str, bool, str]:
    """Declare 120 MB with no token, send 1 MB at a time: the answer must come before the body is read."""
    total = 120 * 1024 * 1024
    head = (
        f"POST /api/v1/subjects/1/lectures HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {total}\r\n\r\n"
    ).encode()
    sent, reply = 0, b""
    with socket.create_connection(("127.0.0.1", ctx.stack.api_port), timeout=30) as sock:
        sock.sendall(head)
        chunk = b"A" * (1024 * 1024)
        while sent < total:
            if select.select([sock], [], [], 0)[0]:
                break
            try:
                sock.sendall(chunk)
            except OSError:
                break
            sent += len(chunk)
        with contextlib.suppress(OSError):
            sock.settimeout(5)
            while len(reply) < 16384 and (chunk := sock.recv(4096)):  # headers, then the error body
                reply += chunk
                if b'"error"' in reply and reply.rstrip().endswith(b"}"):
                    break
    status = reply.split(b" ", 2)[1].decode() if reply.startswith(b"HTTP/") else "no reply"
    code = ""
    for known in (b"FILE_TOO_LARGE", b"REQUEST_TOO_LARGE", b"NOT_AUTHENTICATED"):
        if known in reply:
            code = known.decode()
    held = status == "413" and sent < total // 2
    return status, code, held, f"{sent // 2**20} MB sent before the answer"


def attack_many_ids(ctx: Ctx) -> httpx.Response:
    body = {"subject_id": ctx.attacker.subject_id, "query": "x", "lecture_ids": list(range(2_000_000))}
    return ctx.attacker.client.post("/search", json=body, headers=ctx.attacker.headers())


def attack_overflow(ctx: Ctx) -> tuple[str, str, bool, str]:
    a = ctx.attacker
    resps = [
        a.client.get(f"/lectures/{2**64}", headers=a.headers()),
        a.client.get(f"/subjects/{2**63}", headers=a.headers()),
        a.client.post(
            "/documents/1/quiz/attempts", json={"answers": {}, "duration_ms": 10**18}, headers=a.headers()
        ),
        a.client.post("/search", json={"subject_id": 2**70, "query": "x"}, headers=a.headers()),
    ]
    statuses = [r.status_code for r in resps]
    return ",".join(map(str, statuses)), "", all(400 <= s < 500 for s in statuses), ""


def attack_forwarded(ctx: Ctx) -> tuple[str, str, bool, str]:
    client = httpx.Client(base_url=f"{ctx.stack.api}/api/v1", timeout=30)
    last = 0
    for i in range(15):
        headers = {"X-Forwarded-For": f"203.0.113.{i + 1}"}
        resp = client.post(
            "/auth/login", json={"email": f"nobody{i}@example.com", "password": "x"}, headers=headers
        )
        last = resp.status_code
    # the victim can still log in from their own address
    ok = ctx.victim.client.post(
        "/auth/login", json={"email": ctx.victim.email, "password": ctx.victim.password}
    )
    return str(last), error_code(resp), last == 429, f"victim login: {ok.status_code}"


def attack_websocket(ctx: Ctx) -> tuple[str, str, bool, str]:
    from websockets.exceptions import ConnectionClosed, InvalidStatus
    from websockets.sync.client import connect

    ws_url = ctx.stack.api.replace("http", "ws") + "/api/v1/ws"
    user = new_user(ctx.stack.api, f"ws{time.time_ns()}@example.com")
    notes = []
    try:
        with connect(
            f"{ws_url}?token={user.token}", additional_headers={"Origin": "http://evil.example"}
        ) as ws:
            ws.recv(timeout=5)
            notes.append("evil origin accepted")
    except (InvalidStatus, ConnectionClosed, TimeoutError) as exc:
        notes.append(f"evil origin refused ({type(exc).__name__})")
    closed_code = None
    with connect(f"{ws_url}?token={user.token}") as ws:
        ws.recv(timeout=5)
        user.client.post("/auth/logout", headers=user.headers())
        try:
            ws.send(json.dumps({"type": "chat", "subject_id": user.subject_id, "question": "hello?"}))
            for _ in range(5):
                ws.recv(timeout=5)
        except ConnectionClosed as exc:
            closed_code = exc.rcvd.code if exc.rcvd else None
        except TimeoutError:
            pass
    notes.append(f"after logout closed with {closed_code}")
    held = closed_code == 4401 and notes[0].startswith("evil origin refused")
    return str(closed_code), "", held, "; ".join(notes)


def attack_tokens(ctx: Ctx) -> tuple[str, str, bool, str]:
    user_id = ctx.attacker.client.get("/auth/me", headers=ctx.attacker.headers()).json()["id"]
    claims = {"sub": str(user_id), "type": "access"}
    forged_default = jwt.encode(claims, DEV_SECRET, algorithm="HS256")
    # a token with the stack's own key (read from its key file, as only the operator could) but no exp
    key = ctx.stack.data_dir / "secret_key"
    mode = oct(key.stat().st_mode & 0o777) if key.exists() else "missing"
    real = jwt.decode(ctx.attacker.token, options={"verify_signature": False})
    no_exp = {k: v for k, v in real.items() if k != "exp"}
    secret = key.read_text().strip() if key.exists() else DEV_SECRET
    forged_no_exp = jwt.encode(no_exp, secret, algorithm="HS256")
    statuses = [
        ctx.attacker.client.get("/auth/me", headers={"Authorization": f"Bearer {t}"}).status_code
        for t in (forged_default, forged_no_exp)
    ]
    held = statuses == [401, 401] and mode == "0o600"
    return ",".join(map(str, statuses)), "", held, f"data/secret_key mode {mode}"


def attack_normal(ctx: Ctx) -> tuple[str, str, bool, str]:
    pdf = make_pdf(ctx.tmp / "normal.pdf", ["Photosynthesis turns light into chemical energy."]).read_bytes()
    resp = upload(ctx.victim, "normal.pdf", pdf)
    job = wait_job(ctx.victim, resp.json()["job"]["id"])
    return job["status"], job.get("error_code") or "", job["status"] == "done", "the next normal upload"


def upload_attack(name: str, make: Callable[[Ctx], bytes]) -> Callable[[Ctx], tuple[str, str, bool, str]]:
    """An upload refused with a 4xx code, or read to the end (or failed with a code) within the memory
    bound that main() checks for every attack."""

    def run(ctx: Ctx) -> tuple[str, str, bool, str]:
        resp = upload(ctx.attacker, name, make(ctx))
        if resp.status_code != 202:
            return str(resp.status_code), error_code(resp), 400 <= resp.status_code < 500, "refused at upload"
        job = wait_job(ctx.attacker, resp.json()["job"]["id"])
        return (
            job["status"],
            job.get("error_code") or "",
            job["status"] == "done" or (job["status"] == "failed" and bool(job["error_code"])),
            "",
        )

    return run


ATTACKS: list[tuple[str, Callable[[Ctx], tuple[str, str, bool, str]]]] = [
    ("PPTX picture linked to another user's file", attack_linked_file),
    ("PPTX picture linked to http://127.0.0.1", attack_linked_http),
    ("webhook_url to local/private addresses", attack_webhooks),
    ("30000x30000 PNG (109 KB)", upload_attack("bomb.png", lambda _ctx: png_bomb())),
    ("TIFF with four 8900x8900 frames", upload_attack("frames.tiff", lambda _ctx: tiff_frames())),
    ("past paper with a 5000x5000 pt page", attack_past_paper),
    ("PPTX with 20 x 49 MB of zeros", refused(422, attack_zip_zeros)),
    ("PPTX with 200k entries", refused(422, attack_zip_entries)),
    ("120 MB body with no token", attack_big_body),
    ("/search with 2 million lecture_ids", refused(413, attack_many_ids)),
    ("ids above 2^63, duration_ms=1e18", attack_overflow),
    ("WebSocket: foreign Origin; use after logout", attack_websocket),
    ("tokens: default key, no exp; key file", attack_tokens),
    ("X-Forwarded-For changed per login", attack_forwarded),
    ("then a normal upload", attack_normal),
]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary data dir")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="smartnotes-attacks-"))
    stack = Stack(tmp / "data")
    watch = MemoryWatch(stack.roots)
    results: list[Result] = []
    try:
        victim = new_user(stack.api, "victim@example.com")
        attacker = new_user(stack.api, "attacker@example.com")
        picture = tmp / "victim.png"
        picture.write_bytes(solid_png(VICTIM_COLOR))
        make_picture_pptx(tmp / "base.pptx", picture)
        resp = upload(victim, "victim.pptx", (tmp / "base.pptx").read_bytes())
        job = wait_job(victim, resp.json()["job"]["id"])
        if job["status"] != "done":
            raise RuntimeError(f"the victim's own upload did not finish: {job}")
        ctx = Ctx(stack, watch, victim, attacker, tmp)
        for name, attack in ATTACKS:
            watch.reset()
            start = time.perf_counter()
            try:
                status, code, held, note = attack(ctx)
            except Exception as exc:  # an attack that breaks the harness is a failed defence
                status, code, held, note = "error", "", False, repr(exc)[:120]
            time.sleep(0.5)
            results.append(Result(name, status, code, held, time.perf_counter() - start, watch.peaks(), note))
            print_row(results[-1])
    finally:
        watch.stop()
        stack.stop()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in results], indent=1))
    over = [r.name for r in results if any(v >= GB for k, v in r.peaks.items() if k != "gateway")]
    failed = [r.name for r in results if not r.held]
    held = len(results) - len(failed)
    print(f"\n{held} of {len(results)} defences held; workers over 1 GB in: {over or 'none'}")
    return 0 if not failed and not over and results and results[-1].held else 1


def print_row(r: Result) -> None:
    peaks = " ".join(f"{k.removeprefix('worker-')}={v / 2**20:.0f}MB" for k, v in r.peaks.items())
    mark = "held" if r.held else "FAILED"
    print(f"{mark:6} {r.name:45} {r.status:10} {r.code:22} {r.seconds:6.1f}s  {peaks}  {r.note}", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
