"""A lecture is named by its title slide once read; a name the student gives stays, even when re-read."""

from __future__ import annotations

from pathlib import Path

from tests.integration.conftest import Stack
from tests.support.factories import make_pdf


def test_title_from_the_slides_then_renamed_and_kept(stack: Stack, tmp_path: Path) -> None:
    auth = stack.user()
    subject = stack.subject(auth)
    deck = make_pdf(
        tmp_path / "ocr_brokentext_db-relational-model.pdf",
        ["The Relational Model\nCodd 1970\nTables, rows and keys", "Keys\nA key names one row"],
    )
    r = stack.upload(auth, subject["id"], deck.name, deck.read_bytes())
    assert r.status_code == 202, r.text
    body = r.json()
    lecture_id = body["lecture"]["id"]
    assert body["lecture"]["title"] == "ocr_brokentext_db-relational-model"  # until the slides are read
    assert stack.wait_job(auth, body["job"]["id"], timeout=120)["status"] == "done"
    lecture = stack.client.get(f"/api/v1/lectures/{lecture_id}", headers=auth).json()
    assert (lecture["title"], lecture["title_source"]) == ("The Relational Model", "document")

    renamed = stack.client.patch(
        f"/api/v1/lectures/{lecture_id}", json={"title": "Week 2: SQL"}, headers=auth
    )
    assert renamed.status_code == 200 and renamed.json()["title_source"] == "user"
    again = stack.client.post(f"/api/v1/lectures/{lecture_id}/reprocess", headers=auth)
    assert again.status_code == 202, again.text
    assert stack.wait_job(auth, again.json()["job"]["id"], timeout=120)["status"] == "done"
    assert stack.client.get(f"/api/v1/lectures/{lecture_id}", headers=auth).json()["title"] == "Week 2: SQL"
