"""Course meta and exercises by their shape (workers/ocr/role_meta.py): names, dates, lecture numbers,
course codes and institutions on a deck's first and last pages; short meta lines repeated through a deck
wherever they sit; exercises by their opening words and an exercise page's title; the
title slide after a cover picture. Each test also shows the rule switched off gives the old role, and that
content lines of the same look stay content."""

from __future__ import annotations

from workers.ocr.chunking import page_chunks
from workers.ocr.line_cues import PageLines
from workers.ocr.role_meta import is_person_line, meta_shape
from workers.ocr.role_rules import DEFAULT_RULES
from workers.ocr.roles import classify_deck

CONTENT = [
    "Deadlocks\nA process holds resources while it waits for others\nThe system can detect it",
    "Scheduling\nThe scheduler picks the next process to run\nRound robin gives each a time slice",
    "Memory\nPaging splits memory into frames\nThe page table maps pages to frames",
    "Files\nA file system names and stores data\nDirectories group files together",
    "Hebbian Learning\nCells that fire together wire together\nThe weight grows with both activities",
]


def deck_roles(pages: list[str], rules: frozenset[str] = DEFAULT_RULES) -> list[dict[str, str]]:
    roles = classify_deck([PageLines(lines=p.split("\n")) for p in pages], rules=rules)
    return [dict(zip(p.split("\n"), r, strict=True)) for p, r in zip(pages, roles, strict=True)]


def without(rule: str) -> frozenset[str]:
    return DEFAULT_RULES - {rule}


LONG_COVER = "\n".join(
    [
        "Query optimization",
        "Andy Pavlo",
        "Lecture #13",
        "Tuesday, September 8, 2020",
        "CS 445 Intro to Database Systems",
        "Carnegie Mellon University",
        *[f"A plan is a tree of operators, one of {n} candidate plans here" for n in range(14)],
    ]
)


def test_course_meta_shapes_on_a_long_first_page() -> None:
    # too long for a title slide: the old rules leave its name, date, lecture number and code as content
    roles = deck_roles([LONG_COVER, *CONTENT])[0]
    for line in (
        "Andy Pavlo",
        "Tuesday, September 8, 2020",
        "Lecture #13",
        "CS 445 Intro to Database Systems",
    ):
        assert roles[line] == "meta", line
    assert roles["Carnegie Mellon University"] == "meta"
    assert roles["A plan is a tree of operators, one of 3 candidate plans here"] not in ("meta", "footer")
    old = deck_roles([LONG_COVER, *CONTENT], without("meta_shapes"))[0]
    for line in ("Tuesday, September 8, 2020", "Lecture #13", "CS 445 Intro to Database Systems"):
        assert old[line] != "meta", line
    # the same lines in the middle of a deck are left alone
    middle = deck_roles([*CONTENT[:2], LONG_COVER, *CONTENT[2:]])[2]
    assert middle["Lecture #13"] != "meta" and middle["Andy Pavlo"] != "meta"


def test_last_page_names_only_with_evidence_and_headings_of_names_stay_content() -> None:
    last = (
        "Summary\nThe bound holds for every class\nVapnik Chervonenkis\nHebbian Learning\n"
        "It needs a finite dimension\nProf. Jane Doe"
    )
    roles = deck_roles([*CONTENT, last])[-1]
    assert roles["Prof. Jane Doe"] == "meta"
    # a rare surname alone is evidence only on the opening page or beside other meta
    assert roles["Vapnik Chervonenkis"] != "meta"
    assert roles["Hebbian Learning"] != "meta"
    assert deck_roles([*CONTENT, last], without("meta_shapes"))[-1]["Prof. Jane Doe"] != "meta"


def test_person_and_meta_shapes() -> None:
    for name in ("Klint Kanopka", "Prof. Jane Doe", "J. R. Smith and Emil Björnson", "by Mihai Surdeanu"):
        assert is_person_line(name), name
    for line in ("Allopatric Speciation", "Key Points", "Bellman Ford Algorithm", "The Bayes Classifier"):
        assert not is_person_line(line), line
    for line in ("Mars 2019", "Лекция 4", "第3讲", "15-445/645", "Spring '25", "Universidade de São Paulo"):
        assert meta_shape(line), line
    for line in (
        "ISO 9001 compliance",
        "Use SQL 2003",
        "Chapter 5 Process Modeling",
        "Lecture notes on CPUs",
    ):
        assert not meta_shape(line), line


