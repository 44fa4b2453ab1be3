"""The question forms a quiz keeps (workers.generation.quiz_forms and the builder's use of it), each rule on
its own and then end to end on slides the tests make: blanks only on a sentence's subject, no statement
attributed to a section, no line made false by a swapped word, a grammatical stem, the key's own words not
in the stem, distinct options of one form and similar length, distractors of the same lecture, and a short
quiz that says how many good questions each lecture gave."""

from __future__ import annotations

from pathlib import Path

import pdfplumber

from shared.schemas import QuizQuestion, SourceRef
from tests.support.study import lecture
from workers.generation.candidates import extract
from workers.generation.phrasing import Phraser
from workers.generation.quiz import QuizBuilder, build_quiz, render_quiz_pdf
from workers.generation.quiz_forms import (
    agree,
    form_of,
    form_problem,
    key_words_in_stem,
    options_problem,
    section_framed,
    stem_problem,
    subject_blank,
)
from workers.generation.validity import quiz_problem

REF = SourceRef(lecture_id=1, lecture="L", file="l.pdf", page=3)


def _q(
    kind: str, prompt: str, answer_text: str = "Control", options: list[str] | None = None
) -> QuizQuestion:
    return QuizQuestion(
        number=1,
        kind=kind,  # type: ignore[arg-type]
        prompt=prompt,
        options=options or [],
        answer="A" if options else answer_text,
        answer_text=answer_text,
        explanation="",
        source=REF,
    )


# --- blanks: only the sentence's subject ------------------------------------------------------------------


def test_a_blank_is_asked_only_as_the_subject_of_its_sentence() -> None:
    assert subject_blank("_____ is concerned with how to develop systems that can resist malicious attacks")
    assert subject_blank("_____ should set out general information access strategies.")
    assert subject_blank("The _____ makes new predictions for the out-of-sample data")
    assert subject_blank("_____: a weakness in a computer-based system that may be exploited")
    # inside a line, several words fit (judges: 4 of 21 such blanks valid)
    assert not subject_blank("From a _____ perspective, the security policy defines the security goals.")
    assert not subject_blank("Propose the controls that may be put in place to protect an _____.")
    assert not subject_blank("The _____ information and the tuples are deleted.")  # which operation?
    assert not subject_blank(
        "_____ vulnerabilities are closely related to program reliability."
    )  # a modifier


def test_a_fill_in_with_an_inner_blank_is_dropped() -> None:
    inner = _q("fill_blank", "Fill in the blank: Attacker gains access to an _____ of the system.", "Asset")
    assert stem_problem(inner, "en") == "inner_blank"
    good = _q(
        "fill_blank", "Fill in the blank: _____ is a serious problem because it leads to unstable training."
    )
    assert stem_problem(good, "en") is None


# --- statements: on their own, never attributed to a section ----------------------------------------------


def test_a_statement_attributed_to_a_section_is_dropped() -> None:
    labelled = _q(
        "true_false", "True or false: On the slides about Views: Views can be dropped with DROP VIEW."
    )
    assert section_framed(labelled.prompt) and stem_problem(labelled, "en") == "section_label"
    titled = _q("true_false", "True or false: In Risk assessment: The results may change the requirements.")
    assert stem_problem(titled, "en") == "section_label"
    blank = _q("fill_blank", "Fill in the blank: In Views: _____ can be dropped using the DROP VIEW command.")
    assert stem_problem(blank, "en") == "section_label"
    # a cause-and-effect question may name its slide's topic (judged valid)
    why = _q(
        "short_answer", "In Design risk assessment: According to the slides, what may the results lead to?"
    )
    assert stem_problem(why, "en") is None


def test_a_true_false_stem_is_a_whole_statement_or_a_glossary_line() -> None:
    assert stem_problem(_q("true_false", "True or false: A Rank is an eigenvector of A if"), "en")
    assert stem_problem(_q("true_false", "True or false: AS SELECT S.name, E.grade"), "en")
    glossary = "True or false: Resilience: circumstances that have potential to cause loss or harm"
    assert stem_problem(_q("true_false", glossary), "en") is None
    line = "True or false: Additive recurrent architectures are more resistant to vanishing gradients."
    assert stem_problem(_q("true_false", line), "en") is None


def test_a_question_ends_with_a_question_mark_and_not_on_an_article() -> None:
    assert (
        stem_problem(_q("short_answer", "Name the term that reduces a vulnerability"), "en")
        == "not_a_question"
    )
    assert stem_problem(_q("short_answer", "Which term is defined as: the set of the?"), "en") == "dangling"
    assert stem_problem(_q("short_answer", "What • is a control?"), "en") == "debris"
    assert stem_problem(_q("short_answer", "What may the results of the assessment lead to?"), "en") is None


