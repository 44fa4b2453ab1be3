"""Card forms (workers/generation/card_forms.py): which shapes of flashcard are kept, on cards blind judges
rated on the dev decks."""

from __future__ import annotations

from tests.support.study import lecture
from workers.generation.candidates import extract
from workers.generation.card_forms import (
    asked_items,
    form_of,
    form_problem,
    hidden,
    lecture_text,
    list_cloze,
    list_problem,
    ordered_list,
    same_fact,
    same_sentence,
)
from workers.generation.flashcards import _drafts, _text, card_drafts, leans_on_title
from workers.generation.phrasing import Phraser


def test_each_card_gets_its_form() -> None:
    assert form_of("basic", "Asset", "Something of value which has to be protected") == "definition"
    assert form_of("basic", "What does the figure show?", "Gate", figure=True) == "figure"
    assert form_of("cloze", "Threat types (4): {{c1::Interception threats}}; …", "x (1/4)") == "list"
    assert form_of("cloze", "{{c1::Asset}}: Something of value", "") == "cloze_definition"
    assert (
        form_of("cloze", ("{{c1::Misuse cases}} are instances of threats to a system"), "") == "cloze_subject"
    )
    inner = "From a {{c1::security engineering}} perspective, the security policy defines the goals."
    assert form_of("cloze", inner, "") == "cloze_inner"


def test_a_blank_inside_a_line_is_dropped_a_subject_blank_kept() -> None:
    inner = "The system is verified against a formal {{c1::security specification}}."
    assert form_problem("cloze", inner, "") == "inner_blank"
    subject = "{{c1::Operational risk assessment}} should continue after a system has been installed."
    assert form_problem("cloze", subject, "") is None


def test_a_remark_is_no_definition_and_becomes_a_subject_cloze() -> None:
    assert form_problem(
        "basic", "Exploding gradients", ("a serious problem because it leads to unstable training")
    )
    assert form_problem("basic", "Security risk analysis", "a business rather than a technical process")
    assert (
        form_problem(
            "basic",
            "Operational security",
            ("concerned with the secure operation and use of the organization’s systems"),
        )
        is None
    )
    slides = [
        ("Gradients", "Exploding gradients are a serious problem because they lead to unstable training."),
        ("Gates", "Forget gates: decide which parts of the cell state are thrown away at each step."),
    ]
    drafts = _drafts(extract(lecture(slides, title="RNN")), Phraser(None))
    assert "Exploding gradients" not in {d.front for d in drafts["term"]}
    clozes = [d.front for d in drafts["cloze"]]
    assert any(f.startswith("{{c1::Exploding gradients}} are a serious problem") for f in clozes), clozes


def test_a_term_is_a_name_not_a_description() -> None:
    assert form_problem("basic", "Incorrect processing of badly formed inputs", "a frequent source of bugs")
    front = (
        "{{c1::Incorrect processing of badly formed inputs}} is a common cause of security vulnerabilities."
    )
    assert form_problem("cloze", front, "") == "term:description"


def test_a_glossary_line_with_the_next_line_merged_in_is_dropped() -> None:
    merged = "{{c1::Вес ребра}}: набор весов ребер w — используемая весовая схема"
    assert form_problem("cloze", merged, "", "ru") == "definition:merged_lines"
    assert form_problem("cloze", "{{c1::Вес вершины}}: набор весов вершин графа", "", "ru") is None


def test_an_unnamed_reference_or_a_cut_off_clause_is_no_card() -> None:
    unnamed = "{{c1::Security engineering}} is concerned with implementing these goals."
    assert form_problem("cloze", unnamed, "") == "unnamed_reference"
    cut = (
        "{{c1::Protection requirements}} may be generated when"
        " knowledge of information and system distribution"
    )
    assert form_problem("cloze", cut, "") == "sentence:cut_off"
    whole = "{{c1::Protection requirements}} may be generated when the system stores patient records."
    assert form_problem("cloze", whole, "") is None


