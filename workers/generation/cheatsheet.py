"""Cheat sheets: a dense two-column .docx (Arial 9 pt, 11 pt headings, 0.5" margins, figures 3.2" wide),
one section per lecture with its key terms, formulas, main points per slide group and the figures that
matter; every item ends with its slide reference.

It must really fit on the pages asked for: items are chosen by priority against an estimated line budget,
the document is rendered with LibreOffice and its pages counted, and the budget is corrected until it fits
(when LibreOffice is absent the check is skipped and the params say so).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from shared import office
from shared.errors import AppError
from shared.files import FileStore
from shared.text import count_cjk, fold
from workers.generation import sheet_cover, sheet_named, sheet_plan, sheet_quotes
from workers.generation.candidates import (
    Definition,
    FigureItem,
    Formula,
    Group,
    LectureCandidates,
    Point,
)
from workers.generation.cardrules import agenda_like, good_definition, readable
from workers.generation.i18n import t
from workers.generation.keyterms import ListUnit, as_list
from workers.generation.phrasing import Phraser
from workers.generation.prompts import lecture_summary
from workers.generation.sheet_captions import figure_entry_ok
from workers.generation.sheet_cover import (
    closing_groups,
    closing_title,
    form_section,
    label_fit,
    without_value_labels,
)
from workers.generation.sheet_dedupe import replaced_terms, said
from workers.generation.sheet_docx import (
    HEADING_PT,
    MARGIN_IN,
    PAGE_H_IN,
    add_text,
    heading,
    style_document,
)
from workers.generation.sheet_entries import (
    COMPACT_CHARS,
    compact,
    definition_reason,
    entry_runs,
    explained_subheads,
    formula_labels,
    joined_lead_ins,
    sheet_title,
    spliced,
    symbol_tail,
    unbulleted,
    with_asides,
)
from workers.generation.sheet_figures import prepare_figure as _prepare_figure
from workers.generation.sheet_figures import slide_pictures
from workers.generation.sheet_form import FormGate
from workers.generation.sheet_formulas import sheet_formulas
from workers.generation.sheet_labels import (
    list_entry,
    point_complete,
    statements_first,
    term_reason,
    topic_titles,
)
from workers.generation.sheet_lists import unshown_definitions_as_points, whole_sentence, with_lead_in_lists
from workers.generation.sheet_pdf import docx_to_pdf, measure_pdf, soffice
from workers.generation.sheet_recap import recap_repeat
from workers.generation.sheet_rules import (
    label,
    lead_in_text,
    list_items_ok,
    mixed_script,
    point_reason,
    tidy,
)
from workers.generation.structure import explanations, structured, worked_case
from workers.generation.textutil import shorten
from workers.generation.validity import agenda_title, entry_ok

FIGURE_WIDTH_IN = 3.2
# Arial 9 pt in a 3.625" column: about 58 characters a line, lines 10.35 pt apart.
CHARS_PER_LINE = 58
LINE_PT = 10.35
LINES_PER_COLUMN = (PAGE_H_IN - 2 * MARGIN_IN) * 72 / LINE_PT
HEADING_LINES = 1.7

ItemKind = Literal["summary", "term", "formula", "point", "figure"]


@dataclass
class Item:
    kind: ItemKind
    lecture: int
    cost: float  # in body lines
    page: int = 0
    term: Definition | None = None
    formula: Formula | None = None
    group: Group | None = None
    point: Point | None = None
    figure: FigureItem | None = None
    text: str = ""
    image: Path | None = None
    image_ratio: float = 0.75
    image_width: float = FIGURE_WIDTH_IN
    sections: list[sheet_plan.Section] = field(default_factory=list)  # (no item lists sections now)
    words: frozenset[str] = frozenset()  # a term's or a point's content words (sheet_dedupe)


def width(text: str) -> int:
    """Text width in average Latin characters: a CJK character is about two."""
    return len(text) + count_cjk(text)


def _lines(chars: int) -> float:
    return max(1, -(-chars // CHARS_PER_LINE)) + 0.05


def ref_label(page: int) -> str:
    return f"(s. {page})"


@dataclass
class _Queues:
    terms: list[Item] = field(default_factory=list)
    formulas: list[Item] = field(default_factory=list)
    figures: list[Item] = field(default_factory=list)
    rounds: list[list[Item]] = field(default_factory=list)  # k-th point of every group
    slide_figures: list[Item] = field(default_factory=list)  # the picture of a slide that has no text
    section_of: dict[int, int] = field(default_factory=dict)  # slide page -> its section's index
    fit_sections: set[int] = field(default_factory=set)  # sections whose title can lead an entry


def spread(items: list[Item]) -> list[Item]:
    """The items in an order whose every prefix spreads over the whole list (1st, middle, quarters, ...):
    when the page budget ends early, the sheet still covers the lecture's last slides, not only its first."""
    n = len(items)
    if n <= 2:
        return list(items)
    bits = max(1, (n - 1).bit_length())
    order = sorted(range(1 << bits), key=lambda i: int(f"{i:0{bits}b}"[::-1], 2))
    return [items[i] for i in order if i < n]


