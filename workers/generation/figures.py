"""Which figures reach a card or the cheat sheet, and under which words: a figure is worth a student's time
when something says what it shows.

- A figure is left out when it is on the first of several slides without a caption (title art, a crest),
  when it is the same picture on three or more slides (a small one is a logo: every copy goes; a large one
  is a diagram the slides build on: its first copy stays), when it is a picture of text the slide already
  says (its words are its slide's title or its own caption, or begin with a numbered caption: the caption's
  text block of a scanned book page), and when a larger figure of its slide has the same caption.
- Its label is, in this order: its numbered caption ("Fig. 3-12 Strength and modes of failure ..."), under
  the picture or written in the picture itself (a scanned book page: then after the slide's title, which the
  picture does not show); its own caption when that names
  something on the slide (shares a word with the slide's title or the figure's words: "Gate with
  real-valued elements" under "LSTM building block: the neural gate", not "Static embeddings" pointing at
  one part of an RNN diagram); else the slide's title when it names something (up to a bullet mark, not a
  generic word such as "Example"). Credits, URLs, dates and a bare "Figure 3." are no label.
- A figure card asks what the figure shows and answers with its caption: the numbered caption or one that
  names something on the slide, at least three words, never words printed inside the picture (the front
  shows the picture: the card would give its answer away) and never the slide's title (the front names it).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from shared.text import content_tokens, fold, words
from workers.generation.cardrules import figure_answer, readable
from workers.generation.validity import GENERIC_LABELS, boilerplate_reason, fragment_reason

if TYPE_CHECKING:
    from workers.generation.candidates import FigureItem
    from workers.generation.material import FigureInfo, LectureMaterial, Slide

REPEATED_PAGES = 3  # the same picture on this many slides is not a figure of one of them
LOGO_AREA = 0.1  # a repeated picture smaller than this share of the slide is a logo or decoration
LOOKUP_WORDS = 4  # content words beside a section number: more, and the answer says something itself
_MARK_IN = re.compile(
    r"(?:^|\n)[ \t]*((?:fig(?:ure|ura)?\.?|рис(?:унок|\.)?|abb(?:ildung|\.)?|图|圖)[ \t]*\d+(?:[.\-]\d+)*"
    r"[ \t]*[.:：—–-]?)",
    re.I,
)
_SENTENCE_END = re.compile(r"^(.+?[.。])(?:\s|$)")
_BULLET = re.compile(r"\s*[•▪►■●◦‣]\s*")
# what follows a caption's mark when OCR read the picture's labels into it: a lone number, a panel's
# enumerator "(a)", a mark ("2 (a) Stresses at failure under Strength and modes of failure ...")
_DEBRIS_HEAD = re.compile(r"^(?:\d{1,2}|\([a-z]\)|[^\w\s(\"“'‘«]+)(?:\s|$)")
# an answer that only points into the source: "the beam of the example in Section 4.9"
_LOOKUP = re.compile(
    r"\b(?:sec(?:tion|ción|cion|\.)|chapter|cap[ií]tulo|глав[аеы]|раздел[аеу]?|§)\s*\d+(?:\.\d+)*", re.I
)


def _stems(text: str, lang: str) -> set[str]:
    return set(content_tokens(text, lang))


def numbered_caption(text: str, lang: str = "en") -> str | None:
    """A numbered caption written in a figure's words ("Fig. 3-12 / Strength and modes of failure / of
    unreinforced concrete sub- / jected to biaxial stresses."): its lines joined (hyphenation undone) up to
    the end of its first sentence, with its mark; None when there is none or it does not read."""
    found = _MARK_IN.search(text)
    if found is None:
        return None
    joined = ""
    for line in (x.strip() for x in text[found.end() :].split("\n")):
        if not line:
            continue
        if joined.endswith("-") and line[:1].islower():
            joined = joined[:-1] + line  # "sub-" + "jected"
        else:
            joined = f"{joined} {line}".strip()
        if _SENTENCE_END.match(joined) or len(joined.split()) >= 40:
            break
    if _DEBRIS_HEAD.match(joined):
        return None  # labels of the picture read before its caption's words: no caption that reads
    sentence = _SENTENCE_END.match(joined)
    caption = f"{found.group(1).strip()} {(sentence.group(1) if sentence else joined).strip()}"
    return caption if figure_answer(caption, lang) else None


def caption_block(text: str) -> bool:
    """The figure's words begin with a numbered caption: the crop is the caption's text (a scanned book's
    caption beside or under its picture), not a picture."""
    found = _MARK_IN.search(text)
    return found is not None and not text[: found.start()].strip()


def caption_text(caption: str, lang: str = "en") -> str:
    """A caption without its number ("Figure 2: Yield by quarter" -> "Yield by quarter")."""
    return figure_answer(caption, lang) or " ".join(caption.split())


def names_something(caption: str, slide: Slide, fig: FigureInfo, lang: str) -> bool:
    """An unnumbered caption that says what the figure is about: a phrase of at least two words, no credit,
    URL or date, that shares a content word with the slide's title or with the figure's own words."""
    flat = " ".join(caption.split())
    if len(flat.split()) < 2 or boilerplate_reason(flat) or fragment_reason(flat) or not readable(flat, lang):
        return False
    mine = _stems(flat, lang)
    return bool(mine & (_stems(slide.title, lang) | _stems(fig.text, lang)))


def title_label(title: str) -> str | None:
    """A slide title as a figure's label: up to its first bullet mark; None when it names nothing (a generic
    word such as "Example", a credit, a date)."""
    head = _BULLET.split(title.strip(), maxsplit=1)[0].strip().rstrip(" :：")
    tokens = [t for t in re.findall(r"\w+", head.casefold()) if not t.isdigit()]
    if not tokens or all(t in GENERIC_LABELS for t in tokens) or boilerplate_reason(head):
        return None
    return head


def picture_of_text(fig: FigureInfo, slide: Slide, label: str, lang: str) -> bool:
    """The picture shows words the slide says anyway (its title typeset as an image, a caption strip): all
    of its content words are in the slide's title or its label."""
    said = _stems(slide.title, lang) | _stems(label, lang)
    words = _stems(fig.text, lang)
    if len(words) < 2 or not words <= said:
        return False
    # a chart titled like its caption still has marks of its own: axis ticks "Q1", values, short labels
    marks = {t for t in re.findall(r"\w+", fold(fig.text)) if any(ch.isdigit() for ch in t) or len(t) <= 2}
    told = set(re.findall(r"\w+", fold(f"{slide.title} {label}")))
    return not marks - told


