"""Which question forms a quiz keeps, and the last checks every question passes before it is asked.

Blind judges rated 151 dev questions of three rounds (benchmarks/results/session3/judged_quiz_dev_*.json).
Valid share per form, as the quiz builder names them (``form_of``):

    form                      valid   what the judges said of the invalid ones
    fill_subject  (the blank   9/11   code fragments ("_____: CHAR(10)"), a blank on "security of a system"
      is the sentence's subject)       that the rest of the sentence gives away
    fill_inner    (a blank     4/21   no subject ("Only provides an estimate of _____"), several fills fit
      inside a line)                   ("From a _____ perspective"), a generic word ("protect an _____")
    tf_statement  (a line,    17/19   an example's detail, a self-evident "should" line
      true, self-contained)
    tf_section    ("On the    15/29   the section label need not hold for the line, a statement lifted off
      slides about X: ...")            its slide, OCR debris
    tf_falsified  (a number    0/6    "10 or 10 are commonly used", "Attacker gains access to an attack",
      or word swapped in a line)       "The For each fold, is the set": nonsense, not a plausible mistake
    tf_definition ("Term:      3/9    swapped OCR labels ("Swedish: Kid doesn't know"); clean siblings
      definition", swapped)            swapped (Resilience/Threat) were valid
    mc_term, sa_term          23/42   distractors of another kind (a slide title beside terms), generic
                                       definitions with several answers ("a common cause of ..."), a key
                                       word in the stem ("the infrastructure is configured": Infrastructure
                                       security); 11/11 once distractors were the lecture's sibling terms
    mc_definition, compare     8/14   two options true of the term, the key the one option in lower case
    mc_list                    0/2    items of an unrelated list as distractors; a title that is no list
    cause_effect               3/4    "the assessment" unnamed (fixed by naming its slide's topic)

So a quiz keeps: definitions asked as terms or as definitions with sibling distractors, compare, cause and
effect, true statements that stand on their own, a false statement only as a sibling term swapped into a
definition, and blanks only where the blank is the sentence's subject. It drops: falsified lines, lines
that need a section label, blanks inside a line, list questions whose distractors are not items of a sibling
list. Every question then passes ``form_problem``: a grammatical stem, the key's own words not in the stem,
distinct options of one form and of similar length.
"""

from __future__ import annotations

import re
from collections import Counter

from shared.schemas import QuizQuestion
from shared.text import content_tokens, fold, has_cjk, words
from workers.generation.i18n import PHRASES
from workers.generation.quiz_checks import _AUX as AUX
from workers.generation.quiz_checks import _NO_VERB_BEFORE as NO_VERB_BEFORE
from workers.generation.quiz_checks import (
    definition_problem,
    has_verb,
    same_kind,
    similar,
    statement_problem,
    term_problem,
)