def _ranked(q: _Queues) -> list[Item]:
    """A lecture's items, most useful first: every section's first entry (its first point, or the first
    key term of a section with no point of its own), spread over the lecture, before any section's second
    (each section its share of a page that cannot hold everything); then points, definitions, formulas and
    figures in turn."""
    first, lone = sheet_cover.first_entries(
        q.rounds[0] if q.rounds else [], q.terms, q.section_of, q.fit_sections
    )
    points = [p for rnd in q.rounds[1:] for p in spread(rnd)]
    pattern = ["point", "term", "point", "point", "term", "formula", "point", "figure", "term", "slide"]
    sources: dict[str, list[Item]] = {
        "term": spread([i for i in q.terms if all(i is not x for x in lone)]),
        "point": points,
        "formula": list(q.formulas),
        "figure": list(q.figures),
        "slide": spread(q.slide_figures),
    }
    out: list[Item] = spread(first)
    while any(sources.values()):
        for name in pattern:
            if sources[name]:
                out.append(sources[name].pop(0))
    return out


def _shown_points(
    g: Group,
    other_titles: list[str] | None = None,
    named: ListUnit | None = None,
    lang: str = "en",
    *,
    closing: bool = False,
) -> list[Point]:
    """A section's points for the sheet: a list in one line ("A • B • C"), long points cut to their first
    sentence, nothing with boilerplate, no table row of short cells, no outline of the lecture's own
    sections. The shortest of the first three leads when the first is
    long (one line per section leaves room for every section). A section naming its kinds line by line
    (``named``) shows their names in one line; their explanations are key terms."""
    if closing:  # a closing slide's lines stand alone, unlabelled, one by one (never as a list of names)
        return _point_lines(Group("", g.points, g.refs), lang)
    if not label_fit(g.title, lang):
        return []  # an entry needs its label; one example's details are no concept
    if named is not None:
        items = list_items_ok(named.items)
        return [Point(" • ".join(items), named.ref)] if len(items) >= 2 else []
    g = Group(g.title, joined_lead_ins(explained_subheads(with_asides(g.points)), g.title), g.refs)
    unit = as_list(g)
    if unit is not None:
        if agenda_like(unit.items, other_titles or []):
            return []  # an outline of the lecture's own sections
        items = list_items_ok(unit.items)
        whole = f"{g.title}: {' '.join(items)}"
        lost = formula_labels(unit.items, g.points)  # the names of formulas the sheet lost: no list
        if len(items) >= 2 and readable(whole, lang) and not mixed_script(whole) and not lost:
            return [Point(" • ".join(items), unit.ref)]
        # not a list a student can read: its whole sentences may still state something on their own; lost
        # formulas' names go and the other lines are judged one by one
        keep = without_value_labels(g.points) if lost else [p for p in g.points if whole_sentence(p.text)]
        g = Group(g.title, keep, g.refs)
    joined = list_entry([p.text for p in g.points], g.title, lang)
    if joined is not None:  # many short items, no lead-in ("Types of security requirement"): a list
        return [Point(joined, g.points[0].ref)]
    return _point_lines(g, lang)


