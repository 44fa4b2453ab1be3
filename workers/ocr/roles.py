"""A role for every line of every page, and the knowledge units (definitions, lists) the roles reveal.

Pure functions: no model, no I/O. The inputs are a deck's pages as lines of text, each line optionally with a
``LineHint`` from the reader (the layout model's class, or the PPTX placeholder kind, and where the line sits
on the page). Roles come from, in order of strength:

1. repetition across pages with digits normalised ("Y. Cheng UVA DS5110 Spring '25 <n>" on most pages is a
   footer although the page number changes), layout/placeholder classes (header, footer, slide number, date),
   bare page numbers at a page's edge;
2. the title slide (page 1 of a deck: everything but the lecture title is course meta);
3. the page's title (outline / agenda / objectives pages, reference lists, course logistics);
4. text cues on the line itself (URL, credit, question, caption, code, formula, definition, list lead-in).

Roles in ``DROPPED`` (footer, meta, credit, url) stay in the page text for the lecture view but are never
indexed, quizzed or answered from: ``content_text`` gives the rest.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

ROLES = (
    "title",
    "heading",
    "body",
    "definition",
    "list_lead",
    "formula",
    "code",
    "table",
    "caption",
    "figure_text",
    "question",
    "agenda",
    "credit",
    "url",
    "footer",
    "meta",
)
DROPPED = frozenset({"footer", "meta", "credit", "url"})
BLANK = ""  # the role of an empty line


@dataclass(frozen=True)
class LineHint:
    """What the reader knows about a line besides its text. ``kind`` is the layout model's class (title, text,
    figure, figure_caption, table, table_caption, header, footer, reference, equation) or the PPTX shape's
    (title, subtitle, footer, table, figure, body); ``top``/``bottom`` are fractions of the page height,
    ``size`` the line's height as a fraction of the page height."""

    text: str
    kind: str = ""
    top: float | None = None
    bottom: float | None = None
    size: float | None = None


@dataclass
class PageLines:
    lines: list[str]
    hints: list[LineHint | None] = field(default_factory=list)  # aligned with lines (None: unknown)
    has_figures: bool = False


@dataclass(frozen=True)
class KnowledgeUnit:
    """A definition (term + explanation) or a list (lead-in + items), with the slide it is on."""

    kind: str  # "definition" | "list"
    page: int
    term: str
    explanation: str = ""
    items: tuple[str, ...] = ()


