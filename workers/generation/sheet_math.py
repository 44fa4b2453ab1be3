"""A cheat-sheet formula line as a Word equation (OMML, what Word's equation editor writes).

The line is read conservatively into LaTeX (superscripts ``^``, subscripts ``_``, Greek names and letters,
``sqrt(...)``, sums and products, relations such as <= and the Unicode ≤ ≠ ∈, fractions only between two
plain operands), then converted with ``latex2mathml`` (LaTeX -> MathML) and ``mathml2omml`` (MathML -> OMML).
The OMML is parsed back, repaired where Word needs it (a radical's empty degree, a sum's missing limits),
checked against a whitelist of elements and against the line's letters and digits, and only then used.
Anything else (an unknown character, prose, a bracket that does not close, a line too long or too deep, a
converter error, a conversion over its time budget) returns None: the caller keeps the line as plain text.
"""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAX_CHARS = 200
MAX_TOKENS = 160
MAX_DEPTH = 6
MAX_PROSE_WORDS = 2
TIME_BUDGET_S = 0.25
MATH_FONT = "Cambria Math"


class Unsupported(ValueError):
    """The line holds something this converter does not typeset with confidence."""


GREEK_CHARS = set("αβγδεζηθικλμνξπρστυφχψωΓΔΘΛΞΠΣΥΦΨΩϵϑϕ")  # latex2mathml keeps them as they are
GREEK_LETTER = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "ϕ", "varphi": "φ",
    "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ",
    "Pi": "Π", "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}  # fmt: skip
GREEK = set(GREEK_LETTER)
FUNCTIONS = {"log", "ln", "exp", "sin", "cos", "tan", "max", "min", "lim", "det", "arg", "sup", "inf"}
OPERATOR_NAMES = {"argmax", "argmin", "softmax", "sigmoid", "var", "cov", "tanh", "relu", "sgn", "tr"}
BIG_OPS = {"sum": r"\sum", "prod": r"\prod"}
SYMBOLS = {
    "≤": r"\leq", "≥": r"\geq", "≠": r"\neq", "∈": r"\in", "∉": r"\notin", "⊂": r"\subset",
    "⊆": r"\subseteq", "⊃": r"\supset", "⊇": r"\supseteq", "∪": r"\cup", "∩": r"\cap", "→": r"\to",
    "←": r"\leftarrow", "⇒": r"\Rightarrow", "⇐": r"\Leftarrow", "⇔": r"\Leftrightarrow",
    "↔": r"\leftrightarrow", "∀": r"\forall", "∃": r"\exists", "∞": r"\infty", "±": r"\pm",
    "×": r"\times", "·": r"\cdot", "⋅": r"\cdot", "÷": r"\div", "≈": r"\approx", "∝": r"\propto",
    "∂": r"\partial", "∇": r"\nabla", "¬": r"\neg", "∧": r"\wedge", "∨": r"\vee", "⊕": r"\oplus",
    "…": r"\ldots", "≡": r"\equiv", "∼": r"\sim", "∅": r"\emptyset", "−": "-", "′": "'", "|": "|",
    "‖": r"\|", "⌊": r"\lfloor", "⌋": r"\rfloor", "⌈": r"\lceil", "⌉": r"\rceil", "∣": "|",
    "<=": r"\leq", ">=": r"\geq", "!=": r"\neq", "->": r"\to", "<-": r"\leftarrow", "=>": r"\Rightarrow",
    "<=>": r"\Leftrightarrow", "<->": r"\leftrightarrow", "+-": r"\pm", "...": r"\ldots", ":=": ":=",
    "||": r"\|", "<": r"\lt", ">": r"\gt", "=": "=", "+": "+", "-": "-", ",": ",", ";": ";", ":": ":",
    "!": "!", ".": ".", "'": "'",
}  # fmt: skip
BIG_CHARS = {"∑": r"\sum", "∏": r"\prod", "∫": r"\int"}
SUPER_DIGITS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789", strict=True))
SUB_DIGITS = dict(zip("₀₁₂₃₄₅₆₇₈₉", "0123456789", strict=True))
OPEN = {"(": ")", "[": "]", "{": "}"}

