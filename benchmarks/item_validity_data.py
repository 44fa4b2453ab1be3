"""Every blind DEV verdict on study items (quiz questions, cards, cheat-sheet entries), sessions 3-13, as one
table for benchmarks/item_validity.py.

Each judged file is paired with the items it rates (benchmarks/results/session*/README.md): ids "quiz-N" /
"cards-N" / "sheet-N" count the items of that type in file order, "new-N" is the N-th item of a new-items
file, other ids (a0, s12, q3, n40, d56 ...) are the ids of the judge file. Files whose name contains "test"
are never opened, and every row of a test deck is dropped on load (asserted). Items identical in text (the
fields a judge reads) are one row: the latest verdict wins (sessions in order; within a session, later
rounds after earlier). Own (non-blind) ratings (session 5) are not used.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
TEST_DECKS = frozenset(
    {
        "neuro_vision-intro_mit904-L01.pdf",
        "db_query-optimization_cmu15445-L13.pdf",
        "epi_why-model-infectious-disease_lshtm-L02.pdf",
        "sad_process-modeling_ch05.pptx",
        "zh_bio_speciation-extinction_ch12.pdf",
        "ocr_imageonly_slt-uniform-convergence_mit9520.pdf",
        "ocr_photographed_python-course-notes_ztm.pdf",
        "hi_ssc-cgl-2023-tier1-hindi-paper.pdf",
    }
)
KIND = {"quiz": "quiz", "card": "card", "cheatsheet": "sheet"}
PREFIX = {"quiz": "quiz", "card": "cards", "cheatsheet": "sheet"}

# (session, round, items file, judged file, how ids are read): rounds order verdicts within a session.
SOURCES: list[tuple[int, int, str, str, str]] = [
    (3, 1, "session3/items_dev_before.json", "session3/judged_quiz_dev_before.json", "typed"),
    (3, 1, "session3/items_dev_before.json", "session3/judged_cards_dev_before.json", "typed"),
    (3, 2, "session3/items_dev_after.json", "session3/judged_quiz_dev_after.json", "typed"),
    (3, 2, "session3/items_dev_after.json", "session3/judged_cards_dev_after.json", "typed"),
    (3, 2, "session3/items_dev_after.json", "session3/judged_sheet_dev_after.json", "typed"),
    (3, 3, "session3/items_dev_final.json", "session3/judged_quiz_dev_final.json", "typed"),
    (3, 3, "session3/items_dev_final.json", "session3/judged_sheet_dev_final.json", "typed"),
    (6, 1, "session6/items_dev_main.json", "session6/judged_dev_main.json", "typed"),
    (6, 2, "session6/items_dev_sheet_round1.json", "session6/judged_dev_sheet_round1.json", "typed"),
    (6, 2, "session6/items_dev_items_round2.json", "session6/judged_dev_items_round2.json", "typed"),
    (7, 1, "session7/items_dev_sheet_cover.json", "session7/judged_dev_sheet_cover.json", "typed"),
    (10, 1, "session10/new_items_dev.json", "session10/judged_new_items_dev.json", "new"),
    (10, 1, "session10/new_quiz_dev.json", "session10/judged_new_quiz_dev.json", "new"),
    (10, 2, "session10/new_quiz_keys_dev.json", "session10/judged_new_quiz_keys_dev.json", "new"),
    (12, 1, "session12/judge_items_study-lists.json", "session12/judged_new_items_study-lists.json", "id"),
    (12, 1, "session12/judge_items_study-points.json", "session12/judged_new_items_study-points.json", "id"),
    (12, 1, "session12/judge_items_sheet-cover.json", "session12/judged_new_items_sheet-cover.json", "id"),
    (
        12,
        1,
        "session12/judge_items_student-read2.json",
        "session12/judged_new_items_student-read2.json",
        "id",
    ),
    (13, 1, "session13/judge_items_dev_sheet.json", "session13/judged_dev_sheet.json", "id"),
    (13, 1, "session13/judge_items_dev_quiz_cards.json", "session13/judged_dev_quiz_cards.json", "id"),
    (13, 2, "session13/judge_items_dev_figures.json", "session13/judged_dev_figures.json", "id"),
    (13, 3, "session13/judge_items_dev_final.json", "session13/judged_dev_final.json", "id"),
    (13, 4, "session13/judge_items_last.json", "session13/judged_last.json", "id"),
]
FIELDS = {
    "quiz": ("question_kind", "stem", "options", "key", "explanation"),
    "card": ("card_kind", "front", "back"),
    "sheet": ("section", "text"),
}


def _load(rel: str) -> Any:
    assert "test" not in Path(rel).name, rel
    with open(RESULTS / rel, encoding="utf-8") as fh:
        return json.load(fh)


def text_key(kind: str, item: dict[str, Any]) -> str:
    """What a judge reads of an item (its identity for deduplication)."""
    fields = {"quiz": ("stem", "options", "key"), "card": ("front", "back"), "sheet": ("text",)}[kind]
    return json.dumps([kind, *(item.get(f) for f in fields)], ensure_ascii=False)


def _pairs(items_file: str, judged_file: str, how: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    items, judged = _load(items_file), _load(judged_file)
    if isinstance(items, dict):
        items = items["items"]
    if isinstance(judged, list):
        judged = {v["item_id"]: v for v in judged}
    by_id: dict[str, dict[str, Any]] = {}
    if how == "typed":
        seen: Counter[str] = Counter()
        for item in items:
            by_id[f"{PREFIX[item['type']]}-{seen[item['type']]}"] = item
            seen[item["type"]] += 1
    elif how == "new":
        by_id = {f"new-{i}": item for i, item in enumerate(items)}
    else:
        by_id = {item["id"]: item for item in items}
    out = []
    for vid, verdict in judged.items():
        item = by_id[vid]
        if verdict.get("deck") and verdict["deck"] != item["deck"]:  # session 3's files name the deck
            raise AssertionError(f"{judged_file} {vid}: deck {verdict['deck']} != {item['deck']}")
        out.append((item, verdict))
    return out


def load_rows() -> list[dict[str, Any]]:
    """One row per distinct dev item: deck, kind, session, valid, worth, the item's fields, slide, figure."""
    rows: dict[str, dict[str, Any]] = {}
    for session, rnd, items_file, judged_file, how in SOURCES:
        for item, verdict in _pairs(items_file, judged_file, how):
            if item["deck"] in TEST_DECKS:  # a test item rated in a shared file: never used
                continue
            kind = KIND[item["type"]]
            row = {
                "deck": item["deck"],
                "kind": kind,
                "session": session,
                "round": rnd,
                "source": judged_file,
                "slide": item.get("slide"),
                "figure": bool(item.get("figure_ids") or item.get("figure_id")),
                "valid": verdict["valid"] == "yes",
                "worth": verdict["worth_keeping"] == "yes",
                **{f: item.get(f) for f in FIELDS[kind]},
            }
            key = text_key(kind, item)
            old = rows.get(key)
            if old is None or (session, rnd) >= (old["session"], old["round"]):
                rows[key] = row
    out = list(rows.values())
    assert not any(r["deck"] in TEST_DECKS for r in out)
    return out


def summary(rows: list[dict[str, Any]]) -> str:
    lines = ["deck | quiz n (invalid) | card n (invalid) | sheet n (invalid)"]
    decks = sorted({r["deck"] for r in rows})
    for deck in [*decks, "all"]:
        cells = []
        for kind in ("quiz", "card", "sheet"):
            sel = [r for r in rows if r["kind"] == kind and deck in ("all", r["deck"])]
            bad = sum(not r["valid"] for r in sel)
            cells.append(f"{len(sel)} ({bad}, {bad / max(1, len(sel)):.0%})")
        lines.append(f"{deck} | " + " | ".join(cells))
    by_session = Counter(r["session"] for r in rows)
    lines.append(
        "rows per session (latest verdict): " + ", ".join(f"s{k} {v}" for k, v in sorted(by_session.items()))
    )
    return "\n".join(lines)


if __name__ == "__main__":
    table = load_rows()
    print(len(table), "rows")
    print(summary(table))