BLANK = "_____"
# Verbs a subject blank is followed by: "_____ is concerned with ...", "_____ should set out ...".
_VERB_AFTER = re.compile(
    r"^(?:is|are|was|were|has|have|had|can|could|may|might|must|should|shall|will|would|does|do|did|"
    r"refers?|means?|denotes?|describes?|provides?|reduces?|allows?|makes?|uses?|requires?|helps?|"
    r"leads?|causes?|results?|consists?|contains?|includes?|takes?|gives?|occurs?|happens?|"
    r"[a-z]{3,}(?:s|ed))\b",
    re.I,
)
# The copula or defining verb after a subject blank in the other languages of the notes.
_COPULA = re.compile(
    r"^(?:是|指|称为|叫做|即|es|son|fue|era|se\s+define|se\s+denomina|это|является|называется)", re.I
)
# Plural nouns that end like a verb in -s: "_____ vulnerabilities are ..." blanks a modifier, not the subject.
_NOUN_ENDING = re.compile(r"(?:ies|ions|ments|ness|ers|ors|ics|ants|ents|ures|ships|ities|ages|ss)$", re.I)
_VERBS = re.compile(r"^(?:is|are|was|were|has|have|had|can|could|may|might|must|should|shall|will|would)$")
# A question may end on a preposition ("what may X lead to?"), not on an article or a conjunction.
_QUESTION_DANGLING = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "nor",
        "if",
        "that",
        "which",
        "whose",
        "its",
        "their",
        "this",
        "these",
        "those",
        "very",
    ]
)
_SECTION_FRAMES = tuple(p["on_slides"].split("{")[0].strip() for p in PHRASES.values() if "on_slides" in p)
_IN_SECTION = re.compile(r"^In [^:?]{2,80}: ")
# A line in headline style: a singular agent noun without its article ("Attacker gains access ...", "User
# enters a password"); such lines are cells of a table or steps of a figure, whose row or arrow says what
# they are about. Words in -er/-or that are no such nouns are left alone.
_HEADLINE = re.compile(
    r"^(?!(?:Other|Either|Neither|Later|Under|After|Never|However|Rather|Whether|Further|Over|Ever|Together|"
    r"Major|Minor|Prior|Power|Water|Order|Behaviou?r|Error|Color|Colour|Poor|Per|For)\b)[A-Z][a-z]+(?:er|or)\s+[a-z]{2,}s\b"
)
_COMPARE = re.compile(r"^Which of these describes (?P<asked>.+), as opposed to (?P<rival>.+)\?$")
_BULLET = re.compile(r"[•◦▪■□►➢✓]")


def _frames(key: str) -> list[str]:
    """The fixed openings of a phrase in every language ("True or false: ", "Fill in the blank: ")."""
    return [p[key].split("{")[0] for p in PHRASES.values() if key in p]


TF_FRAMES = _frames("tf")
NAME_ITEMS_FRAMES = _frames("name_items")
FILL_FRAMES = _frames("fill")


def body(prompt: str, frames: list[str]) -> str:
    """The prompt without its fixed opening."""
    for frame in frames:
        if prompt.startswith(frame):
            return prompt[len(frame) :]
    return prompt


def section_framed(prompt: str) -> bool:
    """A statement attributed to a section ("On the slides about X: ...", "In X: ..."): the label need not
    hold for the line, and the line could not stand alone."""
    text = body(body(prompt, TF_FRAMES), FILL_FRAMES)
    return any(frame and text.startswith(frame) for frame in _SECTION_FRAMES) or bool(_IN_SECTION.match(text))


def subject_blank(sentence: str) -> bool:
    """Whether the blank is the sentence's subject: "_____ is concerned with ...", "The _____ should ...",
    "_____: a weakness ..."; not "The _____ information and the tuples are deleted" (which operation?) nor a
    blank inside the line ("From a _____ perspective", "protect an _____"), where several words fit."""
    m = re.match(rf"^(?:(?:the|a|an)\s+)?{BLANK}(?P<rest>.*)$", sentence.strip(), re.I)
    if m is None:
        return False
    rest = m["rest"]
    if rest.lstrip().startswith((":", "：", "—", "–", " - ")) or rest.startswith(" - "):
        return True  # a glossary line: "_____: a weakness ...", "_____ — кратчайший путь ..."
    if _COPULA.match(rest.lstrip()):
        return True  # "_____是指……", "_____ es un ...", "_____ son ...", "_____ это ..."
    if re.match(r"^\s*\([A-Z][A-Za-z-]*\)", rest):  # "_____ (DFD) is ..."
        rest = re.sub(r"^\s*\([^)]*\)", "", rest)
    after = rest.strip().split()
    if not after:
        return False
    word = after[0].lower()
    return bool(_VERBS.match(word)) or (bool(_VERB_AFTER.match(word)) and not _NOUN_ENDING.search(word))