# --- text cues ------------------------------------------------------------------------------------
BULLET_CHARS = "•◦▪▫‣⁃●○■□►▶❖◆◇➢➤✓✔-–*·o§Ø"
_BULLET = re.compile(r"^\s*(?:[•◦▪▫‣⁃●○■□►▶❖◆◇➢➤✓✔*·§Ø]|-~?|–|o(?=\s))\s*")
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
_PAGE_NUMBER = re.compile(r"^\s*(?:(?:page|slide|p\.)\s*)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?\s*$", re.I)
_DATE = re.compile(
    r"^\s*(?:\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{1,2}\s+\w{3,9}\.?\s+\d{4}|\w{3,9}\.?\s+\d{1,2},?\s+\d{4})\s*$"
)
_URL = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|edu|net|io|gov|info|ru|de|fr|uk|cn|in|co)(?:/\S*)?\b",
    re.I,
)
_CREDIT = re.compile(
    r"^(?:(?:image|images|photo|photos|picture|figure|fig\.?|diagram|graphic|illustration|video|map|table|"
    r"chart|data|icon)s?\s*(?:source|credit|courtesy|by|from|adapted)?\s*[:：]"
    r"|sources?\s*[:：]|credits?\s*[:：]|courtesy\b|adapted\s+(?:from|with)|reproduced\s+(?:from|with)"
    r"|reprinted\s+(?:from|with)|based\s+on\s+(?:slides|material|figures?|work)|slides?\s+(?:by|from|adapted)"
    r"|fuente\s*[:：]|источник\s*[:：]|来源\s*[:：]|资料来源|图片来源|quelle\s*[:：])",
    re.I,
)
_CREDIT_ANYWHERE = re.compile(
    r"©|\(c\)\s*\d{4}|\bcopyright\b|all rights reserved|\bcc[- ]by\b|creative commons|wikimedia|"
    r"licen[cs]ed under|public domain|removed due to copyright|image removed|courtesy of|"
    r"\bpermission\b.*\b(?:reproduc|reprint)",
    re.I,
)
_BRACKET_CITATION = re.compile(r"\[[^\]]*\b(?:1[89]|20)\d{2}[a-z]?\][.;]?\s*$")
_REFERENCE_TITLE = re.compile(
    r"^(?:references?|bibliography|further\s+reading|(?:suggested|recommended|additional)\s+"
    r"(?:reading|readings|materials?|literature)|readings?|literature|sources|credits|acknowledge?ments|"
    r"дополнительные\s+материалы|литература|список\s+литературы|参考文献|参考资料|延伸阅读|"
    r"referencias|bibliografía|lecturas|références|literatur)\b",
    re.I,
)
_AGENDA_TITLE = re.compile(
    r"^(?:outline|overview|agenda|contents|table\s+of\s+contents|topics(?:\s+covered)?|today(?:'s|’s)?"
    r"(?:\s+(?:lecture|class|topics|plan|agenda))?|(?:learning\s+)?(?:objectives|outcomes|goals)|"
    r"lecture\s+(?:plan|outline|overview|goals)|roadmap|road\s+map|in\s+this\s+(?:lecture|chapter|class|talk)|"
    r"this\s+(?:lecture|week|class)|план(?:\s+\w+)?|содержание|цели|目录|提纲|本章(?:内容|要点)|学习目标|"
    r"contenido|índice|temario|objetivos|sommaire|plan\s+du\s+cours|inhalt|gliederung)\b",
    re.I,
)
_AGENDA_LINE = re.compile(
    r"^(?:next\s+(?:week|time|lecture|class|session)|coming\s+up|in\s+the\s+next\s+(?:lecture|chapter|class)|"
    r"starting\s+with\s+chapter|next\s+chapter)\b",
    re.I,
)
_LOGISTICS_TITLE = re.compile(
    r"^(?:advertencia|disclaimer|notice|aviso|предупреждение|announcements?|logistics|administrivia|reminders?|housekeeping|course\s+(?:information|info|logistics)|"
    r"administrative|admin)\b",
    re.I,
)
_QUESTION_START = re.compile(
    r"^(?:quiz|exercises?|question|problem|task|practice|check\s+your\s+understanding|try\s+it|"
    r"discussion|in-class\s+exercise|homework|упражнение|задача|вопрос|练习|思考题|问题|ejercicio|pregunta)"
    r"\s*(?:\d+[.:)]?|[:：.])",
    re.I,
)
_CAPTION = re.compile(
    r"^(?:figure|fig\.|table|tab\.|chart|exhibit|рис\.|рисунок|таблица|figura|tabla|图|表)\s*[\dIVX]+"
    r"(?:[.\-–]\d+)*\s*[:：.\-–]?",
    re.I,
)
_CODE_START = re.compile(
    r"^(?:for\s+\w+(?:,\s*\w+)*\s+in\b|while\b.*[:{]|if\b.*[:{)]\s*$|elif\b|else\s*[:{]|def\s+\w+\s*\(|"
    r"class\s+\w+.*[:{]|return\b|import\s+\w|from\s+\w+\s+import|print\s*\(|#include|"
    r"(?:int|void|float|double|char|public|private|static)\s+\w+.*[;({]|"
    r"(?:let|const|var)\s+\w+\s*=|function\s+\w*\s*\(|[\w.]+\s*<-\s*|\$\s+\w+|>>>\s)",
)
_SQL = re.compile(
    r"^(?:SELECT|FROM|WHERE|GROUP BY|ORDER BY|HAVING|JOIN|INNER JOIN|LEFT JOIN|INSERT INTO|UPDATE|"
    r"DELETE FROM|CREATE (?:TABLE|INDEX|VIEW)|DROP (?:TABLE|VIEW|INDEX)|ALTER TABLE|ADD COLUMN|AS SELECT|"
    r"VALUES|LIMIT)\b"
)
_CODE_ANYWHERE = re.compile(r"[;{}]\s*$|==|!=|\+=|:=|\w+\[\w+\]\s*=|^\s*\w+\s*=\s*\w+\(")
_DEF_SEPARATOR = re.compile(r"^(?P<term>[^:：–—]{1,60}?)\s*(?:[:：]|\s[–—-]\s|[–—])\s*(?P<expl>\S.*)$")
_DEF_VERB = re.compile(
    r"^(?P<term>(?:(?:a|an|the)\s+)?[\w()\-’'/ ]{2,50}?)\s+"
    r"(?:is|are|was|were|es|son|est|sont|ist|sind|—|это)\s+(?:just\s+|simply\s+)?"
    r"(?:(?:a|an|the|one|any|called|defined|known|used|un|una|el|la|une|le|ein|eine)\b)(?P<expl>.*)$",
    re.I,
)
_DEF_PHRASE = re.compile(
    r"\b(?:is|are)\s+(?:called|defined\s+as|known\s+as|termed)\b|\brefers?\s+to\b|\bwe\s+call\b|"
    r"\bstands\s+for\b|\bis\s+the\s+(?:process|set|study|ability|practice|measure)\s+of\b|"
    r"\bназывается\b|\bназываются\b|是指|称为|叫做|se\s+(?:llama|denomina|define)\b",
    re.I,
)
_NOT_A_TERM = re.compile(
    r"^(?:note|notes|example|examples|e\.g|i\.e|eg|ie|hint|tip|remember|recall|warning|important|answer|"
    r"solution|solutions|idea|key\s+idea|intuition|goal|goals|question|problem|in\s+addition|also|but|and|"
    r"so|then|thus|here|there|this|that|these|those|it|we|you|they|today|now|step\s*\d*|case\s*\d*|"
    r"short\s+form|matrix\s+form|result|results|summary|conclusion|why|how|what|when|where|see|"
    r"advantages?|disadvantages?|pros|cons|input|output|given|find|proof|claim|observation|motivation|"
    r"problem\s+statement|assume|suppose|let|consider)$",
    re.I,
)
_NAME_LIST = re.compile(r"^(?:[A-Z][\w.&'’-]*(?:\s[A-Z][\w.&'’-]*)?,\s*){2,}")
_END_CUE = re.compile(
    r"^(?:end\s+of\s+(?:lecture|class|chapter|part|session)|thank\s+you|thanks|the\s+end|конец|谢谢|gracias|fin)\b",
    re.I,
)
_LOGISTICS_LINE = re.compile(
    r"\b(?:problem\s+sets?|homework|gradescope|office\s+hours|final\s+exam|midterm|due\s+date|deadline|syllabus|"
    r"PS\d+|HW\s?\d+)\b",
    re.I,
)
_SECTION_NUMBER = re.compile(r"^\d+(?:\.\d+)+\.?\s+\S")
_CHAPTER_CREDIT = re.compile(
    r"^[A-Z][\w&.,'’ -]{2,60}:\s*(?:cap[ií]tulo|chapter|ch\.|глава|chapitre|kapitel)\s*\d+\s*$", re.I
)
_META_CUE = re.compile(
    r"\b(?:universit(?:y|é|ät|at)|universidad|университет|институт|institute|college|school\s+of|"
    r"department|departamento|faculty|facultad|факультет|professor|prof\.|lecturer|instructor|docente|"
    r"teaching\s+assistant|semester|spring|fall|autumn|winter|summer|осень|весна|学期|大学|学院|"
    r"edition|publisher|press|inc\.|ltd\.?|wiley|pearson|mcgraw|springer|elsevier|o'reilly)\b"
    r"|\b[A-Z]{2,6}[- ]?\d{3,5}[A-Z]?\b|\b(?:19|20)\d{2}[ab]?\b",
    re.I,
)
_MATH_CHARS = re.compile(r"[\U0001d400-\U0001d7ff∑∏∫√∞≈≠≤≥±×÷→←↔⇒⇔∈∉⊂⊆⊃∪∩∀∃∂∇∝∼≡⊗⊕α-ωΑ-Ω=+^_]")
_WORD = re.compile(r"[^\W\d_]{3,}")