def test_a_word_seen_once_and_unknown_is_an_ocr_misreading() -> None:
    front = (
        "{{c1::English}} is the only Germanic language which"
        " derives the dinfinitival form via zero morphology."
    )
    text = lecture_text([("Infinitives", front.replace("{{c1::", "").replace("}}", ""))])
    assert form_problem("cloze", front, "", lecture_text=text) == "sentence:ocr_noise"


def test_a_multiword_name_may_be_defined_by_a_sentence() -> None:
    back = "The system is designed so that vulnerabilities do not occur"
    assert form_problem("basic", "Vulnerability avoidance", back) is None
    assert form_problem("cloze", "{{c1::Attacks}}: A network monitor is added to the system", "")


def test_sub_headings_are_no_list_to_learn() -> None:
    headings = ["Security and reliability", "Security and availability", "Security and safety"]
    assert list_problem("Security and dependability", headings) == "subheadings"
    assert list_problem("Threat types", ["Interception threats", "Interruption threats"]) is None
    slides = [
        ("Security and dependability", "\n".join(f"• {h}" for h in headings)),
        ("Threat types", "• Interception threats\n• Interruption threats\n• Modification threats"),
    ]
    fronts = [d.front for d in _drafts(extract(lecture(slides, title="Security")), Phraser(None))["list"]]
    assert fronts and not any(f.startswith("Security and dependability") for f in fronts)


def test_two_cards_asking_the_same_term_with_the_same_words_are_one() -> None:
    a = (
        "cloze",
        ("Additive architectures such as the LSTM mitigate the {{c1::vanishing gradient}} problem"),
        "",
    )
    b = ("cloze", "Additive recurrent architectures are (more) resistant to {{c1::vanishing gradient}}", "")
    c = (
        "cloze",
        ("Vanilla RNNs suffer from a bad case of {{c1::vanishing gradient}} due to the sequential cells"),
        "",
    )
    assert same_fact(a, b) and not same_fact(a, c)
    # a definition card and a cloze of one term ask different things, even in the same words
    definition = ("basic", "vanishing gradient", "what additive architectures such as the LSTM mitigate")
    assert not same_fact(a, definition)


def test_the_cards_a_lecture_gives_pass_their_form_checks() -> None:
    slides = [
        (
            "Security",
            ("Security engineering is concerned with how to develop systems that can resist attacks."),
        ),
        ("Policies", "From a security engineering perspective, the security policy defines the goals."),
    ]
    cards = list(card_drafts([extract(lecture(slides, title="Security"))], Phraser(None)))
    assert cards
    assert all(form_problem(c.kind, c.front, c.back, figure=c.figure_id is not None) is None for c in cards)
    assert not any("perspective" in c.front for c in cards)


def test_a_definition_made_of_the_terms_own_words_gives_itself_away() -> None:
    assert form_problem("basic", "Security requirements definition", "Define system security requirements")
    front = "{{c1::Security requirements definition}}: Define system security requirements."
    assert form_problem("cloze", front, "") == "definition:circular"
    back = "Identify the most probable threats to the system assets"
    assert form_problem("basic", "Threat identification", back) is None


def test_a_deck_asks_one_fact_once() -> None:
    from tests.unit.test_generation_cards import KINDS

    again = "Security policies should set out general information access strategies across the organization."
    slides = [*KINDS[:3], ("Policy contents", again), *KINDS[3:]]
    cards = list(card_drafts([extract(lecture(slides, title="Security"))], Phraser(None)))
    assert sum("information access strategies" in c.front for c in cards) == 1


def test_a_symbol_of_notation_is_never_hidden_in_a_cloze() -> None:
    """ "{{c1::Sy}}: набор символов ...": nothing in the card says a letter of a formula is asked (judged
    invalid 2 of 2); the concept's own name may be."""
    assert form_problem(
        "cloze", "{{c1::Sy}}: набор символов, кодирующих вершины графа (C, N, O, Br)", "", "ru"
    )
    assert form_problem("cloze", "{{c1::Bo}}: набор типов ребер (связи — одинарная, двойная)", "", "ru")
    assert form_problem("basic", "Sy", "набор символов, кодирующих вершины графа (C, N, O, Br)", "ru")
    assert (
        form_problem(
            "cloze", "{{c1::Степень вершины}}: количество других вершин графа, смежных с заданной", "", "ru"
        )
        is None
    )


