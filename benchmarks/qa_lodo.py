"""The answer pipeline's knobs chosen leaving one dev deck out (issue #13, seventh session).

    .venv/bin/python benchmarks/qa_lodo.py record --out REC.json [--only NAME ...]
    .venv/bin/python benchmarks/qa_lodo.py report --record REC.json [--no-probes]

``record`` builds the dev subjects once, as benchmarks/qa.py builds them (benchmarks/qa_lang_lab.py's probes
included), and asks every dev item through ``answer_question`` once per setting of SETTINGS (extractive
answers, the bundled model's answer style; no model loaded), keeping one row per item. The setting
"answer_all" answers every question (the refusal always says yes) and records the refusal's features, so
every refusal threshold is evaluated offline on it exactly as ``refusal.decide`` would (a follow-up whose
previous question would be refused is asked with that previous answer in its history: the only
approximation, checked against "main").

``report`` takes each knob (a group of settings "knob=value"; the refusal's thresholds offline) and, for every
dev deck, chooses the value with the best OBJECTIVE on the other nine decks, scores the held-out deck with it,
and pools the ten held-out decks. Printed per knob: main's value, the held-out choice (pooled), the in-sample
best, and the in-sample curve (is it a narrow peak?).

OBJECTIVE, fixed before any run: J = cites gold + key phrase - 2 x falsely refused + off-topic refused (the
first three over the answerable items, the last over the off-topic items and the own-language probes). Ties go
to main's value, then to the value nearest main's.
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from qa import SilentLLM, ask_all, default_corpus, interleave  # noqa: E402
from qa_lang_lab import apply, probe_items  # noqa: E402
from qa_support import load_items, strip_labels  # noqa: E402

Row = dict[str, Any]
SC = "workers.ai.slide_choice."
AN = "workers.ai.answer."
SS = "workers.ai.second_slide."
UC = "workers.ai.unit_choice."


def _sweep(knob: str, path: str, values: Iterable[Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(f"{knob}={v}", {path: v}) for v in values]


# Answer knobs: re-asked per value. The refusal's knobs are read offline from "answer_all" (REFUSAL_KNOBS).
SETTINGS: list[tuple[str, dict[str, Any]]] = [
    ("main", {}),
    ("answer_all", {}),
    *_sweep("penalty", SC + "PLACE_PENALTY", [0.0, 0.05, 0.1, 0.2, 0.25, 0.3, 1.0]),
    *_sweep("words", AN + "EXTRACT_WORDS", [45, 60, 75, 120, 150]),
    *_sweep("fill_following", AN + "FILL_FOLLOWING", [0, 1, 3]),
    *_sweep("min_words", AN + "MIN_EXTRACT_WORDS", [0, 30, 45]),
    *_sweep("second_gain", SS + "COVERAGE_GAIN", [None, 0.2, 0.15, 0.1, 0.05, 0.0, -0.1, -0.2, -0.34]),
    # eighth session (qa-keyphrase): which units of the answering slide are said
    *_sweep("max_units", AN + "MAX_UNITS", [5, 6, 8, 10, 12, 20, 24]),
    *_sweep("extract_units", AN + "EXTRACT_UNITS", [1, 2, 4, 5]),
    *_sweep("bare_last", UC + "BARE_LAST", [1]),
    *_sweep("idf", UC + "IDF", [1]),
    *_sweep("notes_language", UC + "NOTES_LANGUAGE", [1]),
    *_sweep("defines_bonus", AN + "DEFINES_BONUS", [0, 2]),
]
# The values of the code on main before the seventh session (a record made since stores the code's own).
MAIN_VALUES = {
    "penalty": 0.15,
    "words": 90,
    "fill_following": 2,
    "min_words": 15,
    "second_cov": None,  # the seventh session's first form: margin = -COVERAGE_GAIN
    "second_score": None,  # the same, close by retrieval's fused score (not kept)
    "second_gain": None,
    **{
        "refusal.coverage": 0.5,
        "refusal.floor_latin": 0.45,
        "refusal.floor_other": 0.5,
        "refusal.override_latin": 0.55,
        "refusal.override_other": 0.6,
        "refusal.rare_zipf": 3.5,
        "refusal.own_coverage": 0.3,
        "refusal.own_floor": 0.55,
        "refusal.own_override": 0.6,
    },
}
RF = "workers.ai.refusal."
REFUSAL_KNOBS: dict[str, tuple[str, list[float]]] = {
    "coverage": (RF + "MIN_COVERAGE", [0.3, 0.4, 0.5, 0.6, 0.7]),
    "floor_latin": (RF + "MIN_SIMILARITY_LATIN", [0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55]),
    "floor_other": (RF + "MIN_SIMILARITY_OTHER_SCRIPT", [0.4, 0.45, 0.5, 0.55, 0.6]),
    "override_latin": (RF + "OVERRIDE_SIMILARITY_LATIN", [0.45, 0.5, 0.55, 0.6, 0.65, 2.0]),
    "override_other": (RF + "OVERRIDE_SIMILARITY_OTHER_SCRIPT", [0.5, 0.55, 0.6, 0.65, 2.0]),
    "rare_zipf": (RF + "RARE_ZIPF", [0.0, 2.5, 3.0, 3.5, 4.0]),
    "own_coverage": (RF + "OWN_MIN_COVERAGE", [0.2, 0.3, 0.4, 0.5]),
    "own_floor": (RF + "OWN_MIN_SIMILARITY", [0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75]),
    "own_override": (RF + "OWN_OVERRIDE_SIMILARITY", [0.55, 0.6, 0.65, 0.7, 2.0]),
}


# ---------------------------------------------------------------------------------------------- record


def record(out_path: Path, only: list[str], slides: bool = False) -> None:
    """``slides``: each row also keeps the answer, its cited pages and the slides it was written from
    (benchmarks/qa_keyphrase.py reads them)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from qa import read_decks
    from qa_support import build_subjects

    from shared.files import LocalFileStore
    from workers.ai import refusal

    saved: dict[str, Any] = json.loads(out_path.read_text("utf-8")) if out_path.exists() else {}
    items = interleave(load_items(ROOT / "benchmarks" / "data" / "qa.jsonl", "dev"))
    items += probe_items(items)
    saved["items"] = {
        i.id: {"deck": i.deck, "answerable": i.answerable, "probe": i.type == "probe", "question": i.question}
        for i in items
    }
    saved.setdefault("settings", {})
    saved["main_values"] = {}
    for name, patch in SETTINGS:
        for path in patch:
            module, attr = path.rsplit(".", 1)
            saved["main_values"][name.split("=")[0]] = getattr(importlib.import_module(module), attr)
    for knob, (path, _) in REFUSAL_KNOBS.items():
        saved["main_values"]["refusal." + knob] = getattr(refusal, path.rsplit(".", 1)[1])
    decide = refusal.decide
    seen: list[list[Any]] = []
    spoken: dict[str, Any] = {}
    current = [""]
    from workers.ai import answer as answer_module

    ask, choose = answer_module.answer_question, answer_module.answer_evidence

    def asking(**kwargs: Any) -> Any:
        current[0] = kwargs["req"].request_id
        return ask(**kwargs)

    def choosing(db: Any, question: str, evidence: Any, **kwargs: Any) -> Any:
        found = choose(db, question, evidence, **kwargs)
        spoken[current[0]] = {"asked": question, "slides": [_slide(e) for e in found[:3]]}
        return found

    def recording(f: Any, question: str, answer_all: bool = False) -> bool:
        seen.append([f.coverage, f.similarity, f.rarest_missing, f.language])
        return True if answer_all else decide(f, question)

    with tempfile.TemporaryDirectory(prefix="bench-lodo-") as tmp:
        decks = read_decks(
            default_corpus(), {i.deck for i in items}, True, LocalFileStore(Path(tmp) / "files")
        )
        factory, embedder, store, subjects, _ = build_subjects(decks, Path(tmp))
        embedder.embed(["warm up"])
        llm = SilentLLM()
        for name, patch in SETTINGS:
            if only and name not in only:
                continue
            seen.clear()
            old = apply(patch)
            everything = name == "answer_all"
            hooked = apply({RF + "decide": lambda f, q, everything=everything: recording(f, q, everything)})
            spoken.clear()
            if slides:
                hooked.update(apply({AN + "answer_question": asking, AN + "answer_evidence": choosing}))
            start = time.perf_counter()
            try:
                outs = ask_all(items, factory, embedder, store, subjects, lambda: llm)
            finally:
                apply(old)
                apply(hooked)
            assert len(seen) == len(outs), "one refusal decision per item"
            ev = sorted(o.evidence_s for o in outs if o.evidence_s is not None)
            saved["settings"][name] = {
                "evidence_p95": ev[int(0.95 * (len(ev) - 1))] if ev else None,
                "rows": {
                    o.item.id: {
                        "answered": o.answered,
                        "cites": o.cites_gold,
                        "only": o.only_gold,
                        "key": o.key_ok,
                        "words": len(strip_labels(o.answer).split()),
                        "rank": o.rank,
                        "features": f,
                        **(
                            {"answer": o.answer, "cited": o.cited, **spoken.get(o.item.id, {})}
                            if slides
                            else {}
                        ),
                    }
                    for o, f in zip(outs, seen, strict=True)
                },
            }
            out_path.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")
            print(f"{name}: {time.perf_counter() - start:.0f} s", flush=True)


