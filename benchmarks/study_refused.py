"""Refused quiz questions and cards for a blind judge: are the generator's gates right? (dev only)

    PYTHONPATH=. .venv/bin/python benchmarks/study_refused.py --split dev --accepted MAIN_ITEMS.json
        [--sample 90] [--controls 30] [--seed 14] [--out FILE] [--key FILE] [--decks SUBSTR ...]

Runs benchmarks/study_losses.py's harness (same reading, page cache, candidates and stages) and, for every
candidate a stage refuses, the item as far as it can be built:
- a quiz seed its builder refused is built again with the builder's gates passed (``Relaxed``: the checks
  workers/generation/quiz.py calls inside its builders, and its ``_term_ok`` for the seed's own definition);
  the first gate that would have refused it names it (``build:<builder>:<gate>``); a seed that still builds
  nothing (no term to blank, no options, no negation) is counted, not sampled. A question refused by
  ``QuizBuilder._keep`` or as a repeat is shown as built;
- a card draft: the card it would have been (a definition's term card or cloze, a list's first item, a slide
  line's cloze on its key term, else its subject word, else any key term it names); a line naming none is
  counted, not sampled;
- what passed every stage but is not among main's items (MAIN_ITEMS: benchmarks/study_quality.py --out of
  main on the same split) was left by the salience gate, the true/false balance, the near-duplicate removal or
  the count (``after:...``).

A stratified random sample of the rendered refusals (every gate in proportion, at least ``--least`` from
each gate with that many, at most ``--per-deck`` from a deck) and ``--controls`` of main's own items (no
figure cards: no refused item shows a picture), shuffled, goes to --out in study_quality.py's item form,
with ids and no hint of which is which; --key maps each id to refused/accepted and the gate. Runs with
PYTHONHASHSEED=0 (it restarts itself so): key terms of one length are tried in set order, so a line naming two
("SIMO/MISO") would otherwise hide either, run to run.
"""

from __future__ import annotations

import json
import os
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from study_losses import deck_paths, dev_parser, run_losses  # noqa: E402
from study_quality import CONCEPTS, concepts_named, has_boilerplate, item_text  # noqa: E402

from shared.text import fold  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "session14"
GATE_FIELDS = ("gate", "stage", "gates")  # in the key file only

# the checks quiz.py's builders call: (refused?, the value that lets the builder go on)
_GATES: dict[str, tuple[Callable[[Any], bool], Any]] = {
    "sentence_ok": (lambda r: not r, True),  # _fill_point's first check of each sentence
    "statement_like": (lambda r: not r, True),
    "statement_problem": (bool, None),
    "find_definition": (lambda r: r is not None, None),
    "names_no_term": (bool, False),
    "remark": (bool, False),
    "definition_problem": (lambda r: r is not None, None),
    "guessable": (bool, False),
    "subject_blank": (lambda r: not r, True),
}


class Relaxed:
    """While open, quiz.py's builder checks let everything pass; ``hits`` lists those that would have refused
    (a new sentence of _fill_point starts the list again: only the shown sentence's refusals count)."""

    def __init__(self, builder: Any, build: Any) -> None:
        from workers.generation.candidates import Definition

        func = getattr(build, "func", build)
        self.name = getattr(func, "__name__", "?").lstrip("_")
        self.target = next((a for a in getattr(build, "args", ()) if isinstance(a, Definition)), None)
        self.builder = builder
        self.hits: list[str] = []
        self.quiet = False
        self._saved: dict[str, Any] = {}

    def _wrap(self, name: str, original: Any) -> Any:
        refused, passing = _GATES.get(name, (None, ""))

        def gate(*args: Any, **kwargs: Any) -> Any:
            result = original(*args, **kwargs)
            if self.quiet:  # inside _term_ok of another definition than the seed's: as written
                return result
            if name == "sentence_ok":
                self.hits.clear()
            if name == "context_prefix":  # a definition's true/false needs one; a line or blank, none
                bad = result is None if self.name == "tf_definition" else result != ""
            else:
                assert refused is not None
                bad = refused(result)
            if bad:
                self.hits.append(name)
                return passing
            return result

        return gate

    def __enter__(self) -> Relaxed:
        import workers.generation.quiz as quiz

        for name in [*_GATES, "context_prefix"]:
            self._saved[name] = getattr(quiz, name)
            setattr(quiz, name, self._wrap(name, self._saved[name]))
        term_ok = self.builder._term_ok

        def relaxed_term_ok(lc: Any, d: Any) -> bool:
            self.quiet = True
            try:
                ok = bool(term_ok(lc, d))
            finally:
                self.quiet = False
            if not ok and d is self.target:  # the seed's own definition only, not its distractors
                self.hits.append("term_ok")
                return True
            return ok

        self.builder._term_ok = relaxed_term_ok
        return self

    def __exit__(self, *exc: object) -> None:
        import workers.generation.quiz as quiz

        for name, original in self._saved.items():
            setattr(quiz, name, original)
        del self.builder._term_ok  # the class's method again