# --- the key and the options ----------------------------------------------------------------------------


def test_the_key_s_own_word_in_the_stem_gives_it_away() -> None:
    stem = "What is a systems management problem where the infrastructure is configured to resist attacks?"
    assert key_words_in_stem(_q("short_answer", stem, "Infrastructure security"), "en")
    assert form_problem(_q("short_answer", stem, "Infrastructure security"), "en") == "key_in_stem"
    clean = "What is a software engineering problem where the system is designed to resist attacks?"
    assert not key_words_in_stem(_q("short_answer", clean, "Application security"), "en")
    # a word every option shares is no give-away: "security" stands in the key and in a distractor
    mc = _q(
        "multiple_choice",
        "Which security problem concerns the software itself?",
        "Application security",
        ["Application security", "Infrastructure security", "Operational security"],
    )
    assert not key_words_in_stem(mc, "en")


def test_options_are_distinct_of_one_form_and_of_similar_length() -> None:
    terms = ["Control", "Threat", "Exposure", "Asset"]
    assert options_problem(_q("multiple_choice", "Which measure?", "Control", terms), "en") is None
    mixed = ["Control", "Word order is important", "Threat", "Asset"]
    assert options_problem(_q("multiple_choice", "Which?", "Control", mixed), "en") == "mixed_forms"
    long_key = "a protective measure that reduces a vulnerability of a weak system"  # 11 words
    lengths = [
        long_key,
        "a weakness of a system",
        "an exploitation of a vulnerability",
        "circumstances that may cause harm",
    ]
    assert (
        options_problem(_q("multiple_choice", "What is a control?", long_key, lengths), "en") == "key_longest"
    )
    alike = [
        "a protective measure that reduces the vulnerability of a system",
        "a protective measure that reduces the vulnerability of the system",
        "something of value which has to be protected",
    ]
    assert (
        options_problem(_q("multiple_choice", "What is a control?", alike[0], alike), "en") == "options_alike"
    )


def test_a_swapped_in_term_gets_a_verb_that_agrees() -> None:
    assert (
        agree("RuBisCO are the organelles that produce ATP", "RuBisCO")
        == "RuBisCO is the organelles that produce ATP"
    )
    assert agree("Controls is a measure", "Controls") == "Controls are a measure"
    assert agree("Photosynthesis are the organelles", "Photosynthesis") == "Photosynthesis is the organelles"
    assert agree("It says Threat is", "Threat") == "It says Threat is"


# --- end to end -----------------------------------------------------------------------------------------

LINES = [
    (
        "Security",
        "Security\nSecurity is a system property that reflects its ability to resist external attack.",
    ),
    (
        "Terms",
        "Terms\n"
        "• Vulnerability: a weakness in a computer-based system that may be exploited to cause harm\n"
        "• Firewall: a network device that filters the packets entering a private network\n"
        "• Encryption: a transformation of data that makes it unreadable without a secret key\n",
    ),
    (
        "Protection",
        "Protection\n"
        "• Encryption protects the confidentiality of 20 messages sent over an open network.\n"
        "• A firewall blocks incoming connections that the network administrator has not allowed.\n"
        "• The results of the assessment protect the firewall of the hospital network every day.\n"
        "• From a business perspective, encryption defines the security goals of the organisation.\n",
    ),
]


def _quiz(slides: list[tuple[str, str]], seed: int, n: int = 20) -> list[QuizQuestion]:
    return QuizBuilder([extract(lecture(slides))], Phraser(None), difficulty="medium", seed=seed).build(n)


def test_no_line_is_made_false_and_no_blank_sits_inside_a_line() -> None:
    made = [q for seed in range(6) for q in _quiz(LINES, seed)]
    assert made
    for q in made:
        assert quiz_problem(q) is None and form_problem(q, "en") is None, q.prompt
        assert "40 messages" not in q.prompt  # a number swapped into a line
        if q.kind == "true_false" and q.answer == "false":  # only a definition with a sibling swapped in
            assert "describes" in q.explanation, q.prompt
        if q.kind == "fill_blank":
            assert form_of(q) == "fill_subject", q.prompt
        assert "perspective" not in q.prompt or not q.prompt.startswith("Fill")


OTHER = [
    ("Cells", "Cells\nA cell is the smallest unit of life that can replicate on its own."),
    (
        "Organelles",
        "Organelles\n"
        "• Mitochondrion: an organelle that produces most of the chemical energy of a cell\n"
        "• Ribosome: a particle that synthesises proteins from messenger RNA in the cytoplasm\n",
    ),
]


