"""`smartnotes`: the command-line client of the gateway (the contract in ARCHITECTURE.md).

With --json each command prints one JSON document on stdout and nothing else; errors go to stderr
with a non-zero exit (1: the API refused, 2: a usage error, 3: the gateway cannot be reached).

It talks to the gateway through the one client (gateway_client/): the same HTTP core, error codes and
token refresh as the Streamlit app, answering the shared schemas' models.
"""

from __future__ import annotations

import json
import mimetypes
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn, ParamSpec, TypeVar

import click
import httpx
from platformdirs import user_config_dir
from pydantic import ValidationError

from gateway_client import ApiError, GatewayClient, Tokens
from gateway_client.typed import TypedGateway
from shared.schemas import JobRead, LectureRead, SubjectRead

DEFAULT_API = "http://127.0.0.1:8000"
TERMINAL = {"done", "failed", "cancelled"}
EXIT_API, EXIT_UNREACHABLE = 1, 3
TIMEOUT = httpx.Timeout(60.0)  # one request; uploads and answers have the client's longer limits

P = ParamSpec("P")
R = TypeVar("R")


class CliError(Exception):
    def __init__(self, code: str, message: str, exit_code: int = EXIT_API) -> None:
        super().__init__(message)
        self.code, self.message, self.exit_code = code, message, exit_code


# --- the stored sign-in -------------------------------------------------------------------------
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


@dataclass
class Session:
    """One run of the command: the gateway's address, the stored sign-in and the client (made on first use).

    ``SMARTNOTES_TOKEN`` overrides the stored token and is never refreshed; a stored pair is refreshed by
    the client when the access token has expired, and the new pair is saved.
    """

    base: str
    transport: httpx.BaseTransport | None = None
    creds: dict[str, Any] = field(default_factory=load_credentials)
    _api: TypedGateway | None = None

    @property
    def api(self) -> TypedGateway:
        if self._api is None:
            env_token = os.environ.get("SMARTNOTES_TOKEN")
            tokens = None
            if env_token:
                tokens = Tokens(access_token=env_token, refresh_token="")
            elif self.creds.get("access_token"):
                tokens = Tokens(self.creds["access_token"], str(self.creds.get("refresh_token") or ""))
            raw = GatewayClient(
                self.base,
                tokens=tokens,
                transport=self.transport,
                on_tokens=self._keep,
                timeout=TIMEOUT,
            )
            self._api = TypedGateway(raw)
        return self._api

    def _keep(self, tokens: Tokens | None) -> None:
        if tokens is not None and tokens.refresh_token:
            self.creds.update(access_token=tokens.access_token, refresh_token=tokens.refresh_token)
            save_credentials(self.creds)

    def unreachable(self, exc: ApiError) -> CliError:
        cause = type(exc.__cause__).__name__ if exc.__cause__ is not None else exc.code
        return CliError(
            "GATEWAY_UNREACHABLE",
            f"Cannot reach the gateway at {self.base.rstrip('/')} ({cause}). Is `smartnotes up` running?",
            EXIT_UNREACHABLE,
        )


# --- output -------------------------------------------------------------------------------------
def emit(as_json: bool, data: Any, human: str) -> None:
    if as_json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(human)


def fail(error: CliError) -> NoReturn:
    print(f"error: {error.code}: {error.message}", file=sys.stderr)
    raise SystemExit(error.exit_code)


def dump(model: Any) -> Any:
    return model.model_dump(mode="json")


# --- the command group: --api once, --json once for every command but `up` ------------------------
JSON_OPTION = click.Option(
    ["--json", "as_json"], is_flag=True, help="print one JSON document on stdout and nothing else"
)


class Commands(click.Group):
    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        if cmd.name != "up":
            cmd.params.append(JSON_OPTION)
        super().add_command(cmd, name)


