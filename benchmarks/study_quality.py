"""Study-material quality on real decks: cheat sheet, quiz and flashcards per deck, scored against the frozen
key concepts of benchmarks/data/study_concepts.json (rubric: benchmarks/data/study_rubric.md).

    .venv/bin/python benchmarks/study_quality.py --split dev|test [DIR] [--decks SUBSTR ...] [--llm]
        [--out FILE.json]

Every deck of the split (DIR, default ../shared/corpus, read in place) is read and cleaned by
benchmarks/retrieval.py's functions (the worker's reader, the page cache in /tmp, decoration removal, line
roles), stored by the worker's store_pages as one subject per deck in a temporary SQLite database made by
the migrations, and the worker's own generation code (workers.generation.service.run) makes the three
documents with the request defaults (a 1-page cheat sheet; 20 questions and 50 cards, more for a long lecture:
workers/generation/service.default_count). Extractive by default
(as a worker without a model); --llm loads the bundled model as a worker does.

Automatic scores (per deck, then the mean over decks):
- coverage: the share of the deck's key concepts that the cheat sheet's text names (concept or an alias);
  ``coverage_entries`` leaves out the sheet's topics line ("Also on the slides: ..."), which names sections
  without saying anything about them;
- boilerplate: items (cheat-sheet entries, quiz questions with their options and key, cards) that contain one
  of the deck's boilerplate strings (case, accents and spacing ignored; strings of 3+ characters);
- on key concept: the share of quiz questions and of cards that name a key concept (concept or alias);
- seconds per document.
A concept is named when its name or an alias occurs in the item as whole words (accents and case folded;
an alias shorter than 3 characters must match case-sensitively as a whole token). This is a lower bound of
the blind judge's on_key_concept (a paraphrase is missed) and no judge of correctness.

Every generated item (deck, slide, type, front/back or stem/options/key, cheat-sheet entries) is written to
--out (default benchmarks/results/study_items_<split>.json) for a blind judge. Figures are shown as a student
sees them: the page cache holds no pictures, so benchmarks/figure_crops.py crops each figure the generator
opens from its page (PDF) or slide picture (PPTX) into SMARTNOTES_BENCH_FIGURES (default
/tmp/mysmartnotes-study-figures); a figure card and a cheat-sheet entry under a figure carry
``figure_images`` (paths to open) next to their slide number. Also counted: figure cards, cheat-sheet
entries with a figure, and those without a picture.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import sys
import tempfile
import time
import traceback
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from figure_crops import FIGURES, FigureFiles, FigureSource, rekey  # noqa: E402
from qa import default_corpus  # noqa: E402
from retrieval import (  # noqa: E402  (benchmarks/retrieval.py)
    CACHE,
    KINDS,
    clean_pages,
    deck_languages,
    read_pages,
    store_decks,
)

from workers.generation.sheet_plan import TOPICS_LABEL  # noqa: E402

CONCEPTS = ROOT / "benchmarks" / "data" / "study_concepts.json"


TOPICS_LABELS = tuple(TOPICS_LABEL.values())  # the sheet's "Also on the slides" line, in each language


# ---------------------------------------------------------------------------------------------- matching


def fold(text: str) -> str:
    """Case, accents, width and spacing folded (Devanagari and CJK marks kept)."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    text = "".join(ch for ch in text if not 0x0300 <= ord(ch) <= 0x036F)  # Latin/Greek/Cyrillic accents
    text = unicodedata.normalize("NFC", text)
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def names(text: str, phrase: str) -> bool:
    """True when ``phrase`` occurs in ``text`` as whole words (folded); short phrases: exact token."""
    if len(phrase.strip()) < 3:
        return re.search(rf"(?<!\w){re.escape(phrase.strip())}(?!\w)", text) is not None
    p, t = fold(phrase), fold(text)
    if not p:
        return False
    if _has_cjk(p):
        return p.replace(" ", "") in t.replace(" ", "")
    return f" {p} " in f" {t} "


def concepts_named(text: str, concepts: list[dict[str, Any]]) -> list[str]:
    return [
        c["concept"] for c in concepts if any(names(text, a) for a in [c["concept"], *c.get("aliases", [])])
    ]


def has_boilerplate(text: str, boilerplate: list[dict[str, str]]) -> list[str]:
    ft = f" {fold(text)} "
    strings = [b["text"] if isinstance(b, dict) else str(b) for b in boilerplate]
    return [b for b in strings if len(fold(b)) >= 3 and f" {fold(b)} " in ft]


