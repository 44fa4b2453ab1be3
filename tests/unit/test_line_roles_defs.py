"""Definitions by their form (workers/ocr/role_defs.py, session 18): a labelled remark, a count, a clause or a
relative "refer to" is no term defined; lead-ins that alternate with one line each are headings. Each test
shows the rule switched off gives the old role and that a real definition of a near look keeps its role, in
English and in the other languages of the corpus."""

from __future__ import annotations

from workers.ocr.line_cues import PageLines
from workers.ocr.role_rules import DEFAULT_RULES, RULES
from workers.ocr.roles import classify_deck

CONTENT = [
    "Deadlocks\nA process holds resources while it waits for others\nThe system can detect it",
    "Scheduling\nThe scheduler picks the next process to run\nRound robin gives each a time slice",
    "Memory\nPaging splits memory into frames\nThe page table maps pages to frames",
    "Files\nA file system names and stores data\nDirectories group files together",
]


def roles_of(page_text: str, rules: frozenset[str] = DEFAULT_RULES) -> dict[str, str]:
    pages = [PageLines(lines=t.split("\n")) for t in (CONTENT[0], page_text, *CONTENT[1:])]
    roles = classify_deck(pages, rules=rules)[1]
    return dict(zip(pages[1].lines, roles, strict=True))


def without(rule: str) -> frozenset[str]:
    assert rule in RULES
    return DEFAULT_RULES - {rule}


def test_a_label_over_a_remark_to_the_class_or_a_question_is_no_definition() -> None:
    page = "\n".join(
        [
            "An analogy: course grading",
            "Downside: You don't have a good estimate of how students will do on new tasks that you",
            "design for them",
            "Big idea: What if, instead of holding out a set, you divide the training data into",
            "chunks to make your decisions?",
            "Pierce: \u201cNegative markers are placed correctly at the earliest",
            "observed stage of the child",
            "Holdout set: a part of the data kept aside to test the model",
            "Ontology: \u201cA formal specification of a shared conceptualization\u201d",
        ]
    )
    roles = roles_of(page)
    for line in page.split("\n")[1:7]:
        assert roles[line] == "body", line
    assert roles["Holdout set: a part of the data kept aside to test the model"] == "definition"
    assert roles["Ontology: \u201cA formal specification of a shared conceptualization\u201d"] == "definition"
    old = roles_of(page, without("remark_labels"))
    assert old[page.split("\n")[1]] == "definition"
    assert old["chunks to make your decisions?"] == "definition"


def test_a_count_or_an_ordinal_or_an_example_number_is_no_term() -> None:
    page = "\n".join(
        [
            "Keys in the relational model",
            "Two important constraints: primary and foreign keys",
            "3 relations: Employees, Hourly and Contract employees.",
            "(13) Summary of the data: lots of finite forms in second position",
            "Первый способ: вершины графа представляют собой кольцевые системы",
            "Third normal form: every attribute depends on the key only",
            "Superkey: a set of fields that contains a key",
        ]
    )
    roles = roles_of(page)
    for line in page.split("\n")[1:5]:
        assert roles[line] == "body", line
    assert roles["Third normal form: every attribute depends on the key only"] == "definition"
    assert roles["Superkey: a set of fields that contains a key"] == "definition"
    old = roles_of(page, without("count_labels"))
    assert old["Two important constraints: primary and foreign keys"] == "definition"
    assert old["Первый способ: вершины графа представляют собой кольцевые системы"] == "definition"


def test_a_term_that_is_a_clause_is_no_term() -> None:
    page = "\n".join(
        [
            "Security and dependability",
            "If a system is a networked system and is insecure then its reliability is unknown.",
            "Safety problems are accidental \u2013 the software is not operating in a hostile place.",
            "ICs are specified when schema is defined.",
            "So this is a participation constraint: every department has a manager",
            "While loop: a loop that repeats its body while the condition holds",
            "Resilience is a system property that reflects its ability to resist attacks.",
        ]
    )
    roles = roles_of(page)
    for line in page.split("\n")[1:4]:
        assert roles[line] == "body", line
    for line in page.split("\n")[4:]:
        assert roles[line] == "definition", line
    old = roles_of(page, without("clause_terms"))
    for line in page.split("\n")[1:4]:
        assert old[line] == "definition", line


