"""Flashcards a student would keep and a cheat sheet that covers the whole lecture: the rules of
workers/generation/cardrules.py and structure.py, and how flashcards.py and cheatsheet.py use them."""

from __future__ import annotations

from pathlib import Path

from tests.support.study import BIO_SLIDES as BIO
from tests.support.study import lecture
from workers.generation.candidates import extract
from workers.generation.cardrules import (
    agenda_like,
    cloze_ok,
    figure_answer,
    good_definition,
    list_ok,
    looks_like_code,
)
from workers.generation.cheatsheet import SLIDE_FIGURE_WIDTH_IN, Item, plan_items, select_items, spread
from workers.generation.flashcards import _drafts, card_drafts
from workers.generation.material import FigureInfo
from workers.generation.phrasing import Phraser
from workers.generation.structure import structured
from workers.generation.validity import word_count


def test_a_definition_names_a_concept_and_says_what_it_is() -> None:
    assert good_definition("Asset", "Something of value which has to be protected")
    assert good_definition("RuBisCO", "the enzyme that fixes carbon dioxide in the stroma")
    assert not good_definition("Let A", "the adjacency matrix of a graph")  # a lead-in, not a name
    assert not good_definition("Пусть A", "матрица смежности некоторого графа", "ru")
    assert not good_definition("Hourly_Emps", "ssn, name, lot, hourly_wages, hours_worked")  # identifiers
    assert not good_definition("3 relations", "Employees, Hourly_Emps and Contract_Emps")
    assert not good_definition("Pierce", "‘‘Negative pas is placed correctly at the earliest stage.’’")
    assert not good_definition("Distributing assets", "that attacks on one system do not spread")
    assert not good_definition("non-zero vector u", "an eigenvector of A if")  # cut before its end
    assert not good_definition("Assurption", "Kid doesn't know interpretation of Tense")  # a misread word
    assert not good_definition("conclusion from our generalization", "the stem is the infinitive form")
    assert not good_definition("Keys for each", "FOREIGN KEY (ssn) REFERENCES Employees")  # a listing
    assert not good_definition("Two movements", "V to C (probably through I)")  # a count, not a name


def test_code_is_recognised_and_prose_with_abbreviations_is_not() -> None:
    assert looks_like_code("Creates the Students CREATE TABLE Students relation.")
    assert looks_like_code("AS SELECT S.name, E.grade")
    assert looks_like_code("cid CHAR(20), grade CHAR(2)")
    assert not looks_like_code("ATP and NADPH are produced for the Calvin cycle")


def test_clozes_hide_key_terms_in_readable_self_contained_prose_only() -> None:
    good = "Additive architectures such as the LSTM mitigate the vanishing gradient problem"
    assert cloze_ok(good, "vanishing gradient")
    assert not cloze_ok("Vanilla RNNs need the RNN parameters shared between all cells", "RNN")  # guessable
    assert not cloze_ok("DBMS should not allow illegal instances.", "DBMS")
    assert not cloze_ok("Attacks: A network monitor is added to the system", "Attacks")  # a label
    assert not cloze_ok("DROP TABLE command has options to let the user specify this.", "DROP TABLE")
    assert not cloze_ok("This is called Leave One Out Cross Validation (LOO-CV)", "Cross Validation")
    assert not cloze_ok("Divide your training set into buckets, called folds k", "training set")
    assert not cloze_ok("Note that did is since DATE, the kev wsxq plorf now ghtu!", "since DATE")
    owner = (
        "The owner and the weak entity set form a one-to-many relationship set (1 owner, many weak entities)."
    )
    assert not cloze_ok(owner, "weak entities")  # the rest of the sentence says it
    assert cloze_ok("IC: a statement about all possible instances of the database.", "IC", definition=True)


def test_misread_photographed_lines_are_not_readable() -> None:
    from workers.generation.cardrules import readable

    assert not readable("StarLine: Page • Date: • ART — enn eee • GAT WT समाज Se", "hi")
    assert not readable("— StarLine-: loud SI qxz", "hi")
    assert readable("मनुष्य के जीवन में पोशाक का महत्व", "hi")
    assert readable("Security policies should be short documents", "en")