def _point_lines(g: Group, lang: str) -> list[Point]:
    """A section's lines that each stand as a point under its label (``g.title``; none: alone)."""
    out = []
    explained = explanations(g, lang)  # under a sub-heading the sheet drops: what the sub-heading means
    for p in with_lead_in_lists(g.points, lang):  # "Four types of X:" and its short items: one point
        if p.text in explained:
            continue
        p = Point(symbol_tail(tidy(p.text)), p.ref, p.is_definition)
        if p.is_definition or not entry_ok(g.title, p.text) or not readable(p.text, lang):
            continue  # boilerplate, a fragment, or words misread from a photo
        if not readable(f"{g.title}: {p.text}", lang) or mixed_script(f"{g.title}: {p.text}"):
            continue  # the label and its line together are words misread from a photo
        if point_reason(g.title, p.text) or spliced(p.text):
            continue  # a lead-in, a question, code, a table row, a fragment, the label again, two spliced
        if p.text.rstrip().endswith((":", "：")):
            p = Point(lead_in_text(p.text) or p.text, p.ref)  # a whole statement: a full stop
        cells = [c.strip() for c in p.text.split("|")]
        if len(cells) >= 2 and all(len(c.split()) <= 3 for c in cells):
            continue  # a table row of short cells says nothing on its own
        if not point_complete(p.text, lang):
            continue  # cut at its end, begun mid-sentence, unbalanced or two lines spliced
        out.append(compact(p))
    out = [out[i] for i in statements_first([p.text for p in out])]  # no sub-headings among statements
    if out and (len(out[0].text) > COMPACT_CHARS or out[0].text.rstrip().endswith(":")):
        best = min(out[:3], key=lambda p: (p.text.rstrip().endswith(":"), len(p.text)))
        if len(best.text) <= COMPACT_CHARS:
            out.remove(best)
            out.insert(0, best)
    return out


