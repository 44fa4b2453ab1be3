"""Questions, outlines and course meta by forms that any deck may use (issue 12: the roles that fell to body
on decks the rules were not written from).

workers/ocr/roles.py calls these; each rule has a name in ``role_rules.RULES`` and can be switched off
(``classify_deck(pages, rules=...)``), so that benchmarks/line_roles_lodo.py measures it leaving one deck out.

- ``exam_options``: a multiple-choice item: a stem (a question already, a numbered "Q.3 ..." line, or a line
  with an exam's words: "Which of the following", "Choose the correct", "निम्नलिखित में से", "下列") followed by
  two or more option lines whose marks run in order ("(a)", "(b)" ...; "A.", "B." ...; "1)", "2)" ...;
  "(क)", "(ख)" ...), and an answer label ("Ans", "Answer:", "उत्तर"): all of it is the question (the
  labelling convention: stems, "Ans" labels and options are questions). Numbered options count only with an
  answer label, an exam's words or a "Q."-numbered stem: a "?" over "1. ..." "2. ..." may be the slide's own
  answer.
- ``prompt_labels``: a line opened by a prompt's label ("Activity:", "Your turn:", "Pop quiz:", "Poll:",
  "Think-pair-share:", "Exam question:", "Review question:", "Puzzle:", "Activity 2:"), or asking as an exam
  asks ("Which of the following ...", "Match the following", "... में से कौन ...", "下列哪 ..."), is a
  question, with or without its question mark.
- ``agenda_lead``: a short lead-in that announces what the lecture does ("In this lecture we will:", "Today:",
  "Today we will cover:", "This lecture covers:", "Topics for today:", "What you will learn:", "Сегодня:",
  "本讲内容", "En esta clase:", "Outline:") and the short lines under it, up to the next heading or lead-in,
  are the agenda; a short line that is the announcement itself ("Today we will look at cross-validation") is
  too; a page titled "Aims", "What you will learn", "Lecture structure", "Where we are" is an outline.
- ``closing_meta``: on a deck's last two pages, a line that is only a closing ("Thank you!", "Questions?",
  "Any questions?", "Q&A", "Thanks for your attention") is course meta, not a question posed to students.
- ``affiliation_meta``: on a deck's first two and last pages, a person's name with an affiliation or an
  e-mail after it ("Jane Doe, MIT", "J. Smith (LSHTM)", "Ana Ruiz - jdoe@uni.edu"), an acronym alone
  beside a meta line ("LSHTM" under the lecturer's name), or a lecture number with a date ("Lecture 3 - 14
  October 2020") is course meta.
- ``heading_questions``: two or more short labels (<= 6 words, unpunctuated), each over the question it
  poses, alternating ("Architectural design" / "how do architectural design decisions affect ...?"): the
  labels are headings (``role_forms.chained_headings`` does this for labels over sentences ending in ".").
- ``logistics_tools``: a line naming a course tool or a due date ("Post questions on Piazza", "Homework 3 is
  due Friday", "Lecture recordings are on the course website", "Office hours: ..."), a grading breakdown's
  line ("Problem sets 40%"), an exam with its date ("Midterm: October 12") or a course's label
  ("Prerequisites:", "Textbook:") is course logistics, meta, on any page (not a question: "Is homework 3
  due Friday?" stays one).
- ``divider_pages``: a page (not the deck's first or last two) of two or three short unpunctuated lines, its
  title first, one of them a section mark ("Part II" / "Cost estimation", "Chapter 4", "第二章"), and no
  figure: a section divider, all of its text headings.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

from workers.ocr.line_cues import strip_bullet
from workers.ocr.role_meta import _DATE_WORDS, _INSTITUTION, _LECTURE_NUMBER, _MONTH, _WEEKDAY, is_person_line

RECALL_RULES = (
    "exam_options",
    "prompt_labels",
    "agenda_lead",
    "closing_meta",
    "affiliation_meta",
    "heading_questions",
    "logistics_tools",
    "divider_pages",
)
OPEN_ROLES = ("body", "definition", "list_lead", "heading", "formula", "question")

# --- multiple-choice items ----------------------------------------------------------------------------
_OPTION = regex.compile(
    r"^\(?(?P<mark>[a-hA-H]|[ivx]{1,4}|\d{1,2}|[क-ङ])\s*[.)]\s*\S|^\((?P<paren>[a-hA-H]|\d{1,2}|[क-ङ])\)\s*\S"
)
_ANSWER_LABEL = regex.compile(r"^(?:ans(?:wer)?s?\b\.?|उत्तर|答案?|options?\b|विकल्प)\s*[:：.\-–]?\s*", regex.I)
_EXAM_WORDS = regex.compile(
    r"which\s+of\s+the\s+following|which\s+one\s+of|choose\s+the\s+(?:correct|best|right|most)|"
    r"select\s+the\s+(?:correct|best|right|most)|fill\s+in\s+the\s+blanks?|true\s+or\s+false|"
    r"निम्नलिखित\s+में\s+से|निम्न\s+में\s+से|下列(?:哪|各项|选项|说法)|以下哪|哪一项|哪个选项|"
    r"какой\s+из|какие\s+из|cuál\s+de\s+las\s+siguientes|laquelle\s+des",
    regex.I,
)
_Q_NUMBERED = regex.compile(r"^(?:(?-i:Q)\s*\.?\s*\d+|question\s+\d+|प्रश्न\s*\d*)", regex.I)
_BLANK = regex.compile(r"_{3,}|\.{5,}")
_SEQUENCES = (
    "abcdefgh",
    "ABCDEFGH",
    ["क", "ख", "ग", "घ", "ङ"],
    ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii"],
    [str(n) for n in range(1, 13)],
)
OPTION_MAX_WORDS = 15
STEM_MAX_GAP = 4  # wrapped stem lines between the stem's first line and its first option
_STEM_END = (".", "?", "？", ":", "：", "।", "。", "!")


def _mark(line: str) -> str | None:
    text = _ANSWER_LABEL.sub("", strip_bullet(line), count=1) if _ANSWER_LABEL.match(line.strip()) else line
    match = _OPTION.match(strip_bullet(text))
    if not match:
        return None
    return match["mark"] or match["paren"]


def _in_order(marks: Sequence[str]) -> bool:
    return any(list(marks) == list(seq[: len(marks)]) for seq in _SEQUENCES)


def _answer_only(line: str) -> bool:
    text = strip_bullet(line)
    match = _ANSWER_LABEL.match(text)
    return bool(match) and len(text[match.end() :].split()) <= 3 and _mark(text) is None


def exam_options(lines: Sequence[str], roles: list[str], content: Sequence[int]) -> None:
    """Multiple-choice items: their stem, answer label and options become questions."""
    n = 0
    while n < len(content):
        i = content[n]
        stem = strip_bullet(lines[i])
        stem_ok = roles[i] in OPEN_ROLES and (
            roles[i] == "question"
            or _EXAM_WORDS.search(stem)
            or _Q_NUMBERED.match(stem)
            or _BLANK.search(stem)
        )
        if not stem_ok:
            n += 1
            continue
        # the stem may wrap: look past up to STEM_MAX_GAP lines continuing it for the first option
        start = n + 1
        while (
            start < len(content)
            and start - n <= STEM_MAX_GAP
            and not lines[content[start - 1]].rstrip().endswith(_STEM_END)
            and _mark(lines[content[start]]) is None
            and not _answer_only(lines[content[start]])
            and roles[content[start]] in OPEN_ROLES
        ):
            start += 1
        taken: list[int] = []
        marks: list[str] = []
        labelled = False
        for j in content[start:]:
            if roles[j] not in OPEN_ROLES:
                break
            if _answer_only(lines[j]):
                labelled = True
                taken.append(j)
                continue
            mark = _mark(lines[j])
            if mark is None or len(strip_bullet(lines[j]).split()) > OPTION_MAX_WORDS:
                break
            if _ANSWER_LABEL.match(strip_bullet(lines[j])):
                labelled = True
            if not _in_order([*marks, mark]):
                break
            marks.append(mark)
            taken.append(j)
        lettered = bool(marks) and not marks[0].isdigit()
        strong = labelled or _EXAM_WORDS.search(stem) or _Q_NUMBERED.match(stem) or _BLANK.search(stem)
        if len(marks) >= 2 and (lettered or strong):
            for j in [*content[n:start], *taken]:
                roles[j] = "question"
            n = content.index(taken[-1]) + 1
            continue
        n += 1


# --- prompts by their label ----------------------------------------------------------------------------
_PROMPT_LABEL = regex.compile(
    r"^(?:(?:class|group|in-class|classroom|learning)\s+activit(?:y|ies)|activity\s*\d+|your\s+turn|pop\s+quiz|"
    r"quick\s+quiz|poll|"
    r"think[\s-]+pair[\s-]+share|exam(?:ple)?\s+question|exam\s+problem|review\s+questions?|"
    r"self[\s-]+check|check\s+yourself|puzzle|brain\s*teaser|food\s+for\s+thought|"
    r"actividad|pregunta|вопрос(?:ы)?\s+для\s+обсуждения|讨论|提问|思考)\s*\d*\s*[:：]",
    regex.I,
)


_ASKS = regex.compile(
    r"\b(?:which\s+of\s+the\s+following|which\s+one\s+of\s+the|choose\s+the\s+(?:correct|best)\s+(?:answer|option)|"
    r"select\s+the\s+(?:correct|best)\s+(?:answer|option)|match\s+the\s+following|fill\s+in\s+the\s+blanks?)\b|"
    r"में\s+से\s+(?:कौन|किस)|以下哪|下列哪|哪一项|哪个选项",
    regex.I,
)


def is_prompt_label(line: str) -> bool:
    """A line opened by a prompt's label ("Activity:", "Your turn:", "Pop quiz:") or asking as an exam asks
    ("Which of the following ...", "... में से कौन ...", "下列哪 ...")."""
    text = strip_bullet(line)
    return bool(_PROMPT_LABEL.match(text)) or (len(text) >= 8 and bool(_ASKS.search(text)))


# --- what the lecture will do ------------------------------------------------------------------------------
_DOING = (
    r"(?:cover|discuss|look\s+at|learn(?:\s+about)?|see|study|introduce|explore|review|talk\s+about|"
    r"focus\s+on|examine|consider|begin|start|continue|do)"
)
_WHEN = (
    r"(?:(?:in\s+)?(?:this|today['’]?s)\s+(?:lecture|class|session|talk|chapter|module|unit|week|lesson|part)|"
    r"today|this\s+week)"
)
_AGENDA_LEAD = regex.compile(
    rf"^(?:{_WHEN}\s*,?\s*(?:(?:we|you|i)\s*(?:will|['’]ll|are\s+going\s+to|shall)(?:\s+{_DOING}\b.*)?|"
    rf"(?:covers|will\s+cover|we\s+cover|includes)\b.*)?|"
    rf"(?:we|you)\s*(?:will|['’]ll)\s+(?:{_DOING})\s*(?:today|in\s+this\s+\w+)?|"
    r"outline|agenda|overview|topics?(?:\s+(?:for\s+today|covered|of\s+(?:this|today['’]?s)\s+\w+))?|"
    r"what\s+(?:we|you)\s*(?:will|['’]ll)\s+(?:learn|cover|see|do)(?:\s+today)?|"
    r"plan(?:\s+for\s+(?:today|this\s+\w+))?|lecture\s+(?:goals|overview|outline|plan|structure|contents)|"
    r"сегодня|в\s+этой\s+лекции|на\s+этой\s+лекции|本(?:讲|节|节课|章)(?:内容|主要内容|要点)?|今天(?:我们)?|"
    r"en\s+esta\s+(?:clase|sesión|lección)|hoy(?:\s+veremos)?|dans\s+ce\s+cours|aujourd['’]hui|"
    r"इस\s+(?:अध्याय|पाठ)\s+में)\s*[:：]$",
    regex.I,
)
_ANNOUNCEMENT = regex.compile(
    rf"^(?:{_WHEN}\s*,?\s*(?:we|you|i)\s*(?:will|['’]ll|are\s+going\s+to|shall)\s+{_DOING}\b|"
    r"(?:in\s+)?(?:this|today['’]?s)\s+(?:lecture|class|session|talk)\s+(?:covers|will\s+cover)\b|"
    r"today\s*[:：]\s*\S)",
    regex.I,
)
_AGENDA_PAGE = regex.compile(
    r"^(?:aims?(?:\s+and\s+objectives)?|what\s+(?:you|we)\s*(?:will|['’]ll)\s+(?:learn|cover|do)(?:\s+today)?|"
    r"(?:lecture|session|class|talk)\s+(?:structure|map|contents|plan)|"
    r"structure\s+of\s+(?:the|this|today['’]s)\s+(?:lecture|session|class|talk)|where\s+(?:we\s+are|are\s+we)|"
    r"plan\s+for\s+(?:today|this\s+\w+)|today['’]?s\s+(?:topics?|menu|goals)|"
    r"(?:course|chapter|session|module|unit|class|week|part)\s+(?:overview|plan|goals|aims))"
    r"\s*[:：?]?$",
    regex.I,
)
LEAD_MAX_WORDS = 14
ITEM_MAX_WORDS = 15
ANNOUNCEMENT_MAX_WORDS = 15


def agenda_page_title(title: str) -> bool:
    """A page title that names an outline in words ``line_cues.AGENDA_TITLE`` does not know."""
    return bool(_AGENDA_PAGE.match(title.strip()))


def agenda_leads(lines: Sequence[str], roles: list[str], content: Sequence[int]) -> None:
    """An announcing lead-in and its short items (two or more, up to a heading or another lead-in), and a
    short line that is the announcement itself, become agenda."""
    n = 0
    while n < len(content):
        i = content[n]
        text = strip_bullet(lines[i])
        if roles[i] not in OPEN_ROLES:
            n += 1
            continue
        if len(text.split()) <= LEAD_MAX_WORDS and _AGENDA_LEAD.match(text):
            items = []
            for j in content[n + 1 :]:
                item = strip_bullet(lines[j])
                if roles[j] not in OPEN_ROLES or roles[j] == "heading" or item.endswith((":", "：")):
                    break
                if len(item.split()) > ITEM_MAX_WORDS:
                    break
                items.append(j)
            if len(items) >= 2:
                for j in [i, *items]:
                    roles[j] = "agenda"
                n += len(items) + 1
                continue
        wrapped = n + 1 < len(content) and lines[content[n + 1]].strip()[:1].islower()
        if (
            len(text.split()) <= ANNOUNCEMENT_MAX_WORDS
            and _ANNOUNCEMENT.match(text)
            and not text.endswith(("?", ","))
            and not wrapped  # a longer sentence's start, wrapped ("In this chapter, we will discuss one")
        ):
            roles[i] = "agenda"
        n += 1


# --- closing lines ---------------------------------------------------------------------------------------
_CLOSING = regex.compile(
    r"^(?:thank\s+you(?:\s+(?:all|very\s+much|for\s+(?:your\s+)?(?:attention|listening|coming)))?|"
    r"thanks(?:\s+(?:a\s+lot|for\s+(?:your\s+)?(?:attention|listening|coming)))?|many\s+thanks|"
    r"(?:any\s+)?questions|q\s*&\s*a|questions\s+(?:and|&)\s+(?:answers|discussion|comments)|"
    r"questions\s+or\s+comments|спасибо(?:\s+за\s+внимание)?|вопросы|谢谢(?:大家)?|感谢(?:聆听|观看)|"
    r"提问|gracias|preguntas|merci|danke|धन्यवाद)\s*[.!?？！]*$",
    regex.I,
)


def is_closing(line: str) -> bool:
    """A line that is only a closing ("Thank you!", "Questions?", "Q&A")."""
    return bool(_CLOSING.match(strip_bullet(line)))


def closing_lines(lines: Sequence[str], roles: list[str], content: Sequence[int]) -> None:
    """Closing lines become meta, unless the next line continues them ("Questions" / "about the proof?")."""
    for n, i in enumerate(content):
        wrapped = n + 1 < len(content) and lines[content[n + 1]].strip()[:1].islower()
        if roles[i] in (*OPEN_ROLES, "title") and is_closing(lines[i]) and not wrapped:
            roles[i] = "meta"


# --- names with affiliations -----------------------------------------------------------------------------
_ACRONYM = regex.compile(r"^\p{Lu}{2,6}$")
_EMAIL = regex.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_AFFILIATION = regex.compile(r"^(?P<name>[^,(|–—-]+?)\s*(?:,|\(|\||\s[–—-]\s)\s*(?P<rest>.+?)\)?$")
_LECTURE_DATED = regex.compile(r"^(?P<lecture>[^,:–—-]+?)\s*[,:–—-]\s*(?P<date>.+)$")


def affiliation_line(line: str) -> bool:
    """A name with an affiliation or an e-mail after it, or a lecture number with a date."""
    text = strip_bullet(line).strip()
    if not text or len(text.split()) > 12 or text.endswith((".", "?", ":")):
        return False
    match = _AFFILIATION.match(text)
    if match and is_person_line(match["name"]):
        rest = match["rest"].strip(" )")
        if _ACRONYM.match(rest) or _EMAIL.fullmatch(rest) or _INSTITUTION.search(rest):
            return True
    dated = _LECTURE_DATED.match(text)
    return bool(
        dated and _LECTURE_NUMBER.match(dated["lecture"].strip()) and _DATE_WORDS.match(dated["date"])
    )


def affiliations(lines: Sequence[str], roles: list[str], content: Sequence[int]) -> None:
    """On an edge page: names with affiliations, dated lecture numbers, and an acronym alone beside a meta
    line become meta."""
    for i in content:
        if roles[i] in ("body", "heading", "definition") and affiliation_line(lines[i]):
            roles[i] = "meta"
    for n, i in enumerate(content):
        beside = [roles[j] for j in content[max(n - 1, 0) : n + 2] if j != i]
        if roles[i] in ("body", "heading") and _ACRONYM.match(strip_bullet(lines[i])) and "meta" in beside:
            roles[i] = "meta"


# --- headings over the questions they pose ---------------------------------------------------------------
HEADING_WORDS = 6
POSED_MIN_WORDS = 5


def _short_label(line: str) -> bool:
    text = line.strip()
    return (
        0 < len(text.split()) <= HEADING_WORDS
        and strip_bullet(text) == text
        and text[:1].isupper()
        and not text.endswith((".", ",", ";", ":", "：", "?", "？", "!"))
        and not any(ch.isdigit() for ch in text)
    )


def heading_questions(lines: Sequence[str], roles: list[str], content: Sequence[int]) -> None:
    """Two or more short labels, each over the question it poses ("Architectural design" / "how do
    architectural design decisions affect the security of a system?"), alternating: the labels are
    headings; the questions keep their role."""
    pairs: list[int] = []
    n = 0
    while n + 1 < len(content):
        a, b = content[n], content[n + 1]
        posed = strip_bullet(lines[b])
        if (
            roles[a] in ("body", "definition", "heading")
            and roles[b] in ("body", "question", "definition")
            and _short_label(lines[a])
            and posed.endswith(("?", "？"))
            and len(posed.split()) >= max(POSED_MIN_WORDS, 2 * len(lines[a].split()))
        ):
            pairs.append(a)
            n += 2
            continue
        if len(pairs) >= 2:
            break
        pairs = []
        n += 1
    if len(pairs) >= 2:
        for a in pairs:
            roles[a] = "heading"


# --- course logistics by the course's tools ----------------------------------------------------------------
_COURSE_TOOLS = regex.compile(
    r"\b(?:piazza|moodle|ed\s+(?:discussion|stem)|course\s+(?:website|web\s*page)|lecture\s+recordings?|"
    r"late\s+(?:days?|policy|submissions?)|office\s+hours?|TA\s+(?:sessions?|hours)|"
    r"submit\s+(?:it\s+|them\s+|your\s+\w+\s+)?(?:on|via|through|to)\s+(?:canvas|moodle|gradescope|blackboard|the\s+portal)|"
    r"(?:assignment|project|lab|quiz|exam|midterm|homework|problem\s+set)\s*#?\d*\s+(?:is\s+|are\s+|will\s+be\s+)?"
    r"(?:due|released|posted|out\s+(?:now|today|tomorrow|on))\b|"
    r"readings?\s+for\s+(?:next|this)\s+(?:week|lecture|class))|"
    # a grading breakdown ("Problem sets 40%", "Midterm: 25 %"), an exam with its date, a course's labels
    r"^(?:homeworks?|assignments?|problem\s+sets?|labs?|quiz(?:ze)?s?|midterms?(?:\s+exams?)?|"
    r"finals?(?:\s+exams?)?|exams?|projects?|participation|attendance)\s*[:(–-]?\s*\d{1,3}\s*%\)?\s*$|"
    rf"^(?:midterm|final|exam|quiz)(?:s|zes)?(?:\s+exam)?\s*[:–-]?\s*(?:on\s+)?(?:{_WEEKDAY}\s+)?"
    rf"(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH}|\d{{1,2}}/\d{{1,2}})|"
    r"^(?:pre-?requisites?|required\s+(?:text(?:book)?s?|readings?)|text\s*books?|course\s+(?:text|website))\s*[:：]",
    regex.I,
)
LOGISTICS_MAX_WORDS = 25


def is_course_logistics(line: str) -> bool:
    """A line about the course's running, named by a course tool or a due date ("Post questions on Piazza",
    "Homework 3 is due Friday", "Lecture recordings are on the course website")."""
    text = strip_bullet(line)
    return (
        len(text.split()) <= LOGISTICS_MAX_WORDS
        and not text.rstrip().endswith(("?", "？"))
        and bool(_COURSE_TOOLS.search(text))
    )


# --- section dividers --------------------------------------------------------------------------------------
DIVIDER_WORDS = 8
_SECTION_MARK = regex.compile(
    r"^(?:(?:part|section|chapter|module|unit|topic|teil|parte|sección|раздел|часть)\s*"
    r"(?:\d{1,2}|[IVX]{1,4}|[A-H])\b|第\s*[\d一二三四五六七八九十]+\s*[部章节])",
    regex.I,
)


def divider_page(lines: Sequence[str], content: Sequence[int], titles: Sequence[int]) -> bool:
    """A page of two or three short unpunctuated lines, the first its title, one of them a section mark
    ("Part II" over "Cost estimation"): a section divider, whose text is headings. Without the mark, two
    short lines may be a title over a link's words ("Data and code available here")."""
    if not 2 <= len(content) <= 3 or not titles or titles[0] != content[0]:
        return False
    texts = [strip_bullet(lines[i]) for i in content]
    if any(
        not t or len(t.split()) > DIVIDER_WORDS or t.endswith((".", ",", ";", ":", "：", "?", "？", "!"))
        for t in texts
    ):
        return False
    if any(not regex.search(r"\p{L}{2}", t) for t in texts):
        return False
    return any(_SECTION_MARK.match(t) for t in texts)
