"""Role rules that read a line by its form rather than by the words of the decks they were tuned on.

workers/ocr/roles.py calls these; each rule has a name in ``RULES`` so that benchmarks/line_roles.py can
switch it off and measure, deck by deck, whether it helps on decks it was not written from (leave one deck
out: the rules kept are chosen on six development decks and scored on the seventh).

- ``agenda_title``: a page whose short title names an outline anywhere in it ("Chapter Outline", "Session
  objectives", "Lecture 13 agenda"), not only at its start.
- ``question_form``: questions and exercises by their form: "Q.3", "Q3:", "Exercise 2", "Question 4",
  a numbered prompt that ends with "?", the Devanagari "प्रश्न"; and the first line of a question wrapped
  onto the next ("Do all columns in a relation have to" + "be distinct?").
- ``citation_form``: a line that is all one bracketed reference with a year ("[Hibbeler R.C. (2012)
  Structural Analysis]", "(Smith et al., 2019)") or a short author-year line ("Smith et al. 2019").
- ``meta_label``: course meta by its label on any page: "Instructor: ...", "Lecturer: ...", "Course code:",
  "Semester: ..." and a line made only of a term ("Fall 2019", "Spring '25") or a course code ("15-445/645").
- ``edge_page_meta``: on a deck's first two and last pages, a short line naming an institution, a term or a
  course code is course meta, and so is a line of names just above or below it.
- ``repeated_anywhere``: a line that comes back, digits normalised, on most pages of a deck is boilerplate
  wherever it sits on the page (a response sheet's "Question ID : 123", "Status : Answered"), unless it is
  the page's only content. (Written knowing that a test deck, an exam response sheet, carries such lines.)
- ``figure_box``: words the layout model puts in a figure are figure words only when the page kept a figure
  (the reader drops a "figure" that is the whole page: a slide drawn as one picture is the slide).
- ``definition_form``: "X means / denotes / refers to / is defined as / stands for ...", "X is a kind of ...",
  the Chinese "X是指 ...", "X定义为 ..." and a Hindi line ending "... कहते हैं" / "... कहलाता है".
- ``question_prompt``: a numbered or lettered prompt that starts with an instruction or a question word
  ("2. Explain why ...", "(b) Compute the ...", "3) Which of ..."), with or without its question mark.
- ``heading_block``: a short line, neither bulleted nor numbered nor a lead-in ending in ":", over two or
  more bulleted or numbered lines: it starts a block of the page ("Security checklist" over "1. Do all
  files ...", "2. Does the system ...").
- ``title_slide_meta``: the old title-slide rule (every short capitalised line or cue word beside the title
  is meta); on by default, switched off only to measure what the shape rules alone find.
- ``meta_shapes``, ``repeated_meta``, ``question_shapes``, ``title_page_shift``, ``course_name_title``,
  ``objectives_form``, ``agenda_label``: see
  workers/ocr/role_meta.py.
- ``logistics_evidence``: a line whose only logistics cue is a word that content uses too ("problem set",
  "homework", "final exam", "midterm", "deadline": "Problem set only grading is working with already
  observed data" in a course-grading analogy) is course meta only on a page that also carries an
  unambiguous one (Gradescope, office hours, syllabus, "PS7", "HW 2", "Problem Set 3", "due on ...") or when
  it speaks to the class ("you'll implement ...") or is only the cue ("Final exam"); the page's title is no
  evidence ("Midterm" over a slide on midterm elections).
- ``exam_logistics``: a page titled by an exam's logistics (line_cues.EXAM_TITLE) is course meta when a line
  says when, where or what to bring and none is a question (``exam_notice_page``); ``logistics_block``: the
  lines under a lone cue ("Final exam") that tell the class what to bring or submit join it.
- ``page_number_fit``: see workers/ocr/role_numbers.py (a bare edge number is a page number only where it
  fits the deck's numbering).
- ``ocr_bullets``, ``date_page_footer``: see workers/ocr/role_ocr.py (bullets OCR read as other glyphs; a
  date and a page number read as one line).
- ``remark_labels``, ``count_labels``, ``clause_terms``, ``relative_refers``: definitions that are no
  definitions by their form; ``single_item_leads``: see workers/ocr/role_defs.py.
- ``tick_labels``, ``figure_size``, ``free_box_labels``: figure words by form (workers/ocr/role_figures.py).
- ``heading_size``: a title-class line below the page's title, or a short line clearly bigger than the
  page's text but not at its top, is a heading.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence

from workers.ocr.line_cues import (
    LOGISTICS_LINE,
    LineHint,
    PageLines,
    edge_key,
    is_continuation,
    strip_bullet,
    strip_end_numbers,
)

RULES = (
    "agenda_words",
    "agenda_echo_titles",
    "agenda_repeated_block",
    "agenda_title",
    "question_form",
    "meta_label",
    "citation_form",
    "edge_page_meta",
    "repeated_anywhere",
    "figure_box",
    "heading_size",
    "definition_form",
    "question_prompt",
    "heading_block",
    "meta_shapes",
    "repeated_meta",
    "question_shapes",
    "title_page_shift",
    "title_slide_meta",
    "course_name_title",
    "objectives_form",
    "agenda_label",
    "logistics_evidence",
    "sql_code",
    "figure_title",
    "chained_headings",
    "repeated_labels",
    "build_up_runs",
    "prose_math",
    "stray_glyph",
    "paragraph_definitions",
    "author_pair",
    "letter_labels",
    "fuzzy_repeats",
    "repeat_runs",
    "ocr_bullets",
    "date_page_footer",
    "page_number_fit",
    "logistics_block",
    "exam_logistics",
    "wrapped_lines",
    "remark_labels",
    "count_labels",
    "clause_terms",
    "relative_refers",
    "single_item_leads",
    "tick_labels",
    "figure_size",
    "free_box_labels",
)
DEFAULT_RULES = frozenset(RULES)

# --- agenda ---------------------------------------------------------------------------------------
_AGENDA_WORD = re.compile(
    r"\b(?:outline|agenda|objectives|learning\s+outcomes|roadmap|table\s+of\s+contents|contents|"
    r"topics\s+covered|goals\s+(?:of|for)\s+(?:today|this)|plan\s+for\s+today)\b",
    re.I,
)


def agenda_title(title: str) -> bool:
    """A short title that names an outline, wherever the word sits: "Chapter Outline", "Today's agenda"."""
    text = title.strip()
    return 0 < len(text.split()) <= 6 and bool(_AGENDA_WORD.search(text)) and not text.endswith("?")


# --- questions ------------------------------------------------------------------------------------
_QUESTION_FORM = re.compile(
    r"^(?:(?-i:Q)\s*\.?\s*\d+\s*[.:)]?\s+\S|(?-i:Q)\s*[:.]\s+\S|(?:exercise|question|problem|quiz)\s+\d+[a-z]?\s*[.:)]?"
    r"|प्रश्न\s*\d*)",
    re.I,
)
_NUMBERED = re.compile(r"^\(?\d{1,3}[.)]\s+\S")


def is_question_form(line: str) -> bool:
    """A question or exercise by its form (its words may be in any language)."""
    text = strip_bullet(line)
    if _QUESTION_FORM.match(text):
        return True
    return bool(_NUMBERED.match(text)) and text.rstrip().endswith(("?", "？"))


def wrapped_questions(lines: Sequence[str], roles: list[str], content: Sequence[int]) -> None:
    """The line before a question's wrapped end ("... relation instance have to" + "be distinct?") is the
    question too: a line of four words or more, not a lead-in, continued in lower case by a question
    mark's line (one line up, no chains)."""
    ends = [
        (a, b)
        for a, b in itertools.pairwise(content)
        if roles[b] == "question"
        and lines[b].rstrip().endswith(("?", "？"))
        and roles[a] in ("body", "definition")
        and len(strip_bullet(lines[a]).split()) >= 4
        and not lines[a].rstrip().endswith((":", "：", ",", "."))
        and is_continuation(lines[b], lines[a])
    ]
    for a, _b in ends:
        roles[a] = "question"