_TOKEN = re.compile(
    r"(?P<space>\s+)|(?P<num>\d+(?:\.\d+)?)|(?P<word>[A-Za-z]+)"
    r"|(?P<op><=>|<->|\.\.\.|<=|>=|!=|->|<-|=>|\+-|:=|\|\|)|(?P<char>.)",
    re.S,
)


@dataclass
class Node:
    kind: str  # ident, num, word, func, greek, op, big, group, sqrt
    latex: str = ""
    shown: str = ""  # the letters and digits the reader should see
    children: list[Node] = field(default_factory=list)
    open: str = ""
    sub: list[Node] | None = None
    sup: list[Node] | None = None
    space_before: bool = False


def _tokens(text: str) -> list[tuple[str, str, bool]]:
    """(kind, text, preceded by space); raises Unsupported on a character outside the supported set."""
    out: list[tuple[str, str, bool]] = []
    spaced = False
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "char"
        tok = m.group()
        if kind == "space":
            spaced = True
            continue
        if kind == "char":
            if tok in GREEK_CHARS:
                kind = "greek"
            elif tok in SUPER_DIGITS or tok in SUB_DIGITS:
                kind = "script_digit"
            elif tok in OPEN or tok in OPEN.values() or tok in "^_/*√":
                kind = tok
            elif tok in BIG_CHARS:
                kind = "big"
            elif tok in SYMBOLS:
                kind = "op"
            else:
                raise Unsupported(f"character {tok!r}")
        out.append((kind, tok, spaced))
        spaced = False
        if len(out) > MAX_TOKENS:
            raise Unsupported("too long")
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, str, bool]]) -> None:
        self.toks = tokens
        self.pos = 0
        self.prose: set[str] = set()

    def peek(self, ahead: int = 0) -> tuple[str, str, bool] | None:
        i = self.pos + ahead
        return self.toks[i] if i < len(self.toks) else None

    def seq(self, closer: str | None, depth: int) -> list[Node]:
        if depth > MAX_DEPTH:
            raise Unsupported("nested too deep")
        out: list[Node] = []
        while (tok := self.peek()) is not None:
            kind, text, spaced = tok
            if kind in OPEN.values():
                if text != closer:
                    raise Unsupported("unbalanced brackets")
                self.pos += 1
                return _fractions(out)
            if kind in ("^", "_"):
                self.pos += 1
                self._attach(out, kind, depth)
                continue
            if kind == "script_digit":
                self.pos += 1
                if not out or out[-1].kind in ("op", "big"):
                    raise Unsupported("script with no base")
                digits = SUPER_DIGITS.get(text) or SUB_DIGITS[text]
                node = Node("num", digits, digits)
                self._set_script(out[-1], "^" if text in SUPER_DIGITS else "_", [node])
                continue
            node = self.atom(depth)
            node.space_before = spaced
            out.append(node)
        if closer is not None:
            raise Unsupported("unbalanced brackets")
        return _fractions(out)

    def atom(self, depth: int) -> Node:
        tok = self.peek()
        assert tok is not None
        kind, text, _ = tok
        self.pos += 1
        if kind in OPEN:
            return Node("group", open=text, children=self.seq(OPEN[text], depth + 1))
        if kind == "num":
            return Node("num", text, text)
        if kind == "greek":
            return Node("greek", text, text)
        if kind == "big":
            return Node("big", BIG_CHARS[text] + " ")
        if kind == "√":
            return Node("sqrt", children=self._operand(depth))
        if kind == "*":
            spaced = tok[2] and (nxt := self.peek()) is not None and nxt[2]
            return Node("op", r"\cdot " if spaced else r"\ast ")
        if kind == "/":
            return Node("op", "/", open="/")
        if kind == "op":
            return Node("op", SYMBOLS[text] + " ")
        if kind == "word":
            return self.word(text, depth)
        raise Unsupported(f"token {text!r}")

    def word(self, text: str, depth: int) -> Node:
        if text == "sqrt":
            nxt = self.peek()
            if nxt is None or nxt[0] not in ("(", "{"):
                raise Unsupported("sqrt without brackets")
            return Node("sqrt", children=self._operand(depth))
        if text in BIG_OPS:
            return Node("big", BIG_OPS[text] + " ")
        if text in GREEK:
            return Node("greek", "\\" + text + " ", GREEK_LETTER[text])
        if text in FUNCTIONS:
            return Node("func", "\\" + text + " ", text)
        if text in OPERATOR_NAMES:
            return Node("func", r"\operatorname{" + text + "}", text)
        nxt = self.peek()
        if len(text) == 1:
            node = Node("ident", text, text)
            if nxt is not None and nxt[0] == "num" and not nxt[2] and "." not in nxt[1]:
                self.pos += 1  # x1, T2: the digits are an index
                node.sub = [Node("num", nxt[1], nxt[1])]
            return node
        if text.islower():
            self.prose.add(text)
            if len(self.prose) > MAX_PROSE_WORDS:
                raise Unsupported("prose")
        return Node("word", r"\mathrm{" + text + "}", text)

    def _operand(self, depth: int) -> list[Node]:
        """What a script or root applies to: a bracketed group (brackets dropped) or one atom."""
        tok = self.peek()
        if tok is None or tok[2]:
            raise Unsupported("missing operand")
        kind, text, _ = tok
        if kind in ("(", "{"):
            self.pos += 1
            inner = self.seq(OPEN[kind], depth + 1)
            if not inner:
                raise Unsupported("empty operand")
            return inner
        if kind == "op" and text in ("-", "−", "+"):
            self.pos += 1
            return [Node("op", "-" if text != "+" else "+"), *self._operand(depth)]
        if kind == "*":
            self.pos += 1
            return [Node("op", r"\ast ")]
        if kind in ("num", "word", "greek"):
            node = self.atom(depth)
            if node.kind in ("sqrt", "big"):
                raise Unsupported("operator as operand")
            return [node]
        raise Unsupported("unsupported operand")

    def _attach(self, out: list[Node], which: str, depth: int) -> None:
        if not out or out[-1].kind == "op":
            raise Unsupported("script with no base")
        self._set_script(out[-1], which, self._operand(depth))

    @staticmethod
    def _set_script(base: Node, which: str, nodes: list[Node]) -> None:
        if base.kind == "word":
            raise Unsupported("script on a word")  # mc^2: m c^2 or (mc)^2? not ours to guess
        if which == "^":
            if base.sup is not None:
                raise Unsupported("double superscript")
            base.sup = nodes
        else:
            if base.sub is not None:
                raise Unsupported("double subscript")
            base.sub = nodes