@click.group(cls=Commands, help="MySmartNotes command-line client.")
@click.option(
    "--api",
    default=lambda: os.environ.get("SMARTNOTES_API", DEFAULT_API),
    help=f"gateway URL (default $SMARTNOTES_API or {DEFAULT_API})",
)
@click.pass_context
def app(ctx: click.Context, api: str) -> None:
    ctx.obj = Session(api, transport=(ctx.obj or {}).get("transport"))


def gateway_command(fn: Callable[P, int]) -> Callable[P, int]:
    """A command that talks to the gateway: its errors become ``error: CODE: message`` and an exit code."""

    @wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> int:
        session = click.get_current_context().find_object(Session)
        assert session is not None
        try:
            return fn(*args, **kwargs)
        except ApiError as exc:
            fail(api_error(session, exc))
        except ValidationError as exc:
            fail(CliError("BAD_RESPONSE", f"The gateway answered something unexpected: {exc}"))
        except CliError as exc:
            fail(exc)

    return run


def api_error(session: Session, exc: ApiError) -> CliError:
    if exc.status == 0:
        return session.unreachable(exc)
    fields = invalid_fields(exc.details)
    return CliError(exc.code, f"{exc.message} ({fields})" if fields else exc.message)


def invalid_fields(details: Any) -> str:
    """Which fields a VALIDATION_ERROR names, as ``question: String should have at least 1 character``
    (the request part of the field's path left out): "Some fields are missing or invalid." alone does not
    say which option to fix."""
    if not isinstance(details, list):
        return ""
    parts = []
    for item in details:
        if isinstance(item, dict) and item.get("message"):
            field = str(item.get("field") or "").split(".", 1)
            name = field[1] if len(field) == 2 and field[0] in ("body", "query", "path") else field[0]
            parts.append(f"{name}: {item['message']}" if name else str(item["message"]))
    return "; ".join(parts)


# --- local commands -----------------------------------------------------------------------------
@app.command(help="start the whole stack on embedded defaults")
def up() -> int:
    from smartnotes_tools.launcher import main as launch

    return launch()


@app.command(help="archive the database and the data dir (runs locally)")
@click.option("-o", "--output", required=True, help="the .tar.gz to write")
def backup(output: str, as_json: bool) -> int:
    """Local: dump the configured database and data dir into one archive (not through the gateway)."""
    from shared.settings import Settings
    from smartnotes_tools.backup import BackupError
    from smartnotes_tools.backup import backup as make_backup

    try:
        result = make_backup(Settings(), Path(output))
    except BackupError as exc:
        fail(CliError("BACKUP_FAILED", str(exc)))
    emit(as_json, result.as_dict(), f"Backup written to {result.archive} ({result.bytes:,} bytes).")
    return 0


@app.command(help="restore an archive made by `smartnotes backup` (runs locally)")
@click.argument("archive")
@click.option("--force", is_flag=True, help="replace a database and files that are not empty")
def restore(archive: str, force: bool, as_json: bool) -> int:
    """Local: put an archive made by `smartnotes backup` back; refuses to overwrite without --force."""
    from shared.settings import Settings
    from smartnotes_tools.backup import BackupError
    from smartnotes_tools.backup import restore as put_back

    try:
        result = put_back(Settings(), Path(archive), force=force)
    except BackupError as exc:
        fail(CliError("RESTORE_REFUSED", str(exc)))
    human = f"Restored {result.database} database and {', '.join(result.data_parts)}."
    emit(as_json, result.as_dict(), human)
    return 0


# --- account ------------------------------------------------------------------------------------
def _login(session: Session, email: str, password: str) -> dict[str, Any]:
    tokens = session.api.login(email, password)
    session.creds = {
        "access_token": tokens.access_token,
        "refresh_token": tokens.refresh_token,
        "email": email,
        "api": session.api.base_url,
    }
    save_credentials(session.creds)
    return {"email": email, "logged_in": True}


@app.command(help="register and keep the token")
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.pass_obj
@gateway_command
def register(session: Session, email: str, password: str, as_json: bool) -> int:
    user = session.api.register(email, password)
    _login(session, email, password)
    emit(as_json, {"user": dump(user), "logged_in": True}, f"Registered and signed in as {user.email}.")
    return 0


