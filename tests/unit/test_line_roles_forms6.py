"""Line roles by form, sixth round (workers/ocr/role_forms.py): SQL declarations are code, a title the layout
model boxed inside a figure is the title, short lines chained over explanations are headings, and a label
that opens several lines of a page is no term defined. Each test also shows the rule switched off gives the
old role, and that lines of a near look keep theirs."""

from __future__ import annotations

from workers.ocr.line_cues import LineHint, PageLines
from workers.ocr.role_forms import is_sql_line
from workers.ocr.role_rules import DEFAULT_RULES
from workers.ocr.roles import classify_deck

CONTENT = [
    "Deadlocks\nA process holds resources while it waits for others\nThe system can detect it",
    "Scheduling\nThe scheduler picks the next process to run\nRound robin gives each a time slice",
    "Memory\nPaging splits memory into frames\nThe page table maps pages to frames",
    "Files\nA file system names and stores data\nDirectories group files together",
]


def roles_of(pages: list[PageLines], page: int, rules: frozenset[str] = DEFAULT_RULES) -> dict[str, str]:
    roles = classify_deck(pages, rules=rules)[page]
    return dict(zip(pages[page].lines, roles, strict=True))


def plain(text: str) -> PageLines:
    return PageLines(lines=text.split("\n"))


def without(rule: str) -> frozenset[str]:
    return DEFAULT_RULES - {rule}


def test_sql_column_declarations_and_key_clauses_are_code() -> None:
    ddl = "\n".join(
        [
            "Translating relationships",
            "The relation must include keys for each participating entity",
            "CREATE TABLE Works_In(",
            "ssn CHAR(11),",
            "did INTEGER,",
            "since DATE,",
            "PRIMARY KEY (ssn, did),",
            "FOREIGN KEY (ssn) REFERENCES Employees,",
            "ON DELETE CASCADE)",
        ]
    )
    deck = [plain(CONTENT[0]), plain(ddl), *map(plain, CONTENT[1:])]
    roles = roles_of(deck, 1)
    for line in ddl.split("\n")[2:]:
        assert roles[line] == "code", line
    assert roles["The relation must include keys for each participating entity"] == "body"
    old = roles_of(deck, 1, without("sql_code"))
    assert old["ssn CHAR(11),"] == "body"
    assert old["PRIMARY KEY (ssn, did),"] == "body"


def test_sql_needs_upper_case_keywords_from_the_line_start() -> None:
    assert is_sql_line("(sid CHAR(20), cid CHAR(20), grade CHAR(2),")
    assert is_sql_line("age: INTEGER,")
    assert not is_sql_line("The primary key (pk) names a tuple")
    assert not is_sql_line("Each date field is stored as text")
    assert not is_sql_line("the key now! PRIMARY KEY (did),")  # prose glued to SQL by OCR: left alone


def _figure_page(title: list[str], rest: list[str]) -> PageLines:
    hints: list[LineHint | None] = [
        LineHint(t, "figure", 0.06 + 0.07 * k, 0.12 + 0.07 * k, 0.07) for k, t in enumerate(title)
    ]
    hints += [LineHint(t, "figure", 0.4 + 0.1 * k, 0.43 + 0.1 * k, 0.03) for k, t in enumerate(rest)]
    return PageLines(lines=[*title, *rest], hints=hints, has_figures=True)


def test_a_title_boxed_in_a_figure_at_the_top_is_the_title() -> None:
    page = _figure_page(
        ["Interpretation of the stress plots of", "a loaded beam"], ["Compression", "Tension", "Neutral axis"]
    )
    deck = [plain(CONTENT[0]), page, *map(plain, CONTENT[1:])]
    roles = roles_of(deck, 1)
    assert roles["Interpretation of the stress plots of"] == "title"
    assert roles["a loaded beam"] == "title"
    assert roles["Compression"] == "figure_text"
    old = roles_of(deck, 1, without("figure_title"))
    assert old["Interpretation of the stress plots of"] == "figure_text"


