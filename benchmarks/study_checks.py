"""What each of workers/generation/source_checks.py's checks does on the pooled blind DEV judgments.

    .venv/bin/python benchmarks/study_checks.py [DIR] [--out FILE.json]

Every dev quiz question and card a blind judge rated (benchmarks/results/session3/*dev*, session6/judged_dev_*
with their items files; ids "quiz-N" / "cards-N" are the N-th item of that type in the items file), joined
to its source slide as the product reads it now (the page cache of benchmarks/retrieval.py, the line roles,
the readability gate). An item is bad when the judge rated it not valid or not worth keeping. For each check:
how many bad items it removes and how many good ones it loses, counted per judgment and per distinct item
(the same item judged in several rounds counts once; it is bad when any judge rated it bad). The
plausibility check's one setting (how often the lecture may write an unknown word for it to count as
misread) is also chosen leaving one dev deck out: chosen on the nine other decks (most bad removed minus good
lost; ties to the value that removes fewer), then counted on the deck left out; likewise the share of a
line's words that makes it an item's source, and the share of a slide's lines that makes it an exercise,
outline or title slide.
No test file is read: every file name is checked.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from figure_crops import FigureFiles  # noqa: E402
from retrieval import CACHE, clean_pages, deck_languages, read_pages, store_decks  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
# (version, items file, judgment files): every blind dev judgment of quiz questions and cards.
JUDGED = [
    (
        "s3_before",
        "session3/items_dev_before.json",
        ["session3/judged_quiz_dev_before.json", "session3/judged_cards_dev_before.json"],
    ),
    (
        "s3_after",
        "session3/items_dev_after.json",
        ["session3/judged_quiz_dev_after.json", "session3/judged_cards_dev_after.json"],
    ),
    ("s3_final", "session3/items_dev_final.json", ["session3/judged_quiz_dev_final.json"]),
    ("s6_main", "session6/items_dev_main.json", ["session6/judged_dev_main.json"]),
    ("s6_r2", "session6/items_dev_items_round2.json", ["session6/judged_dev_items_round2.json"]),
]


def _load(name: str) -> Any:
    if "test" in name:
        raise SystemExit(f"refusing to read a test file: {name}")
    return json.loads((RESULTS / name).read_text(encoding="utf-8"))


def pooled() -> list[dict[str, Any]]:
    """Every judged dev quiz question and card: version, item, judgment, bad."""
    out = []
    for version, items_file, judged in JUDGED:
        by_id: dict[str, dict[str, Any]] = {}
        count: Counter[str] = Counter()
        for item in _load(items_file)["items"]:
            if item["type"] in ("quiz", "card"):
                prefix = "quiz" if item["type"] == "quiz" else "cards"
                by_id[f"{prefix}-{count[prefix]}"] = item
                count[prefix] += 1
        for name in judged:
            rows = _load(name)
            if isinstance(rows, dict):
                rows = [dict(v, item_id=k) for k, v in rows.items()]
            for row in rows:
                if row["item_id"].startswith(("quiz-", "cards-")):
                    item = by_id[row["item_id"]]
                    bad = row["valid"] != "yes" or row["worth_keeping"] != "yes"
                    out.append({"version": version, "item": item, "judgment": row, "bad": bad})
    return out


def materials(corpus: Path, decks: list[str]) -> dict[str, Any]:
    """Each deck's lecture as the generator reads it (gated), by deck name."""
    from shared.text import detect_language
    from workers.generation.gate import gate_material
    from workers.generation.material import load_material

    cache = json.loads(CACHE.read_text(encoding="utf-8")) if CACHE.exists() else {}
    out = {}
    with tempfile.TemporaryDirectory(prefix="bench-checks-") as tmp:
        files = FigureFiles(Path(tmp) / "files", {})
        read = {}
        for name in decks:
            pages, _ = read_pages(corpus / name, deck_languages(corpus / name), cache, True)
            read[corpus / name] = clean_pages(pages, files)
        _, factory, user_id, subjects, _ = store_decks(read, Path(tmp))
        with factory() as db:
            for name in decks:
                [lecture] = load_material(db, user_id=user_id, subject_id=subjects[name])
                lang = detect_language("\n".join(s.text for s in lecture.slides))
                out[name] = (gate_material(lecture, lang), lang)
    return out


