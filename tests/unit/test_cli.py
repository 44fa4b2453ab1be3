"""`smartnotes` (smartnotes_tools/cli.py) against a scripted gateway: the command-line contract of
ARCHITECTURE.md (one JSON document on stdout with --json, errors on stderr, exit codes 1/2/3), and the
token refresh it takes from the one gateway client."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from smartnotes_tools import cli

NOW = "2026-11-30T02:00:00Z"
SUBJECT = {
    "id": 7,
    "name": "Biology",
    "ocr_languages": "auto",
    "exam_date": None,
    "version": 1,
    "created_at": NOW,
    "updated_at": NOW,
    "lecture_count": 1,
}
HIT = {
    "lecture": 3,
    "lecture_title": "Cells",
    "file": "cells.pdf",
    "page": 2,
    "score": 0.8125,
    "text": "Mitosis makes  two cells",
    "figure_ids": [11],
    "chunk_id": 99,
}


def error(status: int, code: str, message: str) -> httpx.Response:
    return httpx.Response(status, json={"error": {"code": code, "message": message}})


class Gateway:
    """Answers by (method, path); records the Authorization header of every request."""

    def __init__(self, routes: dict[tuple[str, str], Callable[[httpx.Request], httpx.Response]]) -> None:
        self.routes = routes
        self.seen: list[tuple[str, str, str | None]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/v1")
        self.seen.append((request.method, path, request.headers.get("authorization")))
        handler = self.routes.get((request.method, path))
        return handler(request) if handler else error(404, "NOT_FOUND", "no such route")


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("SMARTNOTES_TOKEN", raising=False)
    return tmp_path / "config"


def run(gateway: Gateway, *argv: str) -> int:
    return cli.main(["--api", "http://gw.test", *argv], transport=httpx.MockTransport(gateway))


def test_every_command_of_the_contract_takes_json_once_and_up_does_not() -> None:
    names = {"up", "backup", "restore", "register", "login", "subjects", "ingest", "search", "ask"}
    assert set(cli.app.commands) == names | {"generate", "flashcards"}
    for name, command in cli.app.commands.items():
        flags = [opt for p in command.params for opt in p.opts if opt == "--json"]
        assert flags == ([] if name == "up" else ["--json"]), name


def test_search_prints_the_contract_hits_and_nothing_else(capsys: pytest.CaptureFixture[str]) -> None:
    sent: list[Any] = []

    def search(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        return httpx.Response(200, json={"hits": [HIT]})

    gateway = Gateway(
        {("GET", "/subjects"): lambda r: httpx.Response(200, json=[SUBJECT]), ("POST", "/search"): search}
    )
    assert run(gateway, "search", "mitosis", "--subject", " biology ", "--k", "3", "--json") == 0
    out = capsys.readouterr()
    assert out.err == ""
    assert json.loads(out.out) == {
        "hits": [{k: HIT[k] for k in ("lecture", "file", "page", "score", "text", "figure_ids")}]
    }
    assert sent == [{"subject_id": 7, "query": "mitosis", "k": 3}]
    assert run(gateway, "search", "mitosis", "--subject", "Biology") == 0
    assert capsys.readouterr().out == "cells.pdf p.2 (0.812): Mitosis makes two cells\n"


def test_ask_prints_answer_citations_and_first_token_time(capsys: pytest.CaptureFixture[str]) -> None:
    sent: list[Any] = []
    answer = {
        "answer": "Two cells.",
        "citations": [
            {"lecture": 3, "lecture_title": "Cells", "file": "cells.pdf", "page": 2, "quote": "two"}
        ],
        "seconds_to_first_token": 1,
        "session_id": 5,
    }

    def chat(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        return httpx.Response(200, json=answer)

    gateway = Gateway(
        {("GET", "/subjects"): lambda r: httpx.Response(200, json=[SUBJECT]), ("POST", "/chat"): chat}
    )
    assert run(gateway, "ask", "What?", "--subject", "Biology", "--json") == 0
    printed = capsys.readouterr().out
    assert json.loads(printed) == {
        "answer": "Two cells.",
        "citations": [{"lecture": 3, "file": "cells.pdf", "page": 2, "quote": "two"}],
        "seconds_to_first_token": 1,
    }
    assert '"seconds_to_first_token": 1}' in printed  # the number as the gateway sent it
    assert sent == [{"subject_id": 7, "question": "What?", "web": False}]
    assert run(gateway, "ask", "What?", "--subject", "Biology", "--web", "--language", "Hindi") == 0
    assert sent[-1] == {"subject_id": 7, "question": "What?", "web": True, "language": "Hindi"}


def test_errors_go_to_stderr_with_the_contract_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    gateway = Gateway({("GET", "/subjects"): lambda r: error(401, "NOT_AUTHENTICATED", "Please sign in.")})
    with pytest.raises(SystemExit) as refused:
        run(gateway, "subjects", "list", "--json")
    assert refused.value.code == 1
    out = capsys.readouterr()
    assert out.out == "" and out.err == "error: NOT_AUTHENTICATED: Please sign in.\n"

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(SystemExit) as unreachable:
        run(Gateway({("GET", "/subjects"): down}), "search", "q", "--subject", "S", "--json")
    assert unreachable.value.code == 3
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err == (
        "error: GATEWAY_UNREACHABLE: Cannot reach the gateway at http://gw.test (ConnectError). "
        "Is `smartnotes up` running?\n"
    )
    with pytest.raises(SystemExit) as usage:
        run(gateway, "generate", "poem", "--subject", "S", "-o", "x")
    assert usage.value.code == 2
    with pytest.raises(SystemExit) as no_name:
        run(Gateway({}), "subjects", "create")
    assert (
        no_name.value.code == 1 and "error: USAGE: `subjects create` needs a NAME." in capsys.readouterr().err
    )


def test_ingest_reports_each_file_and_exits_1_when_one_failed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lecture = {
        "id": 3,
        "subject_id": 7,
        "title": "cells",
        "filename": "cells.pdf",
        "file_type": "pdf",
        "size_bytes": 9,
        "status": "queued",
        "error_code": None,
        "error_message": None,
        "page_count": 0,
        "figure_count": 0,
        "chunk_count": 0,
        "processing_seconds": None,
        "created_at": NOW,
        "updated_at": NOW,
    }
    job = {
        "id": "j1",
        "kind": "ingest",
        "queue": "ocr",
        "status": "queued",
        "progress": 0.0,
        "stage": "queued",
        "subject_id": 7,
        "lecture_id": 3,
        "error_code": None,
        "error_message": None,
        "result": {},
        "created_at": NOW,
        "started_at": None,
        "finished_at": None,
    }
    uploads: list[bytes] = []

    def upload(request: httpx.Request) -> httpx.Response:
        uploads.append(request.content)
        if b"not a pdf" in request.content:
            return error(415, "UNSUPPORTED_FORMAT", "Not a slide deck.")
        return httpx.Response(202, json={"lecture": lecture, "job": job})

    created: list[Any] = []

    def create(request: httpx.Request) -> httpx.Response:
        created.append(json.loads(request.content))
        return httpx.Response(201, json=SUBJECT)

    gateway = Gateway(
        {
            ("GET", "/subjects"): lambda r: httpx.Response(200, json=[]),
            ("POST", "/subjects"): create,
            ("POST", "/subjects/7/lectures"): upload,
        }
    )
    good, bad = tmp_path / "cells.pdf", tmp_path / "fake.pdf"
    good.write_bytes(b"%PDF-1.4 x")
    bad.write_bytes(b"not a pdf")
    code = run(
        gateway, "ingest", str(good), str(bad), str(tmp_path / "gone.pdf"), "--subject", "Biology", "--json"
    )
    assert code == 1
    out = capsys.readouterr()
    rows = json.loads(out.out)["lectures"]
    assert created == [{"name": "Biology"}]  # the subject is created when missing
    assert [(r["file"], r["status"], r["error"] and r["error"]["code"]) for r in rows] == [
        ("cells.pdf", "queued", None),
        ("fake.pdf", "failed", "UNSUPPORTED_FORMAT"),
        ("gone.pdf", "failed", "FILE_NOT_FOUND"),
    ]
    assert all(
        set(r) == {"id", "file", "status", "pages", "figures", "chunks", "seconds", "error"} for r in rows
    )
    assert "error: fake.pdf: UNSUPPORTED_FORMAT: Not a slide deck." in out.err
    assert len(uploads) == 2


def test_an_expired_stored_token_is_refreshed_once_by_the_client_and_saved(
    config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli.save_credentials(
        {"access_token": "old", "refresh_token": "r1", "email": "a@b.c", "api": "http://gw.test"}
    )
    refreshed: list[Any] = []

    def subjects(request: httpx.Request) -> httpx.Response:
        if request.headers["authorization"] == "Bearer old":
            return error(401, "TOKEN_EXPIRED", "expired")
        return httpx.Response(200, json=[SUBJECT])

    def refresh(request: httpx.Request) -> httpx.Response:
        refreshed.append(json.loads(request.content))
        return httpx.Response(200, json={"access_token": "new", "refresh_token": "r2", "expires_in": 900})

    gateway = Gateway({("GET", "/subjects"): subjects, ("POST", "/auth/refresh"): refresh})
    assert run(gateway, "subjects", "--json") == 0
    assert json.loads(capsys.readouterr().out) == {"subjects": [SUBJECT]}
    assert refreshed == [{"refresh_token": "r1"}]
    saved = cli.load_credentials()
    assert saved["access_token"] == "new" and saved["refresh_token"] == "r2" and saved["email"] == "a@b.c"
    assert [auth for _m, path, auth in gateway.seen if path == "/subjects"] == ["Bearer old", "Bearer new"]


def test_smartnotes_token_overrides_the_stored_one_and_is_never_refreshed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cli.save_credentials({"access_token": "stored", "refresh_token": "r1"})
    monkeypatch.setenv("SMARTNOTES_TOKEN", "from-env")
    gateway = Gateway({("GET", "/subjects"): lambda r: error(401, "TOKEN_EXPIRED", "expired")})
    with pytest.raises(SystemExit) as expired:
        run(gateway, "subjects")
    assert expired.value.code == 1
    assert capsys.readouterr().err == "error: TOKEN_EXPIRED: expired\n"
    assert gateway.seen == [("GET", "/subjects", "Bearer from-env")]
    assert cli.load_credentials()["access_token"] == "stored"


def test_login_keeps_the_token_pair_in_the_config_dir(
    config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tokens = {"access_token": "a1", "refresh_token": "r1", "token_type": "bearer", "expires_in": 900}
    gateway = Gateway({("POST", "/auth/login"): lambda r: httpx.Response(200, json=tokens)})
    assert run(gateway, "login", "--email", "a@b.c", "--password", "pw", "--json") == 0
    assert json.loads(capsys.readouterr().out) == {"email": "a@b.c", "logged_in": True}
    saved = cli.load_credentials()
    assert (saved["access_token"], saved["refresh_token"], saved["email"]) == ("a1", "r1", "a@b.c")
    assert cli.credentials_path().is_relative_to(config_dir)


def test_against_the_real_gateway_the_typed_output_is_the_gateways_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Register, create, list and delete through a real gateway (uvicorn, SQLite, redis-server): what the
    CLI prints from the shared schemas' models is exactly the JSON the gateway sent."""
    from tests.support.gateway import running_gateway

    with running_gateway(tmp_path) as gw:

        def smartnotes(*argv: str) -> Any:
            assert cli.main(["--api", gw.url, *argv, "--json"]) == 0
            return json.loads(capsys.readouterr().out)

        registered = smartnotes("register", "--email", "cli@example.com", "--password", "a good password")
        assert registered["logged_in"] and registered["user"]["email"] == "cli@example.com"
        token = cli.load_credentials()["access_token"]
        created = smartnotes("subjects", "create", "Biology")["subject"]
        with gw.client(headers={"Authorization": f"Bearer {token}"}) as raw:
            assert (
                smartnotes("subjects", "list")["subjects"] == raw.get("/api/v1/subjects").json() == [created]
            )
            assert registered["user"] == raw.get("/api/v1/auth/me").json()
        assert smartnotes("subjects", "delete", "biology")["deleted"] == created
        assert smartnotes("subjects")["subjects"] == []


