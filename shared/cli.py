"""`smartnotes`: the command-line client of the gateway (the contract in ARCHITECTURE.md).

With --json each command prints one JSON document on stdout and nothing else; errors go to stderr
with a non-zero exit (1: the API refused, 3: the gateway cannot be reached, 4: not available yet).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, NoReturn

import httpx
from platformdirs import user_config_dir

DEFAULT_API = "http://127.0.0.1:8000"
TERMINAL = {"done", "failed", "cancelled"}
EXIT_API, EXIT_UNREACHABLE, EXIT_UNAVAILABLE = 1, 3, 4


class CliError(Exception):
    def __init__(self, code: str, message: str, exit_code: int = EXIT_API) -> None:
        super().__init__(message)
        self.code, self.message, self.exit_code = code, message, exit_code


def credentials_path() -> Path:
    return Path(user_config_dir("smartnotes")) / "credentials.json"


def load_credentials() -> dict[str, Any]:
    path = credentials_path()
    if path.is_file():
        try:
            return dict(json.loads(path.read_text()))
        except (OSError, ValueError):
            return {}
    return {}


def save_credentials(data: dict[str, Any]) -> None:
    path = credentials_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.write_text(json.dumps(data, indent=2))


class Api:
    def __init__(self, base: str, timeout: float = 60.0) -> None:
        self.base = base.rstrip("/")
        self.client = httpx.Client(base_url=self.base + "/api/v1", timeout=timeout)
        self.creds = load_credentials()
        self.env_token = os.environ.get("SMARTNOTES_TOKEN")

    def _headers(self) -> dict[str, str]:
        token = self.env_token or self.creds.get("access_token")
        return {"Authorization": f"Bearer {token}"} if token else {}

    def _refresh(self) -> bool:
        refresh = self.creds.get("refresh_token")
        if self.env_token or not refresh:
            return False
        response = self.client.post("/auth/refresh", json={"refresh_token": refresh})
        if response.status_code != 200:
            return False
        self.creds.update(response.json())
        save_credentials(self.creds)
        return True

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = self.client.request(method, path, headers=self._headers(), **kwargs)
            if (
                response.status_code == 401
                and self._error_code(response) == "TOKEN_EXPIRED"
                and self._refresh()
            ):
                for value in kwargs.get("files", {}).values():
                    value[1].seek(0)
                response = self.client.request(method, path, headers=self._headers(), **kwargs)
        except httpx.TransportError as exc:
            raise CliError(
                "GATEWAY_UNREACHABLE",
                f"Cannot reach the gateway at {self.base} ({type(exc).__name__}). "
                "Is `smartnotes up` running?",
                EXIT_UNREACHABLE,
            ) from exc
        if response.status_code >= 400:
            try:
                err = response.json()["error"]
                raise CliError(err["code"], err["message"])
            except (ValueError, KeyError, TypeError):
                raise CliError(f"HTTP_{response.status_code}", response.text[:300]) from None
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    @staticmethod
    def _error_code(response: httpx.Response) -> str | None:
        try:
            return str(response.json()["error"]["code"])
        except (ValueError, KeyError, TypeError):
            return None


# --- output -------------------------------------------------------------------------------------
def emit(args: argparse.Namespace, data: Any, human: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(human)


def fail(error: CliError) -> NoReturn:
    print(f"error: {error.code}: {error.message}", file=sys.stderr)
    raise SystemExit(error.exit_code)


# --- commands -----------------------------------------------------------------------------------
def cmd_up(args: argparse.Namespace) -> int:
    from smartnotes_tools.launcher import main as launch

    return launch()


def cmd_backup(args: argparse.Namespace) -> int:
    """Local: dump the configured database and data dir into one archive (not through the gateway)."""
    from shared.settings import Settings
    from smartnotes_tools.backup import BackupError, backup

    try:
        result = backup(Settings(), Path(args.output))
    except BackupError as exc:
        fail(CliError("BACKUP_FAILED", str(exc)))
    emit(args, result.as_dict(), f"Backup written to {result.archive} ({result.bytes:,} bytes).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Local: put an archive made by `smartnotes backup` back; refuses to overwrite without --force."""
    from shared.settings import Settings
    from smartnotes_tools.backup import BackupError, restore

    try:
        result = restore(Settings(), Path(args.archive), force=args.force)
    except BackupError as exc:
        fail(CliError("RESTORE_REFUSED", str(exc)))
    emit(args, result.as_dict(), f"Restored {result.database} database and {', '.join(result.data_parts)}.")
    return 0