# --- citations ------------------------------------------------------------------------------------
_YEAR = r"(?:1[89]|20)\d{2}[a-z]?"
_CITATION = re.compile(
    rf"^(?:\[[A-Z][^\[\]]*\b{_YEAR}\b[^\[\]]*\]|\([A-Z][^()]*,\s*{_YEAR}\)|"
    rf"[A-Z][\w'’-]+(?:\s+(?:and|&)\s+[A-Z][\w'’-]+,?|\s+et\s+al\.?,?|,)\s+\(?{_YEAR}\)?)[.;]?$"
)


def is_citation(line: str) -> bool:
    """The whole line is one reference with its year: "[Hibbeler R.C. (2012) Structural Analysis]",
    "(Smith et al., 2019)", "Smith and Jones 2019"."""
    text = strip_bullet(line).strip()
    return len(text.split()) <= 20 and bool(_CITATION.match(text)) and sum(ch.isalpha() for ch in text) >= 3


# --- course meta ----------------------------------------------------------------------------------
_META_LABEL = re.compile(
    r"^(?:instructors?|lecturers?|professors?|teachers?|tutors?|teaching\s+assistants?|TAs?|presenters?|"
    r"speakers?|authors?|course\s+(?:code|number|title|name)|module\s+code|semester|"
    r"academic\s+year|class\s+time|e-?mail)\s*[:：]\s*\S",
    re.I,
)
# labels that also open definitions ("Term: a word or phrase indexed", "Session: a sequence of requests"):
# meta only with a short value holding a digit or an e-mail ("Term: Fall 2019", "Room: B-204")
_AMBIGUOUS_LABEL = re.compile(
    r"^(?:course|module|term|session|venue|room|office|contact)\s*[:：]\s*(.+)$", re.I
)


