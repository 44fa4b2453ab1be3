"""flashcards.source_key: which candidate of the notes a generated card came from

Generating flashcards again (or a redelivered generation task) skips cards whose source is already in
the deck instead of adding copies.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 00:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("flashcards", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_key", sa.String(length=200), nullable=True))
        batch_op.create_index("ix_flashcards_subject_source", ["subject_id", "source_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("flashcards", schema=None) as batch_op:
        batch_op.drop_index("ix_flashcards_subject_source")
        batch_op.drop_column("source_key")