def _login(api: Api, email: str, password: str) -> dict[str, Any]:
    tokens = api.request("POST", "/auth/login", json={"email": email, "password": password})
    api.creds = {**tokens, "email": email, "api": api.base}
    save_credentials(api.creds)
    return {"email": email, "logged_in": True}


def cmd_register(args: argparse.Namespace, api: Api) -> int:
    user = api.request("POST", "/auth/register", json={"email": args.email, "password": args.password})
    _login(api, args.email, args.password)
    emit(args, {"user": user, "logged_in": True}, f"Registered and signed in as {user['email']}.")
    return 0


def cmd_login(args: argparse.Namespace, api: Api) -> int:
    result = _login(api, args.email, args.password)
    emit(args, result, f"Signed in as {args.email}.")
    return 0


def find_subject(api: Api, name: str) -> dict[str, Any] | None:
    for subject in api.request("GET", "/subjects"):
        if subject["name"].lower() == name.strip().lower():
            return dict(subject)
    return None


def cmd_subjects(args: argparse.Namespace, api: Api) -> int:
    action = args.action or "list"
    if action == "list":
        subjects = api.request("GET", "/subjects")
        lines = [f"{s['name']}  ({s['lecture_count']} lectures)" for s in subjects] or ["No subjects yet."]
        emit(args, {"subjects": subjects}, "\n".join(lines))
    elif action == "create":
        subject = api.request("POST", "/subjects", json={"name": _need_name(args)})
        emit(args, {"subject": subject}, f"Created subject {subject['name']!r}.")
    elif action == "delete":
        name = _need_name(args)
        subject = find_subject(api, name)
        if subject is None:
            raise CliError("SUBJECT_NOT_FOUND", f"No subject named {name!r}.")
        api.request("DELETE", f"/subjects/{subject['id']}")
        emit(args, {"deleted": subject}, f"Deleted subject {subject['name']!r}.")
    return 0


def _need_name(args: argparse.Namespace) -> str:
    if not args.name:
        raise CliError("USAGE", f"`subjects {args.action}` needs a NAME.")
    return str(args.name)


def _lecture_row(lecture: dict[str, Any] | None, file: str, error: dict[str, str] | None) -> dict[str, Any]:
    if lecture is None:
        return {
            "id": None,
            "file": file,
            "status": "failed",
            "pages": 0,
            "figures": 0,
            "chunks": 0,
            "seconds": None,
            "error": error,
        }
    if error is None and lecture.get("error_code"):
        error = {"code": lecture["error_code"], "message": lecture.get("error_message") or ""}
    return {
        "id": lecture["id"],
        "file": lecture["filename"],
        "status": lecture["status"],
        "pages": lecture["page_count"],
        "figures": lecture["figure_count"],
        "chunks": lecture["chunk_count"],
        "seconds": lecture["processing_seconds"],
        "error": error,
    }


def wait_for_job(api: Api, job_id: str, *, timeout: float, quiet: bool) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    last = ""
    while True:
        job = api.request("GET", f"/jobs/{job_id}")
        if not quiet:
            line = f"  {job['stage']} ({job['progress'] * 100:.0f}%)"
            if line != last:
                print(line, file=sys.stderr)
                last = line
        if job["status"] in TERMINAL:
            return dict(job)
        if time.monotonic() > deadline:
            raise CliError("WAIT_TIMEOUT", f"Job {job_id} did not finish within {timeout:.0f} s.")
        time.sleep(0.5)


def cmd_ingest(args: argparse.Namespace, api: Api) -> int:
    subject = find_subject(api, args.subject) or api.request("POST", "/subjects", json={"name": args.subject})
    uploads: list[tuple[str, dict[str, Any] | None, str | None, dict[str, str] | None]] = []
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            uploads.append(
                (path.name, None, None, {"code": "FILE_NOT_FOUND", "message": f"No file at {name}."})
            )
            continue
        try:
            with path.open("rb") as fh:
                accepted = api.request(
                    "POST", f"/subjects/{subject['id']}/lectures", files={"file": (path.name, fh)}
                )
            uploads.append((path.name, accepted["lecture"], accepted["job"]["id"], None))
        except CliError as exc:
            if exc.exit_code == EXIT_UNREACHABLE:
                raise
            uploads.append((path.name, None, None, {"code": exc.code, "message": exc.message}))
    rows = []
    for file, lecture, job_id, error in uploads:
        if lecture is not None and job_id is not None and args.wait:
            if not args.json:
                print(f"{file}:", file=sys.stderr)
            wait_for_job(api, job_id, timeout=args.timeout, quiet=args.json)
            lecture = api.request("GET", f"/lectures/{lecture['id']}")
        rows.append(_lecture_row(lecture, file, error))
    lines = []
    for row in rows:
        status = (
            row["status"]
            if not row["error"]
            else f"{row['status']} ({row['error']['code']}: {row['error']['message']})"
        )
        lines.append(f"{row['file']}: {status}, {row['pages']} pages, {row['chunks']} chunks")
    emit(args, {"lectures": rows}, "\n".join(lines))
    failed = [r for r in rows if r["status"] in ("failed", "cancelled")]
    for row in failed:
        err = row["error"] or {"code": row["status"].upper(), "message": ""}
        print(f"error: {row['file']}: {err['code']}: {err['message']}", file=sys.stderr)
    return EXIT_API if failed else 0


