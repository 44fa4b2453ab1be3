"""A role for every line of every page, and the knowledge units (definitions, lists) the roles reveal.

Pure functions: no model, no I/O. The inputs are a deck's pages as lines of text, each line optionally with a
``LineHint`` from the reader (the layout model's class, or the PPTX placeholder kind, and where the line sits
on the page). Roles come from, in order of strength:

1. repetition across pages with digits normalised ("Y. Cheng UVA DS5110 Spring '25 <n>" on most pages is a
   footer although the page number changes), layout/placeholder classes (header, footer, slide number, date),
   bare page numbers at a page's edge;
2. the title slide (page 1 of a deck: everything but the lecture title is course meta);
3. the page's title (outline / agenda / objectives pages, reference lists, course logistics);
4. text cues on the line itself (URL, credit, question, caption, code, formula, definition, list lead-in).

Roles in ``DROPPED`` (footer, meta, credit, url) stay in the page text for the lecture view but are never
indexed, quizzed or answered from: ``content_text`` gives the rest.
"""

from __future__ import annotations

__all__ = [
    "classify_deck",
    "classify_page",
    "content_text",
    "knowledge_units",
    "page_title",
    "repeated_keys",
    "study_text",
    "without_boilerplate",
]

import re
import statistics
from collections.abc import Sequence

from workers.ocr.line_cues import (
    AGENDA_LINE,
    AGENDA_TITLE,
    BLANK,
    CAPTION,
    DATE,
    END_CUE,
    EXAM_TITLE,
    LOGISTICS_LINE,
    LOGISTICS_TITLE,
    MATH_CHARS,
    PAGE_NUMBER,
    REFERENCE_TITLE,
    SECTION_NUMBER,
    WORD,
    LineHint,
    PageLines,
    boilerplate_key,
    is_code,
    is_continuation,
    is_credit,
    is_formula,
    is_list_lead,
    is_question,
    is_url,
    looks_meta,
    norm_line,
    split_definition,
    strip_bullet,
)
from workers.ocr.role_defs import definition_shapes, single_item_leads
from workers.ocr.role_figures import figure_words
from workers.ocr.role_forms import (
    chained_headings,
    figure_title,
    is_author_pair,
    is_sql_line,
    letter_labels,
    numeric_row,
    paragraph_definitions,
    prose_with_symbols,
    repeated_anywhere_roles,
    repeated_labels,
)
from workers.ocr.role_fuzzy import (
    apply_marks,
    continued_run,
    digits_restored,
    fuzzy_marks,
    is_repeated,
    numeric_key,
    running_variants,
)
from workers.ocr.role_meta import (
    agenda_label_page,
    caseless_question_runs,
    course_name_title,
    exercise_blocks,
    exercise_title,
    is_question_shape,
    meta_shapes,
    objectives,
    repeated_meta_keys,
)
from workers.ocr.role_numbers import Numbering, bare_number, deck_numbering, fits_numbering
from workers.ocr.role_ocr import is_date_page, join_wrapped, ocr_bullets, ocr_hint_classes
from workers.ocr.role_pairs import term_pairs_and_leads
from workers.ocr.role_rules import (
    DEFAULT_RULES,
    agenda_title,
    anywhere_repeats,
    content_sentence,
    edge_page_meta,
    exam_notice_page,
    heading_blocks,
    is_citation,
    is_definition_form,
    is_heading_line,
    is_meta_label,
    is_question_form,
    is_question_prompt,
    logistics_block,
    logistics_sure,
    page_largest,
    wrapped_questions,
)
from workers.ocr.role_structure import (
    agenda_echo_titles,
    agenda_items,
    agenda_repeated_block,
    echo_agenda,
)
from workers.ocr.role_titles import title_lines, title_slide_title
from workers.ocr.role_use import (
    content_text,
    knowledge_units,
    page_title,
    study_text,
    without_boilerplate,
)

# --- the deck-level pass --------------------------------------------------------------------------
EDGE_SHARE = 0.15  # top or bottom share of the page where running headers and footers sit
EDGE_LINES = 3  # without positions, the first and last lines of a page count as its edges
REPEAT_SHARE = 0.3  # a line at the edge of this share of pages (and at least 3) is a running header/footer
RUNNING_MIN_CHARS = 12  # a repeated line this long matches with its numbers and dates cut off at both ends
TITLE_SLIDE_MAX_LINES = 14
TITLE_SLIDE_MAX_WORDS = 80


