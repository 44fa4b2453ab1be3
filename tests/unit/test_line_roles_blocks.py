"""Line roles read by form, fourth round (workers/ocr/role_rules.py): definitions by their verb in several
languages, numbered exercise prompts, and a short line that starts a block of bulleted or numbered lines.
Each test also shows the rule switched off gives the old role."""

from __future__ import annotations

from workers.ocr.line_cues import PageLines
from workers.ocr.role_rules import DEFAULT_RULES
from workers.ocr.roles import classify_deck

OTHERS = [
    "Deadlocks\nA process holds resources while it waits for others\nThe system can detect it",
    "Scheduling\nThe scheduler picks the next process to run\nRound robin gives each a time slice",
    "Memory\nPaging splits memory into frames\nThe page table maps pages to frames",
]


def roles_of(page: str, rules: frozenset[str] = DEFAULT_RULES) -> dict[str, str]:
    pages = [OTHERS[0], page, *OTHERS[1:]]
    roles = classify_deck([PageLines(lines=p.split("\n")) for p in pages], rules=rules)[1]
    return dict(zip(page.split("\n"), roles, strict=True))


def test_definitions_by_their_verb_in_several_languages() -> None:
    page = (
        "Terms\nThroughput means the number of jobs finished per unit of time\n"
        "Latency refers to the delay between a request and its answer\n"
        "A semaphore is a kind of counter that processes wait on\n"
        "物种形成是指一个物种分化成两个或多个物种的过程\n"
        "किसी शब्द के विपरीत अर्थ वाले शब्द को विलोम शब्द कहते हैं\n"
        "It means that the queue grows without bound\n"
        "Running out of memory means that pages are swapped"
    )
    roles = roles_of(page)
    for line in page.split("\n")[1:6]:
        assert roles[line] == "definition", line
    assert roles["It means that the queue grows without bound"] == "body"  # no term
    assert roles["Running out of memory means that pages are swapped"] == "body"  # a consequence
    old = roles_of(page, DEFAULT_RULES - {"definition_form"})
    assert old["Throughput means the number of jobs finished per unit of time"] == "body"


def test_numbered_exercise_prompts_are_questions_with_or_without_a_question_mark() -> None:
    page = (
        "Round robin\n1. Explain why round robin never starves a process\n"
        "(b) Compute the average waiting time of the three jobs\n"
        "3. The scheduler then picks the shortest job"
    )
    roles = roles_of(page)
    assert roles["1. Explain why round robin never starves a process"] == "question"
    assert roles["(b) Compute the average waiting time of the three jobs"] == "question"
    assert roles["3. The scheduler then picks the shortest job"] == "body"
    old = roles_of(page, DEFAULT_RULES - {"question_prompt"})
    assert old["1. Explain why round robin never starves a process"] == "body"


def test_a_short_plain_line_over_numbered_or_bulleted_lines_starts_a_block() -> None:
    page = (
        "Examples of entries in a checklist\nSecurity checklist\n"
        "1. Do all files that are created have appropriate access permissions\n"
        "2. Does the system terminate user sessions after a period of inactivity\n"
        "Password rules\n• At least twelve characters long\n• Checked against known leaked passwords\n"
        "Two conditions:\n• The lock is free\n• No other process waits"
    )
    roles = roles_of(page)
    assert roles["Security checklist"] == "heading"
    assert roles["Password rules"] == "heading"
    assert roles["Two conditions:"] == "list_lead"  # a lead-in ending in ":" stays one
    assert roles_of(page, DEFAULT_RULES - {"heading_block"})["Security checklist"] == "body"