def agree(statement: str, term: str) -> str:
    """The verb after a swapped-in term agrees with it: "RuBisCO are the organelles" -> "RuBisCO is ..."
    (a singular term: no final s, or an abbreviation)."""
    m = re.match(rf"^((?:the\s+)?{re.escape(term)}\s+)(is|are)\b", statement, re.I)
    if m is None:
        return statement
    last = term.split()[-1]
    plural = last.endswith("s") and not re.search(r"(?:ss|is|us|ics)$", last) and not last.isupper()
    verb = "are" if plural else "is"
    return statement[: m.start(2)] + verb + statement[m.end(2) :]


def key_words_in_stem(q: QuizQuestion, lang: str) -> bool:
    """The key's distinctive word stands in the stem ("... where the infrastructure is configured":
    Infrastructure security; "describes Infrastructure security, as opposed to Application security?" with
    the key "a systems management problem where the infrastructure is configured ..."). For options, a word
    that a distractor shares is not distinctive."""
    if q.kind == "true_false" or has_cjk(q.answer_text):
        return False
    if q.kind != "multiple_choice" and len(words(q.answer_text)) > 6:
        return False
    key = {w for w in content_tokens(q.answer_text, lang) if len(w) >= 4}
    items = [set(content_tokens(i, lang)) for i in q.answer_text.split(";")]
    if (
        len(items) >= 2
    ):  # a list's key: the word all its items share names their kind ("... gate"), as the stem may
        key -= items[0].intersection(*items[1:])
    if q.kind == "multiple_choice":
        for option in q.options:
            if option != q.answer_text:
                key -= set(content_tokens(option, lang))
    stem_words = set(content_tokens(q.prompt.replace(BLANK, " "), lang))
    compare = _COMPARE.match(q.prompt)
    if compare:  # the asked term's own words: a word both terms share points to neither
        stem_words = set(content_tokens(compare["asked"], lang)) - set(content_tokens(compare["rival"], lang))
    return bool(key & stem_words)


def stem_problem(q: QuizQuestion, lang: str) -> str | None:
    """Why the stem is no grammatical question or instruction: a question ends with "?" and does not stop on
    a dangling word; "True or false:" is followed by a whole statement (or "Term: definition"); "Fill in the
    blank:" by a whole sentence with one blank."""
    prompt = " ".join(q.prompt.split())
    if not prompt or _BULLET.search(prompt) or prompt.count("(") != prompt.count(")"):
        return "debris"
    if q.kind in ("true_false", "fill_blank") and section_framed(prompt):
        return "section_label"  # (a cause-and-effect question may name its slide's topic: 3 of 4 valid)
    if q.kind == "true_false":
        statement = body(prompt, TF_FRAMES).rstrip(" .")
        if statement == prompt.rstrip(" ."):
            return "no_frame"
        if lang == "en" and _HEADLINE.match(statement):
            return "headline"  # "Attacker gains access to an asset": a table cell, whose row names the thing
        return None if _statement_ok(statement, lang) else "not_a_statement"
    if q.kind == "fill_blank":
        sentence = body(prompt, FILL_FRAMES).rstrip(" .")
        if sentence == prompt.rstrip(" .") or sentence.count(BLANK) != 1:
            return "no_frame"
        if not subject_blank(sentence):
            return "inner_blank"
        if re.match(rf"^{BLANK}\s*[:：]", sentence):
            rest = re.split(r"[:：]", sentence, maxsplit=1)[1]
            return "not_a_statement" if definition_problem(rest, lang) else None
        filled = sentence.replace(BLANK, "Xylem" if not has_cjk(sentence) else "术语", 1)
        return "not_a_statement" if statement_problem(filled, lang) else None
    if not prompt.endswith(("?", "？")):
        return "not_a_question"
    last = words(prompt.rstrip("?？ "))
    if last and last[-1].lower() in _QUESTION_DANGLING and not has_cjk(prompt):
        return "dangling"
    return None