def test_tuples_that_refer_to_a_row_define_nothing() -> None:
    page = "\n".join(
        [
            "Enforcing referential integrity",
            "Also delete all Enrolled tuples that refer to it.",
            "Set sid in the tuples that refer to it to a default sid.",
            "A foreign key refers to the primary key of another relation",
        ]
    )
    roles = roles_of(page)
    assert roles["Also delete all Enrolled tuples that refer to it."] == "body"
    assert roles["Set sid in the tuples that refer to it to a default sid."] == "body"
    assert roles["A foreign key refers to the primary key of another relation"] == "definition"
    old = roles_of(page, without("relative_refers"))
    assert old["Also delete all Enrolled tuples that refer to it."] == "definition"


def test_lead_ins_alternating_with_one_line_each_are_headings() -> None:
    page = "\n".join(
        [
            "Singular value decomposition",
            "\u2022 Left singular vectors:",
            "\u2022 The columns of the first unitary matrix of the product",
            "\u2022 Right singular vectors:",
            "\u2022 The columns of the second unitary matrix of the product",
            "\u2022 Singular values:",
            "\u2022 The entries on the diagonal of the middle matrix",
            "\u2022 The entries are the square roots of the eigenvalues",
        ]
    )
    roles = roles_of(page)
    for line in (
        "\u2022 Left singular vectors:",
        "\u2022 Right singular vectors:",
        "\u2022 Singular values:",
    ):
        assert roles[line] == "heading", line
    old = roles_of(page, without("single_item_leads"))
    assert old["\u2022 Left singular vectors:"] == "list_lead"
    lists = "Gated units\nAdvantages:\nFewer parameters to learn\nFaster training\nEasier to explain"
    assert roles_of(lists)["Advantages:"] == "list_lead"


def test_named_terms_that_open_with_a_number_word_or_a_symbol_stay_definitions() -> None:
    # the review's cases: ordinals and counts that name a thing, "I" the symbol, a quoted definition that
    # wraps, French "son" (sound) and Spanish "Si" (silicon)
    kept = [
        "Second law: the entropy of an isolated system never decreases",
        "Six Sigma: a set of techniques for process improvement",
        "Two phase commit: a protocol that makes all sites agree to commit",
        "First Amendment: protects the freedom of speech and of the press",
        "Segunda ley: la entropía de un sistema aislado nunca disminuye",
        "Второй закон: энтропия изолированной системы не убывает",
        "Ohm's law: I = V/R, the current through a conductor",
        "Identity matrix: I is the square matrix with ones on its diagonal",
        "DMA: I/O transfers that bypass the CPU entirely",
        "Vitesse du son dans l'air: environ 343 m/s à 20 degrés",
        "Si wafer process: a thin slice of silicon is doped and etched",
    ]
    roles = roles_of("\n".join(["Terms to know", *kept]))
    assert [line for line in kept if roles[line] != "definition"] == []
    quoted = [
        "Ontology: \u201cAn explicit, formal specification of a shared",
        "conceptualization of a domain of interest\u201d (Gruber 1993)",
    ]
    roles = roles_of("\n".join(["Ontologies", *quoted]))
    assert [roles[line] for line in quoted] == ["definition", "definition"]
    # still caught: a remark in the first person, a count over its list
    caught = ["Notes", "Caveat: I think the bound is loose here", "Two keys: primary and foreign"]
    roles = roles_of("\n".join(caught))
    assert roles["Caveat: I think the bound is loose here"] == "body"
    assert roles["Two keys: primary and foreign"] == "body"


def test_named_counts_and_the_symbol_i_before_a_verb_stay_definitions() -> None:
    # second review: Title Case names after a number word, "I equals", "I denotes"
    kept = [
        "Four Noble Truths: suffering, its origin, its cessation and the path",
        "Seven Years' War: fought between Britain and France from 1756",
        "Ohm's law: I equals V divided by R",
        "Identity: I denotes the identity matrix of size n",
    ]
    roles = roles_of("\n".join(["Terms", *kept]))
    assert [line for line in kept if roles[line] != "definition"] == []