def need_subject(api: Api, name: str) -> dict[str, Any]:
    subject = find_subject(api, name)
    if subject is None:
        raise CliError("SUBJECT_NOT_FOUND", f"No subject named {name!r}; ingest something into it first.")
    return subject


def cmd_search(args: argparse.Namespace, api: Api) -> int:
    subject = need_subject(api, args.subject)
    found = api.request(
        "POST", "/search", json={"subject_id": subject["id"], "query": args.query, "k": args.k}
    )
    hits = [
        {key: hit[key] for key in ("lecture", "file", "page", "score", "text", "figure_ids")}
        for hit in found["hits"]
    ]
    lines = [
        f"{h['file']} p.{h['page']} ({h['score']:.3f}): {' '.join(h['text'].split())[:160]}" for h in hits
    ]
    emit(args, {"hits": hits}, "\n".join(lines) or "No matches.")
    return 0


def cmd_ask(args: argparse.Namespace, api: Api) -> int:
    subject = need_subject(api, args.subject)
    body = {"subject_id": subject["id"], "question": args.question, "web": args.web}
    if args.language:
        body["language"] = args.language
    result = api.request("POST", "/chat", json=body)
    citations = [{key: c[key] for key in ("lecture", "file", "page", "quote")} for c in result["citations"]]
    out = {
        "answer": result["answer"],
        "citations": citations,
        "seconds_to_first_token": result["seconds_to_first_token"],
    }
    sources = "\n".join(f"  - {c['file']}, slide {c['page']}: {c['quote']}" for c in citations)
    emit(args, out, result["answer"] + (f"\n\nSources:\n{sources}" if sources else ""))
    return 0


def download(api: Api, path: str, out: Path, params: dict[str, str] | None = None) -> int:
    """Stream a file from the gateway to ``out``; returns its size."""
    for attempt in (1, 2):
        try:
            with api.client.stream("GET", path, headers=api._headers(), params=params) as response:
                if response.status_code == 401 and attempt == 1:
                    response.read()
                    if Api._error_code(response) == "TOKEN_EXPIRED" and api._refresh():
                        continue
                if response.status_code >= 400:
                    response.read()
                    try:
                        err = response.json()["error"]
                        raise CliError(err["code"], err["message"])
                    except (ValueError, KeyError, TypeError):
                        raise CliError(f"HTTP_{response.status_code}", response.text[:300]) from None
                out.parent.mkdir(parents=True, exist_ok=True)
                size = 0
                with out.open("wb") as fh:
                    for block in response.iter_bytes():
                        fh.write(block)
                        size += len(block)
                return size
        except httpx.TransportError as exc:
            raise CliError(
                "GATEWAY_UNREACHABLE",
                f"Cannot reach the gateway at {api.base} ({type(exc).__name__}).",
                EXIT_UNREACHABLE,
            ) from exc
    raise CliError("NOT_AUTHENTICATED", "Sign in again: `smartnotes login`.")


def _subject_or_fail(api: Api, name: str) -> dict[str, Any]:
    subject = find_subject(api, name)
    if subject is None:
        raise CliError("SUBJECT_NOT_FOUND", f"No subject named {name!r}.")
    return subject


def _deck_format(out: Path) -> str:
    return "json" if out.suffix.lower() == ".json" else "apkg"


