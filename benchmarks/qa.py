"""Answers on unseen decks: the frozen QA set (benchmarks/data/qa.jsonl), one subject per deck, the
product's own answer pipeline in-process.

    .venv/bin/python benchmarks/qa.py --split dev|test|all [DIR] [--json OUT] [--no-cache] [--limit N]

Each deck of the split (default corpus ../shared/corpus) is read through the worker's own code (the page
cache of benchmarks/retrieval.py in /tmp), stored in its own subject of a temporary SQLite database and
embedded into an in-memory Chroma collection. Every item is then asked in its deck's subject through
workers.ai.answer.answer_question, as the ai worker does, with the bundled model (llama.cpp SmolLM2) and the
answer cache off (no Redis). A follow-up item ("follows") is asked with the conversation history the
gateway sends (the previous question and the product's answer to it).

Printed, for answerable items: recall@1, recall@5 and MRR@5 of the retrieval the answer used (a hit is
any gold page), "cites gold" (the answer cites at least one gold slide), "only gold" (every slide it cites
is gold), "key phrase" (every key-phrase group of the item has one alternative in the answer, citation
labels removed, number phrases matched as whole tokens), "falsely refused"; for off-topic items: "refused"
(the product said the notes do not cover it). Then the same per language and per type, and the in-process
latency per question (evidence event, first token): an indication only, the WebSocket benchmark is
benchmarks/chat.py. --json OUT writes every item's result.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))  # siblings by file: a site package may be named "benchmarks"

from qa_support import (  # noqa: E402
    Item,
    Outcome,
    build_subjects,
    first_gold_rank,
    load_items,
    percentile,
)
from retrieval import CACHE, KINDS, clean_pages, deck_languages, read_pages  # noqa: E402

K = 5


def default_corpus() -> Path:
    """../shared/corpus beside the repository (a worktree may sit one level deeper: /work/wt/NAME)."""
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "corpus").is_dir():
            return base / "shared" / "corpus"
    return ROOT.parent / "shared" / "corpus"


def read_decks(corpus: Path, names: set[str], use_cache: bool, files: Any) -> dict[Path, list[Any]]:
    cache: dict[str, Any] = {}
    if CACHE.exists() and use_cache:
        cache = json.loads(CACHE.read_text(encoding="utf-8"))
    decks: dict[Path, list[Any]] = {}
    for deck in sorted(p for p in corpus.iterdir() if p.suffix.lower() in KINDS and p.name in names):
        pages, fresh = read_pages(deck, deck_languages(deck), cache, use_cache)
        if fresh:
            save_cache(cache, deck.name)
        decks[deck] = clean_pages(pages, files)
    missing = names - {d.name for d in decks}
    if missing:
        raise SystemExit(f"decks not found in {corpus}: {sorted(missing)}")
    return decks


def save_cache(cache: dict[str, Any], deck: str) -> None:
    """Merge this deck's pages into the cache file as it is now (another run may have added decks)."""
    current = json.loads(CACHE.read_text(encoding="utf-8")) if CACHE.exists() else {}
    mine = {k: v for k, v in cache.items() if k.startswith(f"{deck}|")}
    versions = {k.split("|", 2)[1] for k in mine}  # the file's hash: another reader's pages of it stay
    for key in [k for k in current if k.startswith(f"{deck}|") and k.split("|", 2)[1] not in versions]:
        del current[key]
    current.update(mine)
    tmp = CACHE.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(current, ensure_ascii=False), encoding="utf-8")
    tmp.replace(CACHE)


class SilentLLM:
    """--no-model: a model that writes nothing, so the answer pipeline takes its own fallback."""

    def stream(self, messages: Any, options: Any) -> Any:
        return iter(())


def make_recorder() -> type:
    """The product's Retriever, remembering what its last search returned (the evidence the answer used)."""
    from workers.ai.retrieval import Retriever

    class RecordingRetriever(Retriever):
        last: list[Any] = []
        last_query = ""

        def search(self, db: Any, **kwargs: Any) -> Any:
            found = super().search(db, **kwargs)
            self.last, self.last_query = found, kwargs.get("query", "")
            return found

    return RecordingRetriever


