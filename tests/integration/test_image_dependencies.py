"""The gateway image installs pyproject's core dependencies only, the frontend image core + `frontend`,
and each holds only its own packages (gateway/Dockerfile: shared + gateway; frontend/Dockerfile: frontend).

Each check runs in a fresh interpreter in which every module of the extras that image lacks cannot be
imported (a meta-path finder refuses them, as a missing package would): every module of the image's
packages must import, and the gateway must serve a real session (register, sign in, subject, upload a
PDF that is queued on a real Redis, flashcards with an FSRS review and an Anki export).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.support.factories import pdf_bytes
from tests.support.services import RedisServer

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import importlib, importlib.abc, json, pkgutil, sys
blocked = set(json.loads(sys.argv[1]))

class NotInThisImage(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in blocked:
            raise ModuleNotFoundError(f"No module named {name!r} (not installed in this image)", name=name)
        return None

sys.meta_path.insert(0, NotInThisImage())
for package in json.loads(sys.argv[2]):
    module = importlib.import_module(package)
    for info in pkgutil.walk_packages(module.__path__, package + "."):
        if ".migrations.versions." not in info.name:
            importlib.import_module(info.name)
print("imported", len(sys.modules))
if len(sys.argv) > 3:
    exec(sys.argv[3])
"""

GATEWAY_SESSION = r"""
from pathlib import Path
from fastapi.testclient import TestClient
from gateway.app import create_app
from shared.db import run_migrations
from shared.settings import Settings

work = Path(sys.argv[4])
settings = Settings(
    environment="test", secret_key="k" * 48, database_url=f"sqlite:///{work / 'db.sqlite'}",
    redis_url=sys.argv[5], data_dir=work / "data", log_json=False, _env_file=None,
)
run_migrations(settings)
with TestClient(create_app(settings, start_background=False)) as c:
    assert c.get("/health").status_code == 200
    creds = {"email": "student@example.com", "password": "correct horse battery"}
    assert c.post("/api/v1/auth/register", json=creds).status_code == 201
    h = {"Authorization": "Bearer " + c.post("/api/v1/auth/login", json=creds).json()["access_token"]}
    subject = c.post("/api/v1/subjects", json={"name": "Biology"}, headers=h).json()
    up = c.post(
        f"/api/v1/subjects/{subject['id']}/lectures", headers=h,
        files={"file": ("cells.pdf", (work / "cells.pdf").read_bytes(), "application/pdf")},
    )
    assert up.status_code == 202, up.text
    job = c.get(f"/api/v1/jobs/{up.json()['job']['id']}", headers=h).json()
    assert job["status"] == "queued", job
    card = c.post(
        f"/api/v1/subjects/{subject['id']}/flashcards", json={"front": "ATP?", "back": "energy"}, headers=h
    )
    assert card.status_code == 201, card.text
    review = c.post(f"/api/v1/flashcards/{card.json()['id']}/review", json={"rating": 3}, headers=h)
    assert review.status_code == 200, review.text
    apkg = c.get(f"/api/v1/subjects/{subject['id']}/flashcards/export", params={"format": "apkg"}, headers=h)
    assert apkg.status_code == 200 and apkg.content[:2] == b"PK", apkg.text[:200]
print("gateway session ok")
"""


def extra_modules(*extras: str) -> list[str]:
    """Top-level import names of the distributions pyproject lists in these extras (and not in core)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    core = {Requirement(r).name.lower().replace("_", "-") for r in project["dependencies"]}
    wanted = {
        Requirement(r).name.lower().replace("_", "-")
        for extra in extras
        for r in project["optional-dependencies"][extra]
    } - core
    by_dist: dict[str, set[str]] = {}
    for module, dists in packages_distributions().items():
        for dist in dists:
            by_dist.setdefault(dist.lower().replace("_", "-"), set()).add(module)
    missing = wanted - by_dist.keys()
    assert not missing, f"extras not installed in this venv: {missing}"
    return sorted(m for d in wanted for m in by_dist[d] if not m.startswith("_"))


def run_child(blocked: list[str], packages: list[str], *script: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(blocked), json.dumps(packages), *script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return proc.stdout


def test_the_extras_name_real_modules() -> None:
    workers = extra_modules("workers")
    assert {"torch", "chromadb", "llama_cpp", "tesserocr", "docx", "fpdf"} <= set(workers)
    assert extra_modules("frontend") == ["streamlit"]
    # and the finder really refuses them: the worker code cannot import without its extra
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(workers), json.dumps(["workers"])],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode != 0 and "not installed in this image" in proc.stderr


def test_gateway_image_serves_without_the_worker_and_frontend_extras(tmp_path: Path) -> None:
    (tmp_path / "cells.pdf").write_bytes(pdf_bytes(["Cells make ATP in mitochondria."]))
    try:
        redis_server = RedisServer(tmp_path / "redis")
    except RuntimeError as exc:  # fail loudly: this test needs the real thing
        pytest.fail(str(exc))
    try:
        out = run_child(
            [*extra_modules("workers", "frontend"), "workers", "frontend"],
            ["shared", "gateway", "gateway_client", "smartnotes_tools"],  # the CLI: backup runs in this image
            GATEWAY_SESSION,
            str(tmp_path),
            redis_server.url,
        )
    finally:
        redis_server.stop()
    assert "gateway session ok" in out


def test_frontend_image_imports_without_the_worker_extra() -> None:
    # the image holds the frontend, the gateway client and the shared schemas it types its answers with
    blocked = [*extra_modules("workers"), "gateway", "workers", "smartnotes_tools"]
    assert "imported" in run_child(blocked, ["frontend", "gateway_client"])
