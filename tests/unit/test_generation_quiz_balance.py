"""A quiz a student cannot game (workers.generation.quiz_balance and the rules it feeds), on slides the tests
make: true/false keys balanced and capped, false statements that are plausibly wrong, no stem whose key is
one of several, no sentence lifted out of its slide, options in one case, a frame in the notes' language."""

from __future__ import annotations

from shared.schemas import QuizQuestion, SourceRef
from tests.support.study import SECURITY_LEVELS, lecture
from workers.generation.candidates import extract
from workers.generation.phrasing import Phraser
from workers.generation.quiz import QuizBuilder
from workers.generation.quiz_balance import TrueFalseBalance, context_prefix, even_case
from workers.generation.quiz_checks import definition_problem
from workers.generation.validity import quiz_problem

REF = SourceRef(lecture_id=1, lecture="L", file="l.pdf", page=3)

STATEMENTS = [
    (
        "Terms",
        "Terms\n"
        "• Vulnerability: a weakness in a computer-based system that may be exploited to cause harm\n"
        "• Firewall: a network device that filters the packets entering a private network\n"
        "• Encryption: a transformation of data that makes it unreadable without a secret key\n"
        "• Resilience: the ability of a system to recover from damaging events and keep working\n",
    ),
    (
        "Protection",
        "Protection\n"
        "• Encryption protects the confidentiality of messages sent over an open network.\n"
        "• A firewall blocks incoming connections that the network administrator has not allowed.\n"
        "• Resilience is improved by keeping backup servers in a different building of the hospital.\n"
        "• A vulnerability is usually fixed by installing a patch supplied by the vendor of the software.\n",
    ),
    (
        "Hospital",
        "Hospital\n"
        "• Patients trust a hospital whose records are protected by strong encryption.\n"
        "• Doctors at the hospital may read the records of a patient only behind a firewall.\n"
        "• Nurses report every suspected vulnerability to the security team of the hospital.\n",
    ),
]


def _quiz(slides: list[tuple[str, str]], n: int = 20, seed: int = 0) -> list[QuizQuestion]:
    return QuizBuilder([extract(lecture(slides))], Phraser(None), difficulty="medium", seed=seed).build(n)


def _tf(answer: str) -> QuizQuestion:
    return QuizQuestion(
        number=1,
        kind="true_false",
        prompt="True or false: x",
        answer=answer,
        answer_text=answer.title(),
        explanation="",
        source=REF,
    )


# --- true/false keys ------------------------------------------------------------------------------------


def test_true_keys_never_outnumber_false_ones_and_true_false_is_capped() -> None:
    balance = TrueFalseBalance(10)
    assert balance.cap == 4
    first = _tf("true")
    assert not balance.admits(first)  # a True only after a False
    balance.hold(first, "seed")
    assert balance.release() is None
    assert balance.admits(_tf("false"))
    balance.add(_tf("false"))
    assert balance.release() == (first, "seed")  # the waiting True may now be asked
    balance.add(first)
    assert balance.release() is None and not balance.admits(_tf("true"))
    balance.add(_tf("false"))
    balance.add(_tf("true"))
    assert not balance.admits(_tf("false"))  # 4 of 10: the cap


def test_a_term_is_the_blank_of_one_fill_in_only() -> None:
    balance = TrueFalseBalance(10)
    first = _tf("x").model_copy(update={"kind": "fill_blank", "answer": "Asset", "answer_text": "Asset"})
    second = first.model_copy(update={"prompt": "Fill in the blank: protect an _____", "answer": "asset"})
    assert balance.admits(first)
    balance.add(first)
    assert not balance.admits(second)
    assert balance.admits(first.model_copy(update={"answer": "Threat"}))


def test_a_quiz_of_many_true_lines_is_not_answered_by_always_saying_true() -> None:
    for seed in range(4):
        questions = _quiz(STATEMENTS, seed=seed)
        tf = [q for q in questions if q.kind == "true_false"]
        trues = sum(q.answer == "true" for q in tf)
        assert tf and len(tf) <= max(1, 0.4 * len(questions)), [q.prompt for q in tf]
        assert trues <= len(tf) - trues, [q.prompt for q in tf]
        assert all(quiz_problem(q) is None for q in questions)


