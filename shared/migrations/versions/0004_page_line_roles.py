"""pages.line_roles: a role for every line of a page's text

Footers, course meta, credits and URLs stay in the page text for the lecture view, marked by their role, and
are left out of retrieval chunks and generation material. NULL for pages read before roles existed.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 00:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("line_roles", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.drop_column("line_roles")
