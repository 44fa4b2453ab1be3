"""Quiz keys a student would not dispute (workers/generation/quiz_keys.py): an option that is the key's
broader term or the lecture's topic is no distractor; a true/false statement that splices two lines of a
list is not asked; a question that gives another's key away is dropped, the earlier one kept. Each test makes
its own slide or questions."""

from __future__ import annotations

from dataclasses import replace

from shared.schemas import QuizQuestion
from tests.support.study import lecture, quiz_question
from workers.generation.candidates import extract
from workers.generation.material import Slide
from workers.generation.phrasing import Phraser
from workers.generation.quiz import QuizBuilder
from workers.generation.quiz_keys import parent_option, spliced_problem, without_leaks
from workers.generation.quiz_pairs import pairs
from workers.generation.source_checks import LectureChecks, quiz_problems

ROUTING = [
    ("Chapter 4 – Mesh Networking", "Chapter 4 – Mesh Networking\nSpring term"),
    (
        "Routing kinds",
        "Routing kinds\n"
        "Flood routing is a forwarding method where every node resends each packet it receives.\n"
        "Tree routing is a forwarding method where packets follow one spanning tree to the sink.\n"
        "Mesh networking is a design discipline where nodes relay traffic for each other.\n"
        "Source routing is a forwarding method where the sender writes the whole path in the packet.",
    ),
]


def _slide(lines: list[str], title: str = "Failure kinds") -> Slide:
    one = lecture([(title, "\n".join(lines))])
    return replace(one.slides[0], lines=tuple([(title, "title")] + [(x, "body") for x in lines]))


# --- (a) an option that is right too ------------------------------------------------------------------
def test_the_lectures_topic_or_the_keys_broader_term_is_no_distractor() -> None:
    topics = ["Chapter 4 – Mesh Networking"]
    assert parent_option("Mesh routing", "Mesh networking", topics, "en")  # the lecture's topic
    assert parent_option("Flood routing", "Routing", topics, "en")  # the key less its modifier
    assert not parent_option("Flood routing", "Tree routing", topics, "en")  # a sibling stays
    assert not parent_option("Flood routing", "Mesh networking", topics, "en")  # no word of the key


def test_a_question_with_the_topic_among_its_options_fails_the_checks() -> None:
    material = lecture(ROUTING, title="Chapter 4 – Mesh Networking")
    checks = LectureChecks(material, "en")
    options = ["Tree routing", "Mesh networking", "Flood routing"]
    stem = "Which term is defined as: a forwarding method where every node resends each packet it receives?"
    found = checks.quiz("multiple_choice", stem, options, "Flood routing", 2)
    assert "parent_option" not in found  # "Mesh networking" shares no word with "Flood routing"
    key = "Mesh routing"
    found = checks.quiz("multiple_choice", stem, ["Tree routing", "Mesh networking", key], key, 2)
    assert "parent_option" in found
    found = checks.quiz(
        "multiple_choice", stem, ["Tree routing", "Routing", "Flood routing"], "Flood routing", 2
    )
    assert "parent_option" in found


def test_the_builder_swaps_the_topic_out_of_a_terms_distractors() -> None:
    lc = extract(lecture(ROUTING, title="Chapter 4 – Mesh Networking"))
    builder = QuizBuilder([lc], Phraser(None), seed=0)
    terms = [(d.term, d.ref) for d in lc.definitions]
    flood = next(d for d in lc.definitions if d.term.lower() == "flood routing")
    renamed = replace(flood, term="Mesh routing")  # a key under the topic's own words
    picked = builder._term_distractors(lc, renamed, terms, 3)
    assert picked and all(p.lower() != "mesh networking" for p in picked)
    assert {"tree routing", "source routing"} & {p.lower() for p in picked}


# --- (b) two lines of a list spliced into one statement -------------------------------------------------
LIST = [
    "Theft threats",
    "An intruder takes a stored item",
    "Decay threats",
    "A stored record if altered with",
    "Forgery threats",
    "Invented records are added to a store",
]


def test_a_statement_running_two_list_lines_together_is_spliced() -> None:
    s = _slide(LIST)
    assert spliced_problem(s, "A stored record if altered with Forgery threats") == "spliced_lines"
    assert spliced_problem(s, "An intruder takes a stored item") is None  # one line: a statement
    wrapped = _slide(["A stored record may be altered by", "an intruder who gains access"])
    assert spliced_problem(wrapped, "A stored record may be altered by an intruder who gains access") is None


def test_a_spliced_true_false_statement_fails_the_checks() -> None:
    s = _slide(LIST)
    stem = "True or false: A stored record if altered with Forgery threats"
    assert "spliced_lines" in quiz_problems("true_false", stem, [], "True", slide=s, lang="en")
    ok = "True or false: An intruder takes a stored item"
    assert "spliced_lines" not in quiz_problems("true_false", ok, [], "True", slide=s, lang="en")