def test_short_meta_lines_repeated_through_the_deck_are_dropped_wherever_they_sit() -> None:
    # the course code and term sit mid-page (a corner box the reader placed in the middle), on 3 of 6 pages:
    # below the share of pages that makes any line boilerplate, but its shape says it is course meta
    tag = "DS 5110 Spring '25"
    pages = [
        f"{p}\nIt runs in the kernel\n{tag}\nIt has a cost\nIt is measured\nIt is logged\nIt is audited"
        for p in CONTENT[:3]
    ]
    pages += [*CONTENT[3:], "Paging\nFrames hold pages\nThe TLB caches translations"]
    decks = [PageLines(lines=p.split("\n")) for p in pages]
    roles = classify_deck(decks)
    for n in range(3):
        assert roles[n][4] == "meta"
        assert roles[n][3] == roles[n][5] == "body"  # repeated as often, but no meta shape
    old = classify_deck(decks, rules=without("repeated_meta"))
    assert old[2][4] not in ("meta", "footer")  # (pages 1-2 are edge pages, where its shape alone says meta)
    chunk = "\n".join(c.text for c in page_chunks(text=pages[1], source="text_layer", roles=roles[1]))
    assert "5110" not in chunk and "scheduler" in chunk


def test_exercises_by_their_opening_words() -> None:
    page = (
        "Estimators\nShow that the sample mean is unbiased\nExplain why the variance shrinks with n\n"
        "Montrer que la suite converge\n试述物种形成的过程\nनिम्नलिखित शब्दों का अर्थ स्पष्ट कीजिए\n"
        "The sample mean is unbiased\nShow the plot"
    )
    roles = deck_roles([*CONTENT[:2], page, *CONTENT[2:]])[2]
    for line in page.split("\n")[1:6]:
        assert roles[line] == "question", line
    assert roles["The sample mean is unbiased"] == "body"
    assert roles["Show the plot"] == "body"
    old = deck_roles([*CONTENT[:2], page, *CONTENT[2:]], without("question_shapes"))[2]
    assert old["Show that the sample mean is unbiased"] == "body"


def test_the_plain_lines_of_an_exercise_page_are_exercises() -> None:
    page = (
        "Exercises\nTake the deadlock example of slide 3\nAdd a fourth process holding the printer:\n• Kernel"
    )
    roles = deck_roles([*CONTENT[:2], page, *CONTENT[2:]])[2]
    assert roles["Exercises"] == "title"
    assert roles["Take the deadlock example of slide 3"] == "question"
    old = deck_roles([*CONTENT[:2], page, *CONTENT[2:]], without("question_shapes"))[2]
    assert old["Take the deadlock example of slide 3"] == "body"
    # a closing "Questions?" slide is no exercise page
    closing = deck_roles([*CONTENT, "Questions?\nThe slides are online"])[-1]
    assert closing["The slides are online"] != "question"


def test_the_title_slide_after_a_cover_picture() -> None:
    title = "Operating systems\nJane Doe\nWinter 2021"
    pages = ["", title, *CONTENT]
    roles = deck_roles(pages)[1]
    assert roles["Operating systems"] == "title"
    assert roles["Jane Doe"] == "meta"
    old = deck_roles(pages, without("title_page_shift"))[1]
    assert old["Jane Doe"] != "meta"


def test_the_course_name_on_the_title_slide_is_meta_when_a_coded_footer_repeats_it() -> None:
    cover = "Multiple Antenna Communications\nLecture 4, 2020\nEmil Björnson"
    body = [f"{p}\nTSKS14 Multiple Antenna Communications 2020-04-15 {n + 2}" for n, p in enumerate(CONTENT)]
    roles = deck_roles([cover, *body])
    assert roles[0]["Multiple Antenna Communications"] == "meta"
    assert roles[1]["Deadlocks"] == "title"
    old = deck_roles([cover, *body], without("course_name_title"))
    assert old[0]["Multiple Antenna Communications"] == "title"
    # a footer without a course code may repeat the lecture's own title: it stays the title
    plain = [f"{p}\nChapter 13 Security Engineering\n{n + 2}" for n, p in enumerate(CONTENT)]
    chapter = deck_roles(["Security Engineering\nIan Sommerville", *plain])[0]
    assert chapter["Security Engineering"] == "title"


