"""Formula lines a cheat sheet can show: a real, complete formula, typeset, with its name.

The candidate reader's line filters (letters per character, short non-words) drop typical slide formulas
such as "x^2 + y^2 = r^2"; ``complete_formula`` lets such a line through only when it is well-formed
mathematics (maths.py), converts to a Word equation (sheet_math.py), shows no sign of maths whose structure
the PDF text layer lost (a function name glued to a letter, "logS"; two operands side by side with a
space, "q g S" read from maths italics, "SNR 35"; sheet_rules.formula_reason) and has at least one variable
(not a worked example's arithmetic, "d(1, 6) = 3"). ``sheet_formulas`` then keeps those of trusted pages
(a text layer or a confident OCR page) that have a name (their lead-in, else the slide title), most
central first, at most ``MAX_SHEET_FORMULAS``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from shared.text import words

if TYPE_CHECKING:
    from workers.generation.material import Slide

# An OCR page gives formulas only when it was read with high confidence (symbols are misread first).
MIN_FORMULA_OCR_CONFIDENCE = 0.85

MATH = re.compile(r"[=∑∫√≈≤≥≠∝∂∆∇±×÷→⇒∈∀∃λσμπθαβγδεΣΠΩ]|\b\w+\^\d|\b[a-zA-Z]\s*/\s*[a-zA-Z]\b")
_URL = re.compile(r"https?://|www\.", re.I)
_FUNCTION_NAMES = "log ln exp sin cos tan sinh cosh tanh max min sup inf det tr lim argmax argmin"
_FUNCTIONS = frozenset(_FUNCTION_NAMES.split())
_GLUED = re.compile(r"\b(?:log|ln|exp|sin|cos|tan|max|min|det)[A-Z]")  # "logS 1": log₂ read as "logS"
_OPERAND = r"[^\W_]|[\U0001D400-\U0001D7FF]"
_SIDE_BY_SIDE = re.compile(rf"([^\W_]+|[\U0001D400-\U0001D7FF]+)\s+(?={_OPERAND})")
_NUMERIC_CALL = re.compile(r"[^\W\d_]\w*\(\s*[\d\s.,;+-]*\)")
_LABEL = re.compile(r"^(?P<label>[^\W\d_][\w' -]{1,40}?)\s*:\s+(?P<formula>\S.*)$")
_WHERE = re.compile(r"^(?P<formula>\S.*?)\s*,?\s+where\s+\S.*$", re.I)
_GENERIC_WORDS = """short long form general formula formulas equation equations definition notation example
    examples where given then so thus hence i.e e.g note recall result in matrix vector compact the a an
    this that"""
_GENERIC_NAME = frozenset(_GENERIC_WORDS.split())


def is_formula(line: str) -> bool:
    """A line with '=' or mathematical symbols (the candidate reader's first test)."""
    if len(line) > 160 or _URL.search(line) or not MATH.search(line):
        return False
    if len(words(line)) > 24:
        return False
    # Prose that merely mentions '=' once in a long sentence is not a formula.
    return "=" in line or sum(1 for ch in line if MATH.match(ch)) >= 2


def _side_by_side(flat: str) -> bool:
    """Two operands next to each other with only a space between them, the first no function's name:
    maths whose brackets, sums or subscripts the text layer lost ("I x; y bit/s/Hz")."""
    return any(m.group(1) not in _FUNCTIONS for m in _SIDE_BY_SIDE.finditer(flat))


def has_variable(flat: str) -> bool:
    """A letter that is a variable: not a function's name nor a function applied to numbers only."""
    rest = _NUMERIC_CALL.sub(" ", flat)
    return any(w not in _FUNCTIONS for w in re.findall(r"[^\W\d_]+", rest))


def complete_formula(text: str) -> bool:
    """A real, complete formula line (see the module's docstring)."""
    from workers.generation.maths import parses_as_maths
    from workers.generation.sheet_math import formula_omml
    from workers.generation.sheet_rules import formula_reason
    from workers.generation.validity import plausible_formula

    flat = " ".join(text.split())
    if not flat or not is_formula(flat) or not plausible_formula(flat) or formula_reason(flat):
        return False
    if _GLUED.search(flat) or _side_by_side(flat) or not has_variable(flat):
        return False
    return parses_as_maths(flat) and formula_omml(flat) is not None


def labelled(line: str) -> tuple[str, str]:
    """The name and the formula of a line that holds a complete formula after its label or before its
    explanation: ("Sigmoid", "s(z) = ...") for "Sigmoid: s(z) = ...", ("", "Au = lu") for "Au = lu where
    the scalar l is ..."; ("", line) otherwise."""
    flat = " ".join(line.split())
    m = _LABEL.match(flat)
    if m and not MATH.search(m["label"]):
        name, flat = m["label"].strip(), m["formula"]
    else:
        name = ""
    w = _WHERE.match(flat)
    if w and complete_formula(w["formula"]):
        return name, w["formula"]
    if name and complete_formula(flat):
        return name, flat
    return "", line


def formula_line(line: str) -> bool:
    """A line the candidate reader keeps although its share of letters is low: a complete formula, alone,
    after its label or before its explanation."""
    return bool(MATH.search(line)) and (complete_formula(line) or labelled(line)[1] != line)


def lead_in_name(line: str) -> str:
    """The name a lead-in line gives the formula under it ("The sigmoid function:" -> "Sigmoid function"),
    or ""."""
    flat = " ".join(line.split())
    if not flat.endswith((":", "：")) or MATH.search(flat) or not 1 <= len(words(flat)) <= 6:
        return ""
    name = re.sub(r"^(?:the|a|an)\s+", "", flat.rstrip(":： "), flags=re.I)
    return name[:1].upper() + name[1:]


def specific_name(name: str) -> bool:
    """A name that says which formula it is ("Sigmoid function"), not "Short form" or "Example"."""
    return any(w.lower() not in _GENERIC_NAME and len(w) >= 3 for w in words(name))


def trusted_page(slide: Slide | None, lang: str) -> bool:
    """A text-layer page, or an OCR page the gate finds readable and read with high confidence."""
    from workers.generation.gate import page_readable

    if slide is None or not page_readable(slide, lang):
        return False
    if slide.source != "ocr":
        return True
    return slide.ocr_confidence is not None and slide.ocr_confidence >= MIN_FORMULA_OCR_CONFIDENCE