@app.command(help="login and keep the token")
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.pass_obj
@gateway_command
def login(session: Session, email: str, password: str, as_json: bool) -> int:
    result = _login(session, email, password)
    emit(as_json, result, f"Signed in as {email}.")
    return 0


# --- subjects -----------------------------------------------------------------------------------
def need_subject(session: Session, name: str, hint: str = "") -> SubjectRead:
    subject = session.api.find_subject(name)
    if subject is None:
        raise CliError("SUBJECT_NOT_FOUND", f"No subject named {name!r}{hint}.")
    return subject


@app.command(help="list, create or delete subjects")
@click.argument("action", required=False, type=click.Choice(["list", "create", "delete"]))
@click.argument("name", required=False)
@click.pass_obj
@gateway_command
def subjects(session: Session, action: str | None, name: str | None, as_json: bool) -> int:
    action = action or "list"
    if action == "list":
        found = session.api.list_subjects()
        lines = [f"{s.name}  ({s.lecture_count} lectures)" for s in found] or ["No subjects yet."]
        emit(as_json, {"subjects": [dump(s) for s in found]}, "\n".join(lines))
        return 0
    if not name:
        raise CliError("USAGE", f"`subjects {action}` needs a NAME.")
    if action == "create":
        subject = session.api.create_subject(name)
        emit(as_json, {"subject": dump(subject)}, f"Created subject {subject.name!r}.")
    else:
        subject = need_subject(session, name)
        session.api.delete_subject(subject.id)
        emit(as_json, {"deleted": dump(subject)}, f"Deleted subject {subject.name!r}.")
    return 0


# --- ingest -------------------------------------------------------------------------------------
def _lecture_row(lecture: LectureRead | None, file: str, error: dict[str, str] | None) -> dict[str, Any]:
    """One lecture in `ingest`'s output (the contract in ARCHITECTURE.md)."""
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
    if error is None and lecture.error_code:
        error = {"code": lecture.error_code, "message": lecture.error_message or ""}
    return {
        "id": lecture.id,
        "file": lecture.filename,
        "status": lecture.status,
        "pages": lecture.page_count,
        "figures": lecture.figure_count,
        "chunks": lecture.chunk_count,
        "seconds": lecture.processing_seconds,
        "error": error,
    }


def wait_for_job(session: Session, job_id: str, *, timeout: float, quiet: bool) -> JobRead:
    deadline = time.monotonic() + timeout
    last = ""
    while True:
        job = session.api.get_job(job_id)
        if not quiet:
            line = f"  {job.stage} ({job.progress * 100:.0f}%)"
            if line != last:
                print(line, file=sys.stderr)
                last = line
        if job.status in TERMINAL:
            return job
        if time.monotonic() > deadline:
            raise CliError("WAIT_TIMEOUT", f"Job {job_id} did not finish within {timeout:.0f} s.")
        time.sleep(0.5)


Upload = tuple[str, LectureRead | None, str | None, dict[str, str] | None]