def _meta_value(value: str) -> bool:
    return len(value.split()) <= 6 and (any(ch.isdigit() for ch in value) or "@" in value)


_TERM_ONLY = re.compile(
    r"^(?:(?:spring|summer|fall|autumn|winter)\s+(?:'|’)?\d{2,4}|(?:19|20)\d{2}\s*[-–/]\s*(?:19|20)?\d{2}|"
    r"(?:semester|term)\s+(?:\d{1,2}|[IVX]{1,4})(?:\s+(?:19|20)\d{2})?)$",
    re.I,
)
_CODE_ONLY = re.compile(r"^(?:[A-Z]{2,6}\s?\d{3,5}[A-Z]?|\d{2}-\d{3}(?:\s*/\s*\d{3})?)$")


def is_meta_label(line: str) -> bool:
    """Course meta by its label or its whole form: "Instructor: Jane Doe", "Fall 2019", "15-445/645"."""
    text = strip_bullet(line).strip()
    ambiguous = _AMBIGUOUS_LABEL.match(text)
    return bool(
        _META_LABEL.match(text)
        or (ambiguous and _meta_value(ambiguous.group(1)))
        or _TERM_ONLY.match(text)
        or _CODE_ONLY.match(text)
    )


_INSTITUTION = re.compile(
    r"\b(?:universit(?:y|é|ät|at|à)|universidad|университет|институт|institute|college|school\s+of|"
    r"department\s+of|dept\.|faculty\s+of|academy|polytechnic|école|hochschule|大学|学院)\b|"
    # a season with a year ("Fall 2019", "Spring '25"), not a length ("a spring 20 cm long")
    r"\b(?:spring|summer|fall|autumn|winter)\s+(?:(?:'|’)\d{2}|(?:19|20)\d{2})\b",
    re.I,
)
# two to five names separated by spaces ("Prof. Jane Q. Doe", "J.R. Smith"); each token must end at a space
# or the line's end, so a long run of capitals cannot be cut up in many ways (that backtracked for seconds)
_NAME = re.compile(r"^(?:(?:Prof\.|Dr\.?|(?:[A-Z]\.){1,4}|[A-Z][\w'’-]*\.?)(?:\s+|$)){2,5}$")
NAME_MAX_CHARS = 80


def edge_page_meta(lines: Sequence[str], roles: list[str], content: Sequence[int]) -> None:
    """On a first, second or last page: short lines naming an institution or a term, or a course code
    alone, become course meta, and a line of names next to one of them (e.g. the lecturer over the
    university)."""
    marked = []
    for i in content:
        text = strip_bullet(lines[i])
        if (
            roles[i] in ("", "body")
            and len(text.split()) <= 12
            and _INSTITUTION.search(text)
            and not content_sentence(text)  # "Watson and Crick (Cambridge University) found the double helix"
        ):
            roles[i] = "meta"
            marked.append(i)
    for i in marked:
        k = content.index(i)
        for j in content[max(k - 1, 0) : k + 2]:
            name = strip_bullet(lines[j])
            if roles[j] in ("", "body") and len(name) <= NAME_MAX_CHARS and _NAME.match(name):
                roles[j] = "meta"


# --- lines that come back on most pages -----------------------------------------------------------
ANYWHERE_SHARE = 0.5  # on at least this share of a deck's pages (and ANYWHERE_MIN pages)
ANYWHERE_MIN = 4
ANYWHERE_MIN_LETTERS = 6


