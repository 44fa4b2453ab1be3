"""Which rule of the readability gate refuses the line naming a key concept the sheet misses at "gate"
(benchmarks/sheet_coverage.py's stage: stored, but not in the gated text).

    .venv/bin/python benchmarks/gate_losses.py --split dev [DIR] [--decks SUBSTR ...] [--scanned] [--out F]

For every concept lost at the gate, each stored slide that names it is gated again with the gate's rules
spied on: the line (or title) naming the concept is printed with every rule that refused it. A line no
spied rule refused was dropped by gate_slide's own steps (the tail of a dropped sentence, a table's cells).
Tune on dev only.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from sheet_coverage import deck_sheets, first_loss, parse_args, report  # noqa: E402
from study_quality import concepts_named  # noqa: E402

# rules that refuse when they return True (a line, a title or a caption), and those that refuse on False
_TRUE_REFUSES = (
    "quotation",
    "symbol_soup",
    "misread_once",
    "misread_word",
    "labels_run_together",
    "debris_line",
)
_FALSE_REFUSES = ("ocr_line_readable", "ocr_title_readable", "page_readable")
# rules that turn a list of lines into one with some lines dropped (None)
_LIST_RULES = ("picture_labels", "join_split_paragraphs", "_drop_cut_head")


def _text_of(arg: Any) -> str:
    return arg if isinstance(arg, str) else f"{getattr(arg, 'title', '')}\n{getattr(arg, 'text', '')}"


@contextmanager
def spied(log: list[tuple[str, str]]) -> Iterator[None]:
    """The gate's rules wrapped so that each refusal is logged as (rule, the text it refused)."""
    from workers.generation import gate

    saved = {n: getattr(gate, n) for n in (*_TRUE_REFUSES, *_FALSE_REFUSES, *_LIST_RULES, "_OCR_DEBRIS")}

    def pred(name: str, fn: Callable[..., Any], refuses: bool) -> Callable[..., Any]:
        def wrapper(*a: Any, **k: Any) -> Any:
            out = fn(*a, **k)
            if bool(out) == refuses:
                log.append((name, _text_of(a[0])))
            return out

        return wrapper

    def lists(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(lines: list[str | None], *a: Any, **k: Any) -> Any:
            before = list(lines)
            out = fn(lines, *a, **k)
            after = out if out is not None else lines  # _drop_cut_head works in place
            for x in before:
                if x is not None and x.strip() and x not in after:
                    log.append((name, x))
            return out

        return wrapper

    class Debris:
        def search(self, text: str) -> Any:
            m = saved["_OCR_DEBRIS"].search(text)
            if m:
                log.append((f"_OCR_DEBRIS {m.group(0)!r}", text))
            return m

    for n in _TRUE_REFUSES:
        setattr(gate, n, pred(n, saved[n], True))
    for n in _FALSE_REFUSES:
        setattr(gate, n, pred(n, saved[n], False))
    for n in _LIST_RULES:
        setattr(gate, n, lists(n, saved[n]))
    gate._OCR_DEBRIS = Debris()  # type: ignore[assignment]
    try:
        yield
    finally:
        for n, fn in saved.items():
            setattr(gate, n, fn)


def gate_refusals(lecture: Any, concept: dict[str, Any]) -> list[dict[str, Any]]:
    """For each slide of a stored lecture naming the concept that its gated copy does not: the lines naming
    it and the rules that refused each."""
    from shared.text.language import detect_language
    from workers.generation.gate import gate_slide, word_counts

    lang = detect_language("\n".join(s.text for s in lecture.slides))
    counts, body = word_counts(lecture)
    found = []
    for slide in lecture.slides:
        if not concepts_named(f"{slide.title} \n {slide.text}", [concept]):
            continue
        log: list[tuple[str, str]] = []
        with spied(log):
            gated = gate_slide(slide, lang, counts, body)
        if concepts_named(f"{gated.title} \n {gated.text}", [concept]):
            continue
        lines = [x.strip() for x in [slide.title, *slide.text.split("\n")] if x.strip()]
        for line in lines:
            if not concepts_named(line, [concept]):
                continue
            rules = sorted({r for r, t in log if t.strip() and (t.strip() in line or line in t)})
            found.append(
                {
                    "page": slide.ref.page,
                    "source": slide.source,
                    "lang": lang,
                    "line": line,
                    "title": line == slide.title.strip(),
                    "rules": rules or ["(gate_slide's own step)"],
                }
            )
    return found


def main() -> int:
    args = parse_args(__doc__, "/tmp/gate_losses_dev.json")
    rows: list[dict[str, Any]] = []
    tally: Counter[str] = Counter()
    for ds in deck_sheets(args, "bench-gateloss-"):
        for c in ds.concepts:
            if concepts_named(ds.texts["sheet"], [c]) or first_loss(ds, c) != "gate":
                continue
            refusals = [r for lec in ds.material for r in gate_refusals(lec, c)]
            for r in refusals:
                tally.update(r["rules"])
            rows.append({"deck": ds.deck.name, "concept": c["concept"], "refusals": refusals})
            print(f"{ds.deck.name[:40]:40} {c['concept']}")
            for r in refusals:
                where = f"p{r['page']} {r['source']} {'TITLE ' if r['title'] else ''}"
                print(f"    {where}{r['rules']}: {r['line'][:300]}")
    return report(
        args.out, {"concepts lost at the gate": len(rows), "rules": dict(tally.most_common())}, rows
    )


if __name__ == "__main__":
    raise SystemExit(main())