# What follows a relative or subordinate word is not the main clause: "The level of protection that is
# required", "Interception threats that allow an attacker ...", "Infrastructure security, which is ...".
# (an adverbial clause, "When the owner is deleted, ..." or "The gold standard when you ... is", is left in)
_SUBORDINATE = re.compile(r"\b(?:that|which|who|whom|whose|to)\b.*$", re.I)


def main_verb(statement: str) -> bool:
    """Whether an English line has a finite verb in its main clause (a relative clause's verb does not count;
    a plural noun in a comma list, "Tools, techniques and methods", is no verb): a noun phrase with a
    relative clause is a slide's heading or a table cell, not a statement."""
    main = _SUBORDINATE.sub("", statement.strip())
    tokens = re.findall(r"[A-Za-z][\w'’-]*|[,;:–—()]", main)
    low = [x.lower() for x in tokens]
    if not low or re.fullmatch(r"[a-z]{3,}ed", low[0]):  # "Concerned with ...", "Developed by IBM"
        return False
    for i, w in enumerate(low):
        if w in AUX:
            return i > 0
        inflected = bool(re.fullmatch(r"[a-z]{3,}(?:s|ed)", w)) and not _NOUN_ENDING.search(w)
        after_word = i > 0 and low[i - 1].isalpha() and low[i - 1] not in NO_VERB_BEFORE
        if inflected and after_word and i < len(low) - 1:
            return True
    return False


def _statement_ok(statement: str, lang: str) -> bool:
    """A whole sentence with a verb in its main clause, or a glossary line "Term: definition" whose parts
    pass the term and definition checks (the sibling-swapped definitions judges found valid)."""
    if "|" in statement:
        return False
    if statement_problem(statement, lang) is None and (lang != "en" or main_verb(statement)):
        return True
    m = re.match(r"^(?P<term>[^:]{2,60}):\s+(?P<def>.+)$", statement)
    if m is None or re.search(r"[.!?]\s+[A-Z]", m["def"]):  # one definition, not "... Tense. That is, kid"
        return False
    return term_problem(m["term"], lang) is None and definition_problem(m["def"], lang) is None


def options_problem(q: QuizQuestion, lang: str) -> str | None:
    """Why the options would let a student guess: two saying the same, one of another form than the key (a
    sentence beside terms), or the key much longer or shorter than every distractor."""
    if q.kind != "multiple_choice":
        return None
    key = q.answer_text
    others = [o for o in q.options if o != key]
    if len(others) != len(q.options) - 1:
        return "key_not_an_option"
    for i, a in enumerate(q.options):
        for b in q.options[i + 1 :]:
            if fold(a) == fold(b) or (len(words(a)) > 3 and similar(a, b, lang, threshold=0.6)):
                return "options_alike"
    if any(not same_kind(key, o) for o in others):
        return "mixed_forms"
    name = lang == "en" and len(words(key)) <= 4 and not has_verb(words(key))
    if name and any(len(words(o)) >= 3 and has_verb(words(o)) for o in others):
        return "mixed_forms"  # a clause ("Word order is important") beside a name ("Exploding gradients")
    if has_cjk(key):
        return None
    n_key, n_other = len(words(key)), [len(words(o)) for o in others]
    if n_key >= 2 * max(n_other) and n_key - max(n_other) >= 4:
        return "key_longest"
    if 2 * n_key <= min(n_other) and min(n_other) - n_key >= 4:
        return "key_shortest"
    return None


def form_problem(q: QuizQuestion, lang: str) -> str | None:
    """The last checks of every question: its stem, its key, its options."""
    if reason := stem_problem(q, lang):
        return f"stem:{reason}"
    if key_words_in_stem(q, lang):
        return "key_in_stem"
    if reason := options_problem(q, lang):
        return f"options:{reason}"
    if reason := recall_problem(q, lang):
        return f"recall:{reason}"
    return None


_DEFINED_AS = re.compile(r"^(?:Which term is defined as:|What (?:is|are)) (?P<definition>.+)\?$")