def ask_all(
    items: list[Item],
    factory: Any,
    embedder: Any,
    store: Any,
    subjects: dict[str, int],
    llm: Callable[[], Any],
    partial_path: str = "",
) -> list[Outcome]:
    """Ask every item in its deck's subject; each result is appended to ``partial_path`` as it comes (one
    JSON line), so a run cut short still reports (--from-json)."""
    from shared.models import Subject
    from shared.settings import Settings
    from workers.ai.answer import AnswerRequest, answer_question

    try:  # the worker's choice of answer style for these settings (the code on main has none)
        from workers.ai.answer import extractive_answers

        style: dict[str, Any] = {"extractive": extractive_answers(Settings(_env_file=None))}  # type: ignore[call-arg]
    except ImportError:
        style = {}
    if "vocabularies" in inspect.signature(answer_question).parameters:  # the worker's per-subject word cache
        from workers.ai.refusal import VocabularyCache

        style["vocabularies"] = VocabularyCache()

    retriever = make_recorder()(embedder, store)
    partial = open(partial_path, "w", encoding="utf-8") if partial_path else None  # noqa: SIM115
    by_id: dict[str, Outcome] = {}
    outcomes: list[Outcome] = []
    with factory() as db:
        for n, item in enumerate(items, start=1):
            subject = db.get(Subject, subjects[item.deck])
            history: list[dict[str, str]] = []
            if item.follows and item.follows in by_id:
                prev = by_id[item.follows]
                history = [
                    {"role": "user", "content": prev.item.question},
                    {"role": "assistant", "content": prev.answer},
                ]
            out = Outcome(item)
            marks: dict[str, float] = {}
            start = time.perf_counter()

            def emit(event: Any, marks: dict[str, float] = marks, start: float = start) -> None:
                kind = event.type.removeprefix("chat.")
                if kind in ("evidence", "token") and kind not in marks:
                    marks[kind] = time.perf_counter() - start

            req = AnswerRequest(
                user_id=subject.user_id,
                subject_id=subject.id,
                question=item.question,
                request_id=item.id,
                history=history,
                asked_at=time.time(),
            )
            result = answer_question(
                db=db, retriever=retriever, llm_factory=llm, redis=None, req=req, emit=emit, **style
            )
            out.total_s = time.perf_counter() - start
            out.query = retriever.last_query
            out.hits = [
                {"page": e.page, "similarity": round(e.similarity, 4), "keyword": round(e.keyword, 3)}
                for e in retriever.last[:K]
            ]
            out.rank = first_gold_rank([e.page for e in retriever.last[:K]], item.gold_pages)
            out.answered = bool(result.get("answered_from_notes"))
            out.answer = result["answer"]
            out.cited = [c["page"] for c in result["citations"]]
            out.evidence_s = marks.get("evidence")
            out.first_token_s = marks.get("token")
            by_id[item.id] = out
            outcomes.append(out)
            if partial is not None:
                partial.write(json.dumps(out.as_json(), ensure_ascii=False) + "\n")
                partial.flush()
            if n % 25 == 0:
                print(f"  {n}/{len(items)} asked", flush=True)
    if partial is not None:
        partial.close()
    return outcomes


def interleave(items: list[Item]) -> list[Item]:
    """Decks taken in turn (each deck's items keep their order, so a follow-up comes after its question):
    a run cut short has covered every deck alike."""
    queues: dict[str, list[Item]] = {}
    for item in items:
        queues.setdefault(item.deck, []).append(item)
    out: list[Item] = []
    while any(queues.values()):
        for queue in queues.values():
            if queue:
                out.append(queue.pop(0))
    return out


def from_json(path: Path) -> list[Outcome]:
    """Outcomes back from a --json file or a run's .partial.jsonl."""
    text = path.read_text(encoding="utf-8")
    rows = (
        json.loads(text) if text.lstrip().startswith("[") else [json.loads(x) for x in text.splitlines() if x]
    )
    fields = set(Item.__dataclass_fields__)
    outs = []
    for row in rows:
        out = Outcome(Item(**{k: v for k, v in row.items() if k in fields}))
        out.query, out.hits, out.rank = row["query"], row["hits"], row["rank"]
        out.answered, out.answer, out.cited = row["answered_from_notes"], row["answer"], row["cited_pages"]
        out.evidence_s, out.first_token_s, out.total_s = (
            row["evidence_s"],
            row["first_token_s"],
            row["total_s"],
        )
        outs.append(out)
    return outs


def rate(values: list[bool]) -> str:
    return f"{sum(values) / len(values):.2f}" if values else "-"


def answerable_row(outs: list[Outcome]) -> dict[str, str]:
    ranks = [o.rank for o in outs]
    n = len(outs)
    return {
        "n": str(n),
        "recall@1": rate([r == 1 for r in ranks]),
        "recall@5": rate([r is not None for r in ranks]),
        "MRR@5": f"{sum(1 / r for r in ranks if r) / n:.2f}" if n else "-",
        "cites gold": rate([o.cites_gold for o in outs]),
        "only gold": rate([o.only_gold for o in outs]),
        "key phrase": rate([o.key_ok for o in outs]),
        "falsely refused": rate([not o.answered for o in outs]),
    }


def table(rows: dict[str, dict[str, str]], first: str) -> None:
    if not rows:
        return
    cols = list(next(iter(rows.values())))
    print(f"| {first} | " + " | ".join(cols) + " |")
    print("|---|" + "---:|" * len(cols))
    for name, row in rows.items():
        print(f"| {name} | " + " | ".join(row[c] for c in cols) + " |")
    print()