def test_a_subject_cloze_is_dropped_when_a_part_of_its_term_fills_the_blank_too() -> None:
    """ "{{c1::Security risk analysis}} is a business rather than a technical process" beside the slide
    "Security is a business issue": "Security" fits the blank as well (judged ambiguous)."""
    text = lecture_text(
        [
            ("Security is a business issue", "Security is a business issue\nThe cost of security matters"),
            ("Risk", "Risk\nSecurity risk analysis is a business rather than a technical process"),
            ("Policies", "Policies\nSecurity policies should set out general access strategies"),
            (
                "Networks",
                "Networks\nSecurity is essential as most systems are networked so that external access to the"
                " system through the Internet is possible",
            ),
        ]
    )
    ambiguous = "{{c1::Security risk analysis}} is a business rather than a technical process."
    assert form_problem("cloze", ambiguous, "", lecture_text=text) == "part_fits"
    fair = "{{c1::Security policies}} should set out general access strategies for the organization."
    assert form_problem("cloze", fair, "", lecture_text=text) is None  # one word ("access") of a long line


def test_no_two_cards_teach_one_sentence() -> None:
    """A term card "Threat" / "circumstances that ..." and a cloze of the line "Threat: circumstances that
    ..." teach one sentence twice: the second is left out."""
    slides = [
        (
            "Security",
            "Security\nSecurity engineering is concerned with systems that resist malicious attacks",
        ),
        (
            "Terms",
            "Terms\nThreat: circumstances that have potential to cause loss or harm to a system\n"
            "Asset: something of value which has to be protected by the owner",
        ),
        (
            "Threats",
            "Threats\nThreats: circumstances that have potential to cause loss or harm to a system",
        ),
    ]
    cards = list(card_drafts([extract(lecture(slides))], Phraser(None)))
    taught = [c.back.lower() for c in cards if "circumstances" in (c.front + c.back).lower()]
    assert len(taught) == 1, [(c.front, c.back) for c in cards]
    assert same_sentence(
        "threat: circumstances that have potential to cause loss",
        "circumstances that have potential to cause loss",
    )
    assert not same_sentence("a set of relations", "a set of relations with rows and columns in it")


def test_a_lecture_that_explains_gets_subject_clozes_on_the_names_it_repeats() -> None:
    """No "X is Y" for the validation set, and "This should ..." for the training set: the sentence about a
    concept the lecture names in several sections is a subject cloze; a definition's line is not a second
    card beside its term card."""
    from tests.unit.test_generation_quiz_statements import SPLITTING

    fronts = [c.front for c in card_drafts([extract(lecture(SPLITTING))], Phraser(None))]
    assert "The {{c1::training set}} should always be your largest subset of data" in fronts
    assert any(f.startswith("The {{c1::validation set}} is not used to train the model") for f in fronts)
    assert not any(f.startswith("The {{c1::training set}} is the set of data points") for f in fronts)


def test_a_subject_cloze_on_the_shorter_name_of_its_slides_topic_is_dropped() -> None:
    """ "The {{risk assessment}} should focus on high-level risks" on the slide "Preliminary risk assessment":
    the card does not say which risk assessment."""
    slides = [
        ("Security risk", "Security risk\nRisk assessment is part of every security engineering project"),
        (
            "Preliminary risk assessment",
            "Preliminary risk assessment\nThe risk assessment should focus on high-level risks to the system",
        ),
        (
            "Operational risk assessment",
            "Operational risk assessment\nOperational risk assessment should continue after installation",
        ),
    ]
    fronts = [c.front for c in card_drafts([extract(lecture(slides))], Phraser(None))]
    assert not any("{{c1::risk assessment}} should focus" in f for f in fronts), fronts
    assert leans_on_title(
        "The risk assessment should focus on risks", "risk assessment", "Preliminary risk assessment"
    )
    assert not leans_on_title(
        "Operational risk assessment should go on",
        "Operational risk assessment",
        "Operational risk assessment",
    )


