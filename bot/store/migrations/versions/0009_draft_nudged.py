"""An unfinished form is nudged once: the draft records when (set by compare-and-set).

`drafts.nudged_at` is written by the sweep in the transaction that queues the nudge, only while
it is empty and the draft's last activity is the one the nudge was decided on, so two sweeps or
replicas never both nudge, and a person who just wrote is not nudged. A partial index of the
drafts not nudged yet, by last activity, is what each sweep reads (`bot.store.nudges`).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_NOT_NUDGED = "nudged_at IS NULL"


def upgrade() -> None:
    with op.batch_alter_table("drafts") as batch:
        batch.add_column(sa.Column("nudged_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "ix_drafts_not_nudged",
        "drafts",
        ["updated_at"],
        postgresql_where=sa.text(_NOT_NUDGED),
        sqlite_where=sa.text(_NOT_NUDGED),
    )


def downgrade() -> None:
    op.drop_index("ix_drafts_not_nudged", table_name="drafts")
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("nudged_at")
