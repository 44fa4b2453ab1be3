"""What OCR does to a slide's lines that a text layer never does, repaired or refused by form (pages read by
OCR only; a text layer's lines never pass through here).

- A bullet glyph read as a character: Tesseract reads a square or round bullet as '"', '“', '°', '=', '©',
  '®' or a letter 'e' / 'o' before the line's first word ('" Information in a system may be disclosed',
  '= The gold standard is ...'). The line is a bullet: the glyph becomes "•", so the wrapping rules and every
  check after them see a bullet, not a quotation mark, an equation or a word.
- Symbols read as letters and marks: a subscript lost between a letter and doubled punctuation ("g,, gz",
  "O,, Oy, Txy" for g1, g2 and sigma x, sigma y, tau xy). Such a line is refused: the symbols it names
  cannot be read back.
- A picture's labels read as lines: on a scan the words inside a diagram, or a table drawn as a picture, come
  into the page's text ("Middleware", "Register" / "patient"), where a text layer keeps them apart as the
  figure's words. A short unit with no bullet and no sentence end whose words are the figure's own OCR'd
  words is dropped.
- Debris at a title's end: an icon or a footer's piece read into the title ("Transfer data ny 4", "Intercept
  transfer TN", "ISA Hierarchies een x"): trailing words of at most three letters (and numbers after them)
  that the lecture's text never uses outside its titles are cut off.
- A paragraph split by a blank line: OCR's page segmentation puts blank lines inside a paragraph
  ('... where a web server is flooded with service' / '' / 'requests from a range of ...'). A line that does
  not end its sentence, followed over blank lines by one that starts in lower case and is no bullet, is
  its wrapped rest (on a text layer a blank line is a real break; there, only a word that cannot end a
  sentence joins, gate._join_wrapped). An example's enumerator ("c ...* ne comprendre") is no such rest.
  The title's line takes no such rest.
- More symbols lost (the line is refused): a minus read as a dash between a lone symbol and a number
  ("N — 1"), a prime read as an opening quote (a left single quotation mark) right after a letter,
  "element of" read as a euro sign with no amount ("fold,i € {1,..., k}").
- A word with a misread accent ("seccién", "compresién", "parabélica"): a lower-case word of 5+ letters with a
  non-ASCII letter that is no word of the language refuses its line; in a caption or a title any such
  unknown lower-case word does ("segin"): the caption or title goes.
- A misread enumerator ("ile Limit ...", "Bi, Provide ..."): a short token used nowhere else before a
  capitalised word becomes a bullet.
- A logo or a book cover read into a title, a caption or a line ("Misuse cases re Engineering", "Comentarios
  sobre el concreto wie REINFORCED", the line "wie REINFORCED"): a short lower-case token used at most once
  before a capitalised word cuts the title or caption there and refuses such a short line.
- Labels read across as one line ("Fuerzas internas en la seccion Fuerza cortante positiva Momento flector
  positivo", "Euro. ay Euro. equity data"): a line with no sentence end where a capitalised word follows a
  lower-case one (no function word) twice, or once with a word repeated, is refused; with two such lines on
  a page (a table read across its rows) only its bullets and its title line stay (gate.gate_slide).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable

# A glyph OCR makes of a bullet, then a space, then a capitalised word of 2+ letters (a sentence's start):
# '" Information ...', '° Asset value', '= If you have', '© Security and', 'e Information'. A quotation
# mark is a bullet only when no other quotation mark closes it on the line.
_GLYPH = r"[\"“”°=©®¢«»]"
_OCR_GLYPH_BULLET = re.compile(rf"^\s*(?:{_GLYPH}|[eo](?=\s))\s+(?=[^\W\d_][^\W\d_])")
_QUOTE_MARKS = '"“”«»'
# A letter then ",," / ";;": a subscript OCR lost, its comma doubled ("g,, gz"); a minus read as a dash
# between a lone symbol and a number ("N — 1"); a prime read as an opening quote right after a letter
# ("(x‘)", a left single quotation mark); an "element of" read as a euro sign with no amount  # noqa: RUF003
# ("fold,i € {1,..., k}").
_SYMBOL_SOUP = re.compile(
    r"[^\W\d_][,;]{2}|(?<![\w.])[^\W_]\s*[—–]\s*\d|[^\W\d_]‘(?![^‘]*’)|(?<![\d\s])\s*€\s*(?!\s*\d)"
)
# A lower-case letter that enumerates an example, its period lost: "c ...* ne comprendre pas" (no sentence's
# rest starts with one letter then a mark).
_ENUMERATOR = re.compile(r"^[a-z](?:[.)](?![a-z]\.)|\s+[^\w\s])")  # not "e.g." nor "i.e."
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


def join_split_paragraphs(lines: list[str | None], title: str = "") -> list[str | None]:
    """A sentence OCR split over blank lines made one line again: the line before the blank lines does not
    end its sentence, the line after starts in lower case and is no bullet. A dropped line (None) stays a
    hard break, and so does the title's line (a title takes no sentence's rest: "Comentarios sobre el
    concreto" / "wie REINFORCED" is a cover's debris under it); blank lines between joined halves go."""
    out: list[str | None] = []
    for line in lines:
        flat = line.strip() if line is not None else None
        if flat and flat[:1].islower() and not _bullet_start(flat) and not _ENUMERATOR.match(flat):
            j = len(out) - 1
            while j >= 0 and out[j] is not None and not (out[j] or "").strip():
                j -= 1  # back over the blank lines
            prev = out[j] if j >= 0 else None
            if (
                j < len(out) - 1
                and prev is not None
                and prev.strip()
                and prev.strip() != title.strip()
                and not prev.rstrip().endswith(_SENTENCE_END)
            ):
                out[j] = f"{prev.rstrip()} {flat}"
                del out[j + 1 :]
                continue
        out.append(line)
    return out


