"""Course meta and exercises by their shape, for decks the rules were never tuned on.

workers/ocr/roles.py calls these; each rule has a name in ``role_rules.RULES`` and can be switched off
(``classify_deck(pages, rules=...)``), so that benchmarks/line_roles_lodo.py measures it leaving one deck out.

- ``meta_shapes``: on a deck's first two pages and its last one, a line that is only a person's name (two to
  four capitalised words, at least one of them an initial, a "Prof."/"Dr." title or a word that is no common
  word of the language, per wordfreq), a date with a month's name ("September 8, 2020", "Mars 2019"), a
  lecture's number alone ("Lecture 13", "Лекция 4", "第3讲"), a short line with a course-code shape
  ("CS 101", "15-445/645", "APSTA-GE 2352") or naming an institution or publisher (in several languages):
  course meta.
- ``repeated_meta``: a short line that comes back, digits normalised, on at least three pages and a fifth of
  the deck, anywhere on the page, and has one of the shapes above (or a term, a copyright sign, an e-mail):
  a footer at the page's edge, course meta elsewhere ("Dr. Fei Tan", "Y. Cheng UVA DS5110" in a slide's
  corner that the layout does not put at the edge).
- ``question_shapes``: an exercise by its opening or closing form, unnumbered: "Show that ...", "Prove that
  ...", "Explain why ...", "Montrer que ...", "Demuestre que ...", "试述 ...", "简述 ...", a Hindi line ending
  in a polite imperative ("... स्पष्ट कीजिए", "... लिखिए"); the lines a question in a script without
  capitals (Devanagari, Chinese) wraps onto, which case cannot tell; the plain lines under a line that is
  only an exercise label ("Exercises:", "思考题"), and the plain lines of a page titled as exercises
  ("Exercises", "Practice problems", "Quiz 2", "Ejercicios", "练习", "अभ्यास").
- ``course_name_title``: the biggest line of a title slide is the course's name, not the lecture's title, when
  it is part of a running footer that carries a course code ("Multiple Antenna Communications" over the
  footer "TSKS14 Multiple Antenna Communications 2020-04-15 <n>"): course meta. A footer without a code
  ("Chapter 13 Security Engineering") may repeat the lecture's own title, which stays the title.
- ``objectives_form``: learning objectives by their form: the items under a lead-in such as "By the end of
  this session you should be able to:" or "You will learn:" (not "You will:", which may be an exam's
  format), and, on a deck's first two or last page, a page whose lines (three or more, three quarters of
  them) open with a learning verb ("Explain ...", "Describe ...", "Identify ...", "Comprendre ...",
  "Identificar ..."): agenda, not exercises.
- ``agenda_label``: a page whose first or second line below the title is an outline's name alone ("Today's
  agenda", "Outline", "Learning objectives"), over at least two short lines (<= 8 words each), is an
  outline: the title the page rule read was something else (a course header, a section name).
- ``title_page_shift``: when the deck's first page holds fewer than two lines (a cover picture), its second
  page is the title slide.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence

import regex

from workers.ocr.line_cues import AGENDA_TITLE, PageLines, edge_key, strip_bullet, strip_end_numbers
from workers.ocr.role_rules import content_sentence

# --- person names -----------------------------------------------------------------------------------
_HONORIFIC = regex.compile(r"^(?:prof|dr|professor|mr|mrs|ms|profa|dra|ing|док|проф)\.?$", regex.I)
_INITIALS = regex.compile(r"^(?:\p{Lu}\.){1,3}(?:-\p{Lu}\.)?$")
_NAME_WORD = regex.compile(r"^\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}?[\p{Ll}'’]+)?\.?$")
_SEPARATORS = regex.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\bи\b|·|\|)\s*")
_BY = regex.compile(r"^(?:by|presented\s+by|instructor|lecturer|par|por|von)\s*[:：]?\s+", regex.I)
RARE_ZIPF = 3.0  # a word seen less than about once in a million words is no common word of the language


@functools.lru_cache(maxsize=4096)
def _rare(word: str, lang: str) -> bool:
    from wordfreq import zipf_frequency

    return zipf_frequency(word.strip(".’'"), lang) < RARE_ZIPF


def rare_word(word: str) -> bool:
    """No common word of its language (by wordfreq): a surname rather than "Security"."""
    return _rare(word.lower(), _lang_of(word))


def _lang_of(word: str) -> str:
    return "ru" if regex.search(r"\p{Cyrillic}", word) else "en"


_TECHNICAL = regex.compile(
    r"(?:tion|sion|ing|ment|ness|ity|ism|ics|ogy|ies|ive|ous|izer|iser|ifier|ator|ence|ance|able|ible)$",
    regex.I,
)


def _one_name(part: str, *, rare_ok: bool = True) -> bool:
    """Two to four capitalised words that are one person's name: an honorific ("Prof.", "Dr.") or an initial
    ("J. R."), or (``rare_ok``) a surname that is no common word of the language, and no word with the
    ending of a technical term ("Hebbian Learning", "Allopatric Speciation" are no names)."""
    tokens = part.split()
    if not 2 <= len(tokens) <= 4:
        return False
    evidence = False
    for n, token in enumerate(tokens):
        if (_HONORIFIC.match(token) and n == 0) or _INITIALS.match(token):
            evidence = True
        elif not _NAME_WORD.match(token) or _TECHNICAL.search(token.rstrip(".")):
            return False
    last = tokens[-1]
    if rare_ok and _NAME_WORD.match(last) and _rare(last.lower(), _lang_of(last)):
        evidence = True
    return evidence and any(_NAME_WORD.match(t) for t in tokens)


def is_person_line(line: str, *, rare_ok: bool = True) -> bool:
    """Only one to four people's names ("Prof. Jane Doe", "J. R. Smith and Klint Kanopka")."""
    text = _BY.sub("", strip_bullet(line)).strip()
    if not text or len(text) > 90 or regex.search(r"\d", text):
        return False
    parts = [p for p in _SEPARATORS.split(text) if p.strip()]
    return 1 <= len(parts) <= 4 and all(_one_name(p.strip(), rare_ok=rare_ok) for p in parts)


