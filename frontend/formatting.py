"""Plain-words labels for what the gateway answers: statuses, sizes, dates, intervals, card text; and
:func:`md`, the one way text that came from an upload (slide text, answers, cards, quiz questions, file
names, titles, subject names) reaches anything Streamlit renders as Markdown."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlsplit

LECTURE_STATUS = {
    "queued": "Waiting in line",
    "processing": "Being read",
    "done": "Ready",
    "failed": "Failed",
    "cancelled": "Cancelled",
}
STATUS_BADGE = {  # Markdown: a coloured Material icon and the words
    "queued": ":orange[:material/schedule:] Waiting in line",
    "processing": ":blue[:material/autorenew:] Being read",
    "done": ":green[:material/check_circle:] Ready",
    "failed": ":red[:material/error:] Failed",
    "cancelled": ":gray[:material/block:] Cancelled",
}
JOB_STATUS = {"queued": "waiting to start", "running": "working", **LECTURE_STATUS}
# Stages worth words of their own (the others, "page 3 of 12", "indexing", say enough as they are).
JOB_STAGE = {"waiting": "waiting for your earlier uploads to be read"}
TERMINAL_JOB = {"done", "failed", "cancelled"}
KIND_LABEL = {
    "ingest": "Reading",
    "cheatsheet": "Cheat sheet",
    "quiz": "Quiz",
    "flashcards": "Flashcards",
    "past_paper": "Past-paper answers",
}
KIND_ICON = {
    "cheatsheet": ":material/description:",
    "quiz": ":material/quiz:",
    "flashcards": ":material/style:",
    "past_paper": ":material/assignment:",
}
TEXT_SOURCE = {
    "text_layer": "the file's own text",
    "ocr": "OCR (read from the picture)",
    "pptx": "the PowerPoint file",
}
QUIZ_LETTERS = "ABCDEF"
_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::[^}]*)?\}\}")

# Markdown (CommonMark + GFM + Streamlit's extensions) is what Streamlit applies to st.markdown, captions,
# alerts, toasts, progress texts and widget labels. Any ASCII punctuation may be backslash-escaped; these
# characters start something (emphasis, code, links and images, raw HTML and entities, strikethrough,
# LaTeX, tables, headings, directives such as ``:red[...]``), and these do so at the start of a line
# (lists, setext underlines, ordered lists).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>~$|#&:{}])")
_MD_LINE_START = re.compile(r"^([-+=]|\d+(?=[.)]))")
# What Streamlit's Markdown still finds in plain text once escapes are resolved: bare links (GFM autolink
# literals: http://, www., e-mail addresses) and shortcodes (:smile:, :material/home:). An invisible word
# joiner (U+2060) keeps their parts apart.
_WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(?<=https)(?=:)|(?<=http)(?=:)|(?<=ftp)(?=:)|(?<=www)(?=\.)|(?<=@)")
_SHORTCODE = re.compile(r"(?<=:)(?=[\w+/-]+:)")
_URL_SAFE = ":/?#@!$&'*+,;=%~-._"  # kept in a link's address; the rest (<, >, spaces, quotes) encoded


def _md_line(line: str) -> str:
    line = _SHORTCODE.sub(_WORD_JOINER, _AUTOLINK.sub(_WORD_JOINER, line.strip()))
    line = _MD_SPECIAL.sub(r"\\\1", line)
    start = _MD_LINE_START.match(line)
    if start:
        end = start.end()
        line = line[:end] + "\\" + line[end:] if start.group(0)[0].isdigit() else "\\" + line
    return line


def md(value: object) -> str:
    """``value`` as literal text inside Markdown: no link, image, HTML, emphasis, heading, list, code,
    LaTeX, emoji or icon comes out of it; its line breaks stay line breaks (leading spaces go, or they
    would make a code block)."""
    text = "" if value is None else str(value)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "  \n".join(_md_line(line) for line in lines)


def md_line(value: object) -> str:
    """:func:`md` for one line (a widget label, a title in a sentence): line breaks become spaces."""
    return md(" ".join(str(value if value is not None else "").split()))


def md_link(text: object, url: object) -> str:
    """A Markdown link to a web page: the text escaped, the address only when it is http(s) (else the
    text alone, not a link)."""
    target = "" if url is None else str(url).strip()
    label = md_line(text if text else target)
    parts = urlsplit(target)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return label
    return f"[{label}](<{quote(target, safe=_URL_SAFE)}>)"


def human_size(size: int | None) -> str:
    value = float(size or 0)
    for unit in ("B", "KB", "MB"):
        if value < 1024:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def plural(count: int | None, noun: str) -> str:
    n = count or 0
    return f"{n} {noun}" + ("" if n == 1 else "s")


def lecture_name(lecture: dict[str, Any]) -> str:
    return str(lecture.get("title") or lecture.get("filename") or f"Lecture {lecture['id']}")


def failure_text(item: dict[str, Any]) -> str:
    if item.get("error_message"):
        return str(item["error_message"])
    code = item.get("error_code")
    return f"Processing failed ({code})." if code else "Processing failed for an unknown reason."


def parse_time(value: str | datetime | None) -> datetime | None:
    """An ISO timestamp from the gateway, as an aware UTC datetime."""
    if value is None or value == "":
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def now_utc() -> datetime:
    return datetime.now(UTC)


def span(delta: timedelta) -> str:
    """A short duration: ``"<1 min"``, ``"10 min"``, ``"3 h"``, ``"4 days"``, ``"2 mo"``."""
    seconds = max(delta.total_seconds(), 0)
    if seconds < 60:
        return "<1 min"
    minutes = seconds / 60
    if minutes < 60:
        return f"{minutes:.0f} min"
    hours = minutes / 60
    if hours < 24:
        return f"{hours:.0f} h"
    days = hours / 24
    if days < 31:
        return f"{days:.0f} day" + ("" if round(days) == 1 else "s")
    if days < 365:
        return f"{days / 30:.0f} mo"
    return f"{days / 365:.1f} y"


def short_date(value: str | datetime | None) -> str:
    moment = parse_time(value)
    return moment.strftime("%d %b %Y, %H:%M") if moment else ""


def cloze_front(text: str) -> str:
    """A cloze card's question: the hidden words become a blank."""
    return _CLOZE.sub("[…]", text)