def strip_bullet(line: str) -> str:
    return _BULLET.sub("", line, count=1).strip()


def edge_key(line: str) -> str:
    """The line as repetition sees it: lower case, spaces folded, every run of digits one '#'."""
    return _DIGITS.sub("#", _SPACES.sub(" ", line.strip().lower()))


def _words(text: str) -> list[str]:
    return text.split()


def is_url(line: str) -> bool:
    """The line is essentially a URL or an e-mail address (a few words around it allowed)."""
    found = _URL.findall(line)
    if not found:
        return False
    rest = _URL.sub(" ", line)
    rest_words = [w for w in rest.split() if any(ch.isalnum() for ch in w)]
    linked = sum(len(u) for u in found)
    return len(rest_words) <= 6 or linked >= 0.5 * len(line.replace(" ", ""))


def is_credit(line: str) -> bool:
    text = strip_bullet(line)
    if _CREDIT.match(text) or _CREDIT_ANYWHERE.search(text) or _CHAPTER_CREDIT.match(text):
        return True
    return bool(_BRACKET_CITATION.search(text)) and len(text.split()) <= 12


def is_formula(line: str) -> bool:
    """Mathematics rather than prose: maths symbols and few real words (symbol-font fragments included)."""
    text = strip_bullet(line)
    if not text:
        return False
    compact = text.replace(" ", "")
    if len(compact) <= 3 and not any(ch.isalnum() for ch in compact) and not compact.endswith("?"):
        return any(ch in "{}()[],+=-|∑∫" for ch in compact)
    math = len(_MATH_CHARS.findall(text))
    if not math:
        return False
    italic = sum(1 for ch in text if "\U0001d400" <= ch <= "\U0001d7ff")
    words = [
        w for w in _WORD.findall(text) if w.lower() not in {"log", "max", "min", "exp", "sin", "cos", "lim"}
    ]
    if italic and len(words) <= 2:
        return True
    if "=" in text or math >= 2:
        return len(words) <= 2 and len(compact) <= 80 and math >= 1
    return False


def is_code(line: str, previous_code: bool = False) -> bool:
    text = line.strip()
    if _SQL.match(text) or _CODE_START.match(text):
        return True
    return previous_code and bool(_CODE_ANYWHERE.search(text) or re.match(r"^\s*\w+\s*=\s*\S", text))


