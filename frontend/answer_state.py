"""What an answer is, said honestly: a cited answer, a refusal ("not in your notes"), an answer no slide
backs, an empty one, or one that was stopped. Only a cited answer is shown as a success."""

from __future__ import annotations

from typing import Any

from frontend.formatting import plural

# workers/ai/answer.py NOT_FOUND: the start of every refusal (kept in the stored message too).
REFUSAL_START = "I could not find this in your notes"

ANSWERED, REFUSED, UNCITED, EMPTY, STOPPED = "answered", "refused", "uncited", "empty", "stopped"


def kind_of(result: dict[str, Any]) -> str:
    """The kind of a finished answer (``chat.done`` or a stored message)."""
    if result.get("stopped"):
        return STOPPED
    text = str(result.get("answer", result.get("content")) or "").strip()
    if not text:
        return EMPTY
    if result.get("answered_from_notes") is False or text.startswith(REFUSAL_START):
        return REFUSED
    return ANSWERED if result.get("citations") else UNCITED


def status_line(kind: str, citations: int, first_token: float | None) -> tuple[str, str]:
    """The label and state (``complete`` only for a cited answer) of the answer's status box."""
    timing = f" · first words after {first_token:.1f} s" if isinstance(first_token, int | float) else ""
    if kind == ANSWERED:
        return f"Answered from {plural(citations, 'slide')}{timing}", "complete"
    if kind == REFUSED:
        return "Not in your notes", "error"
    if kind == UNCITED:
        return "No slide backs this answer: check it against your notes", "error"
    if kind == STOPPED:
        return "Stopped before the answer was finished", "error"
    return "No answer came back", "error"