def problems(row: dict[str, Any], mats: dict[str, Any], max_count: int) -> list[str]:
    from workers.generation.source_checks import card_problems, quiz_problems, vocabulary

    item = row["item"]
    lecture, lang = mats[item["deck"]]
    if "_vocab" not in row:
        row["_vocab"] = vocabulary(f"{s.title}\n{s.text}" for s in lecture.slides)
    slide = next((s for s in lecture.slides if s.ref.page == item["slide"]), None)
    if item["type"] == "quiz":
        return quiz_problems(
            item["question_kind"],
            item["stem"],
            item["options"],
            item["key"],
            slide=slide,
            lang=lang,
            vocab=row["_vocab"],
            max_count=max_count,
        )
    return card_problems(
        item["card_kind"],
        item["front"],
        item["back"],
        slide=slide,
        lang=lang,
        vocab=row["_vocab"],
        figure=item.get("figure_id") is not None,
        max_count=max_count,
    )


def quiz_question(item: dict[str, Any]) -> Any:
    """A judged quiz item (study_quality's export) as the product's QuizQuestion."""
    from shared.schemas import QuizQuestion, SourceRef

    options = item["options"] or []
    letter = "abcdefgh"[options.index(item["key"])] if item["key"] in options else item["key"]
    return QuizQuestion(
        number=1,
        kind=item["question_kind"],
        prompt=item["stem"],
        options=options,
        answer=letter,
        answer_text=item["key"],
        explanation=item.get("explanation") or "",
        source=SourceRef(lecture_id=1, lecture="x", file="x", page=item["slide"] or 1),
    )


def existing(row: dict[str, Any], mats: dict[str, Any]) -> str | None:
    """What the generator's earlier item-level checks say of the item (validity and form checks; the
    candidate-level gates before them cannot be replayed on an exported item)."""
    from workers.generation import card_forms, quiz_forms, validity

    item = row["item"]
    lecture, lang = mats[item["deck"]]
    if item["type"] == "quiz":
        q = quiz_question(item)
        return validity.quiz_problem(q) or quiz_forms.form_problem(q, lang)
    figure = item.get("figure_id") is not None
    text = card_forms.lecture_text([(s.title, s.text) for s in lecture.slides])
    return validity.card_problem(
        item["front"], item["back"], item["card_kind"], figure=figure, lang=lang
    ) or card_forms.form_problem(
        item["card_kind"], item["front"], item["back"], lang, figure=figure, lecture_text=text
    )


def item_key(item: dict[str, Any]) -> tuple[Any, ...]:
    return (
        item["deck"],
        item.get("stem"),
        tuple(item.get("options") or []),
        item.get("key"),
        item.get("front"),
    )


def tally(
    rows: list[dict[str, Any]], flags: list[list[str]], before: list[str | None]
) -> dict[str, dict[str, int]]:
    """Per check (and 'any'): bad removed / good lost, per judgment and per distinct item; and of the bad
    ones removed, how many no earlier item-level check caught ('bad_removed_new')."""
    out: dict[str, dict[str, int]] = defaultdict(Counter)  # type: ignore[arg-type]
    distinct: dict[tuple[Any, ...], tuple[bool, set[str]]] = {}
    for row, found, old in zip(rows, flags, before, strict=True):
        names = {*found, "any"} if found else set()
        for name in names:
            out[name]["bad_removed" if row["bad"] else "good_lost"] += 1
            if row["bad"] and not old:
                out[name]["bad_removed_new"] += 1
            if not row["bad"] and not old:
                out[name]["good_lost_new"] += 1
        if row["bad"] and not old:
            out["all"]["bad_passing_earlier_checks"] += 1
        out["all"]["bad" if row["bad"] else "good"] += 1
        key = item_key(row["item"])
        was_bad, _ = distinct.get(key, (False, set()))
        distinct[key] = (was_bad or row["bad"], names)
    for bad, names in distinct.values():
        for name in names:
            out[name]["distinct_bad_removed" if bad else "distinct_good_lost"] += 1
        out["all"]["distinct_bad" if bad else "distinct_good"] += 1
    return {k: dict(v) for k, v in out.items()}


