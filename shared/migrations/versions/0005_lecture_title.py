"""lectures.title_source: where a lecture's title comes from

"file" (the upload's file name, until the slides are read), "document" (the title slide or the file's own
metadata, set when the lecture is read), "user" (typed by the student; reading again keeps it).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 00:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("lectures", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("title_source", sa.String(length=20), nullable=False, server_default="file")
        )


def downgrade() -> None:
    with op.batch_alter_table("lectures", schema=None) as batch_op:
        batch_op.drop_column("title_source")
