"""The answer cache is keyed by the answering code too: a question asked before an upgrade is answered by the
new code, not served the old code's answer."""

from __future__ import annotations

from pathlib import Path

from workers.ai.answer import AnswerRequest, cache_key
from workers.ai.code_version import answering_code, code_digest


def request(question: str = "What is mitosis?") -> AnswerRequest:
    return AnswerRequest(user_id=3, subject_id=7, question=question, request_id="r")


def test_a_change_to_the_answering_code_changes_the_key() -> None:
    assert cache_key(request(), 1, code="aaa") != cache_key(request(), 1, code="bbb")
    assert cache_key(request(), 1, code="aaa") == cache_key(request(), 1, code="aaa")
    assert cache_key(request(), 1) == cache_key(request(), 1, code=answering_code())


def test_the_digest_follows_every_module_of_the_folders(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    (one / "answer.py").write_text("A = 1\n")
    (two / "text.py").write_text("B = 1\n")
    before = code_digest([one, two])
    assert code_digest([one, two]) == before
    (two / "text.py").write_text("B = 2\n")
    assert code_digest([one, two]) != before
    (two / "text.py").write_text("B = 1\n")
    (one / "new.py").write_text("")
    assert code_digest([one, two]) != before
    (one / "new.py").unlink()
    (one / "notes.txt").write_text("not code")
    assert code_digest([one, two]) == before


def test_the_live_digest_covers_this_package_and_the_text_toolkit() -> None:
    import shared.text
    import workers.ai

    assert answering_code() == code_digest(
        [Path(workers.ai.__file__).parent, Path(shared.text.__file__).parent]
    )
    assert answering_code() != code_digest([Path(workers.ai.__file__).parent])