def _repeats(lecture: LectureMaterial) -> tuple[set[int], set[int]]:
    """(every copy of a repeated small picture, the later copies of a repeated large one): the same picture
    is the same words inside it at the same size (the material keeps no image hash)."""
    key = {
        f.id: (fold(f.text), fold(f.caption), round(f.area, 3))
        for s in lecture.slides
        for f in s.figures
        if f.text.strip() or f.caption.strip()
    }
    pages: dict[tuple[str, str, float], list[tuple[int, int]]] = {}
    for s in lecture.slides:
        for f in s.figures:
            if f.id in key:
                pages.setdefault(key[f.id], []).append((s.ref.page, f.id))
    logos: set[int] = set()
    later: set[int] = set()
    for sig, where in pages.items():
        if len({p for p, _ in where}) < REPEATED_PAGES:
            continue
        if sig[2] < LOGO_AREA:
            logos.update(i for _, i in where)
        else:
            later.update(i for _, i in where[1:])
    return logos, later


def useful_figures(lecture: LectureMaterial, items: list[FigureItem], lang: str) -> list[FigureItem]:
    """The figures worth showing, each with its label (``caption``), whether a real caption says what it
    shows (``labelled``) and its own caption kept only when it is one (``figure.caption``)."""
    slides = {s.ref.page: s for s in lecture.slides}
    logos, later = _repeats(lecture)
    seen = Counter(fold(f.figure.caption) for f in items if f.figure.caption.strip())
    out: list[tuple[int, FigureItem]] = []
    shown: set[tuple[int, str]] = set()
    for n, item in sorted(enumerate(items), key=lambda p: -p[1].figure.area):  # the largest of twins stays
        fig, slide = item.figure, slides.get(item.ref.page)
        if slide is None or fig.id in logos or fig.id in later:
            continue
        own = " ".join(fig.caption.split())
        if own and seen[fold(own)] >= REPEATED_PAGES:
            own = ""  # a caption on every slide is a footer
        numbered = own if figure_answer(own, lang) else None
        related = own if own and not numbered and names_something(own, slide, fig, lang) else ""
        inside = None if numbered or related else numbered_caption(fig.text, lang)
        if numbered or inside:
            label, labelled = caption_text(numbered or inside or "", lang), True
            topic = title_label(slide.title) if inside else None
            if topic and fold(topic) not in fold(label):  # the picture prints its caption: name the topic too
                label = f"{topic} — {label}"
        elif related:
            label, labelled = related, True
        else:
            label, labelled = title_label(slide.title) or "", False
        if picture_of_text(fig, slide, label or own, lang) or (inside and caption_block(fig.text)):
            continue
        if slide.ref.page == 1 and len(slides) > 1 and not labelled:
            continue  # the title slide's art: the university's crest, the course's banner
        said = (item.ref.page, " ".join(fold(label).split()[:6]))
        if labelled and said in shown:
            continue  # the same caption twice on a slide (the picture, and the caption's strip)
        shown.add(said)
        fig = replace(fig, caption=numbered or related)  # the figure's own caption, when it is one
        score = min(fig.area, 0.6) * 3 + (2.0 if labelled else 0.0) + (0.5 if fig.text.strip() else 0.0)
        out.append((n, replace(item, figure=fig, caption=label, score=score, labelled=labelled)))
    return [item for _, item in sorted(out, key=lambda p: p[0])]  # in slide order again


