"""A slide that quotes its source ("[...] “The tensile strength of concrete falls between 8 and 15 percent of
the compressive strength”", a textbook's statement under "Comentarios sobre el concreto: tracción") states
its facts in the quotes, but the reader's line filter takes an excerpt mark and quotation marks for a
reference, so no quoted line is a candidate and the section shows only its debris. Here each whole quoted
statement of such an excerpt becomes a point of its section, without the marks. A quote the slide cut ("...
relatively low. A good ”") keeps its whole sentences; one begun mid-sentence ("is is difficult ..."),
opening on a connective or pointer ("Thus, when ...") or on a participle with no subject ("Varying from
20% ..."), or too short to state anything stays out; ``point_complete`` and the sheet's point rules then
judge it as any line.
"""

from __future__ import annotations

import re

from shared.text import sentences
from workers.generation.candidates import Group, LectureCandidates, Point
from workers.generation.sheet_labels import point_complete

# an excerpt mark, then a quotation whole on the slide: “...”, "...", «...»
QUOTED = re.compile(r"(?:\[\s*(?:\.\s*){3}\]|\[…\]|…)\s*[“\"«](?P<quote>[^”\"»]{20,400})[”\"»]")
MIN_WORDS = 6
# "Thus, ...", "However ...": tied to what the excerpt left out; "Varying from 20 % ...": no subject
_TIED = re.compile(
    r"^(?:thus|hence|therefore|however|so|then|also|moreover|furthermore|this|these|it)\b|^\w+ing\b", re.I
)


def _whole(quote: str) -> str:
    """The quote's whole sentences: a last sentence the slide cut ("... relatively low. A good") goes."""
    parts = sentences(quote)
    if len(parts) > 1 and not parts[-1].rstrip().endswith((".", "!", "?")):
        return " ".join(parts[:-1]).strip()
    return quote


def _quotes(text: str, lang: str) -> list[str]:
    out: list[str] = []
    for m in QUOTED.finditer(text):
        quote = _whole(" ".join(m.group("quote").split()).strip())
        if (
            len(quote.split()) >= MIN_WORDS
            and quote[:1].isupper()
            and not _TIED.match(quote)
            and quote not in out
            and point_complete(quote, lang)
        ):
            out.append(quote)
    return out


def quoted_points(lc: LectureCandidates) -> int:
    """Add every whole quoted statement of an excerpt to its slide's section (``lc.groups``, in place; a
    slide with no section of its own, its quotes aside, becomes one under its title); the number added."""
    added = 0
    for slide in lc.lecture.slides:
        quotes = _quotes(slide.text, lc.text_lang)
        if not quotes or not slide.title.strip():
            continue
        g = next((g for g in lc.groups if any(r.page == slide.ref.page for r in g.refs)), None)
        if g is None:
            g = Group(slide.title.strip(), [], [slide.ref])
            later = (k for k, h in enumerate(lc.groups) if h.refs and h.refs[0].page > slide.ref.page)
            at = next(later, len(lc.groups))
            lc.groups.insert(at, g)
        have = {" ".join(p.text.split()) for p in g.points}
        for quote in quotes:
            if quote not in have:
                g.points.append(Point(quote, slide.ref))
                added += 1
    return added