# --- dates, lecture numbers, course codes, institutions -----------------------------------------------
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|janvier|février|mars|avril|mai|juin|"
    r"juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|"
    r"septiembre|octubre|noviembre|diciembre|januar|februar|märz|juni|juli|oktober|dezember|"
    r"январ[ья]|феврал[ья]|марта?|апрел[ья]|ма[йя]|июн[ья]|июл[ья]|августа?|сентябр[ья]|октябр[ья]|"
    r"ноябр[ья]|декабр[ья])\.?"
)
_WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?"
_DATE_WORDS = regex.compile(
    rf"^(?:{_WEEKDAY}\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:de\s+)?{_MONTH}(?:\s+de)?,?\s+(?:19|20)\d{{2}}|"
    rf"{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}}|{_MONTH}\s+(?:de\s+)?(?:19|20)\d{{2}}|"
    r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)$",
    regex.I,
)
_LECTURE_NUMBER = regex.compile(
    r"^(?:lecture|lec\.?|class|session|week|module|unit|part|chapter|lesson|cours|clase|lección|tema|"
    r"vorlesung|kapitel|лекция|занятие|глава|अध्याय|पाठ)\s*#?\s*(?:\d{1,3}|[IVX]{1,5})[a-z]?"
    r"(?:\s*[,:–-]?\s*(?:(?:19|20)\d{2}|\d{1,2}[./-]\d{1,2}(?:[./-]\d{2,4})?))?$"
    r"|^第\s*[\d一二三四五六七八九十]+\s*[讲章课节]$",
    regex.I,
)
_NOT_COURSES = "ISO|RFC|IEEE|COVID|SARS|CVE|IPv|ANSI|DIN|GB|HTTP|RGB|DDR|GPU|CPU|USB|PCI|TCP|UDP|PORT|RTX|GTX"
_CODE_SHAPE = regex.compile(  # "CS 101", "APSTA-GE 2352", "15-445/645"; not a standard, a port or a year
    rf"(?<![\w.-])(?:(?!(?:{_NOT_COURSES})\b)\p{{Lu}}{{2,6}}(?:-\p{{Lu}}{{2,3}})?\s?(?!(?:19|20)\d{{2}}\b)\d{{3,5}}"
    r"[A-Z]?|\d{2}-\d{3}(?:\s*/\s*\d{2}-?\d{3})?)(?![\w.-])"
)
_CODE_ALONE = regex.compile(r"^(?!(?:COVID|SARS|MPEG|IPV)\d)\p{Lu}{3,6}\d{2,4}\p{Lu}?$")  # "TSKS14" alone
_YEAR_ALONE = regex.compile(r"^(?:19|20)\d{2}(?:[ab]|\s*[-–/]\s*[IVX12]{1,2})?$")  # "2022b", "2021-II"
_INSTITUTION = regex.compile(
    r"\b(?:universit(?:y|é|ät|at|à|eit|et)|universidad|universidade|uniwersytet|университет|институт|академия|"
    r"institute|institut|instituto|istituto|college|collège|school\s+of|escuela|escola|scuola|"
    r"department\s+of|dept(?=\.)|département|departamento|faculty\s+of|facultad|faculdade|fakultät|факультет|"
    r"academy|polytechnic|politecnico|polytechnique|école|hochschule|(?-i:Cent(?:er|re)\s+for)|opencourseware|"
    # publishers; "Pearson" only with its imprint ("Pearson correlation" is content)
    r"pearson\s+(?:education|prentice)|mcgraw[- ]hill|wiley|elsevier|o['’]reilly|cengage|"
    r"prentice[- ]hall|addison[- ]wesley|morgan\s+kaufmann|university\s+press|publishers|"
    r"publishing\s+(?:company|house|group))\b"
    r"|大学|学院|研究所|विश्वविद्यालय|महाविद्यालय|संस्थान",
    regex.I,
)
_TERM = regex.compile(
    r"\b(?:spring|summer|fall|autumn|winter|semester|trimester|printemps|automne|hiver|été|primavera|otoño|"
    r"invierno|verano|sommersemester|wintersemester|осень|весна|весенний|осенний)\s+(?:['’]\d{2}|(?:19|20)\d{2})\b"
    r"|\b(?:SS|WS)\s?(?:19|20)?\d{2}\b|\b(?:19|20)\d{2}\s*[-–/]\s*(?:19|20)?\d{2}\b",
    regex.I,
)
META_SHAPE_WORDS = 10  # a line longer than this is a sentence, not a label


