"""Lists of defined kinds (workers/generation/kinds.py) and figure cards a student can see
(workers/generation/figure_cards.py): each rule on slides and pictures the test makes."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from shared.files import LocalFileStore
from shared.models import Figure, Flashcard
from tests.support.factories import make_chart_png
from tests.support.study import add_lecture, lecture, study_db
from workers.generation.candidates import FigureItem, extract
from workers.generation.figure_cards import figure_card, title_answer
from workers.generation.flashcards import _drafts, store_cards
from workers.generation.kinds import defined_kinds, which_kind_question
from workers.generation.material import FigureInfo, load_material
from workers.generation.phrasing import Phraser
from workers.generation.quiz import QuizBuilder

GATES = (
    "LSTM uses 3 gates\n"
    "Forget gate (f) – controls how much of the content on the conveyor belt to preserve in the cell,\n"
    "Input gate (i) – decides how much of the input local to the current cell to add to the belt, and\n"
    "Output gate (o) – controls how much of the conveyor belt vector to include in the hidden state vector."
)
THREATS = (
    "Threat types\n"
    "Interception threats that allow an attacker to gain access to an asset.\n"
    "Interruption threats that allow an attacker to make part of the system unavailable.\n"
    "Modification threats that allow an attacker to tamper with a system asset.\n"
    "Fabrication threats that allow an attacker to insert false information into a system."
)
GLOSSARY = (
    "Security terminology\n"
    "Asset – something of value which has to be protected by the organisation.\n"
    "Attack – an exploitation of a system's vulnerability by an outsider.\n"
    "Control – a protective measure that reduces a system's vulnerability to attacks."
)
KIND_SLIDES = [
    ("Recurrent networks and security", "Recurrent networks and security\nA lecture on two topics"),
    ("LSTM uses 3 gates", GATES),
    ("Threat types", THREATS),
    ("Security terminology", GLOSSARY),
    ("Vanishing gradient", "Vanishing gradient\nThe gradient shrinks as it flows back through many cells."),
]


def _questions(slides: list[tuple[str, str]]) -> list[tuple[str, list[str], str]]:
    built = QuizBuilder([extract(lecture(slides))], Phraser(None)).build(40)
    return [(q.prompt, q.options, q.answer_text) for q in built]


def test_a_slide_of_defined_kinds_asks_to_name_them_and_each_kind_from_its_definition() -> None:
    asked = _questions(KIND_SLIDES)
    stem = "What are the 3 kinds of gate listed on the slide “LSTM uses 3 gates”?"
    named = [q for q in asked if q[0] == stem]
    assert named and named[0][2] == "Forget gate; Input gate; Output gate"
    which = [q for q in asked if q[0].startswith(("Which kind of gate", "Which threats"))]
    assert which, asked
    for prompt, options, key in which:  # the sibling kinds are the options, the stem names none of them
        siblings = {"Forget gate", "Input gate", "Output gate"} if "gate" in prompt else None
        siblings = siblings or {"Interception threats", "Interruption threats", "Modification threats"} | {
            "Fabrication threats"
        }
        assert key in options and set(options) <= siblings and len(options) >= 3
        assert not any(o.lower() in prompt.lower() for o in options)


def test_a_name_the_kinds_key_explains_without_cutting_a_definition_off() -> None:
    """The three gates' definitions do not fit the explanation's 240 characters: the explanation lists the
    kinds (a judge found "... Output gate: controls…" cut mid-sentence), and a slide titled by its head noun
    is not quoted as its own title ("kinds of protection in “Protection”")."""
    built = QuizBuilder([extract(lecture(KIND_SLIDES))], Phraser(None)).build(40)
    [named] = [q for q in built if q.prompt.startswith("What are the 3 kinds of gate")]
    assert named.explanation == "The slides list: Forget gate; Input gate; Output gate."
    assert not any(q.explanation.endswith("…") for q in built if q.prompt.startswith("What are the"))
    protection = (
        "Protection\n"
        "Platform-level protection – top-level controls on the platform on which a system runs.\n"
        "Application-level protection – specific protection mechanisms built into the application itself.\n"
        "Record-level protection – protection invoked when access to specific information is requested."
    )
    asked = _questions([KIND_SLIDES[0], ("Protection", protection)])
    assert ("What are the 3 kinds of protection the slides list?") in [q[0] for q in asked], asked


def test_kinds_named_at_the_start_of_their_lines_are_a_list_of_kinds() -> None:
    """ "Risk detection requirements define mechanisms ...": 3 lines that start with a kind of one head noun
    and go on with what it does (no "which"/"that", no dash)."""
    text = (
        "Security requirement classification\n"
        "Risk avoidance requirements set out the risks that should be avoided by designing the system.\n"
        "Risk detection requirements define mechanisms that identify the risk if it arises.\n"
        "Risk mitigation requirements set out how the system can recover from and restore system assets."
    )
    lc = extract(lecture([KIND_SLIDES[0], ("Security requirement classification", text)]))
    [kl] = defined_kinds(lc)
    assert [d.term for d in kl.kinds] == [
        "Risk avoidance requirements",
        "Risk detection requirements",
        "Risk mitigation requirements",
    ]
    q = which_kind_question(kl, kl.kinds[1], "en", 4, lambda xs: None)
    assert q is not None and q.answer_text == "Risk detection requirements"
    assert q.prompt == "Which requirements define mechanisms that identify the risk if it arises?"


def test_a_glossary_of_unrelated_terms_is_no_list_of_kinds() -> None:
    """Asset, Attack, Control share no head noun and the title names no kinds: no "name the kinds" and no
    "which of ... does this describe" over them."""
    asked = _questions(KIND_SLIDES)
    assert not any("Security terminology" in p for p, _, _ in asked)
    assert not any(p.startswith("Which of the “Security terminology”") for p, _, _ in asked)


def test_defined_kinds_become_list_cards() -> None:
    cards = _drafts(extract(lecture(KIND_SLIDES)), Phraser(None))["list"]
    gates = [c for c in cards if c.front.startswith("LSTM uses 3 gates")]
    assert len(gates) >= 2 and {c.back for c in gates} <= {"Forget gate", "Input gate", "Output gate"}, cards


# --- figure cards ---------------------------------------------------------------------------------------


def _figure(fid: int, page: int, area: float = 0.45, text: str = "") -> FigureInfo:
    return FigureInfo(id=fid, page=page, caption="", text=text, image_path=f"f{fid}.png", area=area)


FIG_SLIDES = [
    ("Recurrent networks", "Recurrent networks\nA lecture on sequence models"),
    ("Bidirectional RNN", "Bidirectional RNN"),
    ("Example", "Example"),
    (
        "Deep stacked RNN",
        "Deep stacked RNN\nThe output of each layer becomes the input to the next layer, and every "
        "layer keeps its own state vector that is passed to the next cell of the same layer in the sequence.",
    ),
    ("Encoder-decoder RNN", "Encoder-decoder RNN"),
]


def _card_of(lc_slides: list[tuple[str, str]], figures: dict[int, list[FigureInfo]]) -> dict[int, str | None]:
    lc = extract(lecture(lc_slides, figures=figures))
    slides = {s.ref.page: s for s in lc.lecture.slides}
    items: dict[int, FigureItem] = {}
    for f in sorted(lc.figures, key=lambda f: f.figure.area):  # the largest picture of each slide
        items[f.ref.page] = f
    return {p: title_answer(items[p], lc, slides[p]) if p in items else None for p in figures}


def test_a_figure_that_is_its_slides_content_is_answered_by_the_slide_title() -> None:
    got = _card_of(FIG_SLIDES, {2: [_figure(1, 2)]})
    assert got[2] == "Bidirectional RNN"
    lc = extract(lecture(FIG_SLIDES, figures={2: [_figure(1, 2)]}))
    front, back = figure_card(lc.figures[0], lc, lc.lecture.slides[1]) or ("", "")
    assert back == "Bidirectional RNN" and "Bidirectional" not in front  # the front does not name it


def test_no_title_card_for_a_generic_title_a_wordy_slide_a_small_picture_or_one_printing_its_title() -> None:
    got = _card_of(
        FIG_SLIDES,
        {
            3: [_figure(2, 3)],  # "Example" names no concept
            4: [_figure(3, 4)],  # the slide's text says it: the picture illustrates
            5: [_figure(4, 5, area=0.1)],  # a small picture beside the title
        },
    )
    assert got == {3: None, 4: None, 5: None}
    printed = _card_of(FIG_SLIDES, {2: [_figure(5, 2, text="Bidirectional RNN\nforward\nbackward")]})
    assert printed[2] is None
    book = (
        "tension\nFig. 3-12\nStrength and modes of failure of unreinforced concrete under biaxial stresses."
    )
    captioned = _card_of(FIG_SLIDES, {2: [_figure(6, 2, text=book)]})  # a book's figure: its caption says it
    assert captioned[2] is None
    two = _card_of(FIG_SLIDES, {2: [_figure(7, 2), _figure(8, 2, area=0.2)]})  # which one the title names?
    assert two[2] is None


def _figure_deck(tmp_path: Path) -> tuple[list[Flashcard], dict[int, int]]:
    """Slides 2 and 5 show the same chart, slide 4 a WMF drawing a browser cannot show; every picture is
    its slide's content under a concept's title. Returns the figure cards and {figure id: page}."""
    sdb = study_db(tmp_path)
    files = LocalFileStore(sdb.settings.data_dir)
    chart = make_chart_png(tmp_path / "chart.png", title="").read_bytes()
    wmf = b"\xd7\xcd\xc6\x9a" + b"\x00" * 60  # a placeable-WMF header: Pillow names it, no browser shows it
    slides = [
        ("Recurrent networks", "Recurrent networks\nA lecture on sequence models"),
        ("Bidirectional RNN", "Bidirectional RNN"),
        (
            "Vanishing gradient",
            "Vanishing gradient\nThe gradient shrinks as it flows back through the cells.",
        ),
        ("Gated recurrent unit", "Gated recurrent unit"),
        ("Sequence to sequence model", "Sequence to sequence model"),
    ]
    keys = {2: ("a.png", chart), 4: ("b.wmf", wmf), 5: ("c.png", chart)}
    for key, data in keys.values():
        files.path(f"figures/{key}").parent.mkdir(parents=True, exist_ok=True)
        files.path(f"figures/{key}").write_bytes(data)
    add_lecture(
        sdb, slides, title="Sequence models", figures={p: (f"figures/{k}", "") for p, (k, _) in keys.items()}
    )
    with sdb.session_factory() as db:
        for f in db.scalars(select(Figure)):
            f.bbox = [60.0, 100.0, 900.0, 520.0]  # most of the 960x540 slide
        db.commit()
        pages = {f.id: f.page_number for f in db.scalars(select(Figure))}
        lectures = [extract(m) for m in load_material(db, user_id=sdb.user_id, subject_id=sdb.subject_id)]
        store_cards(
            db,
            user_id=sdb.user_id,
            subject_id=sdb.subject_id,
            lectures=lectures,
            phraser=Phraser(None),
            count=40,
            files=files,
        )
        db.commit()
        cards = list(db.scalars(select(Flashcard).where(Flashcard.figure_id.is_not(None))))
        db.expunge_all()
    return cards, pages


def test_a_card_never_shows_a_picture_a_student_cannot_see(tmp_path: Path) -> None:
    cards, pages = _figure_deck(tmp_path)
    assert cards, "the chart's card is made"
    assert 4 not in {pages[c.figure_id] for c in cards if c.figure_id is not None}  # the WMF drawing


def test_the_same_picture_on_two_slides_gives_one_card(tmp_path: Path) -> None:
    cards, pages = _figure_deck(tmp_path)
    shown = [pages[c.figure_id] for c in cards if c.figure_id is not None]
    assert len([p for p in shown if p in (2, 5)]) == 1, [(c.front, c.back) for c in cards]