def report(outcomes: list[Outcome], split: str, n_pages: int, n_chunks: int, model: str) -> None:
    ans = [o for o in outcomes if o.item.answerable]
    off = [o for o in outcomes if not o.item.answerable]
    decks = {o.item.deck for o in outcomes}
    print()
    print(
        f"split {split}: {len(outcomes)} items ({len(ans)} answerable, {len(off)} off-topic), "
        f"{len(decks)} decks (one subject each), {n_pages} pages, {n_chunks} chunks, k={K}, "
        f"model {model}, answer cache off"
    )
    print()
    print("Answerable questions:")
    table({"all": answerable_row(ans)}, "")
    print(f"Off-topic refused: {rate([not o.answered for o in off])} (n={len(off)})")
    for kind in ("near_topic", "unrelated"):
        sub = [o for o in off if o.item.type == kind]
        print(f"  {kind}: {rate([not o.answered for o in sub])} (n={len(sub)})")
    print()
    print("Answerable, per language of the question:")
    table(
        {
            lang: answerable_row([o for o in ans if o.item.language == lang])
            for lang in sorted({o.item.language for o in ans})
        },
        "language",
    )
    print("Answerable, per type (followup: asked after the question it follows, with its history):")
    table(
        {t: answerable_row([o for o in ans if o.item.type == t]) for t in sorted({o.item.type for o in ans})},
        "type",
    )
    print("Per deck:")
    rows = {}
    for deck in sorted(decks):
        row = answerable_row([o for o in ans if o.item.deck == deck])
        row["off-topic refused"] = rate([not o.answered for o in off if o.item.deck == deck])
        rows[deck] = row
    table(rows, "deck")
    print("In-process latency per question (s; evidence event, first token; an indication only):")
    for label, values in (
        ("evidence", [o.evidence_s for o in outcomes if o.evidence_s is not None]),
        ("first token", [o.first_token_s for o in outcomes if o.first_token_s is not None]),
        ("first token (answered)", [o.first_token_s for o in outcomes if o.answered and o.first_token_s]),
        ("whole answer", [o.total_s for o in outcomes]),
    ):
        p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
        if p50 is not None and p95 is not None:
            print(f"  {label:<24} p50 {p50:.3f}  p95 {p95:.3f}  max {max(values):.3f}  (n={len(values)})")


def qa_arguments(parser: argparse.ArgumentParser) -> None:
    """The corpus, split and item file every QA benchmark takes."""
    parser.add_argument("dir", nargs="?", default=str(default_corpus()))
    parser.add_argument("--split", choices=("dev", "test", "all"), required=True)
    parser.add_argument("--items", default=str(ROOT / "benchmarks" / "data" / "qa.jsonl"))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    qa_arguments(parser)
    parser.add_argument("--json", metavar="OUT", help="write every item's result to this file")
    parser.add_argument("--no-cache", action="store_true", help="re-read (re-OCR) every deck")
    parser.add_argument("--limit", type=int, default=0, help="ask only the first N items (a smoke run)")
    parser.add_argument(
        "--no-model",
        action="store_true",
        help="a model that writes nothing (the answer is the product's own fallback): retrieval and "
        "refusal in minutes; the answer figures are then not the model's",
    )
    parser.add_argument("--from-json", metavar="FILE", help="only print the report of an earlier run's file")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.from_json:
        outs = [
            o for o in from_json(Path(args.from_json)) if args.split == "all" or o.item.split == args.split
        ]
        report(outs, f"{args.split} (from {args.from_json})", 0, 0, "as recorded")
        return 0

    from shared.files import LocalFileStore
    from shared.llm import make_llm
    from shared.settings import Settings

    items = interleave(load_items(Path(args.items), args.split))
    if args.limit:
        items = items[: args.limit]
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-qa-") as tmp:
        decks = read_decks(
            Path(args.dir), {i.deck for i in items}, not args.no_cache, LocalFileStore(Path(tmp) / "files")
        )
        for item in items:
            n_pages = len(decks[Path(args.dir) / item.deck])
            if item.answerable and not all(1 <= p <= n_pages for p in item.gold_pages):
                raise SystemExit(f"{item.id}: a gold page outside the deck's {n_pages} pages")
        print(f"pages ready in {time.perf_counter() - start:.0f} s (cache {CACHE})", flush=True)
        factory, embedder, store, subjects, n_chunks = build_subjects(decks, Path(tmp))
        settings = Settings(_env_file=None)  # type: ignore[call-arg]
        from shared.llm import GenerationOptions

        llm = SilentLLM() if args.no_model else make_llm(settings)  # one per process, as in the ai worker
        if not args.no_model:  # loaded and warm before the first question, as the worker's warm-up does
            llm.complete([{"role": "user", "content": "Hi"}], GenerationOptions(max_tokens=4))
        embedder.embed(["warm up"])
        model = f"{settings.llm_provider} {settings.llm_model or 'bundled SmolLM2-135M-Instruct Q4_1'}"
        if args.no_model:
            model = "none (--no-model: the product's fallback answers)"
        partial = f"{args.json}.partial.jsonl" if args.json else ""
        factory_llm = lambda: llm  # noqa: E731
        outcomes = ask_all(items, factory, embedder, store, subjects, factory_llm, partial)
    report(outcomes, args.split, sum(len(p) for p in decks.values()), n_chunks, model)
    if args.json:
        Path(args.json).write_text(
            json.dumps([o.as_json() for o in outcomes], ensure_ascii=False, indent=1), encoding="utf-8"
        )
        print(f"per-item results: {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
