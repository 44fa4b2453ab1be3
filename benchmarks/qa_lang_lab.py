"""Settings of the answer pipeline on the dev QA set, per language of the question: the dev subjects are built
once (as benchmarks/qa.py builds them), then every setting re-asks all items through answer_question.

    .venv/bin/python benchmarks/qa_lang_lab.py --settings FILE.json [--json OUT]

FILE.json is a list of {"name": ..., "patch": {"module.ATTRIBUTE": value, ...}}: each setting sets those
module attributes, asks every dev item, and puts them back. Answers are extractive (the bundled model's
answer style), so no model is loaded; figures are those of qa.py without its model. Printed per setting and
per language: recall@1 / recall@5 / cites gold / key phrase / falsely refused, and off-topic refused.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from qa import SilentLLM, ask_all, default_corpus, interleave, rate, read_decks  # noqa: E402
from qa_support import Item, build_subjects, load_items  # noqa: E402

# Generic off-topic questions in the decks' own languages, copied from workers/ai/refusal_probes.py on the
# unmerged branch answers-refusal (written there for per-subject calibration; none is from qa.jsonl). They are
# asked of every dev deck whose notes are in that language: the off-topic questions a Spanish, Russian or
# Hindi deck gets in its own language (the dev QA set has only a handful).
PROBES: dict[str, tuple[str, ...]] = {
    "es": (
        "¿Quién pintó la Mona Lisa?",
        "¿Cuál es la capital de Australia?",
        "¿Cuántos huesos tiene el cuerpo humano adulto?",
        "¿Por qué el cielo es azul?",
        "¿Cómo se hace el pan de masa madre?",
        "¿Quién escribió Don Quijote de la Mancha?",
        "¿Cuándo terminó la Segunda Guerra Mundial?",
        "¿Qué moneda se usa en Japón?",
        "¿Cómo hacen la miel las abejas?",
        "¿Cuál es el océano más profundo?",
        "¿Qué dice la ley de la oferta y la demanda?",
        "¿Cómo funciona un refrigerador?",
    ),
    "ru": (
        "Кто написал роман «Война и мир»?",
        "Какой город является столицей Австралии?",
        "Почему небо голубое?",
        "Сколько костей в теле взрослого человека?",
        "Как пчёлы делают мёд?",
        "Когда закончилась Вторая мировая война?",
        "Какая валюта используется в Японии?",
        "Как испечь хлеб на закваске?",
        "Какой океан самый глубокий?",
        "Как работает холодильник?",
        "Кто первым полетел в космос?",
        "Что говорит закон спроса и предложения?",
    ),
    "hi": (
        "मोना लिसा की पेंटिंग किसने बनाई?",
        "ऑस्ट्रेलिया की राजधानी क्या है?",
        "आसमान नीला क्यों दिखाई देता है?",
        "मधुमक्खियाँ शहद कैसे बनाती हैं?",
        "दूसरा विश्व युद्ध कब समाप्त हुआ?",
        "जापान में कौन सी मुद्रा चलती है?",
        "सबसे गहरा महासागर कौन सा है?",
        "फ्रिज खाने को ठंडा कैसे रखता है?",
        "वयस्क मानव शरीर में कितनी हड्डियाँ होती हैं?",
        "ताजमहल किसने बनवाया था?",
        "खट्टी रोटी कैसे बनाई जाती है?",
        "गंगा नदी कहाँ से निकलती है?",
    ),
}


def probe_items(items: list[Item]) -> list[Item]:
    """Each probe of a language asked of every deck whose answerable questions are mostly in it."""
    out = []
    for deck in sorted({i.deck for i in items}):
        langs = [i.language for i in items if i.deck == deck and i.answerable]
        lang = max(set(langs), key=langs.count)
        for n, question in enumerate(PROBES.get(lang, ())):
            name = f"probe-{deck[:12]}-{n}"
            out.append(Item(name, deck, "dev", question, False, [], [], "probe", None, lang))
    return out


def apply(patch: dict[str, Any]) -> dict[str, Any]:
    """Set each module attribute; return the old values."""
    old = {}
    for path, value in patch.items():
        module, attr = path.rsplit(".", 1)
        mod = importlib.import_module(module)
        old[path] = getattr(mod, attr)
        setattr(mod, attr, value)
    return old


def summary(outs: list[Any]) -> dict[str, dict[str, float]]:
    rows: dict[str, dict[str, float]] = {}
    for lang in [*sorted({o.item.language for o in outs}), "all"]:
        mine = [o for o in outs if lang == "all" or o.item.language == lang]
        ans = [o for o in mine if o.item.answerable]
        off = [o for o in mine if not o.item.answerable and o.item.type != "probe"]
        probes = [o for o in mine if o.item.type == "probe"]
        rows[lang] = {
            "n": len(ans),
            "r1": float(rate([o.rank == 1 for o in ans]) if ans else "nan"),
            "r5": float(rate([o.rank is not None for o in ans]) if ans else "nan"),
            "cites": float(rate([o.cites_gold for o in ans]) if ans else "nan"),
            "key": float(rate([o.key_ok for o in ans]) if ans else "nan"),
            "false_ref": float(rate([not o.answered for o in ans]) if ans else "nan"),
            "n_off": len(off),
            "off_ref": float(rate([not o.answered for o in off]) if off else "nan"),
            "n_probe": len(probes),
            "probe_ref": float(rate([not o.answered for o in probes]) if probes else "nan"),
        }
    return rows


FEATURES: dict[str, Any] = {}


def record_features() -> None:
    """Keep the refusal's features of every question (by question text) for --features."""
    from workers.ai import refusal

    decide = refusal.decide

    def recording(f: Any, question: str) -> bool:
        FEATURES[question] = [f.coverage, f.similarity, f.rarest_missing, f.language]
        return decide(f, question)

    refusal.decide = recording  # type: ignore[assignment]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--settings", required=True)
    parser.add_argument("--json", default="")
    parser.add_argument("--features", default="", help="write the refusal's features of the last setting")
    args = parser.parse_args()
    if args.features:
        record_features()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from shared.files import LocalFileStore

    settings = json.loads(Path(args.settings).read_text(encoding="utf-8"))
    corpus = default_corpus()
    items = interleave(load_items(ROOT / "benchmarks" / "data" / "qa.jsonl", "dev"))
    items += probe_items(items)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-lab-") as tmp:
        decks = read_decks(corpus, {i.deck for i in items}, True, LocalFileStore(Path(tmp) / "files"))
        factory, embedder, store, subjects, _ = build_subjects(decks, Path(tmp))
        embedder.embed(["warm up"])
        llm = SilentLLM()
        for setting in settings:
            old = apply(setting["patch"])
            start = time.perf_counter()
            try:
                outs = ask_all(items, factory, embedder, store, subjects, lambda: llm)
            finally:
                apply(old)
            rows = summary(outs)
            ev = sorted(o.evidence_s for o in outs if o.evidence_s is not None)
            p95 = ev[int(0.95 * (len(ev) - 1))] if ev else float("nan")
            results[setting["name"]] = {
                "rows": rows,
                "items": {
                    o.item.id: [o.rank, o.cites_gold, o.answered, [h["page"] for h in o.hits], o.cited]
                    for o in outs
                },
            }
            print(f"\n== {setting['name']} ({time.perf_counter() - start:.0f} s, evidence p95 {p95:.3f})")
            print("lang   n   r@1  r@5  cites key  falseref | off n refused | probes n refused")
            for lang, r in rows.items():
                print(
                    f"{lang:<4} {r['n']:>4} {r['r1']:.2f} {r['r5']:.2f} {r['cites']:.2f}  {r['key']:.2f} "
                    f"{r['false_ref']:.2f}     | {r['n_off']:>3} {r['off_ref']:.2f} "
                    f"| {r['n_probe']:>3} {r['probe_ref']:.2f}",
                    flush=True,
                )
            if args.json:
                Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    if args.features:
        by_id = {i.question: i for i in items}
        rows = {
            by_id[q].id: [*v, by_id[q].answerable, by_id[q].language]
            for q, v in FEATURES.items()
            if q in by_id
        }
        Path(args.features).write_text(json.dumps(rows, ensure_ascii=False, indent=0), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