def cmd_generate(args: argparse.Namespace, api: Api) -> int:
    subject = _subject_or_fail(api, args.subject)
    body = {
        "kind": args.kind,
        "lecture_ids": [args.lecture] if args.lecture else None,
        "pages": args.pages,
        "questions": args.questions,
        "difficulty": args.difficulty,
        "cards": args.cards,
    }
    accepted = api.request("POST", f"/subjects/{subject['id']}/generate", json=body)
    job = wait_for_job(api, accepted["job"]["id"], timeout=args.timeout, quiet=args.json)
    if job["status"] != "done":
        raise CliError(job.get("error_code") or job["status"].upper(), job.get("error_message") or "")
    out = Path(args.output)
    if args.kind == "flashcards":
        fmt = _deck_format(out)
        size = download(api, f"/subjects/{subject['id']}/flashcards/export", out, {"format": fmt})
        data = {"cards": job["result"], "path": str(out), "format": fmt, "size_bytes": size, "job": job}
        human = f"Added {job['result'].get('cards', 0)} cards; deck written to {out}."
    else:
        doc = api.request("GET", f"/documents/{job['result']['document_id']}")
        download(api, f"/documents/{doc['id']}/download", out)
        data = {"document": doc, "path": str(out), "job": job}
        human = f"{doc['title']} written to {out}."
    emit(args, data, human)
    return 0


def cmd_flashcards(args: argparse.Namespace, api: Api) -> int:
    subject = _subject_or_fail(api, args.subject)
    out = Path(args.output)
    fmt = _deck_format(out)
    size = download(api, f"/subjects/{subject['id']}/flashcards/export", out, {"format": fmt})
    emit(
        args,
        {"path": str(out), "format": fmt, "size_bytes": size, "subject": subject},
        f"Deck written to {out}.",
    )
    return 0


def cmd_not_yet(args: argparse.Namespace, api: Api) -> int:
    raise CliError("NOT_AVAILABLE", f"`smartnotes {args.command}` is not available yet.", EXIT_UNAVAILABLE)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="smartnotes", description="MySmartNotes command-line client.")
    parser.add_argument(
        "--api",
        default=os.environ.get("SMARTNOTES_API", DEFAULT_API),
        help="gateway URL (default %(default)s)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("up", help="start the whole stack on embedded defaults")
    p = sub.add_parser("backup", help="archive the database and the data dir (runs locally)")
    p.add_argument("-o", "--output", required=True, help="the .tar.gz to write")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("restore", help="restore an archive made by `smartnotes backup` (runs locally)")
    p.add_argument("archive")
    p.add_argument("--force", action="store_true", help="replace a database and files that are not empty")
    p.add_argument("--json", action="store_true")
    for name in ("register", "login"):
        p = sub.add_parser(name, help=f"{name} and keep the token")
        p.add_argument("--email", required=True)
        p.add_argument("--password", required=True)
        p.add_argument("--json", action="store_true")

    p = sub.add_parser("subjects", help="list, create or delete subjects")
    p.add_argument("action", nargs="?", choices=["list", "create", "delete"])
    p.add_argument("name", nargs="?")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("ingest", help="upload lecture files into a subject")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--subject", required=True)
    p.add_argument("--wait", action="store_true", help="wait until each lecture is processed")
    p.add_argument("--timeout", type=float, default=1800.0, help="seconds to wait per lecture")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("search", help="search the notes")
    p.add_argument("query")
    p.add_argument("--subject", required=True)
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("ask", help="ask a question about the notes")
    p.add_argument("question")
    p.add_argument("--subject", required=True)
    p.add_argument("--web", action="store_true", help="also search the web")
    p.add_argument("--language", default="", help="answer in this language, e.g. Hindi")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("generate", help="generate a cheat sheet, quiz or flashcards")
    p.add_argument("kind", choices=["cheatsheet", "quiz", "flashcards"])
    p.add_argument("--subject", required=True)
    p.add_argument("--lecture", type=int)
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--pages", type=int, choices=[1, 2], default=1, help="cheat sheet pages")
    p.add_argument("--questions", type=int, default=20, help="quiz questions")
    p.add_argument("--difficulty", choices=["easy", "medium", "hard"], default="medium")
    p.add_argument("--cards", type=int, default=50, help="flashcards to add (the deck is written to -o)")
    p.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for the job")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("flashcards", help="flashcard deck operations")
    p.add_argument("action", choices=["export"])
    p.add_argument("--subject", required=True)
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--json", action="store_true")
    return parser


HANDLERS = {
    "register": cmd_register,
    "login": cmd_login,
    "subjects": cmd_subjects,
    "ingest": cmd_ingest,
    "search": cmd_search,
    "ask": cmd_ask,
    "generate": cmd_generate,
    "flashcards": cmd_flashcards,
}


LOCAL_HANDLERS = {"backup": cmd_backup, "restore": cmd_restore}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "up":
        return cmd_up(args)
    if args.command in LOCAL_HANDLERS:
        return LOCAL_HANDLERS[args.command](args)
    try:
        return HANDLERS[args.command](args, Api(args.api))
    except CliError as exc:
        fail(exc)


if __name__ == "__main__":
    raise SystemExit(main())