def recall_problem(q: QuizQuestion, lang: str) -> str | None:
    """A question that asks for a term: the key and every option name a concept ("3 relations", "Two
    important ICs" and "Data (assets)" do not), and the definition in the stem pins one term ("What is a
    table, with rows and columns?" fits several; "defined as: that attacks on one system ..." is a clause)."""
    if q.kind not in ("short_answer", "multiple_choice") or "According to the slides" in q.prompt:
        return None
    if any(q.prompt.startswith(frame) for frame in NAME_ITEMS_FRAMES):
        return None  # a list's items, each checked as a name where the question is built (quiz_lists)
    names = [q.answer_text] if q.kind == "short_answer" else q.options
    if q.kind == "multiple_choice" and not all(len(words(o)) <= 6 for o in q.options):
        return None  # definitions as options ("What is Security?"): checked as definitions upstream
    if any(term_problem(n, lang) for n in names):
        return "not_a_term"
    m = _DEFINED_AS.match(" ".join(q.prompt.split()))
    if m and len(words(m["definition"])) > 2:
        minimum = 4 if q.kind == "short_answer" else 3
        if definition_problem(m["definition"], lang, min_words=minimum):
            return "vague_definition"
    return None


def form_of(q: QuizQuestion) -> str:
    """The form of a built question, named as in the table above (for notes, tests and measurements)."""
    prompt = q.prompt
    if q.kind == "fill_blank":
        return "fill_subject" if subject_blank(body(prompt, FILL_FRAMES)) else "fill_inner"
    if q.kind == "true_false":
        if section_framed(prompt):
            return "tf_section"
        return "tf_definition" if re.match(r"^[^:]{2,60}: ", body(prompt, TF_FRAMES)) else "tf_statement"
    if q.kind == "short_answer":
        if any(prompt.startswith(frame) for frame in NAME_ITEMS_FRAMES):
            return "name_items"
        return "cause_effect" if "According to the slides" in prompt else "sa_term"
    if "as opposed to" in prompt:
        return "compare"
    if "items of" in prompt:
        return "mc_list"
    return "mc_term" if all(len(words(o)) <= 6 for o in q.options) else "mc_definition"


# --- a shorter quiz says so ----------------------------------------------------------------------------
SHORT_NOTE = {
    "en": "Only {made} of the {asked} questions asked passed the quality checks.",
    "es": "Solo {made} de las {asked} preguntas pedidas pasaron los controles de calidad.",
    "ru": "Проверку качества прошли только {made} из {asked} запрошенных вопросов.",
    "zh": "只有 {made} 道题（共要求 {asked} 道）通过了质量检查。",
}
LECTURE_NOTE = {
    "en": "“{lecture}” gave {n} good question(s).",
    "es": "«{lecture}» dio {n} pregunta(s) válida(s).",
    "ru": "«{lecture}»: {n} вопрос(ов) прошли проверку.",
    "zh": "「{lecture}」只得到 {n} 道合格题目。",
}


def shortfall_note(
    lang: str, asked: int, made: list[QuizQuestion], lectures: list[tuple[int, str]], *, named: bool = True
) -> str:
    """Empty for a full quiz; else how many questions passed, and how many each lecture gave (even none).
    ``named`` False: the student named no count (``asked`` is the generator's default, which grows with the
    slides), so no "N of M asked" is said; only a lecture that gave no question is named."""
    if len(made) >= asked:
        return ""
    per = Counter(q.source.lecture_id for q in made)
    note = LECTURE_NOTE.get(lang, LECTURE_NOTE["en"])
    if not named:
        return " ".join(note.format(lecture=title, n=0) for lid, title in lectures if not per.get(lid))
    parts = [SHORT_NOTE.get(lang, SHORT_NOTE["en"]).format(made=len(made), asked=asked)]
    parts += [note.format(lecture=title, n=per.get(lid, 0)) for lid, title in lectures]
    return " ".join(parts)
