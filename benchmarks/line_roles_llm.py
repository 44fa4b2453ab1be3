"""Can the bundled SmolLM2-135M-Instruct tell a slide line's role? Dev split only (issue 12, session 18).

    PYTHONPATH=$PWD nice -n 10 .venv/bin/python benchmarks/line_roles_llm.py --split dev \\
        --cache /tmp/rolesllm-roles [--forms zero,few,binary] [--budget 1500] [--out DIR]
    ... benchmarks/line_roles_llm.py --split dev --from-lines DIR/line_roles_llm_lines.jsonl  # re-score only

The dev labels are loaded and matched to the product's lines exactly as benchmarks/line_roles.py does
(load_rows, cached_deck, assign_roles, match). A fixed-seed sample stratified by the labelled role is drawn
(at most ``--per-role`` lines a role, round-robin over the decks so every deck is drawn from, at most
``--max-total`` lines). For every sampled line the model is shown the role table of benchmarks/data/README.md
(a system prefix identical across calls, evaluated once per prompt form so llama.cpp keeps it in its KV
cache), then the line, the slide's title, the lines just before and after and where the line sits on the
page; its answer is the role name whose first token (the 16 names begin with 16 different tokens) has
the highest log-probability right after the prefilled answer ``Role:``: constrained, no free text parsed.

Prompt forms: ``zero`` (the role table and conventions), ``few`` (the same plus one made-up example a
role, not taken from the labels) and ``binary`` (content or boilerplate, prefilled ``Answer:``; content
counts as body, boilerplate as footer). Each form is also scored "calibrated": every answer's log-probability
minus its mean over the sample (no label used), which removes the model's prior for a name.
Reported on the SAME sampled lines: macro-F1 (over the roles present in the sample), accuracy,
dropped-role precision/recall (footer, meta, credit, url) for (a) the rules, (b) the model alone, (c) the
model as a fallback for the lines the rules call body, (d) the model as a veto (a line the rules drop takes
the model's role when that is a content role), (e) c and d together.
Raw per-line log-probabilities go to ``--out`` (lines.jsonl, summary.json). ``--split test`` is refused.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from workers.ocr.line_cues import DROPPED, ROLES  # noqa: E402  (the product's role set)

SEED = 18
FORMS = ("zero", "few", "binary")
BINARY = ("content", "boilerplate")  # the binary form's two answers

MEANINGS = {
    "title": "the slide's title (one per slide usually; on the deck's title slide the lecture title)",
    "heading": "a section heading inside a slide, or a section-divider slide's text",
    "body": "ordinary content sentence or bullet (not a definition, not a list lead-in)",
    "definition": 'a line that defines a term ("X is/are ...", "X: the ...", "X - means ...")',
    "list_lead": 'a lead-in that introduces a list ("Four necessary conditions:", '
    '"Types of threats include")',
    "formula": "a mathematical formula/equation line (even garbled math text)",
    "code": "program code, SQL, pseudo-code, command lines",
    "table": "a line that is a table row/cell content",
    "caption": 'a figure or table caption ("Figure 3: ...", "Table 1 ...")',
    "figure_text": "words that are part of a figure/diagram (labels inside a chart/diagram, axis labels)",
    "question": 'a question or exercise posed to students ("Quiz:", "Exercise 2", "What happens if ...?")',
    "agenda": 'agenda / outline / learning objectives / "Today" / "Overview" / "Next lecture" lines',
    "credit": 'credit/citation/reference/bibliography/copyright/licence/"Image: ... CC BY-SA"/'
    '"Source: ..."/"Adapted from ..."',
    "url": "a line that is essentially a URL or an email address",
    "footer": "header/footer/page-number text repeated on pages (copyright line, slide numbers, running "
    "course header)",
    "meta": "course meta: course code, instructor name/affiliation, term/date, institution, publisher, "
    "textbook edition line (when not a repeated footer)",
}
CONVENTIONS = (
    "When two roles fit: footer, meta, credit and url beat the others when the line is boilerplate.",
    "A wrapped continuation line takes the role of the sentence it continues.",
    "A term alone on its line, defined on the next line, is heading; the defining line is definition.",
    'A line that introduces a formula or figure (not a list) is body ("Matrix form:").',
    "Course logistics (grading, exam dates, due dates) are meta; lines about the next lecture are agenda.",
    "Term/definition tables are table, cell by cell.",
    "A running header/footer (course name, date, chapter, page number) is footer even on the title slide.",
)
# One made-up example a role (not from the labelled decks): (line, title, before, after, position).
EXAMPLES: dict[str, tuple[str, str, str, str, str]] = {
    "title": (
        "Dynamic Programming",
        "Dynamic Programming",
        "",
        "Overlapping subproblems",
        "line 1 of 6, first",
    ),
    "heading": ("Part 2: Virtual memory", "Part 2: Virtual memory", "", "", "line 1 of 1, first and last"),
    "body": ("The cache keeps recently used blocks close to the CPU.", "Caches", "Caches", "", "line 2 of 5"),
    "definition": (
        "Entropy: the expected information of a random variable.",
        "Entropy",
        "",
        "",
        "line 2 of 4",
    ),
    "list_lead": ("Three properties of a good hash function:", "Hashing", "Hashing", "Fast", "line 2 of 6"),
    "formula": ("P(A|B) = P(B|A) P(A) / P(B)", "Bayes' rule", "Bayes' rule", "", "line 2 of 3"),
    "code": ("for i in range(n): total += x[i]", "Loops", "Example:", "print(total)", "line 4 of 7"),
    "table": ("Sodium    11    22.99", "Elements", "Name  Z  Mass", "Chlorine  17  35.45", "line 3 of 6"),
    "caption": ("Figure 4: Stress-strain curve of mild steel", "Yield", "", "", "line 5 of 6"),
    "figure_text": ("input layer", "Perceptron", "x1", "hidden layer", "line 4 of 9"),
    "question": ("What happens if the learning rate is too large?", "Step size", "", "", "line 4 of 5"),
    "agenda": ("Today: recursion, stacks and queues", "Outline", "Outline", "", "line 2 of 4"),
    "credit": ("Source: Smith et al., Nature 2019", "Results", "", "12", "line 6 of 7"),
    "url": ("www.example.edu/~course/notes", "Resources", "Lecture notes:", "", "line 3 of 3, last"),
    "footer": ("CS 101 Fall 2020    14", "Sorting", "", "", "line 9 of 9, last"),
    "meta": ("Prof. Jane Doe, Department of Physics", "Quantum Mechanics I", "", "", "line 2 of 4"),
}


@dataclass(frozen=True)
class Item:
    """One labelled dev line matched to the product's line, with what the model is shown."""

    deck: str
    page: int
    index: int  # the product line's index on the page
    text: str  # the product's line
    gold: str
    rules: str
    title: str
    before: str
    after: str
    position: str


