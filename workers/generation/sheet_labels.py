"""What leads a cheat-sheet entry and what it must say (the rubric's V1/V9), on top of sheet_rules.py.

- A label is the slide's or section's topic: a short phrase that starts like a title (not OCR debris such as
  ". More Dutch", not the lower-case rest of a sentence), one sentence at most ("What happens in English? Why
  is "s" deleted?" is the first lines of a handout, not a title), not an example or an analogy, not logistics
  or an exam's instructions, and not a word that names no topic ("Key intuition", "Summary", "In practice":
  every content word of it is a form label).
- Every point, term and definition of an entry is a complete unit (complete.py).
- A short phrase among a section's statements ("Security specification: Four major differences") is a
  sub-heading, or an item whose list is elsewhere, and a section whose only content is one short phrase
  ("Training: Backpropagation through time") states nothing: neither is shown.
- A title that names no topic ("In practice") takes the topic of the section before it ("Data splitting:
  In practice"); with none before it, the section gives no entry.
- A key term is a concept's name, not a form word with its "of" phrase ("major strength of the model").
"""

from __future__ import annotations

import re

from shared.text import sentences, stopwords, words
from workers.generation.cardrules import readable
from workers.generation.complete import incomplete_reason, lower_start, sentence_like
from workers.generation.gate import example_line
from workers.generation.near_miss import near_miss_reason
from workers.generation.sheet_rules import point_reason, tidy
from workers.generation.validity import GENERIC_LABELS, agenda_title, boilerplate_reason, entry_ok

# Words that, with the form labels of validity.GENERIC_LABELS, still name no topic ("Key intuition",
# "The big picture", "In practice", "Some remarks").
_EMPTY_TOPIC = GENERIC_LABELS | frozenset(
    """key main basic general big important central core simple another more further final brief quick short
    overall practice picture remark remarks thought thoughts takeaway takeaways lesson lessons point points
    insight insights analogy analogies detail details aside discussion background review major minor
    strength strengths weakness weaknesses benefit benefits drawback drawbacks feature features""".split()  # noqa: SIM905
)
_ANALOGY = frozenset({"analogy", "analogies", "analogie", "analogía", "аналогия"})
# A title asking why one should study a subject: the lecturer's case for the subject
# ("Why Study the Relational Model?": "Most widely used model", its vendors), no concept a student revises
# (blind dev judges: motivation, a near miss). "Why the LSTM name" or "Why is s deleted?" ask about the
# matter; a slide titled "Motivation" may state key ideas and stays.
_MOTIVATION = re.compile(
    r"^(?:why\s+(?:study|learn|care|bother|should\s+(?:we|you|i)\s+(?:study|learn|care))\b|"
    r"pourquoi\s+(?:étudier|apprendre)\b|por\s+qué\s+(?:estudiar|aprender)\b|зачем\s+(?:изучать|учить)\b)",
    re.I,
)
MIN_LONE_POINT_WORDS = 6


def label_reason(title: str, lang: str = "en") -> str | None:
    """Why a section title cannot lead an entry, or None."""
    flat = " ".join(title.split())
    if not flat:
        return "empty"
    head = flat.lstrip("\"'“‘«(")
    if not head[:1].isalnum():
        return "leading_debris"  # ". More Dutch (Weverink)", "¥ Results"
    if lower_start(flat):
        return "lower_start"  # the rest of a sentence, not a title
    if incomplete_reason(flat, lang, phrase=True):
        return "incomplete"
    if len(sentences(flat, lang)) > 1:
        return "several_sentences"
    if example_line(flat) or near_miss_reason(flat):
        return "not_a_topic"
    tokens = [w.casefold() for w in words(flat) if any(ch.isalpha() for ch in w)]
    if _MOTIVATION.match(head):
        return "motivation"
    if any(t in _ANALOGY for t in tokens):
        return "analogy"  # "An Analogy: Course Grading": the course stands in for the concept
    content = [t for t in tokens if t not in stopwords(lang)]
    if content and all(t in _EMPTY_TOPIC for t in content):
        return "names_no_topic"
    return None