def _slide(e: Any) -> dict[str, Any]:
    return {k: getattr(e, k) for k in ("page", "title", "text", "source", "figure_ids", "lecture_id")}


# ---------------------------------------------------------------------------------------------- report


def figures(rows: list[tuple[Row, Row]]) -> dict[str, float]:
    """(item, row) pairs -> rates; J is the objective."""
    ans = [r for i, r in rows if i["answerable"]]
    off = [r for i, r in rows if not i["answerable"]]
    answered = [r for r in ans if r["answered"]]

    def rate(xs: list[bool]) -> float:
        return sum(xs) / len(xs) if xs else 0.0

    f = {
        "cites": rate([r["cites"] for r in ans]),
        "only": rate([r["only"] for r in ans]),
        "key": rate([r["key"] for r in ans]),
        "false_ref": rate([not r["answered"] for r in ans]),
        "off_ref": rate([not r["answered"] for r in off]),
        "words": sum(r["words"] for r in answered) / len(answered) if answered else 0.0,
        "words_p95": sorted(r["words"] for r in answered)[int(0.95 * (len(answered) - 1))] if answered else 0,
    }
    f["J"] = f["cites"] + f["key"] - 2 * f["false_ref"] + f["off_ref"]
    return f


def refusal_rows(
    base: dict[str, Row], items: dict[str, Row], patch: dict[str, float], mains: dict[str, Any]
) -> dict[str, Row]:
    """The answer_all rows with the refusal re-decided from the recorded features with the thresholds of
    ``patch``, the others at the record's own values (``mains``, from main_values)."""
    from workers.ai import refusal

    at_record = {p: mains["refusal." + k] for k, (p, _) in REFUSAL_KNOBS.items()}
    old = apply({**at_record, **patch})
    try:
        out = {}
        for iid, r in base.items():
            cov, sim, rarest, lang = r["features"]
            f = refusal.Features(cov, sim, [("w", rarest)] if rarest < 9 else [], lang)
            yes = refusal.decide(f, items[iid]["question"])
            out[iid] = {**r, "answered": yes, "cites": yes and r["cites"], "only": yes and r["only"]}
            out[iid]["key"] = yes and r["key"]
        return out
    finally:
        apply(old)