def meta_shape(line: str, *, rare_names: bool = True) -> bool:
    """A line whose whole shape is course meta: a name, a date with a month, a lecture number, a short line
    with a course code, a term or an institution/publisher. ``rare_names``: a name known only by a surname
    that is no common word counts (on a deck's edge pages; not for lines repeated through the deck)."""
    text = strip_bullet(line).strip()
    if not text or text.endswith(("?", "？", ":", "：")):
        return False
    if (
        is_person_line(text, rare_ok=rare_names)
        or _DATE_WORDS.match(text)
        or _LECTURE_NUMBER.match(text)
        or _CODE_ALONE.match(text)
        or _YEAR_ALONE.match(text)
    ):
        return True
    # "Watson and Crick (Cambridge University) found the double helix" is a sentence, not a label
    short = len(text.split()) <= META_SHAPE_WORDS and not text.endswith(".") and not content_sentence(text)
    return short and bool(_CODE_SHAPE.search(text) or _TERM.search(text) or _INSTITUTION.search(text))


def meta_shapes(
    lines: Sequence[str], roles: list[str], content: Sequence[int], *, opening: bool = False
) -> None:
    """On a first, second or last page: lines of a course-meta shape (``meta_shape``) become meta. On the
    deck's opening page this holds for lines the layout boxed as a figure too (a logo's or a banner's words),
    and a name known only by its rare surname counts there, or beside a line already meta."""
    changeable = ("", "body", "heading", "figure_text") if opening else ("", "body", "heading")
    for n, i in enumerate(content):
        if roles[i] not in changeable:
            continue
        beside = any(roles[j] == "meta" for j in content[max(n - 1, 0) : n + 2] if j != i)
        if meta_shape(lines[i], rare_names=opening or beside):
            roles[i] = "meta"


# --- lines that come back on many pages, with a meta shape ---------------------------------------------
REPEAT_META_SHARE = 0.2
REPEAT_META_MIN = 3
_OWNER = regex.compile(r"©|\(c\)\s*(?:19|20)\d{2}|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b", regex.I)


def repeated_meta_keys(pages: Sequence[PageLines]) -> set[str]:
    """Keys (``edge_key``) of short lines found anywhere on REPEAT_META_SHARE of the deck's pages (at least
    REPEAT_META_MIN), the same but for numbers at their ends, that have a course-meta shape."""
    counts: Counter[str] = Counter()
    variants: dict[str, set[str]] = {}
    sample: dict[str, str] = {}
    for page in pages:
        seen = {line.strip() for line in page.lines if line.strip()}
        for line in seen:
            key = edge_key(line)
            variants.setdefault(key, set()).add(strip_end_numbers(line))
            sample.setdefault(key, line)
        counts.update({edge_key(line) for line in seen})
    threshold = max(REPEAT_META_MIN, int(len(pages) * REPEAT_META_SHARE + 0.999))
    out = set()
    for key, n in counts.items():
        line = sample[key]
        if n < threshold or len(variants[key]) != 1 or len(line.split()) > 12:
            continue
        if meta_shape(strip_end_numbers(line), rare_names=False) or _OWNER.search(line):
            out.add(key)
    return out