def test_a_single_letter_is_never_a_term_to_recall() -> None:
    assert form_problem("cloze", "{{c1::G}}: the graph of the molecule with N vertices and M edges", "")
    assert form_problem("basic", "K", "the number of folds the training set is divided into")
    assert form_problem("basic", "IC", "a condition that must be true for any instance of a database") is None


def test_a_set_cloze_shows_the_other_items_and_an_ordered_list_the_ones_before() -> None:
    dims = ["Confidentiality", "Integrity", "Availability"]
    assert not ordered_list("Security dimensions", dims)
    # blind judges: "{{Confidentiality}}; …" admits Integrity or Availability as well
    assert list_cloze("Security dimensions", dims, 0) == (
        "Security dimensions (3): {{c1::Confidentiality}}; Integrity; Availability"
    )
    assert list_cloze("Security dimensions", dims, 1) == (
        "Security dimensions (3): Confidentiality; {{c1::Integrity}}; Availability"
    )
    threats = ["Interception threats", "Interruption threats", "Modification threats", "Fabrication threats"]
    assert "…" not in list_cloze("Threat types", threats, 2)
    levels = ["Platform-level protection", "Application-level protection", "Record-level protection"]
    assert ordered_list("Protection", levels)  # levels in every item
    # the first item has none before it: it shows the ones after it ("{{...}}; …" pins nothing)
    assert list_cloze("Protection", levels, 0) == (
        "Protection (3): {{c1::Platform-level protection}}; "
        "Application-level protection; Record-level protection"
    )
    assert list_cloze("Protection", levels, 1) == (
        "Protection (3): Platform-level protection; {{c1::Application-level protection}}; …"
    )
    assert ordered_list("Security levels", ["Infrastructure", "Application", "Operational"])
    assert ordered_list("Étapes du projet", ["Analyse", "Conception", "Test"])
    assert ordered_list("Making tea", ["First boil water", "Then add the leaves", "Finally pour"])


def test_a_list_cloze_that_shows_no_other_item_is_no_card() -> None:
    levels = ["Platform-level protection", "Application-level protection", "Record-level protection"]
    hidden = "Protection (3): {{c1::Platform-level protection}}; …"
    assert form_problem("cloze", hidden, "Platform-level protection (1/3)") == "no_sibling_shown"
    front = list_cloze("Protection", levels, 0)
    assert form_problem("cloze", front, "Platform-level protection (1/3)") is None
    second = list_cloze("Protection", levels, 1)
    assert form_problem("cloze", second, "Application-level protection (2/3)") is None


def test_a_sets_cards_are_no_near_duplicates_of_each_other() -> None:
    dims = ["Confidentiality", "Integrity", "Availability"]
    texts = {
        _text(list_cloze("Security dimensions", dims, k), f"{d} ({k + 1}/3)") for k, d in enumerate(dims)
    }
    assert texts == {
        "Security dimensions Confidentiality (1/3)",
        "Security dimensions Integrity (2/3)",
        "Security dimensions Availability (3/3)",
    }


def test_a_set_is_asked_a_few_times_an_ordered_list_item_by_item() -> None:
    steps = [f"Step {i} of the assessment" for i in range(8)]
    assert asked_items("Assessment process", steps) == list(range(8))
    assets = [
        "Asset identification",
        "Asset value",
        "Exposure",
        "Threat",
        "Attack",
        "Control",
        "Cost",
        "Rules",
    ]
    assert asked_items("Security risk assessment", assets) == [0, 7]  # first and last
    assert asked_items("Security dimensions", ["Confidentiality", "Integrity"]) == [0, 1]


def test_hostile_cloze_markup_is_read_in_bounded_time() -> None:
    """Slide text full of cloze markup ("{{c1::" 10,000 times) costs no seconds per card comparison (the lazy
    pattern took 4-15 s per call); the hidden words are still found."""
    import time

    junk = "{{c1::" * 10_000
    start = time.perf_counter()
    for _ in range(5):
        assert hidden(junk) == ""
        same_fact(("cloze", junk, junk), ("cloze", junk, junk))
    assert time.perf_counter() - start < 2.0
    assert hidden("A {{c1::data flow}} is data in motion.") == "data flow"