# --- (c) one question giving another's key away ---------------------------------------------------------
def _quiz() -> list:
    asked = quiz_question(
        number=1,
        kind="short_answer",
        prompt="What is the set of records used to fit the model?",
        options=[],
        answer="fitting set",
        answer_text="fitting set",
    )
    leak = quiz_question(
        number=2,
        kind="true_false",
        prompt="True or false: The fitting set is the set of records used to score the final model",
        options=[],
        answer="false",
        answer_text="False",
    )
    other = quiz_question(
        number=3,
        kind="short_answer",
        prompt="What picks the values of the tunable parameters?",
        options=[],
        answer="tuning set",
        answer_text="tuning set",
    )
    return [asked, leak, other]


def test_a_question_that_gives_an_earlier_ones_key_away_is_dropped() -> None:
    asked, leak, other = _quiz()
    kept = without_leaks([asked, leak, other], "en")
    assert kept == [asked, other]  # the earlier question stays, the one stating its key and cue goes
    assert without_leaks([leak, other], "en") == [leak, other]


def test_a_key_named_without_its_cue_said_as_it_is_is_no_leak() -> None:
    asked, _, other = _quiz()
    mention = quiz_question(
        number=2,
        kind="true_false",
        prompt="True or false: The fitting set should be the largest part of the data",
        options=[],
        answer="true",
        answer_text="True",
    )
    assert without_leaks([asked, mention, other], "en") == [asked, mention, other]
    scattered = mention.model_copy(
        update={"prompt": "True or false: The fitting set gives records a model can fit"}
    )
    assert without_leaks([asked, scattered], "en") == [asked, scattered]  # the cue's words, not its run


# --- (d) two questions that answer each other ------------------------------------------------------------
def _row(label: str, key: str, page: int = 6, order: tuple[str, ...] = ()) -> QuizQuestion:
    options = list(order or ("Speed gain", "Energy gain", "Storage gain"))
    return quiz_question(
        prompt=f"According to the slides, which gain goes with “{label}”?",
        options=options,
        answer="ABC"[options.index(key)],
        answer_text=key,
        source=quiz_question().source.model_copy(update={"page": page}),
    )


def test_the_two_rows_of_one_comparison_asked_in_one_frame_keep_the_first() -> None:
    warm = _row("Warm cache", "Speed gain")
    cold = _row("Cold cache", "Energy gain", order=("Energy gain", "Storage gain", "Speed gain"))
    other = quiz_question(number=3)
    assert without_leaks([warm, cold, other], "en") == [warm, other]
    assert without_leaks([cold, warm], "en") == [cold]  # the earlier (better ranked) one stays


def test_one_frame_on_two_slides_or_without_the_others_key_is_kept() -> None:
    warm = _row("Warm cache", "Speed gain")
    elsewhere = _row("Cold cache", "Energy gain", page=9)
    assert without_leaks([warm, elsewhere], "en") == [warm, elsewhere]  # not one slide's comparison
    apart = _row("Cold cache", "Energy gain", order=("Energy gain", "Storage gain", "Memory gain"))
    assert without_leaks([warm, apart], "en") == [warm, apart]  # "Speed gain" is no option of the other
    long_a = quiz_question(
        prompt="Which term is defined as: a store that keeps recent reads in memory for the next request?",
        options=["cache", "buffer", "queue"],
        answer="A",
        answer_text="cache",
    )
    long_b = quiz_question(
        prompt="Which term is defined as: a region that holds writes until the disk is ready to take them?",
        options=["queue", "cache", "buffer"],
        answer="C",
        answer_text="buffer",
    )
    assert without_leaks([long_a, long_b], "en") == [long_a, long_b]  # two definitions, not one frame


def test_one_pairing_asked_both_ways_keeps_the_first() -> None:
    ahead = _row("Warm cache", "Speed gain")
    back = quiz_question(
        kind="fill_blank",
        prompt="Fill in the blank: With a _____, the slides expect a speed gain",
        options=[],
        answer="warm cache",
        answer_text="warm cache",
        source=ahead.source,
    )
    assert without_leaks([ahead, back], "en") == [ahead]
    elsewhere = back.model_copy(update={"source": ahead.source.model_copy(update={"page": 2})})
    assert without_leaks([ahead, elsewhere], "en") == [ahead, elsewhere]


def test_the_built_quiz_asks_one_row_of_a_two_row_comparison() -> None:
    slides = [
        ("Behaviour with a warm cache", "Reads are served from memory, so the speed gain is large"),
        ("Behaviour with a cold cache", "The disk stays idle most of the time, so the energy gain is large"),
        ("Shared storage", "One copy serves many readers, so the storage gain grows with readers"),
        ("Summary", "Warm cache: Speed gain\nCold cache: Energy gain"),  # two rows, each a question
        ("Kinds of gain", "We compare the speed gain, the energy gain, the memory gain and the storage gain"),
        ("Memory", "The memory gain is small when the cache is warm"),
    ]
    lc = extract(lecture(slides))
    assert len(pairs(lc)) == 2
    for seed in range(3):
        quiz = QuizBuilder([lc], Phraser(None), seed=seed).build(20)
        assert len([q for q in quiz if "goes with" in q.prompt]) == 1