def test_outlines_and_formula_pieces_are_no_lists() -> None:
    titles = ["Graph theory basics", "Chemical graphs: reduction", "Matrices of molecular graphs", "SMILES"]
    assert agenda_like(["Chemical graphs", "Molecular graphs", "Graph matrices", "SMILES"], titles)
    assert not agenda_like(["Confidentiality", "Integrity", "Availability"], titles)
    assert list_ok("Security dimensions", ["Confidentiality", "Integrity", "Availability"])
    assert not list_ok("Capacity comparison with 𝑔%,) =", ["SISO channel", "SIMO", "MIMO"])
    assert not list_ok("Transmit diversity", ["Ideal capacity with MISO", "2𝑁Z", "Outage probability"])


def test_only_whole_formulas_reach_the_sheet() -> None:
    from workers.generation.cardrules import sheet_formula

    assert sheet_formula("C = log2(1 + SNR)") and sheet_formula("Rate = k × [CO2]")
    assert not sheet_formula("We have S = 1:")  # a lead-in whose formula was an image
    assert not sheet_formula("MIMO, M = K antennas:")
    assert not sheet_formula("q+ = q")


def test_a_figure_card_answers_with_the_numbered_caption_only() -> None:
    stroma = "Carbon fixed per hour in the stroma"
    assert figure_answer(f"Figure 2: {stroma}") == stroma
    assert figure_answer("Fig. 3.1 — Stress trajectories in a beam") == "Stress trajectories in a beam"
    assert figure_answer("Static embeddings (e.g., word2vec)") is None  # words beside a picture
    assert figure_answer("The RNN parameters, shared between all cells!") is None
    assert figure_answer("Figure 5:") is None
    assert figure_answer("Figure 4: Image courtesy of NASA/JPL") is None  # an image credit


KINDS = [
    (
        "Security dimensions",
        "Security dimensions\nConfidentiality\nInformation in a system may be disclosed to people who are "
        "not authorized to see it.\nIntegrity\nInformation in a system may be damaged or corrupted so that "
        "it is unreliable.\nAvailability\nAccess to a system or its data that is normally available may "
        "not be possible.",
    ),
    (
        "Security levels",
        "Security levels\nInfrastructure security, which is concerned with the security of all shared "
        "networks.\nApplication security, which is concerned with the security of individual application "
        "systems.\nOperational security, which is concerned with the secure operation and use of systems.",
    ),
    (
        "Mentcare misuse case: Intercept transfer",
        "Mentcare misuse case: Intercept transfer\nAttacks | A network monitor is added to the system and "
        "packets are intercepted.\nData (assets) | Personal information of the patient and a treatment "
        "summary.",
    ),
    (
        "Security policies",
        "Security policies\nThe DBMS checks every request against the policy.\n"
        "The DBMS logs every request it refuses.\nSecurity policies should set out general information "
        "access strategies for the organization.\nSecurity policies should be short documents that "
        "everyone in the organization reads.\nSecurity policies are approved by the management of the "
        "whole organization.",
    ),
]


def test_kinds_named_line_by_line_become_definitions_and_an_ordered_list() -> None:
    lc = extract(lecture(KINDS, title="Security"))
    layout = structured(lc)
    terms = {d.term: d.definition for d in layout.definitions}
    assert terms["Integrity"].startswith("Information in a system may be damaged")
    assert terms["Application security"] == "concerned with the security of individual application systems"
    assert "Attacks" not in terms and "Data (assets)" not in terms  # the fields of one worked case
    lists = {u.title: u.items for u in layout.lists}
    assert lists["Security dimensions"] == ["Confidentiality", "Integrity", "Availability"]
    levels = ["Infrastructure security", "Application security", "Operational security"]
    assert lists["Security levels"] == levels
    drafts = _drafts(lc, Phraser(None))
    fronts = [d.front for d in drafts["list"]]
    assert "Security levels (3): Infrastructure security; {{c1::Application security}}; …" in fronts
    assert "Security dimensions (3): Confidentiality; Integrity; {{c1::Availability}}" in fronts  # a set
    assert not any(f.startswith("Security dimensions") and "…" in f for f in fronts)
    assert {d.front for d in drafts["term"]} >= {"Operational security", "Application security"}
    # one ordinary word is no cue on its own: it is asked inside its definition
    assert "{{c1::Integrity}}: Information in a system may be damaged" in " ".join(
        d.front for d in drafts["cloze"]
    )
    assert "Integrity" not in {d.front for d in drafts["term"]}
    assert "Availability" not in {d.front for d in drafts["term"]}  # no fair cloze ("available"): no card


