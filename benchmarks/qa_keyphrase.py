"""Where the key phrase is lost when the answer speaks from the gold slide (issue #13, eighth session).

    .venv/bin/python benchmarks/qa_lodo.py record --out REC.json --only main --slides
    .venv/bin/python benchmarks/qa_keyphrase.py losses --record REC.json [--setting main] [--show N]

Reads a qa_lodo record made with ``--slides`` (each row keeps the answer and the slides it was written from)
and, for the answerable dev items answered from the gold slide (the slide the answer speaks from is gold)
without their key phrase although the slide's words hold it, gives each a cause, tried in this order:

- "title": the phrase is in the slide's title only;
- "filtered": in the slide's text but in no answer unit (dropped as a credit, a piece of the title, ...);
- "split": in no single unit, but in two neighbouring units read together (a definition over two lines);
- "list cut": a list answer, the phrase in a unit before its anchor or after its last item;
- "budget": the phrase's unit would be said with no word or unit limit (its turn comes after the cut);
- "figure": the slide's retrieved chunk is a figure's words;
- "no question word": the phrase's unit shares no word with the question (never chosen nor reached by the
  fill);
- "outranked": the phrase's unit shares words with the question but others share more.

Dev only: the record is of the dev split (qa_lodo.py never reads test).
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from qa_lang_lab import apply  # noqa: E402
from qa_support import load_items, phrase_found, strip_labels  # noqa: E402


def evidence(slide: dict[str, Any]) -> Any:
    from workers.ai.retrieval import Evidence

    return Evidence(
        0,
        slide["lecture_id"],
        "deck",
        "f",
        slide["page"],
        slide["title"],
        slide["text"],
        slide["source"],
        slide["figure_ids"],
    )


def groups_missing(text: str, groups: list[list[str]]) -> list[list[str]]:
    return [g for g in groups if not any(phrase_found(text, p) for p in g)]


def cause(item: Any, row: dict[str, Any]) -> str:
    """The reason the key phrase is not in this answer (see the module), for an item whose answer speaks
    from the gold slide."""
    from workers.ai import answer
    from workers.ai.list_answer import list_pieces

    slides = [evidence(s) for s in row["slides"]]
    top = slides[0]
    missing = groups_missing(strip_labels(row["answer"]), item.key_phrases)
    units = answer.answer_units(top)
    body = f"{top.title}\n{top.text}"
    if groups_missing(body, missing):
        return "not in slide"
    in_units = [any(any(phrase_found(u, p) for p in g) for u in units) for g in missing]
    if all(not phrase_found(top.text, p) for g in missing for p in g):
        return "title"
    if not all(in_units):
        pairs = [f"{a} {b}" for a, b in itertools.pairwise(units)]
        if all(any(any(phrase_found(u, p) for p in g) for u in pairs) for g in missing):
            return "split"
        return "filtered"
    asked = row["asked"]
    if list_pieces(asked, slides, answer.answer_units):
        return "list cut"
    old = apply({"workers.ai.answer.EXTRACT_WORDS": 10_000, "workers.ai.answer.MAX_UNITS": 1000})
    try:
        loose = " ".join(p for p, _ in answer.extractive_pieces(asked, slides))
    finally:
        apply(old)
    if not groups_missing(loose, missing):
        return "budget"
    from workers.ai.retrieval import match_terms

    wanted = set(match_terms(asked))
    holders = [u for u in units if any(phrase_found(u, p) for g in missing for p in g)]
    if top.source == "figure":
        return "figure"
    if not any(wanted & set(match_terms(u)) for u in holders):
        return "no question word"
    return "outranked"


def losses(saved: dict[str, Any], setting: str, show: int) -> None:
    items = {i.id: i for i in load_items(ROOT / "benchmarks" / "data" / "qa.jsonl", "dev")}
    rows = saved["settings"][setting]["rows"]
    answerable = [k for k in rows if k in items and items[k].answerable]
    gold_first = [
        k for k in answerable if rows[k].get("slides") and rows[k]["slides"][0]["page"] in items[k].gold_pages
    ]
    lost = [k for k in gold_first if rows[k]["answered"] and not rows[k]["key"]]
    causes = {k: cause(items[k], rows[k]) for k in lost}
    bound = [
        k
        for k in answerable
        if rows[k].get("slides")
        and any(
            not groups_missing(f"{s['title']}\n{s['text']}", items[k].key_phrases)
            for s in rows[k]["slides"]
            if s["page"] in items[k].gold_pages
        )
    ]
    print(
        f"{setting}: answerable {len(answerable)}, key phrase {sum(rows[k]['key'] for k in answerable)}, "
        f"spoken from the gold slide {len(gold_first)}, of which without the key phrase {len(lost)}"
    )
    print(f"key phrase in a gold slide among those the answer was written from: {len(bound)}")
    for name, n in Counter(causes.values()).most_common():
        print(f"  {name:<18}{n:3d}  {' '.join(sorted(k for k in causes if causes[k] == name))}")
    for k in sorted(lost)[:show]:
        r = rows[k]
        print(f"\n--- {k} [{causes[k]}] Q: {items[k].question}\n    key: {items[k].key_phrases}")
        print(f"    A: {r['answer'][:600]}")
        s = r["slides"][0]
        print(f"    TITLE: {s['title']!r} SOURCE {s['source']} FIG {s['figure_ids']}")
        print("    TEXT: " + s["text"][:1500].replace("\n", " | "))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    los = sub.add_parser("losses")
    los.add_argument("--record", required=True, type=Path)
    los.add_argument("--setting", default="main")
    los.add_argument("--show", type=int, default=0)
    args = parser.parse_args()
    raw = args.record.read_bytes()
    saved = json.loads((gzip.decompress(raw) if args.record.suffix == ".gz" else raw).decode("utf-8"))
    losses(saved, args.setting, args.show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