def _operand_unit(seq: list[Node], i: int, step: int) -> tuple[int, int] | None:
    """The index span [a, b) of a fraction's operand ending (step -1) or starting (step 1) at ``i``."""
    if not 0 <= i < len(seq) or seq[i].kind in ("op", "big"):
        return None
    if step < 0:
        a = i
        group = seq[i].kind == "group" and seq[i].open == "(" and i > 0 and not seq[i].space_before
        if group and seq[i - 1].kind in ("ident", "word", "func", "greek") and seq[i - 1].sup is None:
            a = i - 1  # f(x) / ...
        return a, i + 1
    b = i + 1
    if seq[i].kind in ("ident", "word", "func", "greek") and b < len(seq):
        nxt = seq[b]
        if nxt.kind == "group" and nxt.open == "(" and not nxt.space_before:
            b += 1
    return i, b


def _fractions(seq: list[Node]) -> list[Node]:
    """a/b -> \\frac{a}{b} where both sides are one plain operand and no other slash is next to them."""
    slashes = [i for i, n in enumerate(seq) if n.kind == "op" and n.open == "/"]
    if not slashes:
        return seq
    out = list(seq)
    for i in reversed(slashes):
        left = _operand_unit(out, i - 1, -1)
        right = _operand_unit(out, i + 1, 1)
        if left is None or right is None:
            continue
        a, b = left[0], right[1]
        before = out[a - 1] if a > 0 else None
        after = out[b] if b < len(out) else None
        if any(n is not None and n.kind == "op" and n.open == "/" for n in (before, after)):
            continue  # a/b/c: which way it groups is not ours to guess
        num, den = out[a:i], out[i + 1 : b]
        frac = Node("frac", children=[_unwrap(num), _unwrap(den)])
        frac.space_before = out[a].space_before
        out[a:b] = [frac]
    return out