def is_question(line: str) -> bool:
    text = strip_bullet(line)
    if text.endswith(("?", "？")) and (len(text) == 1 or len(text.split()) >= 2 or len(text) >= 4):
        return True
    return bool(_QUESTION_START.match(text))


def split_definition(line: str) -> tuple[str, str] | None:
    """(term, explanation) when the line defines a term: "Term: ...", "Term - ...", "X is a ...",
    "... is called X". None otherwise."""
    text = strip_bullet(line)
    match = _DEF_SEPARATOR.match(text)
    if match:
        term, expl = match["term"].strip(" .,"), match["expl"].strip()
        if (
            term
            and not _NOT_A_TERM.match(term)
            and len(term.split()) <= 6
            and len(expl.split()) >= 3
            and term.count("(") == term.count(")")
            and not _NAME_LIST.match(expl)
            and not term.endswith(("?", "!"))
            and any(ch.isalpha() for ch in term)
            and not _URL.search(term)
        ):
            return term, expl
    match = _DEF_VERB.match(text)
    if match and len(match["term"].split()) <= 5 and not _NOT_A_TERM.match(match["term"].strip()):
        return match["term"].strip(), text[len(match["term"]) :].strip()
    if _DEF_PHRASE.search(text) and len(text.split()) >= 3:
        return "", text
    return None


def looks_meta(line: str) -> bool:
    """Title-slide words: a course code, institution, term or year, or a short line of names (every longer
    word capitalised: "Mihai Surdeanu and Marco A. Valenzuela-Escárcega", "Docente Ocasional")."""
    text = strip_bullet(line)
    if _META_CUE.search(text) or _DATE.match(text):
        return True
    tokens = [t for t in re.split(r"[\s,;]+", text) if t]
    if not tokens or len(tokens) > 7 or text.endswith((".", "?", ":")):
        return False
    return all(not t[0].isalpha() or t[0].isupper() or len(t) <= 3 for t in tokens)


def is_list_lead(line: str) -> bool:
    text = strip_bullet(line).rstrip()
    return text.endswith((":", "：")) and 1 <= len(text.split()) <= 20


def _is_continuation(line: str, previous: str) -> bool:
    """A wrapped line: the previous line did not end a sentence and this one starts in lower case."""
    text, prev = line.strip(), previous.strip()
    if not text or not prev or (_BULLET.match(line) and strip_bullet(line) != text):
        return False
    if prev.endswith((".", "!", "?", ":", "。", "？", "：")):
        return False
    first = text[0]
    return first.islower() or (first == "(" and len(text) > 3)


# --- the deck-level pass --------------------------------------------------------------------------
EDGE_SHARE = 0.15  # top or bottom share of the page where running headers and footers sit
EDGE_LINES = 3  # without positions, the first and last lines of a page count as its edges
REPEAT_SHARE = 0.3  # a line at the edge of this share of pages (and at least 3) is a running header/footer
TITLE_SLIDE_MAX_LINES = 14
TITLE_SLIDE_MAX_WORDS = 80


def _edge_positions(page: PageLines, *, by_position: bool = True) -> set[int]:
    """The page's first and last lines; with ``by_position``, lines whose known position is in the top or
    bottom band instead (a line with a known position away from the bands is no edge)."""
    nonblank = [i for i, line in enumerate(page.lines) if line.strip()]
    edges = set(nonblank[:EDGE_LINES] + nonblank[-EDGE_LINES:])
    if not by_position:
        return edges
    for i in nonblank:
        hint = page.hints[i] if i < len(page.hints) else None
        if hint is None or hint.top is None:
            continue
        bottom = hint.bottom if hint.bottom is not None else hint.top
        if hint.top <= EDGE_SHARE or bottom >= 1 - EDGE_SHARE:
            edges.add(i)
        elif i in edges:
            edges.discard(i)  # a known position away from the edges
    return edges


def _big(hint: LineHint | None, median: float | None) -> bool:
    return bool(hint and hint.size and median and hint.size >= 1.3 * median)


def repeated_keys(pages: Sequence[PageLines]) -> set[str]:
    """Running headers and footers: lines in the top or bottom band found, digits normalised, on
    REPEAT_SHARE of the pages (at least 3), and lines among a page's first or last ones found exactly so
    (keys of the second kind start with "="). See ``_running`` for what may change from page to page."""
    counts: Counter[str] = Counter()
    variants: dict[str, set[str]] = {}
    for page in pages:
        edge_lines = {page.lines[i].strip() for i in _edge_positions(page)}
        keys = {edge_key(line) for line in edge_lines}
        keys |= {"=" + _norm(page.lines[i]) for i in _edge_positions(page, by_position=False)}
        counts.update(k for k in keys if k and k not in ("#", "=", "=#"))
        for line in edge_lines:
            variants.setdefault(edge_key(line), set()).add(line)
    threshold = max(3, int(len(pages) * REPEAT_SHARE + 0.999))
    return {
        key
        for key, n in counts.items()
        if n >= threshold and (key.startswith("=") or _running(variants.get(key, set())))
    }


