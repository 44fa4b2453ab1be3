"""The refusal's OCR leniency (workers.ai.refusal.near_ocr_word) on notes as read and as OCR misreads them
(issue #13, thirteenth session). Dev only.

    .venv/bin/python benchmarks/qa_ocr_refuse_lab.py record RATE TYPED ALL_OCR > REC.jsonl
    .venv/bin/python benchmarks/qa_ocr_refuse_lab.py lodo REC.jsonl [REC2.jsonl ...]

``record`` builds the dev subjects as benchmarks/qa.py does (qa_lang_lab.py's own-language probes included),
garbles the stored chunks first when RATE > 0 (qa_refuse_lab.garble; TYPED 1: a word misread alike everywhere)
and, with ALL_OCR 1, marks every chunk as read by OCR (so the leniency applies to every deck), then searches
every item once with the product's retriever and decides it with ``refusal.features``/``decide`` for each
setting of GRID (minimum letters, edits, edits from OCR_LONG letters; "off" = no OCR leniency: main's rule
but for the pointer words the coverage now leaves out). One JSON line per item: its decision per setting
(True = answered). Main's rule decided offline this way reproduces qa.py's refusals item for item on dev as
read (10 of 189 / 38 of 41).

``lodo`` chooses, for every dev deck, the setting with the best J' on the other decks over all the given
records (J' = off-topic refused share, probes included, - 2 x falsely refused share; qa_lodo.py's J without
cites gold and key phrase, which a refusal-only record has not; ties keep "off", then the order of GRID) and
pools the held-out decks' counts per record.
"""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

GRID = {
    "off": (99, 1, 2),
    "6,1,2": (6, 1, 2),
    "5,1,2": (5, 1, 2),
    "5,1,1": (5, 1, 1),
    "4,1,2": (4, 1, 2),
    "5,2,2": (5, 2, 2),
    "5,2,3": (5, 2, 3),
}


def record(rate: float, typed: bool, all_ocr: bool) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import qa_support
    from qa import default_corpus, interleave, read_decks
    from qa_lang_lab import probe_items
    from qa_refuse_lab import garble
    from sqlalchemy import select

    from shared.files import LocalFileStore
    from shared.models import Chunk
    from workers.ai import refusal
    from workers.ai.retrieval import Retriever

    plain, rng = qa_support.store_decks, random.Random(13)

    def store(decks: Any, data_dir: Any) -> Any:
        out = plain(decks, data_dir)
        with out[1]() as db:
            for chunk in db.scalars(select(Chunk).order_by(Chunk.id)):
                if rate:
                    chunk.text = garble(chunk.text, rate, rng, typed)
                    chunk.title = garble(chunk.title, rate, rng, typed)
                if all_ocr:
                    chunk.source = refusal.OCR_SOURCE
            db.commit()
        return out

    qa_support.store_decks = store
    items = interleave(qa_support.load_items(ROOT / "benchmarks" / "data" / "qa.jsonl", "dev"))
    items += probe_items(items)
    by_id = {i.id: i for i in items}
    with tempfile.TemporaryDirectory() as tmp:
        decks = read_decks(default_corpus(), {i.deck for i in items}, True, LocalFileStore(Path(tmp) / "f"))
        factory, embedder, vectors, subjects, _ = qa_support.build_subjects(decks, Path(tmp))
        retriever = Retriever(embedder, vectors)
        caches = {k: refusal.VocabularyCache() for k in GRID}  # the OCR words' index depends on the knobs
        with factory() as db:
            for item in items:
                subject, query, evidence = qa_support.item_evidence(db, retriever, subjects, item, by_id)
                row: dict[str, Any] = {"id": item.id, "deck": item.deck, "ans": item.answerable}
                for name, knobs in GRID.items():
                    refusal.OCR_MIN_LETTERS, refusal.OCR_EDITS, refusal.OCR_LONG_EDITS = knobs
                    f = refusal.features(query, evidence, caches[name].get(db, subject))
                    row[name] = refusal.decide(f, query)
                print(json.dumps(row, ensure_ascii=False), flush=True)


def counts(rows: list[dict[str, Any]], key: str) -> tuple[int, int, int, int]:
    ans = [r for r in rows if r["ans"]]
    off = [r for r in rows if not r["ans"]]
    return sum(not r[key] for r in ans), len(ans), sum(not r[key] for r in off), len(off)


def objective(rows: list[dict[str, Any]], key: str) -> float:
    fr, n_ans, refused, n_off = counts(rows, key)
    return (refused / n_off if n_off else 0.0) - 2 * (fr / n_ans if n_ans else 0.0)


def lodo(paths: list[Path]) -> None:
    records = {
        p.name: [json.loads(x) for x in p.read_text().splitlines() if x.startswith("{")] for p in paths
    }
    decks = sorted({r["deck"] for rows in records.values() for r in rows})
    keys = list(GRID)
    held = {name: [0, 0, 0, 0] for name in records}
    for deck in decks:
        train = [r for rows in records.values() for r in rows if r["deck"] != deck]
        best = max(keys, key=lambda k: (round(objective(train, k), 9), -keys.index(k)))
        print(f"held out {deck}: {best}")
        for name, rows in records.items():
            for i, n in enumerate(counts([r for r in rows if r["deck"] == deck], best)):
                held[name][i] += n
    for name, rows in records.items():
        print(
            f"{name}: held out falsely refused {held[name][0]}/{held[name][1]}, off-topic refused "
            f"{held[name][2]}/{held[name][3]}; per setting (falsely refused, off-topic refused): "
            + ", ".join(f"{k} {counts(rows, k)[0]}/{counts(rows, k)[2]}" for k in keys)
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["record"]:
        record(float(sys.argv[2]), sys.argv[3] == "1", sys.argv[4] == "1")
    elif sys.argv[1:2] == ["lodo"]:
        lodo([Path(p) for p in sys.argv[2:]])
    else:
        raise SystemExit(__doc__)