def test_term_distractors_come_from_the_question_s_own_lecture() -> None:
    security = extract(lecture(LINES, lecture_id=1, title="Security"))
    cells = extract(lecture(OTHER, lecture_id=2, title="Cells", filename="cells.pdf"))
    own = {
        1: {"security", "vulnerability", "firewall", "encryption"},
        2: {"cell", "mitochondrion", "ribosome"},
    }
    for seed in range(6):
        for q in QuizBuilder([security, cells], Phraser(None), seed=seed).build(20):
            if q.kind == "multiple_choice" and q.answer_text.lower() in own[q.source.lecture_id]:
                assert {o.lower() for o in q.options} <= own[q.source.lecture_id], q.options


def test_a_short_quiz_says_how_many_good_questions_each_lecture_gave(tmp_path: Path) -> None:
    good = extract(lecture(LINES, lecture_id=1, title="Security"))
    noise = [
        (f"Slide {i}", f"Assurption {i}: Ansver dinfinitival grosen\nKid doesnt knowv {i}") for i in (1, 2)
    ]
    empty = extract(lecture(noise, lecture_id=2, title="Scanned notes", filename="scan.pdf"))
    quiz = build_quiz([good, empty], Phraser(None), questions=30, difficulty="medium", title="Q", seed=1)
    n = len(quiz.questions)
    assert 0 < n < 30
    assert f"Only {n} of the 30 questions asked passed the quality checks." in quiz.note
    assert f"“Security” gave {n} good question(s)." in quiz.note
    assert "“Scanned notes” gave 0 good question(s)." in quiz.note
    path = tmp_path / "q.pdf"
    render_quiz_pdf(quiz, path)
    with pdfplumber.open(path) as pdf:
        first = " ".join((pdf.pages[0].extract_text() or "").split())
    assert f"Only {n} of the 30 questions asked" in first and "gave 0 good question(s)" in first
    full = build_quiz([good], Phraser(None), questions=2, difficulty="medium", title="Q", seed=1)
    assert len(full.questions) == 2 and full.note == ""


def test_a_default_length_quiz_names_no_count_only_a_lecture_that_gave_nothing() -> None:
    """When the student named no count, "N of the M asked" would be untrue (the M is the generator's
    default): the note only names a lecture that gave no question, and is empty when each gave some."""
    good = extract(lecture(LINES, lecture_id=1, title="Security"))
    noise = [
        (f"Slide {i}", f"Assurption {i}: Ansver dinfinitival grosen\nKid doesnt knowv {i}") for i in (1, 2)
    ]
    empty = extract(lecture(noise, lecture_id=2, title="Scanned notes", filename="scan.pdf"))
    both = build_quiz(
        [good, empty], Phraser(None), questions=30, difficulty="medium", title="Q", seed=1, named=False
    )
    assert 0 < len(both.questions) < 30
    assert both.note == "“Scanned notes” gave 0 good question(s)."
    one = build_quiz([good], Phraser(None), questions=30, difficulty="medium", title="Q", seed=1, named=False)
    assert 0 < len(one.questions) < 30 and one.note == ""


def test_a_compare_question_whose_key_repeats_the_asked_term_is_dropped() -> None:
    infra = "A systems management problem where the infrastructure is configured to resist attacks"
    app = "A software engineering problem where the system is designed to resist attacks"
    given = _q(
        "multiple_choice",
        "Which of these describes Infrastructure security, as opposed to Application security?",
        infra,
        [
            infra,
            app,
            "A protective measure that reduces a vulnerability",
            "Something of value to be protected",
        ],
    )
    assert key_words_in_stem(given, "en")
    # "security", in both terms, points to neither
    risk = "Concerned with assessing possible losses from attacks and deriving security requirements"
    fair = _q(
        "multiple_choice",
        "Which of these describes Security risk management, as opposed to Security engineering?",
        risk,
        [risk, "Concerned with how to develop systems that can resist malicious attacks", "An exploitation"],
    )
    assert not key_words_in_stem(fair, "en")


