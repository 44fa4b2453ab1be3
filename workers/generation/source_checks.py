"""Last validity checks every quiz question and flashcard passes, by the form and the source of the item,
never by a deck's words: what a student could not use is dropped, not repaired.

Each check reads signals any deck has:
- the line roles of the item's source lines on its slide (workers/ocr roles: code, outline, exercise
  question, words inside a figure, formula) and the shape of that slide (mostly exercises or outline);
- the plausibility of the item's words (wordfreq, through shared.text.plausibility) against the lecture's
  own vocabulary (a term the lecture writes three times is a term, a non-word written once is a misreading);
- stray glyphs a reader leaves (bullets, table bars, unpaired guillemets, a lone trailing letter);
- a statement that leans on what the item does not show ("This is called ...", "these goals");
- an answer the rest of the item gives away (the hidden words written again beside the blank, or their
  initials as an abbreviation: "Leave One Out {{Cross Validation}} (LOO-CV)").

The pooled blind dev judgments these were measured on, and what each check removes and loses there, are in
docs/benchmarks.md ("Seventh session: validity checks that carry").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

import regex

from shared.text import fold, stem, stopwords, words
from shared.text.plausibility import word_known
from workers.generation.material import LectureMaterial, Slide
from workers.generation.sheet_form import ADOPTED, RULES, lecture_words

# Roles whose lines are no subject matter to ask about (workers/ocr/line_cues.ROLES): example code, the
# lecture's outline, an exercise's questions, labels read inside a picture, a formula's symbols.
BAD_SOURCE_ROLES = ("code", "agenda", "question", "figure_text", "formula")
_IGNORED_ROLES = frozenset({"title", "heading", "footer", "meta", "credit", "url"})
# A line is an item's source when this share of its words is in the item (and it has 2+ words, or the item
# holds it whole).
SOURCE_SHARE = 0.6
# A slide whose lines (less its title and running footers) are more than this share exercise questions,
# outline lines or course meta is an exercise, an outline or a title slide.
SLIDE_KIND_SHARE = 0.5
_SHAPE_IGNORED = frozenset({"", "title", "heading", "footer", "url"})
_SLIDE_KINDS = (
    ("exercise_slide", frozenset({"question"})),
    ("outline_slide", frozenset({"agenda"})),
    ("title_slide", frozenset({"meta", "credit"})),
)
# A word no word list knows (in the notes' language or English) that the lecture writes at most this many
# times is a misreading ("Assurption", "dinfinitival", "jourly") or an identifier of an example
# ("policyid"); a term the lecture keeps using is one of its terms. Chosen leaving one dev deck out
# (docs/benchmarks.md, seventh session).
MAX_RARE_COUNT = 1

# Words of the scripts wordfreq lists word by word (CJK text has no word boundaries to check), 3+ letters.
_LETTER_WORD = regex.compile(r"[\p{Latin}\p{Cyrillic}\p{Greek}\p{Devanagari}\p{M}]{3,}")
_CLOZE = re.compile(r"\{\{c\d+::([^{}]*)\}\}")
# Bullets, table bars and OCR marks inside a text a student reads ("« Views can be dropped", "| Data").
_STRAY = re.compile(r"[•▪◦●■□►▶❖➢➤¢™|\\]")
# One letter left at the end after a closing bracket or number: "(5 or 10 are commonly used) k".
_TRAILING_LETTER = re.compile(r"[)\]\d]\s+[^\W\d_]$")
# A statement opening on a word that points at something it does not name.
_LEANS = {
    "en": r"(?:this|these|those|that|then|it|they|such|here|thus|hence)\b",
    "es": r"(?:esto|esta|este|estos|estas|eso|esa|ese|entonces|ello|aquí)\b",
    "fr": r"(?:ceci|cela|ce|cette|ces|ça|alors|ici)\b",
    "de": r"(?:dies|diese|dieser|dieses|das|dann|hier)\b",
    "ru": r"(?:это|этот|эта|эти|тогда|здесь|такой|такая|такие)\b",
}
# "these goals", "those changes": a demonstrative whose noun the statement has not named before it.
_DEMONSTRATIVE = {
    "en": frozenset({"these", "those"}),
    "es": frozenset({"estos", "estas", "esos", "esas"}),
    "fr": frozenset({"ces"}),
    "ru": frozenset({"эти", "этих", "этим"}),
}
# "... let the user specify this.": a statement ending on a bare demonstrative.
_BARE_END = {"en": r"\b(?:this|these|those)\s*[.!?]?$", "es": r"\b(?:esto|eso)\s*[.!?]?$"}


def plain(text: str) -> str:
    """The text as a student reads it: a cloze's hidden words shown."""
    return _CLOZE.sub(lambda m: m.group(1), text)


