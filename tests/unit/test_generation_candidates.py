"""Extractive candidates: what the notes themselves offer, each tied to the slide it was read from."""

from __future__ import annotations

from dataclasses import replace

from shared.schemas import SourceRef
from tests.support.study import lecture
from workers.generation.candidates import (
    blank_out,
    extract,
    find_definition,
    good_title,
    is_formula,
    is_point,
    key_phrase,
    logical_lines,
)
from workers.generation.i18n import detect
from workers.generation.material import FigureInfo
from workers.generation.quiz import term_question
from workers.generation.textutil import grounded_share

REF = SourceRef(lecture_id=1, lecture="L1", file="l1.pdf", page=4)


def test_logical_lines_join_wrapped_lines_keep_bullets_and_drop_the_title() -> None:
    text = (
        "Threats\n"
        "A threat is a circumstance that has the\n"
        "potential to cause loss or harm.\n"
        "• Interception of data\n"
        "• Interruption of\n"
        "service\n"
        "12"
    )
    assert logical_lines(text, "Threats") == [
        "A threat is a circumstance that has the potential to cause loss or harm.",
        "Interception of data",
        "Interruption of service",
    ]


def test_definitions_in_english_spanish_and_chinese() -> None:
    cases = {
        "RuBisCO is the enzyme that fixes carbon dioxide in the stroma.": (
            "RuBisCO",
            "the enzyme that fixes carbon dioxide in the stroma",
        ),
        "A data flow diagram is a graphical representation of how data moves through a system.": (
            "data flow diagram",
            "a graphical representation of how data moves through a system",
        ),
        "Vulnerability refers to a weakness in a computer-based system.": (
            "Vulnerability",
            "a weakness in a computer-based system",
        ),
        "Asset: something of value which has to be protected.": (
            "Asset",
            "something of value which has to be protected",
        ),
        "Threat | Circumstances that have potential to cause loss or harm": (
            "Threat",
            "Circumstances that have potential to cause loss or harm",
        ),
        "El esfuerzo cortante es una tensión paralela a la superficie del material.": (
            "esfuerzo cortante",
            "una tensión paralela a la superficie del material",
        ),
        "生殖隔离是指不同物种之间不能自由交配或交配后不能产生可育后代的现象。": (
            "生殖隔离",
            "不同物种之间不能自由交配或交配后不能产生可育后代的现象",
        ),
    }
    for sentence, (term, definition) in cases.items():
        found = find_definition(sentence, REF)
        assert found is not None, sentence
        assert (found.term, found.definition) == (term, definition)
        assert found.ref == REF


def test_sentences_that_are_not_definitions() -> None:
    for sentence in [
        "If a system is a networked system and is insecure then statements about it are unreliable.",
        "This is the most important slide of the lecture.",
        "User ids that are the same as names.",
        "The security engineering process is concerned with implementing these goals.",
        "Higher values of factor 1 usually mean slower responses and more variance.",
        "Optionally: the input embedding vectors can be trained with the network.",
        "The outcomes of the risk assessment process are used to help identify security requirements.",
        "It is a good idea to back up often.",
        "渐进的物种形成过程不是物种形成的唯一方式。",  # "is not": no definition
        "这是一个重要的概念和一个常见的问题。",
    ]:
        assert find_definition(sentence, REF) is None, sentence


