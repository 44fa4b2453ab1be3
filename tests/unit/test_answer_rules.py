"""The answer pipeline's rules with fakes: refusal on words the notes never use, the entailment gate on a
model's sentences, sentences never repeated, follow-ups resolved against the previous turn. No model's
wording is asserted: the fake model writes what each test needs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from shared.embeddings import Embedder
from shared.llm import LLM, GenerationOptions, Message
from tests.support.answers import FakeDb, FakeRows, FakeSubject, notes_of
from workers.ai.answer import AnswerRequest, answer_question, compose
from workers.ai.entailment import check
from workers.ai.followups import answer_items, resolve
from workers.ai.refusal import NotesVocabulary, notes_answer
from workers.ai.retrieval import Evidence


def ev(page: int, text: str, similarity: float = 0.5, title: str = "") -> Evidence:
    return Evidence(
        chunk_id=page,
        lecture_id=1,
        lecture_title="Stats",
        file="stats.pdf",
        page=page,
        title=title,
        text=text,
        source="text_layer",
        figure_ids=[],
        similarity=similarity,
    )


class FakeRetriever:
    def __init__(self, evidence: list[Evidence], embedder: Embedder | None = None) -> None:
        self.evidence, self.queries = evidence, []
        if embedder is not None:
            self.embedder = embedder

    def search(self, *_: Any, query: str, **__: Any) -> list[Evidence]:
        self.queries.append(query)
        return self.evidence


class ScriptedLLM(LLM):
    def __init__(self, text: str) -> None:
        self.text = text

    def stream(self, messages: list[Message], options: GenerationOptions) -> Iterator[str]:
        yield self.text


class OneDirection(Embedder):
    """Every text the same vector: everything is close in meaning."""

    def embed(self, texts: list[str]) -> list[list[float]]:
        return [[1.0, 0.0] for _ in texts]


class Unrelated(Embedder):
    """Texts that mention "purple" point elsewhere: far in meaning from the notes."""

    def embed(self, texts: list[str]) -> list[list[float]]:
        return [[0.0, 1.0] if "purple" in t else [1.0, 0.0] for t in texts]


def ask(
    evidence: list[Evidence],
    question: str,
    *,
    llm: LLM | None = None,
    history: list[Message] | None = None,
    embedder: Embedder | None = None,
    notes: list[Evidence] | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]], FakeRetriever]:
    events: list[dict[str, Any]] = []
    retriever = FakeRetriever(evidence, embedder)
    result = answer_question(
        db=FakeDb(notes_of(notes if notes is not None else evidence)),  # type: ignore[arg-type]
        retriever=retriever,  # type: ignore[arg-type]
        llm_factory=lambda: llm or ScriptedLLM(""),
        redis=None,
        req=AnswerRequest(user_id=3, subject_id=7, question=question, request_id="r", history=history or []),
        emit=lambda e: events.append(e.model_dump(mode="json")),
        extractive=llm is None,
    )
    return result, events, retriever


# ----------------------------------------------------------------------------------------------- refusal

CV = [
    ev(4, "K-fold cross validation splits the training set into k folds of equal size.", 0.53),
    ev(5, "Each fold is held out once as the validation set while the model trains on the others.", 0.5),
]


def test_a_near_topic_question_naming_a_concept_the_notes_never_use_is_refused() -> None:
    # Every other word is on the slides and the embedder finds them close: only "stratified" is new.
    assert notes_answer(
        "What is k-fold cross validation?", CV, NotesVocabulary.from_texts([e.text for e in CV])
    )
    vocabulary = NotesVocabulary.from_texts([e.text for e in CV])
    assert not notes_answer("What is stratified k-fold cross validation?", CV, vocabulary)
    # Without the subject's vocabulary (the old rule) it was answered.
    assert notes_answer("What is stratified k-fold cross validation?", CV, None)


def test_a_refusal_says_so_and_shows_the_closest_slides_without_citing_them() -> None:
    result, events, _ = ask(CV, "What is stratified k-fold cross validation?")
    assert not result["answered_from_notes"]
    assert result["citations"] == []
    assert [c["page"] for c in result["closest"]] == [4, 5]
    assert "could not find" in result["answer"] and "slide 4" in result["answer"]
    assert events[0]["evidence"] == []


def test_word_forms_acronyms_and_pointers_at_the_slides_are_not_missing_words() -> None:
    notes = [
        ev(2, "An LSTM keeps a cell state; singular value decomposition factors the channel matrix.", 0.5)
    ]
    vocabulary = NotesVocabulary.from_texts([e.text for e in notes])
    assert vocabulary.knows("lstms") and vocabulary.knows("svd") and vocabulary.knows("decompositions")
    assert notes_answer("In the figure, what do LSTMs keep in their cell state?", notes, vocabulary)
    assert not notes_answer("What do GRUs keep in their cell state?", notes, vocabulary)


def test_a_question_in_another_language_than_the_notes_is_not_refused_for_its_words() -> None:
    notes = [ev(3, "Матрица смежности описывает рёбра графа молекулы и вершины графа.", 0.5)]
    vocabulary = NotesVocabulary.from_texts([e.text for e in notes])
    assert vocabulary.language == "ru"
    # English words are never in Russian notes: coverage and similarity decide, not missing words.
    assert notes_answer("What does the adjacency matrix describe in a molecular graph?", notes, vocabulary)


# -------------------------------------------------------------------------------------- entailment gate


def test_entailment_needs_one_source_sentence_with_every_word_and_number_and_the_same_polarity() -> None:
    sources = ["Adam uses a learning rate of 0.001 by default.", "Dropout is not used at test time."]
    [ok, number, negation, stitched] = check(
        [
            "By default Adam uses a learning rate of 0.001.",
            "By default Adam uses a learning rate of 0.01.",
            "Dropout is used at test time.",
            "Adam uses dropout at test time.",
        ],
        sources,
        question="What learning rate does Adam use?",
    )
    assert ok.ok and ok.source == 0
    assert not number.ok and number.reason == "number"
    assert not negation.ok and negation.reason == "negation"
    assert not stitched.ok  # words from two slides' sentences, entailed by neither


def test_entailment_with_an_embedder_also_needs_closeness_in_meaning() -> None:
    sources = ["Mitochondria produce ATP by respiration."]
    assert check(["Mitochondria produce ATP."], sources, embed=OneDirection().embed)[0].ok
    verdict = check(["purple Mitochondria produce ATP."], sources, embed=Unrelated().embed)[0]
    assert not verdict.ok and verdict.reason in ("words", "meaning")
    far = check(["Mitochondria produce ATP."], ["purple: mitochondria produce ATP."], embed=Unrelated().embed)
    assert not far[0].ok and far[0].reason == "meaning"


SLIDES = [
    ev(2, "Adam uses a learning rate of 0.001 by default. It keeps running averages of gradients.", 0.7),
    ev(3, "SGD with momentum needs its learning rate tuned by hand.", 0.6),
]


def test_a_model_sentence_that_changes_a_number_gives_way_to_the_extractive_answer() -> None:
    question = "What learning rate does Adam use by default?"
    result, events, _ = ask(SLIDES, question, llm=ScriptedLLM("Adam uses a learning rate of 0.01 [1]."))
    assert "0.01 " not in result["answer"] and "0.001" in result["answer"]
    assert any(e["type"] == "chat.replace" for e in events)
    assert next(c["page"] for c in result["citations"]) == 2


def test_an_entailed_rephrasing_stands_and_each_sentence_is_cited_by_its_source_slide() -> None:
    question = "How do Adam and SGD set the learning rate?"
    written = (
        "By default, Adam uses a learning rate of 0.001 [2]. SGD needs the learning rate tuned by hand [1]."
    )
    result, events, _ = ask(SLIDES, question, llm=ScriptedLLM(written), embedder=OneDirection())
    assert not any(e["type"] == "chat.replace" for e in events)
    assert result["answer"] == (
        "By default, Adam uses a learning rate of 0.001. [Stats, slide 2] "
        "SGD needs the learning rate tuned by hand. [Stats, slide 3]"
    )


def test_a_sentence_far_in_meaning_from_its_source_is_not_accepted() -> None:
    written = "purple Adam uses a learning rate of 0.001."
    _, events, _ = ask(SLIDES, "What learning rate does Adam use?", llm=ScriptedLLM(written))
    assert any(e["type"] == "chat.replace" for e in events)  # "purple" is in no source sentence
    _, events, _ = ask(
        SLIDES, "What learning rate does Adam use?", llm=ScriptedLLM("Adam uses 0.001 by default.")
    )
    assert not any(e["type"] == "chat.replace" for e in events)


# ------------------------------------------------------------------------------------------- no repeats


def test_an_answer_never_repeats_a_sentence() -> None:
    slide = ev(9, "")
    answer, cited = compose(
        [
            ("The final exam is a mix of written reports and lectures.", slide),
            ("Midterm exam: 25%.", slide),
            ("The final exam is a mix of written reports and lectures.", slide),
            ("the final exam is a mix of written reports, and lectures", slide),
        ]
    )
    assert answer.count("written reports") == 1 and "Midterm" in answer
    assert cited == [slide]


def test_an_extractive_answer_from_a_slide_with_repeated_lines_says_each_once() -> None:
    repeated = "The final exam is a mix of written reports and lectures."
    slides = [ev(4, "\n".join(["Grade breakdown", "Final exam: 55%.", *[repeated] * 8]), 0.7, "Grades")]
    result, _, _ = ask(slides, "What is the grade breakdown of the final exam?")
    assert result["answer"].count("written reports") == 1 and "55%" in result["answer"]


# ------------------------------------------------------------------------------------------- follow-ups

THREATS = [
    ev(
        16,
        "Interception threats allow an attacker to gain access to an asset.\n"
        "Interruption threats make part of the system unavailable.\n"
        "Modification threats allow an attacker to tamper with a system asset.\n"
        "Fabrication threats insert false information into a system.",
        0.6,
        "Types of threat",
    ),
    ev(17, "Threats are countered by controls: avoidance, detection and recovery.", 0.55, "Controls"),
]
PREVIOUS: list[Message] = [
    {"role": "user", "content": "What are the four types of security threat?"},
    {
        "role": "assistant",
        "content": "Interception threats allow an attacker to gain access to an asset. Interruption threats "
        "make part of the system unavailable. Modification threats allow an attacker to tamper with a "
        "system asset. Fabrication threats insert false information into a system. [Sec, slide 16]",
    },
]


def test_an_ordinal_follow_up_names_the_nth_item_of_the_previous_answer() -> None:
    follow = resolve("And the third one?", PREVIOUS)
    assert follow is not None and follow.kind == "ordinal"
    assert follow.item.startswith("Modification threats")
    assert follow.cited_pages == [16]
    result, _, retriever = ask(list(reversed(THREATS)), "And the third one?", history=PREVIOUS)
    assert result["answer"].startswith("Modification threats allow an attacker to tamper")
    assert result["citations"][0]["page"] == 16  # the previous answer's slide, though retrieved second
    assert "four types of security threat" in retriever.queries[0]


def test_why_and_example_follow_ups_search_with_the_previous_question_and_its_slide() -> None:
    for question in ("Why?", "Give an example.", "¿Por qué?"):
        follow = resolve(question, PREVIOUS)
        assert follow is not None and follow.pin_previous_slide, question
        assert follow.query.startswith("What are the four types of security threat?")
    result, _, _ = ask(list(reversed(THREATS)), "Why?", history=PREVIOUS)
    assert result["citations"][0]["page"] == 16


def test_what_about_x_keeps_the_previous_topic_and_a_standalone_question_stands_alone() -> None:
    follow = resolve("What about controls?", PREVIOUS)
    assert follow is not None and follow.kind == "short" and not follow.pin_previous_slide
    assert follow.query == "What are the four types of security threat? What about controls?"
    assert resolve("How do digital certificates bind a public key to an owner?", PREVIOUS) is None
    for question in (
        "And which of them needs an attacker inside the network?",
        "Is that list complete for a hospital records system?",
    ):
        follow = resolve(question, PREVIOUS)
        assert follow is not None and follow.kind == "refers", question
        assert follow.query.startswith("What are the four types of security threat?")
    assert resolve("Why?", []) is None


def test_the_items_of_an_answer_that_enumerates_in_one_sentence() -> None:
    items = answer_items("The controls are: avoidance, detection and recovery. [Sec, slide 17]")
    assert items == ["avoidance", "detection", "recovery"]


def test_the_workers_vocabulary_cache_is_reused_until_the_subject_changes() -> None:
    from workers.ai.refusal import VocabularyCache

    db = FakeDb(
        notes_of([ev(1, "K-fold cross-validation splits the data into folds.", title="Cross-validation")])
    )
    reads = 0
    execute = db.execute

    def counting(query: Any) -> FakeRows:
        nonlocal reads
        reads += 1
        return execute(query)

    db.execute = counting  # type: ignore[method-assign]
    cache, subject = VocabularyCache(), FakeSubject()
    first = cache.get(db, subject)  # type: ignore[arg-type]
    assert cache.get(db, subject) is first and reads == 1  # type: ignore[arg-type]
    db.notes.append(("Bootstrap", "The bootstrap resamples with replacement.", "text_layer"))
    subject.version = 2  # a lecture was added: the subject's version moves
    second = cache.get(db, subject)  # type: ignore[arg-type]
    assert reads == 2 and second is not first
    assert second.knows("bootstrap") and not first.knows("bootstrap")


def test_negation_is_read_from_words_not_from_can() -> None:
    from workers.ai.entailment import negated

    assert not negated("Deep models can overfit small datasets.")
    assert negated("Deep models cannot overfit small datasets.")
    assert negated("You needn't worry about it") and negated("It won’t converge")
    assert not negated("It isn't wrong, not at all")  # two negations


def test_an_ordinal_in_an_odd_spelling_does_not_fail_the_question() -> None:
    history: list[Message] = [
        {"role": "user", "content": "What are the threat types?"},
        {"role": "assistant", "content": "Threats: interception; interruption; fabrication [S, slide 2]"},
    ]
    follow = resolve("and the \u017fecond one?", history)  # a long s, which regex.I matches as "s"
    assert follow is not None and follow.item == "interruption"
