"""Plain-words labels for what the gateway answers: statuses, sizes, dates, intervals, card text."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

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
