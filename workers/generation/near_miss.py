"""Lines that look like study facts and are not: course logistics (dates and times, rooms, grading,
homework, the next class, office hours) and an exam paper's header and instructions ("Choose the correct
option", "Q.1", "Marks: 2", "Time allowed: 60 minutes"). The line roles (workers/ocr/role_rules.py) already
drop course meta by its label ("Instructor: ...", "Room: B-204", "Fall 2019") and validity.py some logistics
words; these are the forms they let through. English first, with the cheap equivalents in the other languages
of our decks (Spanish, French, Russian, Hindi)."""

from __future__ import annotations

import re

# A clock time ("10:30 am", "14h00", "3 pm") or a weekday with a time or date: when and where a class meets.
_WEEKDAY = (
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|lunes|martes|miércoles|jueves|viernes|"
    r"lundi|mardi|mercredi|jeudi|vendredi|понедельник|вторник|среда|четверг|пятница"
)
_TIME = r"\b\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)(?!\w)|\b\d{1,2}[:h]\d{2}\b"
_SCHEDULE = re.compile(
    rf"\b(?:{_WEEKDAY})\b.{{0,30}}(?:{_TIME}|\b\d{{1,2}}(?:st|nd|rd|th)?\b)|(?:{_TIME}).{{0,20}}\b(?:{_WEEKDAY})\b"
    rf"|\b(?:room|rm\.|hall|building|bldg\.?|aula|salle|аудитория)\s*[#:]?\s*[A-Z]?-?\d{{1,4}}",
    re.I,
)
# The course as a course: grading, homework, readings, the next class, office hours, submitting work.
_LOGISTICS = re.compile(
    r"\b(?:grad(?:e|es|ing)\s+(?:is|are|will|policy|breakdown|scheme|distribution)|"
    r"(?:final|midterm|mid-term)\s+(?:exam|grade|project)|(?:exam|quiz|test)\s+(?:on|next|date|will\s+be)|"
    r"problem\s+sets?|psets?\b|homeworks?|assignments?\s+(?:\d|due|will\s+be\s+(?:due|posted|released))|"
    r"(?:is|are)\s+due\b(?!\s+to)|next\s+(?:class|lecture|session|time|week)|(?:last|previous)\s+"
    r"(?:lecture|session|week)|last\s+time|office\s+hours?|"
    r"(?:reading|readings)\s+(?:for|assignment)|(?:please\s+)?submit\s+(?:your|the|via|by|on)|"
    r"late\s+(?:policy|submissions?|penalty)|attendance|extra\s+credit|piazza|moodle|gradescope|"
    r"see\s+you|any\s+questions|thank\s+you\s+for|"
    r"próxima\s+clase|la\s+clase\s+(?:que\s+viene|siguiente)|tarea(?:s)?\s+(?:para|\d)|entrega\s+(?:de|el)|"
    r"calificaci[oó]n|prochain\s+cours|devoirs?\s+(?:à|pour|\d)|rendre\s+(?:le|les|avant)|"
    r"следующ\w+\s+(?:лекци|заняти|недел)\w*|домашн\w+\s+задани\w*|зач[её]т\w*)\b",
    re.I,
)
# An exam paper's instructions and question furniture.
_EXAM = re.compile(
    r"^\W*(?:(?-i:Q)(?:uestion)?\s*\.?\s*(?:no\.?\s*)?\d{1,3}\b|question\s+\d{1,3}\b|प्रश्न\s*(?:सं\.?|संख्या)?\s*[\d०-९]+)"
    r"|\b(?:choose|select|pick|mark|tick|circle)\s+(?:the\s+)?(?:correct|right|best|most\s+appropriate)\s+"
    r"(?:option|answer|alternative|choice)s?\b"
    r"|\b(?:marks?|points?)\s*[:=]\s*\d|\(\s*\d+\s*(?:marks?|points?|pts)\s*\)|\b\d+\s*(?:marks?|pts)\b"
    r"|\b(?:time\s+allowed|maximum\s+marks|max\.?\s+marks|total\s+marks|negative\s+marking|answer\s+(?:all|any)"
    r"|attempt\s+(?:all|any)|(?:read|follow)\s+the\s+(?:following\s+)?instructions|instructions\s+to\s+"
    r"candidates|roll\s+(?:no|number)|answer\s+sheet|question\s+paper|do\s+not\s+write)\b"
    r"|सही\s+(?:विकल्प|उत्तर)|विकल्प\s+(?:चुन|का\s+चयन)|निर्देश|अंक\s*[:：]?\s*[\d०-९]|प्रश्न\s+पत्र"
    r"|elija\s+la\s+(?:opci[oó]n|respuesta)\s+correcta|choisissez\s+la\s+bonne\s+r[ée]ponse|"
    r"выберите\s+(?:правильный|верный)\s+(?:ответ|вариант)",
    re.I,
)


def near_miss_reason(text: str) -> str | None:
    """Why a line is course logistics or an exam's instructions rather than subject matter, or None."""
    flat = " ".join(text.split())
    if not flat:
        return None
    if _EXAM.search(flat):
        return "exam_instructions"
    if _SCHEDULE.search(flat) or _LOGISTICS.search(flat):
        return "logistics"
    return None