# --- exercises ------------------------------------------------------------------------------------------
_IMPERATIVE = regex.compile(
    r"^(?:show\s+that|prove\s+that|explain\s+(?:why|how|what|whether)|describe\s+(?:how|why)|"
    r"justify|discuss|compare\s+and\s+contrast|give\s+an\s+example|true\s+or\s+false|fill\s+in\s+the\s+blanks?|"
    r"montre[rz]\s+que|démontre[rz]\s+que|explique[rz]|justifie[rz]|calcule[rz]|"
    r"demuestr[ae]\s+que|demostrar\s+que|expli(?:que|car)|justifi(?:que|car)|calcul(?:e|ar)\s|"
    r"试(?:述|分析|比较|说明|解释|证明)|简述|论述|简答|思考)",
    regex.I,
)
_HINDI_IMPERATIVE = ("िए", "िये", "इए", "इये")  # polite imperative endings: "लिखिए", "स्पष्ट कीजिए"
_EXERCISE_TITLE = regex.compile(
    r"^(?:(?:(?:in-class|practice|review|discussion|self-test|sample|exam)\s+)?(?:exercises|problems)|"
    r"(?:practice|review|discussion|self-test|sample|exam|quiz)\s+questions|"
    r"(?:exercise|problem|question|quiz)\s*\d+[a-z]?|exercise|quiz(?:zes)?|problem\s+set\s*\d*|"
    r"check\s+your\s+understanding|test\s+yourself|try\s+(?:it|this)(?:\s+yourself)?|ejercicios?|problemas|"
    r"exercices?|übung(?:en)?|aufgaben?|упражнени[ея]|задачи|вопросы|练习题?|习题|思考题|复习题|课后练习|अभ्यास|"
    r"प्रश्न(?:ावली)?)\s*[.:：)]?$",
    regex.I,
)


def is_question_shape(line: str) -> bool:
    """An unnumbered exercise by its opening (or, in Hindi, closing) words."""
    text = strip_bullet(line).strip()
    if _IMPERATIVE.match(text) and (len(text.split()) >= 3 or regex.match(r"\p{Han}", text)):
        return True
    # the ending is checked on the stripped line: a pattern "\s*[।?]?\s*$" retries a run of spaces
    return (
        len(text.split()) >= 3
        and text.rstrip(" ।?.!").endswith(_HINDI_IMPERATIVE)
        and bool(regex.search(r"\p{Devanagari}", text))
    )


def exercise_title(title: str) -> bool:
    """A page title that names exercises ("Exercises", "Quiz 2", "Practice problems", "练习")."""
    return bool(_EXERCISE_TITLE.match(title.strip()))


def exercise_blocks(lines: Sequence[str], roles: list[str], content: Sequence[int]) -> None:
    """The plain lines under a line that is only an exercise label ("Exercises:", "Quiz 2", "思考题"), up to
    the next heading, are its exercises; the label is one too."""
    for n, i in enumerate(content):
        if roles[i] not in ("body", "heading", "question", "list_lead") or not exercise_title(lines[i]):
            continue
        below = []
        for j in content[n + 1 :]:
            if roles[j] in ("heading", "title") or exercise_title(lines[j]):
                break
            if roles[j] in ("body", "definition", "list_lead", "question"):
                below.append(j)
        if below:
            for j in [i, *below]:
                roles[j] = "question"


_SENTENCE_END = (".", "?", "？", "!", "！", ":", "：", "।", "॥", "。")
_ITEM_START = regex.compile(
    r"^(?:\(?(?:\d{1,3}|[a-hA-H]|[ivx]{1,4}|[क-घ])[.)]\s|ans\b|उत्तर|答[:：]?)", regex.I
)


def _caseless(text: str) -> bool:
    """The line's first letter belongs to a script without capitals (so case cannot show a wrapped line)."""
    first = next((ch for ch in text if ch.isalpha()), "")
    return bool(first) and not first.isupper() and not first.islower()