def test_learning_objectives_by_their_form_are_agenda_not_exercises() -> None:
    led = (
        "Why model infections\nBy the end of this session you should be able to:\n"
        "Explain why models help plan vaccination\nDescribe how an epidemic grows\nCompute R0 from a table"
    )
    roles = deck_roles([CONTENT[0], led, *CONTENT[1:]])[1]
    for line in led.split("\n")[1:]:
        assert roles[line] == "agenda", line
    old = deck_roles([CONTENT[0], led, *CONTENT[1:]], without("objectives_form"))[1]
    assert old["Explain why models help plan vaccination"] == "question"  # an exercise, without the rule
    # no lead-in, but every line opens with a learning verb, on the second page of the deck
    verbs = "Session aims\nUnderstand the SIR model\nIdentify its parameters\nInterpret an epidemic curve"
    assert set(list(deck_roles([CONTENT[0], verbs, *CONTENT[1:]])[1].values())[1:]) == {"agenda"}
    assert (
        "agenda" not in deck_roles([CONTENT[0], verbs, *CONTENT[1:]], without("objectives_form"))[1].values()
    )
    # the same page in the middle of the deck, or an exam's "You will:", stays as it was
    assert "agenda" not in deck_roles([*CONTENT[:3], verbs, *CONTENT[3:]])[3].values()
    exam = "Final exam details\nYou will:\nInterpret and trace code\nImplement algorithms in plain English"
    assert "agenda" not in deck_roles([CONTENT[0], exam, *CONTENT[1:]])[1].values()


def test_a_question_in_a_script_without_capitals_wrapped_over_lines_is_one_question() -> None:
    page = (
        "अभ्यास के प्रश्न\nप्रश्न 4 एक रेलगाड़ी दोपहर में स्टेशन से चलती है और\nतीन घंटे तक साठ किलोमीटर प्रति घंटे की चाल से\n"
        "चलती है। वह कितनी दूर गई\n(क) 120 किमी\nरेलगाड़ी पटरी पर चलती है"
    )
    roles = deck_roles([*CONTENT[:2], page, *CONTENT[2:]])[2]
    for line in page.split("\n")[1:4]:
        assert roles[line] == "question", line
    assert roles["(क) 120 किमी"] != "question" and roles["रेलगाड़ी पटरी पर चलती है"] != "question"
    old = deck_roles([*CONTENT[:2], page, *CONTENT[2:]], without("question_shapes"))[2]
    assert old["तीन घंटे तक साठ किलोमीटर प्रति घंटे की चाल से"] != "question"


def test_an_outline_named_just_below_the_title_is_an_agenda() -> None:
    page = "Operating Systems Course\nToday's agenda\nMutual exclusion\nPriority inversion\nWorking sets"
    roles = deck_roles([CONTENT[0], page, *CONTENT[1:]])[1]
    assert roles["Operating Systems Course"] == "title"
    for line in page.split("\n")[1:]:
        assert roles[line] == "agenda", line
    old = deck_roles([CONTENT[0], page, *CONTENT[1:]], without("agenda_label"))[1]
    assert old["Priority inversion"] != "agenda"
    # a section called "Overview" over sentences is content
    prose = (
        "Operating Systems Course\nOverview\nThe kernel shares the processor between many processes at once\n"
        "Each process believes it has the machine to itself for a while"
    )
    assert "agenda" not in deck_roles([CONTENT[0], prose, *CONTENT[1:]])[1].values()


def test_shape_rules_take_bounded_time_on_hostile_lines() -> None:
    import time

    from workers.ocr.role_meta import is_question_shape, objectives

    lines = [
        "स" * 40_000,
        "लिखिए" + " " * 40_000 + "x",
        "A" + " " * 100_000 + "B",
        "CS " * 20_000,
        "आप " * 20_000 + "x",
        "Explain why " + "a " * 30_000,
    ]
    start = time.perf_counter()
    for line in lines:
        meta_shape(line)
        is_question_shape(line)
        is_person_line(line)
    roles = ["body"] * len(lines)
    objectives(lines, roles, list(range(len(lines))), edge_page=True)
    assert time.perf_counter() - start < 1.0
    assert is_question_shape("निम्नलिखित का अर्थ स्पष्ट कीजिए ।  ")


def test_the_plain_lines_under_an_exercise_label_are_exercises() -> None:
    page = (
        "物种形成\n物种形成需要生殖隔离\n思考题\n地理隔离如何导致新物种的形成\n岛屿上的物种为什么多样\n"
        "Exercises:\nTake the deadlock example of slide 3"
    )
    roles = deck_roles([*CONTENT[:2], page, *CONTENT[2:]])[2]
    assert roles["物种形成需要生殖隔离"] == "body"
    for line in (
        "思考题",
        "地理隔离如何导致新物种的形成",
        "岛屿上的物种为什么多样",
        "Take the deadlock example of slide 3",
    ):
        assert roles[line] == "question", line
    old = deck_roles([*CONTENT[:2], page, *CONTENT[2:]], without("question_shapes"))[2]
    assert old["地理隔离如何导致新物种的形成"] != "question"
