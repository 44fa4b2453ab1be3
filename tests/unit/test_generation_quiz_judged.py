"""Forms of quiz questions blind judges refused on dev (session 13), on lectures the tests make: a command
is no true/false statement (in each language the quiz frames), a count of unnamed things tests only the
number, "why?" is not answered by a bare noun phrase, and a swapped-in term must not be one the lecture says
the same of."""

from __future__ import annotations

from shared.schemas import SourceRef
from tests.support.study import SECURITY_LEVELS, lecture
from workers.generation.candidates import extract
from workers.generation.phrasing import Phraser
from workers.generation.quiz import QuizBuilder
from workers.generation.quiz_balance import context_prefix
from workers.generation.quiz_checks import counts_unnamed, instruction
from workers.generation.quiz_kinds import cause_effect_question, kind_of

REF = SourceRef(lecture_id=1, lecture="L", file="l.pdf", page=3)
TERMS = ["Security policy", "Risk assessment"]

GUIDELINES = [
    (
        "Design guidelines",
        "Design guidelines\n"
        "• When systems fail, for whatever reason, ensure that the security policy is still enforced for "
        "every user.\n"
        "• Two fundamental issues have to be considered when designing a security architecture for a "
        "system.\n"
        "• A security policy is written by the managers of the organization that owns the system.\n",
    ),
    (
        "Security policy",
        "Security policy\nSecurity policy: a statement of what the organization allows its users to do",
    ),
    (
        "Security architecture",
        "Security architecture\n"
        "Security architecture: the structure of the protection mechanisms of a system",
    ),
]


def test_a_command_is_no_statement_in_any_language_of_the_quiz() -> None:
    commands = [
        ("When systems fail, for whatever reason, ensure that sensitive information cannot be read.", "en"),
        ("Log all actions that change the records of a patient.", "en"),
        ("To protect the assets, encrypt the database of the hospital.", "en"),
        ("Asegúrese de que los datos del sistema estén cifrados.", "es"),
        ("Cuando el sistema falla, utilice una copia de seguridad.", "es"),
        ("Используйте сложные пароли для защиты системы.", "ru"),
        ("Если система отказывает, убедитесь, что данные защищены.", "ru"),
        ("请确保数据在传输过程中已经加密。", "zh"),
        ("当系统失败时，务必保护敏感数据。", "zh"),
    ]
    for text, lang in commands:
        assert instruction(text, lang), text
        assert context_prefix(text, "", TERMS, lang) is None, text
    statements = [
        ("If assets are distributed, then they are more expensive to protect.", "en"),
        ("Unlike the training set, the test set is used only once.", "en"),
        ("Usually the system fails when its power supply is cut.", "en"),
        ("To be secure, a system must log every change of a record.", "en"),
        ("La fórmula del área depende del radio del círculo.", "es"),
        ("El módulo define la interfaz del sistema.", "es"),
        ("Límite de una función continua es su valor en el punto.", "es"),
        ("Estímulo y respuesta se miden en milisegundos.", "es"),
        ("Система хранит данные пользователей на сервере.", "ru"),
        ("请求被发送到服务器。", "zh"),
    ]
    for text, lang in statements:
        assert not instruction(text, lang), text
    assert context_prefix(statements[0][0], "", TERMS, "en") == ""


def test_a_count_of_unnamed_things_is_no_statement() -> None:
    for text in [
        "Two fundamental issues have to be considered when designing an architecture for security.",
        "Three factors affect the reliability of a system.",
        "Dos aspectos fundamentales deben considerarse al diseñar un sistema.",
        "Два основных вопроса нужно учитывать при проектировании системы.",
        "两个基本问题需要在设计时考虑。",
    ]:
        assert counts_unnamed(text), text
        assert context_prefix(text, "", TERMS, "en") is None, text
    for text in [
        "Two vectors are orthogonal when their dot product is zero.",  # any two: a rule, not a count
        "Two kinds of errors are false positives and false negatives.",  # named
        "Three-tier architectures separate the data from its presentation.",
    ]:
        assert not counts_unnamed(text), text


def test_no_true_false_question_states_a_command_or_a_count() -> None:
    lc = extract(lecture(GUIDELINES))
    stated = {
        q.prompt
        for seed in range(6)
        for s in QuizBuilder([lc], Phraser(None), seed=seed).seeds()
        if s.kind == "true_false" and (q := s.build()) is not None
    }
    assert stated  # the lecture's statement is still asked
    assert all("ensure that" not in p and "Two fundamental" not in p for p in stated), stated


def test_why_is_not_answered_by_a_bare_noun_phrase() -> None:
    line = "Vanilla RNNs suffer from a bad case of vanishing gradient because of the sequential cells."
    assert cause_effect_question(line, "en", REF) is None  # "the sequential cells" says not how
    longer = "Vanilla RNNs suffer from vanishing gradients because of the long chain of multiplications."
    assert cause_effect_question(longer, "en", REF) is not None
    clause = "Exploding gradients make training unstable because the weights grow."
    q = cause_effect_question(clause, "en", REF)
    assert q is not None and q.answer_text == "the weights grow"  # a clause states the reason


UMBRELLA = [
    (
        "Security engineering",
        "Security engineering\nSecurity engineering: concerned with how to develop systems that can resist "
        "malicious attacks",
    ),
    *SECURITY_LEVELS,
]


def test_a_kind_of_what_a_term_is_about_is_not_swapped_in() -> None:
    assert kind_of("Application security", "Security engineering", "en")
    assert not kind_of("Application security", "Infrastructure security", "en")
    assert kind_of("Seguridad de aplicaciones", "Ingeniería de seguridad", "es")
    lc = extract(lecture(UMBRELLA))
    engineering = next(d for d in lc.definitions if d.term == "Security engineering")
    terms = [(d.term, d.ref) for d in lc.definitions]
    for seed in range(12):
        q = QuizBuilder([lc], Phraser(None), seed=seed)._tf_definition(lc, engineering, terms)
        assert q is None or not q.prompt.startswith(("True or false: Application", "True or false: Infra")), (
            q.prompt
        )
    infra = next(d for d in lc.definitions if d.term == "Infrastructure security")
    built = [QuizBuilder([lc], Phraser(None), seed=s)._tf_definition(lc, infra, terms) for s in range(12)]
    assert any(q is not None for q in built)  # siblings of one head are still swapped


def test_a_term_the_lecture_says_the_same_of_is_not_swapped_in() -> None:
    slides = [
        (
            "Gates",
            "Gates\n"
            "• Forget gate: controls how much of the cell state to keep for the next step\n"
            "• Input gate: controls how much of the new input to write into the cell state\n",
        ),
        (
            "Input gate",
            "Input gate\nThe input gate controls how much of the cell state to keep for the next step.",
        ),
    ]
    lc = extract(lecture(slides))
    forget = next(d for d in lc.definitions if d.term == "Forget gate")
    terms = [(d.term, d.ref) for d in lc.definitions]
    for seed in range(12):
        q = QuizBuilder([lc], Phraser(None), seed=seed)._tf_definition(lc, forget, terms)
        assert q is None or "Input gate" not in q.prompt, q.prompt
