"""A letter or two of notation is no key term (workers/generation/quiz_checks.notation_symbol, used by the
cheat sheet's and the cards' definitions through cardrules.good_definition, by card forms and by
keyterms.key_terms): "Sy — набор символов ...", "Vw — набор весов вершин" gloss a formula's tuple
G(V, E, Sy, Bo, Vw, ...), they name no concept. Abbreviations (IC, SQL, BoW), "pH" and common words stay.
Each test makes its own lecture or lines."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from shared.files import LocalFileStore
from shared.schemas import SourceRef
from workers.generation.candidates import LectureCandidates, extract
from workers.generation.card_forms import form_problem
from workers.generation.cardrules import good_definition
from workers.generation.cheatsheet import plan_items, render_docx, select_items
from workers.generation.keyterms import key_terms
from workers.generation.material import LectureMaterial, Slide
from workers.generation.quiz_checks import notation_symbol

GRAPH = (
    "Матрицы молекулярных графов",
    "G(V, E, Sy, Bo, Vw, Vwt) — молекулярный граф, где:\n"
    "Sy — набор символов, кодирующих вершины графа (C, N, O, Br, …)\n"
    "Bo — набор типов ребер (связи — одинарная, двойная, ароматическая, …)\n"
    "Vw — набор весов вершин\n"
    "Vwt — набор весов вершин по типам атомов",
)
DEGREE = (
    "Степень вершины",
    "Степень вершины\nСтепень вершины — количество других вершин графа, смежных с заданной",
)
SMILES = ("Запись SMILES", "Запись SMILES\nSMILES — строковая запись структуры молекулы по правилам нотации.")
IC = ("Связи", "Связи\nIC — набор ограничений целостности, которым должна отвечать запись молекулы.")


def _lecture(slides: list[tuple[str, str]]) -> LectureCandidates:
    ref = lambda i: SourceRef(lecture_id=1, lecture="Графы", file="g.pptx", page=i)  # noqa: E731
    material = LectureMaterial(
        id=1,
        title="Графы",
        filename="g.pptx",
        slides=[Slide(ref=ref(i), title=t, text=x) for i, (t, x) in enumerate(slides, 1)],
    )
    return extract(material)


def _key_terms_section(lc: LectureCandidates, tmp_path: Path) -> list[str]:
    plans = plan_items([lc], LocalFileStore(tmp_path / "files"), tmp_path, summaries={})
    out = tmp_path / "sheet.docx"
    render_docx(out, title="Графы", lectures=[lc], items=select_items(plans, 200))
    lines = [p.text for p in Document(str(out)).paragraphs]
    start = lines.index("Ключевые термины") + 1
    end = next((i for i in range(start, len(lines)) if " — " not in lines[i]), len(lines))
    return lines[start:end]


def test_a_short_term_glossed_as_a_set_is_notation() -> None:
    assert notation_symbol("Sy", "набор символов, кодирующих вершины графа", "ru")
    assert notation_symbol("Vw", "набор весов вершин", "ru")
    assert notation_symbol("Vwt", "набор весов вершин по типам атомов", "ru")  # three letters, no word
    assert notation_symbol("Q", "the set of states of the automaton", "en")
    assert notation_symbol("E", "l'ensemble des arêtes du graphe", "fr")
    assert not notation_symbol("IC", "набор ограничений целостности", "ru")  # an abbreviation in capitals
    assert not notation_symbol("RNN", "a set of networks that share weights over time", "en")
    assert not notation_symbol("BoW", "the set of words of a document with their counts", "en")  # initials
    assert not notation_symbol("Net", "a set of places, transitions and arcs", "en")  # a common word
    assert not notation_symbol("pH", "a measure of how acidic a solution is", "en")  # no set
    assert not notation_symbol("Rank", "number of non-zero eigenvalues", "en")
    assert notation_symbol("Vwt", "set of weights", "und") and notation_symbol("Vwt", "set of weights", "")
    assert notation_symbol("Bo") and notation_symbol("A") and not notation_symbol("UI")  # a bare name


def test_the_sheets_key_terms_leave_out_the_graphs_symbols(tmp_path: Path) -> None:
    terms = _key_terms_section(_lecture([DEGREE, GRAPH, SMILES, IC]), tmp_path)
    heads = [line.split(" — ", 1)[0] for line in terms]
    assert "Степень вершины" in heads and "SMILES" in heads and "IC" in heads
    assert not {"Sy", "Bo", "Vw", "Vwt"} & set(heads)


def test_cards_and_cloze_targets_leave_out_the_graphs_symbols() -> None:
    assert form_problem("cloze", "{{c1::Vwt}}: набор весов вершин по типам атомов", "", "ru") == "term:symbol"
    assert form_problem("basic", "Vwt", "набор весов вершин по типам атомов", "ru") == "term:symbol"
    assert (
        form_problem("basic", "SMILES", "строковая запись структуры молекулы по правилам нотации", "ru")
        is None
    )
    assert not good_definition("Vw", "набор весов вершин", "ru")
    assert good_definition(
        "IC", "набор ограничений целостности, которым должна отвечать запись молекулы", "ru"
    )
    terms = key_terms(_lecture([DEGREE, GRAPH, SMILES]))
    assert "Vwt" not in terms and "SMILES" in terms and "Степень вершины" in terms