def point_complete(text: str, lang: str = "en") -> bool:
    """A point of an entry that is a complete unit: a sentence must start as one; a phrase may not."""
    return incomplete_reason(text, lang, phrase=not sentence_like(text)) is None


def short_phrase(text: str) -> bool:
    """A short phrase (a sub-heading, a list's item out of its list), not a sentence ("Views are stored
    queries.") nor a list joined in one line."""
    if " • " in text or sentence_like(text):
        return False
    return len([w for w in words(text) if any(ch.isalpha() for ch in w)]) < MIN_LONE_POINT_WORDS


MIN_LIST_ITEMS, MAX_LIST_ITEMS = 3, 10


def as_one_list(points: list[str]) -> str | None:
    """A section made mostly of short items (a list too long or too mixed for keyterms.as_list: "Types of
    security requirement": ten "... requirements." lines) as one line of its items, or None."""
    items = [p.rstrip(" .;") for p in points if " • " not in p and _letter_words(p) < MIN_LONE_POINT_WORDS]
    items = [i for i in items if _named_item(i)]
    if len(items) < MIN_LIST_ITEMS or len(items) * 10 < len(points) * 7:
        return None
    return " • ".join(items[:MAX_LIST_ITEMS])


def list_entry(points: list[str], title: str, lang: str = "en") -> str | None:
    """A section of many short items and no lead-in as one line of its items (as_one_list), from the items
    a sheet may show: no boilerplate, readable, complete, no code, question or table row."""
    if any(p.rstrip().endswith((":", "：")) for p in points):
        return None  # a lead-in and its items: sheet_lists.with_lead_in_lists joins them
    items = [tidy(p) for p in points if entry_ok(title, p) and readable(p, lang)]
    return as_one_list([i for i in items if point_reason("", i) in (None, "fragment") and point_complete(i)])


def _named_item(text: str) -> bool:
    """An item that names something in words ("Privacy requirements"), not a table's cell ("sid",
    "Carnatic101", "A B")."""
    ws = words(text)
    return _letter_words(text) >= 2 and all(len(w) >= 2 for w in ws) and not any(ch.isdigit() for ch in text)


def _letter_words(text: str) -> int:
    return len([w for w in words(text) if any(ch.isalpha() for ch in w)])


def statements_first(points: list[str]) -> list[int]:
    """The indexes of a section's points worth showing: its statements when it has any (a short phrase
    among them is a sub-heading, "Four major differences", or an item whose list is elsewhere), else all
    its phrases when they are several; a lone short phrase names a sub-topic and states nothing (none)."""
    keep = [i for i, p in enumerate(points) if not short_phrase(p)]
    if keep:
        return keep
    return list(range(len(points))) if len(points) >= 2 else []


def term_reason(term: str, lang: str = "en") -> str | None:
    """Why a key term is no concept's name, or None: cut or unbalanced, or a form word with its "of"
    phrase ("major strength of the relational model", "main idea of bagging")."""
    if incomplete_reason(term, lang, phrase=True):
        return "incomplete"
    head, of, _ = " ".join(term.split()).casefold().partition(" of ")
    if of and head.split() and all(w in _EMPTY_TOPIC for w in head.split() if w not in stopwords(lang)):
        return "names_no_concept"
    return None


def topic_titles(titles: list[str], lang: str = "en", dividers: list[str | None] | None = None) -> list[str]:
    """The section titles with a title that names no topic ("In practice", "Key intuition") led by the topic
    of the section before it ("Data splitting: In practice"): the slide goes on about that topic. A divider
    slide between them (``dividers[k]``: a title with no content, "Long short-memory networks") starts a
    new topic: it, not the section before it, leads "Key intuition"."""
    out: list[str] = []
    topic = ""
    for k, title in enumerate(titles):
        divider = dividers[k] if dividers and k < len(dividers) else None
        if divider and label_reason(divider, lang) is None:
            topic = divider
        reason = label_reason(title, lang)
        wrap_up = boilerplate_reason(title) or agenda_title(title)  # "Summary" is about the whole lecture
        if reason == "names_no_topic" and topic and not wrap_up:
            out.append(f"{topic}: {title}")
            continue
        if reason is None:
            topic = title
        out.append(title)
    return out
