"""A partial index of the steps that have a rung due: the SLA sweep reads only these.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_steps_next_due",
        "approval_steps",
        ["next_due_at"],
        postgresql_where=sa.text("next_due_at IS NOT NULL"),
        sqlite_where=sa.text("next_due_at IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_steps_next_due", table_name="approval_steps")
