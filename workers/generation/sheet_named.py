"""A concept a slide names after describing it ("If you have N observations, what happens if k = N?" /
"This is called Leave One Out Cross Validation (LOO-CV)" / "Each model is fit on N - 1 data points ..."):
the naming line points back ("This is ...") and is refused as a point, and the question is no point either,
so the named concept never reached the sheet. Read together they are a key term: the name, the case the
question sets ("k = N") and the statement that follows it, or the whole statement before the naming line
("... This is called X" after "S." gives "X — S."). The line used as the explanation leaves its section's
points (said once). English forms only: the sheet's other languages name concepts in other patterns.
"""

from __future__ import annotations

import re

from shared.text import fold
from workers.generation.candidates import Definition, Group, LectureCandidates, logical_lines
from workers.generation.sheet_labels import point_complete

NAMING = re.compile(
    r"^(?:this|that|it)\s+is\s+(?:called|known\s+as|referred\s+to\s+as|named)\s+"
    r"(?P<name>[^.?!:;]{3,80}?)\s*[.!]?$",
    re.I,
)
# "..., what happens if k = N?", "What if k = N?": the case the name is given to
CASE = re.compile(
    r"(?:^|[,;]\s*)(?:what\s+happens\s+(?:if|when)|what\s+if)\s+(?P<case>[^?]{1,60}?)\s*\?$", re.I
)
NAME_WORDS = 10


def _statement(line: str) -> bool:
    """A whole declarative line that explains on its own: no question, lead-in or pointer back."""
    s = line.strip()
    return (
        len(s.split()) >= 4
        and not s.endswith(("?", ":", "："))
        and "?" not in s
        and re.match(r"(?:this|that|these|those|it|they)\b", s, re.I) is None
    )


def _lower_first(s: str) -> str:
    return s[0].lower() + s[1:] if len(s) > 1 and s[0].isupper() and s[1].islower() else s


def named_terms(lc: LectureCandidates) -> list[Definition]:
    """Key terms from naming lines (see the module's docstring); each line used as an explanation leaves its
    section's points (``lc.groups``, in place). The name is a name (balanced, up to ten words), the
    explanation a whole unit (``point_complete``)."""
    terms: list[Definition] = []
    used: set[tuple[int, str]] = set()
    for slide in lc.lecture.slides:
        lines = logical_lines(slide.text, slide.title)
        for i, line in enumerate(lines):
            m = NAMING.match(line.strip())
            if m is None or i == 0 or len(m.group("name").split()) > NAME_WORDS:
                continue
            name, before = m.group("name").strip(), lines[i - 1].strip()
            after = lines[i + 1].strip() if i + 1 < len(lines) else ""
            case = CASE.search(before)
            if case is not None and _statement(after):
                body, use = f"{case.group('case').strip()}: {_lower_first(after)}", after
            elif case is None and _statement(before) and before.endswith((".", "!")):
                body, use = before, before
            else:
                continue  # a name with nothing whole to explain it
            if name.count("(") != name.count(")") or not point_complete(body, lc.text_lang):
                continue
            terms.append(Definition(name, body, f"{name} — {body}", slide.ref))
            used.add((slide.ref.page, fold(use)))
    without_used(lc.groups, used)
    return terms


def without_used(groups: list[Group], used: set[tuple[int, str]]) -> None:
    """Drop from the sections, in place, the lines a named key term now says."""
    for g in groups:
        g.points = [p for p in g.points if (p.ref.page, fold(p.text.strip())) not in used]