def rebuild(builder: Any, build: Any) -> tuple[Any, list[str]]:
    """A refused seed built with its builder's checks passed: (question or None, the checks it failed; then
    "then:keep_refused" when QuizBuilder._keep would still refuse it)."""
    from workers.generation.quiz_balance import even_case

    with Relaxed(builder, build) as relaxed:
        question = build()
    hits = list(dict.fromkeys(relaxed.hits))
    if question is not None and not builder._keep(even_case(question)):
        hits.append("then:keep_refused")
    return question, hits


def stratum(kind: str, stage: str, checks: list[str]) -> str:
    """The gate a refusal is sampled by: a card's stage to its third part ("point:form:sentence"), a quiz
    builder's first failed check whatever the builder ("build:statement_problem"), else the stage."""
    if kind == "card":
        return "card:" + ":".join(stage.split(":")[:3])
    if stage.startswith("build:") and checks:
        return f"quiz:build:{checks[0]}"
    return f"quiz:{stage}"


def shown_as(item: dict[str, Any]) -> tuple[str, ...]:
    """What a student reads first: a question's stem (options are shuffled), a card's two sides."""
    if item["type"] == "quiz":
        return ("quiz", fold(item["stem"]))
    return ("card", fold(item["front"]), fold(item["back"]))


def refused_records(
    losses: dict[str, Any], accepted: dict[str, list[dict[str, Any]]]
) -> list[dict[str, Any]]:
    """Every refused candidate: deck, kind, stage, gate, and its item (export form) or None; ``repeat``
    when the same item was shown already (another line giving the same blank) or main makes it."""
    out: list[dict[str, Any]] = []
    for deck, r in losses.items():
        made = {shown_as(i) for i in accepted.get(deck, [])}
        seen = set(made)
        for kind, lost in (("card", r["card_lost"]), ("quiz", r["quiz_lost"])):
            for stage, items in lost.items():
                for item in items:
                    shown = item.get("render")
                    if stage == "~kept" and (shown is None or shown_as(shown) in made):
                        continue  # passed every stage here and made by main (or a figure card)
                    gate = stage
                    if stage == "~kept":  # refused after the stages: salience, balance, dedupe, count
                        gate = (
                            "after:salience_balance_count"
                            if kind == "quiz"
                            else "after:salience_dedupe_count"
                        )
                    checks = item.get("gates") or []
                    row = {"deck": deck, "kind": kind, "stage": stage, "item": shown}
                    row["gate"] = stratum(kind, gate, checks if shown is not None else [])
                    if shown is not None:
                        row["repeat"] = shown_as(shown) in seen
                        seen.add(shown_as(shown))
                    out.append({**row, **({"gates": checks} if checks else {})})
    return out


def quotas(counts: dict[str, int], n: int, least: int) -> dict[str, int]:
    """Items per gate: ``least`` from each gate with that many, the rest of ``n`` in proportion to what each
    gate has beyond it (largest remainders), never more than a gate has."""
    base = {g: least if c >= least else 0 for g, c in counts.items()}
    rest = max(0, n - sum(base.values()))
    spare = {g: counts[g] - base[g] for g in counts}
    total = sum(spare.values())
    if not total or not rest:
        return base
    share = {g: rest * spare[g] / total for g in counts}
    got = {g: base[g] + int(share[g]) for g in counts}
    left = rest - sum(int(v) for v in share.values())
    for g in sorted(counts, key=lambda g: (-(share[g] - int(share[g])), g))[:left]:
        got[g] += 1
    return {g: min(v, counts[g]) for g, v in got.items()}


