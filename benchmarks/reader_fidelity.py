"""How faithfully the reader turns a page into lines, without labels: the product's page text against an
independent extraction of the same page.

    .venv/bin/python benchmarks/reader_fidelity.py [DIR] --split dev [--decks a,b] [--examples N]

PDF pages with a usable text layer (pages the product OCRs are skipped) are compared with poppler's
``pdftotext -bbox-layout`` (its own words, lines and blocks); PPTX slides with python-pptx's paragraphs
(text frames, groups, tables). The product's side is what benchmarks/retrieval.py reads and cleans
(``read_pages`` + ``clean_pages``, through benchmarks/qa.py ``read_decks`` and its page cache) and the
chunks it indexes (workers/ocr/chunking.py ``content_chunks``). Counted per deck:

- missing: words of the independent text found nowhere in the product's page text (case folded, NFKC,
  a word split by a line-end hyphen counts as found when its halves are);
- cut: product tokens that are a piece of an independent word and no word of their own there: the token
  glued to its neighbour gives a word of the page ("rat" + "e"), or it is a prefix or suffix of a page word
  and not a word of the language (wordfreq zipf < 2.5), so "rat" beside "rate" is cut but "rat" beside
  "rats" where "rat" is also a page word is not;
- spliced: product lines made of parts of two independent lines that are not one visual row of one block:
  lines of two blocks side by side (columns) or of two rows glued, where at least one of them is taken only
  in part (whole rows of a table joined cell by cell are counted apart as "rows");
- dropped: words in the page text that no chunk carries (lines the role pass drops: footer, meta, credit,
  URL; or a running footer cut off a line's start), with the role of the line they were on.
"""

from __future__ import annotations

import argparse
import html
import itertools
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import regex
from chunk_boilerplate import TEST_DECKS

_WORD = regex.compile(r"[\p{L}\p{N}]+")
_BBOX_LINE = re.compile(r"<line [^>]*>(.*?)</line>", re.S)
_BBOX_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
FRAGMENT_ZIPF = 2.5  # a piece that is rarer than this is no word of the language
KINDS = ("missing", "cut", "spliced", "rows", "dropped")


def words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


@dataclass
class RefLine:
    block: int
    top: float
    bottom: float
    words: list[str]
    raw: list[str] = field(default_factory=list)  # its whitespace-separated words as written


@dataclass
class Tally:
    pages: int = 0
    ref_words: int = 0
    lines: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    dropped_by_role: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def add(self, kind: str, n: int, example: str) -> None:
        self.counts[kind] += n
        self.examples.setdefault(kind, []).append(example)


# --- the independent extraction ------------------------------------------------------------------
def poppler_lines(pdf: Path, page: int) -> list[RefLine]:
    """pdftotext -bbox-layout's lines of one page (1-based), with their block and vertical extent."""
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    lines: list[RefLine] = []
    for number, block in enumerate(out.split("<block ")[1:]):
        for match in _BBOX_LINE.finditer(block):
            found = _BBOX_WORD.findall(match.group(1))
            if not found:
                continue
            text = " ".join(html.unescape(w[4]) for w in found)
            top = min(float(w[1]) for w in found)
            bottom = max(float(w[3]) for w in found)
            if words(text):
                lines.append(RefLine(number, top, bottom, words(text), text.split()))
    return lines


def pptx_lines(deck: Path) -> list[list[RefLine]]:
    """python-pptx's paragraphs per slide (text frames, groups, table cells), one block per shape."""
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    slides: list[list[RefLine]] = []
    for slide in Presentation(str(deck)).slides:
        lines: list[RefLine] = []

        def visit(shape: Any, lines: list[RefLine] = lines) -> None:
            block = len({line.block for line in lines})
            if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
                for child in shape.shapes:
                    visit(child, lines)
            elif getattr(shape, "has_table", False) and shape.has_table:
                for row in shape.table.rows:
                    for cell in row.cells:
                        paras = [p for p in cell.text.split("\n") if words(p)]
                        lines.extend(RefLine(block, 0, 0, words(p), p.split()) for p in paras)
            elif shape.has_text_frame:
                for para in shape.text_frame.paragraphs:
                    for piece in para.text.replace("\x0b", "\n").split("\n"):
                        if words(piece):
                            lines.append(RefLine(block, 0, 0, words(piece), piece.split()))

        for shape in slide.shapes:
            visit(shape)
        slides.append(lines)
    return slides