_END_NUMBERS = re.compile(r"^[\d\s./:-]+|[\d\s./:-]+$")


def _running(lines: set[str]) -> bool:
    """The same line on every page but for a page number or date at its start or end ("Y. Cheng UVA DS5110
    Spring '25 7"), or a line of mostly digits ("10/25/2022 14", "Page 3 of 20"). "Point 1 about cells",
    "Point 2 about cells" are content, numbered."""
    if len(lines) <= 1:
        return True
    if len({_END_NUMBERS.sub("", line) for line in lines}) == 1:
        return True
    sample = next(iter(lines)).lower()
    letters = sum(ch.isalpha() for ch in sample)
    return "page" in sample or "slide" in sample or letters < 0.5 * len(sample.replace(" ", ""))


def _is_repeated(key: str, repeated: set[str]) -> bool:
    """Repeated as it is, or as the start of a repeated line (OCR splits "Course name  date  7" in pieces)."""
    if key in repeated:
        return True
    return len(key) >= 15 and any(r.startswith(key) or (len(r) >= 15 and key.startswith(r)) for r in repeated)


def classify_deck(pages: Sequence[PageLines]) -> list[list[str]]:
    """Roles for every line of every page (``BLANK`` for empty lines), in the pages' order."""
    repeated = repeated_keys(pages) if len(pages) >= 3 else set()
    out = []
    for index, page in enumerate(pages):
        out.append(classify_page(page, first=index == 0, deck_pages=len(pages), repeated=repeated))
    _echo_agenda(pages, out)
    return out


def _agenda_key(line: str) -> str:
    return _norm(strip_bullet(line)).rstrip(".:")


def _echo_agenda(pages: Sequence[PageLines], roles: list[list[str]]) -> None:
    """Outline items said again elsewhere are agenda too: a "Take away" slide repeating the outline, and a
    section's opening slide (its title is an outline item) listing the section's topics."""
    items = {
        _agenda_key(line)
        for page, page_roles in zip(pages, roles, strict=True)
        for line, role in zip(page.lines, page_roles, strict=False)
        if role == "agenda" and len(_agenda_key(line)) >= 4
    }
    if not items:
        return
    for page, page_roles in zip(pages, roles, strict=True):
        body = [i for i, role in enumerate(page_roles) if role == "body"]
        titles = [i for i, role in enumerate(page_roles) if role == "title"]
        echoed = [i for i in body if _agenda_key(page.lines[i]) in items]
        opener = bool(titles) and _agenda_key(" ".join(page.lines[i] for i in titles)) in items
        short = all(
            len(page.lines[i].split()) <= 8 and not page.lines[i].rstrip().endswith(".") for i in body
        )
        if opener and short and len(body) >= 2:
            echoed = body
        if len(echoed) >= 2:
            for i in echoed:
                page_roles[i] = "agenda"


def _hint(page: PageLines, i: int) -> LineHint | None:
    return page.hints[i] if i < len(page.hints) else None