def _unwrap(part: list[Node]) -> Node:
    """A fraction's side as a group node; a lone parenthesised group loses its brackets."""
    lone = len(part) == 1 and part[0].kind == "group" and part[0].open == "("
    if lone and part[0].sub is None and part[0].sup is None:
        return Node("group", open="", children=part[0].children)
    return Node("group", open="", children=part)


def _latex(seq: list[Node]) -> str:
    parts: list[str] = []
    prev: Node | None = None
    for node in seq:
        if (
            prev is not None
            and node.space_before
            and {prev.kind, node.kind} & {"word", "func"}
            and prev.kind != "op"
            and node.kind != "op"
        ):
            parts.append(r"\; ")
        parts.append(_node_latex(node))
        prev = node
    return "".join(parts)


def _node_latex(node: Node) -> str:
    if node.kind == "group":
        inner = _latex(node.children)
        if node.open == "{":
            body = r"\{ " + inner + r" \} "
        elif node.open:
            body = node.open + inner + OPEN[node.open]
        else:
            body = "{" + inner + "}"
    elif node.kind == "sqrt":
        body = r"\sqrt{" + _latex(node.children) + "}"
    elif node.kind == "frac":
        num, den = node.children
        body = r"\frac{" + _latex(num.children) + "}{" + _latex(den.children) + "}"
    else:
        body = node.latex
    if node.kind == "group" and node.open and (node.sub or node.sup):
        body = "{" + body + "}"
    if node.sub is not None:
        body += "_{" + _latex(node.sub) + "}"
    if node.sup is not None:
        body += "^{" + _latex(node.sup) + "}"
    return body


def _shown(seq: list[Node]) -> str:
    out: list[str] = []
    for node in seq:
        out.append(node.shown)
        for part in (node.children, node.sub or [], node.sup or []):
            if part and isinstance(part[0], Node):
                out.append(_shown(part))
    return "".join(out)


def to_latex(text: str) -> tuple[str, str]:
    """(LaTeX, the letters and digits a reader must see); raises Unsupported."""
    if len(text) > MAX_CHARS * 2:
        raise Unsupported("too long")
    # PDF text gives math italics as Mathematical Alphanumeric Symbols (U+1D400..): plain letters here
    text = "".join(unicodedata.normalize("NFKC", ch) if 0x1D400 <= ord(ch) <= 0x1D7FF else ch for ch in text)
    flat = " ".join(text.split())
    if not flat or len(flat) > MAX_CHARS:
        raise Unsupported("empty or too long")
    if "\\" in flat or "$" in flat:
        raise Unsupported("raw TeX")
    parser = _Parser(_tokens(flat))
    seq = parser.seq(None, 0)
    if not any(n.kind != "op" for n in seq):
        raise Unsupported("no operands")
    if flat[-1] in "=:,;<>+*/^_" or flat[0] in "=:,;<>*/^_":
        raise Unsupported("a side is missing")  # "Vv we =", "We have S = 1:": a lead-in or debris
    return _latex(seq), "".join(ch for ch in _shown(seq) if ch.isalnum())


# --- OMML -------------------------------------------------------------------------------------------------
ALLOWED = {
    "oMath", "r", "rPr", "sty", "t", "box", "e", "sSup", "sSub", "sSubSup", "sub", "sup", "f", "num", "den",
    "rad", "radPr", "deg", "degHide", "nary", "naryPr", "chr", "limLoc", "subHide", "supHide", "d", "dPr",
    "begChr", "endChr", "sepChr", "func", "fName", "limLow", "limUpp", "lim", "acc", "accPr", "bar", "barPr",
    "pos", "fPr", "type", "nor", "scr",
}  # fmt: skip


def _m(tag: str) -> str:
    return f"{{{M_NS}}}{tag}"


# LibreOffice's equation import reads a lone "|" as "or" (a wedge) and a lone "*" as an error mark: the proper
# mathematical characters look the same in Word and survive the import.
RUN_TEXT = {"|": "∣", "*": "∗"}