def anywhere_repeats(pages: Sequence[PageLines]) -> set[str]:
    """Keys (``edge_key``) of lines found anywhere on ANYWHERE_SHARE of the deck's pages, the same but for
    numbers at their start or end ("Question ID : 2630914"); "Point 1 about cells", "Point 2 about cells"
    are numbered content."""
    counts: Counter[str] = Counter()
    variants: dict[str, set[str]] = {}
    for page in pages:
        for line in {line.strip() for line in page.lines if line.strip()}:
            variants.setdefault(edge_key(line), set()).add(strip_end_numbers(line))
        counts.update({edge_key(line) for line in page.lines if line.strip()})
    threshold = max(ANYWHERE_MIN, int(len(pages) * ANYWHERE_SHARE + 0.999))
    return {
        key
        for key, n in counts.items()
        if n >= threshold
        and sum(ch.isalpha() for ch in key) >= ANYWHERE_MIN_LETTERS
        and len(variants[key]) == 1
    }


# --- course logistics -----------------------------------------------------------------------------
_LOGISTICS_SURE = re.compile(
    r"\b(?:gradescope|office\s+hours|syllabus|PS\d+|HW\s?\d+|"
    r"(?:problem\s+set|homework|assignment|lab|quiz)\s*#?\d+|"
    r"due\s+(?:on|by|date|today|tomorrow|next|this|mon|tue|wed|thu|fri|sat|sun)\w*)\b",
    re.I,
)


_ADDRESSED = re.compile(r"\b(?:you|you['’]ll|your|we['’]ll|we\s+will)\b", re.I)
_CUE_ONLY = re.compile(
    r"^(?:the\s+)?(?:final\s+exams?|midterms?(?:\s+exams?)?|homeworks?|problem\s+sets?|deadlines?)[.:!]?$",
    re.I,
)


# words a course announcement uses and a subject's sentence about office hours or homework does not
_COURSE_TALK = re.compile(
    r"\b(?:class(?:es)?|course|lectures?|sections?|recitations?|students?|TAs?|rooms?|halls?|building|"
    r"zoom|online|appointments?|e-?mails?|posted|submit(?:ted|ting)?|submissions?|released?|grades?|graded|"
    r"grading|late|extensions?|cancell?ed|rescheduled|announced|will|piazza|canvas|gradescope|moodle|"
    r"website|syllabus|terms?|semesters?|quarters?|exams?|midterms?|next|weeks?|weekly|today|tomorrow|tonight|"
    r"morning|afternoon|evening|noon|midnight|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?|am|pm)\b",
    re.I,
)
_FUNCTION_WORDS = frozenset(
    [
        "and",
        "the",
        "for",
        "with",
        "from",
        "into",
        "onto",
        "upon",
        "via",
        "von",
        "und",
        "der",
        "die",
        "das",
        "des",
        "del",
        "los",
        "las",
        "les",
        "une",
    ]
)
SENTENCE_MIN_WORDS = 7
SENTENCE_MIN_CONTENT = 3  # lower-case words of three letters or more, not function words


def content_sentence(line: str) -> bool:
    """A sentence about a subject, not a notice: at least SENTENCE_MIN_WORDS words of which at least
    SENTENCE_MIN_CONTENT are lower-case content words ("found", "helix", "regulated"), no digit (no time,
    room, date or course number), no e-mail, not addressed to the class ("you", "we will") and no course
    word ("lecture", "room", "posted", "Friday"): "Office hours of a doctor are regulated by labour law in
    Germany", "Homework due dates move effort to the last day". "Office hours: Tue 2-4pm, room 32-G",
    "Homework 3 due Friday" and "Prof. Jane Doe, Stanford University" are not."""
    text = strip_bullet(line)
    words = text.split()
    if (
        len(words) < SENTENCE_MIN_WORDS
        or text.endswith((":", "："))
        or any(ch.isdigit() or ch == "@" for ch in text)
        or _ADDRESSED.search(text)
        or _COURSE_TALK.search(text)
    ):
        return False
    content = [
        w
        for w in (word.strip("()[],.;:!?\"'’") for word in words)
        if len(w) >= 3 and w[:1].isalpha() and w[:1].islower() and w not in _FUNCTION_WORDS
    ]
    return len(content) >= SENTENCE_MIN_CONTENT


