"""Bounds and template guards of the fuzzy running-line detector (workers/ocr/role_fuzzy.py): every uploaded
file is hostile, so time is bounded per deck; lines of one template are content, not OCR noise."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from workers.generation.quiz_checks import statement_problem
from workers.ocr.line_cues import DROPPED, PageLines
from workers.ocr.role_fuzzy import fold
from workers.ocr.roles import classify_deck

ROOT = Path(__file__).resolve().parents[2]

# a hostile deck built in a child process: random lines (16 letters over 5: every line shares trigrams with
# every other, none alike), or the same 150 three-word lines on every page plus 150 short random ones, all
# in the bottom band (a running line's halves are looked for beside each other)
_DECK = """
import random, sys
from workers.ocr.line_cues import LineHint, PageLines
from workers.ocr.roles import _edge_positions
from workers.ocr.role_fuzzy import fuzzy_marks
random.seed(0)
kind, n = sys.argv[1], int(sys.argv[2])
def w(k, abc="abdfghjkmnopqrstwxyz"):
    return "".join(random.choice(abc) for _ in range(k))
if kind == "random":
    pages = [PageLines(lines=[w(16, "abdfh") for _ in range(300)]) for _ in range(n)]
else:
    same = [f"{w(6)} {w(6)} {w(6)}" for _ in range(150)]
    pages = []
    for _ in range(n):
        lines = same + [w(9) for _ in range(150)]
        pages.append(PageLines(lines=lines, hints=[LineHint(text=t, top=0.9, bottom=0.91) for t in lines]))
fuzzy_marks(pages, [_edge_positions(p) | _edge_positions(p, by_position=False) for p in pages])
"""


def _finishes(args: list[str], seconds: float) -> bool:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        subprocess.run([sys.executable, "-c", _DECK, *args], env=env, timeout=seconds, check=True, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return False
    return True


def test_a_long_digit_run_folds_in_linear_time() -> None:
    # main: 20,000 digits took ~15 s (the regex backtracked), classify_deck on 3 such pages ~80 s
    start = time.perf_counter()
    assert fold("7" * 20_000) == ""
    assert fold("Ma55achusetts 7") == fold("Massachusetts 8")
    pages = [PageLines(lines=["Title here", "3" * 20_000, "Body text line"]) for _ in range(3)]
    classify_deck(pages)
    assert time.perf_counter() - start < 3.0


def test_long_lines_are_never_compared() -> None:
    # main: 5 pages each with a 10,000-character line took over 100 s (difflib is quadratic in length)
    start = time.perf_counter()
    pages = [PageLines(lines=[f"Title {p}", "ab" * 5_000, "body text here"]) for p in range(5)]
    classify_deck(pages)
    assert time.perf_counter() - start < 3.0


def test_many_distinct_lines_are_bounded() -> None:
    # main: 80 pages x 300 random lines took ~100 s (quadratic in distinct lines); here under the line
    # budget (60 pages) and over it (200 pages: fuzzy marks skipped), each in a few seconds
    assert _finishes(["random", "60"], 40)
    assert _finishes(["random", "200"], 40)


def test_split_halves_are_compared_with_few_running_lines() -> None:
    # main: 60 pages of 150 running + 150 edge lines took ~40 s (every edge pair against every running line)
    assert _finishes(["band", "60"], 20)


TOPIC_BODY = ["first body line here", "second body line", "third body line ok", "fourth body line"]


def test_titles_of_one_template_are_not_a_footer() -> None:
    words = ["lists", "stacks", "queues", "trees", "heaps", "tries", "graphs", "sorts", "sets", "maps"]

    def title(k: int) -> str:
        return f"Worked example with {words[k]}" if k % 2 else f"Theory part {chr(65 + k)} of the course"

    pages = [PageLines(lines=[title(k), *TOPIC_BODY, f"{k + 1}"]) for k in range(10)]
    assert all(page_roles[0] not in DROPPED for page_roles in classify_deck(pages))


def _deck(middle: list[str]) -> list[PageLines]:
    return [
        PageLines(lines=[f"Topic number {k} overview", *TOPIC_BODY[:3], line, *TOPIC_BODY[3:], f"{k + 1}"])
        for k, line in enumerate(middle)
    ]


def test_a_replaced_word_is_a_template_not_ocr_noise() -> None:
    words = ["lists", "stacks", "queues", "trees", "heaps", "tries", "graphs", "sorts"]
    roles = classify_deck(_deck([f"This part covers the basic ideas of {w}" for w in words]))
    assert [page_roles[4] for page_roles in roles] == ["body"] * 8


def test_cjk_lines_differing_by_one_character_stay_content() -> None:
    line = "关系模型中每个元组在第{}个属性上的取值必须是原子的不可再分的数据项"
    roles = classify_deck(_deck([line.format(ch) for ch in "一二三四五六七八"]))
    assert [page_roles[4] for page_roles in roles] == ["body"] * 8
    short = "本节介绍{}的基本概念"
    roles = classify_deck(
        _deck([short.format(t) for t in ["链表", "栈", "队列", "二叉树", "堆", "哈希表", "图", "排序"]])
    )
    assert [page_roles[4] for page_roles in roles] == ["body"] * 8


_SEEDED = """
from workers.ocr.line_cues import PageLines
from workers.ocr.roles import classify_deck, repeated_keys
foot = ["Ab 2O/1O", "Ab 20/10", "Ab 2O/lO", "Ab 20/10", "Ab 2O/1O", "Ab 20/10"]
pages = [PageLines(lines=[f"Topic {p} title", f"some content line {p} about things", "more body text here ok",
                          foot[p]]) for p in range(6)]
print(sorted(repeated_keys(pages)), classify_deck(pages))
"""


def test_roles_do_not_depend_on_the_hash_seed() -> None:
    outs = set()
    for seed in ("0", "1", "4", "5"):
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _SEEDED], env=env, capture_output=True, text=True, check=True, cwd=ROOT
        )
        outs.add(done.stdout)
    assert len(outs) == 1


def test_devanagari_vowel_signs_are_kept() -> None:
    assert fold("किताब पढ़ना") != fold("कताब पढ़न")
    assert fold("विद्यालय") != fold("वदयलय")


def test_fuzzy_footers_never_empty_a_page() -> None:
    feet = ["Massachusetts Institute of Technology 9.520", "Ma55achusetts Institute of Technology 9.520"]
    body = ["Body line {} about a bound", "Second line {} here"]
    pages = [
        PageLines(lines=[f"Topic {k} of the course", *(b.format(k) for b in body), feet[k % 2]])
        for k in range(6)
    ]
    # a short page whose lines are all OCR variants of the footer: its only lines are its content
    pages.append(
        PageLines(
            lines=[
                "Massachusetts lnstitute of Techno1ogy 9.520",
                "Massachusetts Instltute of Technology 9.520",
            ]
        )
    )
    roles = classify_deck(pages)
    assert all(page_roles[3] == "footer" for page_roles in roles[:6])
    assert any(role not in DROPPED for role in roles[-1])


def test_a_capital_bracketed_plural_is_not_dangling() -> None:
    plural = (
        "Views can be used to present necessary information, while hiding details in underlying RELATION(S)."
    )
    assert statement_problem(plural, "en") is None