# ---------------------------------------------------------------- pure parts (unit-tested)


def stratified_sample(
    items: Sequence[Item], per_role: int = 12, max_total: int = 180, seed: int = SEED
) -> list[Item]:
    """At most ``per_role`` items a gold role, taken round-robin over the decks in a seeded order (so every
    deck that has the role is drawn from), the cap lowered until at most ``max_total`` are taken. The result
    does not depend on the input's order."""
    by_role: dict[str, dict[str, list[Item]]] = defaultdict(lambda: defaultdict(list))
    for item in sorted(items, key=lambda i: (i.deck, i.page, i.index, i.text, i.gold)):
        by_role[item.gold][item.deck].append(item)
    queues: dict[str, list[Item]] = {}
    for role in sorted(by_role):
        rng = random.Random(f"{seed}:{role}")
        decks = sorted(by_role[role])
        rng.shuffle(decks)
        pools = []
        for deck in decks:
            pool = list(by_role[role][deck])
            rng.shuffle(pool)
            pools.append(pool)
        queue: list[Item] = []
        while any(pools):
            for pool in pools:
                if pool:
                    queue.append(pool.pop())
        queues[role] = queue
    cap = per_role
    while cap > 1 and sum(min(cap, len(q)) for q in queues.values()) > max_total:
        cap -= 1
    taken = [item for q in queues.values() for item in q[:cap]]
    return sorted(taken, key=lambda i: (i.deck, i.page, i.index, i.gold))


