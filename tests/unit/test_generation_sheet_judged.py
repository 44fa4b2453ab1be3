"""Cheat-sheet entries a blind judge refused on the thirteenth session's dev sheets, refused by their form on
lectures the tests make (workers/generation: sheet_form.echo and cut_clause, structure.explanations,
sheet_entries.entry_runs): a list of the slide's sub-headings that only repeat its title, a sentence cut in
its last clause, an explanation whose sub-heading the sheet dropped, short lines run together under no
label. Each sheet test also shows that the lecture's good entry stays."""

from __future__ import annotations

from pathlib import Path

from tests.support.study import lecture, sheet_paragraphs
from workers.generation.quiz_checks import cut_clause
from workers.generation.sheet_entries import entry_runs
from workers.generation.sheet_form import ADOPTED, echo, form_reason


def _sheet(slides: list[tuple[str, str]], tmp_path: Path) -> list[str]:
    return sheet_paragraphs(lecture(slides, title="Systems", filename="s.pdf"), tmp_path)


GOOD = (
    "Operational security",
    "Operational security\n"
    "• Operational security is mainly concerned with how people use the system after it is deployed.",
)


def test_the_adopted_rules_include_the_cut_clause() -> None:
    assert "cut_clause" in ADOPTED
    cut = "Keys may be generated when knowledge of the data and its owners"
    assert form_reason("Design", cut) == "cut_clause"


def test_a_list_of_sibling_sub_headings_repeats_its_label() -> None:
    """Every item is the label with one word changed, in the same place: the slide's sub-headings, not what
    it says of them. A list of kinds ("Interception threats" under "Threat types") stays."""
    label = "Security and dependability"
    assert echo(label, "Security and reliability • Security and availability • Security and safety")
    assert not echo("Threat types", "Interception threats • Interruption threats • Modification threats")
    assert not echo("Protection", "Platform-level protection • Application-level protection")
    assert not echo(label, "Confidentiality • Integrity • Availability")
    assert not echo(label, "Security and reliability • Attack detection")  # one item says something else


def test_a_sentence_cut_in_its_last_clause_is_no_entry(tmp_path: Path) -> None:
    """ "... may be generated when knowledge of X and Y": the clause after "when" has no verb, the rest of
    the sentence was never on the sheet; a whole sentence of the same slide stays."""
    slide = (
        "Protection requirements",
        "Protection requirements\n"
        "• Protection requirements may be generated when knowledge of information representation and "
        "system distribution\n"
        "• Separating patient and treatment information limits the amount of data that needs protection.",
    )
    text = "\n".join(_sheet([GOOD, slide], tmp_path))
    assert "Separating patient and treatment information limits" in text
    assert "when knowledge of" not in text
    assert not cut_clause("Keys are checked when the relations are modified.")
    assert not cut_clause("Tests fail because they lead to a crash.")


def test_an_explanation_without_its_sub_heading_is_no_point(tmp_path: Path) -> None:
    """A slide that names threats line by line, each explained on the next line: "Attacker gains access to
    an asset" says what an interception threat is, not what a misuse case is; under the slide's title alone
    it misleads. The slide's own statement stays."""
    slide = (
        "Misuse cases",
        "Misuse cases\n"
        "Misuse cases are instances of threats to a system\n"
        "Interception threats\n"
        "Attacker gains access to an asset\n"
        "Interruption threats\n"
        "Attacker makes part of a system unavailable\n"
        "Modification threats\n"
        "A system asset if tampered with\n",  # no definition: the names make no list of kinds
    )
    design = (
        "Architectural design",
        "Architectural design\n"
        "Protection\n"
        "How should the system be organised so that critical assets are protected?\n"
        "Distribution\n"
        "How should system assets be distributed so that the effects of an attack are small?\n"
        "These are potentially conflicting\n"  # a short statement, not a name: the line after it stands
        "If assets are distributed, then they are more expensive to protect.\n",
    )
    paragraphs = _sheet([GOOD, slide, design], tmp_path)
    text = "\n".join(paragraphs)
    assert "Misuse cases are instances of threats to a system" in text
    assert not any(p.startswith("Misuse cases:") and "Attacker" in p for p in paragraphs)
    assert "If assets are distributed, then they are more expensive to protect." in text


def test_short_lines_under_no_label_are_not_run_together(tmp_path: Path) -> None:
    """A closing slide's lines stand with no label: short lines joined there are bullets of nothing named.
    Each stays an entry of its own; under a label, short steps still join."""
    texts = ["Fit the model on k folds", "Evaluate it on the fold left out"]
    assert entry_runs(texts, [3, 3]) == [[0, 1]]
    assert entry_runs(texts, [3, 3], labelled=False) == [[0], [1]]
    assert entry_runs(["Then you compute the error", "Also on the same slide"], [3, 3], labelled=False) == [
        [0, 1]
    ]  # a line that goes on from the one before it still joins it
    summary = (
        "Summary",
        "Summary\n"
        "• Out of sample evaluation is the gold standard for judging a model\n"
        "• Cross validation estimates out of sample performance with little data\n"
        "• Cross validation is also good for tuning model parameters\n",
    )
    slides = [
        ("Cross validation", "Cross validation\n• Cross validation splits the training data into k folds."),
        ("Model evaluation", "Model evaluation\n• A model is judged on data it was not fitted on."),
        summary,
    ]
    paragraphs = _sheet(slides, tmp_path)
    closing = [p for p in paragraphs if "gold standard" in p or "little data" in p or "tuning model" in p]
    assert closing and all(" • " not in p for p in closing)