def test_cards_are_atomic_and_ask_a_term_at_most_twice_without_guessable_clozes() -> None:
    lc = extract(lecture(KINDS, title="Security"))
    cards = list(card_drafts([lc], Phraser(None)))
    assert cards and all(word_count(c.back) <= 25 for c in cards)
    clozes = [c.front for c in cards if "{{c1::" in c.front and c.source_key.startswith("pcloze")]
    assert not any("{{c1::DBMS}}" in f for f in clozes)  # an abbreviation anyone can guess
    assert sum("{{c1::Security policies}}" in f for f in clozes) == 2  # three statements, asked twice
    assert not any(c.front in ("Attacks", "Data (assets)") for c in cards)


def test_figure_cards_only_for_numbered_captions(tmp_path: Path) -> None:
    captioned = FigureInfo(
        id=1, page=1, caption="Figure 1: Light absorbed by chlorophyll", text="", image_path="a.png", area=0.3
    )
    labelled = FigureInfo(
        id=2, page=2, caption="Static embeddings (e.g., word2vec)", text="", image_path="b.png", area=0.3
    )
    lc = extract(lecture(figures={1: [captioned], 2: [labelled]}))
    figures = _drafts(lc, Phraser(None))["figure"]
    assert [(d.figure_id, d.back) for d in figures] == [(1, "Light absorbed by chlorophyll")]


def test_spread_order_reaches_the_end_of_the_lecture_early() -> None:
    items = [Item("point", 0, 1.0, page) for page in range(1, 41)]
    first = [i.page for i in spread(items)[:4]]
    assert first[0] == 1 and max(first) > 30 and sorted(i.page for i in spread(items)) == list(range(1, 41))


def test_a_small_cheat_sheet_still_covers_the_last_sections(tmp_path: Path) -> None:
    names = "Acids Bases Cells Diffusion Enzymes Fermentation Genes Hormones Ions Joints Kidneys Lipids"
    names += " Membranes Neurons Osmosis Proteins Quorum Ribosomes Starch Tissues Urea Vacuoles Water Xylem"
    names += " Yeast Zygotes Alleles Bonds Carbon Dendrites"
    slides = [
        (
            name,
            f"{name}\nThe study of {name.lower()} explains one idea in a short line.\n"
            f"A second point about {name.lower()} adds a detail.\n"
            f"A third point about {name.lower()} closes it.",
        )
        for name in names.split()
    ]
    lc = extract(lecture(slides, title="Long lecture"))
    plans = plan_items([lc], files=None, workdir=tmp_path, summaries={})  # type: ignore[arg-type]
    chosen = select_items(plans, 25)
    pages = sorted(i.page for i in chosen if i.kind == "point")
    assert pages and pages[0] <= 3 and pages[-1] >= 25  # not only the first slides


def test_a_slide_said_in_a_picture_gets_its_figure_under_its_title(tmp_path: Path) -> None:
    from shared.files import LocalFileStore
    from tests.support.factories import make_chart_png

    files = LocalFileStore(tmp_path / "data")
    key = "uploads/1/1/figures/p0006-0.png"
    files.path(key).parent.mkdir(parents=True, exist_ok=True)
    files.path(key).write_bytes(make_chart_png(tmp_path / "chart.png").read_bytes())
    chart = FigureInfo(id=9, page=6, caption="", text="", image_path=key, area=0.6)
    slides = [*BIO, ("Mohr-Coulomb failure criterion", "Mohr-Coulomb failure criterion")]
    lc = extract(lecture(slides, figures={6: [chart]}))
    (tmp_path / "work").mkdir()
    plans = plan_items([lc], files, tmp_path / "work", summaries={})
    figures = [i for i in plans[0] if i.kind == "figure"]
    assert [(i.page, i.image_width) for i in figures] == [(6, SLIDE_FIGURE_WIDTH_IN)]
    assert "Mohr-Coulomb failure criterion (s. 6)" in figures[0].text
