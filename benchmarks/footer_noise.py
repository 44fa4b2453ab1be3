"""Repeated lines under OCR-like damage: are running footers, headers and course meta still found when every
page's copy of them comes out slightly differently (as OCR makes it), and is content still kept?

    PYTHONPATH=. .venv/bin/python benchmarks/footer_noise.py [--code DIR] [--rates 0,0.05,0.1,0.2]
        [--seed 14] [--decks a.pdf,b.pptx] [--dump FILE] [--diff A.json B.json]

Dev decks only (the test decks of chunk_boilerplate.TEST_DECKS are refused). Pages come from the page cache of
benchmarks/retrieval.py (SMARTNOTES_BENCH_PAGE_CACHE); a deck not in it is skipped, never read. ``--code DIR``
puts DIR first on sys.path, so one copy of this script measures main's role code (a checkout of main) and the
branch's in the same run.

Damage model (fixed before the detector was changed; seeded by seed, rate, deck and page), applied to every
line of every page at character rate r:
- each character, with probability r, is damaged: 60 % an OCR confusion when one applies (l/1/I/|, O/0/o,
  5/S/s, rn<->m, cl<->d, e/c, B/8, g/9, u/v, i/l), else dropped; 20 % dropped; 20 % doubled;
- each line of two or more words, with probability r, is split in two at a random space; each line, with
  probability r / 2, is merged with the next one (joined by a space);
- the reader's hints follow their line (a split line's halves both keep it; a merged line keeps the first's).
Rate 0 is the clean page.

Figures, per code and rate (roles from workers.ocr.roles.classify_deck, the role pass of assign_roles):
- labelled lines (benchmarks/data line-role labels, dev split) matched on the clean page as line_roles.py
  matches them; a damaged line's role is the role of the damaged line holding its first character. Per-role
  P/R/F1, macro-F1 and the dropped roles' precision/recall, scored as line_roles.py scores them;
- "repeated edge lines": lines among a page's first or last 3 that repeat, digits normalised, on >= 3 and
  30 % of the deck's clean pages (chunk_boilerplate's rule (a)), and how many are dropped after damage;
- all lines dropped (footer, meta, credit, url), per deck.
``--stamp TEXT`` inserts TEXT at a random place (seeded; the same at every rate) of every page before the
damage, like a re-hoster's watermark, and counts the pages where it is dropped (added after the detector).
``--dump FILE`` writes every line's role (per rate); ``--diff A B`` lists lines dropped in B but kept in A
(clean pages) and counts them per rate, to read by eye what a change newly drops.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"

CONFUSIONS = {
    "l": "1I|",
    "1": "lI",
    "I": "l1",
    "|": "lI",
    "O": "0",
    "o": "0",
    "0": "Oo",
    "5": "S",
    "S": "5",
    "s": "5",
    "e": "c",
    "c": "e",
    "B": "8",
    "8": "B",
    "g": "9",
    "u": "v",
    "i": "l",
}
PAIRS = {"rn": "m", "m": "rn", "cl": "d", "d": "cl"}


def damage_line(line: str, rate: float, rng: random.Random) -> str:
    out: list[str] = []
    i = 0
    while i < len(line):
        ch = line[i]
        if ch.isspace() or rng.random() >= rate:
            out.append(ch)
            i += 1
            continue
        roll = rng.random()
        if roll < 0.6:
            two = line[i : i + 2]
            if two in PAIRS:
                out.append(PAIRS[two])
                i += 2
                continue
            if ch in PAIRS:
                out.append(PAIRS[ch])
            elif ch in CONFUSIONS:
                out.append(rng.choice(CONFUSIONS[ch]))
            # no confusion for this character: it is lost
        elif roll >= 0.8:
            out.append(ch + ch)
        i += 1
    return "".join(out)


def damage_page(
    lines: list[str], hints: list[Any], rate: float, rng: random.Random
) -> tuple[list, list, list]:
    """Damaged lines, their hints, and for every clean line the damaged line holding its start."""
    from dataclasses import replace

    new_lines: list[str] = []
    new_hints: list[Any] = []
    where: list[int] = []
    pending_merge = False
    for line, hint in zip(lines, hints, strict=True):
        if not line.strip():
            where.append(len(new_lines))
            new_lines.append(line)
            new_hints.append(None)
            pending_merge = False
            continue
        text = damage_line(line, rate, rng)
        if pending_merge and new_lines and new_lines[-1].strip():
            where.append(len(new_lines) - 1)
            new_lines[-1] = f"{new_lines[-1]} {text}"
            pending_merge = rng.random() < rate / 2
            continue
        where.append(len(new_lines))
        words = text.split(" ")
        if len(words) >= 2 and rng.random() < rate:
            cut = rng.randrange(1, len(words))
            parts = [" ".join(words[:cut]), " ".join(words[cut:])]
        else:
            parts = [text]
        for part in parts:
            new_lines.append(part)
            new_hints.append(hint)
        pending_merge = rng.random() < rate / 2
    hints_out = [
        replace(h, text=t) if h is not None else None for h, t in zip(new_hints, new_lines, strict=True)
    ]
    return new_lines, hints_out, where


def load_decks(names: list[str] | None) -> dict[str, list[Any]]:
    from chunk_boilerplate import TEST_DECKS
    from retrieval import CACHE, KINDS, deck_languages, read_pages

    from workers.ocr.pipeline import drop_decorations

    corpus = Path("/work/shared/corpus")
    cache: dict[str, Any] = json.loads(CACHE.read_text(encoding="utf-8"))
    out = {}
    for path in sorted(p for p in corpus.iterdir() if p.suffix.lower() in KINDS):
        if path.name in TEST_DECKS or (names and path.name not in names):
            continue
        pages, fresh = read_pages(path, deck_languages(path), {k: v for k, v in cache.items()}, True)
        if fresh:
            print(f"  {path.name}: not in the page cache, skipped", file=sys.stderr)
            continue
        from types import SimpleNamespace

        drop_decorations(pages, SimpleNamespace(files=SimpleNamespace(delete_prefix=lambda key: None)))  # type: ignore[arg-type]
        out[path.name] = pages
    return out


def repeated_edge(pages: list[list[str]]) -> list[set[int]]:
    """chunk_boilerplate rule (a) on the clean pages: per page, the indices of its repeated edge lines."""
    from types import SimpleNamespace

    from chunk_boilerplate import EDGE_LINES, repeated_lines

    from workers.ocr.line_cues import edge_key

    repeated = repeated_lines([SimpleNamespace(text="\n".join(lines)) for lines in pages])
    out = []
    for lines in pages:
        nonblank = [i for i, x in enumerate(lines) if x.strip()]
        edges = nonblank[:EDGE_LINES] + nonblank[-EDGE_LINES:]
        out.append({i for i in edges if edge_key(lines[i].strip()) in repeated})
    return out


def score(gold: list[str], pred: list[str]) -> dict[str, Any]:
    from line_roles_lodo import role_f1

    from workers.ocr.line_cues import DROPPED

    f1s = role_f1(list(zip(gold, pred, strict=True)))  # over the roles the gold lines have
    dropped = [g for g, p in zip(gold, pred, strict=True) if p in DROPPED]
    content_dropped = sum(g not in DROPPED for g in dropped)
    kept = sum(g in DROPPED and p not in DROPPED for g, p in zip(gold, pred, strict=True))
    n_boiler = sum(g in DROPPED for g in gold)
    return {
        "macro_f1": sum(f1s.values()) / max(len(f1s), 1),
        "footer_f1": f1s.get("footer", 0.0),
        "meta_f1": f1s.get("meta", 0.0),
        "dropped": len(dropped),
        "content_dropped": content_dropped,
        "precision": 1 - content_dropped / max(len(dropped), 1),
        "recall": 1 - kept / max(n_boiler, 1),
        "boiler_kept": kept,
    }


def run(
    decks: dict[str, list[Any]], rates: list[float], seed: int, dump: dict[str, Any], stamp: str = ""
) -> None:
    from line_roles import load_rows, match

    from workers.ocr.line_cues import DROPPED, PageLines, align_hints
    from workers.ocr.roles import classify_deck

    rows = load_rows("dev")
    labels: dict[str, dict[int, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        labels[row["deck"]][row["page"]].append(row)
    for rate in rates:
        gold: list[str] = []
        pred: list[str] = []
        per_deck: dict[str, list[int]] = {}
        rep_total = rep_found = dropped_all = stamp_found = stamp_total = 0
        for deck, pages in decks.items():
            clean = [p.text.split("\n") for p in pages]
            rep = repeated_edge(clean)
            plines, wheres, stamps = [], [], []
            for page, lines in zip(pages, clean, strict=True):
                hints = align_hints(lines, page.hints)
                rng = random.Random(f"{seed}|{rate}|{deck}|{page.number}")
                src, src_hints, at = lines, hints, -1
                if stamp and any(x.strip() for x in lines):  # the same place on the page at every rate
                    at = random.Random(f"{seed}|stamp|{deck}|{page.number}").randrange(0, len(lines) + 1)
                    src = [*lines[:at], stamp, *lines[at:]]
                    src_hints = [*hints[:at], None, *hints[at:]]
                if rate:
                    new, new_hints, where = damage_page(src, src_hints, rate, rng)
                else:
                    new, new_hints, where = src, src_hints, list(range(len(src)))
                stamps.append(where[at] if at >= 0 else -1)
                if at >= 0:
                    where = where[:at] + where[at + 1 :]
                plines.append(PageLines(lines=new, hints=new_hints, has_figures=bool(page.figures)))
                wheres.append(where)
            roles = classify_deck(plines)
            stamp_found += sum(r[i] in DROPPED for r, i in zip(roles, stamps, strict=True) if i >= 0)
            stamp_total += sum(i >= 0 for i in stamps)
            d_gold: list[str] = []
            d_pred: list[str] = []
            d_rep = d_rep_found = 0
            for page, lines, page_roles, where, rep_idx, pl in zip(
                pages, clean, roles, wheres, rep, plines, strict=True
            ):
                labelled = sorted(labels[deck].get(page.number, []), key=lambda r: r["line"])
                for row, index in zip(labelled, match(labelled, lines), strict=True):
                    if index is None:
                        continue
                    d_gold.append(row["role"])
                    d_pred.append(page_roles[where[index]] or "body")
                d_rep += len(rep_idx)
                d_rep_found += sum(page_roles[where[i]] in DROPPED for i in rep_idx)
                dropped_all += sum(r in DROPPED for r in page_roles)
                dump.setdefault(str(rate), {}).setdefault(deck, []).append(
                    [page.number, pl.lines, page_roles]
                )
            s = score(d_gold, d_pred) if d_gold else None
            per_deck[deck] = [
                d_rep,
                d_rep_found,
                s["content_dropped"] if s else 0,
                s["boiler_kept"] if s else 0,
                sum(g in DROPPED for g in d_gold),
            ]
            gold += d_gold
            pred += d_pred
            rep_total += d_rep
            rep_found += d_rep_found
        s = score(gold, pred)
        print(
            f"rate {rate:.2f}: repeated edge lines dropped {rep_found}/{rep_total}; labelled {len(gold)}: "
            f"macro-F1 {s['macro_f1']:.3f} footer F1 {s['footer_f1']:.3f} meta F1 {s['meta_f1']:.3f}; "
            f"dropped P {s['precision']:.3f} ({s['content_dropped']} content of {s['dropped']}) "
            f"R {s['recall']:.3f} ({s['boiler_kept']} boilerplate kept); all lines dropped {dropped_all}"
            + (f"; stamp dropped on {stamp_found}/{stamp_total} pages" if stamp else "")
        )
        for deck, (n, found, cd, kept, nb) in per_deck.items():
            print(
                f"    {deck[:40]:<40} repeated edge {found:>3}/{n:<3} labelled kept {kept:>3}/{nb:<3}"
                f" content dropped {cd}"
            )


def diff(a_path: str, b_path: str, show: int = 60) -> None:
    from workers.ocr.line_cues import DROPPED

    a, b = (json.loads(Path(p).read_text(encoding="utf-8")) for p in (a_path, b_path))
    for rate in a:
        newly: Counter[str] = Counter()
        lost: Counter[str] = Counter()
        shown = 0
        for deck in a[rate]:
            for (number, lines, ra), (_, _, rb) in zip(a[rate][deck], b[rate][deck], strict=True):
                for line, x, y in zip(lines, ra, rb, strict=True):
                    if (x in DROPPED) == (y in DROPPED):
                        continue
                    (newly if y in DROPPED else lost)[deck] += 1
                    if y in DROPPED and shown < show and (rate == "0.0" or show > 100):
                        shown += 1
                        print(f"  [{rate}] {deck[:20]} p{number} {x or 'body'} -> {y}: {line[:90]!r}")
        print(
            f"rate {rate}: newly dropped {sum(newly.values())} {dict(newly)}; "
            f"no longer dropped {sum(lost.values())} {dict(lost)}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--code", help="import workers from this checkout (main's, to compare)")
    parser.add_argument("--rates", default="0,0.05,0.1,0.2")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--decks", help="comma-separated dev decks (default: every dev deck in the cache)")
    parser.add_argument("--dump", help="write every line's role here (JSON)")
    parser.add_argument("--stamp", default="", help="insert this line at a random place of every page")
    parser.add_argument("--set", action="append", default=[], help="MODULE.NAME=VALUE (a float), to sweep")
    parser.add_argument("--diff", nargs=2, metavar=("A", "B"), help="lines dropped in dump B, kept in A")
    parser.add_argument("--show", type=int, default=60, help="with --diff: lines to print")
    args = parser.parse_args()
    sys.path[:0] = [str(Path(args.code).resolve()) if args.code else str(ROOT), str(BENCH)]
    if args.diff:
        diff(args.diff[0], args.diff[1], args.show)
        return 0
    import workers

    print(f"code: {Path(workers.__file__).parent.parent} {' '.join(args.set)}")
    import importlib

    for item in args.set:
        name, value = item.split("=", 1)
        module, attr = name.rsplit(".", 1)
        setattr(importlib.import_module(f"workers.ocr.{module}"), attr, float(value))
    started = time.perf_counter()
    decks = load_decks(args.decks.split(",") if args.decks else None)
    dump: dict[str, Any] = {}
    run(decks, [float(r) for r in args.rates.split(",")], args.seed, dump, args.stamp)
    if args.dump:
        Path(args.dump).write_text(json.dumps(dump, ensure_ascii=False), encoding="utf-8")
    print(f"{time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
