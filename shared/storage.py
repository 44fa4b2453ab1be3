"""Where things live in the file store: every storage key (and the data dir's folders) is built here.

The gateway writes uploads (``uploads/<user>/<lecture>/original<ext>``, past papers under
``uploads/<user>/past-papers/``) and spools them in ``tmp/``; the ocr worker writes a lecture's page
thumbnails and figures under its folder (``pages/``, ``figures/``); the generation worker writes documents
under ``generated/<user>/<document>/``; maintenance removes what no row refers to.
"""

from __future__ import annotations

from pathlib import Path

UPLOADS = "uploads"
GENERATED = "generated"
TMP = "tmp"
PAST_PAPERS = "past-papers"
LECTURE_FOLDERS = ("figures", "pages")  # what the ocr worker writes under a lecture's folder


def lecture_prefix(user_id: int, lecture_id: int) -> str:
    """A lecture's folder: its original file, page thumbnails and figures."""
    return f"{UPLOADS}/{user_id}/{lecture_id}"


def lecture_original(user_id: int, lecture_id: int, extension: str) -> str:
    return f"{lecture_prefix(user_id, lecture_id)}/original{extension}"


def lecture_prefix_of(storage_path: str) -> str:
    """The folder of a lecture from its original file's key."""
    return storage_path.rsplit("/", 1)[0]


def past_papers_prefix(user_id: int) -> str:
    return f"{UPLOADS}/{user_id}/{PAST_PAPERS}"


def past_paper_key(user_id: int, name: str) -> str:
    """An uploaded exam, ``name`` a fresh uuid and the file's extension."""
    return f"{past_papers_prefix(user_id)}/{name}"


def generated_user_prefix(user_id: int) -> str:
    return f"{GENERATED}/{user_id}"


def generated_prefix(user_id: int, document_id: int) -> str:
    """A generated document's folder."""
    return f"{generated_user_prefix(user_id)}/{document_id}"


def generated_key(user_id: int, document_id: int, filename: str) -> str:
    return f"{generated_prefix(user_id, document_id)}/{filename}"


def tmp_dir(data_dir: Path) -> Path:
    """Upload spools (removed by maintenance when a killed gateway leaves them)."""
    return data_dir / TMP