def test_a_validation_error_names_the_fields_to_fix(capsys: pytest.CaptureFixture[str]) -> None:
    """The gateway's 422 says "Some fields are missing or invalid." and lists the fields in its details; the
    CLI prints them, so `smartnotes ask ''` says the question is empty rather than only "some fields"."""

    def chat(request: httpx.Request) -> httpx.Response:
        details = [
            {"field": "body.question", "message": "String should have at least 1 character"},
            {"field": "query.k", "message": "Input should be greater than 0"},
            {"field": "", "message": "Value error, bad"},
        ]
        body = {
            "code": "VALIDATION_ERROR",
            "message": "Some fields are missing or invalid.",
            "details": details,
        }
        return httpx.Response(422, json={"error": body})

    gateway = Gateway(
        {("GET", "/subjects"): lambda r: httpx.Response(200, json=[SUBJECT]), ("POST", "/chat"): chat}
    )
    with pytest.raises(SystemExit) as refused:
        run(gateway, "ask", "", "--subject", "Biology", "--json")
    assert refused.value.code == 1
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err == (
        "error: VALIDATION_ERROR: Some fields are missing or invalid. (question: String should have at least "
        "1 character; k: Input should be greater than 0; Value error, bad)\n"
    )
    # Details that are not a list of fields (rate limits, sizes) add nothing to the message.
    gateway.routes[("POST", "/chat")] = lambda r: httpx.Response(
        429, json={"error": {"code": "RATE_LIMITED", "message": "Slow down.", "details": {"retry_after": 3}}}
    )
    with pytest.raises(SystemExit):
        run(gateway, "ask", "What?", "--subject", "Biology")
    assert capsys.readouterr().err == "error: RATE_LIMITED: Slow down.\n"


