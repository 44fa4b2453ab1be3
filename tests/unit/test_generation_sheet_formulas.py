"""A lecture's real formulas reach the cheat sheet's Formulas section as Word equations
(workers/generation/formula_lines.py): complete, named, from a trusted page; garbled maths, code, URLs and a
worked example's arithmetic never do."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document

from shared.files import LocalFileStore
from tests.support.study import lecture
from workers.generation.candidates import extract
from workers.generation.cardrules import sheet_formula
from workers.generation.cheatsheet import build_cheatsheet
from workers.generation.formula_lines import complete_formula
from workers.generation.material import LectureMaterial
from workers.generation.phrasing import Phraser
from workers.generation.sheet_docx import paragraph_text
from workers.generation.sheet_formulas import MAX_SHEET_FORMULAS, sheet_formulas

M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"

INTRO = (
    "Logistic regression",
    "Logistic regression\nLogistic regression predicts the probability of a class from a weighted sum of "
    "the features.\n• The weights are learned by maximising the likelihood of the training labels",
)


def _deck(*slides: tuple[str, str]) -> LectureMaterial:
    return lecture([INTRO, *slides], title="Classification")


def _sheet(tmp_path: Path, material: LectureMaterial) -> list[tuple[str, bool]]:
    """The paragraphs under the sheet's Formulas heading: (text with equations, has an equation)."""
    out = tmp_path / "sheet.docx"
    files = LocalFileStore(tmp_path / "files")
    build_cheatsheet(
        [extract(material)], Phraser(None), files=files, pages=1, title="T", out_path=out, check_pages=False
    )
    rows: list[tuple[str, bool]] = []
    inside = False
    for p in Document(str(out)).paragraphs:
        if p.style is not None and p.style.name.startswith("Heading"):
            inside = p.text.strip() == "Formulas"
            continue
        if inside:
            rows.append((paragraph_text(p), bool(p._p.findall(M + "oMath"))))
    return rows


@pytest.mark.parametrize(
    ("slide", "shown"),
    [
        (
            ("The unit circle", "The unit circle\nx^2 + y^2 = r^2\n• Every point lies at distance r"),
            "The unit circle: x2+y2=r2",
        ),
        (
            ("Activation functions", "Activation functions\nThe sigmoid function:\nσ(z) = 1/(1 + e^(-z))"),
            "Sigmoid function: σ(z)=",
        ),
        (
            ("Eigenvectors", "Eigenvectors\n𝑨𝒖 = 𝜆𝒖 where the scalar 𝜆 is the eigenvalue"),
            "Eigenvectors: Au=λu",
        ),
        (
            ("Channel model", "Channel model\nShort form: 𝒚 = 𝑮𝒙 + 𝒏"),
            "Channel model: y=Gx+n",
        ),  # the label "Short form" is no name
    ],
)
def test_a_clean_formula_on_a_text_layer_slide_reaches_the_sheet_as_an_equation(
    tmp_path: Path, slide: tuple[str, str], shown: str
) -> None:
    rows = _sheet(tmp_path, _deck(slide))
    assert len(rows) == 1, rows
    text, equation = rows[0]
    assert equation and text.replace(" ", "").startswith(shown.replace(" ", "")), text
    assert text.endswith("(s. 2)")


@pytest.mark.parametrize(
    "line",
    [
        "𝐶 = logS 1 + SNR 35",  # log₂(1 + SNR) whose subscript and brackets the text layer lost
        "𝐶𝒈 = logS 1 + 𝑞 𝒈 S",  # passes the older filters: only the new structure checks refuse it
        "𝐶 = max 𝐼 𝒙; 𝒚 bit/s/Hz",  # the same, parses as maths and converts
        "NEAT et =m",
        "5 pivot = array[0]",
        "https://youtube.com/watch?v=abc",
        "d(1, 6) = 3",  # a worked example's numbers
        "2 + 3 = 5",
    ],
)
def test_garbled_maths_code_urls_and_arithmetic_stay_off_the_sheet(tmp_path: Path, line: str) -> None:
    assert not complete_formula(line)
    rows = _sheet(tmp_path, _deck(("Channel capacity", f"Channel capacity\n{line}")))
    assert rows == []


def test_a_formula_from_an_unsure_ocr_page_or_without_a_name_stays_off() -> None:
    circle = ("The unit circle", "The unit circle\nx^2 + y^2 = r^2")
    material = _deck(circle)
    assert [f.text for f, _ in sheet_formulas(extract(material))] == ["x^2 + y^2 = r^2"]
    unsure = replace(
        material,
        slides=[
            replace(s, source="ocr", ocr_confidence=0.8) if s.ref.page == 2 else s for s in material.slides
        ],
    )
    assert sheet_formulas(extract(unsure)) == []
    untitled = _deck(("", "x^2 + y^2 = r^2"))
    assert sheet_formulas(extract(untitled)) == []


def test_at_most_six_formulas_the_lecture_s_central_ones_first() -> None:
    names = ["Momentum", "Velocity", "Pressure", "Density", "Energy", "Torque", "Impulse", "Power"]
    slides = [(name, f"{name}\nz{n} = a^{n} + b") for n, name in enumerate(names, start=2)]
    slides.append(("Softmax", "Softmax\np_i = e^(z_i) / S"))
    slides += [(f"More on softmax {n}", f"More on softmax {n}\nSoftmax output sums to one.") for n in (1, 2)]
    chosen = sheet_formulas(extract(lecture(slides, title="Rules")))
    assert len(chosen) == MAX_SHEET_FORMULAS
    assert chosen[0][1] == "Softmax"  # three slides name it: the most central formula leads


def test_a_real_identity_is_no_trivial_one() -> None:
    assert sheet_formula("𝑨𝒖 = 𝜆𝒖") and sheet_formula("F = ma")
    assert not sheet_formula("q+ = q") and not sheet_formula("k = 5")