MAX_LABEL_WORDS = 4  # a picture's label: "Middleware", "Register patient", "Log user actions"
MIN_LABEL_SHARE = 0.67  # of the label's words of 3+ letters found among the picture's own words
_LABEL_WORDS = re.compile(r"[^\W\d_]{3,}")
_ANY_WORD = re.compile(r"[^\W\d_]+")


def picture_labels(
    lines: list[str | None], figure_texts: list[str], *, any_words: bool = False
) -> list[str | None]:
    """The page's lines without the labels of its pictures: on a scan, the words inside a diagram or a
    table drawn as a picture are read into the page's text ("Middleware", "Register" / "patient", "Medical
    Attacker"), where a text layer keeps them apart as the figure's words. A label is a short unit (a
    line with the lines it wraps into, at most four words), with no bullet and no sentence end, whose
    words are the picture's own words (its OCR'd text). It becomes a dropped line (None). With
    ``any_words`` (a page where labels were read across as one line, gate.gate_slide) every such short
    unit is a label, whatever its words."""
    from workers.generation.wrapping import continues

    pool = {w.casefold() for t in figure_texts for w in _LABEL_WORDS.findall(t)}
    if not pool and not any_words:
        return lines
    out = list(lines)
    flat = [(x or "").strip() for x in lines]
    i = 0
    while i < len(out):
        if not flat[i]:
            i += 1
            continue
        j = i  # the unit: line i and the lines that wrap on from it
        while j + 1 < len(out) and flat[j + 1] and continues(flat[j], flat[j + 1]):
            j += 1
        unit = " ".join(flat[i : j + 1])
        if _label(unit, None if any_words else pool):
            for k in range(i, j + 1):
                out[k] = None
        i = j + 1
    return out


def _label(unit: str, pool: set[str] | None) -> bool:
    if _bullet_start(unit) or unit.endswith(_SENTENCE_END) or len(_ANY_WORD.findall(unit)) > MAX_LABEL_WORDS:
        return False
    if pool is None:
        return True
    found = [w.casefold() for w in _LABEL_WORDS.findall(unit)]
    return bool(found) and sum(w in pool for w in found) / len(found) >= MIN_LABEL_SHARE


MAX_DEBRIS_LETTERS = 3  # "ny", "TN", "een x", "iss": what an icon or a footer's piece reads as
_TITLE_TOKEN = re.compile(r"\S+")
_ROMAN = re.compile(r"[IVXL]+")


def title_without_debris(title: str, body_words: Counter[str]) -> str:
    """The OCR'd title without the short non-words at its end that the lecture's text (its titles left out)
    never uses: "Mentcare use case - Transfer data ny 4" -> "Mentcare use case - Transfer data". A word the
    text uses ("SQL", "RNN") stays, and so does a title that would be left with fewer than two words."""
    tokens = _TITLE_TOKEN.findall(title)
    cut = len(tokens)
    while cut > 2:
        token = tokens[cut - 1]
        if token.isdigit() and _debris(tokens[cut - 2], body_words):
            cut -= 1  # "ny 4": a number after debris goes with it
            continue
        if not _debris(token, body_words):
            break
        cut -= 1
    if cut == len(tokens) or cut < 2:
        return title
    return " ".join(tokens[:cut]).rstrip(" -–—:_")


def _debris(token: str, body_words: Counter[str], *, once: bool = False) -> bool:
    """A short token the lecture's text never uses (``once``: uses at most once, the debris's own line under
    the title: "Comentarios sobre el concreto wie REINFORCED" over "wie REINFORCED")."""
    return (
        token.isalpha()
        and len(token) <= MAX_DEBRIS_LETTERS
        and not _ROMAN.fullmatch(token)  # "Part II"
        and body_words[token.casefold()] <= (1 if once else 0)
    )