def _edge_positions(page: PageLines, *, by_position: bool = True) -> set[int]:
    """The page's first and last lines; with ``by_position``, lines whose known position is in the top or
    bottom band instead (a line with a known position away from the bands is no edge)."""
    nonblank = [i for i, line in enumerate(page.lines) if line.strip()]
    edges = set(nonblank[:EDGE_LINES] + nonblank[-EDGE_LINES:])
    if not by_position:
        return edges
    for i in nonblank:
        hint = page.hints[i] if i < len(page.hints) else None
        if hint is None or hint.top is None:
            continue
        bottom = hint.bottom if hint.bottom is not None else hint.top
        if hint.top <= EDGE_SHARE or bottom >= 1 - EDGE_SHARE:
            edges.add(i)
        elif i in edges:
            edges.discard(i)  # a known position away from the edges
    return edges


def _big(hint: LineHint | None, median: float | None) -> bool:
    return bool(hint and hint.size and median and hint.size >= 1.3 * median)


def repeated_keys(pages: Sequence[PageLines], *, guard: bool = True) -> set[str]:
    """Running headers and footers: lines in the top or bottom band found, digits normalised, on
    REPEAT_SHARE of the pages (at least 3), and lines among a page's first or last ones found exactly so
    (keys of the second kind start with "="). See ``running_variants`` for what may change from page to page;
    with ``guard``, a line only on one short run of consecutive pages is content (``continued_run``)."""
    found: dict[str, set[int]] = {}
    variants: dict[str, set[str]] = {}
    for p, page in enumerate(pages):
        edge_lines = {page.lines[i].strip() for i in _edge_positions(page)}
        keys = {numeric_key(line) for line in edge_lines}
        keys |= {"=" + norm_line(page.lines[i]) for i in _edge_positions(page, by_position=False)}
        for k in keys:
            if k and k not in ("#", "=", "=#"):
                found.setdefault(k, set()).add(p)
        for line in edge_lines:
            variants.setdefault(numeric_key(line), set()).add(line)
    threshold = max(3, int(len(pages) * REPEAT_SHARE + 0.999))
    return {
        key
        for key, on in found.items()
        if len(on) >= threshold
        and (key.startswith("=") or running_variants(variants.get(key, set())))
        and not (guard and continued_run(on, len(pages)))
    }


def classify_deck(pages: Sequence[PageLines], *, rules: frozenset[str] = DEFAULT_RULES) -> list[list[str]]:
    """Roles for every line of every page (``BLANK`` for empty lines), in the pages' order. ``rules``: the
    rules of workers/ocr/role_rules.py to apply (all by default; the benchmark switches them off)."""
    pages = ocr_hint_classes(pages)  # the layout classes an OCR'd line's hint keeps
    if "ocr_bullets" in rules:
        pages = ocr_bullets(pages)  # "© Confidentiality": a bullet OCR read as another glyph
    if "wrapped_lines" in rules:  # roles of whole paragraphs, each wrapped line its paragraph's role
        joined, where = join_wrapped(pages)
        found = classify_deck(joined, rules=rules - {"wrapped_lines", "ocr_bullets"})
        return [[roles[k] for k in ks] for roles, ks in zip(found, where, strict=True)]
    repeated = repeated_keys(pages, guard="repeat_runs" in rules) if len(pages) >= 3 else set()
    fuzzy = (
        [{} for _ in pages]
        if "fuzzy_repeats" not in rules
        else fuzzy_marks(
            pages,
            [_edge_positions(p) | _edge_positions(p, by_position=False) for p in pages],
            guard="repeat_runs" in rules,
        )
    )
    anywhere = anywhere_repeats(pages) if "repeated_anywhere" in rules else set()
    if "repeated_meta" in rules:
        anywhere |= repeated_meta_keys(pages)
    numbering = (
        deck_numbering(
            [
                [
                    digits_restored(p.lines[i].strip())
                    for i in _edge_positions(p) | _edge_positions(p, by_position=False)
                ]
                for p in pages
            ]
        )
        if "page_number_fit" in rules
        else None
    )
    opening = 0  # a cover picture with fewer than two lines: the title slide is the next page
    if "title_page_shift" in rules and len(pages) >= 4 and sum(bool(x.strip()) for x in pages[0].lines) < 2:
        opening = 1
    out = []
    for index, page in enumerate(pages):
        out.append(
            classify_page(
                page,
                first=index == opening,
                edge_page=index <= 1 or index == len(pages) - 1,
                deck_pages=len(pages),
                repeated=repeated,
                rules=rules,
                anywhere=anywhere,
                marks=fuzzy[index],
                position=index + 1,
                numbering=numbering,
            )
        )
    openers = agenda_items(pages, out)  # outlines named by words (see echo_agenda)
    if "agenda_echo_titles" in rules:
        agenda_echo_titles(pages, out)
    if "agenda_repeated_block" in rules:
        agenda_repeated_block(pages, out, runs="build_up_runs" in rules)
    echo_agenda(pages, out, openers=openers)
    return out