def classify_page(
    page: PageLines, *, first: bool = False, deck_pages: int = 1, repeated: set[str] | None = None
) -> list[str]:
    lines = page.lines
    roles = [BLANK] * len(lines)
    repeated = repeated or set()
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    edges = _edge_positions(page)
    loose_edges = _edge_positions(page, by_position=False)
    sizes = [h.size for h in (_hint(page, i) for i in nonblank) if h is not None and h.size]
    median = statistics.median(sizes) if sizes else None

    # 1. running headers/footers, page numbers, placeholders
    for i in nonblank:
        hint, text = _hint(page, i), lines[i].strip()
        kind = hint.kind if hint else ""
        if kind in ("title", "subtitle") and not _PAGE_NUMBER.match(text):
            continue
        small = not hint or not hint.size or not median or hint.size <= 1.1 * median
        if kind in ("header", "footer") and len(text) <= 80 and small:
            roles[i] = "footer"  # the layout model also calls big slide titles "header": size decides
        elif (
            ("=" + _norm(text) in repeated and i in loose_edges and not _big(hint, median))
            or (i in (nonblank[0], nonblank[-1]) and _PAGE_NUMBER.match(text))
            or (
                i in edges
                and (
                    (_is_repeated(edge_key(text), repeated) and not _big(hint, median))
                    or _PAGE_NUMBER.match(text)
                    or _DATE.match(text)
                )
            )
        ):
            roles[i] = "footer"
    content = [i for i in nonblank if not roles[i]]

    # 2. the title line(s)
    title_slide = (
        first
        and deck_pages >= 3
        and len(content) <= TITLE_SLIDE_MAX_LINES
        and sum(len(lines[i].split()) for i in content) <= TITLE_SLIDE_MAX_WORDS
    )
    titles = _title_slide_title(page, content) if title_slide else _title_lines(page, content, median)
    for i in titles:
        roles[i] = "title"
    title_text = " ".join(lines[i].strip() for i in titles)

    # 3. the title slide: names, institutions, course codes and terms beside the title are course meta
    if title_slide:
        for i in content:
            if i in titles:
                continue
            if is_url(lines[i]):
                roles[i] = "url"
            elif is_credit(lines[i]):
                roles[i] = "credit"
            elif looks_meta(lines[i]):
                roles[i] = "meta"

    # 4. page kinds named by the title
    page_kind = ""
    end_page = False
    if _REFERENCE_TITLE.match(title_text):
        page_kind = "credit"
    elif _AGENDA_TITLE.match(title_text):
        page_kind = "agenda"
    elif _LOGISTICS_TITLE.match(title_text):
        page_kind = "meta"
    elif _END_CUE.match(title_text) or (titles and _END_CUE.match(lines[titles[0]].strip())):
        page_kind, end_page = "meta", True  # "End of Lecture 4" and the course name under it
    elif sum(
        bool(_SECTION_NUMBER.match(strip_bullet(lines[i]))) for i in content if i not in titles
    ) >= 3 and all(_SECTION_NUMBER.match(strip_bullet(lines[i])) for i in content if i not in titles):
        page_kind = "agenda"  # the contents of a section: "4.9.1. ...", "4.9.2. ..."
        titles = []
    if page_kind in ("agenda", "credit") or end_page:
        for i in titles:
            roles[i] = page_kind  # an outline's or reading list's title line is part of it
    if len(content) == 1 and titles == content and not page.has_figures and not first:
        roles[content[0]] = "heading"  # a section divider

    # 5. line by line
    previous = ""
    previous_role = ""
    agenda_run = False  # the lines under "Next week:" / "Coming up:"
    for i in content:
        if roles[i]:
            previous, previous_role = lines[i], roles[i]
            continue
        text = lines[i].strip()
        hint = _hint(page, i)
        role = _line_role(text, hint, previous, previous_role, page_kind)
        if _AGENDA_LINE.match(strip_bullet(text)):
            agenda_run = text.endswith((":", "："))
        elif agenda_run and is_list_lead(text):
            agenda_run = False
        elif agenda_run and role in ("body", "meta"):
            role = "agenda"
        roles[i] = role
        previous, previous_role = lines[i], role

    # 6. list lead-ins (decided by what follows) and headings over definitions
    for n, i in enumerate(content):
        following = [roles[j] for j in content[n + 1 : n + 3]]
        if roles[i] in ("body", "definition") and is_list_lead(lines[i]) and following:
            items = content[n + 1 : n + 3]
            if (
                len(following) == 2
                and all(r in ("body", "definition", "question") for r in following)
                and not is_list_lead(lines[items[0]])
                and not is_formula(lines[items[0]])
            ):
                if not (roles[i] == "definition" and re.search(r"\s[—–]\s", lines[i])):
                    roles[i] = "list_lead"  # "Four necessary conditions:" over two or more items
            elif roles[i] == "definition" and not re.search(r"\s[—–]\s", lines[i]):
                roles[i] = "body"
        elif (
            roles[i] == "body"
            and following
            and following[0] == "definition"
            and len(strip_bullet(lines[i]).split()) <= 4
            and not lines[i].rstrip().endswith((".", ",", ";"))
            and split_definition(lines[i]) is None
        ):
            roles[i] = "heading"
    _term_pairs_and_leads(lines, roles, content)
    return roles


def _short_term(line: str) -> bool:
    text = strip_bullet(line).rstrip(":：")
    return (
        0 < len(text.split()) <= 4
        and text[:1].isupper()
        and not text.endswith((".", ",", ";", "?", "!"))
        and not any(ch.isdigit() for ch in text)
    )


def _term_pairs_and_leads(lines: list[str], roles: list[str], content: list[int]) -> None:
    """A term alone on its line with its explanation on the next (twice or more on a page): heading +
    definition. A short line over two or more plain lines ("Advantages" + items): a list lead-in."""
    body = [i for i in content if roles[i] in ("body", "definition", "list_lead")]
    pairs = [
        (a, b)
        for a, b in itertools.pairwise(body)
        if b == _next(content, a)
        and roles[a] == "body"
        and _short_term(lines[a])
        and not _short_term(lines[b])
        and len(lines[b].split()) >= 6
        and roles[b] in ("body", "definition")
    ]
    chained = len(pairs) >= 2 and all(
        _next(content, b) == a2 for (_a, b), (a2, _b) in itertools.pairwise(pairs)
    )
    if chained:
        for a, b in pairs:
            roles[a], roles[b] = "heading", "definition"
        return
    for n, i in enumerate(content):
        if (
            roles[i] != "body"
            or not _short_term(lines[i])
            or len(strip_bullet(lines[i]).split()) > 1
            or n == 0
        ):
            continue
        following = content[n + 1 : n + 3]
        if (
            len(following) == 2
            and all(roles[j] == "body" for j in following)
            and len(lines[following[0]].split()) >= 3
        ):
            roles[i] = "list_lead"  # "Advantages" over its items