def admissible(f: dict[str, float], base: dict[str, float]) -> bool:
    """The keep rule for an addition to the answer (the second slide): it must not lower "only gold" by more
    than it raises "cites gold", nor make answers longer on average than the word budget."""
    from workers.ai import answer

    gain, loss = f["cites"] - base["cites"], base["only"] - f["only"]
    return loss <= gain + 1e-9 and f["words"] <= answer.EXTRACT_WORDS


def lodo(
    items: dict[str, Row], curves: dict[Any, dict[str, Row]], main: Any, constrained: bool = False
) -> tuple[dict[str, float], dict[str, Any]]:
    """Held-out figures pooled over the dev decks, each deck scored with the value chosen on the others
    (``constrained``: among the values admissible on the others, see ``admissible``)."""
    decks = sorted({i["deck"] for i in items.values()})
    pooled: list[tuple[Row, Row]] = []
    choice: dict[str, Any] = {}
    values = list(curves)
    for deck in decks:
        train = {
            v: figures([(items[k], r) for k, r in rows.items() if items[k]["deck"] != deck])
            for v, rows in curves.items()
        }
        ok = [v for v in values if not constrained or v == main or admissible(train[v], train[main])]
        best = max(train[v]["J"] for v in ok)
        tied = [v for v in ok if train[v]["J"] >= best - 1e-9]
        pick = main if main in tied else min(tied, key=lambda v: _distance(v, main))
        choice[deck] = pick
        pooled += [(items[k], r) for k, r in curves[pick].items() if items[k]["deck"] == deck]
    return figures(pooled), choice


