"""What a single line says about its role: the role names, the reader's hints, and the text cues (URL, credit,
formula, code, question, definition, list lead-in, course meta) that workers/ocr/roles.py combines with the
deck-level evidence (repetition, the title slide, the page's title)."""

from __future__ import annotations

import re
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
    ``size`` the line's height as a fraction of the page height; ``ocr``: made from the OCR engine's boxes of
    an OCR'd page's line (workers/ocr/line_boxes.ocr_line_hints), not from a text layer."""

    text: str
    kind: str = ""
    top: float | None = None
    bottom: float | None = None
    size: float | None = None
    ocr: bool = False


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
BULLET = re.compile(r"^\s*(?:[•◦▪▫‣⁃●○■□►▶❖◆◇➢➤✓✔*·§Ø]|-~?|–|o(?=\s))\s*")
_DIGITS = re.compile(r"\d+")
SPACES = re.compile(r"\s+")
PAGE_NUMBER = re.compile(r"^\s*(?:(?:page|slide|p\.)\s*)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?\s*$", re.I)
DATE = re.compile(
    r"^\s*(?:\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{1,2}\s+\w{3,9}\.?\s+\d{4}|\w{3,9}\.?\s+\d{1,2},?\s+\d{4})\s*$"
)
_URL = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|edu|net|io|gov|info|ru|de|fr|uk|cn|in|co)(?:/\S*)?\b",
    re.I,
)
_CREDIT = re.compile(
    # "Image:" / "Photo:" open a credit; "Table:", "Figure:", "Data:" open a caption or content ("table:
    # did INTEGER," in SQL) unless a source word follows ("Figure source:", "Data from:")
    r"^(?:(?:image|photo|picture|icon)s?\s*(?:source|credit|courtesy|by|from|adapted)?\s*[:：]"
    r"|(?:figure|fig\.?|diagram|graphic|illustration|video|map|table|chart|data)s?\s*"
    r"(?:source|credit|courtesy|by|from|adapted)\s*[:：]"
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
REFERENCE_TITLE = re.compile(
    r"^(?:references?|bibliography|further\s+reading|(?:suggested|recommended|additional)\s+"
    r"(?:reading|readings|materials?|literature)|readings?|literature|credits|acknowledge?ments|"
    # "Sources", "Sources of figures", not a subject's "Sources of student stress" or "Sources of error"
    r"sources(?!\s+of\s+(?!(?:images?|figures?|photos?|pictures?|illustrations?|slides?|materials?)\b))|"
    r"дополнительные\s+материалы|литература|список\s+литературы|参考文献|参考资料|延伸阅读|"
    r"referencias|bibliografía|lecturas|références|literatur)\b",
    re.I,
)
AGENDA_TITLE = re.compile(
    r"^(?:outline|overview|agenda|contents|table\s+of\s+contents|topics(?:\s+covered)?|today(?:'s|’s)?"
    r"(?:\s+(?:lecture|class|topics|plan|agenda))?|(?:learning\s+)?(?:objectives|outcomes|goals)|"
    r"lecture\s+(?:plan|outline|overview|goals)|roadmap|road\s+map|in\s+this\s+(?:lecture|chapter|class|talk)|"
    r"this\s+(?:lecture|week|class)|план(?:\s+\w+)?|содержание|цели|目录|提纲|本章(?:内容|要点)|学习目标|"
    r"contenido|índice|temario|objetivos|sommaire|plan\s+du\s+cours|inhalt|gliederung)\b",
    re.I,
)
AGENDA_LINE = re.compile(
    r"^(?:next\s+(?:week|time|lecture|class|session)|coming\s+up|in\s+the\s+next\s+(?:lecture|chapter|class)|"
    r"starting\s+with\s+chapter|next\s+chapter)\b",
    re.I,
)
LOGISTICS_TITLE = re.compile(
    r"^(?:advertencia|disclaimer|notice|aviso|предупреждение|announcements?|logistics|administrivia|reminders?|housekeeping|course\s+(?:information|info|logistics)|"
    r"administrative|admin|grading\s+(?:policy|scheme|breakdown)\s*[:.]?$)\b",
    re.I,
)
# a page about an exam's logistics, named so by its whole title ("Final Exam Details", "Exam format"; not
# "Final exam review", nor "Exam schedule", which exam timetabling is about too); role_rules.exam_notice_page
# asks the page's lines for evidence before it is meta
EXAM_TITLE = re.compile(
    r"^(?:(?:(?:final|midterm|mid-term)\s+)?exam(?:ination)?s?\s+(?:details|information|info|logistics|"
    r"format|rules|polic(?:y|ies))|(?:final|midterm|mid-term)\s+exam(?:ination)?s?|"
    r"(?:detalles|información)\s+del\s+examen|examen\s+final|modalités\s+d['’]examen|"
    r"prüfungs(?:termin|modalitäten|infos?)|klausurtermin|экзамен|考试安排|考核方式)\s*[:.]?$",
    re.I,
)
_QUESTION_START = re.compile(
    r"^(?:quiz|exercises?|question|problem|task|practice|check\s+your\s+understanding|try\s+it|"
    r"discussion|in-class\s+exercise|homework|упражнение|задача|вопрос|练习|思考题|问题|ejercicio|pregunta)"
    r"\s*(?:\d+[.:)]?|[:：.])",
    re.I,
)
CAPTION = re.compile(
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
END_CUE = re.compile(
    r"^(?:end\s+of\s+(?:lecture|class|chapter|part|session)|thank\s+you|thanks|the\s+end|конец|谢谢|gracias|fin)\b",
    re.I,
)
LOGISTICS_LINE = re.compile(
    r"\b(?:problem\s+sets?|homework|gradescope|office\s+hours|final\s+exam|midterm|due\s+date|deadline|syllabus|"
    r"PS\d+|HW\s?\d+)\b",
    re.I,
)
SECTION_NUMBER = re.compile(r"^\d+(?:\.\d+)+\.?\s+\S")
_CHAPTER_CREDIT = re.compile(
    r"^[A-Z][\w&.,'’ -]{2,60}:\s*(?:cap[ií]tulo|chapter|ch\.|глава|chapitre|kapitel)\s*\d+\s*$", re.I
)
META_CUE = re.compile(
    r"\b(?:universit(?:y|é|ät|at)|universidad|университет|институт|institute|college|school\s+of|"
    r"department|departamento|faculty|facultad|факультет|professor|prof\.|lecturer|instructor|docente|"
    r"teaching\s+assistant|semester|spring|fall|autumn|winter|summer|осень|весна|学期|大学|学院|"
    r"edition|publisher|press|inc\.|ltd\.?|wiley|pearson|mcgraw|springer|elsevier|o'reilly)\b"
    r"|\b[A-Z]{2,6}[- ]?\d{3,5}[A-Z]?\b|\b(?:19|20)\d{2}[ab]?\b",
    re.I,
)
MATH_CHARS = re.compile(r"[\U0001d400-\U0001d7ff∑∏∫√∞≈≠≤≥±×÷→←↔⇒⇔∈∉⊂⊆⊃∪∩∀∃∂∇∝∼≡⊗⊕α-ωΑ-Ω=+^_]")
WORD = re.compile(r"[^\W\d_]{3,}")


def strip_bullet(line: str) -> str:
    return BULLET.sub("", line, count=1).strip()


def edge_key(line: str) -> str:
    """The line as repetition sees it: lower case, spaces folded, every run of digits one '#'."""
    return _DIGITS.sub("#", SPACES.sub(" ", line.strip().lower()))


_KEY_ENDS = re.compile(r"^[#\s.,;:/'’()\-–]+|[#\s.,;:/'’()\-–]+$")


def boilerplate_key(line: str) -> str:
    """A line as footer matching sees it: ``edge_key`` without the page number or date at either end
    ("TSKS14 Multiple Antenna Communications 2020 -04 -15 3" -> "tsks# multiple antenna communications")."""
    return _KEY_ENDS.sub("", edge_key(line))


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
    math = len(MATH_CHARS.findall(text))
    if not math:
        return False
    italic = sum(1 for ch in text if "\U0001d400" <= ch <= "\U0001d7ff")
    words = [
        w for w in WORD.findall(text) if w.lower() not in {"log", "max", "min", "exp", "sin", "cos", "lim"}
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
    if META_CUE.search(text) or DATE.match(text):
        return True
    tokens = [t for t in re.split(r"[\s,;]+", text) if t]
    if not tokens or len(tokens) > 7 or text.endswith((".", "?", ":")):
        return False
    return all(not t[0].isalpha() or t[0].isupper() or len(t) <= 3 for t in tokens)


def is_list_lead(line: str) -> bool:
    text = strip_bullet(line).rstrip()
    return text.endswith((":", "：")) and 1 <= len(text.split()) <= 20


def is_continuation(line: str, previous: str) -> bool:
    """A wrapped line: the previous line did not end a sentence and this one starts in lower case."""
    text, prev = line.strip(), previous.strip()
    if not text or not prev or (BULLET.match(line) and strip_bullet(line) != text):
        return False
    if prev.endswith((".", "!", "?", ":", "。", "？", "：")):
        return False
    first = text[0]
    return first.islower() or (first == "(" and len(text) > 3)


# --- lining reader hints up with the final text ---------------------------------------------------
def norm_line(text: str) -> str:
    return SPACES.sub(" ", text).strip().lower()


def align_hints(lines: Sequence[str], hints: Sequence[LineHint]) -> list[LineHint | None]:
    """For each text line, the reader's hint for it: the hint with the same words (the nearest unused one
    after the last match), else the next hint that starts alike or nearly matches (clean-up may have merged
    or changed lines)."""
    out: list[LineHint | None] = [None] * len(lines)
    if not hints:
        return out
    keys = [norm_line(h.text) for h in hints]
    exact: dict[str, list[int]] = {}
    for j, key in enumerate(keys):
        exact.setdefault(key, []).append(j)
    used: set[int] = set()
    cursor = 0
    for i, line in enumerate(lines):
        key = norm_line(line)
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


def _number_char(ch: str) -> bool:
    return ch.isdecimal() or ch.isspace() or ch in "./:-"


def strip_end_numbers(line: str) -> str:
    """The line without the digits, spaces, dots, slashes, colons and dashes at its start and end ("Y. Cheng
    UVA DS5110 Spring '25 7" -> "Y. Cheng UVA DS5110 Spring '25"). A scan from each end, linear in the line's
    length (the regex it replaces backtracked quadratically on a long run of digits)."""
    start, end = 0, len(line)
    while start < end and _number_char(line[start]):
        start += 1
    while end > start and _number_char(line[end - 1]):
        end -= 1
    return line[start:end]
