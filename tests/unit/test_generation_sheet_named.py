"""A concept a slide names after what it is ("... what happens if k = N?" / "This is called X" / its
explanation) reaches the cheat sheet as a key term (workers/generation/sheet_named.py and its use in
cheatsheet.plan_items), on lectures the tests make; a name with nothing whole to explain it stays out."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from shared.files import LocalFileStore
from shared.schemas import SourceRef
from workers.generation.candidates import LectureCandidates, extract
from workers.generation.cheatsheet import plan_items, render_docx, select_items
from workers.generation.material import LectureMaterial, Slide
from workers.generation.sheet_named import named_terms


def _ref(page: int) -> SourceRef:
    return SourceRef(lecture_id=1, lecture="Validation", file="v.pdf", page=page)


def _lecture(slides: list[tuple[str, str]]) -> LectureCandidates:
    return extract(
        LectureMaterial(
            id=1,
            title="Validation",
            filename="v.pdf",
            slides=[Slide(ref=_ref(i), title=t, text=x) for i, (t, x) in enumerate(slides, 1)],
        )
    )


def _sheet(lc: LectureCandidates, tmp_path: Path) -> list[str]:
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    plans = plan_items([lc], LocalFileStore(tmp_path / "files"), work, summaries={})
    out = tmp_path / "sheet.docx"
    render_docx(out, title="Validation", lectures=[lc], items=select_items(plans, 200))
    return [p.text for p in Document(str(out)).paragraphs]


FOLDS = (
    "Choosing the number of folds",
    "Choosing the number of folds\n"
    "• More folds put fewer observations into each test fold and more into each model\n"
    "• If you have N observations, what happens if k = N ?\n"
    "• This is called Leave One Out Cross Validation (LOO-CV)\n"
    "• Each model is fit on N − 1 data points to predict an outcome for 1 observation\n"
    "• Requires fitting N models",
)
HOLDOUT = (
    "Holding out data",
    "Holding out data\n"
    "• A model is scored on observations it never saw while it was fit.\n"
    "• This is known as out-of-sample evaluation\n"
    "• Scores on the training data are too optimistic for flexible models",
)
BARE = (
    "Splitting the data",
    "Splitting the data\n• What happens if we split twice?\n• This is called a nested split",
)


def test_a_name_given_to_the_case_a_question_sets_is_a_key_term_with_the_line_that_explains_it(
    tmp_path: Path,
) -> None:
    """The question ("what happens if k = N?") and the naming line are no entries on their own; together
    with the statement after them they are one key term, and that statement is not said twice."""
    text = "\n".join(_sheet(_lecture([FOLDS, HOLDOUT]), tmp_path))
    assert (
        "Leave One Out Cross Validation (LOO-CV) — k = N: each model is fit on N − 1 data points to predict "
        "an outcome for 1 observation" in text
    )
    assert text.count("Each model is fit on") + text.count("each model is fit on") == 1
    assert "This is called" not in text and "what happens if" not in text
    # the whole statement before a naming line explains the name
    assert (
        "out-of-sample evaluation — A model is scored on observations it never saw while it was fit." in text
    )


def test_a_name_with_nothing_whole_to_explain_it_gives_no_key_term() -> None:
    """A question with no statement after the naming line, or a name in other words than a naming line,
    gives nothing: a name alone is no entry."""
    assert named_terms(_lecture([BARE])) == []
    terms = named_terms(_lecture([FOLDS, HOLDOUT, BARE]))
    assert [d.term for d in terms] == ["Leave One Out Cross Validation (LOO-CV)", "out-of-sample evaluation"]
