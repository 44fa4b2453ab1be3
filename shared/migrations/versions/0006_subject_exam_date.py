"""subjects.exam_date and users.fsrs_profile: exam-aware review scheduling and personal FSRS parameters

``exam_date``: the day of the subject's exam (NULL: none; reviews are scheduled as before). ``fsrs_profile``:
the FSRS parameters optimized from the user's own reviews, with the log loss before and after (NULL: the
default parameters).

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-30 00:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("subjects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("exam_date", sa.Date(), nullable=True))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fsrs_profile", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("fsrs_profile")
    with op.batch_alter_table("subjects", schema=None) as batch_op:
        batch_op.drop_column("exam_date")