def leave_one_deck_out(
    rows: list[dict[str, Any]], mats: dict[str, Any], setting: str, grid: list[Any], checks: tuple[str, ...]
) -> list[dict[str, Any]]:
    """One setting of source_checks (a module constant) chosen on nine dev decks, counted on the tenth: the
    value whose ``checks`` remove the most bad judgments less good ones there (ties: the one that removes
    fewer items there, the conservative choice; then the first in ``grid``)."""
    from workers.generation import source_checks

    saved = getattr(source_checks, setting)
    flagged = {}
    try:
        for value in grid:
            setattr(source_checks, setting, value)
            found = [problems(r, mats, source_checks.MAX_RARE_COUNT) for r in rows]
            flagged[value] = [any(f in checks for f in fs) for fs in found]
    finally:
        setattr(source_checks, setting, saved)
    return held_out_choices(rows, flagged, setting, grid, judgments=True)


def held_out_choices(
    rows: list[dict[str, Any]],
    flagged: dict[Any, list[bool]],
    setting: str,
    grid: list[Any],
    *,
    judgments: bool,
) -> list[dict[str, Any]]:
    """Per deck, the value of ``grid`` chosen on the other decks (``flagged[value]``: which rows the check
    removes with that value): the most bad judgments removed less good ones, ties to the value removing
    fewer, then the first in ``grid``; and what it removes on the held-out deck (``judgments``: with the
    deck's count of judgments)."""
    out = []
    for held in sorted({r["item"]["deck"] for r in rows}):

        def gain(value: Any, held: str = held) -> int:
            return sum(
                (1 if r["bad"] else -1)
                for r, f in zip(rows, flagged[value], strict=True)
                if f and r["item"]["deck"] != held
            )

        def flagged_there(value: Any, held: str = held) -> int:
            return sum(f for r, f in zip(rows, flagged[value], strict=True) if r["item"]["deck"] != held)

        best = max(grid, key=lambda v: (gain(v), -flagged_there(v), -grid.index(v)))
        here = [(r, f) for r, f in zip(rows, flagged[best], strict=True) if r["item"]["deck"] == held]
        row = {
            "deck": held,
            setting: best,
            "bad_removed": sum(f and r["bad"] for r, f in here),
            "good_lost": sum(f and not r["bad"] for r, f in here),
        }
        if judgments:
            row["judgments"] = len(here)
        out.append(row)
    return out


# The settings chosen leaving one deck out: the values tried and the checks they move.
SETTINGS = {
    "MAX_RARE_COUNT": ([1, 0, 2, 3, 4, 5], ("implausible_words",)),
    "SOURCE_SHARE": (
        [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0],
        ("source_code", "source_agenda", "source_question", "source_figure_text", "source_formula"),
    ),
    "SLIDE_KIND_SHARE": ([0.5, 0.3, 0.4, 0.6, 0.7, 0.8], ("exercise_slide", "outline_slide", "title_slide")),
}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dir", nargs="?", default=str(ROOT.parents[1] / "shared" / "corpus"))
    parser.add_argument("--out", help="write the per-check counts and every flagged item here (JSON)")
    args = parser.parse_args()
    from workers.generation.source_checks import MAX_RARE_COUNT

    rows = pooled()
    mats = materials(Path(args.dir), sorted({r["item"]["deck"] for r in rows}))
    flags = [problems(r, mats, MAX_RARE_COUNT) for r in rows]
    before = [existing(r, mats) for r in rows]
    result = {"max_rare_count": MAX_RARE_COUNT, "checks": tally(rows, flags, before)}
    result["leave_one_deck_out"] = {
        name: leave_one_deck_out(rows, mats, name, grid, checks) for name, (grid, checks) in SETTINGS.items()
    }
    result["flagged"] = [
        {
            "version": r["version"],
            "deck": r["item"]["deck"],
            "slide": r["item"]["slide"],
            "text": r["item"].get("stem") or r["item"].get("front"),
            "bad": r["bad"],
            "problems": f,
            "earlier_check": old,
        }
        for r, f, old in zip(rows, flags, before, strict=True)
        if f
    ]
    print(json.dumps({k: result[k] for k in ("max_rare_count", "checks", "leave_one_deck_out")}, indent=1))
    if args.out:
        Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
