"""A cheat sheet that covers the lecture's key ideas across all its slides (workers/generation/sheet_cover.py
and its use in cheatsheet.py), on lectures the tests make: closing slides' key points, headings over their
lines, every section its first entry before any second, labels without a cut-off part number, a section whose
formulas' names were lost, every slide's picture under its own heading."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docx import Document

from shared.files import LocalFileStore
from shared.schemas import SourceRef
from tests.support.factories import make_chart_png
from workers.generation.candidates import Group, LectureCandidates, Point, extract
from workers.generation.cheatsheet import plan_items, render_docx, select_items
from workers.generation.material import FigureInfo, LectureMaterial, Slide
from workers.generation.sheet_cover import (
    case_names,
    closing_groups,
    closing_title,
    first_entries,
    form_section,
    heading_line,
    split_headings,
    without_value_labels,
)


def _ref(page: int) -> SourceRef:
    return SourceRef(lecture_id=1, lecture="Networks", file="n.pdf", page=page)


def _lecture(
    slides: list[tuple[str, str]], figures: dict[int, list[FigureInfo]] | None = None
) -> LectureCandidates:
    return extract(
        LectureMaterial(
            id=1,
            title="Networks",
            filename="n.pdf",
            slides=[
                Slide(ref=_ref(i), title=t, text=x, figures=(figures or {}).get(i, []))
                for i, (t, x) in enumerate(slides, 1)
            ],
        )
    )


def _sheet(lc: LectureCandidates, tmp_path: Path, budget: float = 200, files: object = None) -> list[str]:
    store = files or LocalFileStore(tmp_path / "files")
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    plans = plan_items([lc], store, work, summaries={})  # type: ignore[arg-type]
    chosen = select_items(plans, budget)
    out = tmp_path / "sheet.docx"
    render_docx(out, title="Networks", lectures=[lc], items=chosen)
    return [p.text for p in Document(str(out)).paragraphs]


ROUTING = (
    "Routing",
    "Routing\n• Routers forward packets along paths chosen by a routing protocol.\n"
    "• Each router keeps a routing table of the best known paths.",
)
CONGESTION = (
    "Congestion control",
    "Congestion control\n• Senders slow down when the network drops packets.\n"
    "• The congestion window limits the data in flight.",
)


def test_a_closing_slide_gives_its_salient_statements_without_a_label(tmp_path: Path) -> None:
    """The lecturer's own key points reach the sheet, each as a statement of its own; a recap's logistics
    (no word of the lecture's topics) stay out."""
    key = (
        "Key points",
        "Key points\n• Routing protocols exchange reachability so that every router learns its paths.\n"
        "• Congestion control keeps senders from overwhelming the network.\n"
        "• The focus is less on memorizing facts and more on writing clear essays.",
    )
    lc = _lecture([("Networks", "Networks\nA. Teacher"), ROUTING, CONGESTION, key])
    text = "\n".join(_sheet(lc, tmp_path))
    assert "Routing protocols exchange reachability so that every router learns its paths. (s. 4)" in text
    assert "Key points:" not in text  # no label that names no topic
    assert "memorizing facts" not in text
    assert closing_title("Key points") and closing_title("Summary") and closing_title("Resumen")
    assert not closing_title("Relational Model: Summary")  # a section's own summary keeps its topic


def test_a_heading_in_a_closing_slide_leads_the_lines_under_it(tmp_path: Path) -> None:
    lines = [
        "Routing tables",
        "Each router stores the best known path to every prefix",
        "Congestion in wireless links",
        "No fairness, but senders back off quickly",
    ]
    assert split_headings(lines) == [
        ("Routing tables", ["Each router stores the best known path to every prefix"]),
        ("Congestion in wireless links", ["No fairness, but senders back off quickly"]),
    ]
    assert heading_line("MISO channels with slow fading")
    assert not heading_line("High SNR: Multiplexing gain") and not heading_line(
        "This creates parallel channels"
    )
    summary = ("Summary", "Summary\n• " + "\n• ".join(lines))
    lc = _lecture([("Networks", "Networks\nA. Teacher"), ROUTING, CONGESTION, summary])
    groups = closing_groups(lc)
    assert [g.title for g in groups] == ["Routing tables", "Congestion in wireless links"]
    text = "\n".join(_sheet(lc, tmp_path))
    assert "Congestion in wireless links: No fairness, but senders back off quickly (s. 4)" in text
    titles = [g.title for g in lc.groups]
    _sheet(lc, tmp_path)  # planned twice on the same lecture: no section added twice
    assert [g.title for g in lc.groups] == titles and titles.count("Routing tables") == 1


def test_a_label_is_judged_without_its_cut_off_part_number(tmp_path: Path) -> None:
    guide = (
        "Design guidelines 1-",
        "Design guidelines 1-\n• Base decisions on an explicit security policy\n"
        "• Avoid a single point of failure in the security procedures",
    )
    lc = _lecture([("Networks", "Networks\nA. Teacher"), ROUTING, guide])
    text = "\n".join(_sheet(lc, tmp_path))
    assert "Design guidelines: Base decisions on an explicit security policy" in text


def test_lost_formula_names_go_but_their_section_keeps_its_statement(tmp_path: Path) -> None:
    points = [
        Point("Ideal capacity with MISO:", _ref(2)),
        Point("Outage probability: 10-3", _ref(2)),
        Point("Diversity gain, but no beamforming gain", _ref(2)),
    ]
    assert [p.text for p in without_value_labels(points)] == ["Diversity gain, but no beamforming gain"]
    diversity = (
        "Transmit diversity versus receive diversity",
        "Transmit diversity versus receive diversity\n• Ideal capacity with MISO:\n"
        "• Ideal capacity with SIMO:\n• Outage probability: 10-3\n• Diversity gain, but no beamforming gain",
    )
    lc = _lecture([("Networks", "Networks\nA. Teacher"), ROUTING, diversity])
    text = "\n".join(_sheet(lc, tmp_path))
    assert "Transmit diversity versus receive diversity: Diversity gain, but no beamforming gain" in text
    assert "Ideal capacity with MISO" not in text


@dataclass
class _Entry:
    page: int
    name: str = ""


def test_every_section_gets_its_first_entry_before_any_key_term_of_a_section_with_one() -> None:
    points = [_Entry(2, "p2"), _Entry(5, "p5")]
    terms = [_Entry(2, "t2"), _Entry(3, "t3a"), _Entry(3, "t3b"), _Entry(4, "table")]
    section_of = {2: 0, 3: 1, 4: 2, 5: 3}
    first, lone = first_entries(points, terms, section_of, fit={0, 1, 3})
    assert [e.name for e in first] == ["p2", "t3a", "p5"]  # one term for the definitions slide, none of 2
    assert [e.name for e in lone] == ["t3a"]  # section 2 (a form) is not fit to lead
    form = [Point(x, _ref(4)) for x in ["Actors | Nurse", "Data | Patient records", "Response | A receipt"]]
    assert form_section(Group("Use case", form, [_ref(4)]))
    glossary = [Point(x, _ref(3)) for x in ["Asset | Something of value", "Threat | A possible harm"]]
    assert not form_section(Group("Terminology", glossary, [_ref(3)]))


GLOSSARY = {
    "Bridge": "connects two segments at the data link layer and filters frames by address",
    "Hub": "repeats every incoming signal to all of its ports without any filtering",
    "Gateway": "translates between different protocol families at the edge of a site",
    "Repeater": "regenerates a weak signal so that it can travel over a longer cable",
    "Modem": "converts digital data into analog signals for transmission over telephone lines",
    "Firewall": "blocks unwanted connections according to a configured policy",
    "Proxy": "forwards client requests to servers and may cache their responses",
    "Tunnel": "encapsulates one protocol inside another across an untrusted path",
}
TOPICS = {
    "Routing": "Routers choose paths for packets using tables built by routing protocols.",
    "Switching": "Switches learn which port leads to each address from the frames they see.",
    "Addressing": "Every interface gets an address made of a prefix and a host part.",
    "Naming": "The domain name system maps readable names to numeric addresses.",
    "Transport": "Transport protocols split streams into segments and number them.",
    "Queues": "Long queues in routers add delay before packets are dropped.",
    "Wireless": "Radio links lose more frames than cables because of interference.",
    "Encryption": "Encryption hides the content of messages from eavesdroppers on the path.",
}


def test_a_small_page_names_every_section_before_key_terms_of_named_sections(tmp_path: Path) -> None:
    """A slide of many definitions no longer pushes later sections off a page that cannot hold everything:
    each section's first entry comes before a second entry of any section."""
    glossary = "Devices\n" + "\n".join(f"• {w} — {d}" for w, d in GLOSSARY.items())
    slides = [("Networks", "Networks\nA. Teacher"), ("Devices", glossary)]
    slides += [(t, f"{t}\n• {x}\n• A second remark on {t.lower()} follows here.") for t, x in TOPICS.items()]
    lc = _lecture(slides)
    text = "\n".join(_sheet(lc, tmp_path, budget=26))
    assert all(f"{t}: {x}" in text for t, x in TOPICS.items()), text


def _png(files: LocalFileStore, tmp_path: Path, page: int) -> str:
    key = f"uploads/1/1/figures/p{page:04d}-0.png"
    files.path(key).parent.mkdir(parents=True, exist_ok=True)
    files.path(key).write_bytes(make_chart_png(tmp_path / f"chart{page}.png").read_bytes())
    return key


def test_each_slide_of_a_shared_title_shows_its_picture_under_its_own_heading(tmp_path: Path) -> None:
    """Slides sharing one title show one plot each under a heading of their own: each is on the sheet under
    that heading; a small picture (a formula typeset as an image, 15 % of the slide) too; a slide whose
    own line is on the sheet does not repeat itself in a picture."""
    files = LocalFileStore(tmp_path / "data")
    shared = "Interpretation of the stress plots"
    slides = [
        ("Networks", "Networks\nA. Teacher"),
        (shared, f"{shared}\n• The stresses do not depend on the depth of the beam in z."),
        (shared, f"{shared}\nNormal stress along the beam"),
        (shared, f"{shared}\nShear stress near the supports"),
        ("Gate equations", "Gate equations"),
    ]
    figures = {
        i: [FigureInfo(id=i, page=i, caption="", text="", image_path=_png(files, tmp_path, i), area=a)]
        for i, a in [(2, 0.5), (3, 0.6), (4, 0.6), (5, 0.15)]
    }
    lc = _lecture(slides, figures)
    text = "\n".join(_sheet(lc, tmp_path, files=files))
    assert "Normal stress along the beam (s. 3)" in text
    assert "Shear stress near the supports (s. 4)" in text
    assert "Gate equations (s. 5)" in text
    assert "(s. 2)" in text and f"{shared} (s. 2)" not in text  # its text is on the sheet, not its picture


def test_sections_about_the_worked_case_an_example_names_give_no_entry(tmp_path: Path) -> None:
    """ "Examples of routing terms (Zorvanet)" names the lecture's worked case; "Routing requirements for the
    Zorvanet system" then lists that case's details, not the lecture's ideas."""
    slides = [
        ("Networks", "Networks\nA. Teacher"),
        ROUTING,
        ("Examples of routing terms (Zorvanet)", "Examples of routing terms (Zorvanet)\n• Route | A path"),
        (
            "Routing requirements for the Zorvanet system",
            "Routing requirements for the Zorvanet system\n"
            "• A log on a separate server must be kept of all changes made to the routing tables.",
        ),
    ]
    assert case_names([t for t, _ in slides]) == {"zorvanet"}
    text = "\n".join(_sheet(_lecture(slides), tmp_path))
    assert "Routing: Routers forward packets" in text
    assert "A log on a separate server" not in text