def test_an_output_name_that_is_not_the_documents_format_is_said_before_any_work(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`-o notes.txt` for a cheat sheet wrote a .docx under a .txt name, and `-o cards.csv` an .apkg, without
    a word: the CLI now says what the document is written as (a warning: `-o PATH` is the contract, so the
    name given is kept), and says nothing when the name fits."""
    for kind, name, said in [
        ("cheatsheet", "notes.txt", "-o notes.txt: cheatsheet is written as .docx"),
        ("quiz", "quiz.docx", "-o quiz.docx: quiz is written as .pdf"),
        ("flashcards", "cards.csv", "-o cards.csv: flashcards is written as .apkg or .json"),
        ("flashcards", "deck", "-o deck: flashcards is written as .apkg or .json"),
    ]:
        cli.check_output(kind, Path(name))
        assert capsys.readouterr().err == f"warning: {said}; the file keeps the name given.\n"
    for kind, name in [
        ("cheatsheet", "a.docx"),
        ("quiz", "q.PDF"),
        ("flashcards", "d.apkg"),
        ("flashcards", "d.json"),
    ]:
        cli.check_output(kind, Path(name))
        assert capsys.readouterr().err == ""


def test_generate_leaves_the_count_to_the_gateway_unless_one_is_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The gateway's default count grows with the lecture (one question per 2 slides, one card per slide);
    a fixed 20 / 50 sent by the CLI would override it."""
    sent: list[Any] = []

    def generate(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        return error(422, "NOT_ENOUGH_MATERIAL", "Too little text.")

    gateway = Gateway(
        {
            ("GET", "/subjects"): lambda r: httpx.Response(200, json=[SUBJECT]),
            ("POST", "/subjects/7/generate"): generate,
        }
    )
    for argv in (
        ["quiz", "-o", str(tmp_path / "q.pdf")],
        ["flashcards", "-o", str(tmp_path / "d.apkg")],
        ["quiz", "-o", str(tmp_path / "q.pdf"), "--questions", "7"],
        ["flashcards", "-o", str(tmp_path / "d.apkg"), "--cards", "9"],
    ):
        with pytest.raises(SystemExit):
            run(gateway, "generate", *argv, "--subject", "Biology", "--json")
    capsys.readouterr()
    assert [(b["kind"], b.get("questions"), b.get("cards")) for b in sent] == [
        ("quiz", None, None),
        ("flashcards", None, None),
        ("quiz", 7, None),
        ("flashcards", None, 9),
    ]


def test_a_follow_up_continues_the_subjects_latest_conversation(capsys: pytest.CaptureFixture[str]) -> None:
    sent: list[Any] = []
    sessions: list[dict[str, Any]] = []
    answer = {"answer": "Because.", "citations": [], "seconds_to_first_token": 1, "session_id": 5}

    def chat(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        return httpx.Response(200, json=answer)

    gateway = Gateway(
        {
            ("GET", "/subjects"): lambda r: httpx.Response(200, json=[SUBJECT]),
            ("GET", "/subjects/7/chat/sessions"): lambda r: httpx.Response(200, json=sessions),
            ("POST", "/chat"): chat,
        }
    )
    assert (
        run(gateway, "ask", "Why?", "--subject", "Biology", "--follow-up", "--json") == 0
    )  # none yet: a new one
    sessions[:] = [
        {"id": 12, "subject_id": 7, "title": "What is mitosis?", "created_at": NOW},
        {"id": 4, "subject_id": 7, "title": "Older", "created_at": "2026-11-29T02:00:00Z"},
    ]
    assert run(gateway, "ask", "Why?", "--subject", "Biology", "--follow-up", "--json") == 0
    assert (
        run(gateway, "ask", "What is meiosis?", "--subject", "Biology", "--json") == 0
    )  # no flag: a new one
    assert [b.get("session_id") for b in sent] == [None, 12, None]
    assert json.loads(capsys.readouterr().out.splitlines()[-1]) == {
        "answer": "Because.",
        "citations": [],
        "seconds_to_first_token": 1,
    }