def _distance(v: Any, main: Any) -> float:
    if v is None or main is None:
        return 0.0 if v is main else 1e9
    if isinstance(v, tuple):  # a joint setting: the sum over its parts
        return sum(_distance(a, b) for a, b in zip(v, main, strict=True))
    return abs(float(v) - float(main))


def main_values(saved: dict[str, Any]) -> dict[str, Any]:
    """The values of the code the record was made with (older records: main's before this session)."""
    return {**MAIN_VALUES, **saved.get("main_values", {})}


def knob_curves(saved: dict[str, Any]) -> dict[str, tuple[Any, dict[Any, dict[str, Row]]]]:
    settings, items, mains = saved["settings"], saved["items"], main_values(saved)
    out: dict[str, tuple[Any, dict[Any, dict[str, Row]]]] = {}
    for name, setting in settings.items():
        if "=" not in name:
            continue
        knob, value = name.split("=", 1)
        main = mains.get(knob)
        curve = out.setdefault(knob, (main, {main: settings["main"]["rows"]}))[1]
        curve[_value(value)] = setting["rows"]
    if "answer_all" in settings:
        base = settings["answer_all"]["rows"]
        for knob, (path, values) in REFUSAL_KNOBS.items():
            main = mains["refusal." + knob]
            out["refusal." + knob] = (
                main,
                {v: refusal_rows(base, items, {path: v}, mains) for v in sorted({*values, main})},
            )
    return out


def _short(deck: str) -> str:
    """A deck's short name: "ocr_handwritten_pagerank-spark.pdf" -> "handwritten"."""
    parts = deck.split("_")
    return parts[1] if parts[0] == "ocr" and len(parts) > 1 else parts[0]


def _value(text: str) -> Any:
    return None if text == "None" else float(text)


def fmt(f: dict[str, float]) -> str:
    return (
        f"{f['cites']:.3f} {f['only']:.3f} {f['key']:.3f} {f['false_ref']:.3f} {f['off_ref']:.3f} "
        f"{f['words']:5.1f} {f['words_p95']:4.0f} {f['J']:.3f}"
    )


def without_probes(saved: dict[str, Any]) -> dict[str, Any]:
    """The record without the own-language probes: off-topic = qa.jsonl's off-topic items only (the
    objective counts the probes; this is shown for comparison)."""
    keep = {k for k, i in saved["items"].items() if not i["probe"]}
    return {
        **saved,
        "items": {k: saved["items"][k] for k in keep},
        "settings": {
            n: {**s, "rows": {k: r for k, r in s["rows"].items() if k in keep}}
            for n, s in saved["settings"].items()
        },
    }