def _folded_words(text: str) -> list[str]:
    return [fold(w) for w in words(text)]


def source_lines(slide: Slide | None, parts: Sequence[str]) -> list[tuple[str, str]]:
    """The slide's lines (with their roles) an item was taken from: most of the line's words are in it."""
    if slide is None or not slide.lines:
        return []
    item = {w for p in parts for w in _folded_words(plain(p))}
    whole = fold(" ".join(plain(p) for p in parts))
    found = []
    for line, role in slide.lines:
        lw = _folded_words(line)
        if not lw or role in _IGNORED_ROLES:
            continue
        share = sum(w in item for w in lw) / len(lw)
        if share >= SOURCE_SHARE and (len(lw) >= 2 or fold(line) in whole):
            found.append((line, role))
    return found


def source_role_problem(slide: Slide | None, parts: Sequence[str], *, figure: bool = False) -> str | None:
    """An item taken from a line of example code, the outline, an exercise, a picture's labels or a formula's
    symbols. A figure card's back is the figure's own caption: its words may be printed in the picture."""
    roles = Counter(role for _, role in source_lines(slide, parts))
    for role in BAD_SOURCE_ROLES:
        if role == "figure_text" and figure:
            continue
        if roles[role]:
            return f"source_{role}"
    return None


def cut_problem(slide: Slide | None, parts: Sequence[str]) -> str | None:
    """A part that ends where a line of its slide ends while the slide's next line goes on in lower case (not
    a bullet): the sentence was cut at the line's end ("If we declare A ISA B, every A" / "entity is ...")."""
    if slide is None or not slide.lines:
        return None
    ends = {}
    for n, (line, _) in enumerate(slide.lines[:-1]):
        tail = tuple(_folded_words(line)[-3:])
        following = slide.lines[n + 1][0].lstrip()
        if (
            len(tail) == 3
            and not line.rstrip().endswith((".", "!", "?", ":", ";"))
            and following[:1].islower()
        ):
            ends[tail] = line
    for part in parts:
        tail = tuple(_folded_words(plain(part))[-3:])
        if len(tail) == 3 and tail in ends:
            return "cut_at_line_end"
    return None


def slide_kind_problem(slide: Slide | None) -> str | None:
    """A slide of exercises, an outline or course information (a title slide: names, course, date): its
    lines are questions to the class, section names or meta, whatever the generator made of them."""
    if slide is None:
        return None
    roles = [role for _, role in slide.lines if role not in _SHAPE_IGNORED]
    if not roles:
        return None
    for kind, names in _SLIDE_KINDS:
        if sum(role in names for role in roles) / len(roles) > SLIDE_KIND_SHARE:
            return kind
    return None


def vocabulary(texts: Iterable[str]) -> Counter[str]:
    """How often the lecture writes each word (folded)."""
    return Counter(fold(w) for t in texts for w in _LETTER_WORD.findall(t))


def rare_words(
    part: str, lang: str, vocab: Counter[str] | None = None, max_count: int = MAX_RARE_COUNT
) -> list[str]:
    """The part's words of 3+ letters a student would not recognise: in no word list of the notes' language
    or English, no acronym, and written at most ``max_count`` times in the lecture."""
    vocab = vocab or Counter()
    out = []
    for w in _LETTER_WORD.findall(plain(part)):
        if w.isupper() and len(w) <= 6:
            continue  # an acronym: SNR, MIMO
        if word_known(w, lang) or word_known(w, "en") or vocab[fold(w)] > max_count:
            continue
        out.append(w)
    return out


def plausibility_problem(
    parts: Sequence[str], lang: str, vocab: Counter[str] | None = None, max_count: int = MAX_RARE_COUNT
) -> str | None:
    """A part (stem, option, key, front, back) with a misread word or an example's identifier."""
    if any(rare_words(part, lang, vocab, max_count) for part in parts):
        return "implausible_words"
    return None


