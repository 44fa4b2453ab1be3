"""Items per lecture: statements a student would keep that the generator used to refuse, and the number of
items it asks for by default (workers/generation/keyterms.py, flashcards.py, service.py)."""

from __future__ import annotations

from pathlib import Path

from pytest import MonkeyPatch

from shared.files import LocalFileStore
from shared.models import GeneratedDocument
from shared.schemas import GenerateRequest
from tests.support.study import BIO_SLIDES, add_lecture, lecture, study_db
from workers.generation import flashcards
from workers.generation.candidates import LectureCandidates, extract
from workers.generation.flashcards import card_drafts
from workers.generation.keyterms import number_variants, term_in
from workers.generation.phrasing import Phraser
from workers.generation.service import (
    CARDS,
    QUESTIONS,
    GenerationEnv,
    default_count,
    generate_flashcards,
    generate_quiz,
)

DB_SLIDES = [
    (
        "Relational databases",
        "Relational databases\n• A relational database is a set of relations with a schema and instances.\n"
        "• Queries can be written intuitively in a declarative language",
    ),
    (
        "Views",
        "Views\n• A view is just a relation, but we store a definition rather than a set of tuples.\n"
        "• Views can be used to present necessary information while hiding details of the underlying "
        "relations.",
    ),
    (
        "Instance",
        "Instance\n• Every tuple in the current instance is extended with a null value in the new field.",
    ),
    (
        "Weak entities",
        "Weak entities\n• A weak entity can be identified uniquely only by considering the primary key "
        "of its owner entity.",
    ),
]


def _cards(slides: list[tuple[str, str]]) -> list[tuple[str, str]]:
    lc = extract(lecture(slides, title="Relational model"))
    return [(c.kind, c.front) for c in card_drafts([lc], Phraser(None))]


def test_a_key_term_is_found_in_its_other_grammatical_number() -> None:
    assert term_in("A view is just a relation, but we store a definition", ["Views"]) == "view"
    assert term_in("Weak entities must be deleted with their owner", ["weak entity"]) == "Weak entities"
    assert term_in("Views of views are views", ["Views", "view"]) == "Views"  # as written first
    assert term_in("Several processes run at once", ["Process"]) == "processes"
    assert term_in("The reviewer saw it", ["Views"]) is None  # whole words only
    assert number_variants("analysis") == ["analyses"] and number_variants("process") == ["processes"]
    assert number_variants("Security policies") == ["Security policy"]
    assert number_variants("status") == [] and number_variants("LSTM") == [] and number_variants("物种") == []


def test_a_statement_about_a_section_in_the_other_number_becomes_a_cloze() -> None:
    cards = _cards(DB_SLIDES)
    entity = "A {{c1::weak entity}} can be identified uniquely only by considering the primary key of its"
    assert ("cloze", entity + " owner entity.") in cards
    view = "A {{c1::view}} is just a relation, but we store a definition rather than a set of tuples."
    assert ("cloze", view) in cards


def test_a_one_word_key_term_is_hidden_only_where_it_is_the_subject() -> None:
    cards = _cards(DB_SLIDES)
    fronts = [front for _, front in cards]
    assert (
        "{{c1::Views}} can be used to present necessary information while hiding details of the underlying "
        "relations." in fronts
    )
    assert not any("instance" in f.lower() and "{{" in f for f in fronts)  # inside a line: several words fit
    assert ("basic", "relational database") in cards  # the definition is still asked through its term
    rated = [("Security", "Security\n• Security is essential as most systems are networked to the Internet.")]
    assert not any("{{" in front for _, front in _cards(DB_SLIDES + rated) if "networked" in front)


def test_the_word_a_lecture_is_about_is_no_cloze() -> None:
    line = "Security is considered when design decisions are made."
    topic = ("Security", f"Security\n• {line}")
    parts = [
        (f"Part {i}", f"Part {i}\n• Security of the layer {i} is kept by its own rules.") for i in range(4)
    ]
    fronts = [front for _, front in _cards([parts[0], topic, *parts[1:]])]  # on every slide
    assert not any("{{c1::Security}} is considered" in f for f in fronts)
    # the same line in a lecture that names the word on one slide of five is a fair cloze
    fronts = [front for _, front in _cards([*DB_SLIDES, topic])]
    assert "{{c1::Security}} is considered when design decisions are made." in fronts


def test_the_default_counts_scale_with_the_lecture() -> None:
    def lectures(slides: int) -> list[LectureCandidates]:
        text = [(f"Section {i}", f"Section {i}\n• A line about topic {i}") for i in range(slides)]
        return [extract(lecture(text))]

    assert default_count(lectures(26), QUESTIONS) == 20 and default_count(lectures(26), CARDS) == 50
    assert default_count(lectures(72), QUESTIONS) == 36 and default_count(lectures(72), CARDS) == 72
    assert default_count(lectures(700), CARDS) == 500  # the request's own maximum
    request = GenerateRequest(kind="quiz")
    assert request.questions is None and GenerateRequest(kind="flashcards").cards is None


def test_a_request_without_a_count_gets_the_lectures_default(
    tmp_path: Path, monkeypatch: MonkeyPatch
) -> None:
    sdb = study_db(tmp_path)
    add_lecture(sdb, BIO_SLIDES * 12)  # 60 slides: 30 questions, 60 cards
    env = GenerationEnv(
        session_factory=sdb.session_factory,
        files=LocalFileStore(sdb.settings.data_dir),
        llm=None,
        settings=sdb.settings,
    )
    ids = {"user_id": sdb.user_id, "subject_id": sdb.subject_id}
    result = generate_quiz(env, job_id=None, request=GenerateRequest(kind="quiz"), **ids)
    assert result["questions_requested"] == 30
    with sdb.session_factory() as db:
        doc = db.get(GeneratedDocument, result["document_id"])
        assert doc is not None and doc.params["questions_requested"] == 30
        # shorter than the default count: no "N of the 30 questions asked" is said
        assert result["questions"] < 30 and "asked" not in doc.params["quiz"]["note"]
    named = generate_quiz(env, job_id=None, request=GenerateRequest(kind="quiz", questions=100), **ids)
    assert named["questions"] < 100
    with sdb.session_factory() as db:
        doc = db.get(GeneratedDocument, named["document_id"])
        assert doc is not None and "of the 100 questions asked" in doc.params["quiz"]["note"]
    asked: list[int] = []

    def store(db: object, *, count: int, **_: object) -> dict[str, int]:
        asked.append(count)
        return {"cards": 0}

    monkeypatch.setattr(flashcards, "store_cards", store)
    generate_flashcards(env, job_id=None, request=GenerateRequest(kind="flashcards"), **ids)
    generate_flashcards(env, job_id=None, request=GenerateRequest(kind="flashcards", cards=7), **ids)
    assert asked == [60, 7]