def debris_before_capital(title: str, body_words: Counter[str]) -> str:
    """The OCR'd title or caption cut where a short lower-case non-word the lecture's text never uses is
    followed by a capitalised word: a logo or a book cover read into it ("Misuse cases re Engineering",
    "Comentarios sobre el concreto wie REINFORCED" -> "Misuse cases", "Comentarios sobre el concreto").
    Kept whole when fewer than two words would be left."""
    tokens = _TITLE_TOKEN.findall(title)
    for i in range(2, len(tokens) - 1):
        token, after = tokens[i], tokens[i + 1]
        if token.islower() and _debris(token, body_words, once=True) and after[:1].isupper():
            return " ".join(tokens[:i]).rstrip(" -–—:_")
    return title


# A misread enumerator at a line's start: a number or a bullet icon read as a short token ("ile", "Bi,")
# before the item's capitalised first word.
_LEAD_TOKEN = re.compile(r"^\s*([^\W\d_]{1,3})([,.]?)\s+(?=[^\W\d_]*[A-Z][a-z])")


def enumerator_debris(line: str, body_words: Counter[str]) -> str:
    """The line with a misread enumerator at its start made a bullet: a token of at most three letters,
    no abbreviation, in lower case or followed by a mark, that the lecture uses nowhere else, before a
    capitalised word ("ile Limit the visibility ...", "Bi, Provide a handler ..." -> "• Limit ...",
    "• Provide ...")."""
    m = _LEAD_TOKEN.match(line)
    if not m:
        return line
    token = m.group(1)
    if not (token.islower() or m.group(2)):
        return line  # "New York ...", "Big Data ...": a capitalised word with no mark after it is a word
    if (len(token) > 1 and token.isupper()) or body_words[token.casefold()] > 1 or _ROMAN.fullmatch(token):
        return line
    rest = line[m.end() :]
    return f"• {rest}" if rest[:1].isupper() else line


def misread_word(text: str, known: Callable[[str], bool], *, ascii_too: bool = False) -> bool:
    """A lower-case word of 5+ letters that is no word of the language (nor English) with a letter OCR
    confuses with an accented one ("seccién", "compresién", "parabélica" for "sección", ...); with
    ``ascii_too`` any such unknown word ("segin" for "según"): a caption or a title has no count to
    tell a rare word from a misread one, and a misread word in it names the wrong thing."""
    for w in _ANY_WORD.findall(text):
        if len(w) >= 5 and w.islower() and (ascii_too or not w.isascii()) and not known(w):
            return True
    return False


_CAPITALISED = re.compile(r"[A-Z][a-z]")


FUNCTION_ZIPF = 6.0  # "the", "of", "from", "la", "de", "por": a name after one is no new label


def labels_run_together(line: str, common: Callable[[str], float]) -> bool:
    """A line made of a picture's or a table's labels read across, not a sentence: no sentence end, and a
    capitalised word right after a lower-case one (no mark between: a new label starts) twice, or once
    with a word repeated ("Fuerzas internas en la seccion Fuerza cortante positiva Momento flector
    positivo", "Verticales e inclinados Estribos inclinados", "Euro. ay Euro. equity data", "channel
    Transmitter Y Y. Receiver"). A capitalised word after a function word ("the Mentcare system", "from New
    York"; ``common`` gives a word's Zipf frequency in the lecture's language) starts no label."""
    flat = line.strip()
    if not flat or flat.endswith(_SENTENCE_END):
        return False
    tokens = flat.split()
    starts = sum(
        1
        for a, b in itertools.pairwise(tokens)
        if a[-1:].isalpha()
        and a[:1].islower()
        and _CAPITALISED.match(b)
        and not (len(a) <= 4 and common(a) >= FUNCTION_ZIPF)
    )
    if starts >= 2:
        return True
    bare = [t.strip(".,;:()").casefold() for t in tokens]
    doubled = any(a and a == b for a, b in itertools.pairwise(bare))
    long = [w for w in bare if len(w) >= 4 and w.isalpha()]
    return starts == 1 and (doubled or len(long) != len(set(long)))


def debris_line(line: str, body_words: Counter[str]) -> bool:
    """A short line (at most three words) that starts with a short lower-case non-word the lecture uses
    nowhere else, before a capitalised word: a book cover or a logo read as a line ("wie REINFORCED",
    "re Engineering")."""
    tokens = _TITLE_TOKEN.findall(line)
    return (
        2 <= len(tokens) <= 3
        and tokens[0].islower()
        and _debris(tokens[0], body_words, once=True)
        and tokens[1][:1].isupper()
    )