def figure_card_answer(item: FigureItem, slide: Slide | None, lang: str) -> str | None:
    """The back of a card that shows the figure and asks what it shows, or None when no caption of the
    figure's own answers it without giving itself away."""
    own = item.figure.caption
    if not own or not item.labelled:
        return None
    answer = figure_answer(own, lang)
    if answer is None and slide is not None and names_something(own, slide, item.figure, lang):
        answer = own
    if answer is None or len(answer.split()) < 3:
        return None
    if _LOOKUP.search(answer) and len(_stems(_LOOKUP.sub(" ", answer), lang)) <= LOOKUP_WORDS:
        return None  # a pointer into the book ("Viga referida en el ejemplo de la Sección 4.9."): no fact
    mine = _stems(answer, lang)
    if mine and len(mine & _stems(item.figure.text, lang)) >= 0.6 * len(mine):
        return None  # its words are printed in the picture the front shows
    if slide is not None and mine <= _stems(slide.title, lang):
        return None  # the front names the slide: the answer would be its title
    if slide is not None and sibling_label(answer, slide, lang):
        return None
    return answer


def sibling_label(answer: str, slide: Slide, lang: str, max_words: int = 6) -> bool:
    """The slide labels another thing of the same kind beside the caption ("Binary gate" beside "Gate with
    real-valued elements"): the picture shows both, so "what does the figure show?" has no one answer (a
    judge found the caption described half of it). A label has at most ``max_words`` words."""
    from workers.generation.quiz_checks import has_verb
    from workers.generation.wrapping import strip_bullet

    mine = {w.lower() for w in _stems(answer, lang)}
    for line in slide.text.split("\n"):
        line = strip_bullet(line.strip())
        if not line or fold(line) in (fold(answer), fold(slide.title)) or len(line.split()) > max_words:
            continue
        flat = " ".join(fold(line).split())
        if any(flat in " ".join(fold(x).split()) for x in (answer, slide.title)):
            continue  # a piece of the caption or title ("concreto reforzado"), no label beside it
        if line.endswith((".", ":", "!", "?")) or has_verb(words(line)):
            continue  # a statement, not a label
        if mine & {w.lower() for w in _stems(line, lang)}:
            return True
    return False