def _merge_upright(root: Any) -> None:
    """mathml2omml writes an upright name (PR, Var) one letter a run; LibreOffice spaces such runs apart."""
    for run in list(root.iter(_m("r"))):
        nxt = run.getnext()
        t = run.find(_m("t"))
        while (
            nxt is not None
            and nxt.tag == _m("r")
            and _style(run) == _style(nxt) == "p"
            and t is not None
            and (t.text or "").isalnum()
            and (nt := nxt.find(_m("t"))) is not None
            and (nt.text or "").isalnum()
        ):
            t.text = (t.text or "") + (nt.text or "")
            run.getparent().remove(nxt)
            nxt = run.getnext()


def _style(run: Any) -> str | None:
    sty = run.find(_m("rPr") + "/" + _m("sty"))
    return None if sty is None else sty.get(_m("val"))


def _repair(root: Any, size_pt: float) -> None:
    """What Word needs and mathml2omml leaves out, plus the sheet's font size on every math run."""
    from lxml import etree

    _merge_upright(root)

    for rad in root.iter(_m("rad")):
        if rad.find(_m("deg")) is None:
            pr = etree.Element(_m("radPr"))
            etree.SubElement(pr, _m("degHide")).set(_m("val"), "1")
            rad.insert(0, pr)
            rad.insert(1, etree.Element(_m("deg")))
    for nary in root.iter(_m("nary")):
        pr = nary.find(_m("naryPr"))
        if pr is None:
            pr = etree.Element(_m("naryPr"))
            nary.insert(0, pr)
        for slot, hide in (("sub", "subHide"), ("sup", "supHide")):
            part = nary.find(_m(slot))
            if part is not None and len(part) == 0 and pr.find(_m(hide)) is None:
                etree.SubElement(pr, _m(hide)).set(_m("val"), "1")
    for run in root.iter(_m("r")):
        t = run.find(_m("t"))
        if t is None:
            raise Unsupported("math run without text")
        if not t.text:
            t.text = " "  # \; comes out as an empty run: a space between words
        t.text = "".join(RUN_TEXT.get(ch, ch) for ch in t.text)
        if t.text != t.text.strip():
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        wrpr = etree.Element(f"{{{W_NS}}}rPr")
        fonts = etree.SubElement(wrpr, f"{{{W_NS}}}rFonts")
        for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
            fonts.set(f"{{{W_NS}}}{attr}", MATH_FONT)
        etree.SubElement(wrpr, f"{{{W_NS}}}sz").set(f"{{{W_NS}}}val", str(round(size_pt * 2)))
        t.addprevious(wrpr)


def _check(root: Any, shown: str) -> None:
    if root.tag != _m("oMath"):
        raise Unsupported("not an equation")
    for el in root.iter():
        if not isinstance(el.tag, str):
            raise Unsupported("comment or instruction in the equation")
        ns, _, local = el.tag[1:].partition("}")
        if ns == W_NS and local in ("rPr", "rFonts", "sz"):
            continue
        if ns != M_NS or local not in ALLOWED:
            raise Unsupported(f"element {el.tag}")
    seen = "".join(t.text or "" for t in root.iter(_m("t")))
    if Counter(ch for ch in seen if ch.isalnum()) != Counter(shown):
        raise Unsupported("the equation would change the formula's letters")


def formula_omml(text: str, *, size_pt: float = 9) -> Any | None:
    """The formula as an ``m:oMath`` lxml element, or None when it should stay plain text."""
    # imported before the clock starts: a worker's first formula must not pay the imports against its budget
    import latex2mathml.converter
    import mathml2omml
    from lxml import etree

    started = time.monotonic()
    try:
        latex, shown = to_latex(text)
        mathml = latex2mathml.converter.convert(latex)
        omml = mathml2omml.convert(mathml)
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        wrapper = etree.fromstring(f'<w xmlns:m="{M_NS}">{omml}</w>'.encode(), parser)
        if len(wrapper) != 1:
            raise Unsupported("not one equation")
        root = wrapper[0]
        _repair(root, size_pt)
        _check(root, shown)
        if time.monotonic() - started > TIME_BUDGET_S:
            raise Unsupported("over the time budget")
        return root
    except Exception as exc:  # any failure keeps the line as text: a formula is never lost
        log.debug("formula kept as text (%s): %.80s", exc, text)
        return None