def plan_items(
    lectures: list[LectureCandidates], files: FileStore, workdir: Path, *, summaries: dict[int, str]
) -> list[list[Item]]:
    """Every possible item of each lecture, ranked, with its estimated cost in lines."""
    plans: list[list[Item]] = []
    for li, lc in enumerate(lectures):
        q = _Queues()
        layout = structured(lc)  # kinds named line by line on a slide
        section = {r.page: g.title for g in lc.groups for r in g.refs}
        refused: list[Definition] = []
        form = FormGate([s.text for s in lc.lecture.slides], lc.text_lang)  # entries refused by their form
        sheet_quotes.quoted_points(lc)  # a source's statements quoted on a slide: points of its section
        said_names = sheet_named.named_terms(lc)  # "This is called X" after what X is: checked there
        for d in map(unbulleted, [*lc.definitions, *layout.definitions, *said_names]):
            if not entry_ok(d.term, d.definition) or not good_definition(d.term, d.definition, lc.text_lang):
                continue
            own = d in said_names  # a title-case name; "... for 1 observation" announces no list
            if not own and (
                term_reason(d.term, lc.text_lang) or not point_complete(d.definition, lc.text_lang)
            ):
                continue  # a term or definition cut off, spliced or unbalanced
            why = None if own else definition_reason(d.term, d.definition, lc.text_lang)
            if why or form.refuses(d.term, d.definition):
                refused.append(d)  # not as a point either
                continue  # repeats its term, asks, runs two together, or fails a form rule (sheet_form.py)
            if worked_case(section.get(d.ref.page, "")):
                continue
            text = f"{d.term} — {d.definition} {ref_label(d.ref.page)}"
            said_words = said(f"{d.term} {d.definition}", lc.text_lang)
            q.terms.append(Item("term", li, _lines(width(text)), d.ref.page, term=d, words=said_words))
        for f, name in sheet_formulas(lc):  # complete, named, from trusted pages; most central first
            q.formulas.append(
                Item("formula", li, _lines(width(name + f.text) + 10), f.ref.page, formula=f, text=name)
            )
        dividers = sheet_plan.divider_titles(lc)  # a slide of a title alone starts a topic
        for k, title in enumerate(topic_titles([g.title for g in lc.groups], lc.text_lang, dividers)):
            lc.groups[k].title = title  # "In practice" -> "Data splitting: In practice"
        closing = closing_groups(lc)  # the lecturer's own key points (sheet_cover.py)
        lc.groups = [g for g in lc.groups if not agenda_title(g.title) and g not in closing] + closing
        groups = list(lc.groups)  # no outline, logistics, exam notes
        kept = [i.term for i in q.terms if i.term] + refused  # the others may still be points
        groups = [unshown_definitions_as_points(g, kept) for g in groups]
        titles = [g.title for g in groups]
        named = {fold(u.title): u for u in layout.lists}
        shown_by = {
            id(g): _shown_points(
                g,
                [x for x in titles if x != g.title],
                named.get(fold(g.title)),
                lc.text_lang,
                closing=closing_title(g.title) and any(g is c for c in closing),
            )
            for g in groups
        }
        sheet_plan.fill_subheads(groups, shown_by, lc.text_lang)  # lead-ins to a plot: their names
        cases = sheet_cover.case_names(titles, lc.text_lang)  # "Examples of ... (Mentcare)": a worked case
        for g in groups:
            if sheet_cover.names_case(g.title, cases):
                shown_by[id(g)] = []  # "Security requirements for the Mentcare system": the case's details
            shown_by[id(g)] = [p for p in shown_by[id(g)] if not form.refuses(g.title, p.text)]
        q.section_of = {r.page: k for k, g in enumerate(groups) for r in g.refs}
        q.fit_sections = {
            k for k, g in enumerate(groups) if label_fit(g.title, lc.text_lang) and not form_section(g)
        }
        depth = max((len(x) for x in shown_by.values()), default=0)
        for k in range(depth):
            rnd = []
            for g in groups:
                shown = shown_by[id(g)]
                if k < len(shown):
                    p = shown[k]
                    rnd.append(
                        Item(
                            "point",
                            li,
                            _lines(width(f"{label(g.title)}: {p.text} {ref_label(p.ref.page)}")) + 0.1,
                            p.ref.page,
                            group=g,
                            point=p,
                            words=said(f"{label(g.title)} {p.text}", lc.text_lang),
                        )
                    )
            q.rounds.append(rnd)
        for fig in sorted(lc.figures, key=lambda f: -f.score)[:4]:
            if not figure_entry_ok(fig, lc):
                continue  # a key figure, its own caption fitting its picture, on a content slide
            prepared = _prepare_figure(fig, files, workdir)
            if prepared is None:
                continue
            image, ratio = prepared
            height_lines = FIGURE_WIDTH_IN * ratio * 72 / LINE_PT
            caption = f"{t(lc.lang, 'figure')}: {shorten(fig.caption, 140)} {ref_label(fig.ref.page)}"
            q.figures.append(
                Item(
                    "figure",
                    li,
                    height_lines + _lines(width(caption)) + 0.6,
                    fig.ref.page,
                    figure=fig,
                    image=image,
                    image_ratio=ratio,
                    text=caption,
                )
            )
        # per slide, not per section: a section's other slides keep their pictures (each slide its share)
        shown_pages = {p.ref.page for shown in shown_by.values() for p in shown}
        shown_pages |= {i.page for i in [*q.terms, *q.figures]}  # a slide's picture is shown once
        q.slide_figures = _slide_figures(lc, li, shown_pages, files, workdir)
        ranked = _ranked(q)
        # no 'Also on the slides' line: an index of slide titles explains nothing (judges: agenda material)
        if li in summaries:
            ranked.insert(0, Item("summary", li, _lines(width(summaries[li])), 0, text=summaries[li]))
        plans.append(ranked)
    return plans


SLIDE_FIGURE_WIDTH_IN = 1.8


def _slide_figures(
    lc: LectureCandidates, li: int, shown_pages: set[int], files: FileStore, workdir: Path
) -> list[Item]:
    """For a slide that says what it says in a picture (no text line of it reaches the sheet), its main
    figure at half width under the slide's title or its own heading (sheet_figures.slide_pictures)."""
    out: list[Item] = []
    for pic in slide_pictures(lc, shown_pages, files, workdir):
        caption = f"{t(lc.lang, 'figure')}: {shorten(label(pic.name), 140)} {ref_label(pic.page)}"
        cost = SLIDE_FIGURE_WIDTH_IN * pic.ratio * 72 / LINE_PT + _lines(width(caption)) + 0.6
        item = Item("figure", li, cost, pic.page, figure=pic.figure, image=pic.image, image_ratio=pic.ratio)
        item.text, item.image_width = caption, SLIDE_FIGURE_WIDTH_IN
        out.append(item)
    return out