def _hint(page: PageLines, i: int) -> LineHint | None:
    return page.hints[i] if i < len(page.hints) else None


def classify_page(
    page: PageLines,
    *,
    first: bool = False,
    edge_page: bool = False,
    deck_pages: int = 1,
    repeated: set[str] | None = None,
    rules: frozenset[str] = DEFAULT_RULES,
    anywhere: set[str] | None = None,
    marks: dict[int, str] | None = None,
    position: int = 0,
    numbering: Numbering | None = None,
) -> list[str]:
    lines = page.lines
    roles = [BLANK] * len(lines)
    repeated = repeated or set()
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    edges = _edge_positions(page)
    loose_edges = _edge_positions(page, by_position=False)
    sizes = [h.size for h in (_hint(page, i) for i in nonblank) if h is not None and h.size]
    median = statistics.median(sizes) if sizes else None
    bare = {boilerplate_key(k) for k in repeated if not k.startswith("=")}

    # 1. running headers/footers, page numbers, placeholders
    for i in nonblank:
        hint, text, digits = _hint(page, i), lines[i].strip(), digits_restored(lines[i].strip())
        kind = hint.kind if hint else ""
        key = boilerplate_key(text)
        running = (
            i in edges | loose_edges
            and len(key) >= RUNNING_MIN_CHARS
            and key in bare
            and not _big(hint, median)
        )  # the footer with its date spaced otherwise ("2020 -04 -15"), or called a title by the layout
        if running:
            roles[i] = "footer"
            continue
        if kind in ("title", "subtitle") and not PAGE_NUMBER.match(text):
            continue
        small = not hint or not hint.size or not median or hint.size <= 1.1 * median
        if (
            kind in ("header", "footer")
            and len(text) <= 80
            and small
            and not page_largest(i, nonblank, page.hints)
        ):
            roles[i] = "footer"  # the layout model also calls slide titles "header": size decides
        elif (
            ("=" + norm_line(text) in repeated and i in loose_edges and not _big(hint, median))
            or (i in (nonblank[0], nonblank[-1]) and PAGE_NUMBER.match(digits))
            or (
                i in edges
                and (
                    (is_repeated(numeric_key(text), repeated) and not _big(hint, median))
                    or PAGE_NUMBER.match(digits)
                    or DATE.match(digits)
                    or ("date_page_footer" in rules and is_date_page(digits))
                )
            )
        ):
            roles[i] = "footer"
    repeated_anywhere_roles(page, roles, nonblank, edges | loose_edges, anywhere or set(), median)
    apply_marks(page, roles, nonblank, marks or {}, big=lambda h: _big(h, median))
    released = set()  # bare numbers that do not fit the deck's page numbers: content, but no title
    if numbering is not None and position:
        for i in nonblank:
            value = bare_number(digits_restored(lines[i].strip()))
            if roles[i] == "footer" and value is not None and not fits_numbering(value, position, numbering):
                roles[i] = BLANK
                released.add(i)
    content = [i for i in nonblank if not roles[i]]

    # 2. the title line(s)
    title_slide = (
        first
        and deck_pages >= 3
        and len(content) <= TITLE_SLIDE_MAX_LINES
        and sum(len(lines[i].split()) for i in content) <= TITLE_SLIDE_MAX_WORDS
    )
    candidates = [i for i in content if i not in released]
    titles = title_slide_title(page, candidates) if title_slide else title_lines(page, candidates, median)
    if not titles and not title_slide and "figure_title" in rules:
        titles = figure_title(page, candidates)
    title_text = " ".join(lines[i].strip() for i in titles)
    if title_slide and "course_name_title" in rules and course_name_title(title_text, bare):
        for i in titles:
            roles[i] = "meta"  # the course's name, as its running footer says, not this lecture's title
        titles, title_text = [], ""
    for i in titles:
        roles[i] = "title"

    # 3. the title slide: names, institutions, course codes and terms beside the title are course meta
    if title_slide and "title_slide_meta" in rules:
        for i in content:
            if i in titles:
                continue
            if is_url(lines[i]):
                roles[i] = "url"
            elif is_credit(lines[i]):
                roles[i] = "credit"
            elif looks_meta(lines[i]):
                roles[i] = "meta"

    # 4. page kinds named by the title
    page_kind = ""
    end_page = False
    keep_title = False  # the page's kind is named below its title (agenda_label)
    if REFERENCE_TITLE.match(title_text):
        page_kind = "credit"
    elif "agenda_words" in rules and (
        AGENDA_TITLE.match(title_text) or ("agenda_title" in rules and agenda_title(title_text))
    ):
        page_kind = "agenda"
    elif LOGISTICS_TITLE.match(title_text) or (
        "exam_logistics" in rules
        and EXAM_TITLE.match(title_text)
        and exam_notice_page(lines, [i for i in content if i not in titles])
    ):
        page_kind = "meta"
    elif "question_shapes" in rules and exercise_title(title_text):
        page_kind = "question"  # the plain lines of an exercise page are its exercises
    elif END_CUE.match(title_text) or (titles and END_CUE.match(lines[titles[0]].strip())):
        page_kind, end_page = "meta", True  # "End of Lecture 4" and the course name under it
    elif sum(
        bool(SECTION_NUMBER.match(strip_bullet(lines[i]))) for i in content if i not in titles
    ) >= 3 and all(SECTION_NUMBER.match(strip_bullet(lines[i])) for i in content if i not in titles):
        page_kind = "agenda"  # the contents of a section: "4.9.1. ...", "4.9.2. ..."
        titles = []
    elif "agenda_label" in rules and agenda_label_page(lines, [i for i in content if i not in titles]):
        page_kind, keep_title = "agenda", True  # "Agenda" under a header the title rule took as the title
    if (page_kind in ("agenda", "credit") or end_page) and not keep_title:
        for i in titles:
            roles[i] = page_kind  # an outline's or reading list's title line is part of it
    if len(content) == 1 and titles == content and not page.has_figures and not first:
        roles[content[0]] = "heading"  # a section divider

    # 5. line by line
    previous = ""
    previous_role = ""
    agenda_run = False  # the lines under "Next week:" / "Coming up:"
    figures_ok = "figure_box" not in rules or page.has_figures  # the reader drops a whole-page "figure"
    logistics = "logistics_evidence" not in rules or any(  # a title "Midterm" may name the subject
        logistics_sure(lines[i]) for i in content if i not in titles
    )
    for i in content:
        if roles[i]:
            previous, previous_role = lines[i], roles[i]
            continue
        text = lines[i].strip()
        hint = _hint(page, i)
        role = _line_role(
            text,
            hint,
            previous,
            previous_role,
            page_kind,
            rules=rules,
            figure=figures_ok,
            logistics=logistics,
        )
        if (
            role == "body"
            and "heading_size" in rules
            and not title_slide
            and not page_kind
            and i != content[0]
            and is_heading_line(text, hint, median)
        ):
            role = "heading"
        if "agenda_words" in rules and AGENDA_LINE.match(strip_bullet(text)):
            agenda_run = text.endswith((":", "："))
        elif agenda_run and is_list_lead(text):
            agenda_run = False
        elif agenda_run and role in ("body", "meta"):
            role = "agenda"
        roles[i] = role
        previous, previous_role = lines[i], role

    if "question_form" in rules:
        wrapped_questions(lines, roles, content)
    if "question_shapes" in rules:
        exercise_blocks(lines, roles, content)
        caseless_question_runs(lines, roles, content)
    if "heading_block" in rules and not page_kind:
        heading_blocks(lines, roles, content)
    if "repeated_labels" in rules:
        repeated_labels(lines, roles, content)
    if "logistics_block" in rules:
        logistics_block(lines, roles, content)
    if "paragraph_definitions" in rules:
        paragraph_definitions(lines, roles, content)
    definition_shapes(lines, roles, content, rules)
    if "letter_labels" in rules:
        letter_labels(lines, roles, content)
    if "edge_page_meta" in rules and edge_page and deck_pages >= 3 and not page_kind:
        edge_page_meta(lines, roles, [i for i in content if i not in titles])
    if "objectives_form" in rules and not page_kind:
        objectives(lines, roles, content, edge_page=edge_page)
    if "meta_shapes" in rules and edge_page and deck_pages >= 3 and not page_kind:
        meta_shapes(lines, roles, [i for i in content if i not in titles], opening=first)

    # 6. list lead-ins (decided by what follows) and headings over definitions
    for n, i in enumerate(content):
        following = [roles[j] for j in content[n + 1 : n + 3]]
        if roles[i] in ("body", "definition") and is_list_lead(lines[i]) and following:
            items = content[n + 1 : n + 3]
            if (
                len(following) == 2
                and all(r in ("body", "definition", "question") for r in following)
                and not is_list_lead(lines[items[0]])
                and not is_formula(lines[items[0]])
            ):
                if not (roles[i] == "definition" and re.search(r"\s[—–]\s", lines[i])):
                    roles[i] = "list_lead"  # "Four necessary conditions:" over two or more items
            elif roles[i] == "definition" and not re.search(r"\s[—–]\s", lines[i]):
                roles[i] = "body"
        elif (
            roles[i] == "body"
            and following
            and following[0] == "definition"
            and len(strip_bullet(lines[i]).split()) <= 4
            and not lines[i].rstrip().endswith((".", ",", ";"))
            and split_definition(lines[i]) is None
        ):
            roles[i] = "heading"
    term_pairs_and_leads(lines, roles, content)
    if "single_item_leads" in rules:
        single_item_leads(lines, roles, content)
    if "chained_headings" in rules and not page_kind:
        chained_headings(lines, roles, content)
    figure_words(page, roles, nonblank, rules)
    return roles


