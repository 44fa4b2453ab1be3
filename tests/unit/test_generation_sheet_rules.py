"""The rules a cheat-sheet entry obeys (study rubric V1/V2/V9), on lines and decks the tests make."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from shared.files import LocalFileStore
from shared.schemas import GenerateRequest
from tests.support.study import add_lecture, study_db
from workers.generation.service import GenerationEnv, generate_cheatsheet
from workers.generation.sheet_rules import (
    code_line,
    example_section,
    formula_reason,
    label,
    label_ok,
    lead_in_text,
    list_items_ok,
    mixed_script,
    point_reason,
    tidy,
)


def test_lines_that_cannot_stand_as_an_entry() -> None:
    assert point_reason("Vector form", "Matrix form:") == "lead-in"
    assert point_reason("Word order", "What are examples of such applications?") == "question"
    assert point_reason("Views", "SELECT S.name, E.grade FROM Students S") == "code"
    assert point_reason("Keys", "sid CHAR(20), PRIMARY KEY (sid,cid)") == "code"
    assert point_reason("Risks", "The patient database | High.") == "table row"
    assert point_reason("Reactions", "A C") == "fragment"
    assert point_reason("Simple RNNs: vanishing gradient problem", "Vanishing gradient problem") == (
        "repeats the label"
    )
    assert point_reason("Eigenvalues and eigenvectors", "Finding eigenvalues and eigenvectors") == (
        "repeats the label"
    )
    ok = "The output of each layer becomes the input to the next layer"
    assert point_reason("Stacked RNN", ok) is None
    assert point_reason("Keys", "A primary key selects one tuple from the relation.") is None


def test_code_lists_and_example_sections() -> None:
    assert code_line("CREATE TABLE Enrolled (sid CHAR(20))") and not code_line("Select the best model.")
    assert list_items_ok(["Edge list:", "Adjacency matrix:", "Degree of a vertex", "Why?"]) == [
        "Degree of a vertex"
    ]
    assert example_section("Examples of security terminology (Mentcare)")
    assert example_section("Example instance of Students relation")
    assert not example_section("Counterexamples and proofs")


def test_misread_formulas() -> None:
    assert formula_reason("𝒚t = 𝜮𝒙t + 𝒏t") == "lost subscript"
    assert formula_reason("𝐶 = 𝑀 Ö log 1 + SNR") == "stray letter"
    assert formula_reason("NEAT et =m") == "words, not symbols"
    assert formula_reason("Precision = TP / (TP + FP)") is None
    assert formula_reason("𝐶 = log(1 + 𝑀 SNR)") is None


SLIDES = [
    (
        "Stacked networks",
        "Stacked networks\n"
        "• The output of each layer becomes the input to the next layer in the stack\n"
        "• What are examples of such applications?\n"
        "• Matrix form:\n"
        "• Deeper stacks learn more abstract features of the input sequence",
    ),
    (
        "Example instance of Students relation",
        "Example instance of Students relation\n"
        "• Jones has login jones@cs and is eighteen years old in this table\n"
        "• Smith has login smith@ee and is eighteen years old in this table",
    ),
    (
        "Querying relations",
        "Querying relations\n"
        "• SELECT S.name, S.login FROM Students S WHERE S.age = 18\n"
        "• A query names the relations it reads and the condition every answer meets",
    ),
]


def test_the_sheet_leaves_out_lead_ins_questions_code_and_worked_examples(tmp_path: Path) -> None:
    sdb = study_db(tmp_path)
    add_lecture(sdb, SLIDES, title="Networks and relations")
    env = GenerationEnv(
        session_factory=sdb.session_factory,
        files=LocalFileStore(sdb.settings.data_dir),
        llm=None,
        settings=sdb.settings,
    )
    request = GenerateRequest(kind="cheatsheet", pages=1)
    generate_cheatsheet(env, job_id=None, user_id=sdb.user_id, subject_id=sdb.subject_id, request=request)
    [path] = list(Path(sdb.settings.data_dir).rglob("*.docx"))
    doc = Document(str(path))
    entries = [p.text for p in doc.paragraphs if p.text and not p.style.name.startswith("Heading")]
    text = "\n".join(entries)
    assert "becomes the input to the next layer" in text
    assert "condition every answer meets" in text
    for gone in ("examples of such applications", "Matrix form", "SELECT", "Jones", "slide N"):
        assert gone not in text, (gone, entries)
    head = next(p.text for p in doc.paragraphs if p.style.name == "Heading 1")
    assert "(s. N)" in head  # the legend goes with the title, not among the entries


def test_long_lead_ins_become_statements_dangling_lines_go_and_labels_are_trimmed() -> None:
    long = "Intuition: we introduce as much new information on the belt as what we forget:"
    assert point_reason("GRU", long) is None
    assert lead_in_text(long) == long[:-1] + "."
    assert point_reason("Properties", "Let A be the adjacency matrix of a graph, then:") == "lead-in"
    assert point_reason("Primary keys", "This is not true for any subset of the key.") == "dangling"
    assert point_reason("Participation", "If so, this is a participation constraint.") == "dangling"
    assert label("LSTM equations (1/") == "LSTM equations"
    assert label("Design guidelines 4-") == "Design guidelines"
    assert label("Capacity (high SNR)") == "Capacity (high SNR)"


def test_cut_off_lines_misread_symbols_and_ocr_bullets() -> None:
    assert point_reason("Decomposition", "If A has M independent eigenvectors, then") == "cut off"
    assert point_reason("SQL", "is specified, and enforced by the DBMS when tuples change.") == "cut off"
    assert point_reason("SQL", "(without resorting to CHECK constraints).") == "cut off"
    assert point_reason("Views", "AS SELECT S.name, E.grade") == "code"
    assert point_reason("Capacity", "Ideal capacity with MISO grows as 2𝑁Z bits") == "misread symbols"
    assert point_reason("Channel", "𝐾 transmit antennas and 𝑀 receive antennas") is None
    assert tidy("% A major strength of the model") == "A major strength of the model"
    assert tidy("eTo find just names") == "To find just names"
    assert not label_ok("Transmitter diversity • MISO channels")
    assert not label_ok("Capacity comparison with 𝑔%,) =")
    assert label_ok("Point-to-point MIMO channel")


def test_misread_list_items_and_mixed_scripts() -> None:
    assert list_items_ok(["Ideal capacity with MISO", "2𝑁Z", "Outage probability"]) == [
        "Ideal capacity with MISO",
        "Outage probability",
    ]
    assert mixed_script("तीन fara उपस्ट PS")
    assert not mixed_script("तीन प्रकार के उपसर्ग") and not mixed_script("Three kinds of prefix")