@app.command(help="upload lecture files into a subject")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--subject", required=True)
@click.option("--wait", is_flag=True, help="wait until each lecture is processed")
@click.option("--timeout", type=float, default=1800.0, help="seconds to wait per lecture")
@click.pass_obj
@gateway_command
def ingest(
    session: Session, files: tuple[str, ...], subject: str, wait: bool, timeout: float, as_json: bool
) -> int:
    target = session.api.find_subject(subject) or session.api.create_subject(subject)
    uploads: list[Upload] = []
    for name in files:
        path = Path(name)
        if not path.is_file():
            uploads.append(
                (path.name, None, None, {"code": "FILE_NOT_FOUND", "message": f"No file at {name}."})
            )
            continue
        try:
            content_type = mimetypes.guess_type(path.name)[0]
            accepted = session.api.upload_lecture(target.id, path.name, path.read_bytes(), content_type)
            uploads.append((path.name, accepted.lecture, accepted.job.id, None))
        except ApiError as exc:
            if exc.status == 0:
                raise
            uploads.append((path.name, None, None, {"code": exc.code, "message": exc.message}))
    rows = []
    for file, lecture, job_id, error in uploads:
        if lecture is not None and job_id is not None and wait:
            if not as_json:
                print(f"{file}:", file=sys.stderr)
            wait_for_job(session, job_id, timeout=timeout, quiet=as_json)
            lecture = session.api.get_lecture(lecture.id)
        rows.append(_lecture_row(lecture, file, error))
    lines = []
    for row in rows:
        status = (
            row["status"]
            if not row["error"]
            else f"{row['status']} ({row['error']['code']}: {row['error']['message']})"
        )
        lines.append(f"{row['file']}: {status}, {row['pages']} pages, {row['chunks']} chunks")
    emit(as_json, {"lectures": rows}, "\n".join(lines))
    failed = [r for r in rows if r["status"] in ("failed", "cancelled")]
    for row in failed:
        err = row["error"] or {"code": row["status"].upper(), "message": ""}
        print(f"error: {row['file']}: {err['code']}: {err['message']}", file=sys.stderr)
    return EXIT_API if failed else 0


# --- search and ask -----------------------------------------------------------------------------
ASK_FIRST = "; ingest something into it first"


@app.command(help="search the notes")
@click.argument("query")
@click.option("--subject", required=True)
@click.option("--k", "k", type=int, default=5)
@click.pass_obj
@gateway_command
def search(session: Session, query: str, subject: str, k: int, as_json: bool) -> int:
    target = need_subject(session, subject, ASK_FIRST)
    found = session.api.search(target.id, query, k)
    hits = [
        {key: getattr(h, key) for key in ("lecture", "file", "page", "score", "text", "figure_ids")}
        for h in found.hits
    ]
    lines = [
        f"{h['file']} p.{h['page']} ({h['score']:.3f}): {' '.join(h['text'].split())[:160]}" for h in hits
    ]
    emit(as_json, {"hits": hits}, "\n".join(lines) or "No matches.")
    return 0


@app.command(help="ask a question about the notes")
@click.argument("question")
@click.option("--subject", required=True)
@click.option("--web", is_flag=True, help="also search the web")
@click.option("--language", default="", help="answer in this language, e.g. Hindi")
@click.option(
    "--follow-up",
    "follow_up",
    is_flag=True,
    help="continue the subject's latest conversation, so 'why?' or 'and the third one?' mean the last answer",
)
@click.pass_obj
@gateway_command
def ask(
    session: Session, question: str, subject: str, web: bool, language: str, follow_up: bool, as_json: bool
) -> int:
    target = need_subject(session, subject, ASK_FIRST)
    conversation = session.api.latest_chat_session(target.id) if follow_up else None
    result = session.api.chat(
        target.id, question, web=web, language=language or None, session_id=conversation
    )
    citations = [
        {key: getattr(c, key) for key in ("lecture", "file", "page", "quote")} for c in result.citations
    ]
    out = {
        "answer": result.answer,
        "citations": citations,
        "seconds_to_first_token": result.seconds_to_first_token,
    }
    sources = "\n".join(f"  - {c['file']}, slide {c['page']}: {c['quote']}" for c in citations)
    emit(as_json, out, result.answer + (f"\n\nSources:\n{sources}" if sources else ""))
    return 0


# --- study material -----------------------------------------------------------------------------
def _deck_format(out: Path) -> str:
    return "json" if out.suffix.lower() == ".json" else "apkg"


# What each document is written as: `-o notes.pdf` for a cheat sheet wrote a .docx under a .pdf name.
OUTPUT_SUFFIXES = {"cheatsheet": (".docx",), "quiz": (".pdf",), "flashcards": (".apkg", ".json")}


def check_output(kind: str, out: Path) -> None:
    """Say, before any work, when an output file's suffix is not what the document is written as. A warning,
    not a refusal: `-o PATH` is the command-line contract other tools drive, and the file is still written
    under the name given."""
    allowed = OUTPUT_SUFFIXES[kind]
    if out.suffix.lower() not in allowed:
        print(
            f"warning: -o {out.name}: {kind} is written as {' or '.join(allowed)};"
            " the file keeps the name given.",
            file=sys.stderr,
        )


