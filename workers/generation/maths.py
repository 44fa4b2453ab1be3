"""Whether a line parses as mathematics: a small tokenizer and an operand/operator grammar, so that a formula
read by OCR from a picture of maths ("Lsff) =+ Ye V(F(x),y") or a line of prose with an "=" in it is not
shown to a student as a formula.

The grammar is deliberately loose about what an operand is (a number, a symbol with sub- or superscripts,
a function applied to brackets, a word of the language) and strict about structure: brackets close in
order and are never empty, a binary operator has an operand on each side, at most one operator follows
another (a sign), and most operands are symbols rather than words.
"""

from __future__ import annotations

import re
import unicodedata

from shared.text.plausibility import word_known

_FUNCTION_NAMES = """log ln exp sin cos tan sinh cosh tanh max min sup inf sum prod det tr arg argmax argmin
    lim var cov mod gcd lcm sgn sign dim rank ker diag softmax relu sigmoid pr Pr E P"""
FUNCTIONS = frozenset(_FUNCTION_NAMES.split())
_RELATIONS = set("=≈≃≅≡≤≥≠<>∝→⇒⇔↦∈∉⊂⊆⊃⊇∼~")
_BINARY = set("+-−*/×·÷^∪∩∧∨⊕⊗∘|") | _RELATIONS | {":", ",", ";"}
_PREFIX = set("∑∏∫∮√∂∇¬∀∃±∆Δ")
_SIGNS = set("+-−±¬")
_POSTFIX = set("!'′″²³¹⁰⁴⁵⁶⁷⁸⁹⁺⁻ᵀ†*")
_OPEN = {"(": ")", "[": "]", "{": "}", "⟨": "⟩", "⌊": "⌋", "⌈": "⌉"}
_CLOSE = {v: k for k, v in _OPEN.items()}
_TOKEN = re.compile(
    r"\s*(?:"
    r"(?P<num>\d+(?:[.,]\d+)?)"
    r"|(?P<word>[^\W\d_](?:[^\W_]|[\u0300-\u036f])*(?:_\{[^{}]*\}|_\w+|\^\{[^{}]*\}|\^\w+)*)"
    r"|(?P<op>[∑∏∫⋃⋂](?:_\{[^{}]*\}|_\w+)?(?:\^\{[^{}]*\}|\^\w+)?|==|<=|>=|!=|->|=>|:=|\.\.\.|…|[^\w\s])"
    r")"
)


def _is_word(token: str) -> bool:
    """A run of 3+ letters that is not a function's name: a word, not a symbol."""
    base = re.split(r"[_^]", token, maxsplit=1)[0].rstrip("0123456789")
    if base.isupper() and len(base) <= 5:
        return False  # SNR, MSE: an abbreviation used as a symbol
    letters = [ch for ch in base if ch.isalpha()]
    if len(letters) < 3 or base in FUNCTIONS or base.lower() in FUNCTIONS:
        return False
    return not any(0x1D400 <= ord(ch) <= 0x1D7FF for ch in base)  # maths italic runs are symbols


def tokens(text: str) -> list[tuple[str, str]] | None:
    """(kind, text) tokens of a formula, or None when some character fits no token."""
    flat = unicodedata.normalize("NFC", " ".join(text.split()))
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(flat):
        m = _TOKEN.match(flat, pos)
        if not m or m.end() == pos:
            return None
        pos = m.end()
        kind = m.lastgroup or "op"
        out.append((kind, m.group(kind)))
    return out


def parses_as_maths(text: str) -> bool:
    """Whether ``text`` is a well-formed formula (see the module's docstring)."""
    toks = tokens(text)
    if not toks:
        return False
    stack: list[str] = []
    expect_operand = True  # at the start, after an operator or an opening bracket
    ops_in_row = 0
    operands = words = operators = 0
    prev = ""
    for kind, tok in toks:
        if kind in ("num", "word"):
            operands += 1
            if kind == "word" and _is_word(tok):
                words += 1
                if not word_known(re.split(r"[_^]", tok, maxsplit=1)[0]):
                    return False  # a misread word is no symbol either
            expect_operand, ops_in_row = False, 0
        elif tok in _OPEN:
            stack.append(tok)
            expect_operand, ops_in_row = True, 0
        elif tok in _CLOSE:
            if not stack or stack.pop() != _CLOSE[tok] or prev in _OPEN or (expect_operand and prev != "…"):
                return False  # closes nothing, out of order, empty, or after a dangling operator
            expect_operand, ops_in_row = False, 0
        elif tok == "|" and (expect_operand or "|" in stack):
            if expect_operand:  # |x|: an absolute value opens
                stack.append("|")
                ops_in_row = 0
                prev = tok
                continue
            if stack[-1] != "|":
                return False
            stack.pop()
            expect_operand, ops_in_row = False, 0
        elif tok in _POSTFIX and not expect_operand:
            continue
        elif tok in ("...", "…", "."):
            if tok == "." and not expect_operand and prev in (")", "]", "}"):
                continue  # "f(x)." : the sentence's full stop
            if tok == ".":
                return False
        elif tok[0] in _PREFIX or (expect_operand and tok in _SIGNS):
            ops_in_row += 1
            if ops_in_row > 3:
                return False
            expect_operand = True
        elif tok in _BINARY or tok in ("==", "<=", ">=", "!=", "->", "=>", ":="):
            if expect_operand and prev not in ("…", "..."):
                return False  # "=+" kept as a sign above; two binary operators in a row are not
            operators += 1
            ops_in_row += 1
            expect_operand = True
        else:
            return False  # a character that is no part of mathematics (™, ¢, «, @)
        prev = tok
    if stack or (expect_operand and prev not in ("...", "…")):
        return False
    if operators == 0 and not any(t[0] in _PREFIX for _, t in toks):
        return False
    return words <= 1 and 3 * words <= operands  # symbols: not prose with an "=" in it