def test_extract_groups_continued_slides_and_finds_formulas_terms_and_figures() -> None:
    fig = FigureInfo(
        id=7, page=2, caption="Figure 1: Yield per quarter", text="", image_path="x.png", area=0.3
    )
    footer = FigureInfo(id=8, page=3, caption="Chapter 13 Security", text="", image_path="y.png", area=0.1)
    # three other pictures with the same caption under them (one picture on three slides is a decoration)
    other = replace(footer, id=9, page=4, area=0.2)
    first = replace(footer, id=10, page=1, area=0.3)
    material = lecture(
        [
            ("Outline", "Outline\nPhotosynthesis\nRespiration"),
            (
                "Photosynthesis",
                "Photosynthesis\nPhotosynthesis is the process that turns light into sugar.\n"
                "• Happens in leaves",
            ),
            (
                "Photosynthesis (cont.)",
                "Photosynthesis (cont.)\n• Needs carbon dioxide and water\nRate = k × [CO2]",
            ),
            ("Summary", "Summary\n• Light energy becomes chemical energy\n© 2015 John Wiley & Sons"),
        ],
        figures={2: [fig], 3: [footer], 4: [other], 1: [first]},
    )
    c = extract(material)
    assert [d.term for d in c.definitions] == ["Photosynthesis"]
    assert c.definitions[0].ref.page == 2
    assert [(f.text, f.ref.page) for f in c.formulas] == [("Rate = k × [CO2]", 3)]
    titles = [g.title for g in c.groups]
    assert titles == ["Photosynthesis", "Summary"]  # the outline is no content; (cont.) joins its group
    group = c.groups[0]
    assert [p.ref.page for p in group.points] == [2, 2, 3]
    assert group.points[0].is_definition and not group.points[1].is_definition
    assert all("Wiley" not in p.text for _, p in c.points)  # copyright lines are not points
    captions = {f.figure.id: f.figure.caption for f in c.figures}
    assert captions[7] == "Figure 1: Yield per quarter"
    assert captions[8] == ""  # the same caption under every slide is a footer
    chart = next(f for f in c.figures if f.figure.id == 7)
    assert chart.ref.figure_id == 7 and chart.ref.page == 2


def test_ocr_noise_captions_and_dates_are_not_points() -> None:
    assert not is_point("(Canarynchs pam) aaa vegetarian finch oN (Cameron css wooden fon a cat ton) ert")
    assert not is_point("७0० gun ren ‘aun oun och oa ee")
    assert not is_point("Figure 7. Lake Victoria")
    assert is_point("ATP and NADPH are produced for the Calvin cycle")
    assert logical_lines("Title\n12/11/2014\nDecember 25, 2024\nA real point here", "Title") == [
        "A real point here"
    ]


def test_formula_detection() -> None:
    assert is_formula("F = m × a")
    assert is_formula("σ = F / A")
    assert not is_formula("The cost was reduced by half in the second quarter of the year")
    assert not is_formula("See https://example.com/a=b")


def test_key_phrase_prefers_known_terms_then_numbers_then_technical_words() -> None:
    terms = ["Calvin cycle", "RuBisCO"]
    assert (
        key_phrase("ATP and NADPH are produced for the Calvin cycle in the stroma", terms) == "Calvin cycle"
    )
    assert key_phrase("Three turns of the cycle make 1 molecule of sugar", []) == "1"
    assert key_phrase("Water molecules are split to release oxygen gas", [], {"molecul"}) == "molecules"
    assert key_phrase("Water molecules are split to release oxygen gas", []) is None  # no ordinary words
    assert (
        key_phrase("The output of each layer becomes the input to the next layer", [], {"layer"}) == "layer"
    )
    assert key_phrase("Gradients vanish quickly when training a Vanilla network", []) == "Vanilla"
    assert key_phrase("Too short", []) is None
    assert blank_out("The Calvin cycle fixes carbon", "Calvin cycle") == "The _____ fixes carbon"


def test_term_questions_come_from_the_definition_itself() -> None:
    rubisco = find_definition("RuBisCO is the enzyme that fixes carbon dioxide in the stroma.", REF)
    entropy = find_definition("Entropy is a measure of the disorder of a system.", REF)
    mito = find_definition("Mitochondria are the organelles that produce ATP.", REF)
    assert rubisco and entropy and mito
    assert term_question(rubisco, "en") == "Which enzyme fixes carbon dioxide in the stroma?"
    assert term_question(entropy, "en") == "What is a measure of the disorder of a system?"
    assert term_question(mito, "en") == "Which organelles produce ATP?"
    for d in (rubisco, entropy, mito):
        assert d.term.lower() not in term_question(d, "en").lower()


