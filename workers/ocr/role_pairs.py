"""Term-over-explanation pairs and one-word list lead-ins (moved out of workers/ocr/roles.py, which calls
``term_pairs_and_leads`` at the end of a page's pass)."""

from __future__ import annotations

import itertools

from workers.ocr.line_cues import strip_bullet


def _short_term(line: str) -> bool:
    text = strip_bullet(line).rstrip(":：")
    return (
        0 < len(text.split()) <= 4
        and text[:1].isupper()
        and not text.endswith((".", ",", ";", "?", "!"))
        and not any(ch.isdigit() for ch in text)
    )


def term_pairs_and_leads(lines: list[str], roles: list[str], content: list[int]) -> None:
    """A term alone on its line with its explanation on the next (twice or more on a page): heading +
    definition. A short line over two or more plain lines ("Advantages" + items): a list lead-in."""
    body = [i for i in content if roles[i] in ("body", "definition", "list_lead")]
    pairs = [
        (a, b)
        for a, b in itertools.pairwise(body)
        if b == _next(content, a)
        and roles[a] == "body"
        and _short_term(lines[a])
        and not _short_term(lines[b])
        and len(lines[b].split()) >= 6
        and roles[b] in ("body", "definition")
    ]
    chained = len(pairs) >= 2 and all(
        _next(content, b) == a2 for (_a, b), (a2, _b) in itertools.pairwise(pairs)
    )
    if chained:
        for a, b in pairs:
            roles[a], roles[b] = "heading", "definition"
        return
    for n, i in enumerate(content):
        if (
            roles[i] != "body"
            or not _short_term(lines[i])
            or len(strip_bullet(lines[i]).split()) > 1
            or n == 0
        ):
            continue
        following = content[n + 1 : n + 3]
        if (
            len(following) == 2
            and all(roles[j] == "body" for j in following)
            and len(lines[following[0]].split()) >= 3
        ):
            roles[i] = "list_lead"  # "Advantages" over its items


def _next(content: list[int], i: int) -> int | None:
    k = content.index(i)
    return content[k + 1] if k + 1 < len(content) else None
