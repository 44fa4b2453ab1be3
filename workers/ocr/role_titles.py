"""A page's title lines: on a title slide, and on any other page (moved out of workers/ocr/roles.py)."""

from __future__ import annotations

from workers.ocr.line_cues import (
    BULLET,
    META_CUE,
    LineHint,
    PageLines,
    is_continuation,
    is_credit,
    is_formula,
    is_url,
    strip_bullet,
)


def _hint(page: PageLines, i: int) -> LineHint | None:
    return page.hints[i] if i < len(page.hints) else None


def title_slide_title(page: PageLines, content: list[int]) -> list[int]:
    """The lecture title on a title slide: its title-class lines, else the biggest line that is not a course
    code, an institution or a date (the first of equals), with its wrapped continuation."""
    lines = page.lines
    marked = [i for i in content if (h := _hint(page, i)) is not None and h.kind == "title"]
    if marked:
        return marked[:3]
    candidates = [
        i
        for i in content
        if not META_CUE.search(lines[i])
        and not is_url(lines[i])
        and not is_credit(lines[i])
        and sum(ch.isalpha() for ch in lines[i]) >= 3
    ]
    if not candidates:
        return []

    def size(i: int) -> float:
        hint = _hint(page, i)
        return hint.size or 0.0 if hint is not None else 0.0

    best = max(candidates, key=lambda i: (size(i), -i))
    run = [best]
    for i in content[content.index(best) + 1 : content.index(best) + 3]:
        if is_continuation(lines[i], lines[run[-1]]):
            run.append(i)
        else:
            break
    return run


def title_lines(page: PageLines, content: list[int], median: float | None) -> list[int]:
    """The page's title: its title-class lines near the top; else its first line when it reads like one."""
    lines = page.lines
    marked = [
        i
        for i in content
        if (h := _hint(page, i)) is not None
        and h.kind == "title"
        and (h.top is None or h.top <= 0.4)
        and not is_url(lines[i])
        and strip_bullet(lines[i]) == lines[i].strip()
    ]
    if marked:
        first = marked[0]
        run = [first]
        for i in marked[1:]:
            if i == run[-1] + 1 or all(not lines[j].strip() for j in range(run[-1] + 1, i)):
                run.append(i)
        return run[:3]
    if not content:
        return []
    top = content[0]
    hint = _hint(page, top)
    text = lines[top].strip()
    if hint is not None and hint.kind in ("figure", "table", "figure_caption", "table_caption"):
        return []
    if (
        len(text.split()) > 14
        or (BULLET.match(text) and strip_bullet(text) != text)
        or text.endswith((".", ",", ";"))
        or is_url(text)
        or is_formula(text)
        or sum(ch.isalpha() for ch in text) < 2
    ):
        return []
    run = [top]
    for i in content[1:3]:
        h = _hint(page, i)
        if is_continuation(lines[i], lines[run[-1]]) and (h is None or hint is None or h.kind == hint.kind):
            run.append(i)
        else:
            break
    return run