def test_a_small_label_at_the_top_of_a_figure_stays_figure_words() -> None:
    lines = ["Compression", "Tension", "Neutral axis"]
    hints: list[LineHint | None] = [LineHint("Compression", "figure", 0.08, 0.11, 0.03)]
    hints += [LineHint(t, "figure", 0.4 + 0.1 * k, 0.45 + 0.1 * k, 0.05) for k, t in enumerate(lines[1:])]
    deck = [
        plain(CONTENT[0]),
        PageLines(lines=lines, hints=hints, has_figures=True),
        *map(plain, CONTENT[1:]),
    ]
    assert roles_of(deck, 1)["Compression"] == "figure_text"  # smaller than the page's other lines


GUIDELINES = "\n".join(
    [
        "Design guidelines",
        "Base decisions on an explicit security policy",
        "Define a security policy for the organization that sets out the fundamental requirements.",
        "Avoid a single point of failure",
        "Ensure that a security failure can only result when more than one procedure fails.",
        "Fail securely",
        "When systems fail, ensure that sensitive information cannot be read by unauthorized users.",
    ]
)


def test_short_lines_chained_over_explanations_are_headings() -> None:
    deck = [plain(CONTENT[0]), plain(GUIDELINES), *map(plain, CONTENT[1:])]
    roles = roles_of(deck, 1)
    for line in ("Base decisions on an explicit security policy", "Avoid a single point of failure"):
        assert roles[line] == "heading", line
    assert roles["Fail securely"] == "heading"
    assert roles[GUIDELINES.split("\n")[2]] == "body"  # the explanation keeps its role
    old = roles_of(deck, 1, without("chained_headings"))
    assert old["Base decisions on an explicit security policy"] == "body"


def test_a_single_short_line_over_a_sentence_is_no_chain() -> None:
    one = "Security\nThe system is protected\nAttackers are kept out of the system by layered controls."
    roles = roles_of([plain(CONTENT[0]), plain(one), *map(plain, CONTENT[1:])], 1)
    assert roles["The system is protected"] != "heading"


ANALOGY = "\n".join(
    [
        "An analogy: course grading",
        "Upside: Easier for everyone to grade and to plan",
        "Downside: You do not know how students do on new tasks",
        "Upside: You now have a new task that students must complete alone",
        "Downside: Students could prepare for the wrong things",
    ]
)


def test_a_label_opening_several_lines_of_a_page_is_no_term() -> None:
    deck = [plain(CONTENT[0]), plain(ANALOGY), *map(plain, CONTENT[1:])]
    roles = roles_of(deck, 1)
    for line in ANALOGY.split("\n")[1:]:
        assert roles[line] == "body", line
    old = roles_of(deck, 1, without("repeated_labels"))
    assert old["Upside: Easier for everyone to grade and to plan"] == "definition"


def test_different_terms_each_defined_once_stay_definitions() -> None:
    terms = "Keys\nSuperkey: a set of fields that contains a key\nPrimary key: the key chosen by the designer"
    roles = roles_of([plain(CONTENT[0]), plain(terms), *map(plain, CONTENT[1:])], 1)
    assert roles["Superkey: a set of fields that contains a key"] == "definition"
    assert roles["Primary key: the key chosen by the designer"] == "definition"


MORE = [
    "Chlorophyll\nChlorophyll absorbs red and blue light\nIt reflects green light",
    "Thylakoids\nA membrane sac inside the chloroplast\nThe light reactions run there",
    "Photosystems\nA protein complex captures light\nIt passes on electrons",
    "RuBisCO\nThe enzyme adds carbon dioxide to a sugar\nIt is slow",
    "The stroma\nThe fluid around the thylakoids\nThe Calvin cycle runs there",
]


def test_a_slide_built_up_over_a_run_of_pages_is_no_outline() -> None:
    # the same lines on pages 2-5, one more line on each: pages 2 and 4 are not neighbours, but every page
    # between them carries the lines too, so it is one slide built up, not an outline shown again
    build = "An analogy: grading\nProblem sets grade observed work\nGrading is easy for all\nIn-sample only"
    extra = ["A final exam adds a new task", "Students may prepare for the wrong things", "Out-of-sample"]
    built = [build + "".join(f"\n{x}" for x in extra[:n]) for n in range(4)]
    deck = list(map(plain, ["Photosynthesis\nProf. A. Smith", *CONTENT, *built, *MORE]))
    first = 1 + len(CONTENT)
    for page in range(first, first + 4):
        assert roles_of(deck, page)["Grading is easy for all"] == "body", page
    assert roles_of(deck, first + 2, without("build_up_runs"))["Grading is easy for all"] == "agenda"


