"""The defect kind of every pooled dev quiz question and card a blind judge rated not valid or not worth
keeping (one label per distinct item, read from the judge's reasons by the study-gate helper, seventh
session), with the source_checks that catch it: writes defects_dev.json beside this file.

    .venv/bin/python benchmarks/results/session7/defects_dev.py benchmarks/results/session7/checks_dev.json

Labels in item order (quiz first-seen order, then cards), as benchmarks/study_checks.py pools them:
S- source (code, outline, figure labels, worked example), T- text (misread, stray glyphs, cut, fragment,
spliced, leaning on context), F- form (ambiguous cue, distractors, giveaway, trivial, ungrammatical, not a
term, duplicate, language of the frame, two true options), C-off not on a key concept.
"""

from __future__ import annotations

import collections
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import study_checks as sc  # noqa: E402

Q = """
F-distractor T-ocr F-distractor F-duplicate T-glyph F-ambiguous T-glyph S-code T-fragment T-glyph
T-merged T-glyph T-context S-code T-merged T-glyph S-code S-example F-notterm F-notterm
T-ocr T-ocr T-ocr T-ocr T-glyph T-context T-ocr T-ocr T-ocr T-ocr
T-ocr T-ocr T-ocr T-cut T-ocr F-distractor F-twotrue F-distractor C-off F-ambiguous
S-example T-fragment F-ungrammatical C-off T-cut T-ocr T-glyph T-ocr T-ocr S-figure
T-context S-figure S-figure T-fragment F-ungrammatical T-context T-fragment T-merged T-glyph T-fragment
T-merged T-context F-language F-language T-context F-trivial F-distractor F-distractor F-distractor
F-ambiguous
T-context T-fragment F-ungrammatical C-off C-off F-ambiguous F-giveaway T-cut T-context F-distractor
C-off F-trivial F-trivial""".split()  # noqa: SIM905
C = """
S-outline T-fragment F-ambiguous F-ambiguous S-outline T-merged T-ocr T-ocr F-ambiguous F-trivial
S-figure S-figure F-duplicate S-code S-code F-ambiguous T-merged T-merged S-example S-example
T-merged S-code S-code T-context T-ocr F-giveaway T-ocr T-merged F-ambiguous T-ocr
F-ambiguous T-context F-ambiguous T-ocr T-ocr T-ocr T-ocr T-ocr F-ambiguous F-ambiguous
T-context T-context T-context F-ambiguous C-off F-ambiguous T-glyph S-example S-example T-cut
F-giveaway C-off F-giveaway T-cut T-ocr S-outline T-ocr T-fragment T-ocr S-figure
T-ocr S-figure T-context T-glyph S-figure S-figure T-fragment S-figure T-context T-context
T-fragment T-glyph T-fragment T-merged T-context F-ambiguous T-ocr F-ambiguous F-ambiguous F-ambiguous
F-ambiguous F-ambiguous F-ambiguous F-ambiguous F-trivial F-ambiguous F-ambiguous""".split()  # noqa: SIM905


def main() -> None:
    assert len(Q) == 83 and len(C) == 87, (len(Q), len(C))
    rows = sc.pooled()
    checks = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    flag: dict[tuple[str, str, int, str], list[str]] = {}
    for f in checks["flagged"]:
        flag.setdefault((f["version"], f["deck"], f["slide"], f["text"]), f["problems"])
    distinct: dict[tuple[object, ...], list[dict[str, object]]] = {}
    for r in rows:
        distinct.setdefault(sc._key(r["item"]), []).append(r)
    out = []
    qi = ci = 0
    for rs in distinct.values():
        if not any(r["bad"] for r in rs):
            continue
        it = rs[0]["item"]
        if it["type"] == "quiz":
            kind, qi = Q[qi], qi + 1
        else:
            kind, ci = C[ci], ci + 1
        text = it.get("stem") or it.get("front")
        found = {p for r in rs for p in flag.get((r["version"], it["deck"], it["slide"], text), [])}
        reasons = [r["judgment"].get("reasons", {}) for r in rs if r["bad"]]
        out.append(
            {
                "kind": kind,
                "type": it["type"],
                "deck": it["deck"],
                "slide": it["slide"],
                "text": text,
                "answer": it.get("key") if it["type"] == "quiz" else it.get("back"),
                "judged": [f"{r['version']}:{r['judgment']['item_id']}" for r in rs],
                "reason": reasons[0].get("valid") or reasons[0].get("worth_keeping"),
                "caught_by": sorted(found),
            }
        )
    (Path(__file__).parent / "defects_dev.json").write_text(
        json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    kinds = collections.Counter(o["kind"] for o in out)
    for kind, n in kinds.most_common():
        caught = sum(bool(o["caught_by"]) for o in out if o["kind"] == kind)
        print(f"{kind:16} {n:3}  caught {caught}")


if __name__ == "__main__":
    main()
