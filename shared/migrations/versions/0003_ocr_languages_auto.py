"""subjects.ocr_languages: the old default "eng+hin" becomes "auto"

"auto" reads each page with the Tesseract packs its scripts need (English pages with eng alone, Hindi pages
with eng+hin), where "eng+hin" on every page turned symbols on English slides into stray Devanagari. Subjects
that still have the old default get the new one; any other explicit choice is kept.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 00:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

subjects = sa.table("subjects", sa.column("ocr_languages", sa.String(100)))


def upgrade() -> None:
    op.execute(subjects.update().where(subjects.c.ocr_languages == "eng+hin").values(ocr_languages="auto"))


def downgrade() -> None:
    op.execute(subjects.update().where(subjects.c.ocr_languages == "auto").values(ocr_languages="eng+hin"))