def test_prose_with_maths_symbols_is_no_formula() -> None:
    page = "\n".join(
        [
            "Eigenvalues",
            "• Solve det 𝑨 − 𝜆𝑰 = 0 to find eigenvalue",
            "• 𝐾 transmit antennas",
            "Channel capacity:",
            "𝑨𝒖 = 𝜆𝒖",
            "• 𝑞₁ = 𝑞",
        ]
    )
    deck = [plain(CONTENT[0]), plain(page), *map(plain, CONTENT[1:])]
    roles = roles_of(deck, 1)
    assert roles["• Solve det 𝑨 − 𝜆𝑰 = 0 to find eigenvalue"] == "body"
    assert roles["• 𝐾 transmit antennas"] == "body"
    assert roles["Channel capacity:"] != "formula"
    assert roles["𝑨𝒖 = 𝜆𝒖"] == "formula"
    assert roles["• 𝑞₁ = 𝑞"] == "formula"
    old = roles_of(deck, 1, without("prose_math"))
    assert old["• 𝐾 transmit antennas"] == "formula"


def test_a_stray_glyph_after_a_credit_continues_nothing() -> None:
    page = "Concrete in compression\nWight & MacGregor: chapter 3\nl\nThe stress-strain curve remains linear"
    deck = [plain(CONTENT[0]), plain(page), *map(plain, CONTENT[1:])]
    assert roles_of(deck, 1)["Wight & MacGregor: chapter 3"] == "credit"
    assert roles_of(deck, 1)["l"] not in ("credit", "footer", "meta", "url")
    assert roles_of(deck, 1, without("stray_glyph"))["l"] == "credit"


def test_a_labelled_paragraph_is_no_definition() -> None:
    para = [
        "Dutch conclusion: tensed verbs are always in second position, untensed verbs",
        "are always at the end. There are a few cases of other orders, but not many",
        "(topic drop seems to apply in a number of cases). Plenty of infinitival",
        "and finite verbs.",
    ]
    page = "\n".join(["German and Dutch", *para, "Foreign key: a set of fields that refers to a tuple"])
    deck = [plain(CONTENT[0]), plain(page), *map(plain, CONTENT[1:])]
    roles = roles_of(deck, 1)
    for line in para:
        assert roles[line] == "body", line
    assert roles["Foreign key: a set of fields that refers to a tuple"] == "definition"
    assert roles_of(deck, 1, without("paragraph_definitions"))[para[0]] == "definition"


def test_surnames_joined_by_an_ampersand_are_a_credit() -> None:
    page = "Concrete in tension\nWight & MacGregor:\nThe tensile strength is about a tenth of the compressive"
    deck = [plain(CONTENT[0]), plain(page), *map(plain, CONTENT[1:])]
    assert roles_of(deck, 1)["Wight & MacGregor:"] == "credit"
    assert roles_of(deck, 1, without("author_pair"))["Wight & MacGregor:"] != "credit"
    common = "Security & Privacy\nAccess control limits who reads data\nEncryption hides it in transit"
    roles = roles_of([plain(CONTENT[0]), plain(common), *map(plain, CONTENT[1:])], 1)
    assert roles["Security & Privacy"] == "title"


def test_single_capital_letters_label_a_drawing() -> None:
    page = "Reactions as graphs\nA\nB\nC\nD\nThe arrows show which molecule reacts to give which"
    deck = [plain(CONTENT[0]), plain(page), *map(plain, CONTENT[1:])]
    roles = roles_of(deck, 1)
    assert [roles[x] for x in "ABCD"] == ["figure_text"] * 4
    assert roles["The arrows show which molecule reacts to give which"] == "body"
    assert roles_of(deck, 1, without("letter_labels"))["A"] == "body"
    stray = "Concrete\nl\nThe curve is linear up to a third of the strength\nl\nc"
    assert roles_of([plain(CONTENT[0]), plain(stray), *map(plain, CONTENT[1:])], 1)["c"] != "figure_text"
