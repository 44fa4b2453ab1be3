"""The workers' composition roots (workers/<name>/bootstrap.py): each registers its queue's tasks under the
names the gateway sends, and the tasks use the services and context handed in (fakes here), never ones
they find themselves. No module of the product keeps state in a ``global``."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest
from celery import Celery

from shared.celery_app import (
    TASK_ANSWER,
    TASK_BUILD_MINDMAP,
    TASK_DELETE_VECTORS,
    TASK_GENERATE_DOCUMENT,
    TASK_GENERATION_PING,
    TASK_INDEX_LECTURE,
    TASK_INGEST_LECTURE,
    TASK_MAINTENANCE_CLEANUP,
    TASK_OPTIMIZE_FSRS,
    TASK_OPTIMIZE_FSRS_ALL,
    TASK_SEARCH,
    make_celery,
)
from shared.settings import Settings
from workers.ai import bootstrap as ai_bootstrap
from workers.ai.services import AiServices
from workers.ai.vectors import VectorHit, VectorStore, collection_name
from workers.generation import bootstrap as generation_bootstrap
from workers.ocr import bootstrap as ocr_bootstrap
from workers.runtime.context import WorkerContext, WorkerRuntime

ROOT = Path(__file__).resolve().parents[2]


def settings() -> Settings:
    return Settings(redis_url="memory://", _env_file=None)  # type: ignore[call-arg]


def eager_app() -> Celery:
    app = make_celery(settings(), name="bootstrap-test")
    app.conf.update(task_always_eager=True, task_eager_propagates=True, result_backend="cache+memory://")
    return app


def own_tasks(app: Celery) -> set[str]:
    return {name for name in app.tasks if not name.startswith("celery.")}


def unbuilt() -> WorkerContext:
    raise AssertionError("registering tasks must not build the worker's context")


@pytest.mark.parametrize(
    ("bootstrap", "names"),
    [
        (ocr_bootstrap, {TASK_INGEST_LECTURE}),
        (ai_bootstrap, {TASK_INDEX_LECTURE, TASK_SEARCH, TASK_ANSWER, TASK_DELETE_VECTORS}),
        (
            generation_bootstrap,
            {
                TASK_GENERATION_PING,
                TASK_GENERATE_DOCUMENT,
                TASK_OPTIMIZE_FSRS,
                TASK_OPTIMIZE_FSRS_ALL,
                TASK_BUILD_MINDMAP,
            },
        ),
    ],
    ids=["ocr", "ai", "generation"],
)
def test_each_worker_registers_its_queue_tasks(bootstrap: Any, names: set[str]) -> None:
    runtime = WorkerRuntime(settings(), celery=eager_app(), build=lambda *_: unbuilt())
    assert bootstrap.build(settings(), runtime=runtime) is runtime
    assert own_tasks(runtime.celery) == names | {TASK_MAINTENANCE_CLEANUP}


class FakeStore(VectorStore):
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, int | None]] = []

    def upsert(
        self, collection: str, ids: list[int], vectors: list[list[float]], meta: list[dict[str, Any]]
    ) -> None:
        raise AssertionError("not expected")

    def query(
        self, collection: str, vector: list[float], k: int, lecture_ids: list[int] | None = None
    ) -> list[VectorHit]:
        raise AssertionError("not expected")

    def delete_lecture(self, collection: str, lecture_id: int) -> None:
        self.calls.append(("delete_lecture", collection, lecture_id))

    def drop(self, collection: str) -> None:
        self.calls.append(("drop", collection, None))

    def count(self, collection: str) -> int:
        return 0

    def ping(self) -> None:
        pass


class FakeAiServices(AiServices):
    """The real class with its store replaced: nothing loads a model or opens Chroma."""

    def __init__(self, store: VectorStore) -> None:
        super().__init__(settings())
        self.__dict__["store"] = store  # what the cached property would have built


def test_ai_tasks_use_the_services_they_were_handed() -> None:
    from workers.ai import tasks

    store = FakeStore()
    runtime = WorkerRuntime(settings(), celery=eager_app(), build=lambda *_: unbuilt())
    tasks.register(runtime, FakeAiServices(store))
    delete = runtime.celery.tasks[TASK_DELETE_VECTORS]
    out = json.loads(delete.apply(args=[7, 3, 11]).get())
    delete.apply(args=[7, 4]).get()
    assert out == {"collection": collection_name(7, 3), "lecture_id": 11}
    assert store.calls == [
        ("delete_lecture", collection_name(7, 3), 11),
        ("drop", collection_name(7, 4), None),
    ]


def test_the_context_is_built_once_per_process_and_again_after_fork() -> None:
    built: list[int] = []

    def build(s: Settings, app: Celery) -> Any:
        built.append(1)
        return object()

    runtime = WorkerRuntime(settings(), celery=eager_app(), build=build)
    assert built == []  # never at import or registration
    first = runtime.context()
    assert runtime.context() is first and len(built) == 1
    runtime._after_fork()  # a prefork child must not share its parent's connections
    assert runtime.context() is not first and len(built) == 2


def test_no_module_keeps_state_in_a_global_statement() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for package in ("shared", "gateway", "workers", "frontend")
        for path in sorted((ROOT / package).rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Global)
    ]
    assert offenders == []