def test_language_detection_and_titles() -> None:
    assert (
        detect("The process by which plants convert light energy into chemical energy is photosynthesis.")
        == "en"
    )
    assert (
        detect(
            "La tensión es la fuerza por unidad de área y el esfuerzo cortante es paralelo a la superficie."
        )
        == "es"
    )
    assert detect("物种形成是新物种的产生过程，生殖隔离是关键。") == "zh"
    assert good_title("The Calvin cycle") and good_title("生殖隔离的原因")
    assert not good_title("Rubisco fixes carbon dioxide in the stroma of every chloroplast in the leaf.")
    assert not good_title("")


def test_grounding_share() -> None:
    source = "RuBisCO is the enzyme that fixes carbon dioxide in the stroma."
    assert grounded_share("Which enzyme fixes carbon dioxide?", source) == 1.0
    assert grounded_share("Which protein regulates cellular respiration?", source) < 0.5
    assert grounded_share("生殖隔离的原因", "生殖隔离是物种形成的原因") >= 0.8  # character bigrams
    assert grounded_share("细胞呼吸作用", "生殖隔离是物种形成的原因") == 0.0


def test_statements_for_questions_and_cards() -> None:
    from workers.generation.candidates import statement_like

    assert statement_like("Water is split to release oxygen in the thylakoid")
    for line in [
        "Solutions:",
        "Deep RNNs",
        "(it is just backpropagation)",
        "What are examples of such apps?",
        "Threat | Circumstances that may cause harm",
        "物种",
    ]:
        assert not statement_like(line), line
    assert not is_point("4.9.1. Interpretación de los gráficos de esfuerzos")
    assert not is_point("[Hibbeler R.C. (2012) Structural Analysis]")


def test_russian_short_function_words_are_no_ocr_noise_and_examples_are_no_term() -> None:
    """The short Russian function words of a definition ("not", "and", "the same") are no OCR debris, so the
    definition is kept; "Examples of graphs: ..." lists examples and defines nothing."""
    slides = [
        ("Графы", "Графы\nГраф состоит из вершин и рёбер, соединяющих пары вершин."),
        (
            "Определения",
            "Определения\n"
            "Путь — маршрут, который не проходит дважды через одно и то же ребро.\n"
            "Расстояние — кратчайший путь от одной вершины до другой.\n"
            "Примеры графов: направленные, ненаправленные, взвешенные, молекулярные и т.д.",
        ),
    ]
    terms = {d.term for d in extract(lecture(slides)).definitions}
    assert {"Путь", "Расстояние"} <= terms
    assert "Примеры графов" not in terms


def test_each_line_of_a_title_set_on_two_lines_is_no_point_and_no_definition() -> None:
    """A slide titled on two lines ("Review: Weak Entities" above a stray "x" the role pass also called title)
    became a point, and with OCR debris a key term ("Review — ISA Hierarchies een"): only a line equal to the
    whole title was dropped."""
    from workers.generation.material import roled_lines

    text = (
        "Review: Weak Entities\n\nx\n"
        "A weak entity can be identified uniquely only by considering the primary key of the owner.\n"
        "Owner entity set and weak entity set must participate in a one-to-many relationship set."
    )
    material = lecture([("Review: Weak Entities x", text), ("Keys", "Key: a minimal set of fields.")])
    material.slides[0] = replace(
        material.slides[0], lines=roled_lines(text, ["title", "", "title", "body", "body"])
    )
    lc = extract(material)
    assert "Review" not in [d.term for d in lc.definitions]
    said = [p.text for g in lc.groups for p in g.points]
    assert not any(p.startswith("Review") for p in said), said
    assert any(p.startswith("A weak entity can be identified") for p in said)  # the slide's content stays