def select_items(plans: list[list[Item]], budget: float) -> list[Item]:
    """Round-robin over lectures, taking each one's next item while the budget lasts. An item whose words
    a chosen one already says is skipped; a chosen key term whose words a new point says gives its place
    back (one fact once, in its section)."""
    chosen: list[Item] = []
    used = 0.0
    started: set[int] = set()
    cursors = [0] * len(plans)
    progress = True
    while progress:
        progress = False
        for li, plan in enumerate(plans):
            while cursors[li] < len(plan):
                item = plan[cursors[li]]
                cursors[li] += 1
                cost = item.cost + (0 if li in started else HEADING_LINES + 0.3)
                cost += _section_heading_cost(chosen, item)
                mine = [c for c in chosen if c.lecture == li and c.words]
                if used + cost > budget:
                    continue  # a smaller item further down may still fit
                replaced = replaced_terms(item, mine)
                if replaced is None or recap_repeat(item, mine):
                    continue  # a chosen entry says it already (a recap's line, a section's point)
                for c in replaced:
                    chosen.remove(c)
                    used -= c.cost
                chosen.append(item)
                started.add(li)
                used += cost
                progress = True
                break
    return chosen


def _section_heading_cost(chosen: list[Item], item: Item) -> float:
    if item.kind == "summary":
        return 0.0
    kind = item.kind
    if any(c.lecture == item.lecture and c.kind == kind for c in chosen):
        return 0.0
    return HEADING_LINES * 0.8


def render_docx(
    path: Path, *, title: str, lectures: list[LectureCandidates], items: list[Item]
) -> dict[str, int]:
    """Write the chosen items, lecture by lecture, in slide order within each part."""
    from docx import Document
    from docx.shared import Inches

    doc = Document()
    style_document(doc)
    counts = {"terms": 0, "formulas": 0, "points": 0, "figures": 0}
    head = doc.add_paragraph(style="Heading 1")
    add_text(head, title, size=HEADING_PT, bold=True)
    # the legend goes with the title: it explains the references, it is no entry of the sheet
    legend = "   " + t(lectures[0].lang if lectures else "en", "legend")
    add_text(head, legend, size=HEADING_PT, italic=True, grey=True)
    for li, lc in enumerate(lectures):
        mine = [i for i in items if i.lecture == li]
        if not mine:
            continue
        heading(doc, f"{lc.lecture.title}", 1)
        for item in mine:
            if item.kind == "summary":
                add_text(doc.add_paragraph(), item.text, italic=True)
        terms = sorted((i for i in mine if i.kind == "term"), key=lambda i: i.page)
        if terms:
            heading(doc, t(lc.lang, "key_terms"), 2)
            for item in terms:
                assert item.term is not None
                p = doc.add_paragraph()
                add_text(p, item.term.term, bold=True)
                add_text(p, f" — {item.term.definition} ")
                add_text(p, ref_label(item.term.ref.page), grey=True)
                counts["terms"] += 1
        formulas = sorted((i for i in mine if i.kind == "formula"), key=lambda i: i.page)
        if formulas:
            heading(doc, t(lc.lang, "formulas"), 2)
            for item in formulas:
                assert item.formula is not None
                p = doc.add_paragraph()
                if item.text:
                    add_text(p, f"{item.text}: ", bold=True)
                add_text(p, item.formula.text + " ")
                add_text(p, ref_label(item.formula.ref.page), grey=True)
                counts["formulas"] += 1
        points = [i for i in mine if i.kind == "point"]
        figures = sorted((i for i in mine if i.kind == "figure"), key=lambda i: i.page)
        if points:
            heading(doc, t(lc.lang, "main_points"), 2)
            for group in lc.groups:
                picked = [i for i in points if i.group is group]
                if not picked:
                    continue
                picked.sort(key=lambda i: i.page)  # stable: within a slide, in the section's order
                labelled = not closing_title(group.title) and (
                    sheet_title(group.title) or sheet_plan.section_title(group.title, lc.text_lang)
                )  # a closing slide's key points stand alone
                shown = [i.point for i in picked if i.point is not None]
                pages_of = [x.ref.page for x in shown]
                for run in entry_runs([x.text for x in shown], pages_of, labelled=bool(labelled)):
                    p = doc.add_paragraph()  # one entry per point (one idea), lines that go on joined
                    if labelled:
                        add_text(p, f"{label(group.title)}: ", bold=True)
                    add_text(p, " • ".join(shown[k].text for k in run) + " ")
                    add_text(p, ref_label(shown[run[0]].ref.page), grey=True)
                    counts["points"] += len(run)
        for item in figures:
            assert item.image is not None
            p = doc.add_paragraph()
            p.paragraph_format.keep_with_next = True
            p.add_run().add_picture(str(item.image), width=Inches(item.image_width))
            add_text(doc.add_paragraph(), item.text, italic=True)
            counts["figures"] += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return counts