# ---------------------------------------------------------------------------------------------- per deck


@dataclass
class DeckResult:
    deck: str
    items: list[dict[str, Any]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    coverage: float = 0.0
    coverage_entries: float = 0.0
    covered: list[str] = field(default_factory=list)


def item_text(item: dict[str, Any]) -> str:
    if item["type"] == "quiz":
        return " ".join([item["stem"], *item["options"], item["key"], item.get("explanation", "")])
    if item["type"] == "card":
        return f"{item['front']} {item['back']}"
    return item["text"]


_FIGURE_FILE = re.compile(r"figure-(\d+)\.\w+$")


def paragraph_figures(para: Any) -> list[int]:
    """The figure ids of the pictures in a cheat-sheet paragraph (the generator names each picture it adds
    "figure-<id>.png", which Word keeps as the picture's name)."""
    found = []
    for el in para._p.iter():
        if el.tag.endswith("}cNvPr"):
            m = _FIGURE_FILE.search(el.get("name", ""))
            if m:
                found.append(int(m.group(1)))
    return found


def cheatsheet_entries(path: Path, image_of: Any = None) -> list[dict[str, Any]]:
    """The cheat sheet's paragraphs (headings as sections, entries under them); a figure's picture goes with
    the caption under it (``figure_ids``; ``figure_images``: ``image_of(id)``, paths a judge can open)."""
    import docx

    from workers.generation.sheet_docx import paragraph_text

    doc = docx.Document(str(path))
    out: list[dict[str, Any]] = []
    section = ""
    pictures: list[int] = []
    for para in doc.paragraphs:
        text = paragraph_text(para).strip()  # with the formulas' text (Word equations)
        pictures += paragraph_figures(para)
        if not text:
            continue
        style = (para.style.name if para.style is not None else "") or ""
        if style.lower().startswith(("heading", "title")):
            section = text
            continue
        m = re.search(r"(?:\bslide|\bp\.|\bdiapositiva|幻灯片|\(s\.)\s*(\d+)", text, re.I)
        entry: dict[str, Any] = {
            "type": "cheatsheet",
            "section": section,
            "text": text,
            "slide": int(m.group(1)) if m else None,
        }
        if pictures:
            entry["figure_ids"] = pictures
            entry["figure_images"] = [image_of(i) if image_of else None for i in pictures]
            pictures = []
        out.append(entry)
    return out


def figure_image(env: Any, figure_id: int | None) -> str | None:
    """The path of a figure's picture (cropped on first use by FigureFiles), None when there is none."""
    from shared.models import Figure

    if figure_id is None:
        return None
    with env.session_factory() as db:
        figure = db.get(Figure, figure_id)
        if figure is None or not figure.image_path:
            return None
        path = env.files.path(figure.image_path)
    return str(path) if path.is_file() else None


def generate_deck(env: Any, user_id: int, subject_id: int, deck: str) -> DeckResult:
    from sqlalchemy import select

    from shared.models import Flashcard, GeneratedDocument
    from workers.generation.service import run

    res = DeckResult(deck=deck)
    for kind in ("cheatsheet", "quiz", "flashcards"):
        start = time.perf_counter()
        try:
            out = run(env, job_id=None, user_id=user_id, subject_id=subject_id, params={"kind": kind})
        except Exception as exc:  # a deck with no usable text fails its documents, not the run
            res.errors[kind] = getattr(exc, "code", type(exc).__name__)
            if not hasattr(exc, "code"):  # not an AppError: a bug, shown whole
                traceback.print_exc()
            res.seconds[kind] = round(time.perf_counter() - start, 2)
            continue
        res.seconds[kind] = round(time.perf_counter() - start, 2)
        with env.session_factory() as db:
            if kind == "flashcards":
                for card in db.scalars(
                    select(Flashcard).where(Flashcard.subject_id == subject_id).order_by(Flashcard.id)
                ):
                    item = {
                        "type": "card",
                        "card_kind": card.kind,
                        "slide": card.page_number,
                        "figure_id": card.figure_id,
                        "front": card.front,
                        "back": card.back,
                    }
                    if card.figure_id is not None:  # the card shows the figure: so does the export
                        item["figure_images"] = [figure_image(env, card.figure_id)]
                    res.items.append(item)
                continue
            doc = db.get(GeneratedDocument, out["document_id"])
            assert doc is not None
            if kind == "quiz":
                for q in doc.params["quiz"]["questions"]:
                    res.items.append(
                        {
                            "type": "quiz",
                            "question_kind": q["kind"],
                            "slide": q["source"]["page"],
                            "stem": q["prompt"],
                            "options": q["options"],
                            "key": q["answer_text"],
                            "explanation": q["explanation"],
                        }
                    )
            else:
                sheet = env.files.path(doc.storage_path)
                res.items.extend(cheatsheet_entries(sheet, lambda i: figure_image(env, i)))
    return res


def score(res: DeckResult, entry: dict[str, Any]) -> dict[str, Any]:
    concepts, boiler = entry["key_concepts"], entry["boilerplate"]
    sheet = " \n ".join(i["text"] for i in res.items if i["type"] == "cheatsheet")
    res.covered = concepts_named(sheet, concepts) if sheet else []
    res.coverage = len(res.covered) / max(1, len(concepts))
    entries = " \n ".join(
        i["text"] for i in res.items if i["type"] == "cheatsheet" and not i["text"].startswith(TOPICS_LABELS)
    )
    res.coverage_entries = len(concepts_named(entries, concepts) if entries else []) / max(1, len(concepts))
    for item in res.items:
        text = item_text(item)
        item["concepts_named"] = concepts_named(text, concepts)
        item["boilerplate_found"] = has_boilerplate(text, boiler)
    by = {k: [i for i in res.items if i["type"] == k] for k in ("cheatsheet", "quiz", "card")}

    def on(kind: str) -> float | None:
        return sum(bool(i["concepts_named"]) for i in by[kind]) / len(by[kind]) if by[kind] else None

    return {
        "deck": res.deck,
        "coverage": round(res.coverage, 3),
        "coverage_entries": round(res.coverage_entries, 3),
        "entries": len(by["cheatsheet"]),
        "questions": len(by["quiz"]),
        "cards": len(by["card"]),
        "boilerplate_items": sum(bool(i["boilerplate_found"]) for i in res.items),
        **figure_counts(res.items),
        "quiz_on_concept": on("quiz"),
        "cards_on_concept": on("card"),
        "seconds": res.seconds,
        "errors": res.errors,
    }


def figure_counts(items: list[dict[str, Any]]) -> dict[str, int]:
    """Figure cards, cheat-sheet entries showing a figure, and those of them without a picture to show."""
    figs = [i for i in items if "figure_images" in i]
    return {
        "figure_cards": sum(i["type"] == "card" for i in figs),
        "figure_entries": sum(i["type"] == "cheatsheet" for i in figs),
        "figure_items_without_image": sum(not all(i["figure_images"]) for i in figs),
    }


# ---------------------------------------------------------------------------------------------- main


def build(decks: dict[Path, list[Any]], data_dir: Path) -> tuple[Any, int, dict[str, int]]:
    settings, factory, user_id, subjects, _ = store_decks(decks, data_dir)
    return SimpleNamespace(settings=settings, factory=factory), user_id, subjects


def _mean(values: list[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return round(statistics.fmean(kept), 3) if kept else None


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dir", nargs="?", default=str(default_corpus()))
    parser.add_argument("--split", choices=["dev", "test"], required=True)
    parser.add_argument("--decks", nargs="*", default=[], help="only decks whose name contains one of these")
    parser.add_argument("--llm", action="store_true", help="phrase with the bundled model (slow)")
    parser.add_argument("--out", help="item export (default benchmarks/results/study_items_<split>.json)")
    parser.add_argument("--no-cache", action="store_true", help="re-read (re-OCR) every deck")
    parser.add_argument("--keep", metavar="DIR", help="copy the generated documents (docx, pdf) here to read")
    parser.add_argument(
        "--scanned",
        action="store_true",
        help="DIR holds scan_decks.py's image-only copies (scored as their sources; others left out)",
    )
    args = parser.parse_args()

    from workers.generation.service import GenerationEnv

    data = json.loads(CONCEPTS.read_text(encoding="utf-8"))
    entries = {d["deck"]: d for d in data["decks"] if d["split"] == args.split}
    corpus = Path(args.dir)
    paths = [
        corpus / name for name in sorted(entries) if not args.decks or any(s in name for s in args.decks)
    ]
    from scan_decks import deck_sources

    source_of = deck_sources(corpus, paths, args.scanned)  # a copy's deck: its source's concepts and name
    paths = list(source_of)
    cache: dict[str, Any] = json.loads(CACHE.read_text(encoding="utf-8")) if CACHE.exists() else {}
    results: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-study-") as tmp:
        sources: dict[str, FigureSource] = {}
        files = FigureFiles(Path(tmp) / "files", sources)  # figures cropped when the generator opens them
        decks: dict[Path, list[Any]] = {}
        for deck in paths:
            if deck.suffix.lower() not in KINDS or not deck.exists():
                raise SystemExit(f"missing deck: {deck}")
            pages, fresh = read_pages(deck, deck_languages(deck), cache, not args.no_cache)
            if fresh:
                CACHE.write_text(json.dumps(cache, ensure_ascii=False), encoding="utf-8")
            decks[deck] = clean_pages(
                pages, files
            )  # figure boxes trimmed of footers (workers/ocr/figure_trim.py)
            sources.update(rekey(deck, pages))  # after the cache is written and the boxes trimmed
        stack, user_id, subjects = build(decks, Path(tmp))
        llm, note = None, "extractive (no LLM)"
        if args.llm:
            from shared.llm import make_llm

            llm, note = make_llm(stack.settings), "bundled LLM"
        env = GenerationEnv(session_factory=stack.factory, files=files, llm=llm, settings=stack.settings)
        warm = time.perf_counter()
        try:  # the generation worker loads the embedder once, at its first flashcards job (as for the LLM)
            from shared.embeddings import make_embedder

            make_embedder(stack.settings).embed(["warm up"])
        except Exception as exc:  # no model: cards are then deduplicated by word overlap
            print(f"  no embedder ({exc}); dedupe by word overlap", flush=True)
        embedder_load = round(time.perf_counter() - warm, 2)
        for deck in paths:
            res = generate_deck(env, user_id, subjects[deck.name], deck.name)
            row = score(res, entries[source_of[deck]])
            results.append(row)
            for i in res.items:
                items.append({"deck": source_of[deck], "split": args.split, **i})
            print(
                f"{deck.name[:48]:48} cov {row['coverage']:.2f} ({row['coverage_entries']:.2f})  "
                f"boiler {row['boilerplate_items']:2}  "
                f"quiz {row['questions']:2} on {row['quiz_on_concept'] or 0:.2f}  "
                f"cards {row['cards']:2} on {row['cards_on_concept'] or 0:.2f}  "
                f"fig cards {row['figure_cards']} entries {row['figure_entries']}  "
                f"s {row['seconds']}  {row['errors'] or ''}",
                flush=True,
            )
        if args.keep:
            shutil.copytree(Path(tmp) / "files", args.keep, dirs_exist_ok=True)
            print(f"documents copied to {args.keep}", flush=True)
    secs = {k: [r["seconds"].get(k, 0.0) for r in results] for k in ("cheatsheet", "quiz", "flashcards")}
    summary = {
        "split": args.split,
        "decks": len(results),
        "mode": note,
        "embedder_load_s": embedder_load,
        "coverage": _mean([r["coverage"] for r in results]),
        "coverage_entries": _mean([r["coverage_entries"] for r in results]),
        "boilerplate_items": sum(r["boilerplate_items"] for r in results),
        "items": len(items),
        "questions": sum(r["questions"] for r in results),
        "cards": sum(r["cards"] for r in results),
        "quiz_on_concept": _share(items, "quiz"),
        "cards_on_concept": _share(items, "card"),
        **figure_counts(items),
        "figure_crops": {"dir": str(FIGURES), "made": len(files.made), "failed": files.failed},
        "seconds_mean": {k: round(statistics.fmean(v), 2) for k, v in secs.items() if v},
        "seconds_max": {k: round(max(v), 2) for k, v in secs.items() if v},
    }
    print(json.dumps(summary, indent=1))
    out = Path(args.out) if args.out else ROOT / "benchmarks" / "results" / f"study_items_{args.split}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps({"summary": summary, "decks": results, "items": items}, ensure_ascii=False, indent=1)
        + "\n",
        encoding="utf-8",
    )
    print(f"items written to {out}")
    return 0


def _share(items: list[dict[str, Any]], kind: str) -> float | None:
    chosen = [i for i in items if i["type"] == kind]
    return round(sum(bool(i["concepts_named"]) for i in chosen) / len(chosen), 3) if chosen else None


if __name__ == "__main__":
    raise SystemExit(main())
