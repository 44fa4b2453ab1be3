"""The cheat sheet's formulas: complete formula lines from trusted pages, named and ranked by how central
their topic is to the lecture (formula_lines.py tells a formula line; this module picks the sheet's)."""

from __future__ import annotations

from shared.text import fold, stem, words
from workers.generation.candidates import Formula, LectureCandidates, clean_title, good_title
from workers.generation.formula_lines import complete_formula, specific_name, trusted_page

MAX_SHEET_FORMULAS = 6


def _centrality(name: str, lc: LectureCandidates) -> int:
    """How many of the lecture's slides name the formula's topic (a content word of its name), plus two
    when the name is one of the lecture's key terms."""
    lang = lc.text_lang
    stems = {stem(w, lang) for w in words(name) if len(w) >= 4}
    hits = 0
    for s in lc.lecture.slides:
        seen = {stem(w, lang) for w in words(f"{s.title} {s.text}")}
        hits += bool(stems & seen)
    key = fold(name)
    return hits + (2 if any(fold(t) == key or fold(t) in key for t in lc.terms if len(t) >= 4) else 0)


def sheet_formulas(lc: LectureCandidates) -> list[tuple[Formula, str]]:
    """The lecture's formulas for the sheet with their names, most central first, at most
    MAX_SHEET_FORMULAS; a formula with no name, from an untrusted page or from a worked example's section
    is left out."""
    from workers.generation.cardrules import sheet_formula
    from workers.generation.sheet_rules import example_section, label
    from workers.generation.validity import agenda_title

    slides = {s.ref.page: s for s in lc.lecture.slides}
    section = {r.page: g.title for g in lc.groups for r in g.refs}
    chosen: list[tuple[int, int, Formula, str]] = []
    for f in lc.formulas:
        if not sheet_formula(f.text) or not complete_formula(f.text):
            continue
        slide = slides.get(f.ref.page)
        if not trusted_page(slide, lc.text_lang):
            continue
        title = label(clean_title(section.get(f.ref.page, "") or (slide.title if slide else "")))
        if title and (agenda_title(title) or example_section(title)):
            continue  # an outline's line or one example's numbers: no formula of the lecture
        name = f.name if f.name and specific_name(f.name) and good_title(f.name) else ""
        if not name and good_title(title):
            name = title
        if not name:
            continue  # a formula with no name says nothing on a sheet
        chosen.append((-_centrality(name, lc), f.ref.page, f, name))
    chosen.sort(key=lambda c: (c[0], c[1]))
    return [(f, name) for _, _, f, name in chosen[:MAX_SHEET_FORMULAS]]