def spread(
    need: dict[str, int], pools: dict[str, list[dict[str, Any]]], per_deck: int
) -> dict[tuple[str, str], int]:
    """How many items each gate takes from each deck so that as many gates as can reach ``need`` under
    ``per_deck`` do (a maximum flow, gates -> decks: a gate found mostly in one deck gets that deck's
    places before gates that can go elsewhere)."""
    have: Counter[tuple[str, str]] = Counter((g, r["deck"]) for g, p in pools.items() for r in p)
    flow: Counter[tuple[str, str]] = Counter()
    used: Counter[str] = Counter()
    got: Counter[str] = Counter()
    decks = sorted({d for _, d in have})
    while True:  # augmenting paths gate -> deck (-> gate -> deck ...) to a deck with room, breadth first
        back: dict[tuple[str, str], tuple[str, str] | None] = {}
        queue: list[tuple[str, str]] = [("gate", g) for g in sorted(need) if got[g] < need[g]]
        for node in queue:
            back[node] = None
        end = None
        for side, name in queue:
            if side == "gate":
                nexts = [("deck", d) for d in decks if flow[(name, d)] < have[(name, d)]]
            else:
                if used[name] < per_deck:
                    end = (side, name)
                    break
                nexts = [("gate", g) for g in sorted(need) if flow[(g, name)] > 0]
            for nxt in nexts:
                if nxt not in back:
                    back[nxt] = (side, name)
                    queue.append(nxt)
        if end is None:
            return {k: v for k, v in flow.items() if v}
        node = end
        used[end[1]] += 1
        while (prev := back[node]) is not None:
            if prev[0] == "gate":
                flow[(prev[1], node[1])] += 1
            else:
                flow[(node[1], prev[1])] -= 1
            node = prev
        got[node[1]] += 1


def stratified(
    records: list[dict[str, Any]], n: int, rng: random.Random, *, least: int = 4, per_deck: int = 15
) -> list[dict[str, Any]]:
    """A random sample of the rendered records: ``quotas`` per gate, at most ``per_deck`` from a deck:
    every gate's ``least`` first, spread over the decks (``spread``), then in turns the gate furthest below
    its quota; places a full deck leaves empty go to other gates' items, at random."""
    pools: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        if r["item"] is not None and not r.get("repeat"):
            pools[r["gate"]].append(r)
    for gate in sorted(pools):
        rng.shuffle(pools[gate])
    want = quotas({g: len(p) for g, p in pools.items()}, n, least)
    taken: list[dict[str, Any]] = []
    decks: Counter[str] = Counter()

    def take(r: dict[str, Any]) -> bool:
        if decks[r["deck"]] >= per_deck:
            return False
        taken.append(r)
        decks[r["deck"]] += 1
        return True

    got: Counter[str] = Counter()
    firsts = {g: min(want[g], least) for g in pools}
    for (gate, deck), k in spread(firsts, pools, per_deck).items():  # every gate's least first
        chosen = [r for r in pools[gate] if r["deck"] == deck][:k]
        pools[gate] = [r for r in pools[gate] if not any(r is c for c in chosen)]
        for r in chosen:
            take(r)
            got[gate] += 1
    open_ = {g for g in pools if got[g] < want[g] and pools[g]}  # then the quotas
    while open_:  # the gate furthest below its quota next, from a deck not yet full
        gate = min(open_, key=lambda g: (got[g] / want[g], -want[g], g))
        pool = pools[gate]
        while pool and not take(pool[0]):
            pool.pop(0)
        if pool:
            pool.pop(0)
            got[gate] += 1
        if not pool or got[gate] >= want[gate]:
            open_.discard(gate)
    left = [r for g in sorted(pools) for r in pools[g] if decks[r["deck"]] < per_deck]
    rng.shuffle(left)
    for r in left:  # quotas a full deck left unmet: other gates' items, at random
        if len(taken) >= sum(want.values()):
            break
        take(r)
    return taken