# --- the comparison --------------------------------------------------------------------------------
def missing_words(ref: list[str], product: list[str]) -> list[str]:
    """Independent words the product text lacks (multiset), a hyphen-split word found by its halves."""
    have = Counter(product)
    joined = Counter(a + b for a, b in itertools.pairwise(product))
    lost = []
    for i, word in enumerate(ref):
        if have[word] > 0:
            have[word] -= 1
        elif joined[word] > 0:
            joined[word] -= 1
        elif not (
            (i + 1 < len(ref) and have[word + ref[i + 1]] > 0) or (i > 0 and have[ref[i - 1] + word] > 0)
        ):  # not a split word the product joined
            lost.append(word)
    return lost


def cut_tokens(ref: list[str], product: list[str], lang: str = "en") -> list[str]:
    """Product tokens that are pieces of an independent word (see the module's docstring)."""
    from wordfreq import zipf_frequency

    vocab = set(ref)
    long_words = [w for w in vocab if len(w) >= 4 and w.isalpha()]
    cut = []
    for i, token in enumerate(product):
        if token in vocab or not token.isalpha():
            continue
        glued = (i + 1 < len(product) and token + product[i + 1] in vocab) or (
            i > 0 and product[i - 1] + token in vocab
        )
        piece = len(token) >= 2 and any(
            w != token and (w.startswith(token) or w.endswith(token)) for w in long_words
        )
        if glued or (piece and zipf_frequency(token, lang) < FRAGMENT_ZIPF):
            cut.append(token)
    return cut


def split_words(ref: list[str], product: list[str]) -> list[str]:
    """Independent whitespace words (NFKC, case folded) the product writes as two ("2020 -04" for
    "2020-04"): absent as one word, present as two neighbours glued."""
    have = Counter(product)
    glued = Counter(a + b for a, b in itertools.pairwise(product))
    glued += Counter(a + b + c for a, b, c in zip(product, product[1:], product[2:], strict=False))
    out = []
    for word in ref:
        if have[word] > 0:
            have[word] -= 1
        elif glued[word] > 0:
            glued[word] -= 1
            out.append(word)
    return out


def _fold(text: str) -> list[str]:
    return unicodedata.normalize("NFKC", text).casefold().split()


def _line_sources(tokens: list[str], ref: list[RefLine]) -> list[tuple[int, int, int]]:
    """The product line's tokens as runs of (independent line, start, length), longest match first."""
    runs: list[tuple[int, int, int]] = []
    i = 0
    while i < len(tokens):
        best = (-1, 0, 0)
        for n, line in enumerate(ref):
            seq = line.words
            for s in range(len(seq)):
                k = 0
                while i + k < len(tokens) and s + k < len(seq) and seq[s + k] == tokens[i + k]:
                    k += 1
                if k > best[2]:
                    best = (n, s, k)
        if best[2] == 0:
            i += 1
            continue
        runs.append(best)
        i += best[2]
    return runs


def splice_kind(tokens: list[str], ref: list[RefLine]) -> str:
    """One product line's kind: "spliced", "rows" (whole lines of one row joined) or ""."""
    runs = [r for r in _line_sources(tokens, ref) if r[2] >= 2 or len(ref[r[0]].words) == 1]
    sources: list[tuple[int, int, int]] = []
    for n, start, length in runs:
        if sources and sources[-1][0] == n:
            continue
        sources.append((n, start, length))
    if len(sources) < 2:
        return ""
    for (a, sa, la), (b, sb, _) in itertools.pairwise(sources):
        one, two = ref[a], ref[b]
        same_row = one.block == two.block or (
            min(one.bottom, two.bottom) - max(one.top, two.top)
            > 0.5 * min(one.bottom - one.top, two.bottom - two.top)
        )
        if one.block == two.block and abs(a - b) == 1 and one.top == two.top:
            continue  # poppler's own pieces of one line
        partial = sa + la < len(one.words) or sb > 0
        if partial or not same_row:
            return "spliced"
    return "rows"