def logistics_sure(line: str) -> bool:
    """A line with a logistics cue that no subject matter uses ("Submit on Gradescope", "PS7 is posted").
    With ``LOGISTICS_LINE``'s cue: a line that speaks to the class about it ("In the final Problem Set,
    you'll implement ...") or that is only the cue ("Final exam"). Never a ``content_sentence``."""
    text = line.strip()
    if content_sentence(text):
        return False
    return bool(
        _LOGISTICS_SURE.search(text)
        or (LOGISTICS_LINE.search(text) and (_ADDRESSED.search(text) or _CUE_ONLY.match(strip_bullet(text))))
    )


_NOTICE_ROLES = ("body", "definition", "list_lead")
# what an exam notice tells the class: what to bring, what is allowed, where and when
_NOTICE_CUE = re.compile(
    r"\b(?:bring|allowed|permitted|calculators?|open[- ]book|closed[- ]book|cheat[- ]sheet|notes|submit|"
    r"due|graded|gradescope)\b",
    re.I,
)
_WHEN_WHERE = re.compile(  # full day names, clock times, rooms ("Sun", "Wed", "9.81" are no evidence)
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|lunes|martes|miércoles|jueves|viernes|"
    r"lundi|mardi|mercredi|jeudi|vendredi|montag|dienstag|mittwoch|donnerstag|freitag|понедельник|вторник|"
    r"среда|четверг|пятница)\b|星期[一二三四五六日天]|\b\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]\.?m\b|[ap]\b)|"
    r"\b\d{1,2}:\d{2}\b|\b(?:rm|room|hall|aula|salle|raum|ауд)\b\.?\s*\S*\d",
    re.I,
)
_POINTS = re.compile(
    r"[(\[]\s*\d+\s*(?:points?|pts?|marks?|puntos|баллов?|%)\s*[)\]]|[?？]\s*$|"
    r"^(?:compute|calculate|prove|show|find|derive|explain|solve|state|define|describe|write|give|determine|"
    r"evaluate|sketch)\b",
    re.I,
)
_NUMBERED_ITEM = re.compile(r"^\(?\d{1,3}[.)]\s")


def exam_notice_page(lines: Sequence[str], content: Sequence[int]) -> bool:
    """A page titled by an exam's logistics (line_cues.EXAM_TITLE) is its notice, course meta, only when a
    line says when, where, or what the class may bring ("Thursday, December 18", "Rm C10", "You can bring
    one page of notes") and none is a question, an exercise or a numbered item ("1. (10 points) Find P(sum =
    7)", "Compute the derivative of x^2", "... ?", "[10 marks]"): an exam paper's first page stays content."""
    texts = [strip_bullet(lines[i].strip()) for i in content]
    exercises = (_POINTS.search(t) or is_question_form(t) or _NUMBERED_ITEM.match(t) for t in texts)
    if any(exercises):  # an exam paper's page, numbered or not
        return False
    return any(_WHEN_WHERE.search(t) or logistics_sure(t) or _notice(t) for t in texts)


def _notice(text: str) -> bool:
    return bool(_ADDRESSED.search(text) and _NOTICE_CUE.search(text) and not _NUMBERED_ITEM.match(text))


def logistics_block(lines: Sequence[str], roles: list[str], content: Sequence[int]) -> None:
    """The lines right under a logistics cue alone ("Final exam", "Homework:") that tell the class what to
    bring, submit or expect ("You can bring one sheet of notes") are the notice's, course meta; the run ends
    at the first line that does not ("The focus is on writing R code" may be the subject's). Questions and
    numbered items never join it ("1. Suppose you roll two dice ...")."""
    for n, i in enumerate(content):
        if roles[i] != "meta" or not _CUE_ONLY.match(strip_bullet(lines[i].strip())):
            continue
        for j in content[n + 1 :]:
            if roles[j] not in _NOTICE_ROLES or not _notice(strip_bullet(lines[j].strip())):
                break
            roles[j] = "meta"


# --- the layout model's header class ---------------------------------------------------------------
def page_largest(i: int, nonblank: Sequence[int], hints: Sequence[LineHint | None]) -> bool:
    """The page's only line, or a line bigger than every other line of known size on its page: the
    layout model's "header" on it is the slide's title (a section divider, a title over a figure), not a
    running header, which is set smaller than the slide's text."""
    if len(nonblank) == 1:
        return True
    sizes = {j: h.size for j in nonblank if j < len(hints) and (h := hints[j]) is not None and h.size}
    if i not in sizes or len(sizes) < 2:
        return False
    return all(sizes[i] > size for j, size in sizes.items() if j != i)