def _next(content: list[int], i: int) -> int | None:
    k = content.index(i)
    return content[k + 1] if k + 1 < len(content) else None


def _title_slide_title(page: PageLines, content: list[int]) -> list[int]:
    """The lecture title on a title slide: its title-class lines, else the biggest line that is not a course
    code, an institution or a date (the first of equals), with its wrapped continuation."""
    lines = page.lines
    marked = [i for i in content if (h := _hint(page, i)) is not None and h.kind == "title"]
    if marked:
        return marked[:3]
    candidates = [
        i
        for i in content
        if not _META_CUE.search(lines[i])
        and not is_url(lines[i])
        and not is_credit(lines[i])
        and sum(ch.isalpha() for ch in lines[i]) >= 3
    ]
    if not candidates:
        return []

    def size(i: int) -> float:
        hint = _hint(page, i)
        return hint.size or 0.0 if hint is not None else 0.0

    best = max(candidates, key=lambda i: (size(i), -i))
    run = [best]
    for i in content[content.index(best) + 1 : content.index(best) + 3]:
        if _is_continuation(lines[i], lines[run[-1]]):
            run.append(i)
        else:
            break
    return run


def _title_lines(page: PageLines, content: list[int], median: float | None) -> list[int]:
    """The page's title: its title-class lines near the top; else its first line when it reads like one."""
    lines = page.lines
    marked = [
        i
        for i in content
        if (h := _hint(page, i)) is not None
        and h.kind == "title"
        and (h.top is None or h.top <= 0.4)
        and not is_url(lines[i])
        and strip_bullet(lines[i]) == lines[i].strip()
    ]
    if marked:
        first = marked[0]
        run = [first]
        for i in marked[1:]:
            if i == run[-1] + 1 or all(not lines[j].strip() for j in range(run[-1] + 1, i)):
                run.append(i)
        return run[:3]
    if not content:
        return []
    top = content[0]
    hint = _hint(page, top)
    text = lines[top].strip()
    if hint is not None and hint.kind in ("figure", "table", "figure_caption", "table_caption"):
        return []
    if (
        len(text.split()) > 14
        or (_BULLET.match(text) and strip_bullet(text) != text)
        or text.endswith((".", ",", ";"))
        or is_url(text)
        or is_formula(text)
        or sum(ch.isalpha() for ch in text) < 2
    ):
        return []
    run = [top]
    for i in content[1:3]:
        h = _hint(page, i)
        if _is_continuation(lines[i], lines[run[-1]]) and (h is None or hint is None or h.kind == hint.kind):
            run.append(i)
        else:
            break
    return run


def _line_role(text: str, hint: LineHint | None, previous: str, previous_role: str, page_kind: str) -> str:
    kind = hint.kind if hint else ""
    if is_url(text):
        return "url"
    if is_credit(text):
        return "credit"
    if page_kind == "credit":
        return "credit"
    if previous_role in ("url",) and " " not in text and len(text) < 40 and re.search(r"[/_.]\w", text):
        return "url"  # a wrapped URL
    if _AGENDA_LINE.match(strip_bullet(text)):
        return "agenda"
    if page_kind in ("agenda", "meta"):
        return page_kind
    if _LOGISTICS_LINE.search(text) and len(text.split()) <= 25 and not text.rstrip().endswith("?"):
        return "meta"  # course logistics: problem sets, exams, office hours
    if kind in ("figure_caption", "table_caption") or _CAPTION.match(strip_bullet(text)):
        return "caption"
    if (
        previous_role in ("definition", "question", "credit", "caption", "list_lead")
        and text[:1].islower()
        and _is_continuation(text, previous)
    ):
        return "definition" if previous_role == "list_lead" else previous_role
    if is_question(text):
        return "question"
    if kind == "table" or text.count("|") >= 2 or _numeric_row(text):
        return "table"
    if is_code(text, previous_role == "code"):
        return "code"
    if is_formula(text) or (
        kind == "equation" and (_MATH_CHARS.search(text) or len(_WORD.findall(text)) <= 2)
    ):
        return "formula"
    if kind == "figure" and strip_bullet(text) == text and not is_list_lead(text) and len(text.split()) <= 10:
        return "figure_text"  # labels in a diagram; bullets and sentences the model boxed stay prose
    if split_definition(text) is not None:
        return "definition"
    if previous_role == "definition" and _is_continuation(text, previous):
        return "definition"
    return "body"


def _numeric_row(text: str) -> bool:
    tokens = text.split()
    return len(tokens) >= 4 and all(re.fullmatch(r"[-+]?[\d.,%]+", t) for t in tokens)