def cloze_answer(text: str) -> str:
    """A cloze card's answer: the hidden words in bold."""
    return _CLOZE.sub(lambda m: f"**{m.group(1)}**", text)


def card_sides(card: dict[str, Any]) -> tuple[str, str]:
    """(question, answer) as a student reads them."""
    front, back = str(card.get("front") or ""), str(card.get("back") or "")
    if card.get("kind") == "cloze" or _CLOZE.search(front):
        return cloze_front(front), cloze_answer(front) if _CLOZE.search(front) else back
    return front, back


def card_markdown(card: dict[str, Any]) -> tuple[str, str]:
    """(question, answer) as Markdown: the card's own text escaped (:func:`md`), a cloze card's hidden
    words in bold."""
    front, back = str(card.get("front") or ""), str(card.get("back") or "")
    if not (card.get("kind") == "cloze" or _CLOZE.search(front)):
        return md(front), md(back)
    if not _CLOZE.search(front):
        return md(cloze_front(front)), md(back)
    hidden: list[str] = []

    def mark(match: re.Match[str]) -> str:
        hidden.append(match.group(1))
        return f"\x00{len(hidden) - 1}\x00"

    answer = md(_CLOZE.sub(mark, front))
    answer = re.sub("\x00(\\d+)\x00", lambda m: f"**{md_line(hidden[int(m.group(1))])}**", answer)
    return md(cloze_front(front)), answer


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


BOILERPLATE_ROLES = frozenset({"footer", "meta", "credit", "url"})  # as workers.ocr.roles.DROPPED
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def split_page_text(text: str, roles: list[str] | None) -> tuple[str, str]:
    """(content, boilerplate): a page's lines split by their roles; footers, course meta, credits and URLs go
    to the second, shown muted. All content when the page has no roles."""
    lines = text.split("\n")
    if not roles or len(roles) != len(lines):
        return text, ""
    main = [line for line, role in zip(lines, roles, strict=True) if role not in BOILERPLATE_ROLES]
    muted = [
        line for line, role in zip(lines, roles, strict=True) if role in BOILERPLATE_ROLES and line.strip()
    ]
    return "\n".join(main).strip(), "\n".join(muted)


def escape_markdown(text: str) -> str:
    return _MARKDOWN.sub(r"\\\1", text)