# --- the product side ------------------------------------------------------------------------------
def compare_page(page: Any, ref: list[RefLine], footers: frozenset[str], tally: Tally, tag: str) -> None:
    from shared.text import detect_language
    from workers.ocr.chunking import content_chunks

    ref_words = [w for line in ref for w in line.words]
    lines = [x for x in page.text.split("\n") if x.strip()]
    product = [w for line in lines for w in words(line)]
    figures = [w for f in page.figures for w in words(f"{f.caption} {f.text}")]
    tally.pages += 1
    tally.ref_words += len(ref_words)
    tally.lines += len(lines)
    lost = [w for w in missing_words(ref_words, product + figures) if len(w) >= 2]  # not maths letters
    if lost:
        tally.add("missing", len(lost), f"{tag}: {' '.join(lost[:12])}")
    cut = cut_tokens(ref_words, product, detect_language(page.text))
    ref_raw = [w for line in ref for w in _fold(" ".join(line.raw))]
    cut += [f"[{w}]" for w in split_words(ref_raw, [w for x in lines for w in _fold(x)])]
    if cut:
        tally.add("cut", len(cut), f"{tag}: {' '.join(cut[:12])}")
    for line in lines:
        kind = splice_kind(words(line), ref)
        if kind:
            tally.add(kind, 1, f"{tag}: {line[:160]!r}")
    chunked = Counter(w for c in content_chunks(page, footers) for w in words(c.text))
    roles = page.roles or [""] * len(page.text.split("\n"))
    for line, role in zip(page.text.split("\n"), roles, strict=False):
        gone = []
        for w in words(line):
            if chunked[w] > 0:
                chunked[w] -= 1
            else:
                gone.append(w)
        if gone:
            tally.dropped_by_role[role or "none"] += len(gone)
            tally.add("dropped", len(gone), f"{tag} [{role}]: {line[:120]!r}")


def measure(deck: Path, pages: list[Any]) -> Tally:
    from workers.ocr.chunking import deck_footers

    footers = deck_footers((p.text, p.roles) for p in pages)
    tally = Tally()
    slides = pptx_lines(deck) if deck.suffix.lower() == ".pptx" else None
    for page in pages:
        if page.source == "ocr":
            continue
        if slides is not None:
            ref = slides[page.number - 1] if page.number <= len(slides) else []
        else:
            ref = poppler_lines(deck, page.number)
        if ref:
            compare_page(page, ref, footers, tally, f"{deck.stem[:24]} p{page.number}")
    return tally


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dir", nargs="?", default=None)
    parser.add_argument("--split", choices=["dev"], default="dev", help="dev only: test decks are never read")
    parser.add_argument("--decks", default="", help="comma-separated substrings of dev deck names")
    parser.add_argument("--examples", type=int, default=0, help="up to N examples of each kind per deck")
    args = parser.parse_args()
    from qa import default_corpus, read_decks

    from shared.files import LocalFileStore

    corpus = Path(args.dir) if args.dir else default_corpus()
    names = {p.name for p in corpus.iterdir() if p.suffix.lower() in (".pdf", ".pptx")} - TEST_DECKS
    names = {n for n in names if not n.startswith(("ocr_", "hi_photographed"))}  # decks the product OCRs
    if args.decks:
        wanted = [d.strip() for d in args.decks.split(",") if d.strip()]
        names = {n for n in names if any(w in n for w in wanted)}
    with tempfile.TemporaryDirectory() as tmp:
        decks = read_decks(corpus, names, True, LocalFileStore(Path(tmp)))
    total = Tally()
    print("| deck | pages | ref words | lines | missing | cut | spliced | rows | dropped |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    tallies = {}
    for deck, pages in decks.items():
        tally = measure(deck, pages)
        tallies[deck.name] = tally
        total.pages += tally.pages
        total.ref_words += tally.ref_words
        total.lines += tally.lines
        total.counts.update(tally.counts)
        total.dropped_by_role.update(tally.dropped_by_role)
        cells = " | ".join(str(tally.counts[k]) for k in KINDS)
        print(f"| {deck.stem[:40]} | {tally.pages} | {tally.ref_words} | {tally.lines} | {cells} |")
    cells = " | ".join(f"**{total.counts[k]}**" for k in KINDS)
    print(f"| **total** | {total.pages} | {total.ref_words} | {total.lines} | {cells} |")
    print("dropped words by line role:", dict(total.dropped_by_role.most_common()))
    if args.examples:
        for name, tally in tallies.items():
            print(f"\n# {name}")
            for kind in KINDS:
                for example in tally.examples.get(kind, [])[: args.examples]:
                    print(f"  {kind}: {example}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