def _write(out: Path, fetch: Callable[[Any], int]) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as fh:
        return fetch(fh)


@app.command(help="generate a cheat sheet, quiz or flashcards")
@click.argument("kind", type=click.Choice(["cheatsheet", "quiz", "flashcards"]))
@click.option("--subject", required=True)
@click.option("--lecture", type=int)
@click.option("-o", "--output", required=True)
@click.option("--pages", type=click.IntRange(1, 2), default=1, help="cheat sheet pages")
@click.option(
    "--questions", type=int, help="quiz questions (default: 20, or one per 2 slides of a long lecture)"
)
@click.option("--difficulty", type=click.Choice(["easy", "medium", "hard"]), default="medium")
@click.option(
    "--cards", type=int, help="flashcards to add (default: 50, or one per slide); the deck is written to -o"
)
@click.option("--timeout", type=float, default=600.0, help="seconds to wait for the job")
@click.pass_obj
@gateway_command
def generate(
    session: Session,
    kind: str,
    subject: str,
    lecture: int | None,
    output: str,
    pages: int,
    questions: int | None,
    difficulty: str,
    cards: int | None,
    timeout: float,
    as_json: bool,
) -> int:
    check_output(kind, Path(output))
    target = need_subject(session, subject)
    accepted = session.api.generate(
        target.id,
        kind,
        lecture_ids=[lecture] if lecture else None,
        pages=pages,
        questions=questions,
        difficulty=difficulty,
        cards=cards,
    )
    job = wait_for_job(session, accepted.job.id, timeout=timeout, quiet=as_json)
    if job.status != "done":
        raise CliError(job.error_code or job.status.upper(), job.error_message or "")
    out = Path(output)
    data: dict[str, Any]
    if kind == "flashcards":
        fmt = _deck_format(out)
        size = _write(out, lambda fh: session.api.export_flashcards(target.id, fh, fmt))
        data = {"cards": job.result, "path": str(out), "format": fmt, "size_bytes": size, "job": dump(job)}
        human = f"Added {job.result.get('cards', 0)} cards; deck written to {out}."
    else:
        doc = session.api.get_document(job.result["document_id"])
        _write(out, lambda fh: session.api.download_document(doc.id, fh))
        data = {"document": dump(doc), "path": str(out), "job": dump(job)}
        human = f"{doc.title} written to {out}."
    emit(as_json, data, human)
    return 0


@app.command(help="flashcard deck operations")
@click.argument("action", type=click.Choice(["export"]))
@click.option("--subject", required=True)
@click.option("-o", "--output", required=True)
@click.pass_obj
@gateway_command
def flashcards(session: Session, action: str, subject: str, output: str, as_json: bool) -> int:
    out = Path(output)
    check_output("flashcards", out)
    target = need_subject(session, subject)
    fmt = _deck_format(out)
    size = _write(out, lambda fh: session.api.export_flashcards(target.id, fh, fmt))
    emit(
        as_json,
        {"path": str(out), "format": fmt, "size_bytes": size, "subject": dump(target)},
        f"Deck written to {out}.",
    )
    return 0


def main(argv: list[str] | None = None, *, transport: httpx.BaseTransport | None = None) -> int:
    """Run one command; answers its exit code (usage errors exit 2, as argparse's did).

    ``transport`` replaces the network (tests pass the gateway app in-process)."""
    try:
        result = app.main(
            args=argv, prog_name="smartnotes", standalone_mode=False, obj={"transport": transport}
        )
    except click.ClickException as exc:
        exc.show()
        raise SystemExit(exc.exit_code) from exc
    except click.Abort:
        print("Aborted!", file=sys.stderr)
        raise SystemExit(1) from None
    return int(result or 0)


if __name__ == "__main__":
    raise SystemExit(main())