# --- using roles ----------------------------------------------------------------------------------
def content_text(text: str, roles: Sequence[str] | None) -> str:
    """The page's text without footer, meta, credit and URL lines. Unchanged when the roles are missing or
    do not line up with the text (pages stored before roles existed)."""
    lines = text.split("\n")
    if not roles or len(roles) != len(lines):
        return text
    return "\n".join(line for line, role in zip(lines, roles, strict=True) if role not in DROPPED).strip()


def without_boilerplate(text: str) -> str:
    """Text with no line of its own role (a figure's caption or the words inside it): the lines that are a
    URL, an e-mail address or a credit go, as they go from a page's content. Deck-level roles (footers,
    meta) need the deck; these two are judged from the line alone."""
    return "\n".join(line for line in text.split("\n") if not (is_url(line) or is_credit(line)))


def page_title(text: str, roles: Sequence[str] | None, fallback: str) -> str:
    """The page's title from its roles: the title lines, else the fallback when it is not boilerplate."""
    lines = text.split("\n")
    if not roles or len(roles) != len(lines):
        return fallback
    titled = [line.strip() for line, role in zip(lines, roles, strict=True) if role == "title"]
    if titled:
        return " ".join(titled)[:300]
    dropped = [
        line.strip() for line, role in zip(lines, roles, strict=True) if role in DROPPED and line.strip()
    ]
    if any(line in fallback or fallback.strip() in line for line in dropped):
        kept = [
            strip_bullet(line)
            for line, role in zip(lines, roles, strict=True)
            if role and role not in DROPPED
        ]
        return kept[0][:300] if kept else ""
    return fallback


def knowledge_units(lines: Sequence[str], roles: Sequence[str], *, page: int) -> list[KnowledgeUnit]:
    """Definitions (term + explanation) and lists (lead-in + items) of one page, from its roled lines.
    A definition's wrapped lines join it; a heading just above an untermed definition gives the term."""
    units: list[KnowledgeUnit] = []
    pairs = [(strip_bullet(line), role) for line, role in zip(lines, roles, strict=False) if line.strip()]
    n = 0
    while n < len(pairs):
        text, role = pairs[n]
        if role == "definition":
            parts = [text]
            while (
                n + 1 < len(pairs)
                and pairs[n + 1][1] == "definition"
                and _is_continuation(pairs[n + 1][0], parts[-1])
            ):
                n += 1
                parts.append(pairs[n][0])
            joined = " ".join(parts)
            split = split_definition(joined)
            term, expl = split if split else ("", joined)
            if not term and n - len(parts) >= 0 and pairs[n - len(parts)][1] == "heading":
                term = pairs[n - len(parts)][0].rstrip(":：")
            units.append(KnowledgeUnit("definition", page, term, expl))
        elif role == "list_lead":
            items: list[str] = []
            while n + 1 < len(pairs) and pairs[n + 1][1] in ("body", "definition", "question", "agenda"):
                n += 1
                item = pairs[n][0]
                if items and _is_continuation(item, items[-1]):
                    items[-1] = f"{items[-1]} {item}"
                else:
                    items.append(item)
            if items:
                units.append(KnowledgeUnit("list", page, text.rstrip(":：").strip(), items=tuple(items)))
        n += 1
    return units


# --- lining reader hints up with the final text ---------------------------------------------------
def _norm(text: str) -> str:
    return _SPACES.sub(" ", text).strip().lower()


def align_hints(lines: Sequence[str], hints: Sequence[LineHint]) -> list[LineHint | None]:
    """For each text line, the reader's hint for it: the hint with the same words (the nearest unused one
    after the last match), else the next hint that starts alike or nearly matches (clean-up may have merged
    or changed lines)."""
    out: list[LineHint | None] = [None] * len(lines)
    if not hints:
        return out
    keys = [_norm(h.text) for h in hints]
    exact: dict[str, list[int]] = {}
    for j, key in enumerate(keys):
        exact.setdefault(key, []).append(j)
    used: set[int] = set()
    cursor = 0
    for i, line in enumerate(lines):
        key = _norm(line)
        if not key:
            continue
        free = [j for j in exact.get(key, []) if j not in used]
        if free:  # the same words: whatever the order the reader wrote the lines in
            j = min(free, key=lambda j: (j < cursor, abs(j - cursor)))
            out[i], cursor = hints[j], j + 1
            used.add(j)
            continue
        found = None
        for j in range(cursor, min(len(hints), cursor + 40)):
            if keys[j] == key or (
                len(key) > 6 and keys[j] and (keys[j].startswith(key) or key.startswith(keys[j]))
            ):
                found = j
                break
        if found is None:
            for j in range(cursor, min(len(hints), cursor + 10)):
                if SequenceMatcher(None, keys[j], key).ratio() >= 0.8:
                    found = j
                    break
        if found is not None:
            out[i] = hints[found]
            cursor = found + 1
            used.add(found)
    return out
