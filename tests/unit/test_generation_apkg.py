"""Flashcards generated from the notes, and the deck exported: an Anki .apkg is a zip holding a SQLite
collection with the notes (source slide in a field, figures as media), and JSON."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

from sqlalchemy import select

from gateway.services import flashcards as service
from shared.files import LocalFileStore
from shared.models import Flashcard, Subject
from tests.support.study import StudyDb, figure_card_deck
from workers.generation.candidates import extract
from workers.generation.flashcards import store_cards
from workers.generation.material import load_material
from workers.generation.phrasing import Phraser


def _deck(tmp_path: Path) -> tuple[StudyDb, LocalFileStore, dict[str, int]]:
    return figure_card_deck(tmp_path, "Figure 2: Carbon fixed per hour in the stroma")


def test_cards_keep_their_source_slide_and_are_not_added_twice(tmp_path: Path) -> None:
    sdb, _, result = _deck(tmp_path)
    assert result["cards"] >= 6
    with sdb.session_factory() as db:
        cards = list(db.scalars(select(Flashcard)))
        assert {c.kind for c in cards} == {"basic", "cloze"}
        # one fact, one card: a definition asked as a term card gets no reverse cloze
        assert not any("{{c1::RuBisCO}}" in c.front for c in cards)
        by_front = {c.front: c for c in cards}
        rubisco = by_front["RuBisCO"]
        assert (
            rubisco.back == "the enzyme that fixes carbon dioxide in the stroma" and rubisco.page_number == 3
        )
        figure_cards = [c for c in cards if c.figure_id is not None]
        assert len(figure_cards) == 1 and figure_cards[0].page_number == 3
        assert "Carbon fixed per hour" in figure_cards[0].back
        clozes = [c for c in cards if c.kind == "cloze"]
        assert all("{{c1::" in c.front for c in clozes)
        assert all(c.fsrs_card["card_id"] == c.id and c.source_key for c in cards)
        lectures = [extract(m) for m in load_material(db, user_id=sdb.user_id, subject_id=sdb.subject_id)]
        again = store_cards(
            db,
            user_id=sdb.user_id,
            subject_id=sdb.subject_id,
            lectures=lectures,
            phraser=Phraser(None),
            count=40,
        )
        assert again["cards"] == 0 and again["skipped_existing"] == result["cards"]


def test_apkg_is_a_zip_with_a_sqlite_collection_notes_and_media(tmp_path: Path) -> None:
    sdb, files, result = _deck(tmp_path)
    with sdb.session_factory() as db:
        suspended = db.scalars(select(Flashcard).where(Flashcard.front == "RuBisCO")).one()
        suspended.suspended = True
        db.commit()
        subject = db.get(Subject, sdb.subject_id)
        assert subject is not None
        out = tmp_path / "deck.apkg"
        counts = service.build_apkg(db=db, files=files, subject=subject, out=out)
        figure_card = db.scalars(select(Flashcard).where(Flashcard.figure_id.is_not(None))).one()
    assert counts == {"notes": result["cards"] - 1, "media": 1}
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        assert "collection.anki2" in names and "media" in names
        media = json.loads(zf.read("media"))
        assert media == {"0": f"smartnotes-figure-{figure_card.figure_id}.png"}
        assert zf.read("0") == files.path("uploads/1/1/figures/p0003-0.png").read_bytes()
        zf.extract("collection.anki2", tmp_path)
    con = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        notes = con.execute("select mid, flds, tags from notes").fetchall()
        models = json.loads(con.execute("select models from col").fetchone()[0])
        decks = json.loads(con.execute("select decks from col").fetchone()[0])
        n_cards = con.execute("select count(*) from cards").fetchone()[0]
    finally:
        con.close()
    assert len(notes) == result["cards"] - 1 == n_cards
    assert "Biology" in [d["name"] for d in decks.values()]
    fields = [flds.split("\x1f") for _, flds, _ in notes]
    assert all(len(f) == 4 for f in fields)
    assert all(", slide " in f[2] and "(photosynthesis-basics.pdf)" in f[2] for f in fields)  # the source
    assert not any(f[0] == "RuBisCO" for f in fields)  # suspended: left out
    with_image = [f for f in fields if f[3]]
    assert with_image == [f for f in fields if f"smartnotes-figure-{figure_card.figure_id}.png" in f[3]]
    assert len(with_image) == 1 and "slide 3" in with_image[0][2]
    cloze_model = next(mid for mid, m in models.items() if m["name"] == "MySmartNotes Cloze")
    assert models[cloze_model]["type"] == 1
    for mid, flds, tags in notes:
        assert ("{{c1::" in flds.split("\x1f")[0]) == (str(mid) == cloze_model)
        assert "smartnotes" in tags


def test_json_export_personal_and_shared(tmp_path: Path) -> None:
    sdb, _, result = _deck(tmp_path)
    with sdb.session_factory() as db:
        subject = db.get(Subject, sdb.subject_id)
        assert subject is not None
        card = db.scalars(select(Flashcard).order_by(Flashcard.id)).first()
        assert card is not None
        card.suspended = True
        db.commit()
        mine = service.export_json(db=db, subject=subject, personal=True)
        shared = service.export_json(db=db, subject=subject, personal=False)
    assert mine.deck == "Biology" and len(mine.cards) == result["cards"]
    assert all(c.fsrs and c.due is not None for c in mine.cards)
    assert all(c.source is not None and c.source.lecture == "Photosynthesis basics" for c in mine.cards)
    assert len(shared.cards) == result["cards"] - 1  # no suspended cards
    assert all(c.fsrs == {} and c.due is None for c in shared.cards)  # nothing of the owner's study state
