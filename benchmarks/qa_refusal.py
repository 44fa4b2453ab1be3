"""The refusal's trade-off on the frozen QA set: off-topic questions refused against answerable ones
refused, for a grid of workers.ai.refusal's thresholds (calibrate on dev only).

    .venv/bin/python benchmarks/qa_refusal.py --split dev [DIR]

Decks are read and stored as benchmarks/qa.py does (one subject per deck, the same page cache); every item
is searched once with the product's retriever (a follow-up with its previous question, as qa.py asks it)
and its refusal features computed by workers.ai.refusal.features; the rule (refusal.decide) is then
evaluated for each threshold setting without searching again. The current setting is marked with *.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from qa import qa_arguments, read_decks  # noqa: E402
from qa_support import build_subjects, item_evidence, load_items  # noqa: E402

RARE = (0.0, 2.5, 3.0, 3.5, 4.0)  # 0: no rare-word check (the coverage and similarity rule alone)
OVERRIDE_LATIN = (0.5, 0.55, 0.6, 0.7)
OVERRIDE_OTHER = (0.6, 0.65)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    qa_arguments(parser)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from shared.files import LocalFileStore
    from workers.ai import refusal
    from workers.ai.retrieval import Retriever

    items = load_items(Path(args.items), args.split)
    by_id = {i.id: i for i in items}
    rows: list[tuple[Any, str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-refusal-") as tmp:
        decks = read_decks(Path(args.dir), {i.deck for i in items}, True, LocalFileStore(Path(tmp) / "f"))
        factory, embedder, store, subjects, _ = build_subjects(decks, Path(tmp))
        retriever = Retriever(embedder, store)
        vocabularies = refusal.VocabularyCache()
        with factory() as db:
            for item in items:
                subject, query, evidence = item_evidence(db, retriever, subjects, item, by_id)
                vocabulary = vocabularies.get(db, subject)
                rows.append((item, query, refusal.features(query, evidence, vocabulary)))
    answerable = [r for r in rows if r[0].answerable]
    off = [r for r in rows if not r[0].answerable]
    near = [r for r in off if r[0].type == "near_topic"]
    current = (refusal.RARE_ZIPF, refusal.OVERRIDE_SIMILARITY_LATIN, refusal.OVERRIDE_SIMILARITY_OTHER_SCRIPT)
    print(f"split {args.split}: {len(answerable)} answerable, {len(off)} off-topic ({len(near)} near-topic)")
    print("| rare word below (Zipf) | override similarity Latin / other | off-topic refused | near-topic "
          "refused | answerable refused |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|")
    for rare in RARE:
        for latin in OVERRIDE_LATIN:
            for other in OVERRIDE_OTHER:
                refusal.RARE_ZIPF = rare
                refusal.OVERRIDE_SIMILARITY_LATIN, refusal.OVERRIDE_SIMILARITY_OTHER_SCRIPT = latin, other

                def refused(group: list[tuple[Any, str, Any]]) -> str:
                    n = sum(not refusal.decide(f, q) for _, q, f in group)
                    return f"{n / len(group):.2f}" if group else "-"

                mark = " *" if (rare, latin, other) == current else ""
                print(
                    f"| {rare}{mark} | {latin} / {other} | {refused(off)} | {refused(near)} | "
                    f"{refused(answerable)} |"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