def caseless_question_runs(lines: Sequence[str], roles: list[str], content: Sequence[int]) -> None:
    """After a question that ends no sentence, up to three plain lines in a caseless script continue it
    (no bullet, number, option letter or "Ans"), up to the one that ends a sentence."""
    for n, i in enumerate(content):
        if roles[i] != "question" or not _caseless(strip_bullet(lines[i])):
            continue
        previous = i
        for j in content[n + 1 : n + 4]:
            text = lines[j].strip()
            if lines[previous].rstrip().endswith(_SENTENCE_END) or roles[j] != "body":
                break
            if strip_bullet(text) != text or _ITEM_START.match(text) or not _caseless(text):
                break
            roles[j] = "question"
            previous = j


# --- an outline named below the title -------------------------------------------------------------------
AGENDA_ITEM_WORDS = 8


def agenda_label_page(lines: Sequence[str], content: Sequence[int]) -> bool:
    """One of the first two lines (below the title) is only an outline's name, and the lines after it (two
    or more) are short."""
    for n, i in enumerate(content[:2]):
        text = strip_bullet(lines[i]).rstrip(":： ")
        match = AGENDA_TITLE.match(text)
        items = content[n + 1 :]
        if (
            match
            and match.end() == len(text)
            and len(items) >= 2
            and all(len(strip_bullet(lines[j]).split()) <= AGENDA_ITEM_WORDS for j in items)
        ):
            return True
    return False


# --- the course's name on the title slide ------------------------------------------------------------------
_KEY_CODE = regex.compile(r"(?<![a-z])[a-z]{2,6}#|#-#")  # a course code in a footer key ("tsks#", "#-#/#")


def course_name_title(title: str, running: set[str]) -> bool:
    """Whether the title slide's title (two words or more) is inside a running footer key that carries a
    course code (keys as ``line_cues.boilerplate_key`` makes them)."""
    key = " ".join(regex.sub(r"[^\w\s#]", " ", edge_key(title)).split())
    if len(key.split()) < 2:
        return False
    for line in running:
        plain = " ".join(regex.sub(r"[^\w\s#]", " ", line).split())
        if key in plain and key != plain and _KEY_CODE.search(plain.replace(key, " ")):
            return True
    return False


# --- learning objectives ------------------------------------------------------------------------------------
_OBJECTIVES_LEAD = regex.compile(
    r"\b(?:(?:should|will|must)\s+be\s+able\s+to|be\s+able\s+to\s*[:：]|(?:students|you)\s+will\s+learn(?:\s+to)?\s*[:：]|"
    r"by\s+the\s+end\s+of\s+(?:this|the|today)|(?:learning\s+)?(?:objectives|outcomes)\s*[:：]|"
    r"être\s+capable\s+de|ser\s+capa(?:z|ces)\s+de|आप\s(?:\S+\s){0,8}?सकेंगे)",
    regex.I,
)
_LEARNING_VERB = regex.compile(
    r"^(?:understand|explain|describe|identify|list|define|compare|apply|analy[sz]e|evaluate|discuss|"
    r"recogni[sz]e|know|outline|summari[sz]e|interpret|demonstrate|distinguish|learn|appreciate|"
    r"comprendre|expliquer|décrire|identifier|comprender|explicar|describir|identificar|conocer|"
    r"了解|理解|掌握|熟悉)\b",
    regex.I,
)
OBJECTIVES_SHARE = 0.75


def objectives(
    lines: Sequence[str], roles: list[str], content: Sequence[int], *, edge_page: bool = False
) -> None:
    """Learning objectives: the lines under an objectives lead-in, or (on an edge page) a page of lines
    opening with learning verbs, become agenda."""
    open_roles = ("body", "question", "definition", "list_lead", "heading")
    for n, i in enumerate(content):
        text = strip_bullet(lines[i])
        if roles[i] in (*open_roles, "title") and len(text.split()) <= 20 and _OBJECTIVES_LEAD.search(text):
            items = [j for j in content[n + 1 :] if roles[j] in open_roles]
            if len(items) >= 2:
                for j in [i, *items]:
                    roles[j] = "agenda"
                return
    if not edge_page:
        return
    plain = [i for i in content if roles[i] in open_roles]
    verbs = [i for i in plain if _LEARNING_VERB.match(strip_bullet(lines[i]))]
    if len(verbs) >= 3 and len(verbs) >= OBJECTIVES_SHARE * len(plain):
        for i in plain:
            roles[i] = "agenda"