def _line_role(
    text: str,
    hint: LineHint | None,
    previous: str,
    previous_role: str,
    page_kind: str,
    *,
    rules: frozenset[str] = DEFAULT_RULES,
    figure: bool = True,
    logistics: bool = True,
) -> str:
    """``logistics``: the page carries an unambiguous logistics cue (``role_rules.logistics_sure``), so a
    line whose cue content uses too ("final exam") is course meta there."""
    kind = hint.kind if hint else ""
    if is_url(text):
        return "url"
    if (
        is_credit(text)
        or ("citation_form" in rules and is_citation(text))
        or ("author_pair" in rules and is_author_pair(text))
    ):
        return "credit"
    if page_kind == "credit":
        return "credit"
    if previous_role in ("url",) and " " not in text and len(text) < 40 and re.search(r"[/_.]\w", text):
        return "url"  # a wrapped URL
    if "agenda_words" in rules and AGENDA_LINE.match(strip_bullet(text)):
        return "agenda"
    if page_kind in ("agenda", "meta"):
        return page_kind
    if (
        LOGISTICS_LINE.search(text)
        and (logistics or logistics_sure(text))
        and len(text.split()) <= 25
        and not text.rstrip().endswith("?")
        and not content_sentence(text)  # "Office hours of a doctor are regulated by labour law ..."
    ):
        return "meta"  # course logistics: problem sets, exams, office hours
    if "meta_label" in rules and is_meta_label(text):
        return "meta"
    if kind in ("figure_caption", "table_caption") or CAPTION.match(strip_bullet(text)):
        return "caption"
    if (
        previous_role in ("definition", "question", "credit", "caption", "list_lead")
        and text[:1].islower()
        and is_continuation(text, previous)
        and not ("citation_form" in rules and is_citation(previous))  # a closed "(Smith, 2019)" ends there
        and not (
            "stray_glyph" in rules and sum(ch.isalpha() for ch in text) < 2
        )  # a stray "l" goes on nothing
    ):
        return "definition" if previous_role == "list_lead" else previous_role
    if (
        is_question(text)
        or ("question_form" in rules and is_question_form(text))
        or ("question_prompt" in rules and is_question_prompt(text))
        or ("question_shapes" in rules and is_question_shape(text))
    ):
        return "question"
    if kind == "table" or text.count("|") >= 2 or numeric_row(text):
        return "table"
    if is_code(text, previous_role == "code") or ("sql_code" in rules and is_sql_line(text)):
        return "code"
    if (
        is_formula(text) or (kind == "equation" and (MATH_CHARS.search(text) or len(WORD.findall(text)) <= 2))
    ) and not ("prose_math" in rules and prose_with_symbols(text)):
        return "formula"
    if (
        kind == "figure"
        and figure
        and strip_bullet(text) == text
        and not is_list_lead(text)
        and len(text.split()) <= 10
    ):
        return "figure_text"  # labels in a diagram; bullets and sentences the model boxed stay prose
    if split_definition(text) is not None or ("definition_form" in rules and is_definition_form(text)):
        return "definition"
    if previous_role == "definition" and is_continuation(text, previous):
        return "definition"
    return "question" if page_kind == "question" and not is_list_lead(text) else "body"
