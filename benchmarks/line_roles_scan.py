"""Line roles on scanned copies of the dev decks: do the role rules hold when a deck's pages are OCR'd instead
of read from a text layer?

    PYTHONPATH=. .venv/bin/python benchmarks/line_roles_scan.py --text-cache PAGES.json \
        --scan-cache SCAN-PAGES.json [--scan-dir /tmp/s15/scan] [--code DIR] [--errors] [--dump FILE]

The copies are benchmarks/scan_decks.py's image-only PDFs of the dev decks that have a text layer (in
--scan-dir; "x.pptx.pdf" is the copy of "x.pptx"). Both readings come from page caches in
benchmarks/retrieval.py's format (--text-cache: the corpus decks, --scan-cache: the copies, as
retrieval.read_pages keys them); a deck missing from either is skipped, never read. Pages then go through the
worker's own ``drop_decorations`` and ``assign_roles``, as line_roles.py does. ``--code DIR`` imports
``workers`` from DIR (a checkout of main), so one copy of this script scores main's rules and the branch's in
the same run. Dev split only: the test decks are refused.

Matching. The labels (line_roles.py's dev files) were written on the text layer. On the text pages a labelled
line is matched exactly as line_roles.py matches it. On the scan pages OCR changes letters, splits and joins
lines, so the match is looser, and the same for every code version: both sides folded (lower case, bullets,
punctuation and spaces out, the letters OCR confuses one letter, digits '#'); a scan line (or a scan line and
the next, joined) whose SequenceMatcher ratio with the label is >= SCAN_RATIO (SHORT_RATIO for a label of
< 12 folded characters), or, for labels of >= 8 folded
characters, one that holds >= SCAN_COVER of the label's characters in order (the label is part of a line OCR
joined); a label of < 4 folded characters (a page number) matches only a scan line that is that token.
Printed per deck: labelled lines, matched on the text pages, on the scan pages, on both. The scores compare
text and scan on the SAME labelled lines (matched on both): per-role P/R/F1, macro-F1 over the roles in
gold, accuracy, the dropped roles' (footer, meta, credit, url) precision and recall; then the scan's
confusions (gold -> predicted) and, with --errors, every scan line whose role is wrong.

``--box-hints`` (an experiment of the fifteenth session) replaces the scan pages' hints with LineHints from
their OCR text boxes (position and height, no layout class) before the role pass; since the sixteenth session
the reader gives OCR'd pages hints of its own (workers/ocr/line_boxes.ocr_line_hints).

Chunks: chunk_boilerplate.py's rule (repeated edge lines of the deck's own pages, and the frozen labels'
footer and meta lines) on the text pages and on the scan pages of each deck: chunks carrying such a line.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from difflib import SequenceMatcher
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"

SCAN_RATIO = 0.7
SHORT_RATIO = 0.8  # labels of < 12 folded characters (table rows of digits are alike by chance)
SCAN_COVER = 0.8
_FOLD = str.maketrans("il|!1ucoq0s5zb8g9", "lllllveooosszbbgg")
_JUNK = re.compile(r"[\W_]+", re.UNICODE)
_DIGITS = re.compile(r"\d+")


def fold(text: str) -> str:
    """A line as the scan matcher compares it (OCR's usual confusions made one)."""
    text = _JUNK.sub("", text.lower())
    return _DIGITS.sub("#", text.translate(_FOLD)).replace("rn", "m")


def scan_match(labelled: list[dict[str, Any]], lines: list[str]) -> list[int | None]:
    """For each labelled line (text-layer words), the index of the OCR'd line that holds it, or None."""
    keys = [fold(line) for line in lines]
    out: list[int | None] = []
    for row in labelled:
        label = fold(row["text"])
        least = SCAN_RATIO if len(label) >= 12 else SHORT_RATIO
        best, best_score = None, 0.0
        expected = row["line"] / max(len(labelled), 1) * max(len(keys), 1)
        for i, key in enumerate(keys):
            if not key or not label:
                continue
            if len(label) < 4:
                tokens = [fold(t) for t in lines[i].split()]
                score = 1.0 if label in tokens[:1] + tokens[-1:] else 0.0
            else:
                matcher = SequenceMatcher(None, label, key, autojunk=False)
                score = matcher.ratio()
                if score < SCAN_RATIO and len(label) >= 8 and len(key) > len(label):
                    covered = sum(b.size for b in matcher.get_matching_blocks()) / len(label)
                    if covered >= SCAN_COVER:
                        score = SCAN_RATIO + 0.05 * len(label) / len(key)
                if score < SCAN_RATIO and i + 1 < len(keys) and len(key) < len(label):
                    score = max(
                        score, SequenceMatcher(None, label, key + keys[i + 1], autojunk=False).ratio()
                    )
            score -= 0.001 * abs(i - expected) / max(len(keys), 1)
            if score > best_score:
                best, best_score = i, score
        out.append(best if best_score >= least - 0.001 else None)
    return out


def deck_pages(
    scan_dir: str, corpus: str, text_cache: dict[str, Any], scan_cache: dict[str, Any], decks: str = ""
) -> Iterator[tuple[str, list[Any], list[Any]]]:
    """Each scanned copy's source deck with its text pages and its scan pages, both from the caches (a copy
    of a test deck stops the run; a deck missing from either cache is skipped, said)."""
    from scan_decks import TEST_DECKS, source_name

    for copy in sorted(Path(scan_dir).glob("*.pdf")):
        deck = source_name(copy.name)
        if deck in TEST_DECKS:
            raise SystemExit(f"{deck} is a test deck")
        if decks and not any(s in deck for s in decks.split(",")):
            continue
        text_pages = cached_pages(Path(corpus) / deck, text_cache)
        scan_pages = cached_pages(copy, scan_cache)
        if text_pages is None or scan_pages is None:
            print(f"  {deck}: not in the {'text' if text_pages is None else 'scan'} cache, skipped")
            continue
        yield deck, text_pages, scan_pages


def cached_pages(path: Path, cache: dict[str, Any]) -> list[Any] | None:
    """The deck's pages from a retrieval-format cache, decorations dropped; None when not cached."""
    from retrieval import deck_digest, deck_languages, reader_fingerprint

    from workers.ocr.pipeline import drop_decorations

    key = f"{path.name}|{deck_digest(path)}|{deck_languages(path)}|hints|{reader_fingerprint()}"
    if key not in cache:
        return None
    from retrieval import read_pages

    pages, _ = read_pages(path, deck_languages(path), cache, True)
    drop_decorations(pages, SimpleNamespace(files=SimpleNamespace(delete_prefix=lambda key: None)))  # type: ignore[arg-type]
    return pages


def box_hints(page: Any) -> list[Any]:
    """LineHints made from an OCR'd page's text boxes (top, bottom, height; no layout class), in place of the
    reader's own (an experiment, ``--box-hints``)."""
    from workers.ocr.line_cues import LineHint

    out = []
    for box in page.text_boxes:
        if not box.boxes:
            continue
        top, bottom = min(b[1] for b in box.boxes), max(b[3] for b in box.boxes)
        out.append(LineHint(text=box.text, top=top, bottom=bottom, size=bottom - top))
    return out


Pairs = list[tuple[str, str]]


def table(pairs_by_name: dict[str, Pairs]) -> list[str]:
    from workers.ocr.line_cues import DROPPED, ROLES

    names = list(pairs_by_name)
    head = "| role | gold | " + " | ".join(f"{n} P | {n} R | {n} F1" for n in names) + " |"
    rows = [head, "|---|---:|" + "---:|" * 3 * len(names)]
    summary: dict[str, list[str]] = defaultdict(list)
    for role in ROLES:
        cells, n_gold = [], 0
        for pairs in pairs_by_name.values():
            tp = sum(g == p == role for g, p in pairs)
            n_pred, n_gold = sum(p == role for _, p in pairs), sum(g == role for g, _ in pairs)
            if not n_pred and not n_gold:
                cells.append("- | - | -")
                continue
            precision = tp / n_pred if n_pred else 0.0
            recall = tp / n_gold if n_gold else 0.0
            cells.append(f"{precision:.3f} | {recall:.3f} | {2 * tp / (n_pred + n_gold):.3f}")
        if all(c == "- | - | -" for c in cells):
            continue
        rows.append(f"| {role} | {n_gold} | " + " | ".join(cells) + " |")
    for name, pairs in pairs_by_name.items():
        from line_roles_lodo import macro_f1

        dropped = [g for g, p in pairs if p in DROPPED]
        bad = sum(g not in DROPPED for g in dropped)
        kept = sum(g in DROPPED and p not in DROPPED for g, p in pairs)
        n_boiler = sum(g in DROPPED for g, _ in pairs)
        accuracy = sum(g == p for g, p in pairs) / max(len(pairs), 1)
        summary[name] = [
            f"{macro_f1(pairs):.3f}",
            f"{accuracy:.3f}",
            f"{1 - bad / max(len(dropped), 1):.3f} ({bad} of {len(dropped)})",
            f"{1 - kept / max(n_boiler, 1):.3f} ({kept} of {n_boiler} kept)",
        ]
    rows.append("")
    rows.append("| | " + " | ".join(names) + " |")
    rows.append("|---|" + "---|" * len(names))
    for i, label in enumerate(("macro-F1", "accuracy", "dropped precision", "dropped recall")):
        rows.append(f"| {label} | " + " | ".join(summary[n][i] for n in names) + " |")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--text-cache", required=True, help="retrieval-format page cache of the corpus decks")
    parser.add_argument("--scan-cache", required=True, help="retrieval-format page cache of the copies")
    parser.add_argument("--scan-dir", default="/tmp/s15/scan")
    parser.add_argument("--corpus", default="/work/shared/corpus")
    parser.add_argument("--code", help="import workers from this checkout (main's, to compare)")
    parser.add_argument("--decks", help="comma-separated substrings: only these decks")
    parser.add_argument("--errors", action="store_true", help="list every scan line whose role is wrong")
    parser.add_argument("--dump", help="write every labelled line's text and scan role here (JSON)")
    parser.add_argument(
        "--box-hints",
        action="store_true",
        help="experiment: give the scan pages LineHints (position, size; no class) from their OCR text boxes",
    )
    args = parser.parse_args()
    sys.path[:0] = [str(Path(args.code).resolve()) if args.code else str(ROOT), str(BENCH)]
    workers = importlib.import_module("workers")  # first: the modules below put this checkout on sys.path
    from chunk_boilerplate import LABELS, leaks
    from line_roles import load_rows, match

    from workers.ocr.pipeline import assign_roles

    print(f"code: {Path(str(workers.__file__)).parent.parent}")
    text_cache = json.loads(Path(args.text_cache).read_text(encoding="utf-8"))
    scan_cache = json.loads(Path(args.scan_cache).read_text(encoding="utf-8"))
    frozen = [json.loads(x) for x in LABELS.read_text(encoding="utf-8").splitlines() if x.strip()]
    rows = load_rows("dev")
    by_deck: dict[str, dict[int, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        by_deck[row["deck"]][row["page"]].append(row)

    both: Pairs = []
    text_only: Pairs = []  # all text matches, as line_roles.py scores them
    scan_pairs: Pairs = []
    both_text: Pairs = []
    errors: list[str] = []
    dump: dict[str, Any] = {}
    counts = [
        "| deck | pages text / scan | labelled | matched text | matched scan | both |",
        "|---|---|---:|---:|---:|---:|",
    ]
    chunk_rows = [
        "| deck | chunks text | carrying, text | chunks scan | carrying, scan |",
        "|---|---:|---:|---:|---:|",
    ]
    for deck, text_pages, scan_pages in deck_pages(
        args.scan_dir, args.corpus, text_cache, scan_cache, args.decks
    ):
        assign_roles(text_pages)
        if args.box_hints:
            for page in scan_pages:
                page.hints = box_hints(page)
        assign_roles(scan_pages)
        text_by = {p.number: p for p in text_pages}
        scan_by = {p.number: p for p in scan_pages}
        n = [0, 0, 0, 0]
        for number, labelled in sorted(by_deck[deck].items()):
            labelled.sort(key=lambda r: r["line"])
            tp, sp = text_by.get(number), scan_by.get(number)
            t_lines = tp.text.split("\n") if tp else []
            s_lines = sp.text.split("\n") if sp else []
            for row, ti, si in zip(
                labelled, match(labelled, t_lines), scan_match(labelled, s_lines), strict=True
            ):
                n[0] += 1
                t_role = (tp.roles[ti] or "body") if tp is not None and ti is not None else None
                s_role = (sp.roles[si] or "body") if sp is not None and si is not None else None
                n[1] += t_role is not None
                n[2] += s_role is not None
                if t_role is not None:
                    text_only.append((row["role"], t_role))
                if s_role is not None:
                    scan_pairs.append((row["role"], s_role))
                dump[f"{deck}|{number}|{row['line']}"] = [row["role"], t_role, s_role]
                if t_role is None or s_role is None:
                    continue
                n[3] += 1
                both.append((row["role"], s_role))
                both_text.append((row["role"], t_role))
                if args.errors and s_role != row["role"]:
                    assert sp is not None and si is not None
                    errors.append(
                        f"{deck[:12]} p{number} {row['role']:>11} <- {s_role:<11} (text {t_role:<11}) "
                        f"{row['text'][:60]!r} ~ {sp.text.split(chr(10))[si][:60]!r}"
                    )
        counts.append(
            f"| {deck[:44]} | {len(text_pages)} / {len(scan_pages)} | {n[0]} | {n[1]} | {n[2]} | {n[3]} |"
        )
        t_chunks, t_leaks = leaks(text_pages, deck, frozen)
        s_chunks, s_leaks = leaks(scan_pages, deck, frozen)
        chunk_rows.append(f"| {deck[:44]} | {t_chunks} | {len(t_leaks)} | {s_chunks} | {len(s_leaks)} |")
        for leak in s_leaks:
            errors.append(
                f"  chunk leak, scan {deck[:12]} p{leak.page} ({leak.source}, {leak.why}): {leak.line[:80]!r}"
            )
    if errors:
        print("\n".join(errors))
        print()
    print("\n".join(counts))
    print()
    print("Same labelled lines (matched on both):")
    print("\n".join(table({"text": both_text, "scan": both})))
    print()
    print("All matched lines of each (text as line_roles.py matches; scan as above):")
    print("\n".join(table({"text": text_only, "scan": scan_pairs})[-6:]))
    print()
    confusions = Counter((g, p) for g, p in both if g != p)
    print(
        "scan confusions (gold -> predicted), lines matched on both: "
        + ", ".join(f"{g}->{p} {k}" for (g, p), k in confusions.most_common(25))
    )
    print()
    print("\n".join(chunk_rows))
    if args.dump:
        Path(args.dump).write_text(json.dumps(dump, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