def stray_glyph_problem(parts: Sequence[str]) -> str | None:
    """A bullet, table bar or OCR mark left inside the text, a guillemet without its pair, a lone letter at
    the end: a reader's leftovers, not the slide's sentence."""
    for part in parts:
        text = plain(part)
        if _STRAY.search(text) or _TRAILING_LETTER.search(text.strip()):
            return "stray_glyph"
        if text.count("«") != text.count("»"):
            return "stray_glyph"
    return None


def leans_problem(statement: str, lang: str) -> str | None:
    """A statement that opens on, or ends with, a word pointing at what the item does not show ("This is
    called ...", "Then you compute ...", "... specify this."), or names "these goals" it never stated."""
    text = plain(statement).strip().strip("\"'“”‘’«» ")
    lead = _LEANS.get(lang)
    if lead and re.match(lead, text, re.I):
        return "leans_on_context"
    end = _BARE_END.get(lang)
    if end and re.search(end, text, re.I):
        return "leans_on_context"
    demonstratives = _DEMONSTRATIVE.get(lang, frozenset())
    stop = stopwords(lang)
    seen: set[str] = set()  # the stems named so far: one pass, linear in the statement
    previous = ""
    for w in words(text):
        low, key = w.lower(), stem(fold(w), lang)
        if previous in demonstratives and low not in stop and key not in seen:
            return "leans_on_context"
        seen.add(key)
        previous = low
    return None


def given_away_problem(hidden: str, shown: str, lang: str) -> str | None:
    """The hidden answer written again beside the blank ("a weak entity set ... many {{weak entities}}",
    "{{CREATE}} TABLE ... CREATE"), or its initials there as an abbreviation ("Leave One Out {{Cross
    Validation}} (LOO-CV)")."""
    stop = stopwords(lang)
    content = [stem(fold(w), lang) for w in words(hidden) if w.lower() not in stop and not w.isdigit()]
    if not content:
        return None
    around = [stem(fold(w), lang) for w in words(shown)]
    n = len(content)
    if any(around[i : i + n] == content for i in range(len(around) - n + 1)):
        return "answer_in_stem"
    if n >= 2:
        initials = "".join(w[0] for w in words(hidden) if w.lower() not in stop).upper()
        if any(initials in t for t in re.findall(r"\b[A-Z]{2,}\b", shown)):
            return "answer_in_stem"
    return None


# The cheat sheet's adopted form rules (sheet_form.ADOPTED) by the part of an item they read: a statement,
# key, option, front or back cut mid-word or ending on a stray letter; a statement pointing at what it never
# states; a term card whose back is its front again. Measured on the blind dev judgments of quiz questions
# and cards (benchmarks/sheet_form.py --gated; docs/benchmarks.md, "the form rules on quiz questions and
# cards").
ENDS = ("cut_word", "stray_letter")


def form_rule(
    name: str,
    statements: Sequence[str],
    ends: Sequence[str],
    pair: tuple[str, str] | None,
    lang: str,
    vocab: Counter[str] | None,
) -> bool:
    """Whether the parts fail one form rule: ``ends`` (and statements) by their last word, ``statements`` by
    their first sentence, ``pair`` (label, content) by its content repeating the label."""
    rule = RULES[name]
    if name in ENDS:
        return any(rule("", plain(p), lang, vocab) for p in [*statements, *ends] if p.strip())
    if name == "points_away":
        return any(rule("", plain(p), lang, vocab) for p in statements if p.strip())
    if name == "echo":
        return pair is not None and rule(pair[0], pair[1], lang, vocab)
    return False


def item_form_problem(
    statements: Sequence[str],
    ends: Sequence[str],
    pair: tuple[str, str] | None,
    lang: str,
    vocab: Counter[str] | None,
    rules: Sequence[str] = ADOPTED,
) -> str | None:
    """The first adopted form rule the item's parts fail, as ``form_<rule>``, or None."""
    for name in rules:
        if form_rule(name, statements, ends, pair, lang, vocab):
            return f"form_{name}"
    return None


def quiz_parts(kind: str, prompt: str, options: Sequence[str], answer: str) -> tuple[list[str], list[str]]:
    """(statements, ends) of a question: its stem without the fixed frame, then its key and options."""
    from workers.generation.quiz_forms import FILL_FRAMES, TF_FRAMES, body

    statement = body(body(prompt, TF_FRAMES), FILL_FRAMES)
    return [statement], [*options] + ([answer] if kind != "true_false" else [])