def pick(logprobs: dict[str, float]) -> str:
    """The role with the highest log-probability (ties: the earlier role in ROLES)."""
    return max(ROLES, key=lambda r: (logprobs.get(r, -math.inf), -ROLES.index(r)))


def pick_binary(logprobs: dict[str, float]) -> str:
    """The binary form's answer as a role: body for content, footer (a dropped role) for boilerplate."""
    return (
        "body" if logprobs.get("content", -math.inf) >= logprobs.get("boilerplate", -math.inf) else "footer"
    )


def calibrate(logprobs: Sequence[dict[str, float]]) -> list[dict[str, float]]:
    """Each answer's log-probability minus its mean over the lines given (no label used): removes the
    model's prior for an answer, so a pick shows what the line itself moves."""
    keys = list(logprobs[0]) if logprobs else []
    mean = {r: sum(lp[r] for lp in logprobs) / len(logprobs) for r in keys}
    return [{r: lp[r] - mean[r] for r in keys} for lp in logprobs]


def fallback(rules: str, model: str) -> str:
    """(c) the model decides only the lines the rules leave as body."""
    return model if rules == "body" else rules


def veto(rules: str, model: str) -> str:
    """(d) a line the rules drop stays content (the model's role) when the model says a content role."""
    return model if rules in DROPPED and model not in DROPPED else rules


