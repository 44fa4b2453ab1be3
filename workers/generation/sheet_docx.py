"""The cheat sheet's Word styling: Arial in every script slot (theme fonts removed), 9 pt body, 11 pt
headings, two columns, narrow margins. A formula line under a "Formulas" heading is written as a Word equation
(sheet_math.formula_omml) when it converts cleanly, as plain text otherwise."""

from __future__ import annotations

from typing import Any

FONT = "Arial"
BODY_PT = 9
HEADING_PT = 11
MARGIN_IN = 0.5
COLUMN_GAP_IN = 0.25
PAGE_W_IN, PAGE_H_IN = 8.5, 11.0


def set_fonts(rpr_parent: Any, size_pt: float | None = None, *, bold: bool | None = None) -> None:
    """Arial for every script slot, with theme fonts removed (they would win over w:ascii)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = rpr_parent.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), FONT)


def style_document(doc: Any) -> None:
    from docx.enum.text import WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Inches, Pt, RGBColor

    section = doc.sections[0]
    section.page_width, section.page_height = Inches(PAGE_W_IN), Inches(PAGE_H_IN)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(MARGIN_IN))
    section.header_distance = section.footer_distance = Inches(0.3)
    cols = section._sectPr.find(qn("w:cols"))
    if cols is None:
        cols = section._sectPr.makeelement(qn("w:cols"), {})
        section._sectPr.append(cols)
    cols.set(qn("w:num"), "2")
    cols.set(qn("w:space"), str(int(COLUMN_GAP_IN * 1440)))

    # Document defaults carry theme fonts; replace them so nothing falls back to Calibri/Cambria.
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            rfonts = rpr.find(qn("w:rFonts"))
            if rfonts is not None:
                for key in list(rfonts.attrib):
                    del rfonts.attrib[key]
                for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                    rfonts.set(qn(attr), FONT)

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    set_fonts(normal.element)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    for name in ("Heading 1", "Heading 2"):
        style = doc.styles[name]
        style.font.name = FONT
        style.font.size = Pt(HEADING_PT)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        set_fonts(style.element)
        style.paragraph_format.space_before = Pt(4 if name == "Heading 1" else 2)
        style.paragraph_format.space_after = Pt(1)
        style.paragraph_format.keep_with_next = True
    caption = doc.styles["Caption"] if "Caption" in [s.name for s in doc.styles] else None
    if caption is not None:
        caption.font.name = FONT
        caption.font.size = Pt(BODY_PT)
        set_fonts(caption.element)


def add_plain_text(
    paragraph: Any,
    text: str,
    *,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    grey: bool = False,
) -> Any:
    from docx.shared import Pt, RGBColor

    run = paragraph.add_run(text)
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    if grey:
        run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    set_fonts(run._r)
    return run


def _formula_headings() -> frozenset[str]:
    from workers.generation.i18n import PHRASES

    return frozenset(p["formulas"] for p in PHRASES.values() if "formulas" in p)


def in_formula_section(paragraph: Any) -> bool:
    """The paragraph follows a level-2 "Formulas" heading (in any of the sheet's languages)."""
    from docx.oxml.ns import qn

    for el in paragraph._p.itersiblings(preceding=True):
        if el.tag != qn("w:p"):
            continue
        style = el.find(qn("w:pPr") + "/" + qn("w:pStyle"))
        name = style.get(qn("w:val")) if style is not None else ""
        if name and name.startswith("Heading"):
            text = "".join(t.text or "" for t in el.iter(qn("w:t")))
            return name == "Heading2" and text.strip() in _formula_headings()
    return False


def add_formula(paragraph: Any, text: str, *, size: float = BODY_PT) -> Any:
    """The formula as a Word equation (m:oMath) followed by its trailing spaces as a run; plain text when
    it does not convert cleanly. Returns the last run written."""
    from workers.generation.sheet_math import formula_omml

    body = text.strip()
    omml = formula_omml(body, size_pt=size) if body else None
    if omml is None:
        return add_plain_text(paragraph, text, size=size)
    lead, tail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    if lead:
        add_plain_text(paragraph, lead, size=size)
    paragraph._p.append(omml)
    return add_plain_text(paragraph, tail, size=size)


def add_text(
    paragraph: Any,
    text: str,
    *,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    grey: bool = False,
) -> Any:
    """A run of sheet text; the plain body of a formula line (under a Formulas heading, neither its bold
    name nor its grey slide reference) becomes an equation."""
    if not (bold or italic or grey) and in_formula_section(paragraph):
        return add_formula(paragraph, text, size=size)
    return add_plain_text(paragraph, text, size=size, bold=bold, italic=italic, grey=grey)


def paragraph_text(paragraph: Any) -> str:
    """The paragraph's text with its equations' text in place (python-docx's ``paragraph.text`` skips
    m:oMath, so a reader of the sheet would lose the formulas)."""
    from docx.oxml.ns import qn

    from workers.generation.sheet_math import M_NS

    return "".join(el.text or "" for el in paragraph._p.iter(qn("w:t"), f"{{{M_NS}}}t"))


def heading(doc: Any, text: str, level: int) -> None:
    p = doc.add_paragraph(style=f"Heading {level}")
    add_text(p, text, size=HEADING_PT, bold=True)
