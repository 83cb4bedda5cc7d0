"""/insight keeps each closed week's decided steps summed up, so a period reads a few hundred
rows a week instead of every decision.

`insight_weeks` records which weeks are summed up (one row per time zone and Monday, written
once: its key is the claim); `insight_week_steps` holds, for each, the steps decided that week by
role, approver, type, step and legal entity: counts, waits' sum and the waits themselves in
order (so medians stay exact); `insight_week_exceptions` the invoice exceptions submitted that week
by entity, department, reason and vendor; `insight_week_reminders` the SLA ladder's messages sent
that week by rung, role, type and entity. All start empty: a week is summed up when a view first reads it
(`bot.insight.rollup`). Used on PostgreSQL; the tables exist on SQLite too, unused.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "insight_weeks",
        sa.Column("zone", sa.String(64), primary_key=True),
        sa.Column("week", sa.Date(), primary_key=True),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("steps", sa.Integer(), nullable=False),
    )
    op.create_table(
        "insight_week_steps",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("zone", sa.String(64), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("role", sa.String(40), nullable=False),
        sa.Column("decided_by", sa.String(254), nullable=True),
        sa.Column("type_id", sa.String(80), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(20), nullable=True),
        sa.Column("decided", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("due", sa.Integer(), nullable=False),
        sa.Column("within", sa.Integer(), nullable=False),
        sa.Column("timed", sa.Integer(), nullable=False),
        sa.Column("hours", sa.Double(), nullable=False),
        sa.Column("waits", sa.ARRAY(sa.Double()).with_variant(sa.JSON(), "sqlite"), nullable=False),
    )
    op.create_index("ix_insight_week_steps_week", "insight_week_steps", ["zone", "week"])
    op.create_table(
        "insight_week_exceptions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("zone", sa.String(64), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("entity", sa.String(20), nullable=True),
        sa.Column("cost_center", sa.String(20), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("vendor", sa.Text(), nullable=True),
        sa.Column("requests", sa.Integer(), nullable=False),
    )
    op.create_index("ix_insight_week_exceptions_week", "insight_week_exceptions", ["zone", "week"])
    op.create_table(
        "insight_week_reminders",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("zone", sa.String(64), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("rung", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(40), nullable=False),
        sa.Column("type_id", sa.String(80), nullable=True),
        sa.Column("entity", sa.String(20), nullable=True),
        sa.Column("sent", sa.Integer(), nullable=False),
    )
    op.create_index("ix_insight_week_reminders_week", "insight_week_reminders", ["zone", "week"])


def downgrade() -> None:
    op.drop_index("ix_insight_week_reminders_week", table_name="insight_week_reminders")
    op.drop_table("insight_week_reminders")
    op.drop_index("ix_insight_week_exceptions_week", table_name="insight_week_exceptions")
    op.drop_table("insight_week_exceptions")
    op.drop_index("ix_insight_week_steps_week", table_name="insight_week_steps")
    op.drop_table("insight_week_steps")
    op.drop_table("insight_weeks")