def test_a_question_asking_for_a_term_names_concepts_and_pins_one() -> None:
    assert (
        form_problem(
            _q("short_answer", "Which term is defined as: primary and foreign keys?", "Two important ICs"),
            "en",
        )
        == "recall:not_a_term"
    )
    assert (
        form_problem(_q("short_answer", "What is a table, with rows and columns?", "Instance"), "en")
        == "recall:vague_definition"
    )
    clause = "Which term is defined as: that attacks on one system do not lead to a loss of service?"
    assert form_problem(_q("short_answer", clause, "Distributing assets"), "en") == "recall:vague_definition"
    options = ["Schema", "Hourly_Emps", "Keys for each", "3 relations"]
    assert (
        form_problem(
            _q("multiple_choice", "Which term names the columns of a relation?", "Schema", options), "en"
        )
        == "recall:not_a_term"
    )
    fine = _q(
        "short_answer",
        "Which term is defined as: circumstances that have potential to cause loss or harm?",
        "Threat",
    )
    assert form_problem(fine, "en") is None


def test_a_glossary_statement_holds_one_definition() -> None:
    cut = "True or false: Swedish: Kid doesn't know interpretation of Tense. That is, kid know"
    assert stem_problem(_q("true_false", cut), "en") == "not_a_statement"


def test_a_headline_line_without_its_article_is_no_statement() -> None:
    assert (
        stem_problem(_q("true_false", "True or false: Attacker gains access to an asset"), "en") == "headline"
    )
    assert stem_problem(_q("true_false", "True or false: User enters a password at the login screen."), "en")
    whole = "True or false: An attacker gains access to an asset through an interception threat."
    assert stem_problem(_q("true_false", whole), "en") is None
    mass = "True or false: Encryption protects the confidentiality of messages sent over a network."
    assert stem_problem(_q("true_false", mass), "en") is None


PLANT = [
    ("Plants", "Plants\nPhotosynthesis is the process that turns light into sugar."),
    ("Chloroplast", "Chloroplast\nThe thylakoid is a membrane inside the chloroplast."),
    ("Energy", "Energy\nMitochondria are the organelles that produce ATP."),
    ("Enzymes", "Enzymes\nRuBisCO is the enzyme that fixes carbon dioxide."),
]


def test_a_swapped_in_name_drops_the_article_and_its_verb_agrees() -> None:
    lc = extract(lecture(PLANT))
    terms = [(d.term, d.ref) for d in lc.definitions]
    thylakoid = next(d for d in lc.definitions if d.term == "thylakoid")
    mito = next(d for d in lc.definitions if d.term == "Mitochondria")
    prompts = []
    for seed in range(8):
        builder = QuizBuilder([lc], Phraser(None), seed=seed)
        prompts += [q.prompt for q in (builder._tf_definition(lc, d, terms) for d in (thylakoid, mito)) if q]
    assert prompts
    for prompt in prompts:
        assert not prompt.startswith("True or false: The ") and " are the organelles" not in prompt, prompt


def test_a_true_false_statement_has_a_verb_in_its_main_clause() -> None:
    for fragment in (
        "The level of protection that is required for different types of asset",
        "Interception threats that allow an attacker to gain access to an asset.",
        "Infrastructure security, which is concerned with maintaining the security of all networks.",
        "Tools, techniques and methods to support the development of systems that resist attacks",
        "Concerned with ensuring the people do not take actions that may compromise system security",
        "Protection that is invoked when access to specific information is requested",
        "Base security decisions on an explicit security policy |",
    ):
        assert stem_problem(_q("true_false", f"True or false: {fragment}"), "en") == "not_a_statement", (
            fragment
        )
    for sentence in (
        "Misuse cases are instances of threats to a system",
        "Encryption protects the confidentiality of messages sent over an open network.",
        "Risk management should be driven by an organisational security policy.",
        "The outcomes of the risk assessment process are used to help identify security requirements.",
        "When the owner entity is deleted, all owned weak entities must also be deleted.",
        "If there is more than one key for a relation, one of the keys is chosen to be the primary key.",
        "The gold standard when you have no tunable model parameters is a train/test split",
    ):
        assert stem_problem(_q("true_false", f"True or false: {sentence}"), "en") is None, sentence


def test_a_subject_blank_is_recognised_in_the_other_languages_of_the_notes() -> None:
    assert subject_blank("_____是指物种从地球上完全消失的现象")
    assert subject_blank("_____ es un proceso que convierte la luz en energía química")
    assert subject_blank("_____ — кратчайший путь от одной вершины до другой")
    assert not subject_blank("la energía del _____ se convierte en azúcar")
    zh = _q("fill_blank", "填空：_____是指物种从地球上完全消失的现象", "灭绝")
    assert stem_problem(zh, "zh") is None
    ru = _q(
        "fill_blank", "Заполните пропуск: _____ — кратчайший путь от одной вершины до другой", "Расстояние"
    )
    assert stem_problem(ru, "ru") is None