def test_a_definition_that_is_one_of_several_is_no_stem() -> None:
    assert definition_problem("a common cause of security vulnerabilities in programs", "en") == "generic"
    assert definition_problem("an example of a control that reduces a vulnerability", "en") == "generic"
    assert definition_problem("one of the ways to protect the assets of a system", "en") == "generic"
    assert definition_problem("a weakness in a computer-based system that may be exploited", "en") is None


# --- a sentence that stands on its own --------------------------------------------------------------------


TERMS = ["Risk assessment", "Design risk assessment", "Schema", "Security policy"]


def test_a_sentence_leaning_on_its_slide_is_prefixed_with_the_title_or_dropped() -> None:
    leaning = "The results of the assessment may lead to changes to the requirements."
    assert context_prefix(leaning, "Design risk assessment", TERMS, "en") == "In Design risk assessment: "
    assert context_prefix(leaning, "Next steps", TERMS, "en") is None  # the title does not say which
    assert context_prefix("The _____ information and the tuples are deleted.", "Drop", TERMS, "en") is None
    assert context_prefix("These all have one flaw in common with the others.", "Flaws", TERMS, "en") is None
    assert context_prefix("The process is concerned with implementing these goals.", "", TERMS, "en") is None
    assert (
        context_prefix("Propose the controls that may be put in place to protect an _____.", "", TERMS, "en")
        is None
    )
    named = "The results of the risk assessment may lead to changes to the requirements."
    assert context_prefix(named, "Next steps", TERMS, "en") == ""
    assert context_prefix("The training set is the set of data points used.", "X", TERMS, "en") == ""


def test_a_lifted_sentence_with_an_unnamed_referent_is_no_question() -> None:
    slides = [
        (
            "Risk assessment",
            "Risk assessment\nRisk assessment: an estimate of the losses that attacks may cause\n",
        ),
        (
            "Design risk assessment",
            "Design risk assessment\nDesign risk assessment: an assessment of the risks of a new design\n",
        ),
        (
            "Next steps",
            "Next steps\nThe results of the assessment may lead to changes to the security requirements.\n",
        ),
    ]
    lc = extract(lecture(slides))
    builder = QuizBuilder([lc], Phraser(None), seed=0)
    built = [q for s in builder.seeds() if s.key.startswith("p:the results") and (q := s.build()) is not None]
    assert built == []  # "the assessment": which one? The slide's title ("Next steps") does not say


# --- options and frames -----------------------------------------------------------------------------------


def test_the_key_is_not_the_only_option_in_lower_case() -> None:
    q = QuizQuestion(
        number=1,
        kind="multiple_choice",
        prompt="What is Security?",
        options=["A protective measure", "an essential pre-requisite for safety", "Possible loss or harm"],
        answer="B",
        answer_text="an essential pre-requisite for safety",
        explanation="",
        source=REF,
    )
    even_case(q)
    assert q.options[1] == "An essential pre-requisite for safety" == q.answer_text
    assert all(o[0].isupper() for o in q.options)


RUSSIAN = [
    (
        "Графы",
        "Графы\n"
        "• Степень вершины: количество других вершин графа, смежных с заданной вершиной\n"
        "• Расстояние: длина кратчайшего пути от одной вершины графа до другой вершины\n"
        "• Маршрут: последовательность вершин графа, в которой соседние вершины смежны\n",
    ),
    (
        "Молекулы",
        "Молекулы\n"
        "• Молекулярный граф описывает атомы молекулы как вершины и химические связи как рёбра.\n"
        "• Степень вершины молекулярного графа равна числу химических связей атома в молекуле.\n",
    ),
]


def test_a_russian_lecture_is_asked_in_russian() -> None:
    questions = [q for seed in range(4) for q in _quiz(RUSSIAN, seed=seed)]
    assert questions
    for q in questions:
        assert not q.prompt.startswith(("True or false", "Fill in the blank", "Which term", "What is")), (
            q.prompt
        )


def test_a_false_definition_swaps_in_the_sibling_concept() -> None:
    lc = extract(lecture(SECURITY_LEVELS))
    infra = next(d for d in lc.definitions if d.term == "Infrastructure security")
    terms = [(d.term, d.ref) for d in lc.definitions]
    false = []
    for seed in range(12):
        q = QuizBuilder([lc], Phraser(None), seed=seed)._tf_definition(lc, infra, terms)
        if q is not None and q.answer == "false":
            false.append(q.prompt)
    assert false
    assert all(p.startswith("True or false: Application security is a systems management") for p in false), (
        false
    )