def report(saved: dict[str, Any], out: Callable[[str], None] = print) -> None:
    """Per knob: main's value, the held-out choice (pooled), the in-sample best, the curve."""
    items = saved["items"]
    settings = saved["settings"]
    if "main" in settings and "answer_all" in settings:
        mains = main_values(saved)
        offline = refusal_rows(settings["answer_all"]["rows"], items, {}, mains)
        real = settings["main"]["rows"]
        differ = [k for k in real if real[k]["answered"] != offline[k]["answered"]]
        out(
            f"main run vs answer_all + main's refusal offline: {len(differ)} items refused differently "
            f"{differ[:8]}"
        )
    head = "cites only  key   f.ref off.r words p95  J"
    for knob, (main, curves) in knob_curves(saved).items():
        if main not in curves:
            continue
        constrained = knob.startswith("second")
        pooled, choice = lodo(items, curves, main, constrained)
        everything = {v: figures([(items[k], r) for k, r in rows.items()]) for v, rows in curves.items()}
        ok = [v for v in everything if not constrained or admissible(everything[v], everything[main])]
        best = max(ok, key=lambda v: (everything[v]["J"], v == main, -_distance(v, main)))
        picks = ", ".join(f"{_short(d)}:{v}" for d, v in choice.items())
        rule = " (J among values that keep only gold, see admissible)" if constrained else ""
        out(f"\n== {knob} (main {main}){rule}; chosen with each deck held out: {picks}")
        out(f"{'':<26}{head}")
        out(f"{'main, held out':<26}{fmt(everything[main])}")
        out(f"{'held-out choice, pooled':<26}{fmt(pooled)}")
        out(f"{f'in-sample best ({best})':<26}{fmt(everything[best])}")
        for v in sorted(curves, key=lambda v: -1 if v is None else float(v)):
            out(f"{'  ' + str(v):<26}{fmt(everything[v])}")
    for name, s in settings.items():
        if s.get("evidence_p95") is not None:
            out(f"evidence p95 {name}: {s['evidence_p95']:.3f} s")


JOINT = ("coverage", "floor_latin", "override_latin")  # the Latin-script rule's three thresholds together


def joint_refusal(saved: dict[str, Any], out: Callable[[str], None] = print) -> None:
    """The Latin rule's three thresholds chosen together (every combination of their grids), leaving one
    deck out as for one knob."""
    import itertools

    settings, items, mains = saved["settings"], saved["items"], main_values(saved)
    base = settings["answer_all"]["rows"]
    grids = [REFUSAL_KNOBS[k][1] for k in JOINT]
    main = tuple(mains["refusal." + k] for k in JOINT)
    curves: dict[Any, dict[str, Row]] = {}
    for combo in {*itertools.product(*grids), main}:
        patch = {REFUSAL_KNOBS[k][0]: v for k, v in zip(JOINT, combo, strict=True)}
        curves[combo] = refusal_rows(base, items, patch, mains)
    pooled, choice = lodo(items, curves, main)
    everything = {v: figures([(items[k], r) for k, r in rows.items()]) for v, rows in curves.items()}
    best = max(everything, key=lambda v: (everything[v]["J"], v == main))
    out(f"\n== refusal, {' x '.join(JOINT)} together ({len(curves)} settings; main {main})")
    out("chosen with each deck held out: " + ", ".join(f"{_short(d)}:{v}" for d, v in choice.items()))
    out(f"{'main, held out':<40}{fmt(everything[main])}")
    out(f"{'held-out choice, pooled':<40}{fmt(pooled)}")
    out(f"{f'in-sample best {best}':<40}{fmt(everything[best])}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record")
    rec.add_argument("--out", required=True, type=Path)
    rec.add_argument("--only", nargs="*", default=[])
    rec.add_argument("--slides", action="store_true", help="keep answers and their slides (qa_keyphrase)")
    rep = sub.add_parser("report")
    rep.add_argument("--record", required=True, type=Path)
    rep.add_argument("--no-probes", action="store_true", help="off-topic = qa.jsonl's items only")
    rep.add_argument("--joint", action="store_true", help="also the Latin rule's thresholds chosen together")
    args = parser.parse_args()
    if args.command == "record":
        record(args.out, args.only, args.slides)
    else:
        raw = args.record.read_bytes()
        if args.record.suffix == ".gz":  # the records kept in benchmarks/results/session7
            raw = gzip.decompress(raw)
        saved = json.loads(raw.decode("utf-8"))
        if args.no_probes:
            saved = without_probes(saved)
        report(saved)
        if args.joint:
            joint_refusal(saved)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