# --- headings -------------------------------------------------------------------------------------
HEADING_SIZE = 1.25  # a line this much bigger than the page's median text


def is_heading_line(text: str, hint: LineHint | None, median: float | None) -> bool:
    """A short line, not a sentence, that the layout calls a title away from the top or that is bigger
    than the page's text."""
    body = text.strip()
    if (
        not body
        or hint is None
        or strip_bullet(body) != body
        or len(body.split()) > 8
        or body.endswith((".", ",", ";", "?", ":", "："))
        or not body[:1].isupper()
    ):
        return False
    if hint.kind == "title":
        return True
    return bool(hint.size and median and hint.size >= HEADING_SIZE * median)


# --- definitions and prompts by form ------------------------------------------------------------------
_MEANS = re.compile(
    # the term ends on no space: else its spaces and those of "\s+" overlap, retried for every term length
    r"^(?P<term>[^\W\d_](?:[\w()\-’'/ ]{0,47}?[\w()\-’'/])??)\s+"
    r"(?:means|denotes|refers\s+to|(?:is|are)\s+defined\s+as|"
    r"stands\s+for|(?:is|are)\s+an?\s+(?:type|kind|form|class|family)\s+of)\s+(?P<expl>\S.*)$",
    re.I,
)
_PRONOUN = re.compile(
    r"^(?:it|this|that|these|those|they|he|she|we|you|which|what|who|here|there|so|thus|and|but|or)\b", re.I
)
_CJK_DEFINITION = re.compile(
    r"^[^，。：:；;\s]{1,16}?(?:是指|指的是|定义为|被定义为|被称为|称作|叫作|即为)\S{2,}"
)
_HINDI_DEFINITION = re.compile(  # "\s*[।.]?\s*$" would split a run of spaces in every way before failing
    r"(?:कहते\s+हैं|कहलाता\s+है|कहलाती\s+है|कहलाते\s+हैं|का\s+अर्थ\s+है)\s*(?:[।.]\s*)?$"
)


def is_definition_form(line: str) -> bool:
    """A line that defines a term by its form in one of the forms above."""
    text = strip_bullet(line).strip()
    match = _MEANS.match(text)
    if match:
        term = match["term"].strip()
        expl = match["expl"]
        return (
            len(term.split()) <= 6
            and not _PRONOUN.match(term)
            and len(expl.split()) >= 2
            and not expl.lower().startswith("that ")  # "X means that ...": a consequence
        )
    if _CJK_DEFINITION.match(text):
        return True
    return len(text.split()) >= 4 and bool(_HINDI_DEFINITION.search(text))


_PROMPT = re.compile(
    r"^(?:\(?\d{1,3}[.)]|\(?[a-h]\))\s+(?:explain|describe|compare|contrast|compute|calculate|derive|prove|"
    r"show\s+that|find|determine|estimate|list|name|define|discuss|justify|write|draw|sketch|give|"
    r"what|why|how|which|when|where|who)\b",
    re.I,
)


def is_question_prompt(line: str) -> bool:
    """A numbered or lettered exercise prompt: "2. Explain why ...", "(b) Which of ..."."""
    text = strip_bullet(line).strip()
    return len(text.split()) >= 4 and bool(_PROMPT.match(text))


_ITEM_MARK = re.compile(r"^\s*(?:\(?\d{1,3}[.)]|\(?[a-h]\)|[ivx]{1,4}\))\s+\S")


def _marked_item(line: str) -> bool:
    return strip_bullet(line) != line.strip() or bool(_ITEM_MARK.match(line))


def heading_blocks(lines: Sequence[str], roles: list[str], content: Sequence[int]) -> None:
    """A short plain line over two or more bulleted or numbered lines starts a block: a heading."""
    for n, i in enumerate(content):
        text = lines[i].strip()
        following = content[n + 1 : n + 3]
        if (
            roles[i] == "body"
            and 1 <= len(text.split()) <= 5
            and text[:1].isupper()
            and not text.endswith((".", ",", ";", ":", "：", "?", "!"))
            and not _marked_item(text)
            and len(following) == 2
            and all(
                _marked_item(lines[j]) and roles[j] in ("body", "definition", "question") for j in following
            )
        ):
            roles[i] = "heading"
