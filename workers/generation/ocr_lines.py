"""What OCR does to a slide's lines that a text layer never does, repaired or refused by form (pages read by
OCR only; a text layer's lines never pass through here).

- A bullet glyph read as a character: Tesseract reads a square or round bullet as '"', '“', '°', '=', '©',
  '®' or a letter 'e' / 'o' before the line's first word ('" Information in a system may be disclosed',
  '= The gold standard is ...'). The line is a bullet: the glyph becomes "•", so the wrapping rules and every
  check after them see a bullet, not a quotation mark, an equation or a word.
- Symbols read as letters and marks: a subscript lost between a letter and doubled punctuation ("g,, gz",
  "O,, Oy, Txy" for g1, g2 and sigma x, sigma y, tau xy). Such a line is refused: the symbols it names
  cannot be read back.
- A paragraph split by a blank line: OCR's page segmentation puts blank lines inside a paragraph
  ('... where a web server is flooded with service' / '' / 'requests from a range of ...'). A line that does
  not end its sentence, followed over blank lines by one that starts in lower case and is no bullet, is
  its wrapped rest (on a text layer a blank line is a real break; there, only a word that cannot end a
  sentence joins, gate._join_wrapped).
"""

from __future__ import annotations

import re

# A glyph OCR makes of a bullet, then a space, then a capitalised word of 2+ letters (a sentence's start):
# '" Information ...', '° Asset value', '= If you have', '© Security and', 'e Information'. A quotation
# mark is a bullet only when no other quotation mark closes it on the line.
_GLYPH = r"[\"“”°=©®¢«»]"
_OCR_GLYPH_BULLET = re.compile(rf"^\s*(?:{_GLYPH}|[eo](?=\s))\s+(?=[^\W\d_][^\W\d_])")
_QUOTE_MARKS = '"“”«»'
# A letter then ",," / ";;": a subscript OCR lost, its comma doubled ("g,, gz").
_SYMBOL_SOUP = re.compile(r"[^\W\d_][,;]{2}")
_SENTENCE_END = (".", "!", "?", ":", ";", "。", "！", "？", "：", "；")


def glyph_bullet(line: str) -> str:
    """The line with an OCR'd bullet glyph made a real bullet ("• "); any other line as it is."""
    m = _OCR_GLYPH_BULLET.match(line)
    if not m:
        return line
    rest = line[m.end() :]
    if not rest[:1].isupper():
        return line  # "e value", "= x + y": a word or a formula's rest, not a bullet
    glyph = line[: m.end()].strip()
    if glyph in _QUOTE_MARKS and any(q in rest for q in _QUOTE_MARKS):
        return line  # '"Premature optimization is ..."': a quotation, its closing mark on the line
    return f"• {rest}"


def symbol_soup(line: str) -> bool:
    """A line with a symbol OCR misread into letters and marks ("Fixed channel g,, gz")."""
    return bool(_SYMBOL_SOUP.search(line))


def _bullet_start(line: str) -> bool:
    from workers.generation.wrapping import is_bullet

    return is_bullet(line.strip())


def join_split_paragraphs(lines: list[str | None]) -> list[str | None]:
    """A sentence OCR split over blank lines made one line again: the line before the blank lines does not
    end its sentence, the line after starts in lower case and is no bullet. A dropped line (None) stays a
    hard break; blank lines between joined halves go."""
    out: list[str | None] = []
    for line in lines:
        flat = line.strip() if line is not None else None
        if flat and flat[:1].islower() and not _bullet_start(flat):
            j = len(out) - 1
            while j >= 0 and out[j] is not None and not (out[j] or "").strip():
                j -= 1  # back over the blank lines
            prev = out[j] if j >= 0 else None
            if (
                j < len(out) - 1
                and prev is not None
                and prev.strip()
                and not prev.rstrip().endswith(_SENTENCE_END)
            ):
                out[j] = f"{prev.rstrip()} {flat}"
                del out[j + 1 :]
                continue
        out.append(line)
    return out
