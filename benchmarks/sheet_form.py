"""What each cheat-sheet form rule (workers/generation/sheet_form.py) drops among blind-judged dev entries.

    .venv/bin/python benchmarks/sheet_form.py [--show RULE] [--items | --gated] [--pages CACHE.json]

--gated: the judged dev quiz questions and cards apart, each read by the parts the product gates
(workers/generation/source_checks.item_form_problem); ``--show any`` lists what the rules drop.

Ground truth: the dev cheat-sheet entries blind judges rated (benchmarks/results/session6 judged_dev_main,
judged_dev_sheet_round1; session7 judged_dev_sheet_cover; ids sheet-N = the N-th cheat-sheet item of the
matching items file). Per rule: entries it drops, how many of those the judges rated invalid (drop precision)
and how many valid entries it loses; counted per judgment and per distinct text. Figures are not gated by
these rules and are left out. Dev only: no test file is read.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workers.generation.sheet_form import ADOPTED, RULES, lecture_words  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
JUDGED = [
    ("session6/items_dev_main.json", "session6/judged_dev_main.json"),
    ("session6/items_dev_sheet_round1.json", "session6/judged_dev_sheet_round1.json"),
    ("session7/items_dev_sheet_cover.json", "session7/judged_dev_sheet_cover.json"),
]
_REF = re.compile(r"\s*\(s\.\s*[\d,\s–-]+\)\s*$")
_FIGURE = re.compile(r"^(?:Figure|Figura|Рисунок|图|Figure)\s*[:：]")
_TERMS = {"Key terms", "Ключевые термины", "Términos clave", "Termes clés", "关键术语"}
_LANG = {"chem_ru": "ru", "es_": "es", "fr_": "fr", "zh_": "zh"}


def deck_vocab(cache: Path) -> dict[str, Counter[str]]:
    """How often each dev deck writes each word, from the benchmark's page cache (the reader's text)."""
    if not cache.exists():
        return {}
    pages = json.loads(cache.read_text())
    return {key.split("|")[0]: lecture_words(p["text"] for p in v) for key, v in pages.items()}


def deck_lang(deck: str) -> str:
    return next((v for k, v in _LANG.items() if deck.startswith(k)), "en")


def split_entry(section: str, text: str) -> tuple[str, str]:
    """(label, content) of an entry as the sheet prints it, without its slide reference."""
    flat = _REF.sub("", " ".join(text.split()))
    if section in _TERMS and " — " in flat:
        term, _, rest = flat.partition(" — ")
        return term, rest
    head, sep, rest = flat.partition(": ")
    return (head, rest) if sep and len(head) <= 100 else ("", flat)


def judged() -> list[dict]:
    out = []
    for items_file, judged_file in JUDGED:
        items = json.loads((RESULTS / items_file).read_text())["items"]
        verdicts = json.loads((RESULTS / judged_file).read_text())
        sheet = [x for x in items if x["type"] == "cheatsheet"]
        for n, x in enumerate(sheet):
            v = verdicts.get(f"sheet-{n}")
            if v is None or x.get("figure_images") or _FIGURE.match(x["text"]):
                continue
            parts = [split_entry(x["section"], x["text"])]
            out.append({"deck": x["deck"], "parts": parts, "text": x["text"], "valid": v["valid"] == "yes"})
    return out


def fails(name: str, e: dict, vocabs: dict[str, Counter[str]]) -> bool:
    lang, vocab = deck_lang(e["deck"]), vocabs.get(e["deck"])
    return any(RULES[name](label, body, lang, vocab) for label, body in e["parts"])


_CLOZE = re.compile(r"\{\{c\d+::([^{}]*?)(?:::[^{}]*)?\}\}")


def judged_items() -> list[dict]:
    """Secondary evidence: the blind-judged dev quiz questions and cards (benchmarks/study_checks.py's pool),
    invalid when the judge said so. A basic card is a key term (front) and its definition (back); a cloze
    card's text, a question's stem, options and explanation are lines without a label (no label rule
    applies to them). An item is dropped when any of its parts fails the rule."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from study_checks import pooled

    out = []
    for row in pooled():
        item = row["item"]
        if item.get("figure_id"):
            continue
        if item["type"] == "quiz":
            parts = [
                ("", x) for x in [item["stem"], *(item.get("options") or []), item.get("explanation") or ""]
            ]
            text = item["stem"]
        elif item.get("card_kind") == "basic":
            parts, text = [(item["front"], item["back"])], f"{item['front']} | {item['back']}"
        else:
            parts, text = [("", _CLOZE.sub(r"\1", item["front"])), ("", item["back"])], item["front"]
        valid = row["judgment"]["valid"] == "yes"
        out.append({"deck": item["deck"], "parts": [p for p in parts if p[1]], "text": text, "valid": valid})
    return out


def gated_items(vocabs: dict[str, Counter[str]]) -> list[dict]:
    """The judged dev quiz questions and cards read as the product now gates them (source_checks.quiz_parts,
    card_parts, form_rule): which adopted rules each fails. Bad = judged not valid or not worth keeping."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from study_checks import pooled

    from workers.generation.source_checks import card_parts, form_rule, quiz_parts

    out = []
    for row in pooled():
        item, j = row["item"], row["judgment"]
        if item.get("figure_id"):
            continue
        lang, vocab = deck_lang(item["deck"]), vocabs.get(item["deck"])
        if item["type"] == "quiz":
            kind = item["question_kind"]
            statements, ends = quiz_parts(
                kind, item["stem"], item.get("options") or [], item.get("key") or ""
            )
            pair = None
            text = item["stem"]
        else:
            statements, ends, pair = card_parts(item["card_kind"], item["front"], item["back"])
            text = f"{item['front']} | {item['back']}"
        failed = [n for n in ADOPTED if form_rule(n, statements, ends, pair, lang, vocab)]
        valid, keep = j["valid"] == "yes", j["worth_keeping"] == "yes"
        out.append({"type": item["type"], "text": text, "failed": failed, "valid": valid, "keep": keep})
    return out


def gated_table(vocabs: dict[str, Counter[str]], show: bool) -> None:
    rows = gated_items(vocabs)
    for kind in ("quiz", "card"):
        mine = [r for r in rows if r["type"] == kind]
        print(
            f"\n{kind}: {len(mine)} judged, {sum(not r['valid'] for r in mine)} invalid, "
            f"{sum(not r['keep'] for r in mine)} not worth keeping"
        )
        print("| rule | drops | judged invalid | valid lost | not worth keeping | worth keeping lost |")
        print("|---|---:|---:|---:|---:|---:|")
        for name in [*ADOPTED, "any"]:
            hit = [r for r in mine if r["failed"] and (name == "any" or name in r["failed"])]
            bad = sum(not r["valid"] for r in hit)
            nk = sum(not r["keep"] for r in hit)
            print(f"| {name} | {len(hit)} | {bad} | {len(hit) - bad} | {nk} | {len(hit) - nk} |")
        if show:
            for r in mine:
                if r["failed"]:
                    tag = "valid" if r["valid"] else "INVALID"
                    print(tag, "keep" if r["keep"] else "drop", r["failed"], "|", r["text"][:150])


def table(entries: list[dict], rules: list[str], vocabs: dict) -> list[tuple[str, int, int, int, int, int]]:
    rows = []
    for name in rules:
        hit = [e for e in entries if fails(name, e, vocabs)]
        bad = [e for e in hit if not e["valid"]]
        distinct = {e["text"]: e for e in hit}
        dbad = {t for t, e in distinct.items() if not e["valid"]}
        rows.append((name, len(hit), len(bad), len(hit) - len(bad), len(distinct), len(dbad)))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--show", help="print the entries this rule drops")
    ap.add_argument("--items", action="store_true", help="judged dev quiz questions and cards (secondary)")
    ap.add_argument("--pages", type=Path, default=Path("/tmp/sheet-strict-pages.json"), help="dev page cache")
    ap.add_argument(
        "--gated", action="store_true", help="quiz and cards apart, by the parts the product gates"
    )
    args = ap.parse_args()
    if args.gated:
        gated_table(deck_vocab(args.pages), bool(args.show))
        return
    entries = judged_items() if args.items else judged()
    vocabs = deck_vocab(args.pages)
    print(f"lecture vocabularies from {args.pages}: {len(vocabs)} decks")
    kind = "quiz questions and cards" if args.items else "text entries"
    print(f"{len(entries)} judged {kind}, {sum(not e['valid'] for e in entries)} invalid")
    print("| rule | adopted | drops | judged invalid | drop precision | valid lost | distinct drops / bad |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, n, bad, lost, dn, dbad in table(entries, list(RULES), vocabs):
        prec = f"{bad / n:.2f}" if n else "-"
        adopted = "yes" if name in ADOPTED else "no"
        print(f"| {name} | {adopted} | {n} | {bad} | {prec} | {lost} | {dn} / {dbad} |")
    if args.show:
        per: dict[str, list[bool]] = defaultdict(list)
        for e in entries:
            if fails(args.show, e, vocabs):
                per[e["text"]].append(e["valid"])
        for text, vs in per.items():
            print("valid" if all(vs) else "INVALID" if not any(vs) else "mixed", "|", text[:160])


if __name__ == "__main__":
    main()