def scores(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """Macro-F1 over the roles present in gold, accuracy, and the dropped roles' precision and recall,
    as benchmarks/line_roles.py computes them."""
    from line_roles_lodo import role_f1

    pairs = list(zip(gold, pred, strict=True))
    f1s = role_f1(pairs)  # over the roles the gold lines have
    dropped = [g for g, p in pairs if p in DROPPED]
    content_dropped = sum(g not in DROPPED for g in dropped)
    gold_dropped = sum(g in DROPPED for g in gold)
    kept = sum(g in DROPPED and p not in DROPPED for g, p in pairs)
    return {
        "n": len(pairs),
        "macro_f1": sum(f1s.values()) / max(len(f1s), 1),
        "accuracy": sum(g == p for g, p in pairs) / max(len(pairs), 1),
        "dropped": len(dropped),
        "content_dropped": content_dropped,
        "dropped_precision": 1 - content_dropped / max(len(dropped), 1),
        "dropped_recall": 1 - kept / max(gold_dropped, 1),
        "f1": f1s,
    }


def describe(
    item: Item | tuple[str, str, str, str, str], ask: str = "Which role has LINE? Answer with one role name."
) -> str:
    """The user turn: the line and its surroundings."""
    if isinstance(item, Item):
        text, title, before, after, position = item.text, item.title, item.before, item.after, item.position
    else:
        text, title, before, after, position = item

    def cut(s: str, n: int) -> str:
        return s if len(s) <= n else s[: n - 3] + "..."

    return (
        f"Slide title: {cut(title, 120) or '(none)'}\n"
        f"Line before: {cut(before, 120) or '(none)'}\n"
        f"LINE: {cut(text, 240)}\n"
        f"Line after: {cut(after, 120) or '(none)'}\n"
        f"Position: {position}\n{ask}"
    )


def system_prompt(form: str) -> str:
    """The prefix shared by every call of a form (so llama.cpp reuses its KV cache)."""
    if form == "binary":
        return (
            "You sort the lines of lecture slides into two kinds.\n"
            "- content: what a student learns from: titles, headings, sentences, bullets, definitions, "
            "formulas, code, table cells, figure labels, captions, questions, outlines.\n"
            "- boilerplate: lines not worth a flashcard: running headers and footers, page or slide numbers, "
            "copyright lines, course code, instructor name, institution, term or date, course logistics, "
            "citations, references, image credits, URLs and e-mail addresses.\n"
            "Answer with one word: content or boilerplate."
        )
    table = "\n".join(f"- {r}: {MEANINGS[r]}" for r in ROLES)
    rules = "\n".join(f"- {c}" for c in CONVENTIONS)
    text = (
        "You label each line of a lecture slide with exactly one role name from this table.\n"
        f"Roles:\n{table}\nConventions:\n{rules}\nAnswer with the role name only."
    )
    if form == "few":
        shots = "\n\n".join(f"{describe(EXAMPLES[r])}\nRole: {r}" for r in ROLES)
        text += f"\n\nExamples:\n\n{shots}"
    return text


def position(index: int, nonempty: Sequence[int]) -> str:
    """Where line ``index`` sits among the page's non-empty lines."""
    k = nonempty.index(index) + 1 if index in nonempty else index + 1
    n = len(nonempty)
    ends = [w for w, on in (("first", k == 1), ("last", k == n)) if on]
    return f"line {k} of {n}" + (f", {' and '.join(ends)}" if ends else "")


# ---------------------------------------------------------------- data and model


def collect(cache: str | None) -> list[Item]:
    """Every matched dev label as an Item (the matching of benchmarks/line_roles.py)."""
    from line_roles import cached_deck, load_rows, match

    from workers.ocr.pipeline import assign_roles

    by_deck: dict[str, dict[int, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for row in load_rows("dev"):
        by_deck[row["deck"]][row["page"]].append(row)
    items: list[Item] = []
    for deck in sorted(by_deck):
        pages = cached_deck(deck, cache)
        assign_roles(pages)
        numbered = {p.number: p for p in pages}
        for number, labelled in sorted(by_deck[deck].items()):
            labelled.sort(key=lambda r: r["line"])
            page = numbered.get(number)
            if page is None:
                continue
            lines = page.text.split("\n")
            nonempty = [i for i, s in enumerate(lines) if s.strip()]
            for row, index in zip(labelled, match(labelled, lines), strict=True):
                if index is None:
                    continue
                before = next((lines[i] for i in reversed(nonempty) if i < index), "")
                after = next((lines[i] for i in nonempty if i > index), "")
                items.append(
                    Item(
                        deck=deck,
                        page=number,
                        index=index,
                        text=lines[index],
                        gold=row["role"],
                        rules=page.roles[index] or "body",
                        title=page.title or "",
                        before=before,
                        after=after,
                        position=position(index, nonempty),
                    )
                )
    return items


class RoleScorer:
    """SmolLM2 through llama.cpp (2 threads). The 16 role names begin with 16 different tokens, so a role's
    score is the log-probability of its first token right after the prefilled answer ``Role:`` (one decode
    a line, after a system prefix kept in the KV cache)."""

    def __init__(self, threads: int = 2, context: int = 2048) -> None:
        from llama_cpp import Llama

        from shared.llm import bundled_model_path

        self.path = bundled_model_path()
        self.llm = Llama(model_path=str(self.path), n_ctx=context, n_threads=threads, verbose=False)
        self.first = {r: self.tok(f" {r}")[0] for r in ROLES}
        self.binary = {r: self.tok(f" {r}")[0] for r in BINARY}
        for names in (self.first, self.binary):
            if len(set(names.values())) != len(names):
                raise SystemExit(f"two answers share a first token: {names}")
        self.form = "zero"
        self.prefix_len = 0
        self.evaluated = 0  # tokens decoded, prefix included

    def tok(self, text: str, special: bool = False) -> list[int]:
        return list(self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=special))

    def set_system(self, form: str) -> int:
        self.form = form
        self.llm.reset()
        tokens = self.tok(f"<|im_start|>system\n{system_prompt(form)}<|im_end|>\n", special=True)
        self.llm.eval(tokens)
        self.prefix_len = len(tokens)
        self.evaluated += len(tokens)
        return len(tokens)

    def logprobs(self, item: Item) -> dict[str, float]:
        import numpy as np

        llm = self.llm
        llm.n_tokens = self.prefix_len  # drop the previous line, keep the system prefix's KV cache
        if self.form == "binary":
            user, answer, names = describe(item, "Is LINE content or boilerplate?"), "Answer:", self.binary
        else:
            user, answer, names = describe(item), "Role:", self.first
        suffix = self.tok(
            f"<|im_start|>user\n{user}<|im_end|>\n<|im_start|>assistant\n{answer}", special=True
        )
        llm.eval(suffix)
        self.evaluated += len(suffix)
        row = np.ctypeslib.as_array(llm._ctx.get_logits(), shape=(llm.n_vocab(),)).astype(np.float64)
        top = row.max()
        norm = float(np.log(np.exp(row - top).sum()) + top)
        return {r: float(row[t]) - norm for r, t in names.items()}


def run_forms(
    scorer: RoleScorer,
    sample: Sequence[Item],
    forms: Iterable[str],
    budget: float,
    log: Callable[[str], None],
) -> dict[str, list[dict[str, float] | None]]:
    """Log-probabilities for each form and line (None where the budget ran out); the budget is split
    evenly over the forms."""
    forms = list(forms)
    results: dict[str, list[dict[str, float] | None]] = {}
    for form in forms:
        started = time.perf_counter()
        n_prefix = scorer.set_system(form)
        log(f"form {form}: system prefix {n_prefix} tokens ({time.perf_counter() - started:.1f} s)")
        done: list[dict[str, float] | None] = []
        for k, item in enumerate(sample):
            if time.perf_counter() - started > budget / len(forms):
                log(f"form {form}: budget spent after {k} lines")
                done.extend([None] * (len(sample) - k))
                break
            done.append(scorer.logprobs(item))
        log(
            f"form {form}: {time.perf_counter() - started:.1f} s for {sum(d is not None for d in done)} lines"
        )
        results[form] = done
    return results


def report(sample: Sequence[Item], results: dict[str, list[dict[str, float] | None]]) -> dict[str, Any]:
    """Scores of the rules, each form alone, as fallback, as veto and both, on the lines every form scored."""
    keep = [k for k in range(len(sample)) if all(r[k] is not None for r in results.values())]
    gold = [sample[k].gold for k in keep]
    rules = [sample[k].rules for k in keep]
    table: dict[str, dict[str, Any]] = {"(a) rules": scores(gold, rules)}
    variants = []
    for form, res in results.items():
        kept = [res[k] or {} for k in keep]
        choose = pick_binary if form == "binary" else pick
        variants += [
            (form, [choose(lp) for lp in kept]),
            (f"{form} calibrated", [choose(lp) for lp in calibrate(kept)]),
        ]
    for name, model in variants:
        table[f"(b) {name}: model alone"] = scores(gold, model)
        table[f"(c) {name}: fallback on body"] = scores(
            gold, [fallback(r, m) for r, m in zip(rules, model, strict=True)]
        )
        table[f"(d) {name}: veto on drop"] = scores(
            gold, [veto(r, m) for r, m in zip(rules, model, strict=True)]
        )
        table[f"(e) {name}: fallback + veto"] = scores(
            gold, [veto(fallback(r, m), m) for r, m in zip(rules, model, strict=True)]
        )
    return {"lines": len(keep), "table": table}


def load_lines(path: Path) -> tuple[list[Item], dict[str, list[dict[str, float] | None]]]:
    """The sample and the model's log-probabilities as a run saved them (lines.jsonl)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    fields = list(Item.__dataclass_fields__)
    sample = [Item(**{f: row[f] for f in fields}) for row in rows]
    forms = [f for f in FORMS if rows and f in rows[0]]
    results = {f: [row[f]["logprobs"] if row[f] else None for row in rows] for f in forms}
    return sample, results


def print_summary(summary: dict[str, Any], log: Callable[[str], None]) -> None:
    log(
        f"\non {summary['lines']} sampled lines ({summary['seconds']:.0f} s, "
        f"{summary['tokens_decoded']} tokens decoded)"
    )
    log(f"{'setting':<40} {'macro-F1':>8} {'acc':>6} {'dropP':>6} {'dropR':>6} {'dropped':>8} {'content':>8}")
    for name, s in summary["table"].items():
        log(
            f"{name:<40} {s['macro_f1']:>8.3f} {s['accuracy']:>6.3f} {s['dropped_precision']:>6.3f} "
            f"{s['dropped_recall']:>6.3f} {s['dropped']:>8} {s['content_dropped']:>8}"
        )
    alone = [name for name in summary["table"] if name.endswith("model alone")]
    log("\nper-role F1: rules | " + " | ".join(name[4:-13] for name in alone))
    for role, n in summary["sample_by_role"].items():
        cells = [summary["table"][name]["f1"].get(role, 0.0) for name in ["(a) rules", *alone]]
        log(f"{role:<12} n={n:>2} " + " ".join(f"{c:6.3f}" for c in cells))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--split", choices=["dev", "test"], required=True)
    parser.add_argument("--cache", help="the decks' read pages (a pickle per deck), as line_roles.py --cache")
    parser.add_argument(
        "--forms", default="zero,few", help="prompt forms, comma-separated: zero, few, binary"
    )
    parser.add_argument("--per-role", type=int, default=12)
    parser.add_argument("--max-total", type=int, default=180)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--budget", type=float, default=1500.0, help="seconds of model time, all forms")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "session18"))
    parser.add_argument("--from-lines", help="re-score a saved line_roles_llm_lines.jsonl (no model run)")
    args = parser.parse_args()
    if args.split != "dev":
        parser.error("dev split only: the test decks are never shown to this study")
    forms = [f for f in args.forms.split(",") if f]
    if any(f not in FORMS for f in forms):
        parser.error(f"forms are {', '.join(FORMS)}")

    def log(msg: str) -> None:
        print(msg, flush=True)

    out = Path(args.out)
    if args.from_lines:
        sample, results = load_lines(Path(args.from_lines))
        previous = json.loads((out / "line_roles_llm_summary.json").read_text(encoding="utf-8"))
        run = {k: previous[k] for k in ("model", "seed", "per_role", "matched", "seconds", "tokens_decoded")}
    else:
        items = collect(args.cache)
        sample = stratified_sample(items, args.per_role, args.max_total, args.seed)
        log(f"{len(items)} matched dev lines; sample {len(sample)} (seed {args.seed})")
        started = time.perf_counter()
        scorer = RoleScorer(threads=args.threads)
        results = run_forms(scorer, sample, forms, args.budget, log)
        run = {
            "model": scorer.path.name,
            "seed": args.seed,
            "per_role": args.per_role,
            "matched": len(items),
            "seconds": round(time.perf_counter() - started, 1),
            "tokens_decoded": scorer.evaluated,
        }
    by_role = {r: sum(i.gold == r for i in sample) for r in ROLES if any(i.gold == r for i in sample)}
    by_deck: dict[str, int] = defaultdict(int)
    for item in sample:
        by_deck[item.deck] += 1
    log(f"sample {len(sample)}: {by_role}")
    log("decks: " + ", ".join(f"{d[:14]} {n}" for d, n in sorted(by_deck.items())))
    summary = report(sample, results)
    summary.update(run)
    summary.update(
        {
            "forms": list(results),
            "sample": len(sample),
            "sample_by_role": by_role,
            "sample_by_deck": dict(by_deck),
        }
    )
    print_summary(summary, log)

    out.mkdir(parents=True, exist_ok=True)
    if not args.from_lines:
        with (out / "line_roles_llm_lines.jsonl").open("w", encoding="utf-8") as fh:
            for k, item in enumerate(sample):
                row: dict[str, Any] = asdict(item)
                for form, res in results.items():
                    lp = res[k]
                    answer = pick_binary(lp) if form == "binary" and lp else pick(lp) if lp else None
                    row[form] = None if lp is None else {"pick": answer, "logprobs": lp}
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    (out / "line_roles_llm_summary.json").write_text(
        json.dumps(summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    log(f"raw outputs: {out}/line_roles_llm_lines.jsonl, line_roles_llm_summary.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
