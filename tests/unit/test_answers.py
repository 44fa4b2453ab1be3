"""Answer logic with fake retrieval: citations, refusal, fallbacks; and a real provider that is down."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from shared.errors import AppError
from shared.llm import LLM, GenerationOptions, Message, OllamaLLM
from shared.text import tokens as tokenize
from workers.ai.answer import AnswerRequest, answer_question, cite_sentences
from workers.ai.retrieval import Evidence, dedupe


def ev(page: int, text: str, similarity: float = 0.6) -> Evidence:
    return Evidence(
        chunk_id=page,
        lecture_id=1,
        lecture_title="Cells",
        file="cells.pdf",
        page=page,
        title="",
        text=text,
        source="text_layer",
        figure_ids=[],
        similarity=similarity,
    )


class FakeSubject:
    id, user_id, version = 5, 9, 1


class FakeDb:
    def get(self, _model: Any, _id: int) -> FakeSubject:
        return FakeSubject()


class FakeRetriever:
    def __init__(self, evidence: list[Evidence]) -> None:
        self.evidence = evidence

    def search(self, *_: Any, **__: Any) -> list[Evidence]:
        return self.evidence


class ScriptedLLM(LLM):
    def __init__(self, text: str) -> None:
        self.text = text

    def stream(self, messages: list[Message], options: GenerationOptions) -> Iterator[str]:
        words = self.text.split(" ")
        for i, word in enumerate(words):
            yield word if i == len(words) - 1 else word + " "


def ask(
    evidence: list[Evidence], llm: LLM, question: str = "What makes ATP?"
) -> tuple[dict[str, Any], list[dict]]:
    events: list[dict[str, Any]] = []
    result = answer_question(
        db=FakeDb(),  # type: ignore[arg-type]
        retriever=FakeRetriever(evidence),  # type: ignore[arg-type]
        llm_factory=lambda: llm,
        redis=None,
        req=AnswerRequest(user_id=9, subject_id=5, question=question, request_id="r"),
        emit=events.append,
    )
    return result, events


def test_each_sentence_is_cited_by_the_slide_it_comes_from_whatever_markers_the_model_wrote() -> None:
    evidence = [
        ev(2, "Mitochondria produce ATP by respiration."),
        ev(3, "Ribosomes build proteins from RNA."),
    ]
    result, events = ask(
        evidence,
        ScriptedLLM(
            "Cells, slide 3: Mitochondria produce ATP [2]. Ribosomes build proteins [7]. The answer is: [1]"
        ),
        question="What do mitochondria and ribosomes make?",
    )
    assert result["answer"] == (
        "Mitochondria produce ATP. [Cells, slide 2] Ribosomes build proteins. [Cells, slide 3]"
    )
    assert [c["page"] for c in result["citations"]] == [2, 3]
    assert events[0]["type"] == "chat.evidence"


def test_an_answer_the_notes_do_not_support_is_replaced_by_the_slide_sentence() -> None:
    evidence = [ev(3, "Ribosomes build proteins by translating RNA."), ev(2, "Mitochondria make ATP.", 0.3)]
    result, events = ask(
        evidence,
        ScriptedLLM("The cells that build ribosomes are called mitochondria [2]."),
        question="What do ribosomes build?",
    )
    assert result["answer"] == "Ribosomes build proteins by translating RNA. [Cells, slide 3]"
    assert [c["page"] for c in result["citations"]] == [3]
    assert any(e["type"] == "chat.replace" for e in events)


def test_without_markers_the_overlapping_slide_is_cited() -> None:
    evidence = [
        ev(2, "Ribosomes build proteins from RNA."),
        ev(5, "Mitochondria produce ATP by respiration."),
    ]
    result, _ = ask(evidence, ScriptedLLM("They produce ATP through respiration."))
    assert [c["page"] for c in result["citations"]] == [5]
    assert result["answer"] == "They produce ATP through respiration. [Cells, slide 5]"


def test_empty_model_output_falls_back_to_the_best_sentence() -> None:
    result, _ = ask([ev(2, "Cells divide. Mitochondria produce ATP by respiration.")], ScriptedLLM(""))
    assert result["answer"].startswith("Mitochondria produce ATP by respiration")
    assert [c["page"] for c in result["citations"]] == [2]


def test_weak_evidence_means_no_answer_and_no_model_call() -> None:
    class Exploding(LLM):
        def stream(self, messages: list[Message], options: GenerationOptions) -> Iterator[str]:
            raise AssertionError("the model must not be asked")

    result, _ = ask([ev(2, "Unrelated text about rivers.", similarity=0.1)], Exploding())
    assert result["citations"] == [] and "could not find" in result["answer"]


def test_unreachable_ollama_is_a_clear_error_not_a_hang() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed once we leave: nothing listens there
    start = time.monotonic()
    with pytest.raises(AppError) as err:
        ask([ev(2, "Mitochondria produce ATP.")], OllamaLLM(f"http://127.0.0.1:{port}", "llama3", timeout=5))
    assert err.value.code == "LLM_UNAVAILABLE"
    assert time.monotonic() - start < 10


def test_citations_only_name_retrieved_slides() -> None:
    evidence = [ev(4, "Membranes are lipid bilayers.")]
    answer, cited = cite_sentences("Membranes are lipid bilayers [3] and [1]", evidence, "what are membranes")
    assert [c.page for c in cited] == [4]
    assert answer == "Membranes are lipid bilayers and. [Cells, slide 4]"


def test_tokenizer_and_near_duplicate_removal() -> None:
    assert tokenize("The Calvin cycle, in the stroma") == ["calvin", "cycle", "stroma"]
    assert tokenize("物种形成") == ["物", "种", "形", "成", "物种", "种形", "形成"]
    items = [
        ev(1, "the cell membrane is a lipid bilayer"),
        ev(2, "The cell membrane is a lipid bilayer!"),
        ev(3, "x y z"),
    ]
    assert [e.page for e in dedupe(items)] == [1, 3]
