"""Cheat-sheet formulas as Word equations (OMML): the structure a slide formula gets, text kept for anything
the converter is not sure of, bounded time on hostile lines, and a real sheet opened again and rendered by
LibreOffice with the formula's symbols in its PDF."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from tests.support.study import add_lecture, study_db
from tests.unit.test_generation_cheatsheet import _generate
from workers.generation.sheet_docx import add_text, heading, paragraph_text, style_document
from workers.generation.sheet_math import M_NS, W_NS, formula_omml

M = f"{{{M_NS}}}"


def _names(el: etree._Element) -> list[str]:
    return [etree.QName(x).localname for x in el.iter() if isinstance(x.tag, str)]


def _text(el: etree._Element) -> str:
    return "".join(t.text or "" for t in el.iter(M + "t"))


@pytest.mark.parametrize(
    ("formula", "structures"),
    [
        ("x^2 + y^2 = r^2", ["sSup"]),
        ("sum_{i=1}^n w_i x_i", ["nary", "sSub"]),
        ("PR(A) = (1-d) + d(PR(T1)/C(T1) + ... + PR(Tn)/C(Tn))", ["f", "sSub"]),
        ("||x|| = sqrt(x_1^2 + x_2^2)", ["rad", "sSubSup"]),
        ("σ(z) = 1/(1 + e^(-z))", ["f", "sSup"]),
        ("P(A|B) = P(B|A)P(A)/P(B)", ["f"]),
        ("E[X] = ∑ x p(x)", []),
        ("θ ≤ 2π, k ≠ 0, x ∈ S", []),
        ("alpha_t >= beta", ["sSub"]),
    ],
)
def test_slide_formulas_become_equations(formula: str, structures: list[str]) -> None:
    omml = formula_omml(formula)
    assert omml is not None, formula
    assert omml.tag == M + "oMath"
    names = _names(omml)
    for structure in structures:
        assert structure in names, (formula, structure)
    # every letter and digit of the line is still there (Greek names become letters)
    seen = _text(omml)
    for ch in formula.replace("sum", "").replace("sqrt", "").replace("alpha", "α").replace("beta", "β"):
        if ch.isalnum():
            assert ch in seen, (formula, ch)
    # Word needs a radical's degree element and the sheet's 9 pt size on each math run
    for rad in omml.iter(M + "rad"):
        assert rad.find(M + "deg") is not None
    runs = list(omml.iter(M + "r"))
    assert runs and all(r.find(f"{{{W_NS}}}rPr/{{{W_NS}}}sz") is not None for r in runs)


def test_readings_that_matter() -> None:
    frac = formula_omml("f(x) = 1/(1 + e^(-x))")
    assert frac is not None
    num, den = frac.find(f".//{M}f/{M}num"), frac.find(f".//{M}f/{M}den")
    assert _text(num) == "1" and _text(den) == "1+e−x"  # the denominator's brackets are dropped
    sup = formula_omml("x^(n+1)")
    assert sup is not None and _text(sup.find(f".//{M}sup")) == "n+1"
    sub = formula_omml("w_ij x_j")
    assert sub is not None and [_text(s) for s in sub.iter(M + "sub")] == ["ij", "j"]
    bars = formula_omml("P(A|B)")
    assert bars is not None and "∣" in _text(bars) and "|" not in _text(bars)  # LibreOffice reads | as "or"


@pytest.mark.parametrize(
    "junk",
    [
        "a/b/c",  # which way it groups is not ours to guess: stays as text... but parses; see below
        "E = mc²",  # m c² or (mc)²?
        "the loss goes down as the model learns = good",
        "5 pivot = array[0] // 中文",
        "x^",
        "Vv we =",
        "We have S = 1:",
        "(a + b",
        "a + b)",
        "x^2^3",
        r"\frac{a}{b}",
        "https://youtu.be/x = y",
        "",
        "   ",
    ],
)
def test_unsure_lines_stay_text(junk: str) -> None:
    if junk == "a/b/c":
        omml = formula_omml(junk)
        assert omml is None or "f" not in _names(omml)  # no fraction guessed
        return
    assert formula_omml(junk) is None, junk


@pytest.mark.parametrize(
    "hostile",
    [
        "x" * 100_000,
        "x = " + "(" * 5_000 + "y" + ")" * 5_000,
        "(" * 50 + "x" + ")" * 50,
        "x^" * 40 + "2",
        "a_" * 60 + "b",
        "sqrt(" * 30 + "x" + ")" * 30,
        "1/" * 80 + "2",
    ],
)
def test_hostile_lines_fall_back_fast(hostile: str) -> None:
    started = time.monotonic()
    assert formula_omml(hostile) is None
    assert time.monotonic() - started < 0.5


def _sheet_by_hand(path: Path, formulas: list[tuple[str, str]]) -> None:
    doc = Document()
    style_document(doc)
    heading(doc, "Lecture", 1)
    heading(doc, "Formulas", 2)
    for name, formula in formulas:
        p = doc.add_paragraph()
        add_text(p, f"{name}: ", bold=True)
        add_text(p, formula + " ")
        add_text(p, "(s. 3)", grey=True)
    heading(doc, "Main points", 2)
    add_text(doc.add_paragraph(), "x^2 is not a formula entry here")
    doc.save(str(path))


def test_only_formula_entries_become_equations_and_none_is_lost(tmp_path: Path) -> None:
    path = tmp_path / "sheet.docx"
    _sheet_by_hand(path, [("Circle", "x^2 + y^2 = r^2"), ("Energy", "E = mc²")])
    doc = Document(str(path))
    paras = doc.paragraphs
    circle = next(p for p in paras if p.text.startswith("Circle"))
    energy = next(p for p in paras if p.text.startswith("Energy"))
    points = next(p for p in paras if "not a formula" in p.text)
    (math,) = circle._p.findall(M + "oMath")
    assert "sSup" in _names(math)
    assert circle.text == "Circle:  (s. 3)"  # the name and the reference stay Arial runs around it
    assert paragraph_text(circle) == "Circle: x2+y2=r2 (s. 3)"  # what a reader of the sheet sees, in order
    assert not energy._p.findall(M + "oMath") and energy.text == "Energy: E = mc² (s. 3)"
    assert not points._p.findall(M + "oMath") and points.text.startswith("x^2")


def _pdf_text(docx: Path, tmp_path: Path) -> str:
    out = tmp_path / "pdf"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = out / (docx.stem + ".pdf")
    return subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


FORMULA_SLIDES = [
    (
        "Parallel speedup",
        "Parallel speedup\nSpeedup is the ratio of the serial time to the parallel time of a program.\n"
        "Speedup = T_1 / T_p\n"
        "• Linear speedup means that p processors run p times faster",
    ),
    (
        "Classifier accuracy",
        "Classifier accuracy\nAccuracy is the share of predictions that are correct.\n"
        "Accuracy = (TP + TN) / (TP + TN + FP + FN)\n"
        "• Accuracy misleads when one class is rare",
    ),
    (
        "Independent events",
        "Independent events\nTwo events are independent when one does not change the chance of the other.\n"
        "P(A ∩ B) = P(A) P(B)\n"
        "• Independence is not the same as disjointness",
    ),
]


def test_generated_sheet_has_equations_libreoffice_renders(tmp_path: Path) -> None:
    sdb = study_db(tmp_path)
    add_lecture(sdb, FORMULA_SLIDES, title="Optimisation basics")
    _doc, path = _generate(sdb, 1)
    doc = Document(str(path))
    maths = doc.element.body.findall(f".//{M}oMath")
    assert len(maths) >= 2, "the sheet's formulas are Word equations"
    kinds = {n for m in maths for n in _names(m)}
    assert {"f", "sSub"} <= kinds
    text = _pdf_text(path, tmp_path)
    for symbol in ("∩", "Speedup", "Accuracy", "TP", "FN"):
        assert symbol in text, symbol
    assert "T_1" not in text and "/ (TP" not in text  # typeset, not the raw line


def test_random_lines_give_text_or_a_well_formed_equation(tmp_path: Path) -> None:
    import random

    rng = random.Random(7)
    alphabet = [*"xyzabAB12 ^_/()[]{}+-=*<>|,.:;!'", "sqrt", "sum", "alpha", "≤", "∑", "√", "²", "σ", "&"]
    alphabet.append("\\")
    lines = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))) for _ in range(400)]
    converted = []
    for line in lines:
        started = time.monotonic()
        omml = formula_omml(line)
        assert time.monotonic() - started < 0.5
        if omml is not None:
            assert omml.tag == M + "oMath"
            converted.append(line)
    assert converted, "some random lines are formulas"
    path = tmp_path / "random.docx"
    _sheet_by_hand(path, [(f"F{i}", line) for i, line in enumerate(lines)])
    doc = Document(str(path))  # Word's XML stays well-formed whatever the lines were
    assert len(doc.element.body.findall(f".//{M}oMath")) == len(converted)
