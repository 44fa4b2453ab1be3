"""Refusal signals that carry across decks (issue #13 item 4, tenth session). Dev only.

    .venv/bin/python benchmarks/qa_refuse_lab.py record --out REC.json

Builds the dev subjects as benchmarks/qa.py does and asks every dev item (and qa_lang_lab.py's own-language
probes) through ``answer_question`` once, answering everything (as qa_lodo.py's "answer_all"), and records
per item what the refusal could look at: the query it was given, the retrieved slides (similarity, BM25
score), the refusal's features and missing words, the question's cosine to EVERY chunk of its subject, and
per subject the chunks' own words and their chunk-to-chunk similarities. The record stays in /tmp (it holds
slide words); benchmarks/qa_refuse_eval.py evaluates candidate rules on it leaving one dev deck out.
``--noise P [--typed]`` garbles the stored notes first (a stress test: OCR-like damage, see ``garble``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from qa import SilentLLM, ask_all, default_corpus, interleave  # noqa: E402
from qa_lang_lab import apply, probe_items  # noqa: E402
from qa_support import load_items, strip_labels  # noqa: E402

CONFUSABLE = {
    "e": "c",
    "c": "e",
    "o": "0",
    "l": "1",
    "i": "l",
    "a": "o",
    "n": "h",
    "h": "n",
    "u": "v",
    "m": "rn",
    "rn": "m",
    "t": "f",
    "s": "5",
    "b": "h",
    "g": "q",
    "d": "cl",
}


def garble(text: str, rate: float, rng: Any, typed: bool = False) -> str:
    """OCR-like damage: each word of four letters or more, with probability ``rate``, gets one letter
    confused with a look-alike, dropped, or doubled (a stress test for the rules on words). ``typed``: the
    same word is damaged the same way everywhere (a hand or a font misread alike), as real OCR errors are."""
    import random
    import re
    import zlib

    def one(m: Any) -> str:
        w = m.group(0)
        r = random.Random(zlib.crc32(w.lower().encode())) if typed else rng
        if len(w) < 4 or r.random() >= rate:
            return w
        i = r.randrange(len(w))
        kind = r.random()
        if kind < 0.6:
            return w[:i] + CONFUSABLE.get(w[i].lower(), w[i]) + w[i + 1 :]
        if kind < 0.8:
            return w[:i] + w[i + 1 :]
        return w[:i] + w[i] + w[i:]

    return re.sub(r"[^\W\d_]+", one, text)


def noisy_store(rate: float, typed: bool) -> None:
    """Patch qa_support.store_decks so every stored chunk's words are garbled before they are embedded."""
    import random

    import qa_support
    from sqlalchemy import select

    from shared.models import Chunk

    plain = qa_support.store_decks
    rng = random.Random(13)

    def store(decks: Any, data_dir: Any) -> Any:
        out = plain(decks, data_dir)
        factory = out[1]
        with factory() as db:
            for chunk in db.scalars(select(Chunk).order_by(Chunk.id)):
                chunk.text = garble(chunk.text, rate, rng, typed)
                chunk.title = garble(chunk.title, rate, rng, typed)
            db.commit()
        return out

    qa_support.store_decks = store


def record(out_path: Path, noise: float = 0.0, typed: bool = False) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import numpy as np
    from qa import read_decks
    from qa_support import build_subjects
    from sqlalchemy import select

    from shared.files import LocalFileStore
    from shared.models import Chunk, Lecture, Subject
    from shared.text import words
    from workers.ai import refusal
    from workers.ai.retrieval import embedding_text, match_terms

    if noise:
        noisy_store(noise, typed)
    items = interleave(load_items(ROOT / "benchmarks" / "data" / "qa.jsonl", "dev"))
    items += probe_items(items)
    saved: dict[str, Any] = {"items": {}, "subjects": {}, "rows": {}}
    for i in items:
        saved["items"][i.id] = {
            "deck": i.deck,
            "answerable": i.answerable,
            "probe": i.type == "probe",
            "type": i.type,
            "question": i.question,
            "language": i.language,
        }
    captured: dict[str, Any] = {}
    current = [""]
    from workers.ai import answer as answer_module

    ask = answer_module.answer_question

    def asking(**kwargs: Any) -> Any:
        current[0] = kwargs["req"].request_id
        return ask(**kwargs)

    with tempfile.TemporaryDirectory(prefix="bench-refuse-") as tmp:
        decks = read_decks(
            default_corpus(), {i.deck for i in items}, True, LocalFileStore(Path(tmp) / "files")
        )
        factory, embedder, store, subjects, _ = build_subjects(decks, Path(tmp))
        embedder.embed(["warm up"])
        matrices: dict[int, tuple[list[int], Any]] = {}
        with factory() as db:
            for deck, sid in subjects.items():
                subject = db.get(Subject, sid)
                chunks = list(
                    db.scalars(
                        select(Chunk)
                        .join(Lecture, Lecture.id == Chunk.lecture_id)
                        .where(Lecture.subject_id == sid)
                        .order_by(Chunk.id)
                    )
                )
                vecs = np.asarray(embedder.embed([embedding_text(c) for c in chunks]), dtype=float)
                vecs /= np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-12
                matrices[sid] = ([c.id for c in chunks], vecs)
                cc = vecs @ vecs.T
                vocab = refusal.VocabularyCache().get(db, subject)
                saved["subjects"][deck] = {
                    "chunk_ids": [c.id for c in chunks],
                    "terms": [match_terms(f"{c.title}\n{c.text}", vocab.language or "en") for c in chunks],
                    "pages": [c.page_number for c in chunks],
                    "words": [[w.lower() for w in words(f"{c.title}\n{c.text}")] for c in chunks],
                    "cc": np.round(cc, 4).tolist(),
                    "language": vocab.language,
                }

        def capturing(query: str, evidence: Any, vocabulary: Any = None) -> bool:
            f = refusal.features(query, evidence, vocabulary)
            rid = current[0]
            deck = saved["items"][rid]["deck"]
            _ids, vecs = matrices[subjects[deck]]
            [q] = embedder.embed([query])
            q = np.asarray(q, dtype=float)
            q /= np.linalg.norm(q) + 1e-12
            lang = f.language
            captured[rid] = {
                "query": query,
                "features": [f.coverage, f.similarity, f.rarest_missing, f.language],
                "decided": refusal.decide(f, query),
                "missing": f.missing,
                "qterms": match_terms(query, lang),
                "evidence": [
                    {"chunk": e.chunk_id, "page": e.page, "sim": e.similarity, "kw": e.keyword}
                    for e in evidence
                ],
                "sims": np.round(vecs @ q, 4).tolist(),
            }
            return True

        old = apply(
            {"workers.ai.answer.notes_answer": capturing, "workers.ai.answer.answer_question": asking}
        )
        start = time.perf_counter()
        try:
            outs = ask_all(items, factory, embedder, store, subjects, lambda: SilentLLM())
        finally:
            apply(old)
    for o in outs:
        saved["rows"][o.item.id] = {
            "cites": o.cites_gold,
            "only": o.only_gold,
            "key": o.key_ok,
            "rank": o.rank,
            "words": len(strip_labels(o.answer).split()),
            **captured[o.item.id],
        }
    out_path.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")
    print(f"recorded {len(outs)} items in {time.perf_counter() - start:.0f} s", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record")
    rec.add_argument("--out", required=True, type=Path)
    rec.add_argument("--noise", type=float, default=0.0, help="garble this share of the notes' words")
    rec.add_argument("--typed", action="store_true", help="the same word garbled alike everywhere")
    args = parser.parse_args()
    record(args.out, args.noise, args.typed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