def judged(deck: str, item: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    """An item as study_quality.py --out gives it (with its automatic concept and boilerplate fields)."""
    fields = {
        k: v for k, v in item.items() if k not in {"deck", "split", "concepts_named", "boilerplate_found"}
    }
    text = item_text(fields)
    return {
        "deck": deck,
        "split": "dev",
        "page": fields["slide"],
        "kind": fields["type"],
        **fields,
        "concepts_named": concepts_named(text, entry["key_concepts"]),
        "boilerplate_found": has_boilerplate(text, entry["boilerplate"]),
    }


def main() -> int:
    if os.environ.get("PYTHONHASHSEED") != "0":  # key terms of one length come in set order: fix it
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})
    parser = dev_parser(__doc__)
    parser.add_argument("--accepted", required=True, help="main's study_quality.py --out on the same split")
    parser.add_argument("--sample", type=int, default=90)
    parser.add_argument("--controls", type=int, default=30)
    parser.add_argument("--least", type=int, default=4)
    parser.add_argument("--per-deck", type=int, default=15)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--out", default=str(RESULTS / "judge_items_refused.json"))
    parser.add_argument("--key", default=str(RESULTS / "refused_key.json"))
    parser.add_argument("--all", help="every refused candidate with its gate and item (JSON)")
    args = parser.parse_args()

    main_items = json.loads(Path(args.accepted).read_text(encoding="utf-8"))["items"]
    accepted: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for i in main_items:
        if i["type"] in {"quiz", "card"} and i["split"] == args.split:
            accepted[i["deck"]].append(i)
    losses = run_losses(deck_paths(args.dir, args.split, args.decks), rebuild)
    records = refused_records(losses, accepted)
    rng = random.Random(args.seed)
    sample = stratified(records, args.sample, rng, least=args.least, per_deck=args.per_deck)
    controls = [i for d in sorted(accepted) if d in losses for i in accepted[d] if i.get("figure_id") is None]
    controls = rng.sample(controls, min(args.controls, len(controls)))
    entries = {d["deck"]: d for d in json.loads(CONCEPTS.read_text(encoding="utf-8"))["decks"]}
    rows = [
        (r["deck"], r["item"], {"refused": True, **{k: r[k] for k in GATE_FIELDS if k in r}}) for r in sample
    ]
    rows += [(i["deck"], i, {"refused": False, "gate": None}) for i in controls]
    rng.shuffle(rows)
    items, keys = [], {}
    for n, (deck, item, key) in enumerate(rows):
        items.append({"id": f"r{n}", **judged(deck, item, entries[deck])})
        keys[f"r{n}"] = {**key, "deck": deck}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(items, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    Path(args.key).write_text(json.dumps(keys, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if args.all:
        Path(args.all).write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    print_counts(records, sample)
    print(f"\n{len(items)} items ({len(sample)} refused, {len(controls)} accepted): {args.out}, {args.key}")
    return 0


def print_counts(records: list[dict[str, Any]], sample: list[dict[str, Any]]) -> None:
    """Refused candidates, rendered, distinct (no repeat) and sampled, per gate and deck."""
    table: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for r in records:
        shown = r["item"] is not None
        gate = r["gate"] if shown else stratum(r["kind"], r["stage"], []) + " (none)"
        row = table[(gate, r["deck"][:24])]
        row[0] += 1
        row[1] += shown
        row[2] += shown and not r.get("repeat")
    for r in sample:
        table[(r["gate"], r["deck"][:24])][3] += 1
    head = f"{'refused':>7} {'rendered':>8} {'distinct':>8} {'sampled':>7}"
    print(f"{'gate':48} {'deck':24} {head}")
    for (gate, deck), row in sorted(table.items()):
        print(
            f"{gate[:48]:48} {deck:24} "
            + " ".join(f"{x:{w}}" for x, w in zip(row, (7, 8, 8, 7), strict=True))
        )
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for (gate, _), row in table.items():
        totals[gate] = [x + y for x, y in zip(totals[gate], row, strict=True)]
    print(f"\n{'all decks':48} {'':24} {head}")
    for gate, row in sorted(totals.items(), key=lambda kv: -kv[1][0]):
        print(
            f"{gate[:48]:48} {'':24} " + " ".join(f"{x:{w}}" for x, w in zip(row, (7, 8, 8, 7), strict=True))
        )
    all_ = [sum(row[k] for row in totals.values()) for k in range(4)]
    print(f"{'total':48} {'':24} " + " ".join(f"{x:{w}}" for x, w in zip(all_, (7, 8, 8, 7), strict=True)))


if __name__ == "__main__":
    raise SystemExit(main())