# --- the whole sheet --------------------------------------------------------------------------------------
def build_cheatsheet(
    lectures: list[LectureCandidates],
    phraser: Phraser,
    *,
    files: FileStore,
    pages: int,
    title: str,
    out_path: Path,
    progress: Callable[[float, str], None] | None = None,
    check_pages: bool = True,
    office_options: office.OfficeOptions | None = None,
) -> dict[str, Any]:
    """Write the cheat sheet to ``out_path``; returns the params worth keeping (fit, counts, LLM use)."""
    lectures = [lc for lc in lectures if not lc.is_empty()]
    if not lectures:
        raise AppError(
            "NOT_ENOUGH_MATERIAL", "The notes have no text to put on a cheat sheet.", status_code=422
        )
    summaries: dict[int, str] = {}
    for li, lc in enumerate(lectures):
        topics = [g.title for g in lc.groups if g.title][:12]
        if len(topics) >= 2:
            summary = lecture_summary(phraser, lc.lecture.title, topics)
            if summary:
                summaries[li] = summary
        if progress:
            progress(0.1 + 0.3 * (li + 1) / len(lectures), "summarising lectures")
    workdir = Path(tempfile.mkdtemp(prefix="smartnotes-sheet-"))
    try:
        plans = plan_items(lectures, files, workdir, summaries=summaries)
        total = sum(i.cost for plan in plans for i in plan) + len(plans) * HEADING_LINES
        budget = pages * 2 * LINES_PER_COLUMN * 0.9 - 3  # the title and legend
        params: dict[str, Any] = {"pages_target": pages, "fit_attempts": 0}
        draft = workdir / "sheet.docx"
        best: tuple[Path, int, dict[str, int]] | None = None
        can_check = check_pages and soffice() is not None
        if not can_check:
            params["page_check"] = (
                "skipped: LibreOffice (soffice) is not installed" if check_pages else "skipped: disabled"
            )
        for attempt in range(6):
            chosen = select_items(plans, budget)
            counts = render_docx(draft, title=title, lectures=lectures, items=chosen)
            params["fit_attempts"] = attempt + 1
            if progress:
                progress(min(0.95, 0.5 + 0.1 * attempt), "fitting the pages")
            if not can_check:
                best = (draft, -1, counts)
                break
            pdf = docx_to_pdf(draft, options=office_options)
            if pdf is None:
                params["page_check"] = "skipped: LibreOffice failed to render the document"
                best = (draft, -1, counts)
                break
            rendered, fill = measure_pdf(pdf)
            everything = len(chosen) == sum(len(p) for p in plans)
            if rendered <= pages:
                keep = workdir / f"fit-{attempt}.docx"
                shutil.copy(draft, keep)
                best = (keep, rendered, counts)
                room = (pages - rendered) + (1 - fill)  # in pages
                if everything or attempt >= 4 or room < 0.1:
                    break
                budget *= 1 + min(0.5, 0.7 * room / pages)  # room left: add more
            else:
                if best is not None:  # the previous, smaller one fitted: keep it
                    break
                budget *= (pages / rendered) * 0.92 if rendered > pages + 1 else 0.88
        if best is None:  # never fitted in six attempts: the smallest tried is the best effort
            best = (draft, -1, counts)
            params["page_check"] = "did not fit"
        shutil.copy(best[0], out_path)
        if best[1] > 0:
            params["pages_rendered"] = best[1]
            params["page_check"] = "libreoffice"
        params.update(best[2])
        params["items_available"] = sum(len(p) for p in plans)
        params["estimated_lines_total"] = round(total, 1)
        params["summaries"] = len(summaries)
        return params
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