def card_parts(kind: str, front: str, back: str) -> tuple[list[str], list[str], tuple[str, str] | None]:
    """(statements, ends, label pair) of a card: a term card's definition is its statement, a cloze's
    sentence (and its back) are."""
    if kind == "basic":
        return [back], [front], (front, back)
    return [front, back], [], None


def lecture_topics(lecture: LectureMaterial) -> list[str]:
    """The lines naming the lecture's topic: its title and its first slide's title."""
    return [lecture.title, *(s.title for s in lecture.slides[:1])]


# --- the checks on a whole item -------------------------------------------------------------------------
def quiz_problems(
    kind: str,
    prompt: str,
    options: Sequence[str],
    answer: str,
    *,
    slide: Slide | None,
    lang: str,
    vocab: Counter[str] | None = None,
    max_count: int = MAX_RARE_COUNT,
    words_seen: Counter[str] | None = None,
    topics: Sequence[str] = (),
) -> list[str]:
    """Every check a quiz question fails (empty when it passes), in the order they are tried. ``words_seen``:
    the lecture's words for the form rules (sheet_form.lecture_words); ``topics``: the lecture's title lines
    (an option naming the topic beside a key under it is right too: quiz_keys)."""
    from workers.generation.quiz_forms import FILL_FRAMES, TF_FRAMES, body
    from workers.generation.quiz_keys import parent_option_problem, spliced_problem

    statement = body(body(prompt, TF_FRAMES), FILL_FRAMES)
    parts = [statement, *options] + ([answer] if kind != "true_false" else [])
    found = [
        slide_kind_problem(slide),
        source_role_problem(slide, parts),
        cut_problem(slide, parts),
        plausibility_problem(parts, lang, vocab, max_count),
        stray_glyph_problem(parts),
        leans_problem(statement, lang) if kind in ("true_false", "fill_blank") else None,
        given_away_problem(answer, statement, lang) if kind == "fill_blank" else None,
        item_form_problem(*quiz_parts(kind, prompt, options, answer), None, lang, words_seen),
        parent_option_problem(kind, options, answer, topics, lang),
        spliced_problem(slide, statement) if kind == "true_false" else None,
    ]
    return [f for f in found if f]


def card_problems(
    kind: str,
    front: str,
    back: str,
    *,
    slide: Slide | None,
    lang: str,
    vocab: Counter[str] | None = None,
    figure: bool = False,
    max_count: int = MAX_RARE_COUNT,
    words_seen: Counter[str] | None = None,
) -> list[str]:
    """Every check a flashcard fails (empty when it passes), in the order they are tried."""
    parts = [front, back]
    cloze = _CLOZE.search(front)
    listed = re.match(r"^[^{]*\(\d+\): ", front) is not None  # a list's cloze: its items, no sentence
    sentence = cloze is not None and not listed
    found = [
        slide_kind_problem(slide),
        source_role_problem(slide, parts, figure=figure),
        cut_problem(slide, parts),
        plausibility_problem(parts, lang, vocab, max_count),
        stray_glyph_problem(parts),
        leans_problem(front, lang) if sentence else None,
        given_away_problem(cloze.group(1), _CLOZE.sub(" ", front), lang) if cloze and sentence else None,
        None if figure else item_form_problem(*card_parts(kind, front, back), lang, words_seen),
    ]
    return [f for f in found if f]


class LectureChecks:
    """The checks above for the items of one lecture (its slides by page, its vocabulary, its language)."""

    def __init__(self, lecture: LectureMaterial, lang: str) -> None:
        self.lang = lang
        self.slides = {s.ref.page: s for s in lecture.slides}
        self.vocab = vocabulary(f"{s.title}\n{s.text}" for s in lecture.slides)
        self.words_seen = lecture_words(s.text for s in lecture.slides)  # as the cheat sheet's FormGate
        self.topics = lecture_topics(lecture)

    def quiz(self, kind: str, prompt: str, options: Sequence[str], answer: str, page: int) -> list[str]:
        return quiz_problems(
            kind,
            prompt,
            options,
            answer,
            slide=self.slides.get(page),
            lang=self.lang,
            vocab=self.vocab,
            words_seen=self.words_seen,
            topics=self.topics,
        )

    def card(self, kind: str, front: str, back: str, page: int, *, figure: bool = False) -> list[str]:
        return card_problems(
            kind,
            front,
            back,
            slide=self.slides.get(page),
            lang=self.lang,
            vocab=self.vocab,
            figure=figure,
            words_seen=self.words_seen,
        )
