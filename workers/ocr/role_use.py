"""Using a page's line roles: its content without boilerplate, its title, its knowledge units (definitions
and lists). The roles themselves come from workers/ocr/roles.py, which re-exports these."""

from __future__ import annotations

from collections.abc import Sequence

from workers.ocr.line_cues import (
    DROPPED,
    KnowledgeUnit,
    is_continuation,
    is_credit,
    is_url,
    split_definition,
    strip_bullet,
)


# --- using roles ----------------------------------------------------------------------------------
def content_text(text: str, roles: Sequence[str] | None) -> str:
    """The page's text without footer, meta, credit and URL lines. Unchanged when the roles are missing or
    do not line up with the text (pages stored before roles existed)."""
    lines = text.split("\n")
    if not roles or len(roles) != len(lines):
        return text
    return "\n".join(line for line, role in zip(lines, roles, strict=True) if role not in DROPPED).strip()


def study_text(text: str, roles: Sequence[str] | None) -> str:
    """What study material may be built from: the page's content (``content_text``) without its outline
    (agenda) lines either, which name the lecture's sections and are no subject matter of their own: a
    repeated outline slide titled with the current section would otherwise read as that section's items."""
    lines = text.split("\n")
    if not roles or len(roles) != len(lines):
        return text
    kept = [line for line, role in zip(lines, roles, strict=True) if role not in DROPPED and role != "agenda"]
    return "\n".join(kept).strip()


def without_boilerplate(text: str) -> str:
    """Text with no line of its own role (a figure's caption or the words inside it): the lines that are a
    URL, an e-mail address or a credit go, as they go from a page's content. Deck-level roles (footers,
    meta) need the deck; these two are judged from the line alone."""
    return "\n".join(line for line in text.split("\n") if not (is_url(line) or is_credit(line)))


def page_title(text: str, roles: Sequence[str] | None, fallback: str) -> str:
    """The page's title from its roles: the title lines, else the fallback when it is not boilerplate."""
    lines = text.split("\n")
    if not roles or len(roles) != len(lines):
        return fallback
    titled = [line.strip() for line, role in zip(lines, roles, strict=True) if role == "title"]
    if titled:
        return " ".join(titled)[:300]
    dropped = [
        line.strip() for line, role in zip(lines, roles, strict=True) if role in DROPPED and line.strip()
    ]
    if any(line in fallback or fallback.strip() in line for line in dropped):
        kept = [
            strip_bullet(line)
            for line, role in zip(lines, roles, strict=True)
            if role and role not in DROPPED
        ]
        return kept[0][:300] if kept else ""
    return fallback


def knowledge_units(lines: Sequence[str], roles: Sequence[str], *, page: int) -> list[KnowledgeUnit]:
    """Definitions (term + explanation) and lists (lead-in + items) of one page, from its roled lines.
    A definition's wrapped lines join it; a heading just above an untermed definition gives the term."""
    units: list[KnowledgeUnit] = []
    pairs = [(strip_bullet(line), role) for line, role in zip(lines, roles, strict=False) if line.strip()]
    n = 0
    while n < len(pairs):
        text, role = pairs[n]
        if role == "definition":
            parts = [text]
            while (
                n + 1 < len(pairs)
                and pairs[n + 1][1] == "definition"
                and is_continuation(pairs[n + 1][0], parts[-1])
            ):
                n += 1
                parts.append(pairs[n][0])
            joined = " ".join(parts)
            split = split_definition(joined)
            term, expl = split if split else ("", joined)
            if not term and n - len(parts) >= 0 and pairs[n - len(parts)][1] == "heading":
                term = pairs[n - len(parts)][0].rstrip(":：")
            units.append(KnowledgeUnit("definition", page, term, expl))
        elif role == "list_lead":
            items: list[str] = []
            while n + 1 < len(pairs) and pairs[n + 1][1] in ("body", "definition", "question", "agenda"):
                n += 1
                item = pairs[n][0]
                if items and is_continuation(item, items[-1]):
                    items[-1] = f"{items[-1]} {item}"
                else:
                    items.append(item)
            if items:
                units.append(KnowledgeUnit("list", page, text.rstrip(":：").strip(), items=tuple(items)))
        n += 1
    return units
